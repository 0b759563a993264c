"""Hostile documents, made cheaply and on the fly: nothing here is stored in the repository."""

from __future__ import annotations

import functools
import io
import random
import zipfile

from fixtures_docs import MEMO, raw_pdf, text_docx, zip_with

DOC_CANARY = "CANARY-DOCTEXT-K8"
PART_CANARY = "CANARY-PARTNAME-7Q"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def garbage(size: int = 200_000) -> bytes:
    rng = random.Random(13)
    return bytes(rng.randrange(256) for _ in range(size)).replace(b"%PDF", b"%PDX").replace(b"PK", b"PX")


def huge_line() -> bytes:
    # One 1.5 MB line inside a SECRET paragraph, beside a released one.
    return (
        b"UNCLASSIFIED\n\n1. (U) The meeting took place.\n\n2. (S) "
        + (DOC_CANARY.encode() + b" ") * 80_000
        + b"\n\nUNCLASSIFIED\n"
    )


def deep_html(depth: int = 150_000) -> bytes:
    return b"<html><body>" + b"<div>" * depth + DOC_CANARY.encode() + b"</div>" * depth + b"</body></html>"


def entity_flood(count: int = 100_000) -> bytes:
    return b"<html><body><pre>UNCLASSIFIED\n\n1. (S) " + b"&amp;&#x41;&lt;" * count + b"</pre></body></html>"


def _document_xml(body: bytes, doctype: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        + doctype
        + f'<w:document xmlns:w="{W}"><w:body>'.encode()
        + body
        + b"</w:body></w:document>"
    )


def _para(text: bytes) -> bytes:
    return b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"


def docx_with(document: bytes) -> bytes:
    return zip_with({"word/document.xml": document}, text_docx(MEMO))


def docx_xxe() -> bytes:
    doctype = b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return docx_with(_document_xml(_para(b"UNCLASSIFIED") + _para(b"1. (U) A &x; B"), doctype))


def docx_billion_laughs() -> bytes:
    ents = (
        b'<!ENTITY l0 "'
        + DOC_CANARY.encode()
        + b'">'
        + b"".join(b'<!ENTITY l%d "' % i + b"&l%d;" % (i - 1) * 10 + b'">' for i in range(1, 10))
    )
    return docx_with(_document_xml(_para(b"UNCLASSIFIED") + _para(b"1. (U) &l9;"), b"<!DOCTYPE d [" + ents + b"]>"))


def docx_zip_bomb_ratio() -> bytes:
    return zip_with({"word/media/image1.png": b"\0" * 40_000_000}, text_docx(MEMO))


@functools.cache
def docx_decoder_bomb() -> bytes:
    # document.xml inflates to 300 MB of blanks: past the unpacked budget.
    body = _document_xml(b" " * 300_000_000)
    return zip_with({"word/document.xml": body}, text_docx(MEMO))


def docx_lying_sizes() -> bytes:
    """A member whose header claims 100 bytes but inflates to 300 MB."""
    data = bytearray(docx_decoder_bomb())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
        real = info.file_size
    little = (100).to_bytes(4, "little")
    data = data.replace(real.to_bytes(4, "little"), little)
    return bytes(data)


def docx_zip_slip() -> bytes:
    return zip_with(
        {
            "../../../../tmp/" + PART_CANARY + ".txt": b"x",
            "/etc/" + PART_CANARY: b"y",
            "word/..\\..\\" + PART_CANARY: b"z",
        },
        text_docx(MEMO),
    )


def docx_many_members() -> bytes:
    return zip_with({f"customXml/item{i}.xml": b"<a/>" for i in range(3000)}, text_docx(MEMO))


def docx_part_name() -> bytes:
    """A header part whose name (from the relationship target) is a canary; then the same part broken."""
    data = text_docx(MEMO, header="SECRET")
    src = zipfile.ZipFile(io.BytesIO(data))
    rels = src.read("word/_rels/document.xml.rels").decode()
    old = next(n for n in src.namelist() if n.startswith("word/header") and n.endswith(".xml"))
    new = f"word/{PART_CANARY}.xml"
    rels = rels.replace(f'Target="{old.split("/", 1)[1]}"', f'Target="{new.split("/", 1)[1]}"')
    members = {n: src.read(n) for n in src.namelist() if n != old}
    members["word/_rels/document.xml.rels"] = rels.encode()
    members[new] = src.read(old)
    return zip_with(members)


def docx_part_name_broken() -> bytes:
    data = docx_part_name()
    return zip_with({f"word/{PART_CANARY}.xml": b"<w:hdr><w:p>"}, data)


def pdf_encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw_pdf(b"BT /F1 12 Tf 72 720 Td (1. (U) Hi) Tj ET"))))
    writer.encrypt("secret-password", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_truncated() -> bytes:
    data = raw_pdf(b"BT /F1 12 Tf 72 720 Td (UNCLASSIFIED) Tj 0 -20 Td (1. (U) Hello) Tj ET" * 50)
    return data[: len(data) // 2]


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def pdf_kids_loop() -> bytes:
    """The page tree lists itself among its kids."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length 0 >>\nstream\n\nendstream",
        ]
    )


def pdf_parent_loop() -> bytes:
    """The page tree's parent is its own page (inherited attributes are looked up in a circle)."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
            b"<< /Length 0 >>\nstream\n\nendstream",
        ]
    )


def pdf_object_is_its_own_reference() -> bytes:
    """The page's content stream is object 4, whose value is `4 0 R`: resolving it never ends."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"4 0 R",
        ]
    )


def pdf_pages(count: int = 10_000) -> bytes:
    """`count` pages sharing one small content stream: about 60 bytes a page."""
    content = b"BT /F1 12 Tf 72 720 Td (1. (U) Page) Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d /MediaBox [0 0 612 792] >>" % count,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"] * count
    return _pdf(objects)

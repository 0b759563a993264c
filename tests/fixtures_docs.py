"""Generators for test documents: marked cables and memos typeset as PDF (reportlab) and DOCX (python-docx),
documents with hidden content holding canaries, and bad files (encrypted, corrupt, bombs, scans).

Everything is built in memory and deterministic (reportlab `invariant=1`).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-09STATE103113.txt"
CORPUS = ROOT.parent / "shared" / "corpus" / "cables"

PAGE_W, PAGE_H = letter
MARGIN = 72

MEMO = """SECRET//NOFORN

MEMORANDUM FOR THE RECORD

SUBJECT: (U) Quarterly review of the northern program

1. (U) This memorandum records the quarterly review held on 3 March.

2. (S//NF) The program office reported that the second phase slipped by two months because the \
contractor could not staff the site; the review board accepted the new schedule.

3. (C) The liaison partner asked for a copy of the schedule. The board declined pending a review \
of the partner's handling rules.

4. (U) The next review is planned for June.

SECRET//NOFORN"""

PARAGRAPH = re.compile(r"(?:^|\s)¶?(\d{1,2})\.\s+\(([A-Z/ ]+)\)")


def marks(text: str) -> list[tuple[str, str]]:
    """(paragraph number, mark) pairs found anywhere in `text`; line wrapping does not change them."""
    return [(n, m.replace(" ", "")) for n, m in PARAGRAPH.findall(text)]


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs with their whitespace collapsed."""
    return [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def seed_text() -> str:
    from redactor.ingest import read

    return read(SEED.read_bytes()).text


def corpus_texts(n: int = 5) -> dict[str, str]:
    from redactor.ingest import read

    out = {}
    for path in sorted(CORPUS.glob("*.txt"))[:n]:
        out[path.stem] = read(path.read_bytes()).text
    return out


def _canvas(buf: io.BytesIO, **kw) -> canvas.Canvas:
    c = canvas.Canvas(buf, pagesize=letter, invariant=1, **kw)
    c.setTitle("test document")
    return c


def text_pdf(
    text: str, *, font: str = "Courier", size: float = 10, leading: float | None = None, width: float | None = None
) -> bytes:
    """`text` typeset line by line (long lines wrapped at spaces), new pages as needed."""
    leading = leading or size * 1.2
    width = width or PAGE_W - 2 * MARGIN
    buf = io.BytesIO()
    c = _canvas(buf)
    y = PAGE_H - MARGIN
    for raw in text.split("\n"):
        lines = simpleSplit(raw.strip(), font, size, width) if raw.strip() else [""]
        for line in lines:
            if y < MARGIN:
                c.showPage()
                y = PAGE_H - MARGIN
            if line:
                c.setFont(font, size)
                c.drawString(MARGIN, y, line)
            y -= leading
    c.showPage()
    c.save()
    return buf.getvalue()


def _column(
    c: canvas.Canvas, paras: list[str], x: float, y: float, width: float, font: str, size: float, leading: float
) -> None:
    for para in paras:
        for line in simpleSplit(para, font, size, width):
            c.setFont(font, size)
            c.drawString(x, y, line)
            y -= leading
        y -= leading


def two_column_pdf(
    header: list[str], left: list[str], right: list[str], footer: list[str], *, font: str = "Helvetica", size: float = 9
) -> bytes:
    """A page with full-width header lines, two columns of paragraphs, and full-width footer lines."""
    leading = size * 1.25
    buf = io.BytesIO()
    c = _canvas(buf)
    y = PAGE_H - MARGIN
    for line in header:
        c.setFont(font, size)
        if line:
            c.drawString(MARGIN, y, line)
        y -= leading
    y -= leading
    gutter = 24
    col_w = (PAGE_W - 2 * MARGIN - gutter) / 2
    _column(c, left, MARGIN, y, col_w, font, size, leading)
    _column(c, right, MARGIN + col_w + gutter, y, col_w, font, size, leading)
    y = MARGIN + leading * len(footer)
    for line in footer:
        c.setFont(font, size)
        c.drawString(MARGIN, y, line)
        y -= leading
    c.showPage()
    c.save()
    return buf.getvalue()


def hidden_pdf(canaries: dict[str, str]) -> bytes:
    """A marked memo page whose (S) paragraph carries canaries in hidden forms.

    Keys of `canaries`: "invisible" (render mode 3), "white" (white on the white page), "offpage" (drawn
    left of the page), "clipped" (outside a clipping rectangle), "covered" (under a black box drawn later).
    """
    buf = io.BytesIO()
    c = _canvas(buf)
    size, leading = 10, 12
    y = PAGE_H - MARGIN

    def line(text: str) -> None:
        nonlocal y
        c.setFont("Helvetica", size)
        c.setFillColorRGB(0, 0, 0)
        c.drawString(MARGIN, y, text)
        y -= leading

    line("SECRET")
    y -= leading
    line("1. (U) The meeting opened at ten.")
    y -= leading
    line("2. (S) The source reported on the northern site.")
    x = MARGIN
    for kind, canary in canaries.items():
        t = c.beginText(x, y)
        t.setFont("Helvetica", size)
        if kind == "invisible":
            c.saveState()  # the render mode is graphics state: it would outlive the text object
            t.setTextRenderMode(3)
            t.textOut(canary)
            c.drawText(t)
            c.restoreState()
        elif kind == "white":
            c.setFillColorRGB(1, 1, 1)
            t.textOut(canary)
            c.drawText(t)
            c.setFillColorRGB(0, 0, 0)
        elif kind == "offpage":
            c.setFont("Helvetica", size)
            c.drawString(-400, y, canary)
        elif kind == "clipped":
            c.saveState()
            p = c.beginPath()
            p.rect(0, 0, 10, 10)
            c.clipPath(p, stroke=0, fill=0)
            c.setFont("Helvetica", size)
            c.drawString(MARGIN, y, canary)
            c.restoreState()
        elif kind == "covered":
            c.setFont("Helvetica", size)
            c.drawString(MARGIN, y, canary)
            c.setFillColorRGB(0, 0, 0)
            width = c.stringWidth(canary, "Helvetica", size)
            c.rect(MARGIN - 2, y - 3, width + 4, size + 4, fill=1, stroke=0)
        else:
            raise ValueError(kind)
        y -= leading
    line("The site is active.")
    y -= leading
    line("3. (U) The meeting closed at noon.")
    c.showPage()
    c.save()
    return buf.getvalue()


def extras_pdf(secret: str) -> bytes:
    """A one-page memo with an annotation, a filled form field, a bookmark, metadata and an attachment,
    each holding `secret`."""
    buf = io.BytesIO()
    c = _canvas(buf)
    c.setTitle(f"title {secret}")
    c.setAuthor(f"author {secret}")
    c.setFont("Helvetica", 10)
    c.drawString(MARGIN, PAGE_H - MARGIN, "UNCLASSIFIED")
    c.drawString(MARGIN, PAGE_H - MARGIN - 24, "1. (U) The meeting opened at ten.")
    c.bookmarkPage("p1")
    c.addOutlineEntry(f"outline {secret}", "p1", level=0)
    c.textAnnotation(f"note {secret}", Rect=(MARGIN, 500, MARGIN + 20, 520))
    c.acroForm.textfield(name="field1", value=f"field {secret}", x=MARGIN, y=400, width=200, height=20)
    c.showPage()
    c.save()
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    writer.add_attachment("notes.txt", f"attached {secret}".encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(text: str = "1. (U) Locked.", user_password: str = "secret") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1, encrypt=user_password)
    c.drawString(MARGIN, PAGE_H - MARGIN, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def scanned_pdf(pages: int = 1) -> bytes:
    """Pages holding only an image of text: no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (400, 100), 255)
    ImageDraw.Draw(img).text((10, 40), "1. (S) A scanned paragraph.", fill=0)
    buf = io.BytesIO()
    c = _canvas(buf)
    for _ in range(pages):
        c.drawImage(ImageReader(img), MARGIN, PAGE_H - 200, width=400, height=100)
        c.showPage()
    c.save()
    return buf.getvalue()


def many_pages_pdf(pages: int) -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf)
    for i in range(pages):
        c.drawString(MARGIN, PAGE_H - MARGIN, f"{i + 1}. (U) Page {i + 1}.")
        c.showPage()
    c.save()
    return buf.getvalue()


# --- DOCX -------------------------------------------------------------------------------------------


def _docx_bytes(document: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_of(lines: list[str]) -> bytes:
    """A DOCX with one Word paragraph per line."""
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    return _docx_bytes(d)


def text_docx(text: str, *, header: str | None = None, footer: str | None = None) -> bytes:
    """One Word paragraph per blank-line separated paragraph of `text` (inner line breaks kept as breaks)."""
    d = docx.Document()
    for para in re.split(r"\n[ \t]*\n", text.strip("\n")):
        if not para.strip():
            continue
        p = d.add_paragraph()
        for i, line in enumerate(para.split("\n")):
            if i:
                p.add_run().add_break()
            p.add_run(line.strip())
    section = d.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    return _docx_bytes(d)


def _w(tag: str, text: str | None = None, **attrs: str):
    from docx.oxml import OxmlElement

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k), v)
    if text is not None:
        el.text = text
        el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return el


def hidden_docx(canaries: dict[str, str]) -> bytes:
    """A marked memo whose (S) paragraph carries canaries in hidden forms.

    Keys: "hidden_run" (w:vanish), "comment" (a comment anchored in the paragraph), "deleted" (a tracked
    deletion), "inserted" (a tracked insertion), "header" (the page header), "footer", "table" (a table
    cell).
    """
    d = docx.Document()
    d.add_paragraph("SECRET")
    d.add_paragraph("1. (U) The meeting opened at ten.")
    p = d.add_paragraph()
    first = p.add_run("2. (S) The source reported on the northern site. ")
    if "hidden_run" in canaries:
        r = p.add_run(canaries["hidden_run"] + " ")
        r.font.hidden = True
    if "deleted" in canaries:
        dele = _w("w:del", **{"w:id": "901", "w:author": "A", "w:date": "2024-01-01T00:00:00Z"})
        run = _w("w:r")
        run.append(_w("w:delText", canaries["deleted"] + " "))
        dele.append(run)
        p._p.append(dele)
    if "inserted" in canaries:
        ins = _w("w:ins", **{"w:id": "902", "w:author": "A", "w:date": "2024-01-01T00:00:00Z"})
        run = _w("w:r")
        run.append(_w("w:t", canaries["inserted"] + " "))
        ins.append(run)
        p._p.append(ins)
    last = p.add_run("The site is active.")
    if "comment" in canaries:
        d.add_comment([first, last], text=canaries["comment"], author="Reviewer", initials="R")
    if "table" in canaries:
        t = d.add_table(rows=1, cols=2)
        t.cell(0, 0).text = "Site"
        t.cell(0, 1).text = canaries["table"]
    d.add_paragraph("3. (U) The meeting closed at noon.")
    if "header" in canaries:
        d.sections[0].header.paragraphs[0].text = canaries["header"]
    if "footer" in canaries:
        d.sections[0].footer.paragraphs[0].text = canaries["footer"]
    return _docx_bytes(d)


def zip_with(members: dict[str, bytes], base: bytes | None = None) -> bytes:
    """A zip holding `members` (deflated), added to the members of the zip `base` if given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        if base is not None:
            with zipfile.ZipFile(io.BytesIO(base)) as src:
                for info in src.infolist():
                    if info.filename not in members:
                        out.writestr(copy.copy(info), src.read(info.filename))
        for name, data in members.items():
            out.writestr(name, data)
    return buf.getvalue()


def raw_pdf(content: bytes, *, compress: bool = True) -> bytes:
    """A minimal one-page PDF around the content stream `content` (Flate-compressed unless told not)."""
    import zlib

    stream = zlib.compress(content, 9) if compress else content
    filt = b"/Filter /FlateDecode " if compress else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< " + filt + b"/Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- hand-written PDFs: every way of hiding text, bombs and broken object graphs --------------------


def pdf_file(objects: dict[int, bytes], *, root: int = 1, info: int | None = None, version: bytes = b"1.7") -> bytes:
    """A PDF of numbered objects (`objects[n]` is the body between `n 0 obj` and `endobj`), with its xref."""
    size = max(objects) + 1
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += f"{n} 0 obj\n".encode() + objects[n] + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for n in range(1, size):
        out += (f"{offsets[n]:010d} 00000 n \n" if n in offsets else "0000000000 65535 f \n").encode()
    extra = f" /Info {info} 0 R" if info else ""
    out += f"trailer\n<< /Size {size} /Root {root} 0 R{extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< " + dictionary + b" /Length " + str(len(data)).encode() + b" >>\nstream\n" + data + b"\nendstream"


def _pdf_text(s: str) -> bytes:
    return b"(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1") + b")"


def tj(x: float, y: float, s: str, size: float = 10) -> bytes:
    """One line of Helvetica text at (x, y), in the current colour and text state."""
    return f"BT /F1 {size:g} Tf {x:g} {y:g} Td ".encode() + _pdf_text(s) + b" Tj ET\n"


# Each hiding way: the content that draws `canary` at (72, y) so that a reader of the page does not see it,
# and what the page needs besides (annotations over it, an optional-content layer switched off).
HIDING_WAYS = (
    "render3",
    "render7",
    "white",
    "near_white",
    "background",
    "covered_shape",
    "covered_white_box",
    "covered_image",
    "clipped",
    "tiny",
    "one_point",
    "hscale",
    "ca0",
    "stroke_CA0",
    "oc_off",
    "oc_off_xobject",
    "redact",
    "redact_opaque",
    "offpage",
    "form_white",
)


def _hide(way: str, canary: str, y: float) -> tuple[bytes, list[bytes]]:
    w = 8 * len(canary)
    annots: list[bytes] = []
    if way == "render3":
        ops = b"q 3 Tr " + tj(72, y, canary) + b"Q\n"
    elif way == "render7":
        ops = b"q 7 Tr " + tj(72, y, canary) + b"Q\n"
    elif way == "white":
        ops = b"q 1 1 1 rg " + tj(72, y, canary) + b"Q\n"
    elif way == "near_white":
        ops = b"q 0.96 g " + tj(72, y, canary) + b"Q\n"
    elif way == "background":
        ops = f"q 0.2 0.3 0.7 rg 66 {y - 4:g} {w + 12} 16 re f ".encode() + tj(72, y, canary) + b"Q\n"
    elif way == "covered_shape":
        ops = tj(72, y, canary) + f"q 0 0 0 rg 70 {y - 3:g} {w + 4} 14 re f Q\n".encode()
    elif way == "covered_white_box":
        ops = tj(72, y, canary) + f"q 1 1 1 rg 70 {y - 3:g} {w + 4} 14 re f Q\n".encode()
    elif way == "covered_image":
        ops = tj(72, y, canary) + f"q {w + 4} 0 0 14 70 {y - 3:g} cm /Im1 Do Q\n".encode()
    elif way == "clipped":
        ops = b"q 0 0 10 10 re W n " + tj(72, y, canary) + b"Q\n"
    elif way == "tiny":
        ops = tj(72, y, canary, size=0.4)
    elif way == "one_point":
        ops = tj(72, y, canary, size=1)
    elif way == "hscale":
        ops = f"q BT /F1 10 Tf 1 Tz 72 {y:g} Td ".encode() + _pdf_text(canary) + b" Tj ET Q\n"
    elif way == "ca0":
        ops = b"q /GS0 gs " + tj(72, y, canary) + b"Q\n"
    elif way == "stroke_CA0":
        ops = b"q /GS1 gs 1 Tr 0 0 0 RG " + tj(72, y, canary) + b"Q\n"
    elif way == "oc_off":
        ops = b"/OC /MC0 BDC " + tj(72, y, canary) + b"EMC\n"
    elif way == "oc_off_xobject":
        ops = f"q 1 0 0 1 0 {y:g} cm /FmOC Do Q\n".encode()
    elif way in ("redact", "redact_opaque"):
        ops = tj(72, y, canary)
        quads = f"70 {y + 11:g} {74 + w} {y + 11:g} 70 {y - 3:g} {74 + w} {y - 3:g}"
        fill = b" /IC [0 0 0] /OverlayText (REDACTED)" if way == "redact_opaque" else b""
        annots.append(
            f"<< /Type /Annot /Subtype /Redact /Rect [70 {y - 3:g} {74 + w} {y + 11:g}] /QuadPoints [{quads}]".encode()
            + fill
            + b" >>"
        )
    elif way == "offpage":
        ops = tj(-400, y, canary)
    elif way == "form_white":
        ops = f"q 1 1 1 rg 1 0 0 1 0 {y:g} cm /FmW Do Q\n".encode()
    else:
        raise ValueError(way)
    return ops, annots


def hidden_way_pdf(way: str, canary: str, where: str = "released", *, banner: str = "SECRET") -> bytes:
    """A SECRET memo page: 1. (U) released, 2. (S) withheld, 3. (U); `canary` hidden the way `way` says on a
    row of its own inside paragraph 1 (`where="released"`) or paragraph 2 (`where="withheld"`)."""
    y_canary = 698 if where == "released" else 644
    hide, annots = _hide(way, canary, y_canary)
    body = (
        b"0 g\n"
        + tj(72, 740, banner)
        + tj(72, 710, "1. (U) The meeting opened at ten.")
        + tj(72, 686, "The agenda was agreed.")
        + tj(72, 656, "2. (S) The source reported on the northern site.")
        + tj(72, 632, "The site is active.")
        + tj(72, 602, "3. (U) The meeting closed at noon.")
        + tj(72, 60, banner)
        + hide
    )
    return hidden_page_pdf(body, annots, canary)


def hidden_page_pdf(
    content: bytes, annots: list[bytes] = (), canary: str = "CANARY", streams: list[bytes] | None = None
) -> bytes:
    """One page with `content` and the resources every hiding way needs (F1, GS0 ca 0, GS1 CA 0, MC0 an
    optional-content group switched off, Im1 a black image, FmW a form drawing `canary` without setting a
    colour, FmOC a form in the switched-off group), plus `annots`."""
    n_annots = list(range(20, 20 + len(annots)))
    contents = streams if streams is not None else [content]
    n_contents = list(range(40, 40 + len(contents)))
    form = tj(72, 0, canary)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OCProperties << /OCGs [10 0 R] /D << /OFF [10 0 R] >> >> >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ["
            + b" ".join(f"{n} 0 R".encode() for n in n_contents)
            + b"] "
            b"/Resources << /Font << /F1 5 0 R >> /ExtGState << /GS0 6 0 R /GS1 7 0 R >> "
            b"/Properties << /MC0 10 0 R >> /XObject << /Im1 8 0 R /FmW 9 0 R /FmOC 11 0 R >> >>"
            + (b" /Annots [" + b" ".join(f"{n} 0 R".encode() for n in n_annots) + b"]" if annots else b"")
            + b" >>"
        ),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        6: b"<< /Type /ExtGState /ca 0 >>",
        7: b"<< /Type /ExtGState /CA 0 >>",
        8: pdf_stream(
            b"\x00", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8"
        ),
        9: pdf_stream(
            form, b"/Type /XObject /Subtype /Form /BBox [0 -20 612 40] /Resources << /Font << /F1 5 0 R >> >>"
        ),
        10: b"<< /Type /OCG /Name (Layer) >>",
        11: pdf_stream(
            form,
            b"/Type /XObject /Subtype /Form /BBox [0 -20 612 40] /OC 10 0 R /Resources << /Font << /F1 5 0 R >> >>",
        ),
    }
    for n, a in zip(n_annots, annots, strict=True):
        objects[n] = a
    for n, c in zip(n_contents, contents, strict=True):
        objects[n] = pdf_stream(c)
    return pdf_file(objects)


def one_page_pdf(
    content_object: bytes, *, extra: dict[int, bytes] | None = None, catalog: bytes = b"", pages: bytes | None = None
) -> bytes:
    """One page whose /Contents is object 4 (`content_object`, a whole stream object body)."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: pages or b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> >>",
        4: content_object,
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    objects.update(extra or {})
    return pdf_file(objects)


def lzw_zeros(blocks: int) -> bytes:
    """LZW codes that unpack to about 7.4 MB of zero bytes per block of 5.6 KB (each code one longer run)."""
    codes: list[int] = []
    for _ in range(blocks):
        codes += [256, 0, *range(258, 4095)]
    codes.append(257)
    out, acc, nbits, width, size, first = bytearray(), 0, 0, 9, 258, True
    for c in codes:
        acc, nbits = (acc << width) | c, nbits + width
        while nbits >= 8:
            nbits -= 8
            out.append((acc >> nbits) & 0xFF)
            acc &= (1 << nbits) - 1
        if c == 256:
            width, size, first = 9, 258, True
            continue
        if first:
            first = False
            continue
        size = min(size + 1, 4096)
        if size + 1 >= 1 << width and width < 12:
            width += 1
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    return bytes(out)


def bomb_pdf(kind: str, n: int) -> bytes:
    """A small PDF whose content stream passes a limit: `runlength` (n bytes that unpack 64 times),
    `lzw` (n blocks of lzw_zeros), `hex_flate` (ASCIIHex over Flate of n zero bytes), `a85` (n `z`s, four
    zero bytes each), `zeros` (n ASCII zeros deflated: one huge token), `numbers` (n numbers without an
    operator), `inline` (an inline image of n bytes without its EI)."""
    import zlib

    if kind == "runlength":
        data, filt = bytes([129, 0x20]) * (n // 2) + b"\x80", b"/Filter /RunLengthDecode"
    elif kind == "lzw":
        data, filt = lzw_zeros(n), b"/Filter /LZWDecode"
    elif kind == "hex_flate":
        data, filt = zlib.compress(b"\0" * n, 9).hex().encode() + b">", b"/Filter [/ASCIIHexDecode /FlateDecode]"
    elif kind == "a85":
        data, filt = b"<~" + b"z" * n + b"~>", b"/Filter /ASCII85Decode"
    elif kind == "zeros":
        data, filt = zlib.compress(b"0" * n, 9), b"/Filter /FlateDecode"
    elif kind == "numbers":
        data, filt = zlib.compress(b"0 " * n, 9), b"/Filter /FlateDecode"
    elif kind == "inline":
        data, filt = zlib.compress(b"q BI /W 10 /H 10 /BPC 8 /CS /G ID " + b"\0" * n, 9), b"/Filter /FlateDecode"
    else:
        raise ValueError(kind)
    return one_page_pdf(pdf_stream(data, filt))


def cyclic_pdf(kind: str) -> bytes:
    """A PDF whose object graph points back at itself."""
    text = pdf_stream(b"BT /F1 10 Tf 72 700 Td (1. \\(U\\) Text.) Tj ET")
    if kind == "self_reference":  # 4 0 obj 4 0 R endobj
        return one_page_pdf(b"4 0 R")
    if kind == "reference_loop":  # 4 -> 7 -> 4
        return one_page_pdf(b"7 0 R", extra={7: b"4 0 R"})
    if kind == "pages_loop":  # the page tree holds itself
        return one_page_pdf(text, pages=b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>")
    if kind == "parent_loop":  # a page tree node whose kids are its parent
        return one_page_pdf(
            text,
            pages=b"<< /Type /Pages /Kids [3 0 R 7 0 R] /Count 2 >>",
            extra={7: b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"},
        )
    if kind == "form_loop":  # a form XObject that draws itself
        return one_page_pdf(
            pdf_stream(b"/Fm1 Do BT /F1 10 Tf 72 700 Td (1. \\(U\\) Text.) Tj ET"),
            extra={
                6: pdf_stream(
                    b"/Fm1 Do",
                    b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /Fm1 6 0 R >> >>",
                )
            },
        )
    if kind == "outline_loop":  # bookmarks that are their own next
        return one_page_pdf(
            text,
            catalog=b"/Outlines 7 0 R",
            extra={
                7: b"<< /Type /Outlines /First 8 0 R /Last 8 0 R /Count 1 >>",
                8: b"<< /Title (loop) /Parent 7 0 R /Next 8 0 R /First 8 0 R /Dest [3 0 R /Fit] >>",
            },
        )
    raise ValueError(kind)


def pages_pdf(n: int, *, declared: int | None = None) -> bytes:
    """n pages sharing one content stream, in a flat page tree that declares `declared` pages (default n)."""
    first = 10
    kids = b" ".join(f"{first + i} 0 R".encode() for i in range(n))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids ["
        + kids
        + b"] /Count "
        + str(declared if declared is not None else n).encode()
        + b" >>",
        4: pdf_stream(b"BT /F1 10 Tf 72 700 Td (1. \\(U\\) A page.) Tj ET"),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for i in range(n):
        objects[first + i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        )
    return pdf_file(objects)

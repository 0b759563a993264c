"""Checks that a PDF leaks nothing, shared by every test module that produces PDFs.

Each function asserts one property of docs pdf-safety.md and says in its message what it found where.
Import with `from pdf_checks import assert_pdf_clean` (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import pdfplumber
from pdfminer.high_level import extract_text as pdfminer_text
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, StreamObject

# What the renderer really needs in the catalog, on a page, and in the trailer.
CATALOG_KEYS = {"/Type", "/Pages", "/PageMode", "/Lang"}
PAGE_KEYS = {"/Type", "/Parent", "/Resources", "/Contents", "/MediaBox", "/Rotate", "/Trans"}
TRAILER_KEYS = {"/Root", "/Info", "/ID", "/Size"}
# Names that mean outlines, links, forms, attachments, scripts, actions or XMP anywhere in the file.
FORBIDDEN_KEYS = {
    "/Outlines",
    "/Annots",
    "/AcroForm",
    "/XFA",
    "/Names",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/AA",
    "/URI",
    "/Launch",
    "/Metadata",
    "/Dests",
    "/StructTreeRoot",
}
# Content-stream operators the release may use: text, paths, colours, the graphics state. Not allowed,
# among others: Do (images, forms), BI/ID/EI (inline images), BDC/BMC/EMC/BX (marked content, where
# ActualText hides), gs (transparency), Tz/Ts (squeezed or shifted text), d0/d1, sh.
OPERATORS = {
    b"q",
    b"Q",
    b"cm",
    b"w",
    b"J",
    b"j",
    b"M",
    b"d",
    b"ri",
    b"i",
    b"m",
    b"l",
    b"c",
    b"v",
    b"y",
    b"h",
    b"re",
    b"S",
    b"s",
    b"f",
    b"F",
    b"f*",
    b"B",
    b"B*",
    b"b",
    b"b*",
    b"n",
    b"W",
    b"W*",
    b"g",
    b"G",
    b"rg",
    b"RG",
    b"k",
    b"K",
    b"BT",
    b"ET",
    b"Tf",
    b"TL",
    b"Tc",
    b"Tw",
    b"Td",
    b"TD",
    b"Tm",
    b"T*",
    b"Tj",
    b"TJ",
    b"'",
    b'"',
    b"Tr",
}


# ------------------------------------------------------------------------------------ what a PDF holds
def extracted_texts(pdf: bytes) -> dict[str, str]:
    """The text three extractors find: pypdf, pdfminer.six, and pdfplumber's characters."""
    reader = PdfReader(io.BytesIO(pdf))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        plumber = "\n".join("".join(c["text"] for c in page.chars) for page in doc.pages)
    return {
        "pypdf": "\n".join(page.extract_text() or "" for page in reader.pages),
        "pdfminer": pdfminer_text(io.BytesIO(pdf)),
        "pdfplumber": plumber,
    }


def _object_ids(reader: PdfReader) -> Iterator[tuple[int, int]]:
    for generation, entries in reader.xref.items():
        for number in entries:
            yield number, generation
    for number in getattr(reader, "xref_objStm", {}):
        yield number, 0


def _raw_streams(pdf: bytes) -> Iterator[bytes]:
    """Every stream body in the file, found by scanning, so objects outside the xref count too."""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        body = match.group(1)
        yield body
        for decode in (zlib.decompress, lambda b: zlib.decompress(base64.a85decode(b, adobe=True))):
            try:
                yield decode(body)
            except Exception:  # noqa: BLE001 - not every stream is in that encoding
                continue


def haystacks(pdf: bytes) -> Iterator[tuple[str, bytes]]:
    """(where, bytes) for the raw file, every xref object, every decoded stream, and every raw stream."""
    yield "raw bytes", pdf
    reader = PdfReader(io.BytesIO(pdf))
    for number, generation in _object_ids(reader):
        obj = reader.get_object(IndirectObject(number, generation, reader))
        where = f"object {number} {generation}"
        yield where, repr(obj).encode("utf-8", "backslashreplace")
        if isinstance(obj, StreamObject):
            yield f"{where} (decoded stream)", obj.get_data()
    yield "trailer", repr(reader.trailer).encode("utf-8", "backslashreplace")
    if reader.metadata is not None:
        yield "metadata", repr(dict(reader.metadata)).encode("utf-8", "backslashreplace")
    for n, body in enumerate(_raw_streams(pdf)):
        yield f"raw stream #{n}", body


def needle_forms(canary: str) -> dict[str, bytes]:
    """A canary as it could sit in a PDF: UTF-8 (or Latin-1), UTF-16BE, and hex of either."""
    utf8, utf16 = canary.encode("utf-8"), canary.encode("utf-16-be")
    return {
        "utf-8": utf8,
        "utf-16be": utf16,
        "hex": utf8.hex().encode(),
        "HEX": utf8.hex().upper().encode(),
        "hex utf-16be": utf16.hex().encode(),
        "HEX utf-16be": utf16.hex().upper().encode(),
    }


def fragments(canary: str, size: int = 4) -> set[str]:
    """The size-character pieces of a canary, for canaries unusual enough that no piece occurs by chance."""
    compact = re.sub(r"\s+", "", canary)
    return {compact[i : i + size] for i in range(len(compact) - size + 1)}


# ---------------------------------------------------------------------------------------- properties
def assert_no_canary_in_text(pdf: bytes, canaries: Iterable[str], *, fragment_canaries: Iterable[str] = ()) -> None:
    """Property 1: no canary (nor a 4-character piece of the unusual ones) in any extractor's text."""
    texts = extracted_texts(pdf)
    for name, text in texts.items():
        flat = re.sub(r"\s+", "", text).lower()
        for canary in canaries:
            assert canary.lower() not in text.lower() and re.sub(r"\s+", "", canary).lower() not in flat, (
                f"canary {canary!r} found in text extracted by {name}"
            )
        for canary in fragment_canaries:
            for piece in fragments(canary):
                assert piece.lower() not in flat, f"piece {piece!r} of canary {canary!r} found by {name}"


def assert_no_canary_in_objects(pdf: bytes, canaries: Iterable[str]) -> None:
    """Property 2: no canary in the raw bytes, any xref object, or any stream once decoded."""
    needles = {(c, form): b for c in canaries for form, b in needle_forms(c).items()}
    for where, data in haystacks(pdf):
        lowered = data.lower()
        for (canary, form), needle in needles.items():
            assert needle not in data and needle.lower() not in lowered, f"canary {canary!r} ({form}) found in {where}"


def assert_pdf_clean(pdf: bytes, canaries: Iterable[str], *, fragment_canaries: Iterable[str] = ()) -> None:
    """Every leak check at once: canaries nowhere, and the file is one revision of whitelisted structure."""
    canaries = list(canaries)
    assert_no_canary_in_text(pdf, canaries, fragment_canaries=fragment_canaries)
    assert_no_canary_in_objects(pdf, canaries)
    assert_one_revision(pdf)
    assert_structure_whitelist(pdf)
    assert_operators_whitelist(pdf)
    assert_fonts_embedded(pdf)


def assert_metadata(pdf: bytes, expected: dict[str, str]) -> None:
    """Property 3: the Info dictionary is exactly `expected`; there is no XMP stream."""
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None, "no Info dictionary"
    assert {k: str(v) for k, v in reader.metadata.items()} == expected
    assert reader.xmp_metadata is None, "the PDF carries XMP metadata"


def assert_one_revision(pdf: bytes) -> None:
    """Property 4: written once, never incrementally updated."""
    assert pdf.count(b"%%EOF") == 1, f"{pdf.count(b'%%EOF')} %%EOF markers: more than one revision"
    assert pdf.count(b"startxref") == 1, "more than one startxref: more than one revision"
    assert pdf.rstrip().endswith(b"%%EOF"), "data after %%EOF"


def _forbidden_keys(obj: object, seen: set[int]) -> Iterator[str]:
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key in FORBIDDEN_KEYS:
                yield key
            if key == "/Parent":
                continue
            yield from _forbidden_keys(value, seen)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from _forbidden_keys(value, seen)


def assert_structure_whitelist(pdf: bytes) -> None:
    """Property 5: catalog, pages and trailer hold only known keys; no outline, links, forms, scripts."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"].get_object()
    assert set(catalog.keys()) <= CATALOG_KEYS, f"catalog keys {set(catalog.keys()) - CATALOG_KEYS}"
    trailer = set(reader.trailer.keys())
    assert trailer <= TRAILER_KEYS, f"trailer keys {trailer - TRAILER_KEYS}"
    for n, page in enumerate(reader.pages, start=1):
        assert set(page.keys()) <= PAGE_KEYS, f"page {n} keys {set(page.keys()) - PAGE_KEYS}"
        resources = page["/Resources"].get_object()
        assert "/XObject" not in resources, f"page {n} has images or form XObjects"
        assert "/ExtGState" not in resources, f"page {n} has graphics states (transparency)"
    found = set(_forbidden_keys(reader.trailer, set()))
    reader_all = [reader.get_object(IndirectObject(n, g, reader)) for n, g in _object_ids(reader)]
    for obj in reader_all:
        found |= set(_forbidden_keys(obj, set()))
    assert not found, f"forbidden structure in the PDF: {sorted(found)}"


def content_operators(pdf: bytes) -> Counter:
    """How often each content-stream operator occurs, over all pages; Tr operands counted as b"Tr <mode>"."""
    reader = PdfReader(io.BytesIO(pdf))
    ops: Counter = Counter()
    for page in reader.pages:
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            ops[op] += 1
            if op == b"Tr":
                ops[b"Tr %d" % int(operands[0])] += 1
    return ops


def assert_operators_whitelist(pdf: bytes) -> None:
    """Property 6: only whitelisted operators; text render mode only ever 0 (never invisible)."""
    ops = content_operators(pdf)
    unknown = {op for op in ops if op not in OPERATORS and not op.startswith(b"Tr ")}
    assert not unknown, f"content operators outside the whitelist: {sorted(unknown)}"
    modes = {op for op in ops if op.startswith(b"Tr ")}
    assert modes <= {b"Tr 0"}, f"text render modes other than 0: {sorted(modes)}"


def assert_fonts_embedded(pdf: bytes) -> None:
    """Property 7: every font is an embedded TrueType (FontFile2) with a ToUnicode map."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts = 0
    for n, page in enumerate(reader.pages, start=1):
        for name, ref in page["/Resources"].get_object().get("/Font", {}).items():
            font = ref.get_object()
            fonts += 1
            assert font.get("/Subtype") == "/TrueType", f"page {n} font {name} is {font.get('/Subtype')}"
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"page {n} font {name} ({font['/BaseFont']}) is not embedded"
            assert "/ToUnicode" in font, f"page {n} font {name} has no ToUnicode map"
            assert "+" in str(font["/BaseFont"]), f"page {n} font {name} is not a subset"
    assert fonts, "no fonts at all"


def filled_rects(pdf: bytes, colour: tuple[float, ...] = (0, 0, 0)) -> list[tuple[int, float, float]]:
    """(page, width, height) of each rectangle filled with `colour` (the redaction boxes), rounded."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            for rect in page.rects:
                fill = rect.get("non_stroking_color")
                if rect.get("fill") and fill is not None and tuple(fill) in {colour, tuple(colour[:1])}:
                    out.append((number, round(rect["width"], 2), round(rect["height"], 2)))
    return out


def assert_same_pdf(first: bytes, second: bytes) -> None:
    """Property 9/10: byte-identical PDFs; the message says where they first differ."""
    if first == second:
        return
    at = next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), min(len(first), len(second)))
    raise AssertionError(
        f"PDFs differ: {len(first)} vs {len(second)} bytes, first difference at byte {at}: "
        f"{first[max(0, at - 20) : at + 20]!r} vs {second[max(0, at - 20) : at + 20]!r}"
    )


def ocr(image: Image.Image) -> str:
    """Tesseract's reading of an image (page segmentation 3), its words joined by single spaces."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        out = subprocess.run(["tesseract", str(path), "-", "--psm", "3"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())

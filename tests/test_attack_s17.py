"""Attack rows of session 17 (adversarial review of the original-page review and `raising-mark-in-line`).

Every row is a document of our own in which a withheld canary reaches an output. None is marked xfail:
a failing row is a leak found. Each test says what leaked where."""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
from pathlib import Path

import docx
import pdfplumber
import pypdf
import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
)
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from redactor.engine import Redactor
from redactor.render import render
from tests.conftest import FakeDetector
from tests.test_browser import app_with

W, H = letter
CANARY = "CANARY"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture(scope="module")
def engine() -> Redactor:
    return Redactor(detector=FakeDetector([]))


def outputs(engine: Redactor, data, policy: str = "public-release") -> dict[str, str]:
    rel = engine.redact(data, policy=policy, date="2026-01-15")
    text, js = render(rel, "text"), render(rel, "json")
    return {
        "text": text.decode() if isinstance(text, bytes) else text,
        "json": js.decode() if isinstance(js, bytes) else js,
    }


def assert_no_canary(out: dict[str, str], canary: str = CANARY) -> None:
    leaked = {k: v[max(0, v.find(canary) - 60) : v.find(canary) + 40] for k, v in out.items() if canary in v}
    assert not leaked, f"withheld canary {canary!r} leaked in {sorted(leaked)}: {leaked}"


# ------------------------------------------------------------------ raising-mark-in-line: text cables
US = "SECRET\n\nSUBJECT: (U) TEST\n\n1. (U) "
# Each line's canary follows a mark that raises the level in mid-line; the paragraph itself is (U).
TEXT_ROWS = {
    # The mark after a no-break space / em space: INLINE_MARK_RE only takes [ \t] before a mark.
    "nbsp-before-mark": (US + "The weather is fine.\u00a0(S) CANARY is the source.\n", "public-release"),
    "em-space-before-mark": (US + "The weather is fine\u2003(S) CANARY is the source.\n", "public-release"),
    "nbsp-before-S//NF": (US + "The weather is fine\u00a0(S//NF) CANARY is the source.\n", "public-release"),
    "nbsp-before-TS": (
        "TOP SECRET\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine\u00a0(TS) CANARY is the source.\n",
        "public-release",
    ),
    "thin-space-before-mark": (US + "The weather is fine\u2009(S) CANARY is the source.\n", "public-release"),
    "narrow-nbsp-before-mark": (US + "The weather is fine\u202f(S) CANARY is the source.\n", "public-release"),
    "ideographic-space-before-mark": (US + "The weather is fine\u3000(S) CANARY is the source.\n", "public-release"),
    "vertical-tab-before-mark": (US + "The weather is fine\x0b(S) CANARY is the source.\n", "public-release"),
    # No space at all between a word and the mark.
    "mark-glued-to-comma": (US + "The weather is fine,(S) CANARY is the source.\n", "public-release"),
    "two-marks-glued-(U)(S)": ("SECRET\n\nSUBJECT: (U) TEST\n\n1. (U)(S) CANARY is the source.\n", "public-release"),
    "em-dash-glued-before-mark": (US + "Weather \u2014(S) CANARY is the source.\n", "public-release"),
    # An opening quote or bracket right before the mark.
    "quoted-mark": (US + 'Weather "(S) CANARY" is the source.\n', "public-release"),
    "parenthesised-mark": (US + "Weather ((S) CANARY) is the source.\n", "public-release"),
    "bracketed-mark": (US + "Weather [(S) CANARY] is the source.\n", "public-release"),
    # A decimal number before (C) is taken for a classification reason `1.5 (C)`.
    "decimal-before-(C)": (US + "Growth was 2.5 (C) CANARY plans a coup.\n", "public-release"),
    # A list label (A) before (C) is taken for a reason list `(B), (C)`.
    "label-(A)-before-(C)": (US + "Option (A) (C) CANARY plans a coup.\n", "public-release"),
    # The lettered-reference exception takes any letter, also (S), not only reference letters.
    "para-before-(S)": (US + "As noted in para (S) the asset CANARY meets in Vienna.\n", "public-release"),
    "ref-before-(S)": (US + "See ref (S) CANARY is the source.\n", "public-release"),
    "subparas-before-(S)": (US + "Per subparas (S) CANARY is the source.\n", "public-release"),
    # A caveat-only raise (same level, NOFORN added) is not taken for a raise: rank only compares levels.
    "gbr-inline-NF": (
        "SECRET//NOFORN\n\nSUBJECT: (S//REL TO USA, GBR) TEST\n\n"
        "1. (S//REL TO USA, GBR) The weather is fine (S//NF) CANARY is the source.\n",
        "partner-gbr-secret",
    ),
    "uk-inline-OFFICIAL-SENSITIVE": (
        "OFFICIAL-SENSITIVE\n\nSUBJECT: (OFFICIAL) TEST\n\n"
        "1. (OFFICIAL) The weather is fine (OFFICIAL-SENSITIVE) CANARY is the source.\n",
        "uk-official",
    ),
    # Other schemes, the mark after a no-break space.
    "nato-nbsp-(NS)": (
        "NATO SECRET\n\nSUBJECT: (NU) TEST\n\n1. (NU) The weather is fine\u00a0(NS) CANARY is the source.\n",
        "nato-unclassified",
    ),
    "tlp-nbsp-(TLP:AMBER)": (
        "TLP:AMBER\n\nSUBJECT: (TLP:GREEN) TEST\n\n"
        "1. (TLP:GREEN) The weather is fine\u00a0(TLP:AMBER) CANARY is the source.\n",
        "tlp-green",
    ),
    "cui-nbsp-(CUI)": (
        "CUI\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine\u00a0(CUI) CANARY is the source.\n",
        "public-release",
    ),
}


@pytest.mark.parametrize("name", sorted(TEXT_ROWS))
def test_text_mid_line_mark_hides_no_canary(engine, name) -> None:
    doc, policy = TEXT_ROWS[name]
    assert_no_canary(outputs(engine, doc, policy))


# Damaged marks in mid-line, read as at the start of a line or paragraph (rule `damaged-mark-in-line`; more rows
# in tests/test_damaged_marks_in_line.py).
@pytest.mark.parametrize("mark", ["[S]", "[SECRET]", "(s//nf)", "(S-NF)", "(5//NF)", "(S\\\\NF)", "(NF)"])
def test_damaged_mark_in_mid_line(engine, mark) -> None:
    doc = "TOP SECRET\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine " + mark + " CANARY is the source.\n"
    assert_no_canary(outputs(engine, doc))


def test_control_damaged_mark_at_line_start_is_withheld(engine) -> None:
    """The control: the same marks starting paragraph 2 are read back or withheld (this passes)."""
    for mark in ["(S-NF)", "[S]", "[SECRET]", "(5//NF)", "(S\\\\NF)", "(s//nf)", "(NF)"]:
        doc = "TOP SECRET\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine.\n\n2. " + mark + " CANARY is it.\n"
        assert_no_canary(outputs(engine, doc))


def test_text_control_a_spaced_mid_line_mark_is_split(engine) -> None:
    """The control: with a plain space the same line is split and the canary withheld (this passes)."""
    assert_no_canary(outputs(engine, US + "The weather is fine (S) CANARY is the source.\n"))


def test_html_mark_in_bold_right_after_a_word(engine) -> None:
    """`fine<b>(S)</b> CANARY`: the tag leaves no space before the mark."""
    html = (
        "<html><body><p>SECRET</p><p>SUBJECT: (U) TEST</p>"
        "<p>1. (U) The weather is fine<b>(S)</b> CANARY is the source.</p></body></html>"
    )
    assert_no_canary(outputs(engine, html.encode()))


@pytest.mark.parametrize("between", ["&thinsp;", "&#8239;", "&ensp;", "</span><span>", "<wbr>"])
def test_html_mark_after_an_unusual_separator(engine, between) -> None:
    html = (
        "<html><body><p>SECRET</p><p>SUBJECT: (U) TEST</p>"
        f"<p>1. (U) The weather is <span>fine{between}(S) CANARY</span> is the source.</p></body></html>"
    )
    assert_no_canary(outputs(engine, html.encode()))


def test_docx_mark_after_a_no_break_space(engine) -> None:
    d = docx.Document()
    for line in ["SECRET", "SUBJECT: (U) TEST", "1. (U) The weather is fine\u00a0(S) CANARY is the source."]:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    assert_no_canary(outputs(engine, buf.getvalue()))


def test_docx_decimal_before_C(engine) -> None:
    d = docx.Document()
    for line in ["SECRET", "SUBJECT: (U) TEST", "1. (U) Growth was 2.5 (C) CANARY plans a coup."]:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    assert_no_canary(outputs(engine, buf.getvalue()))


# ------------------------------------------------------------- header fields: a raising mark is ignored
# The header lines (SUBJECT, TAGS, REF) and the authority block are released with a raising mark inside
# them, the disposition even reads RELEASE IN FULL; `REF: (S) ...` is released though its own mark is (S).
HEADER_ROWS = {
    "subject-mid-line-(S)": "SECRET\n\nSUBJECT: (U) TEST (S) CANARY PLAN\n\n1. (U) Hello there.\n",
    "tags-mid-line-(S)": "SECRET\n\nSUBJECT: (U) TEST\nTAGS: PREL (S) CANARY\n\n1. (U) Hello there.\n",
    "ref-marked-(S)": "SECRET\n\nSUBJECT: (U) TEST\n\nREF: (S) CANARY PLAN\n\n1. (U) Hello there.\n",
    "ref-item-mid-line-(S)": "SECRET\nSUBJECT: (U) TEST\nREF: A. STATE 1234 (S) CANARY PLAN\n\n1. (U) Hello there.\n",
    "refs-paren-item-(S)": (
        "SECRET\n\nSUBJECT: (U) TEST\n\nREFS: A) STATE 1234 (S) CANARY PLAN\n\n1. (U) Hello there.\n"
    ),
    "classified-by-(S)": "SECRET\n\nSUBJECT: (U) TEST\n\n1. (U) Hello there.\n\nClassified By: J. Doe (S) CANARY\n",
}


@pytest.mark.parametrize("name", sorted(HEADER_ROWS))
def test_header_line_with_a_raising_mark_hides_no_canary(engine, name) -> None:
    assert_no_canary(outputs(engine, HEADER_ROWS[name]))


def test_control_ref_list_item_on_its_own_line_is_withheld(engine) -> None:
    """The control: a REF item with its own (S) on its own line is withheld (this passes)."""
    doc = "SECRET\nSUBJECT: (U) TEST\nREF: A. STATE 1234\nB. (S) CANARY PLAN\n\n1. (U) Hello there.\n"
    assert_no_canary(outputs(engine, doc))


def test_in_text_ref_before_S_in_parentheses(engine) -> None:
    assert_no_canary(outputs(engine, US + "Hello there (Ref (S)) CANARY PLAN\n"))


# ------------------------------------------------------------------------------------ PDF helpers
def ocr(image: Image.Image) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        out = subprocess.run(["tesseract", str(path), "-", "--psm", "3"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def make_pdf(build) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    build(c)
    c.save()
    return buf.getvalue()


def original_outputs(engine: Redactor, pdf: bytes) -> dict[str, str]:
    """Every output of an original-layout release: text, JSON, the PDF's text layer and bytes, OCR of the
    page images."""
    rel = engine.redact(pdf, layout="original", date="2026-01-15")
    out = {"text": rel.text, "json": json.dumps(rel.to_dict())}
    released = render(rel, "pdf", "original")
    with pdfplumber.open(io.BytesIO(released)) as d:
        out["pdf text layer"] = " ".join((p.extract_text() or "") for p in d.pages)
    out["pdf bytes"] = released.decode("latin1")
    out["OCR of page images"] = " ".join(ocr(p.image) for p in rel.pages)
    return out


def banner(c, font: str = "Helvetica") -> None:
    c.setFont(font, 10)
    c.drawCentredString(W / 2, H - 40, "SECRET")
    c.drawCentredString(W / 2, 30, "SECRET")


# ------------------------------------------------------------------------------- original-page PDFs
def test_pdf_decimal_before_C_on_the_original_pages(engine) -> None:
    def build(c):
        banner(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "SUBJECT: (U) Quarterly review of the northern program")
        c.drawString(72, 650, "1. (U) Growth was 2.5 (C) CANARY plans a coup.")

    assert_no_canary(original_outputs(engine, make_pdf(build)))


@pytest.mark.parametrize("gap", [0.0, 2.0])
def test_pdf_mark_drawn_as_its_own_run_a_thin_gap_after_a_word(engine, gap) -> None:
    """`fine` and `(S) ZEBRAFISH ...` drawn as two runs, 2 pt apart (a thin space to the eye): the reader
    joins them without a space, `fine(S)`, and the raising mark is missed: text, JSON, text layer, image."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def build(c):
        banner(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "SUBJECT: (U) Quarterly review of the northern program")
        first = "1. (U) The weather is fine"
        c.drawString(72, 650, first)
        c.drawString(72 + stringWidth(first, "Helvetica", 11) + gap, 650, "(S) ZEBRAFISH is the source.")
        c.drawString(72, 620, "2. (U) The meeting closed at noon with no decisions.")

    assert_no_canary(original_outputs(engine, make_pdf(build)), "ZEBRAFISH")


# ---------------------------------------------- glyphs drawn away from the reader's character boxes
# The page image is pdfium's rendering; the boxes are the reader's (pdfminer). Each row draws the withheld
# paragraph (or a masked name) so that the two may disagree on where its glyphs are.
MEMO = [
    "SUBJECT: (U) Quarterly review of the northern program",
    "",
    "1. (U) The review was held.",
    "2. (S) ZEBRAFISH KUMQUAT ZEBRAFISH KUMQUAT",
    "3. (U) The meeting closed at noon with no decisions today.",
    "4. (U) The meeting closed at noon with no decisions today.",
]


def patched_fonts(pdf: bytes, patch) -> bytes:
    """The PDF with `patch(font, descriptor)` applied to every font of every page (descriptor may be None)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", []):
                patch(font, desc.get_object()["/FontDescriptor"].get_object())
            patch(font, font["/FontDescriptor"].get_object() if "/FontDescriptor" in font else None)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def patched_descent(pdf: bytes, descent: int) -> bytes:
    """The PDF with every embedded font's FontDescriptor /Descent set to `descent`: pdfminer then places each
    character box a line away from where pdfium draws the glyph."""

    def patch(font, desc):
        if desc is not None:
            desc[NameObject("/Descent")] = NumberObject(descent)

    return patched_fonts(pdf, patch)


def patched_pages(pdf: bytes, **entries) -> bytes:
    """The PDF with `entries` (page dictionary keys without the slash) set on every page."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        for key, value in entries.items():
            page[NameObject("/" + key)] = value
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def memo(lines: list[str], head=None, draw=None) -> bytes:
    """A memo in embedded DejaVu, one line every 14 points from the top, after `head` (the banner). A line
    is drawn by `draw(c, x, y, text)` when given, else as a plain string."""
    pdfmetrics.registerFont(TTFont("DV", DEJAVU))

    def build(c):
        (head or (lambda c: banner(c, "DV")))(c)
        c.setFont("DV", 11)
        for i, t in enumerate(lines):
            if draw is not None and "ZEBRAFISH" in t:
                draw(c, 72, 700 - 14 * i, t)
            else:
                c.drawString(72, 700 - 14 * i, t)

    return make_pdf(build)


@pytest.mark.parametrize("descent", [1270, -1270])
def test_font_descent_shifts_char_boxes_off_the_glyphs(engine, descent) -> None:
    """The withheld paragraph's box was burned over the next (released) line and its own glyphs sat in the
    released line's kept region above."""
    assert_no_canary(original_outputs(engine, patched_descent(memo(MEMO), descent)), "ZEBRAFISH")


def test_font_descent_unmasks_a_personal_name_on_the_page_image() -> None:
    """The same patch on an UNCLASSIFIED memo: the B6 box over `Alder Quint` was burned a line low and the
    name's glyphs stayed in the kept region of the line above (OCR of the page image)."""

    def unclassified(c):
        c.setFont("DV", 10)
        c.drawCentredString(W / 2, H - 40, "UNCLASSIFIED")

    pdf = memo(
        [
            "SUBJECT: (U) Quarterly review of the northern program",
            "",
            "1. (U) The review was held in the main conference room today.",
            "2. (U) The chair was Alder Quint, who spoke first.",
            "3. (U) The meeting closed at noon with no decisions today.",
            "4. (U) The meeting closed at noon with no decisions today.",
        ],
        unclassified,
    )
    out = original_outputs(Redactor(detector=FakeDetector(["Alder Quint"])), patched_descent(pdf, 1270))
    assert "[B6]" in out["text"]
    assert_no_canary(out, "Quint")


def _text(c, x, y, t, *, rise=0.0, scale=100.0, matrix=None, mode=0):
    """One line drawn with a text rise, a horizontal scaling, a text matrix or a render mode."""
    obj = c.beginText()
    if matrix is not None:
        obj.setTextTransform(*matrix[:4], x + matrix[4], y + matrix[5])
    else:
        obj.setTextOrigin(x, y)
    obj.setFont("DV", 11)
    obj.setRise(rise)
    obj.setHorizScale(scale)
    obj.setTextRenderMode(mode)
    obj.textOut(t)
    c.drawText(obj)


def _clip_text(c, x, y, t):
    """The line drawn in render mode 7 (adds the glyphs to the clip, paints nothing), then a fill through
    that clip: the glyphs show though no text is painted."""
    c.saveState()
    _text(c, x, y, t, mode=7)
    c.rect(x - 2, y - 4, 460, 14, stroke=0, fill=1)
    c.restoreState()


def _pdf_dict(**entries) -> DictionaryObject:
    return DictionaryObject({NameObject("/" + k): v for k, v in entries.items()})


def _numbers(*values: float) -> ArrayObject:
    return ArrayObject([FloatObject(v) for v in values])


def _type3_drawn_above(pdf: bytes) -> bytes:
    """The withheld line's font replaced by a Type 3 font whose glyph procedures draw each letter (in
    Helvetica) 1.3 em above the glyph's origin: the reader's boxes stay on the line (its FontBBox), the
    letters stand on the released line above."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    helvetica = writer._add_object(
        _pdf_dict(Type=NameObject("/Font"), Subtype=NameObject("/Type1"), BaseFont=NameObject("/Helvetica"))
    )
    procs, differences = DictionaryObject(), ArrayObject([NumberObject(32)])
    for code in range(32, 127):
        literal = chr(code).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        proc = DecodedStreamObject()
        proc.set_data(f"600 0 d0 BT /H 1000 Tf 0 1300 Td ({literal}) Tj ET".encode())
        procs[NameObject(f"/g{code}")] = writer._add_object(proc)
        differences.append(NameObject(f"/g{code}"))
    font = _pdf_dict(
        Type=NameObject("/Font"),
        Subtype=NameObject("/Type3"),
        FontBBox=_numbers(0, -200, 1000, 900),
        FontMatrix=_numbers(0.001, 0, 0, 0.001, 0, 0),
        CharProcs=procs,
        Encoding=_pdf_dict(Type=NameObject("/Encoding"), Differences=differences),
        FirstChar=NumberObject(32),
        LastChar=NumberObject(126),
        Widths=ArrayObject([NumberObject(600)] * 95),
        Resources=_pdf_dict(Font=_pdf_dict(H=helvetica)),
    )
    page = writer.pages[0]
    page["/Resources"]["/Font"].get_object()[NameObject("/T3")] = writer._add_object(font)
    data = page.get_contents().get_data()
    line = b"/F2+0 11 Tf 13.2 TL (2. \\(S\\) ZEBRAFISH"
    assert line in data
    contents = DecodedStreamObject()
    contents.set_data(data.replace(line, line.replace(b"/F2+0", b"/T3")))
    page[NameObject("/Contents")] = writer._add_object(contents)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _turned(pdf: bytes) -> bytes:
    """The page laid on its side (a landscape MediaBox, its content turned a quarter) and shown upright again
    by /Rotate 90, as a scanner or a landscape template does."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    contents = DecodedStreamObject()
    contents.set_data(b"0 1 -1 0 792 0 cm\n" + page.get_contents().get_data())
    page[NameObject("/Contents")] = writer._add_object(contents)
    page[NameObject("/MediaBox")] = RectangleObject([0, 0, 792, 612])
    page[NameObject("/Rotate")] = NumberObject(90)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# Each row: how the memo is drawn, and how the PDF is patched after.
DRAWN_AWAY = {
    # Text state: the reader computes each of these into its boxes, pdfium draws them.
    "text-rise-a-line-up": (lambda c, x, y, t: _text(c, x, y, t, rise=14), None),
    "horizontal-scaling-300": (lambda c, x, y, t: _text(c, x, y, t, scale=300), None),
    "skewed-text-matrix": (lambda c, x, y, t: _text(c, x, y, t, matrix=(1, 0, 1.2, 1, 0, 0)), None),
    "rotated-text-matrix": (lambda c, x, y, t: _text(c, x, y, t, matrix=(-1, 0, 0, -1, 400, 10)), None),
    "clip-render-mode-then-fill": (_clip_text, None),
    # Font programs and dictionaries: what the reader takes from the dictionaries, pdfium from the font.
    "font-bbox-patched": (
        None,
        lambda pdf: patched_fonts(
            pdf,
            lambda f, d: (
                d is not None
                and d.__setitem__(
                    NameObject("/FontBBox"), ArrayObject([NumberObject(v) for v in (0, 1300, 1000, 2300)])
                )
            ),
        ),
    ),
    "widths-patched-to-zero": (
        None,
        lambda pdf: patched_fonts(
            pdf,
            lambda f, d: (
                "/Widths" in f
                and f.__setitem__(NameObject("/Widths"), ArrayObject([NumberObject(0)] * len(f["/Widths"])))
            ),
        ),
    ),
    "descent-and-ascent-patched": (
        None,
        lambda pdf: patched_fonts(
            pdf,
            lambda f, d: (
                d is not None
                and (
                    d.__setitem__(NameObject("/Descent"), NumberObject(1270)),
                    d.__setitem__(NameObject("/Ascent"), NumberObject(2300)),
                )
            ),
        ),
    ),
    "type3-letters-drawn-above-their-boxes": (None, _type3_drawn_above),
    # Page geometry: the boxes and the image must be mapped alike.
    "rotated-page": (None, _turned),
    "page-cropped-off-origin": (None, lambda pdf: patched_pages(pdf, CropBox=RectangleObject([40, 30, 580, 770]))),
    "media-box-off-origin": (None, lambda pdf: patched_pages(pdf, MediaBox=RectangleObject([-50, -60, 612, 792]))),
    "descent-on-a-rotated-page": (None, lambda pdf: _turned(patched_descent(pdf, 1270))),
    "descent-on-a-page-cropped-off-origin": (
        None,
        lambda pdf: patched_pages(patched_descent(pdf, 1270), CropBox=RectangleObject([40, 30, 580, 770])),
    ),
    "descent-on-a-media-box-off-origin": (
        None,
        lambda pdf: patched_pages(patched_descent(pdf, 1270), MediaBox=RectangleObject([-50, -60, 612, 792])),
    ),
    "descent-on-a-page-with-a-user-unit": (
        None,
        lambda pdf: patched_pages(patched_descent(pdf, 1270), UserUnit=FloatObject(2.5)),
    ),
}


@pytest.mark.parametrize("name", sorted(DRAWN_AWAY))
def test_glyphs_drawn_away_from_the_reader_boxes(engine, name) -> None:
    draw, patch = DRAWN_AWAY[name]
    pdf = memo(MEMO, draw=draw)
    out = original_outputs(engine, patch(pdf) if patch else pdf)
    assert "northern program" in out["text"]  # the released text is still released
    if not name.startswith(("descent", "widths")):  # those move every line off the reader's boxes: all blank
        assert "Quarterly review" in out["OCR of page images"]  # released glyphs drawn where read are shown
    assert_no_canary(out, "ZEBRAFISH")
    assert_no_canary(out, "KUMQUAT")


# ----------------------------------------------------------------------------------- what held (controls)
@pytest.mark.parametrize("page", ["as-drawn", "media-box-off-origin", "turned"])
def test_image_of_text_inside_a_released_portions_region(engine, page) -> None:
    """An image of text (unmarked, in a SECRET document: withheld) placed to the right of a released
    paragraph's short line lies inside the paragraph's kept region, which reaches the right margin: its
    pixels are copied into the release page. README: "an image of text ... never reaches the release"."""
    im = Image.new("L", (600, 60), 255)
    ImageDraw.Draw(im).text((5, 5), "PANGOLIN", fill=0, font=ImageFont.truetype(DEJAVU, 40))

    def build(c):
        banner(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "SUBJECT: (U) Quarterly review of the northern program")
        c.drawString(72, 650, "1. (U) The review was held in the main conference room and it was a long")
        c.drawString(72, 636, "meeting that went on.")
        c.drawImage(ImageReader(im), 300, 630, width=150, height=15)
        c.drawString(72, 622, "And on into the day.")
        c.drawString(72, 590, "2. (S) The source ZEBRAFISH reported on the KUMQUAT facility.")

    pdf = make_pdf(build)
    if page == "media-box-off-origin":  # pdfium's image bounds are in page space, the reader's boxes are not
        pdf = patched_pages(pdf, MediaBox=RectangleObject([-50, -60, 612, 792]))
    elif page == "turned":
        pdf = _turned(pdf)
    out = original_outputs(engine, pdf)
    assert "conference" in out["OCR of page images"]  # control: OCR reads the released text
    assert_no_canary(out, "PANGOLIN")
    assert_no_canary(out, "ZEBRAFISH")


def test_control_mask_region_weird_values_are_4xx(engine) -> None:
    """Held: NaN/Infinity, page 0/999/1e30/1.0, zero-area, dict/nested boxes, bad codes are all 422."""

    def build(c):
        banner(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "SUBJECT: (U) Quarterly review of the northern program")
        c.drawString(72, 650, "1. (U) The review was held in the main conference room.")
        c.drawString(72, 620, "2. (S) The source ZEBRAFISH reported on the KUMQUAT facility.")

    pdf = make_pdf(build)
    fp = engine.redact(pdf, layout="original", date="2026-01-15").fingerprint
    client = app_with(engine).test_client()

    def reg(box, page=1):
        item = {"action": "mask_region", "page": page, "box": box, "justification": "j"}
        return json.dumps({"fingerprint": fp, "reviewer": "J", "overrides": [item]})

    bad = [
        reg([1, 1, 50, 50]).replace("[1, 1, 50, 50]", "[NaN, 1, 50, 50]"),
        reg([1, 1, 50, 50]).replace("[1, 1, 50, 50]", "[Infinity, 1, 50, 50]"),
        reg([1, 1, 50, 50], 0),
        reg([1, 1, 50, 50], 999),
        reg([1, 1, 50, 50], 10**30),
        reg([1, 1, 50, 50], 1.0),
        reg([5, 5, 5, 5]),
        reg({"a": 1}),
        reg([[1], [2], [3], [4]]),
    ]
    for overrides in bad:
        for fmt in ("json", "pdf"):
            resp = client.post(
                "/v1/redact?include=pages",
                data={"file": (io.BytesIO(pdf), "m.pdf"), "format": fmt, "overrides": overrides},
            )
            assert resp.status_code == 422, overrides
            assert b"ZEBRAFISH" not in resp.data


# ------------------------------------------------------------------- hostile page boxes: 500, not 4xx
def _boxed_pdf(key: str, rect: list[float]) -> bytes:
    from pypdf.generic import RectangleObject

    def build(c):
        banner(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "SUBJECT: (U) Quarterly review of the northern program")
        c.drawString(72, 650, "1. (U) The review was held in the main conference room.")
        c.drawString(72, 620, "2. (S) The source ZEBRAFISH reported.")

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf(build))))
    for page in writer.pages:
        page[NameObject(key)] = RectangleObject(rect)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("key", "rect"),
    [
        ("/CropBox", [100, 100, 100, 100]),  # zero-area crop: ZeroDivisionError in original._burn
        ("/MediaBox", [0, 0, 0, 0]),  # zero-area media box: the same
        ("/CropBox", [5000, 5000, 5600, 5700]),  # crop outside the media box: pypdfium2 ValueError
    ],
)
def test_hostile_page_box_on_the_original_layout_is_a_4xx(engine, key, rect) -> None:
    """The typeset release of these files works; layout=original / include=pages answers 500."""
    pdf = _boxed_pdf(key, rect)
    client = app_with(engine).test_client()
    for fmt, query in (("json", "?include=pages"), ("pdf", "")):
        resp = client.post(
            "/v1/redact" + query, data={"file": (io.BytesIO(pdf), "m.pdf"), "format": fmt, "layout": "original"}
        )
        assert b"ZEBRAFISH" not in resp.data
        assert 400 <= resp.status_code < 500, (fmt, resp.status_code)

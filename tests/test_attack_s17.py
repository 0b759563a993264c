"""Attack rows of session 17 (adversarial review of the original-page review and `raising-mark-in-line`).

Every row is a document of our own in which a withheld canary reaches an output. None is marked xfail:
a failing row is a leak found. Each test says what leaked where."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pdfplumber
import pypdf
import pytest
from fixtures_docs import docx_of
from pdf_checks import ocr
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
    assert_no_canary(
        outputs(
            engine,
            docx_of(["SECRET", "SUBJECT: (U) TEST", "1. (U) The weather is fine\u00a0(S) CANARY is the source."]),
        )
    )


def test_docx_decimal_before_C(engine) -> None:
    assert_no_canary(
        outputs(engine, docx_of(["SECRET", "SUBJECT: (U) TEST", "1. (U) Growth was 2.5 (C) CANARY plans a coup."]))
    )


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
def make_pdf(build) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    build(c)
    c.save()
    return buf.getvalue()


def lines_pdf(banner: str, lines: list[str]) -> bytes:
    """A one-page text PDF: the banner centred at the top, then the lines from the top of the body down."""

    def build(c) -> None:
        c.setFont("Helvetica", 10)
        c.drawCentredString(W / 2, H - 40, banner)
        c.setFont("Helvetica", 11)
        for i, line in enumerate(lines):
            c.drawString(72, 700 - 14 * i, line)

    return make_pdf(build)


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
    font = _type3_font(
        writer, lambda code: (600, f"600 0 d0 BT /H 1000 Tf 0 1300 Td ({_literal(chr(code))}) Tj ET".encode())
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


# ------------------------------------------------- session 18: ink that is no text pdfium reads as text
# Each row draws the canary ZEBRAFISH (or a masked name) into the kept region of a released paragraph: to
# the right of its short line `meeting that went on.`, which the paragraph's region reaches (it runs to the
# right margin). Nothing released is drawn there, so the page image must be white there (pixel check) and
# OCR must not read the canary anywhere.
S18_SPOT = (195.0, 623.0, 480.0, 646.0)  # the attack's ink, in page space (inside the kept region)
S18_PIXELS = {  # 5x7 bitmaps of the canary's letters, for the rows built of rectangles or triangles
    "Z": ["11111", "00001", "00010", "00100", "01000", "10000", "11111"],
    "E": ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
    "B": ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
    "R": ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "F": ["11111", "10000", "10000", "11110", "10000", "10000", "10000"],
    "I": ["01110", "00100", "00100", "00100", "00100", "00100", "01110"],
    "S": ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
    "H": ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
}


def s18_memo(extra=None, patch=None, short: str = "meeting that went on.") -> bytes:
    """The memo of the image row: a released paragraph with a short line (`short`), a withheld one. `extra(c)`
    draws the attack; `patch(writer, page)` edits the written file (pypdf) after."""

    def build(c):
        banner(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "SUBJECT: (U) Quarterly review of the northern program")
        c.drawString(72, 650, "1. (U) The review was held in the main conference room and it was a long")
        c.drawString(72, 636, short)
        c.drawString(72, 622, "And on into the day.")
        c.drawString(72, 590, "2. (S) The source KUMQUAT reported on the facility.")
        if extra is not None:
            extra(c)

    pdf = make_pdf(build)
    if patch is None:
        return pdf
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    patch(writer, writer.pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _outlines(word: str, font: str = "Helvetica-Bold") -> list[tuple[float, list[tuple[int, float, float, bool]]]]:
    """Each letter's advance (in 1/1000 em) and outline (pdfium's segments: 2 move, 0 line, 1 curve; in em)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    def build(c):
        c.setFont(font, 10)
        c.drawString(10, 10, word)

    doc = pdfium.PdfDocument(make_pdf(build))
    page = doc[0]
    font_handle = pdfium_c.FPDFTextObj_GetFont(next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]))).raw)
    out = []
    for ch in word:
        path = pdfium_c.FPDFFont_GetGlyphPath(font_handle, ord(ch), ctypes.c_float(1000))
        segments = []
        for i in range(pdfium_c.FPDFGlyphPath_CountGlyphSegments(path)):
            seg = pdfium_c.FPDFGlyphPath_GetGlyphPathSegment(path, i)
            x, y = ctypes.c_float(), ctypes.c_float()
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            segments.append(
                (pdfium_c.FPDFPathSegment_GetType(seg), x.value, y.value, bool(pdfium_c.FPDFPathSegment_GetClose(seg)))
            )
        width = ctypes.c_float()
        pdfium_c.FPDFFont_GetGlyphWidth(font_handle, ord(ch), ctypes.c_float(1000), width)
        out.append((width.value, segments))
    page.close()
    doc.close()
    return out


def _outline_ops(word: str, x: float, y: float, size: float) -> str:
    """Content-stream path operators that draw `word`'s letters as outlines (no text object), unpainted."""
    ops, pen = [], x
    for width, segments in _outlines(word):
        curve: list[str] = []
        for kind, sx, sy, close in segments:
            pt = f"{pen + sx * size:.2f} {y + sy * size:.2f}"
            if kind == 2:
                ops.append(pt + " m")
            elif kind == 0:
                ops.append(pt + " l")
            else:
                curve.append(pt)
                if len(curve) == 3:
                    ops.append(" ".join(curve) + " c")
                    curve = []
            if close:
                ops.append("h")
        pen += width / 1000 * size
    return "\n".join(ops)


def _pixel_rects(word: str, x: float, y: float, px: float) -> list[tuple[float, float, float, float]]:
    """The canary's 5x7 letters as rectangles of `px` points (x, y, w, h)."""
    out = []
    for n, ch in enumerate(word):
        for row, bits in enumerate(S18_PIXELS[ch]):
            for col, bit in enumerate(bits):
                if bit == "1":
                    out.append((x + n * 6 * px + col * px, y + (6 - row) * px, px, px))
    return out


def _raw(c, ops: str) -> None:
    c._code.append(ops)  # reportlab's page content, as is


def _append_content(writer, page, ops: bytes) -> None:
    contents = DecodedStreamObject()
    contents.set_data(page.get_contents().get_data() + b"\n" + ops)
    page[NameObject("/Contents")] = writer._add_object(contents)


def _resource(page, kind: str, name: str, ref) -> None:
    resources = page["/Resources"].get_object()
    if NameObject(kind) not in resources:
        resources[NameObject(kind)] = DictionaryObject()
    resources[NameObject(kind)].get_object()[NameObject(name)] = ref


def _form(writer, ops: bytes, bbox=(0, 0, 612, 792), resources=None, **entries):
    form = DecodedStreamObject()
    form.set_data(ops)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): _numbers(*bbox),
            NameObject("/Resources"): resources if resources is not None else DictionaryObject(),
        }
    )
    for k, v in entries.items():
        form[NameObject("/" + k)] = v
    return writer._add_object(form)


def _helvetica(writer):
    return writer._add_object(
        _pdf_dict(Type=NameObject("/Font"), Subtype=NameObject("/Type1"), BaseFont=NameObject("/Helvetica-Bold"))
    )


def _s18_vector_fill(c):
    _raw(c, "q 0 g " + _outline_ops("ZEBRAFISH", 200, 634, 11) + " f Q")


def _s18_vector_stroke(c):
    _raw(c, "q 0 G 0.8 w " + _outline_ops("ZEBRAFISH", 200, 634, 11) + " S Q")


def _s18_vector_in_margin(c):  # control: outside every kept region
    _raw(c, "q 0 g " + _outline_ops("ZEBRAFISH", 20, 400, 14) + " f Q")


def _s18_knockout(c):
    _raw(c, f"q 0 g 196 632 130 13 re f 1 g {_outline_ops('ZEBRAFISH', 200, 634, 11)} f Q")


def _s18_pixel_rects(c):
    _raw(
        c,
        "q 0 g "
        + " ".join(f"{x:.2f} {y:.2f} {w} {h} re f" for x, y, w, h in _pixel_rects("ZEBRAFISH", 200, 633, 1.5))
        + " Q",
    )


def _s18_pixel_rect_knockout(c):
    rects = " ".join(f"{x:.2f} {y:.2f} {w} {h} re" for x, y, w, h in _pixel_rects("ZEBRAFISH", 200, 633, 1.5))
    _raw(c, f"q 0 g 196 632 88 13 re f 1 g {rects} f Q")


def _s18_pattern(writer, page):
    """A tiling pattern whose cell is the word (text in the cell), filling a plain rectangle."""
    cell = DecodedStreamObject()
    cell.set_data(b"BT /H 11 Tf 0 g 2 2 Td (ZEBRAFISH) Tj ET")
    cell.update(
        {
            NameObject("/Type"): NameObject("/Pattern"),
            NameObject("/PatternType"): NumberObject(1),
            NameObject("/PaintType"): NumberObject(1),
            NameObject("/TilingType"): NumberObject(1),
            NameObject("/BBox"): _numbers(0, 0, 130, 12),
            NameObject("/XStep"): NumberObject(130),
            NameObject("/YStep"): NumberObject(12),
            NameObject("/Matrix"): _numbers(1, 0, 0, 1, 200, 632),
            NameObject("/Resources"): _pdf_dict(Font=_pdf_dict(H=_helvetica(writer))),
        }
    )
    _resource(page, "/Pattern", "/P18", writer._add_object(cell))
    _append_content(writer, page, b"q /Pattern cs /P18 scn 200 632 130 12 re f Q")


def _s18_shading(writer, page):
    """A free-form (type 4) shading of one colour whose triangles are the letters' pixels."""
    import struct

    data = b""
    for x, y, w, h in _pixel_rects("ZEBRAFISH", 200, 633, 1.5):
        for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y), (x + w, y + h), (x, y + h)):
            data += struct.pack(">BHHB", 0, int(px * 100), int(py * 100), 0)
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update(
        {
            NameObject("/ShadingType"): NumberObject(4),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerCoordinate"): NumberObject(16),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/BitsPerFlag"): NumberObject(8),
            NameObject("/Decode"): _numbers(0, 655.35, 0, 655.35, 0, 1),
        }
    )
    _resource(page, "/Shading", "/Sh18", writer._add_object(stream))
    _append_content(writer, page, b"q 196 632 130 12 re W n /Sh18 sh Q")


def _s18_soft_mask(writer, page):
    """A black rectangle painted through a luminosity soft mask whose group draws the word in white on black."""
    group = _form(
        writer,
        b"0 g 0 0 612 792 re f BT /H 11 Tf 1 g 200 634 Td (ZEBRAFISH) Tj ET",
        resources=_pdf_dict(Font=_pdf_dict(H=_helvetica(writer))),
        Group=_pdf_dict(S=NameObject("/Transparency"), CS=NameObject("/DeviceGray")),
    )
    gs = _pdf_dict(Type=NameObject("/ExtGState"), SMask=_pdf_dict(S=NameObject("/Luminosity"), G=group))
    _resource(page, "/ExtGState", "/GS18", writer._add_object(gs))
    _append_content(writer, page, b"q /GS18 gs 0 g 196 632 130 13 re f Q")


def _s18_word_image(width=130, height=12):
    im = Image.new("L", (width * 4, height * 4), 255)
    ImageDraw.Draw(im).text((4, 2), "ZEBRAFISH", fill=0, font=ImageFont.truetype(DEJAVU, 36))
    return im


def _s18_inline_image(c):
    c.drawInlineImage(_s18_word_image(), 200, 633, width=130, height=12)


def _s18_image_in_moved_form(writer, page):
    """The image of the word inside a form XObject, drawn by a form whose /Matrix and a `cm` move it: the
    image's bounds in its form's space are not where it lands on the page."""
    im = _s18_word_image().convert("L")
    image = DecodedStreamObject()
    image.set_data(im.tobytes())
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(im.width),
            NameObject("/Height"): NumberObject(im.height),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(8),
        }
    )
    inner = _form(
        writer,
        b"q 130 0 0 12 0 0 cm /Im Do Q",
        bbox=(0, 0, 130, 12),
        resources=_pdf_dict(XObject=_pdf_dict(Im=writer._add_object(image))),
        Matrix=_numbers(1, 0, 0, 1, 0, 33),
    )
    outer = _form(
        writer, b"/In Do", resources=_pdf_dict(XObject=_pdf_dict(In=inner)), Matrix=_numbers(1, 0, 0, 1, 100, 300)
    )
    _resource(page, "/XObject", "/Out18", outer)
    _append_content(writer, page, b"q 1 0 0 1 100 300 cm /Out18 Do Q")


def _s18_vector_in_moved_form(writer, page):
    """The outlines inside a form drawn twice: once in the margin (outside every region), once moved into the
    released paragraph's region by the form's /Matrix and a `cm`."""
    form = _form(
        writer, b"0 g " + _outline_ops("ZEBRAFISH", 0, 0, 11).encode() + b" f", Matrix=_numbers(1, 0, 0, 1, 10, 0)
    )
    _resource(page, "/XObject", "/V18", form)
    _append_content(writer, page, b"q 1 0 0 1 10 200 cm /V18 Do Q q 1 0 0 1 190 634 cm /V18 Do Q")


def _s18_annotation(subtype: str):
    def patch(writer, page):
        ap = _form(
            writer,
            b"BT /H 11 Tf 0 g 2 2 Td (ZEBRAFISH) Tj ET",
            bbox=(0, 0, 130, 12),
            resources=_pdf_dict(Font=_pdf_dict(H=_helvetica(writer))),
        )
        annot = _pdf_dict(
            Type=NameObject("/Annot"),
            Subtype=NameObject("/" + subtype),
            Rect=_numbers(200, 632, 330, 644),
            F=NumberObject(4),
            AP=_pdf_dict(N=ap),
        )
        if subtype == "Widget":
            annot[NameObject("/FT")] = NameObject("/Tx")
            annot[NameObject("/T")] = pypdf.generic.TextStringObject("f")
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])

    return patch


def _s18_ocg_off(writer, page):
    """The word in a text object of an optional-content group that is off by default."""
    ocg = writer._add_object(_pdf_dict(Type=NameObject("/OCG"), Name=pypdf.generic.TextStringObject("L")))
    writer._root_object[NameObject("/OCProperties")] = _pdf_dict(
        OCGs=ArrayObject([ocg]), D=_pdf_dict(OFF=ArrayObject([ocg]), ON=ArrayObject())
    )
    _resource(page, "/Properties", "/oc1", ocg)
    _resource(page, "/Font", "/H18", _helvetica(writer))
    _append_content(writer, page, b"/OC /oc1 BDC BT /H18 11 Tf 200 634 Td (ZEBRAFISH) Tj ET EMC")


def _s18_type3_d1_empty(writer, page):
    """A Type 3 font whose glyphs declare an empty box (`d1` 0 0 0 0) and draw the word: pdfium's tight box
    of each character is empty. Drawn in the withheld paragraph's line, 1.3 em above (on the released line)."""
    font = _type3_font(
        writer,
        lambda code: (600, f"600 0 0 0 0 0 d1 BT /H 1000 Tf 0 4000 Td ({_literal(chr(code))}) Tj ET".encode()),
        bbox=(0, 0, 0, 0),
    )
    _resource(page, "/Font", "/T18", writer._add_object(font))
    # the withheld paragraph's own line, at y 590; its glyphs land 41 pt higher (y 631: the kept short line)
    _append_content(writer, page, b"BT /T18 11 Tf 200 590 Td (ZEBRAFISH) Tj ET")


def _s18_tiny(c):
    c.setFont("Helvetica", 0.5)
    c.drawString(200, 638, "ZEBRAFISH ZEBRAFISH ZEBRAFISH")


def _s18_invisible(c):
    _text_mode = c.beginText()
    _text_mode.setTextOrigin(200, 634)
    _text_mode.setFont("Helvetica", 11)
    _text_mode.setTextRenderMode(3)
    _text_mode.textOut("ZEBRAFISH")
    c.drawText(_text_mode)


def _s18_invisible_over_outlines(c):
    """The word in render mode 3 (read as hidden) on top of its own outlines."""
    _s18_invisible(c)
    _s18_vector_fill(c)


def _s18_white_on_black(c):
    """A marked `(S) ZEBRAFISH` in white on a black box on the released short line's row."""
    c.setFillGray(0)
    c.rect(196, 632, 130, 13, stroke=0, fill=1)
    c.setFillGray(1)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(200, 634, "(S) ZEBRAFISH")


def _s18_two_streams(writer, page):
    """A second content stream (the /Contents array) that draws a marked `(S) ZEBRAFISH` on that row."""
    _resource(page, "/Font", "/H18", _helvetica(writer))
    second = DecodedStreamObject()
    second.set_data(b"BT /H18 11 Tf 200 634 Td (\\(S\\) ZEBRAFISH) Tj ET")
    first = DecodedStreamObject()
    first.set_data(page.get_contents().get_data())
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(first), writer._add_object(second)])


def _s18_tj_jump(c):
    """A marked `(S) ZEBRAFISH` moved by a TJ kerning jump onto the released short line's row."""
    _raw(c, "BT /F1 11 Tf 72 634 Td [() -11500 (\\(S\\) ZEBRAFISH)] TJ ET")


def _s18_rule_letters(c):
    """`THEFT` in letters 20 pt tall built of 1.5-pt rules 20 pt long (horizontal and vertical)."""
    x, y, t, h, w = 200.0, 624.0, 1.5, 20.0, 20.0
    rects = []
    for ch in "THEFT":
        if ch == "T":
            rects += [(x, y + h - t, w, t), (x + w / 2 - t / 2, y, t, h)]
        elif ch == "H":
            rects += [(x, y, t, h), (x + w - t, y, t, h), (x, y + h / 2 - t / 2, w, t)]
        else:  # E, F
            rects += [(x, y, t, h), (x, y + h - t, w, t), (x, y + h / 2 - t / 2, w, t)]
            if ch == "E":
                rects.append((x, y, w, t))
        x += w + 5
    _raw(c, "q 0 g " + " ".join(f"{a:.2f} {b:.2f} {cw} {ch_} re f" for a, b, cw, ch_ in rects) + " Q")


def _s18_over_a_released_word(c):
    """`ZEBRAFISH` drawn after the withheld paragraph, on top of the released `meeting` (two glyphs at one
    spot): the reader takes the overlap for hidden text and withholds the released paragraph."""
    _raw(c, "BT /F1 11 Tf 72 636 Td (ZEBRAFISH) Tj ET")


S18_ROWS: dict[str, tuple[Callable | None, Callable | None]] = {
    "vector-outlines-filled": (_s18_vector_fill, None),
    "vector-outlines-stroked": (_s18_vector_stroke, None),
    "vector-outlines-in-the-margin": (_s18_vector_in_margin, None),
    "white-outlines-on-a-black-box": (_s18_knockout, None),
    "pixel-rectangles": (_s18_pixel_rects, None),
    "white-pixel-rectangles-on-a-black-box": (_s18_pixel_rect_knockout, None),
    "tiling-pattern-cell-of-text": (None, _s18_pattern),
    "shading-of-triangles": (None, _s18_shading),
    "soft-mask-of-text": (None, _s18_soft_mask),
    "inline-image": (_s18_inline_image, None),
    "image-in-a-moved-nested-form": (None, _s18_image_in_moved_form),
    "outlines-in-a-form-drawn-twice": (None, _s18_vector_in_moved_form),
    "freetext-annotation-appearance": (None, _s18_annotation("FreeText")),
    "stamp-annotation-appearance": (None, _s18_annotation("Stamp")),
    "widget-annotation-appearance": (None, _s18_annotation("Widget")),
    "optional-content-off": (None, _s18_ocg_off),
    "type3-empty-d1-box-drawn-above": (None, _s18_type3_d1_empty),
    "half-point-text": (_s18_tiny, None),
    "invisible-text": (_s18_invisible, None),
    "invisible-text-over-its-outlines": (_s18_invisible_over_outlines, None),
    "white-text-on-a-black-box": (_s18_white_on_black, None),
    "letters-of-thin-long-rules": (_s18_rule_letters, None),
    "withheld-word-over-a-released-word": (_s18_over_a_released_word, None),
    "second-content-stream": (None, _s18_two_streams),
    "tj-kerning-jump-onto-a-released-row": (_s18_tj_jump, None),
}


def _ink(image: Image.Image, box: tuple[float, float, float, float]) -> int:
    """Dark pixels of the release page image inside `box` (page space, letter page)."""
    sx, sy = image.width / W, image.height / H
    crop = image.crop((int(box[0] * sx), int((H - box[3]) * sy), int(box[2] * sx), int((H - box[1]) * sy)))
    return sum(1 for v in crop.getdata() if v < 128)


# Rows whose canary is text the reader reads as hidden: the whole paragraph is withheld (a box over the spot).
S18_HIDDEN = {
    "half-point-text",
    "invisible-text",
    "invisible-text-over-its-outlines",
    "optional-content-off",
    "withheld-word-over-a-released-word",
}
# Rows whose canary is marked text the reader reads on the short line's row: withheld there (a box).
S18_BOXED = {"tj-kerning-jump-onto-a-released-row", "white-text-on-a-black-box", "second-content-stream"}


@pytest.mark.parametrize("name", sorted(S18_ROWS))
def test_original_pages_attack_s18(engine, name) -> None:
    extra, patch = S18_ROWS[name]
    pdf = s18_memo(extra, patch)
    rel = engine.redact(pdf, layout="original", date="2026-01-15")
    out = original_outputs(engine, pdf)
    assert_no_canary(out, "ZEBRAFISH")
    assert_no_canary(out, "KUMQUAT")
    if name in S18_HIDDEN:
        assert "[WITHHELD HIDDEN]" in out["text"]
        return
    assert "conference" in out["OCR of page images"]  # control: the released paragraph is still shown
    if name == "letters-of-thin-long-rules":  # horizontal rules are kept; the letters' stems are not
        assert "THEFT" not in out["OCR of page images"]
        assert _ink(rel.pages[0].image, (209.0, 626.0, 211.5, 642.0)) == 0, "the stem of the first T was kept"
    elif name not in S18_BOXED and name != "vector-outlines-in-the-margin":
        assert _ink(rel.pages[0].image, S18_SPOT) == 0, "ink of the attack kept in the released region"


def test_control_rules_and_underlines_of_released_text_are_kept(engine) -> None:
    """What the s18 rule keeps and what it costs: paths inside released regions are removed unless they are
    rules (at most 2 pt thick, at least 18 pt long). A full-width rule and the underline of a released
    phrase are kept; a grey box behind a released line and a stroked frame around it are removed, and the
    line's text on them is still shown."""

    def behind(writer, page):  # drawn before the page's text
        ops = (
            b"q 0.7 w 72 646 m 540 646 l S 72 633 m 140 633 l S"  # a rule between lines 1 and 2; an underline
            b" 0.85 g 70 618 110 14 re f"  # a grey box behind `And on into the day.`
            b" 0 G 68 616 116 18 re S Q\n"  # a frame around it
        )
        contents = DecodedStreamObject()
        contents.set_data(ops + page.get_contents().get_data())
        page[NameObject("/Contents")] = writer._add_object(contents)

    pdf = s18_memo(None, behind)
    rel = engine.redact(pdf, layout="original", date="2026-01-15")
    image = rel.pages[0].image
    assert _ink(image, (200, 645.2, 540, 646.8)) > 0.8 * (340 * 150 / 72)  # the rule, right of the text
    assert _ink(image, (72, 632.2, 140, 633.8)) > 0.8 * (68 * 150 / 72)  # the underline
    assert _ink(image, (66, 612, 70, 638)) == 0  # the frame's left side: removed
    assert "into the day" in ocr(image)  # the text on the grey box: shown


def test_original_pages_released_text_filled_with_a_pattern_of_words(engine) -> None:
    """Released text (`meeting that went on ██████████ and on`, the blocks of DejaVu) filled with a tiling
    pattern whose cell is `ZEBRAFISH ZEBRAFISH` in 5-pt Helvetica: each glyph is a released character drawn
    where it was read, and its fill showed the cell's words through the letters (OCR read ZEBRAFISH)."""
    import re

    pdfmetrics.registerFont(TTFont("DV", DEJAVU))

    def build(c):
        banner(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "SUBJECT: (U) Quarterly review of the northern program")
        c.drawString(72, 650, "1. (U) The review was held in the main conference room and it was a long")
        c.setFont("DV", 11)
        c.drawString(72, 636, "meeting that went on " + "\u2588" * 10 + " and on")
        c.setFont("Helvetica", 11)
        c.drawString(72, 622, "into the day.")
        c.drawString(72, 590, "2. (S) The source KUMQUAT reported on the facility.")

    def patch(writer, page):
        cell = DecodedStreamObject()
        cell.set_data(b"BT /H 5 Tf 0 g 0 1.5 Td (ZEBRAFISH ZEBRAFISH) Tj ET")
        cell.update(
            {
                NameObject("/Type"): NameObject("/Pattern"),
                NameObject("/PatternType"): NumberObject(1),
                NameObject("/PaintType"): NumberObject(1),
                NameObject("/TilingType"): NumberObject(1),
                NameObject("/BBox"): _numbers(0, 0, 70, 6),
                NameObject("/XStep"): NumberObject(70),
                NameObject("/YStep"): NumberObject(6),
                NameObject("/Matrix"): _numbers(1, 0, 0, 1, 0, 634),
                NameObject("/Resources"): _pdf_dict(Font=_pdf_dict(H=_helvetica(writer))),
            }
        )
        _resource(page, "/Pattern", "/P18", writer._add_object(cell))
        data = page.get_contents().get_data()
        data, n = re.subn(rb"(/F\d\+0 11 Tf[^\n]*?)(\(meeting)", rb"/Pattern cs /P18 scn \1\2", data, count=1)
        assert n == 1
        contents = DecodedStreamObject()
        contents.set_data(data)
        page[NameObject("/Contents")] = writer._add_object(contents)

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf(build))))
    patch(writer, writer.pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    out = original_outputs(engine, buf.getvalue())
    assert "went on" in out["text"] and "conference" in out["OCR of page images"]
    assert_no_canary(out, "ZEBRAFISH")
    assert_no_canary(out, "ZEBRA")


def _s18_incremental(pdf: bytes, ops: bytes) -> bytes:
    """`pdf` with an incremental update (a second revision appended) whose page content draws `ops` after
    the page's own."""
    writer = pypdf.PdfWriter(io.BytesIO(pdf), incremental=True)
    page = writer.pages[0]
    _resource(page, "/Font", "/H18", _helvetica(writer))
    _append_content(writer, page, ops)
    buf = io.BytesIO()
    writer.write(buf)
    out = buf.getvalue()
    assert out.startswith(pdf) and out.count(b"%%EOF") == 2
    return out


def test_original_pages_incremental_update_draws_a_marked_word(engine) -> None:
    """Held: a second revision draws `(S) ZEBRAFISH` on the released short line's row; the reader and
    pdfium both read the last revision, and the word is withheld."""
    pdf = _s18_incremental(s18_memo(), b"BT /H18 11 Tf 200 634 Td (\\(S\\) ZEBRAFISH) Tj ET")
    out = original_outputs(engine, pdf)
    assert "conference" in out["OCR of page images"]
    assert_no_canary(out, "ZEBRAFISH")


def test_original_pages_masked_name_in_a_form_drawn_twice() -> None:
    """Held: a form XObject that draws `Alder Quint` is drawn twice, on two released rows; both copies are
    read, masked and boxed."""

    def unclassified(c):
        c.setFont("Helvetica", 10)
        c.drawCentredString(W / 2, H - 40, "UNCLASSIFIED")

    def build(c):
        unclassified(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "SUBJECT: (U) Quarterly review of the northern program")
        c.drawString(72, 650, "1. (U) The review was held in the main conference room and it was a long")
        c.drawString(72, 636, "meeting chaired by")
        c.drawString(72, 622, "and later again by")

    def patch(writer, page):
        form = _form(
            writer,
            b"BT /H 11 Tf 0 0 Td (Alder Quint) Tj ET",
            bbox=(0, -4, 80, 12),
            resources=_pdf_dict(Font=_pdf_dict(H=_helvetica(writer))),
        )
        _resource(page, "/XObject", "/N18", form)
        _append_content(writer, page, b"q 1 0 0 1 170 636 cm /N18 Do Q q 1 0 0 1 170 622 cm /N18 Do Q")

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf(build))))
    patch(writer, writer.pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    out = original_outputs(Redactor(detector=FakeDetector(["Alder Quint"])), buf.getvalue())
    assert out["text"].count("[B6]") == 2
    assert_no_canary(out, "Quint")
    assert_no_canary(out, "Alder")


# ----------------------------------------------- fonts whose letters cannot be read (session 18, fixed)
UNREADABLE = "text in a font whose letters cannot be read"
MISMAPPED = "text whose extracted letters are not the glyphs drawn"


def _font_memo(font_of, line: bytes = b"(meeting abcdefghi.) Tj") -> bytes:
    """The short line `meeting abcdefghi.` of a (U) paragraph set in the font `font_of(writer)` (resource /T3)
    instead of Helvetica; the line's content is `line` (a Tj of codes)."""

    def patch(writer, page) -> None:
        _resource(page, "/Font", "/T3", writer._add_object(font_of(writer)))
        data = page.get_contents().get_data()
        start = b"BT 1 0 0 1 72 636 Tm "
        assert start + b"(meeting abcdefghi.) Tj" in data
        contents = DecodedStreamObject()
        contents.set_data(data.replace(start + b"(meeting abcdefghi.) Tj", start + b"/T3 11 Tf " + line))
        page[NameObject("/Contents")] = writer._add_object(contents)

    return s18_memo(patch=patch, short="meeting abcdefghi.")


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _type3_font(writer, glyph, names=None, bbox=(0, -200, 1000, 900)):
    """A Type 3 font for codes 32..126 whose procedure for `code` is `glyph(code)` -> (width, bytes), with the
    glyph name `names(code)` (by default the Adobe Glyph List's: `a`, `space`), and Helvetica as `/H` in its
    resources."""
    names = names or _agl_name
    procs, differences, widths = DictionaryObject(), ArrayObject([NumberObject(32)]), ArrayObject()
    for code in range(32, 127):
        width, data = glyph(code)
        proc = DecodedStreamObject()
        proc.set_data(data)
        procs[NameObject(f"/{names(code)}")] = writer._add_object(proc)
        differences.append(NameObject(f"/{names(code)}"))
        widths.append(NumberObject(width))
    return _pdf_dict(
        Type=NameObject("/Font"),
        Subtype=NameObject("/Type3"),
        FontBBox=_numbers(*bbox),
        FontMatrix=_numbers(0.001, 0, 0, 0.001, 0, 0),
        CharProcs=procs,
        Encoding=_pdf_dict(Type=NameObject("/Encoding"), Differences=differences),
        FirstChar=NumberObject(32),
        LastChar=NumberObject(126),
        Widths=widths,
        Resources=_pdf_dict(Font=_pdf_dict(H=_helvetica(writer))),
    )


def _type3(names, shown: dict[str, str] | None = None, bitmap: bool = False):
    """A Type 3 font for codes 32..126, glyph `names(code)`; each procedure draws Helvetica-Bold's letter
    `shown.get(chr(code), chr(code))`, or (`bitmap`) an 8x8 image mask, as TeX's PK bitmap fonts do."""
    shown = shown or {}

    def glyph(code: int) -> tuple[int, bytes]:
        letter = shown.get(chr(code), chr(code))
        width = round(pdfmetrics.stringWidth(letter, "Helvetica-Bold", 1000))
        if bitmap:
            return width, (
                f"{width} 0 0 0 {width} 700 d1 q {width} 0 0 700 0 0 cm\n".encode()
                + b"BI /IM true /W 8 /H 8 /BPC 1 /D [1 0] ID \x18\x3c\x66\x7e\x66\x66\x66\x00 EI Q"
            )
        return width, f"{width} 0 d0 BT /H 1000 Tf ({_literal(letter)}) Tj ET".encode()

    return lambda writer: _type3_font(writer, glyph, names)


def _agl_name(code: int) -> str:
    """The shortest Adobe Glyph List name of the character `code` (`a`, `space`, `period`)."""
    from pdfminer.glyphlist import glyphname2unicode

    return min((n for n, u in glyphname2unicode.items() if u == chr(code)), key=lambda n: (len(n), n))


def _truetype_g_names(writer):
    """A TrueType font (Arial, not embedded) whose /Differences names codes 97..105 /g97../g105, no ToUnicode."""
    return _pdf_dict(
        Type=NameObject("/Font"),
        Subtype=NameObject("/TrueType"),
        BaseFont=NameObject("/Arial"),
        Encoding=_pdf_dict(
            Type=NameObject("/Encoding"),
            BaseEncoding=NameObject("/WinAnsiEncoding"),
            Differences=ArrayObject([NumberObject(97), *(NameObject(f"/g{c}") for c in range(97, 106))]),
        ),
    )


def _helvetica_z_as_a(writer):
    """Helvetica-Bold with code 97 named /Z (the page shows Z) and a ToUnicode that maps code 97 to `a`."""
    cmap = DecodedStreamObject()
    cmap.set_data(
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Z-as-a def "
        b"1 begincodespacerange <00> <FF> endcodespacerange "
        b"1 beginbfrange <20> <7E> <0020> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    return _pdf_dict(
        Type=NameObject("/Font"),
        Subtype=NameObject("/Type1"),
        BaseFont=NameObject("/Helvetica-Bold"),
        Encoding=_pdf_dict(
            Type=NameObject("/Encoding"),
            BaseEncoding=NameObject("/WinAnsiEncoding"),
            Differences=ArrayObject([NumberObject(97), NameObject("/Z")]),
        ),
        ToUnicode=writer._add_object(cmap),
    )


def _withheld_for(engine, pdf: bytes, reason: str) -> dict[str, str]:
    rel = engine.redact(pdf, layout="original", date="2026-01-15")
    by = {p.number: p for p in rel.portions}
    assert by["1"].decision == "withhold" and "HIDDEN" in by["1"].codes
    assert reason in json.dumps(rel.to_dict())
    out = original_outputs(engine, pdf)
    assert "abcdefghi" not in out["text"] and "The review was held" not in out["text"]
    return out


def test_type3_glyphs_draw_other_letters_than_their_codes(engine) -> None:
    """Session 18 (was tests/known_leaks_s17.py): the released short line `meeting abcdefghi.` is set in a
    Type 3 font whose glyph procedures for `a`..`i` draw `Z E B R A F I S H`, glyph names /g97.. that name no
    letter, and no ToUnicode. Before: the reader read `abcdefghi` (the base encoding's guess) and released it;
    pdfium drew ZEBRAFISH where the reader placed those characters, so the page image showed the word. Now
    the letters are unreadable text: hidden, the paragraph withheld, the word in no output."""
    pdf = _font_memo(_type3(lambda code: f"g{code}", dict(zip("abcdefghi", "ZEBRAFISH", strict=True))))
    assert_no_canary(_withheld_for(engine, pdf, UNREADABLE), "ZEBRAFISH")


def test_truetype_differences_with_names_that_name_no_letter(engine) -> None:
    """A TrueType font whose /Differences names codes 97..105 /g97../g105 and no ToUnicode: what the glyphs
    draw is the font program's business, the letters read are a guess. Before: `abcdefghi` released."""
    _withheld_for(engine, _font_memo(_truetype_g_names), UNREADABLE)


def test_tounicode_maps_glyph_Z_to_a(engine) -> None:
    """A font whose code 97 is the glyph /Z (the page shows `Zbcdefghi`) and whose ToUnicode says `a`: the
    mismatch of a standard glyph name and the ToUnicode is hidden text (already so before: a control)."""
    out = _withheld_for(engine, _font_memo(_helvetica_z_as_a), MISMAPPED)
    assert_no_canary(out, "Zbcdefghi")


@pytest.mark.parametrize("bitmap", [False, True], ids=["outlines", "tex-bitmap"])
def test_control_type3_font_with_standard_glyph_names_is_read(engine, bitmap) -> None:
    """Controls: a Type 3 font naming its glyphs /a /b .. (Adobe Glyph List names, no ToUnicode) and drawing
    those letters, and a TeX-like bitmap Type 3 font (`d1`, image-mask glyphs) with the same names, are read
    and released as any other text."""
    pdf = _font_memo(_type3(_agl_name, bitmap=bitmap))
    rel = engine.redact(pdf, layout="original", date="2026-01-15")
    by = {p.number: p for p in rel.portions}
    assert by["1"].decision == "release", by["1"]
    assert "meeting abcdefghi." in rel.text
    assert UNREADABLE not in json.dumps(rel.to_dict())

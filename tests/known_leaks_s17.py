"""Open leaks found by the adversarial pass of stop 17, not yet fixed: reproductions, not part of the suite
(pytest collects test_*.py only). Run `pytest tests/known_leaks_s17.py`: every row fails (glyphs drawn away
from the character boxes the reader computes, on original pages), as README
"Known limits" says. The fixed rows of the same pass are tests/test_attack_s17.py, whose helpers these
use; when a row here is fixed, move it there.
"""

from __future__ import annotations

import io

import pypdf
import pytest
from pypdf.generic import NameObject, NumberObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from redactor.engine import Redactor
from tests.conftest import FakeDetector
from tests.test_attack_s17 import DEJAVU, H, W, assert_no_canary, banner, engine, make_pdf, original_outputs

__all__ = ["engine"]  # the module-scoped fixture, shared with tests/test_attack_s17.py


def patched_descent(pdf: bytes, descent: int) -> bytes:
    """The PDF with every embedded font's FontDescriptor /Descent set to `descent`: pdfminer then places each
    character box a line away from where pdfium draws the glyph."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", []):
                desc.get_object()["/FontDescriptor"].get_object()[NameObject("/Descent")] = NumberObject(descent)
            if "/FontDescriptor" in font:
                font["/FontDescriptor"].get_object()[NameObject("/Descent")] = NumberObject(descent)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def memo(lines: list[str], head=None) -> bytes:
    """A memo in embedded DejaVu, one line every 14 points from the top, after `head` (the banner)."""
    pdfmetrics.registerFont(TTFont("DV", DEJAVU))

    def build(c):
        (head or (lambda c: banner(c, "DV")))(c)
        c.setFont("DV", 11)
        for i, t in enumerate(lines):
            c.drawString(72, 700 - 14 * i, t)

    return make_pdf(build)


@pytest.mark.parametrize("descent", [1270, -1270])
def test_font_descent_shifts_char_boxes_off_the_glyphs(engine, descent) -> None:
    """The withheld paragraph's box is burned over the next (released) line and its own glyphs sit in the
    released line's kept region above."""
    pdf = memo(
        [
            "SUBJECT: (U) Quarterly review of the northern program",
            "",
            "1. (U) The review was held in the main conference room.",
            "2. (S) ZEBRAFISH KUMQUAT ZEBRAFISH KUMQUAT",
            "3. (U) The meeting closed at noon with no decisions today.",
            "4. (U) The meeting closed at noon with no decisions today.",
        ]
    )
    assert_no_canary(original_outputs(engine, patched_descent(pdf, descent)), "ZEBRAFISH")


def test_font_descent_unmasks_a_personal_name_on_the_page_image() -> None:
    """The same patch on an UNCLASSIFIED memo: the B6 box over `Alder Quint` is burned a line low and the
    name's glyphs stay in the kept region of the line above (OCR of the page image)."""

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

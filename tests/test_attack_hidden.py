"""Hidden text in PDFs made for this test with reportlab's canvas (not the reader's own generators): none of
it may be released as visible text, and hidden text may never lower a level."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from redactor.render import render

W, H = letter


def _pdf(draw) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.setFont("Courier", 10)
    c.drawString(72, H - 72, "UNCLASSIFIED")
    c.drawString(72, H - 100, "1. (U) The visible opening paragraph of this memo.")
    draw(c)
    c.drawString(72, H - 300, "3. (U) A visible closing paragraph.")
    c.drawString(72, H - 740, "UNCLASSIFIED")
    c.showPage()
    c.save()
    return buf.getvalue()


def white(c):
    c.drawString(72, H - 140, "2. (U) Visible start of the second paragraph.")
    c.setFillColorRGB(1, 1, 1)
    c.drawString(72, H - 152, "Qzwhite hidden words in white.")
    c.setFillColorRGB(0, 0, 0)


def covered(c):
    c.drawString(72, H - 140, "2. (U) Visible start of the second paragraph.")
    c.drawString(72, H - 152, "Qzcovered words under a box.")
    c.setFillColorRGB(1, 1, 1)
    c.rect(70, H - 156, 300, 12, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)


def invisible(c):
    c.drawString(72, H - 140, "2. (U) Visible start of the second paragraph.")
    t = c.beginText(72, H - 152)
    t.setTextRenderMode(3)
    t.textOut("Qzinvisible words in render mode three.")
    c.drawText(t)


def tiny(c):
    c.drawString(72, H - 140, "2. (U) Visible start of the second paragraph.")
    c.setFont("Courier", 0.5)
    c.drawString(72, H - 152, "Qztiny words at half a point.")
    c.setFont("Courier", 10)


def white_mark_before_secret(c):
    c.setFillColorRGB(1, 1, 1)
    c.drawString(72, H - 140, "2. (U)")
    c.setFillColorRGB(0, 0, 0)
    c.drawString(110, H - 140, "(S) Qzsecret paragraph behind a white mark.")


CASES = [
    ("white", white, "Qzwhite"),
    ("covered", covered, "Qzcovered"),
    ("invisible", invisible, "Qzinvisible"),
    ("tiny", tiny, "Qztiny"),
    ("white (U) before (S)", white_mark_before_secret, "Qzsecret"),
]


@pytest.mark.parametrize(("name", "draw", "canary"), CASES, ids=[c[0] for c in CASES])
def test_hidden_text_is_never_released(fake_redactor, name, draw, canary) -> None:
    upload = _pdf(draw)
    rel = fake_redactor().redact(upload, policy="public-release")
    outs = {"text": rel.text, "json": render(rel, "json").decode()}
    pdf = render(rel, "pdf")
    outs["pdf"] = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    # The release on the upload's own pages: its text layer must not carry the hidden words either.
    original = fake_redactor().redact(upload, policy="public-release", layout="original")
    pages = render(original, "pdf", "original")
    outs["original pages"] = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pages)).pages)
    assert "visible opening paragraph" in outs["original pages"]
    for where, out in outs.items():
        assert canary not in out, f"{canary} in the {where} release"
    assert "visible opening paragraph" in rel.text
    hidden = [p for p in json.loads(outs["json"])["portions"] if p["decision"] == "withhold"]
    assert hidden, "no portion was withheld"

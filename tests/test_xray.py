"""Free Law Project's x-ray finds no bad redaction (text under a dark box) in any PDF release.

x-ray pins PyMuPDF (AGPL): it is a test-only dependency, never imported by redactor itself. It only finds
text under dark boxes, so it proves little alone; the pdf-safety tests do the rest.
"""

from __future__ import annotations

import asyncio
import io

import pytest
import xray
from reportlab.pdfgen import canvas

from redactor.render import render
from tests.conftest import SEED, FakeDetector


def bad_redactions(pdf: bytes) -> dict:
    return asyncio.run(xray.inspect(pdf))


def test_negative_control_a_box_over_live_text_is_found() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Helvetica", 12)
    c.drawString(72, 700, "This secret name is John Q. Smithers here.")
    c.rect(150, 695, 120, 16, stroke=0, fill=1)
    c.showPage()
    c.save()
    assert bad_redactions(buf.getvalue())


@pytest.mark.parametrize("policy", ["public-release", "cleared-us-confidential"])
def test_typeset_release_has_no_bad_redaction(policy: str) -> None:
    from redactor.engine import Redactor

    rel = Redactor(detector=FakeDetector(["Tom Shannon", "Sara Mangiaracina"])).redact(SEED.read_bytes(), policy=policy)
    assert bad_redactions(render(rel, "pdf")) == {}


def test_original_page_release_has_no_bad_redaction() -> None:
    from fixtures_docs import MEMO, text_pdf

    from redactor.engine import Redactor

    rel = Redactor(detector=FakeDetector(["Jane Roe"])).redact(text_pdf(MEMO), layout="original")
    assert rel.withheld()
    assert bad_redactions(render(rel, "pdf", "original")) == {}

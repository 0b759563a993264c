"""A portion's prefix (number, label, SUBJECT) is printed the same way in text, PDF and the page's blocks."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from redactor.release import portion_prefix
from redactor.render import render

CABLE = b"""UNCLAS STATE 000001

SUBJECT: (U) LUNCH PLANS

1. (U) Lunch is at noon:

o. (U) soup first;

- (U) bread after.

2. (U) Dinner is at seven.
"""


@pytest.mark.parametrize(
    ("number", "label", "expected"),
    [
        ("4", "", "4. "),
        ("1", "o", "o. "),
        ("1", "B", "B. "),
        ("1", "-", "- "),
        ("", "SUBJECT", "SUBJECT: "),
        ("", "SUBJECT:", "SUBJECT: "),
        ("", "", ""),
    ],
)
def test_portion_prefix(number: str, label: str, expected: str) -> None:
    assert portion_prefix(number, label) == expected


def test_text_pdf_and_blocks_print_the_same_prefixes(fake_redactor) -> None:
    rel = fake_redactor().redact(CABLE)
    prefixes = [b.prefix for b in rel.blocks if b.kind in ("portion", "withheld")]
    assert prefixes == ["SUBJECT: ", "1. ", "o. ", "- ", "2. "]
    text = rel.text
    pdf = PdfReader(io.BytesIO(render(rel, "pdf")))
    pdf_text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    for prefix in prefixes:
        line = f"{prefix}~~(U)~~"
        assert line in text
        assert f"{prefix}(U)".strip() in pdf_text
    assert "SUBJECT:." not in pdf_text and "SUBJECT:." not in text
    assert "1. o." not in pdf_text and "1. o." not in text

"""A portion's prefix prints the same in the text release, the PDF and the upload page (headless Chromium).

The page draws the release's blocks in the browser; this reads what it shows, as a person would, and
compares each portion's opening with the text release's and the PDF's. The engine runs with a fake detector
(no spaCy), so only Chromium makes this slow.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from redactor.render import render
from tests.test_browser import app_with, browser, page, serving  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser

CABLE = """SECRET STATE 000001

SUBJECT: (U) LUNCH PLANS

1. (U) Lunch is at noon:

o. (U) soup first;

- (U) bread after.

2. (S) The guest list is secret.

3. (U) Dinner is at seven.
"""


def test_the_page_prints_each_prefix_as_the_text_and_the_pdf_do(page, fake_redactor) -> None:  # noqa: F811
    engine = fake_redactor()
    release = engine.redact(CABLE.encode())
    blocks = [b for b in release.blocks if b.kind in ("portion", "withheld")]
    openings = [f"{b.prefix}{b.mark}" for b in blocks]
    assert openings == ["SUBJECT: (U)", "1. (U)", "o. (U)", "- (U)", "2. (S)", "3. (U)"]

    text_lines = release.text.splitlines()
    pdf = PdfReader(io.BytesIO(render(release, "pdf")))
    pdf_text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)

    with serving(app_with(engine)) as url:
        page.goto(url + "/")
        page.wait_for_selector("#policy option[value='public-release']", state="attached")
        page.fill("#text", CABLE)
        page.click("#submit")
        page.wait_for_selector("#doc [data-kind='withheld']")
        shown = page.locator("#doc [data-kind='portion'], #doc [data-kind='withheld']").all_inner_texts()

    assert len(shown) == len(blocks)
    for block, opening, on_page in zip(blocks, openings, shown, strict=True):
        assert " ".join(on_page.split()).startswith(opening), (opening, on_page)
        assert any(line.startswith(f"{block.prefix}~~{block.mark}~~") for line in text_lines), opening
        assert opening in pdf_text, opening
    assert "SUBJECT:." not in pdf_text and "1. o." not in pdf_text and "1. o." not in release.text
    assert page.problems == []

"""The original-page review view in headless Debian Chromium: upload a PDF memo, see the release's own
pages with the proposed boxes, click a masked name's box to release it, drag a rectangle over a released
word to withhold it, download the burned-in PDF and read it back (its text layer and OCR of its pages)."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pdf_checks import ocr

from redactor.ingest.ocr import render_page
from tests import test_browser
from tests.test_pages import MEMO_WITHHELD, memo_pdf
from tests.test_review_pages import word_box

pytestmark = [pytest.mark.browser, pytest.mark.model]

engine = test_browser.engine
base_url = test_browser.base_url
browser = test_browser.browser
page = test_browser.page

REVIEWER = "J. Smith"
NO_BOX = "(item) => !document.querySelector(`#pages .page-box[data-item='${item}']`)"


def screen_point(page, number: int, x: float, y: float) -> tuple[float, float]:
    """Where the point (x, y) of page `number` (PDF points from the bottom left) is on the screen."""
    overlay = page.locator(f"#pages .page-overlay[data-page='{number}']")
    overlay.scroll_into_view_if_needed()
    frame = overlay.bounding_box()
    assert frame is not None
    return frame["x"] + x / 612 * frame["width"], frame["y"] + (792 - y) / 792 * frame["height"]


def test_click_a_box_to_release_drag_one_to_withhold_download_the_pdf(page, base_url, engine, tmp_path: Path) -> None:
    memo = memo_pdf()
    upload = tmp_path / "memo.pdf"
    upload.write_bytes(memo)
    # Which proposed box is Mr. Alder Quint's: the engine's own proposal says (the page never sees the name).
    proposal = engine.redact(memo, layout="original")
    quint = next(r for r in proposal.redactions if proposal.text[r.start - 4 : r.start] == "Mr. ")

    page.goto(base_url + "/")
    page.wait_for_selector("#policy option[value='public-release']", state="attached")
    page.set_input_files("#file", str(upload))
    page.click("#submit")
    page.wait_for_selector("#pages .page img")
    assert page.locator("#pages .page").count() == 2 and page.is_hidden("#doc")
    # The proposed boxes are over the pages: every withheld portion and every masked name.
    kinds = page.eval_on_selector_all("#pages .page-box", "ns => ns.map((n) => n.dataset.kind)")
    assert kinds.count("withheld") >= len(proposal.withheld()) and "entity" in kinds
    # The images are the release's pages (src is a data URL the server rendered), never the upload.
    assert all(
        src.startswith("data:image/png;base64,")
        for src in page.eval_on_selector_all("#pages img", "ns => ns.map((n) => n.getAttribute('src'))")
    )

    page.fill("#reviewer", REVIEWER)
    page.fill("#justification", "Chairs the review in his official capacity")
    page.click(f"#pages .page-box[data-item='{quint.id}']")
    page.wait_for_function(NO_BOX, arg=quint.id)
    assert "Release masked" in page.inner_text("#overrides")

    # Drag a rectangle over "conference" (a released word of paragraph 1).
    page.fill("#justification", "Place of a private meeting")
    x0, y0, x1, y1 = word_box(memo, 1, "conference")
    start = screen_point(page, 1, x0 + 2, y1 + 1)
    end = screen_point(page, 1, x1 - 2, y0 - 1)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=6)
    page.mouse.up()
    page.wait_for_selector("#pages .page-box[data-kind='region']")
    assert "Withhold a drawn box on page 1" in page.inner_text("#overrides")
    page.click("#show-text")
    assert "conference" not in page.inner_text("#doc") and "Alder Quint" in page.inner_text("#doc")
    page.click("#show-pages")

    with page.expect_download() as info:
        page.click("#download-pdf")
    path = tmp_path / "release.pdf"
    info.value.save_as(path)
    pdf = path.read_bytes()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in doc.pages)
    assert "Alder Quint" in text and "main" in text and "conference" not in text
    for phrase in MEMO_WITHHELD:
        assert phrase not in text
    assert "Place of a private meeting" in text and f"Reviewed by: {REVIEWER}" in text
    seen = ocr(render_page(pdf, 1, 200))
    assert "memorandum records" in seen  # the control: OCR reads the page
    assert "conference" not in seen
    assert page.problems == []

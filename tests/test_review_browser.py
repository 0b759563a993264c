"""The reviewer's step on the page, in headless Debian Chromium: release a proposed name with a click, mask
selected text, download the PDF and read it back. The review lives in the tab; the server keeps nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests import test_browser

pytestmark = [pytest.mark.browser, pytest.mark.model]

# The page fixtures of the upload-page test: the real app and Redactor behind a loopback server, Chromium.
engine = test_browser.engine
base_url = test_browser.base_url
browser = test_browser.browser
page = test_browser.page

REVIEWER = "J. Smith"
NOTETAKER_SPAN = """() => {
  const spans = [...document.querySelectorAll('#doc .mask.reviewable')];
  const s = spans.find((n) => ((n.nextSibling || {}).textContent || '').startsWith(' (WHA Notetaker)'));
  return s ? s.dataset.redaction : null;
}"""
SELECT = """(term) => {
  const block = document.querySelector('#doc [data-portion="p1"]');
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = n.textContent.indexOf(term);
    if (i < 0) continue;
    const range = document.createRange();
    range.setStart(n, i);
    range.setEnd(n, i + term.length);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return true;
  }
  return false;
}"""


def doc_has(text: str, present: bool = True) -> str:
    """A page predicate: the drawn release shows (or no longer shows) `text`."""
    return f"() => document.querySelector('#doc').innerText.includes({text!r}) === {str(present).lower()}"


def test_release_one_name_mask_a_term_download_the_pdf(page, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("#policy option[value='public-release']", state="attached")
    page.set_input_files("#file", str(test_browser.SEED))
    page.click("#submit")
    page.wait_for_selector("#doc .withheld")
    assert "Mangiaracina" not in page.inner_text("#doc")

    # A change needs a reviewer and a justification.
    span = page.evaluate(NOTETAKER_SPAN)
    assert span and span.startswith("p2.e")
    page.click(f"#doc [data-redaction='{span}']")
    assert "justification" in page.inner_text("#error")
    assert page.locator("#overrides li").count() == 0

    page.fill("#reviewer", REVIEWER)
    page.fill("#justification", "Notetaker, a State employee acting in an official capacity")
    page.click(f"#doc [data-redaction='{span}']")
    page.wait_for_function(doc_has("Sara Mangiaracina (WHA Notetaker)"))
    assert page.locator(f"#doc [data-redaction='{span}']").count() == 0
    doc = page.inner_text("#doc")
    assert "Humalla" not in doc  # only that name (public-release releases officials such as McMullen)

    page.fill("#justification", "Place of a private meeting")
    assert page.evaluate(SELECT, "New York City")
    page.wait_for_selector("#mask-selection:not([disabled])")
    page.click("#mask-selection")
    page.wait_for_function(doc_has("New York City", present=False))
    assert page.locator("#doc .mask.by-reviewer").count() == 1
    assert page.locator("#overrides li").count() == 2
    assert "Place of a private meeting" in page.inner_text("#overrides")
    # The list names what each change acts on, as the reviewer saw it, not an internal id.
    listed = page.inner_text("#overrides")
    assert span not in listed and "Release masked PERSON in ¶ 2" in listed and "Notetaker" in listed
    assert "Mask everywhere: \u201cNew York City\u201d" in listed

    with page.expect_download() as info:
        page.click("#download-pdf")
    path = tmp_path / "release.pdf"
    info.value.save_as(path)
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).split())
    assert "Sara Mangiaracina" in text and "New York City" not in text and "Humalla" not in text
    assert f"Reviewed by: {REVIEWER}" in text
    index = text[text.index("Index of withholdings") :]
    assert "Place of a private meeting" in index and "Notetaker, a State employee" in index
    assert f"reviewer {REVIEWER}" in index
    assert page.problems == []

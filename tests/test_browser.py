"""The upload page in headless Debian Chromium (Playwright, no browser download): upload the seed, see the
withheld paragraphs marked, download the PDF and the JSON.

Set REDACTOR_SCREENSHOT=path to also save a screenshot of the page (examples/page.png comes from here).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.model]

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-09STATE103113.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000
WITHHELD_NUMBERS = {"3", "4", "5", "6", "8", "10", "11"}


@contextmanager
def serving(app) -> Iterator[str]:
    """`app` behind a Werkzeug server thread on a free loopback port."""
    from werkzeug.serving import make_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def engine():
    from redactor.engine import Redactor

    redactor = Redactor()
    redactor.warm()
    return redactor


def app_with(engine, **config):
    from redactor.web import create_app
    from redactor.web.settings import SETTINGS

    return create_app({**{s.name: s.default for s in SETTINGS}, "REDACTOR_ENGINE": engine, **config})


@pytest.fixture(scope="module")
def base_url(engine) -> Iterator[str]:
    """The real app and the real Redactor."""
    with serving(app_with(engine)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian chromium is not installed (make system-deps installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1440, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on(
        "console",
        lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type in ("error", "warning") else None,
    )
    # Offline by design: any request that leaves the service fails the test.
    pg.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("http://127.0.0.1:")
            else (problems.append(f"external request: {route.request.url}"), route.abort())
        ),
    )
    pg.problems = problems
    yield pg
    context.close()


def test_upload_seed_see_withheld_download_pdf_and_json(page, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("#policy option[value='public-release']", state="attached")
    assert page.input_value("#policy") == "public-release"
    assert "SECRET" in page.locator("#level option").all_inner_texts()

    page.set_input_files("#file", str(SEED))
    page.click("#submit")
    page.wait_for_selector("#doc .withheld")

    withheld = page.locator("#doc [data-kind='withheld']")
    assert withheld.count() >= len(WITHHELD_NUMBERS)
    numbered = {t.split(".")[0] for t in withheld.all_inner_texts() if t[:1].isdigit()}
    assert WITHHELD_NUMBERS <= numbered
    assert "B1" in withheld.first.inner_text()
    assert "code-b1" in (withheld.first.get_attribute("class") or "")
    doc_text = page.inner_text("#doc")
    assert "Shining Path" not in doc_text and "UNCLASSIFIED" in doc_text
    assert page.locator("#doc .mask.code-b6").count() >= 1
    assert page.inner_text("#summary").count("RELEASE IN PART") == 1
    badges = page.locator("#decisions .badge-withhold")
    assert badges.count() == len(
        [p for p in page.locator("#decisions li").all() if "decision-withhold" in (p.get_attribute("class") or "")]
    )
    assert "above the release level" in page.inner_text("#decisions")

    if os.environ.get("REDACTOR_SCREENSHOT"):
        page.screenshot(path=os.environ["REDACTOR_SCREENSHOT"])

    # Clicking a decision brings its paragraph into view and flashes it.
    page.click("#decisions li[data-portion='p10']")
    page.wait_for_selector("#doc [data-portion='p10'].flash")

    with page.expect_download() as info:
        page.click("#download-pdf")
    pdf = info.value
    assert pdf.suggested_filename == "release.pdf"
    pdf_path = tmp_path / "release.pdf"
    pdf.save_as(pdf_path)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "UNCLASSIFIED" in text and "Shining Path" not in text

    with page.expect_download() as info:
        page.click("#download-json")
    json_path = tmp_path / "release.json"
    info.value.save_as(json_path)
    release = json.loads(json_path.read_text())
    assert "blocks" not in release
    assert {p["number"] for p in release["portions"] if p["decision"] == "withhold"} >= WITHHELD_NUMBERS

    assert page.problems == []


def test_pasted_text_and_a_problem_message(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("#policy option[value='public-release']", state="attached")
    page.fill("#text", "UNCLASSIFIED\n\n1. (U) A note <img src=x onerror=alert(1)>.\n\n2. (C) Hidden.\n")
    page.click("#submit")
    page.wait_for_selector("#doc [data-kind='withheld']")
    assert page.locator("#doc img").count() == 0  # released text is shown as text, never parsed as HTML
    assert "<img src=x" in page.inner_text("#doc")

    page.fill("#text", "\x00\x01\x02")
    page.click("#submit")
    page.wait_for_selector("#error:not(.hidden)")
    assert page.inner_text("#error").startswith(("Unreadable document", "Bad request", "No document"))
    page.problems[:] = [p for p in page.problems if "Failed to load resource" not in p]
    assert page.problems == []


def test_api_key_entered_on_the_page(page, engine) -> None:
    with serving(app_with(engine, REDACTOR_API_KEYS=("page-key",))) as url:
        page.goto(url + "/")
        page.wait_for_selector("#error:not(.hidden)")
        assert "API key" in page.inner_text("#error")
        assert page.is_visible("#api-key")
        page.fill("#api-key", "page-key")
        page.dispatch_event("#api-key", "change")
        page.wait_for_selector("#policy option[value='public-release']", state="attached")
        page.fill("#text", "UNCLASSIFIED\n\n1. (U) Open.\n\n2. (S) Closed.\n")
        page.click("#submit")
        page.wait_for_selector("#doc [data-kind='withheld']")
    # The first load of /v1/policies is refused by design; the browser reports that 401 on the console.
    assert [p for p in page.problems if "401" not in p] == []


def test_failed_upload_clears_the_previous_release(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("#policy option[value='public-release']", state="attached")
    page.fill("#text", "UNCLASSIFIED\n\n1. (U) First document.\n\n2. (S) Closed.\n")
    page.click("#submit")
    page.wait_for_selector("#doc [data-kind='withheld']")
    assert page.is_enabled("#download-pdf")
    page.fill("#text", "\x00\x01\x02")
    page.click("#submit")
    page.wait_for_selector("#error:not(.hidden)")
    # Nothing of the first document's release stays on screen beside the second's error.
    assert "First document" not in page.inner_text("#doc")
    assert page.locator("#decisions li").count() == 0
    assert not page.is_enabled("#download-pdf") and not page.is_enabled("#download-json")
    page.problems[:] = [p for p in page.problems if "Failed to load resource" not in p]
    assert page.problems == []


def test_a_chosen_file_sets_the_text_box_aside_until_cleared(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("#policy option[value='public-release']", state="attached")
    page.fill("#text", "UNCLASSIFIED\n\n1. (U) Pasted text.\n")
    page.set_input_files("#file", str(SEED))
    assert page.is_visible("#file-row") and page.is_disabled("#text")
    assert "text box is not used" in page.inner_text("#file-row")
    page.click("#clear-file")
    assert not page.is_visible("#file-row") and page.is_enabled("#text")
    assert "DOCX" in page.inner_text("#file-name")
    page.click("#submit")
    page.wait_for_selector("#doc .block-portion")
    assert "Pasted text" in page.inner_text("#doc")
    assert page.problems == []


def test_narrow_screen_cuts_nothing_off(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 420, "height": 800})
    pg = context.new_page()
    try:
        pg.goto(base_url + "/")
        pg.wait_for_selector("#policy option[value='public-release']", state="attached")
        pg.set_input_files("#file", str(SEED))
        pg.click("#submit")
        pg.wait_for_selector("#doc .withheld")
        assert pg.evaluate("document.documentElement.scrollWidth") <= 420
        # "DOCX" in the drop hint is never split across lines.
        pg.click("#clear-file")
        heights = pg.evaluate("""() => { const s = document.querySelector('#file-name .formats');
                                          return [s.getClientRects().length]; }""")
        assert heights == [1]
        for sel in ["#submit", "#download-pdf", "#download-json", "#policy", "#level"]:
            box = pg.locator(sel).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 420, sel
    finally:
        context.close()

"""The original-page review view's API: the JSON's `pages` (boxes with places and codes), `include=pages`
(the release's page images), and `mask_region` overrides (a rectangle drawn on a page withholds every word
it touches, and is burned into the page). The page itself is tested in test_review_pages_browser.py."""

from __future__ import annotations

import base64
import io
import json

import pdfplumber
import pytest
from pdf_checks import ocr
from PIL import Image

from redactor.engine import Redactor
from redactor.render import render
from redactor.review import OverrideError, StaleOverrides, check_batch
from tests.conftest import FakeDetector
from tests.test_browser import app_with
from tests.test_pages import MEMO_WITHHELD, NAMES, memo_pdf

REVIEWER = "J. Smith"


@pytest.fixture(scope="module")
def engine() -> Redactor:
    return Redactor(detector=FakeDetector(NAMES))


@pytest.fixture(scope="module")
def memo() -> bytes:
    return memo_pdf()


@pytest.fixture(scope="module")
def proposal(engine, memo):
    return engine.redact(memo, layout="original", date="2026-01-15")


@pytest.fixture(scope="module")
def client(engine):
    return app_with(engine).test_client()


def word_box(pdf: bytes, page: int, word: str) -> tuple[float, float, float, float]:
    """Where the upload prints `word` on `page`: x0, y0, x1, y1 in points from the bottom left."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        p = doc.pages[page - 1]
        w = next(w for w in p.extract_words() if w["text"] == word)
        return w["x0"], p.height - w["bottom"], w["x1"], p.height - w["top"]


def region(fingerprint: str, page: int, box, **extra) -> dict:
    item = {"action": "mask_region", "page": page, "box": list(box), "justification": "private meeting place"}
    return {"fingerprint": fingerprint, "reviewer": REVIEWER, "overrides": [{**item, **extra}]}


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in doc.pages)


def box_pixels(page, box) -> set[int]:
    """The lowest and highest pixel values of a ReleasePage's image inside `box` (points from the bottom
    left): {0} when all black."""
    sx, sy = page.image.width / page.width, page.image.height / page.height
    x0, y0, x1, y1 = box
    crop = page.image.crop(
        (int(x0 * sx) + 1, int((page.height - y1) * sy) + 1, int(x1 * sx) - 1, int((page.height - y0) * sy) - 1)
    )
    return set(crop.getextrema())


# ------------------------------------------------------------------------------------------- pages
def test_json_pages_give_every_box_its_place_and_codes_and_no_text(proposal) -> None:
    data = proposal.to_dict()
    assert [p["number"] for p in data["pages"]] == [1, 2]
    boxes = [b for p in data["pages"] for b in p["boxes"]]
    withheld = {p.id: list(p.codes) for p in proposal.withheld()}
    masked = {r.id: list(r.codes) for r in proposal.redactions}
    # Every withheld portion and masked entity has a box (a portion over the page break has one per page).
    assert {b["item"] for b in boxes if b["kind"] == "withheld"} == set(withheld)
    assert {b["item"] for b in boxes if b["kind"] == "entity"} == set(masked)
    for b in boxes:
        assert b["codes"] == (withheld.get(b["item"]) or masked.get(b["item"]))
        assert 0 <= b["x0"] < b["x1"] <= 612 and 0 <= b["y0"] < b["y1"] <= 792
        assert set(b) == {"kind", "x0", "y0", "x1", "y1", "codes", "item"}
    # Without layout=original there are no pages.
    assert "pages" not in Redactor(detector=FakeDetector(NAMES)).redact(memo_pdf()).to_dict()


def test_include_pages_sends_the_release_pages_images_never_withheld_text(client, memo) -> None:
    resp = client.post("/v1/redact?include=pages", data={"file": (io.BytesIO(memo), "memo.pdf"), "format": "json"})
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    for phrase in MEMO_WITHHELD + ["Alder Quint"]:
        assert phrase not in body
    data = json.loads(body)
    assert data["blocks"] and len(data["pages"]) == 2
    for page in data["pages"]:
        head, _, png = page["image"].partition(",")
        assert head == "data:image/png;base64"
        image = Image.open(io.BytesIO(base64.b64decode(png)))
        assert image.format == "PNG" and abs(image.width / image.height - page["width"] / page["height"]) < 0.01
        page["_image"] = image
    seen = " ".join(ocr(p["_image"]) for p in data["pages"])
    assert "conference" in seen  # a negative control: OCR reads the released text
    for phrase in MEMO_WITHHELD + ["Alder Quint"]:
        assert phrase.lower() not in seen.lower()


def test_include_pages_on_a_text_upload_is_the_text_view(client) -> None:
    resp = client.post(
        "/v1/redact?include=pages", data={"text": "UNCLASSIFIED\n\n1. (U) Hello there.", "format": "json"}
    )
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["blocks"] and "pages" not in data


def test_include_pages_with_layout_typeset_has_no_pages(client, memo) -> None:
    resp = client.post(
        "/v1/redact?include=pages",
        data={"file": (io.BytesIO(memo), "memo.pdf"), "format": "json", "layout": "typeset"},
    )
    assert resp.status_code == 200 and "pages" not in resp.get_json()


# ------------------------------------------------------------------------------------ clicking a box
def test_releasing_an_entity_box_by_its_item_shows_the_name(engine, memo, proposal) -> None:
    quint = next(r for r in proposal.redactions if r.portion)  # Mr. Alder Quint, in the last paragraph
    item = next(b.item for p in proposal.pages for b in p.boxes if b.kind == "entity" and b.item == quint.id)
    overrides = {
        "fingerprint": proposal.fingerprint,
        "reviewer": REVIEWER,
        "overrides": [{"id": item, "action": "release", "justification": "chairs a public meeting"}],
    }
    rel = engine.redact(memo, layout="original", date="2026-01-15", overrides=overrides)
    assert "Alder Quint" in rel.text
    assert "Alder Quint" in pdf_text(render(rel, "pdf", "original"))
    assert item not in {b.item for p in rel.pages for b in p.boxes}


# ----------------------------------------------------------------------------------- drawing a box
def test_a_drawn_box_withholds_every_word_it_touches(engine, memo, proposal) -> None:
    x0, y0, x1, y1 = word_box(memo, 1, "conference")
    drawn = ((x0 + x1) / 2, y0 + 2, x1 + 1, y1 - 2)  # the right half of the word only
    rel = engine.redact(memo, layout="original", date="2026-01-15", overrides=region(proposal.fingerprint, 1, drawn))
    assert "conference" not in rel.text and "main [B6]" in rel.text  # the whole word, and only it
    red = next(r for r in rel.redactions if r.proposed_by == "reviewer")
    assert (red.codes, red.reviewer, red.justification) == (("B6",), REVIEWER, "private meeting place")
    (log,) = rel.review
    assert (log.action, log.target, log.page, log.box, log.count) == ("mask_region", "region", 1, tuple(drawn), 1)
    page = rel.pages[0]
    drawn_box = next(b for b in page.boxes if b.kind == "region")
    assert (drawn_box.x0, drawn_box.y0, drawn_box.x1, drawn_box.y1) == drawn and drawn_box.codes == ("B6",)
    assert box_pixels(page, drawn) == {0}  # burned as drawn
    assert box_pixels(page, (x0, y0, x1, y1)) == {0}  # and the word's own box
    pdf = render(rel, "pdf", "original")
    text = pdf_text(pdf)
    assert "conference" not in text and "main" in text
    assert "conference" not in ocr(page.image)
    # The JSON release says where the reviewer drew, and nothing of what was under it.
    data = rel.to_dict()
    assert "conference" not in json.dumps(data)
    assert any(b["kind"] == "region" and b["item"] == "r1" for b in data["pages"][0]["boxes"])


def test_a_drawn_box_over_two_lines_and_its_own_codes(engine, memo, proposal) -> None:
    a = word_box(memo, 1, "conference")
    b = word_box(memo, 1, "room.")
    drawn = (b[0], b[1] + 1, a[2], a[3] - 1)  # from "room." up to "conference": the words between too
    rel = engine.redact(
        memo,
        layout="original",
        date="2026-01-15",
        overrides=region(proposal.fingerprint, 1, drawn, codes=["B7(C)"]),
    )
    assert "conference" not in rel.text and "room." not in rel.text
    assert all(r.codes == ("B7(C)",) for r in rel.redactions if r.proposed_by == "reviewer")
    # The text release is the same whatever the layout: a region acts on the text, not only on pixels.
    typeset = engine.redact(memo, date="2026-01-15", overrides=region(proposal.fingerprint, 1, drawn, codes=["B7(C)"]))
    assert typeset.text == rel.text and not typeset.pages


def test_a_drawn_box_over_a_withheld_portion_changes_no_text(engine, memo, proposal) -> None:
    box = next(b for b in proposal.pages[1].boxes if b.kind == "withheld")
    rel = engine.redact(
        memo, layout="original", overrides=region(proposal.fingerprint, 2, (box.x0, box.y0, box.x1, box.y1))
    )
    assert [r.id for r in rel.redactions] == [r.id for r in proposal.redactions]
    assert rel.review[0].count == 0


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"box": [1, 2, 3, 4]}, "needs the `page`"),
        ({"page": 0, "box": [1, 2, 3, 4]}, "needs the `page`"),
        ({"page": True, "box": [1, 2, 3, 4]}, "needs the `page`"),
        ({"page": 1}, "needs a `box`"),
        ({"page": 1, "box": [1, 2, 3]}, "needs a `box`"),
        ({"page": 1, "box": [1, 2, "3", 4]}, "needs a `box`"),
        ({"page": 1, "box": [1, 2, 1e9, 4]}, "needs a `box`"),
        ({"page": 1, "box": [5, 5, 5.5, 40]}, "is empty"),
        ({"page": 1, "box": [1, 2, 30, 40], "id": "p3"}, "not an id or a term"),
        ({"page": 9, "box": [1, 2, 30, 40]}, "the document has 2 page(s)"),
    ],
)
def test_a_malformed_region_is_refused_naming_the_item(engine, memo, proposal, item, message) -> None:
    overrides = {
        "fingerprint": proposal.fingerprint,
        "reviewer": REVIEWER,
        "overrides": [{"action": "mask_region", "justification": "x", **item}],
    }
    with pytest.raises(OverrideError) as info:
        engine.redact(memo, overrides=overrides)
    assert "overrides[0]" in str(info.value) and message in str(info.value)


def test_a_page_and_box_belong_to_mask_region_only(engine, memo, proposal) -> None:
    overrides = {
        "fingerprint": proposal.fingerprint,
        "reviewer": REVIEWER,
        "overrides": [{"action": "mask", "term": "conference", "page": 1, "justification": "x"}],
    }
    with pytest.raises(OverrideError, match="only action mask_region"):
        engine.redact(memo, overrides=overrides)


def test_a_region_needs_the_fingerprint_and_a_pdf(engine, memo, proposal) -> None:
    no_print = region(proposal.fingerprint, 1, (72, 600, 200, 612))
    del no_print["fingerprint"]
    with pytest.raises(StaleOverrides, match="a region of a page"):
        engine.redact(memo, overrides=no_print)
    with pytest.raises(OverrideError, match="check_batch|batch takes term overrides"):
        check_batch({"overrides": no_print["overrides"]})
    text = b"UNCLASSIFIED\n\n1. (U) Hello there."
    fingerprint = engine.redact(text).fingerprint
    with pytest.raises(OverrideError, match="regions are for PDF uploads"):
        engine.redact(text, overrides=region(fingerprint, 1, (72, 600, 200, 612)))


def test_a_region_over_http_and_in_the_downloaded_pdf(client, memo, proposal) -> None:
    x0, y0, x1, y1 = word_box(memo, 1, "conference")
    overrides = json.dumps(region(proposal.fingerprint, 1, (x0, y0, x1, y1)))
    resp = client.post(
        "/v1/redact",
        data={"file": (io.BytesIO(memo), "memo.pdf"), "format": "pdf", "overrides": overrides, "date": "2026-01-15"},
    )
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = pdf_text(resp.data)
    assert "conference" not in text and "main" in text and "private meeting place" in text
    bad = json.dumps(region(proposal.fingerprint, 7, (x0, y0, x1, y1)))
    resp = client.post("/v1/redact", data={"file": (io.BytesIO(memo), "memo.pdf"), "format": "pdf", "overrides": bad})
    assert resp.status_code == 422 and "page 7" in resp.get_json()["detail"]


def test_a_drawn_box_is_burned_as_drawn_where_no_word_is(engine, memo, proposal) -> None:
    """Ink under a rectangle that is no character (a drawing, a word OCR missed) goes too: the rectangle
    itself is burned. Here it lies in the empty left margin, so only burning it makes it black."""
    drawn = (20.0, 400.0, 60.0, 440.0)
    rel = engine.redact(memo, layout="original", overrides=region(proposal.fingerprint, 1, drawn))
    assert rel.review[0].count == 0 and box_pixels(rel.pages[0], drawn) == {0}
    assert box_pixels(proposal.pages[0], drawn) == {255}  # the control: nothing there before
    # No masked span stands for it, so the index has a row of its own, with the codes on the page.
    rows = [e for e in rel.index if e.kind == "review"]
    assert [(e.paragraph, e.withheld, e.codes) for e in rows] == [
        ("Page 1", "Region of the original page withheld", tuple(rel.review[0].codes))
    ]
    assert not [e for e in proposal.index if e.kind == "review"]


def test_json_with_layout_original_lists_the_pages_boxes(client, memo, tmp_path, capsys, monkeypatch) -> None:
    """The boxes a reviewer draws against are in the JSON when asked for the original layout (CLI, HTTP)."""
    from redactor import cli

    monkeypatch.setattr("redactor.engine.get_detector", lambda model: FakeDetector(NAMES))
    resp = client.post(
        "/v1/redact", data={"file": (io.BytesIO(memo), "memo.pdf"), "format": "json", "layout": "original"}
    )
    assert resp.status_code == 200
    data = resp.get_json()
    assert [p["number"] for p in data["pages"]] == [1, 2] and "image" not in data["pages"][0]
    resp = client.post("/v1/redact", data={"file": (io.BytesIO(memo), "memo.pdf"), "format": "json"})
    assert "pages" not in resp.get_json()
    path = tmp_path / "memo.pdf"
    path.write_bytes(memo)
    assert cli.main(["redact", str(path), "--format", "json", "--layout", "original"]) == 0
    assert len(json.loads(capsys.readouterr().out)["pages"]) == 2


def test_a_drawn_box_on_a_scan_withholds_the_ocr_words_it_touches(memo) -> None:
    """On a scan the rectangle is matched against Tesseract's word boxes (in the deskewed page the review
    view shows), and burned into the release page like on a text PDF. (Page 1 of the memo only: OCR is slow.)"""
    from pypdf import PdfReader, PdfWriter

    from tests.test_pages import scan_of

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(memo)).pages[0])
    first = io.BytesIO()
    writer.write(first)
    scan = scan_of(first.getvalue())
    ocr_engine = Redactor(detector=FakeDetector(NAMES), ingest_options={"ocr": True})
    doc = ocr_engine.read(scan)
    page, x0, y0, x1, y1 = doc.source.boxes[doc.text.index("conference") + 3]  # a letter inside the word
    fingerprint = ocr_engine.redact(scan).fingerprint
    rel = ocr_engine.redact(scan, layout="original", overrides=region(fingerprint, page, (x0, y0 + 1, x1, y1 - 1)))
    assert "conference" not in rel.text and "main" in rel.text
    assert rel.review[0].count == 1
    assert "conference" not in pdf_text(render(rel, "pdf", "original"))
    seen = ocr(rel.pages[0].image)
    assert "conference" not in seen and "memorandum" in seen

"""Two-column pages and tables in reading order, on the original pages: a memo printed with reportlab in
two frames (each column with its own marked paragraphs) above a table with marked cells, and its scan
(rasterised, 1 degree of skew, speckle noise). Each column is read in order, every portion at its own
level, no text of one column in a portion of the other, each cell with its own mark; the burned-in
release has the decisions of the text release of the same memo, and nothing withheld is in it."""

from __future__ import annotations

import io
import re

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, Paragraph

from redactor.engine import Redactor
from redactor.render import render
from tests.conftest import FakeDetector
from tests.test_pages import assert_boxes_uniform, norm, ocr_text, scan_of

W, H = letter
GUTTER = 24
COLUMN = (W - 144 - GUTTER) / 2
RIGHT_X = 72 + COLUMN + GUTTER
# (number, mark, text): each paragraph's own keyword three times, no other paragraph's.
LEFT = [
    (
        "1",
        "(U)",
        "Amber harbour notes: the amber committee met at the harbour office and agreed the amber "
        "agenda for the spring session without change.",
    ),
    (
        "2",
        "(S)",
        "Basalt quarry notes: the basalt survey found that the quarry tunnels under the basalt "
        "ridge are used to store the reserve equipment.",
    ),
    (
        "3",
        "(U)",
        "Cedar library notes: the cedar reading room will reopen in May after the cedar roof "
        "repairs are finished by the city.",
    ),
]
RIGHT = [
    (
        "4",
        "(C)",
        "Delta pipeline notes: the delta partner asked for the pipeline maps and the delta "
        "schedule of the next inspection.",
    ),
    (
        "5",
        "(U)",
        "Ember market notes: the ember market fair drew a large crowd and the ember stalls sold "
        "out before noon on Saturday.",
    ),
    (
        "6",
        "(S//NF)",
        "Falcon border notes: the falcon team crossed the border at night and met the falcon source near the old mill.",
    ),
]
KEYWORDS = {n: text.split()[0].lower() for n, _, text in LEFT + RIGHT}
CELLS = [("(U) Site", "(U) Status"), ("(U) Granite", "(S) GRANITE HOLLOW"), ("(U) Harbour", "(U) Open")]
WITHHELD = ["basalt", "quarry", "delta", "pipeline", "falcon", "GRANITE HOLLOW"]
AUTHORITY = ["Classified By: J. Doe, Director, Office of Program Review", "Derived From: Multiple Sources",
             "Declassify On: 20491231"]  # fmt: skip


def columns_pdf() -> bytes:
    """The memo: letterhead and subject across the page, two columns of paragraphs (two reportlab frames),
    then a marked table and the authority block across the page; banners top and bottom."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.setFont("Helvetica-Bold", 10)
    c.drawCentredString(W / 2, H - 40, "SECRET//NOFORN")
    c.drawCentredString(W / 2, 30, "SECRET//NOFORN")
    c.setFont("Helvetica-Bold", 13)
    c.drawString(72, H - 80, "DEPARTMENT OF THE EXAMPLE")
    c.setFont("Helvetica", 11)
    c.drawString(72, H - 96, "MEMORANDUM FOR THE RECORD")
    c.drawString(72, H - 120, "SUBJECT: (U) Notes from the regional offices")
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=10)
    top, height = H - 140, 330
    for x, paras in ((72, LEFT), (RIGHT_X, RIGHT)):
        frame = Frame(x, top - height, COLUMN, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        frame.addFromList([Paragraph(f"{n}. {m} {t}", style) for n, m, t in paras], c)
    y = top - height - 20
    c.drawString(72, y, "7. (U) Site status:")
    y -= 20
    for left, right in CELLS:
        c.drawString(90, y, left)
        c.drawString(300, y, right)
        c.rect(86, y - 4, 400, 16, stroke=1, fill=0)
        y -= 16
    y -= 20
    for line in AUTHORITY:
        c.drawString(72, y, line)
        y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


def columns_text() -> str:
    """The same memo as plain text, in reading order: the left column, the right one, then the table with a
    line per cell (as a table's cells are read). The bottom banner is page furniture on the page; text has
    no pages, so it is left out (read as text it would be an unmarked, withheld portion)."""
    paras = [f"{n}. {m} {t}" for n, m, t in LEFT + RIGHT] + ["7. (U) Site status:"]
    paras += [cell for row in CELLS for cell in row]
    head = "SECRET//NOFORN\n\nDEPARTMENT OF THE EXAMPLE\nMEMORANDUM FOR THE RECORD\n\n"
    head += "SUBJECT: (U) Notes from the regional offices\n\n"
    return head + "\n\n".join(paras) + "\n\n" + "\n".join(AUTHORITY) + "\n"


@pytest.fixture(scope="module")
def engine() -> Redactor:
    return Redactor(detector=FakeDetector(["J. Doe"]))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return columns_pdf()


@pytest.fixture(scope="module")
def text_release(engine):
    return engine.redact(columns_text())


@pytest.fixture(scope="module")
def pdf_release(engine, pdf):
    return engine.redact(pdf, layout="original")


@pytest.fixture(scope="module")
def scan_release(pdf):
    return Redactor(detector=FakeDetector(["J. Doe"]), ingest_options={"ocr": True}).redact(
        scan_of(pdf), layout="original"
    )


def decisions(release) -> list[tuple[str, str | None, str, list[str]]]:
    return [(p.number, p.mark, p.decision, p.codes) for p in release.portions]


def test_the_text_release_is_what_the_marks_say(text_release) -> None:
    numbered = [(n, m, d) for n, m, d, _ in decisions(text_release) if n and n != "7"]
    assert numbered == [
        ("1", "(U)", "release"),
        ("2", "(S)", "withhold"),
        ("3", "(U)", "release"),
        ("4", "(C)", "withhold"),
        ("5", "(U)", "release"),
        ("6", "(S//NF)", "withhold"),
    ]
    cells = [(m, d) for n, m, d, _ in decisions(text_release) if n == "7"]
    assert cells == [("(U)", "release")] * 4 + [("(S)", "withhold")] + [("(U)", "release")] * 2


@pytest.mark.parametrize("which", ["pdf_release", "scan_release"])
def test_columns_read_in_order_each_portion_its_own(which, request, text_release) -> None:
    rel = request.getfixturevalue(which)
    assert decisions(rel) == decisions(text_release)
    # No text of one column in a portion of the other: each released paragraph holds its own keyword only.
    for block in rel.blocks:
        if block.kind != "portion" or block.number not in KEYWORDS:
            continue
        words = set(re.findall(r"[a-z]+", "".join(r.text for r in block.runs).lower()))
        assert KEYWORDS[block.number] in words
        assert not (words & (set(KEYWORDS.values()) - {KEYWORDS[block.number]})), block.number
    # And the reader's portions (released or not) likewise, columns in reading order.
    for w in WITHHELD:
        assert w.lower() not in rel.text.lower()


@pytest.mark.parametrize("which", ["pdf_release", "scan_release"])
def test_each_withheld_box_stays_in_its_column(which, request) -> None:
    rel = request.getfixturevalue(which)
    by_number = {p.id: p.number for p in rel.portions}
    boxes = [b for b in rel.pages[0].boxes if b.kind == "withheld" and by_number[b.item] in KEYWORDS]
    assert sorted(by_number[b.item] for b in boxes) == ["2", "4", "6"]
    for b in boxes:
        if by_number[b.item] in ("1", "2", "3"):
            assert b.x0 >= 72 - 8 and b.x1 <= RIGHT_X, (b.item, b.x0, b.x1)  # never over the right column
        else:
            assert b.x0 >= 72 + COLUMN and b.x1 <= W - 72 + 8, (b.item, b.x0, b.x1)


@pytest.mark.parametrize("which", ["pdf_release", "scan_release"])
def test_the_burned_in_release_leaks_nothing(which, request) -> None:
    rel = request.getfixturevalue(which)
    out = render(rel, "pdf", "original")
    assert_boxes_uniform(rel, out)
    seen = norm(ocr_text(out))
    assert "cedar reading room" in seen and "ember market" in seen  # the control: OCR reads the release
    for w in WITHHELD:
        assert w.lower() not in seen, w


def table_pdf(rows: list[tuple[str, ...]]) -> bytes:
    """A SECRET page with a (U) paragraph, a table right under it (no blank line) and a (U) paragraph."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.setFont("Helvetica", 11)
    c.drawString(72, H - 72, "SECRET")
    c.drawString(72, H - 110, "1. (U) Site status:")
    y = H - 126
    for cells in rows:
        for x, text in zip((90, 220, 380), cells, strict=False):
            c.drawString(x, y, text)
        y -= 16
    c.drawString(72, y - 20, "2. (U) The next review is planned for June.")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    "rows",
    [
        [("(U) Site", "(U) Status", "Note"), ("(U) Granite", "(S) GRANITE HOLLOW", "open")],  # an unmarked cell
        [("Site", "Status"), ("North", "(S) GRANITE HOLLOW")],  # unmarked row headers
        [("(U) Site", "(U) Status"), ("(U) Granite", "(C) GRANITE HOLLOW")],  # every cell marked
    ],
)
@pytest.mark.parametrize("scan", [False, True])
def test_a_marked_cell_is_never_read_into_its_neighbours_portion(engine, rows, scan) -> None:
    """Before, a row with an unmarked cell was one line, so `(U) Granite (S) GRANITE HOLLOW open` was one
    (U) portion and the (S) cell was released."""
    data = table_pdf(rows)
    rel = (
        Redactor(detector=FakeDetector([]), ingest_options={"ocr": True}).redact(scan_of(data), layout="original")
        if scan
        else engine.redact(data, layout="original")
    )
    assert "HOLLOW" not in rel.text.upper() and "planned for June" in rel.text
    cell = next(p for p in rel.portions if p.mark in ("(S)", "(C)"))
    assert cell.decision == "withhold"
    assert "HOLLOW" not in " ".join(w.text for page in rel.pages for w in page.words).upper()

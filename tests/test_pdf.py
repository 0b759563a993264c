"""The PDF release (redactor.render.pdf): what a reader sees, and the leak properties of pdf-safety.md.

Unit tests make their Releases through the engine (`make_release`: a cable the test writes, a detector
that finds the names it lists) and never load spaCy. Tests marked `model` run the
real engine on the seed cable and on synthetic cables with canaries in withheld portions.
"""

from __future__ import annotations

import io
import re
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdf_checks import (
    assert_fonts_embedded,
    assert_metadata,
    assert_no_canary_in_objects,
    assert_no_canary_in_text,
    assert_one_revision,
    assert_operators_whitelist,
    assert_pdf_clean,
    assert_same_pdf,
    assert_structure_whitelist,
    content_operators,
    extracted_texts,
    filled_rects,
)
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFPage,
    PDFResourceDictionary,
    PDFStream,
)
from reportlab.pdfgen.canvas import Canvas

from redactor import __version__
from redactor.engine import Redactor
from redactor.policy import Policy
from redactor.policy import load as load_policy
from redactor.release import Block, Release, ReleaseSettings, Run
from redactor.render import pdf as pdf_renderer
from redactor.render import render

SEED = Path(__file__).resolve().parent.parent / "examples" / "seed-09STATE103113.txt"
CANARY = "QZXJVKWCANARY"


# ------------------------------------------------------------------------------------ Release factory
# Every Release here is made by the engine from a cable the test writes, with a detector that finds the
# entities the test names (no spaCy): the renderer is tested on what the engine really hands it.
@dataclass(frozen=True)
class Ent:
    """A masked entity inside a released paragraph: the text the detector finds, and its type."""

    entity_type: str = "PERSON"
    hidden: str = "Li Wu"  # what the engine saw; only offsets and the fingerprint may depend on it


@dataclass(frozen=True)
class Leaky:
    """A placeholder that gives away the length of what it hides: what a broken engine would emit."""

    hidden: str


@dataclass(frozen=True)
class Withheld:
    """A withheld portion: its words, never to reach the PDF."""

    words: str = "Withheld words of the portion."


@dataclass
class Para:
    mark: str
    content: Withheld | list[str | Ent | Leaky]
    kind: str = "paragraph"


class SpecDetector:
    """Finds the test's entities (text -> entity type), so the engine runs without spaCy."""

    def __init__(self, found: dict[str, str]) -> None:
        self.found = found

    def load(self) -> None:
        return None

    def detect(self, texts, entities, *, allow=(), deny=(), patterns=(), propagate=True, names=(), codes_only=()):
        from redactor.detect import Finding, _merge

        out = []
        for t in texts:
            hits = [
                Finding(m.start(), m.end(), kind, 0.9)
                for hidden, kind in self.found.items()
                for m in re.finditer(re.escape(hidden), t)
            ]
            out.append(_merge(hits))
        return out


def _policy(box: str, stamp: dict[str, str] | None = None, **release: str) -> Policy:
    """public-release with every name masked (no official left visible) and the release settings given."""
    base = load_policy("public-release")
    look = {
        "case_number": "F-2024-00001",
        "doc_number": "C0000001",
        "reviewer": "A. Reviewer",
        "authority": "Records Office",
        "box": box,
        **release,
    }
    look.update({f"stamp_{kind}": wording for kind, wording in (stamp or {}).items()})
    return base.model_copy(
        update={
            "release": base.release.model_copy(update=look),
            "entities": base.entities.model_copy(update={"officials": "mask"}),
        }
    )


def make_release(
    paragraphs: list[Para],
    *,
    reference: str = "STATE 123456",
    original_banner: str = "SECRET",
    box: str = "black",
    header: bool = True,
    date: str = "2015-12-31",
    **release: Any,
) -> Release:
    """The engine's release of a cable: the letter-spaced banner line, the header fields (a masked name on
    the Classified By line), then one paragraph per Para, numbered unless unmarked."""
    found: dict[str, str] = {}

    def words(pieces: list[str | Ent | Leaky]) -> str:
        out = []
        for piece in pieces:
            if isinstance(piece, Ent):
                found[piece.hidden] = piece.entity_type
                out.append(piece.hidden)
            elif isinstance(piece, Leaky):
                out.append("X" * len(piece.hidden))
            else:
                out.append(piece)
        return "".join(out)

    lines = [f"{' '.join(original_banner)} {reference}", ""]
    if header:
        lines += ["SIPDIS", "", "E.O. 12958: DECL: 09/25/2029", "TAGS: PREL PGOV PINR", ""]
        lines += [f"Classified By: Ambassador {words([Ent()])}. Reason 1.4 (d)", ""]
    number = 0
    for para in paragraphs:
        text = para.content.words if isinstance(para.content, Withheld) else words(para.content)
        if para.kind == "subject":
            lines += [f"SUBJECT: {para.mark} {text}", ""]
        elif para.mark:
            number += 1
            lines += [f"{number}. {para.mark} {text}", ""]
        else:
            lines += [text, ""]
    engine = Redactor(detector=SpecDetector(found))
    return engine.redact("\n".join(lines).encode("utf-8"), policy=_policy(box, **release), date=date)


def cable(name: str = "Li Wu", *, leaky: bool = False) -> Release:
    """The cable of the side-channel gate: one name masked in a released paragraph, one withheld paragraph."""
    who = Leaky(name) if leaky else Ent(hidden=name)
    return make_release(
        [
            Para("(U)", ["Participants: the minister, ", who, ", and the ambassador."]),
            Para("(S)", Withheld()),
            Para("(U)", ["The meeting ended at noon."]),
        ]
    )


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def struck_words(pdf: bytes, page_number: int = 1) -> list[str]:
    """Words that a horizontal line crosses in the middle of their height (shown struck through)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[page_number - 1]
        lines = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.5]
        out = []
        for word in page.extract_words():
            height = word["bottom"] - word["top"]
            for ln in lines:
                if (
                    word["top"] + height * 0.25 < ln["top"] < word["bottom"] - height * 0.2
                    and ln["x0"] <= word["x0"] + 1
                    and ln["x1"] >= word["x1"] - 1
                ):
                    out.append(word["text"])
                    break
        return out


LONG = "Garcia Belaunde noted the incident was a tragedy, resulting from the lack of information. " * 4


@pytest.fixture(scope="module")
def part() -> Release:
    return make_release(
        [
            Para(
                "(U)",
                [
                    "September 25, 2009; New York City. José Ñúñez said “we agree” — café ",
                    Ent(),
                    " and ",
                    Ent("EMAIL_ADDRESS", hidden="someone@example.org"),
                    ".",
                ],
            ),
            Para("(C)", Withheld()),
            Para("(U)", [LONG]),
            Para("(SBU)", Withheld()),
            Para("(U)", [LONG, Ent(hidden="Johnathan Q. Smithers"), LONG]),
        ]
    )


@pytest.fixture(scope="module")
def part_pdf(part: Release) -> bytes:
    return pdf_renderer.render(part)


def _hidden_name(n: int) -> str:
    """A name of its own for each paragraph, longer each time (none is part of another)."""
    return f"Nomen{n:02d}" + "q" * n


def long_release(paragraphs: int = 40) -> Release:
    """Many pages, withheld portions and entities landing on different pages and line positions."""
    paras = []
    for n in range(paragraphs):
        if n % 5 == 3:
            paras.append(Para("(S)", Withheld()))
        else:
            paras.append(Para("(U)", [LONG[: 40 + 13 * n], Ent(hidden=_hidden_name(n)), LONG[:90]]))
    return make_release(paras)


# ------------------------------------------------------------------------------------- what it shows
def test_registry_renders_pdf(part: Release, part_pdf: bytes) -> None:
    assert render(part, "pdf") == part_pdf
    assert part_pdf.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(part_pdf)).pages) >= 2


def test_every_page_has_header_and_footer(part_pdf: bytes) -> None:
    pages = page_texts(part_pdf)
    for n, text in enumerate(pages, start=1):
        assert text.count("UNCLASSIFIED") >= 2, f"page {n}: banner not in header and footer"
        assert "Case No. F-2024-00001" in text and "Doc No. C0000001" in text and "Date: 2015-12-31" in text
        assert "Declassified release" in text
        assert f"Page {n} of {len(pages)}" in text


def test_neutral_defaults_in_header() -> None:
    release = make_release([Para("(U)", ["Text."])])
    release = release.model_copy(update={"settings": ReleaseSettings()})
    text = page_texts(pdf_renderer.render(release))[0]
    assert "Declassified release" in text and "Case No." not in text and "Date: not set" in text


def test_first_page_stamp_declassification_block_and_struck_lines(part: Release, part_pdf: bytes) -> None:
    first = page_texts(part_pdf)[0]
    assert "RELEASE IN PART" in first
    assert set(part.codes) == {"B6", "B1", "1.4(D)", "B5"} and ", ".join(part.codes) in first
    for expected in (
        "Declassified under policy: public-release",
        "Review authority: Records Office",
        "Reviewed by: A. Reviewer",
        "Date of release: 2015-12-31",
    ):
        assert expected in first
    struck = struck_words(part_pdf)
    assert {"S", "E", "C", "R", "T", "STATE", "123456", "E.O.", "12958:", "DECL:", "Classified", "By:"} <= set(struck)
    assert struck.count("(U)") == 3 and "(C)" in struck and "(SBU)" in struck  # released and withheld marks
    assert "SIPDIS" in struck  # the caption of the original marking is superseded too
    assert "UNCLASSIFIED" not in struck and "TAGS:" not in struck and "September" not in struck


def test_stamp_wording_from_policy() -> None:
    release = make_release(
        [Para("(U)", ["Text."])],
        header=False,
        stamp={"full": "RELEASED IN FULL BY THE BOARD", "part": "x", "withheld": "y"},
    )
    text = extracted_texts(pdf_renderer.render(release))["pdfminer"]
    assert "RELEASED IN FULL BY THE BOARD" in " ".join(text.split())


def test_portions_are_numbered_with_labels_and_boxes(part_pdf: bytes) -> None:
    text = extracted_texts(part_pdf)["pdfminer"]
    assert re.search(r"1\. \(U\) September 25", text)
    assert "B1 1.4(D)" in text and "B5" in text  # withheld boxes say their codes
    assert text.count("B6") >= 4  # entity boxes, stamp, index


def test_accents_and_curly_quotes_render(part_pdf: bytes) -> None:
    for name, text in extracted_texts(part_pdf).items():
        assert "José Ñúñez said “we agree” — café" in text.replace("\n", " ") or name == "pdfplumber"
    assert "JoséÑúñezsaid“weagree”—café" in re.sub(r"\s", "", extracted_texts(part_pdf)["pdfplumber"])


def test_letters_beyond_latin_1_render_and_a_missing_glyph_is_visible() -> None:
    """Latin Extended, Greek and Cyrillic letters are drawn as themselves (Vera had none of them: `Wałęsa`
    lost its `ę`); a character the packaged font has no glyph for is drawn and extracted as U+FFFD, never
    as an empty glyph that reads as nothing."""
    words = "Wałęsa Dvořák Erdoğan Şişli Ελλάδα Москва"
    pdf = pdf_renderer.render(make_release([Para("(U)", [f"{words} met 中文 today."])]))
    for name, text in extracted_texts(pdf).items():
        flat = text.replace("\n", " ")
        assert words.replace(" ", "") in flat.replace(" ", ""), name
        assert "\ufffd\ufffd" in flat and "\x00" not in flat, name


def test_markup_in_text_is_escaped() -> None:
    nasty = '<b>not bold</b> & <font size="40">x</font> &amp; <onDraw name="x"/> ]]> <br/>'
    release = make_release([Para("(U)", [nasty])])
    # No cable reads so, but the title must escape whatever it gets.
    release = release.model_copy(update={"reference": "STATE <1> & co"})
    pdf = pdf_renderer.render(release)
    text = extracted_texts(pdf)["pdfminer"]
    assert nasty in text.replace("\n", " ")
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Release of STATE <1> & co"


def test_long_lines_stay_inside_the_margins() -> None:
    url = "https://example.org/" + "very-long-path-segment/" * 20 + "?q=" + "a" * 120
    release = make_release(
        [Para("(U)", [f"See {url} and TAGS: " + " ".join(["PREL", "PGOV"] * 60)]), Para("(U)", ["-" * 400])]
    )
    at = next(i for i, b in enumerate(release.blocks) if b.field == "tags")
    tags = release.blocks[at].model_copy(update={"runs": [Run("TAGS: " + "".join(["PREL", "PGOV", "PINR"] * 50))]})
    release = release.model_copy(update={"blocks": [*release.blocks[:at], tags, *release.blocks[at + 1 :]]})
    pdf = pdf_renderer.render(release)
    margin = pdf_renderer.MARGIN - 0.5
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for char in page.chars:
                assert margin <= char["x0"] and char["x1"] <= page.width - margin


def margin_sweep() -> Release:
    """Entities that land at every position along a line, the line end included."""
    return make_release([Para("(U)", [LONG[: 60 + 2 * k], Ent(), " tail"]) for k in range(40)])


def test_boxes_stay_inside_the_margins() -> None:
    pdf = pdf_renderer.render(margin_sweep())
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for rect in page.rects:
                assert pdf_renderer.MARGIN - 1 <= rect["x0"] and rect["x1"] <= page.width - pdf_renderer.MARGIN + 1


def test_new_banner_above_struck_lines_without_a_banner_block() -> None:
    release = make_release([Para("(U)", ["Text."])])
    release = release.model_copy(update={"blocks": [b for b in release.blocks if b.kind != "banner"]})
    words = [w for w in page_texts(pdf_renderer.render(release))[0].split("\n")]
    assert words.index("UNCLASSIFIED", 1) < words.index("S E C R E T STATE 123456")


def test_black_boxes_have_one_size_per_kind() -> None:
    release = long_release()
    pdf = pdf_renderer.render(release)
    rects = filled_rects(pdf)
    sizes = {(w, h) for _, w, h in rects}
    assert len(sizes) == 2, f"box sizes {sizes}"
    withheld_size = max(sizes, key=lambda s: s[1])
    entity_size = min(sizes, key=lambda s: s[1])
    entities = sum(1 for b in release.blocks for r in b.runs if r.redaction)
    assert sum(1 for r in rects if (r[1], r[2]) == withheld_size) == len(release.withheld())
    assert sum(1 for r in rects if (r[1], r[2]) == entity_size) == entities
    assert len({page for page, _, _ in rects}) > 2  # boxes on several pages, still one size


def test_withheld_box_size_does_not_depend_on_codes(part_pdf: bytes) -> None:
    rects = filled_rects(part_pdf)
    assert len({(w, h) for _, w, h in rects if h > 20}) == 1
    assert len([r for r in rects if r[2] > 20]) == 2


def test_white_boxes_with_a_border() -> None:
    pdf = pdf_renderer.render(make_release([Para("(U)", ["a ", Ent(), " b"]), Para("(S)", Withheld())], box="white"))
    assert filled_rects(pdf) == []
    white = filled_rects(pdf, (1, 1, 1))
    assert len(white) == 3 and len({(w, h) for _, w, h in white}) == 2
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert all(r["stroke"] for r in doc.pages[0].rects if tuple(r["non_stroking_color"]) == (1, 1, 1))


def _index_rows(pdf: bytes) -> list[list[str]]:
    rows: list[list[str]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            if rows or "Index of withholdings" in page.extract_text_simple():
                for table in page.extract_tables():
                    rows += [[(c or "").replace("\n", " ") for c in row] for row in table if row and row[0] != "Item"]
    return rows


def test_index_of_withholdings_lists_every_item_with_its_page() -> None:
    release = long_release(24)
    pdf = pdf_renderer.render(release)
    rows = _index_rows(pdf)
    entities = [r for r in release.redactions]
    assert len(rows) == len(release.withheld()) + len(entities)
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    portion_rows = [r for r in rows if r[3] == "Portion withheld in full"]
    assert [r[2] for r in portion_rows] == [p.number for p in release.withheld()]
    assert all(r[4] == "B1 1.4(D)" for r in portion_rows)
    box_pages = [page for page, _, h in filled_rects(pdf) if h > 20]
    assert [int(r[1]) for r in portion_rows] == box_pages
    entity_pages = [page for page, _, h in filled_rects(pdf) if h < 20]
    entity_rows = [r for r in rows if r[3] != "Portion withheld in full"]
    assert sorted(int(r[1]) for r in entity_rows) == sorted(entity_pages)
    assert entity_rows[0][2] == "Classified By line" and entity_rows[1][2] == "1"
    pages = page_texts(pdf)
    assert "Index of withholdings" in pages[-1] and "Item Page Paragraph" in pages[-1]
    assert "Index of withholdings" not in "".join(pages[:-1])  # a section of its own, at the end


def test_index_locates_unnumbered_portions() -> None:
    release = make_release([Para("(U)", ["Text."]), Para("", Withheld())], header=False)
    assert _index_rows(pdf_renderer.render(release))[0][2] == "Unnumbered, after 1"


def test_index_when_nothing_is_withheld() -> None:
    pdf = pdf_renderer.render(make_release([Para("(U)", ["Only public text."])], header=False))
    assert "RELEASE IN FULL" in page_texts(pdf)[0]
    assert "No information was withheld" in page_texts(pdf)[-1]


def test_withheld_in_full_gives_stamp_header_index_and_placeholder_page() -> None:
    release = make_release([Para("(S)", Withheld()), Para("(SBU)", Withheld())])
    assert release.disposition == "WITHHELD IN FULL"
    pdf = pdf_renderer.render(release)
    pages = page_texts(pdf)
    assert len(pages) == 2
    assert "WITHHELD IN FULL" in pages[0]
    assert f"withheld in full under exemption(s) {' '.join(release.codes)}" in pages[0]
    assert set(release.codes) == {"B6", "B1", "1.4(D)", "B5"}
    assert all("Case No. F-2024-00001" in p and "UNCLASSIFIED" in p for p in pages)
    assert "TAGS" not in pages[0] and "SIPDIS" not in pages[0]  # the placeholder replaces the text
    assert [r[2] for r in _index_rows(pdf)] == ["1", "2", "Classified By line"]
    assert len({(w, h) for _, w, h in filled_rects(pdf)}) == 1
    assert_pdf_clean(pdf, [])


def test_empty_release_is_still_a_valid_pdf() -> None:
    release = make_release([], header=False)
    release = release.model_copy(update={"blocks": []})
    pdf = pdf_renderer.render(release)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert_pdf_clean(pdf, [])


def test_unknown_block_kind_is_an_error() -> None:
    release = make_release([Para("(U)", ["x"])])
    release = release.model_copy(update={"blocks": [*release.blocks, Block("mystery", [Run("x")])]})
    with pytest.raises(ValueError, match="mystery"):
        pdf_renderer.render(release)


# --------------------------------------------------------------------- pdf-safety.md properties 1-10
def test_1_2_no_canary_from_fields_the_pdf_must_not_print() -> None:
    """The renderer prints only what a reader should see: notes, fingerprints and spare keys stay out."""
    release = make_release(
        [
            Para("(S)", Withheld(f"{CANARY} subject line"), kind="subject"),
            Para("(U)", ["Public text ", Ent(hidden=CANARY), "."]),
            Para("(S)", Withheld(f"{CANARY} withheld")),
        ],
    )
    document = release.document.model_copy(update={"subject": f"{CANARY} subject line", "classified_subject": CANARY})
    flagged = release.portions[1].model_copy(update={"flags": [CANARY]})
    release = release.model_copy(
        update={
            "document": document,
            "notes": [f"reviewer note {CANARY}"],
            "fingerprint": CANARY,
            "text": release.text + CANARY,
            "portions": [release.portions[0], flagged, *release.portions[2:]],
        }
    )
    pdf = pdf_renderer.render(release)
    assert_pdf_clean(pdf, [CANARY], fragment_canaries=[CANARY])


def test_1_text_check_catches_a_visible_canary() -> None:
    pdf = pdf_renderer.render(make_release([Para("(U)", [f"leaked {CANARY} here"])]))
    with pytest.raises(AssertionError, match="found in text"):
        assert_no_canary_in_text(pdf, [CANARY])
    with pytest.raises(AssertionError, match="piece"):
        assert_no_canary_in_text(pdf, [], fragment_canaries=[CANARY[2:9] + "PLUS"])
    with pytest.raises(AssertionError):
        assert_pdf_clean(pdf, [CANARY])


def test_2_object_check_catches_utf16_metadata_and_unreferenced_streams() -> None:
    pdf = pdf_renderer.render(make_release([Para("(U)", ["x"])], agency=f"Agência {CANARY}"))
    with pytest.raises(AssertionError, match="found in"):
        assert_no_canary_in_objects(pdf, [CANARY])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_renderer.render(make_release([])))))
    stream = DecodedStreamObject()
    stream.set_data(f"hidden {CANARY}".encode("utf-16-be"))
    writer._add_object(stream.flate_encode())  # an object nothing refers to
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(AssertionError, match="decoded stream|raw stream"):
        assert_no_canary_in_objects(out.getvalue(), [CANARY])


def test_3_metadata_is_exactly_what_the_project_sets(part_pdf: bytes) -> None:
    assert_metadata(
        part_pdf,
        {
            "/Title": "Release of STATE 123456",
            "/Author": "Declassified release",
            "/Subject": "RELEASE IN PART",
            "/Creator": f"redactor {__version__}",
            "/Producer": f"redactor {__version__}",
            "/Keywords": "",
            "/CreationDate": "D:20151231000000+00'00'",
            "/ModDate": "D:20151231000000+00'00'",
            "/Trapped": "/False",
        },
    )


def test_3_title_comes_from_the_reference_only() -> None:
    release = make_release(
        [Para("(S)", Withheld(CANARY), kind="subject"), Para("(U)", ["Text."])],
    )
    pdf = pdf_renderer.render(release)
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Release of STATE 123456"
    assert "Subject" in [r[2] for r in _index_rows(pdf)]
    assert_pdf_clean(pdf, [CANARY])


def test_4_one_revision(part_pdf: bytes) -> None:
    assert_one_revision(part_pdf)
    with pytest.raises(AssertionError, match="revision"):
        assert_one_revision(part_pdf + b"\n1 0 obj\n<<>>\nendobj\nstartxref\n0\n%%EOF\n")


def test_5_structure_whitelist(part_pdf: bytes) -> None:
    assert_structure_whitelist(part_pdf)


def _canvas_pdf(draw) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_5_structure_check_catches_outlines_and_links() -> None:
    def outline(c: Canvas) -> None:
        c.bookmarkPage("p1")
        c.addOutlineEntry("secret heading", "p1")

    def link(c: Canvas) -> None:
        c.linkURL("https://example.org", (0, 0, 10, 10))

    for draw in (outline, link):
        with pytest.raises(AssertionError, match="Outlines|Annots|catalog|page 1 keys"):
            assert_structure_whitelist(_canvas_pdf(draw))


def test_6_operator_whitelist(part_pdf: bytes) -> None:
    assert_operators_whitelist(part_pdf)
    assert b"Tr" not in content_operators(part_pdf)


def test_6_operator_check_catches_invisible_text() -> None:
    def invisible(c: Canvas) -> None:
        text = c.beginText(72, 72)
        text.setTextRenderMode(3)
        text.textLine(CANARY)
        c.drawText(text)

    with pytest.raises(AssertionError, match="render modes"):
        assert_operators_whitelist(_canvas_pdf(invisible))


def test_7_fonts_embedded_with_tounicode(part_pdf: bytes) -> None:
    assert_fonts_embedded(part_pdf)
    with pytest.raises(AssertionError, match="TrueType|Type1|embedded"):
        assert_fonts_embedded(_canvas_pdf(lambda c: c.drawString(72, 72, "Helvetica")))


def test_8_box_sizes_do_not_depend_on_what_was_hidden() -> None:
    short = pdf_renderer.render(make_release([Para("(U)", ["a ", Ent(hidden="Li"), " b"])]))
    long_ = pdf_renderer.render(make_release([Para("(U)", ["a ", Ent(hidden="Johnathan Q. Smithers" * 5), " b"])]))
    assert filled_rects(short) == filled_rects(long_)


def test_9_side_channel_gate() -> None:
    """Two inputs differing only in a hidden name's length and letters give byte-identical PDFs."""
    short, long_ = cable("Li Wu"), cable("Johnathan Q. Smithers")
    assert short.fingerprint != long_.fingerprint  # the engine saw two different cables
    assert_same_pdf(pdf_renderer.render(short), pdf_renderer.render(long_))


def test_9_side_channel_gate_negative_control() -> None:
    """A leaky placeholder (one X per character) must make the gate fail, or the gate proves nothing."""
    short, long_ = cable("Li Wu", leaky=True), cable("Johnathan Q. Smithers", leaky=True)
    with pytest.raises(AssertionError, match="PDFs differ"):
        assert_same_pdf(pdf_renderer.render(short), pdf_renderer.render(long_))


def test_10_deterministic(part: Release, part_pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf_renderer.render(long_release(8))  # other documents in between share the font registry
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    assert_same_pdf(pdf_renderer.render(part), part_pdf)


def test_all_properties_on_a_long_release() -> None:
    release = long_release(60)
    pdf = pdf_renderer.render(release)
    pages = page_texts(pdf)
    assert len(pages) >= 5
    assert "Item Page Paragraph" in pages[-1] and "Index of withholdings" not in pages[-1]  # header repeats
    assert_pdf_clean(pdf, [_hidden_name(12), CANARY])


# ----------------------------------------------------------------------- through the engine (spaCy)
@pytest.fixture(scope="module")
def engine(redactor):
    """The session's real Redactor (conftest), skipping while the engine cannot redact yet."""
    try:
        redactor.redact(b"UNCLASSIFIED\n\n1. (U) Test.\n", policy="public-release")
    except NotImplementedError:
        pytest.skip("engine.redact is not implemented yet")
    return redactor


SEED_WITHHELD = [
    "Micheletti",
    "helicopters",
    "night vision goggles",
    "Bagua",
    "Brazilian Embassy",
    "San Jose Accords",
    "Panamanians",
    "Shining Path",
    "narcotraffickers",
    "salutary",
]


@pytest.mark.model
def test_seed_release_pdf(engine) -> None:
    release = engine.redact(SEED.read_bytes(), policy="public-release")
    pdf = pdf_renderer.render(release)
    assert_pdf_clean(pdf, SEED_WITHHELD)
    first = page_texts(pdf)[0]
    assert release.disposition in first and "STATE 103113" in first
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Release of STATE 103113"
    rects = filled_rects(pdf)
    assert len({(w, h) for _, w, h in rects if h > 20}) <= 1
    assert len({(w, h) for _, w, h in rects if h < 20}) <= 1
    officials = {o.name for o in release.officials}  # one row per official whose name the policy released
    assert len(_index_rows(pdf)) == len(release.withheld()) + len(release.redactions) + len(officials)
    assert_same_pdf(pdf, pdf_renderer.render(engine.redact(SEED.read_bytes(), policy="public-release")))


@pytest.mark.model
def test_seed_masked_names_do_not_appear(engine) -> None:
    pdf = pdf_renderer.render(engine.redact(SEED.read_bytes(), policy="public-release"))
    # (public-release releases officials' names, McMullen's among them; these two are private persons)
    assert_no_canary_in_text(pdf, ["Mangiaracina", "Humalla"])
    assert_no_canary_in_objects(pdf, ["Mangiaracina", "Humalla"])


SYNTHETIC = [
    "S E C R E T STATE 123456\n\n1. (U) Public text.\n\n2. (S) {c} secret text.\n",
    "CONFIDENTIAL\n\nSUBJECT: (C) {c} MEETING\n\n1. (U) Public text about the meeting.\n",
    "SECRET//NOFORN\n\n1. (U) Public text.\n\n2. (S//NF) Details follow:\n\nA. (S//NF) {c} is the source.\n",
    "S E C R E T STATE 123456\n\n1. (U) Public text.\n\n2. (S) Secret about {c}.\n\n3. (C) And {c} again.\n",
]


@pytest.mark.parametrize("template", SYNTHETIC)
def test_canary_through_the_engine_with_a_fake_detector(fake_redactor, template: str) -> None:
    """The engine's real decisions and blocks, no spaCy: the withheld canary never reaches the PDF."""
    release = fake_redactor(["Li Wu"]).redact(template.format(c=CANARY).encode(), policy="public-release")
    assert release.withheld()
    assert_pdf_clean(
        pdf_renderer.render(release),
        [CANARY, "secret text", "is the source", "Secret about"],
        fragment_canaries=[CANARY],
    )


def test_side_channel_gate_through_the_engine_with_a_fake_detector(fake_redactor) -> None:
    """A name masked in a released portion and the same name in a withheld one: length never shows."""
    text = "S E C R E T STATE 123456\n\n1. (U) The minister met {name} today.\n\n2. (S) {name} is the source.\n"
    names = ["Li Wu", "Johnathan Q. Smithers"]
    short, long_ = (fake_redactor(names).redact(text.format(name=n).encode(), policy="public-release") for n in names)
    assert len(short.redactions) == len(long_.redactions) == 1
    pdf = pdf_renderer.render(short)
    assert_same_pdf(pdf, pdf_renderer.render(long_))
    assert_pdf_clean(pdf, names + ["is the source"])


@pytest.mark.model
@pytest.mark.parametrize("template", SYNTHETIC)
def test_canary_in_withheld_portion_never_reaches_the_pdf(engine, template: str) -> None:
    pdf = pdf_renderer.render(engine.redact(template.format(c=CANARY).encode(), policy="public-release"))
    assert_pdf_clean(pdf, [CANARY, "secret text", "is the source", "Secret about"], fragment_canaries=[CANARY])


@pytest.mark.model
def test_side_channel_gate_through_the_engine(engine) -> None:
    text = "S E C R E T STATE 123456\n\n1. (U) The minister met us.\n\n2. (S) {name} is the source.\n"
    short = engine.redact(text.format(name="Li Wu").encode(), policy="public-release")
    long_ = engine.redact(text.format(name="Johnathan Q. Smithers").encode(), policy="public-release")
    assert_same_pdf(pdf_renderer.render(short), pdf_renderer.render(long_))


def test_reportlab_runs_with_its_c_accelerator() -> None:
    """rl-accel is a declared dependency: reportlab's width and number formatting run in C, not its Python
    fallbacks (15% of the render time on the corpus; the PDF bytes are the same)."""
    from reportlab.lib import rl_accel

    assert not rl_accel.fp_str.__name__.startswith("_py")
    assert not rl_accel.instanceStringWidthTTF.__name__.startswith("_py")


def _reportlab_document(contents: list[bytes], info: dict[str, str]) -> Any:
    """A document of these compressed page contents made with reportlab's own page, resource, catalog and
    information objects, as the renderer made it before its objects formatted themselves."""
    doc = PDFDocument(compression=1, invariant=1, lang="en")
    resources = PDFResourceDictionary()
    resources.basicFonts()
    shared = doc.Reference(resources)
    for content in contents:
        page = PDFPage()
        page.pagewidth, page.pageheight = letter
        page.Rotate = 0
        page.Resources = shared
        page.Contents = PDFStream(PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])}), content)
        doc.addPage(page)
    for key, value in info.items():
        setattr(doc.info, key, value)
    doc.setDateFormatter(lambda *_: "D:20261201000000+00'00'")
    return doc


def test_document_objects_write_what_reportlabs_own_write() -> None:
    """The page dictionaries, page tree, resources, catalog and information dictionary that format themselves
    in one go write the bytes reportlab's own objects write: a page tree of more than ten kids, metadata with
    parentheses and characters outside PDFDocEncoding."""
    info = {"title": "Release of (STATE) 1 \\ Wałęsa ✓", "author": "Agence Ünïcode", "subject": "RELEASE IN PART"}
    info |= {"creator": "redactor", "producer": "redactor", "keywords": ""}
    doc = pdf_renderer._Document()
    contents = []
    for n in range(23):
        code = [f"BT 1 0 0 1 72 720 Tm ET % page {n}"]
        contents.append(zlib.compress(f"{code[0]}\n".encode(), pdf_renderer._FLATE_LEVEL))
        doc.add_page(code)
    for key, value in info.items():
        setattr(doc.info, key, value)
    doc.setDateFormatter(lambda *_: "D:20261201000000+00'00'")
    assert doc.data() == _reportlab_document(contents, info).GetPDFData(None)

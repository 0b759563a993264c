"""Every corpus cable: banner level and numbered paragraphs with their levels, as in MANIFEST.md."""

from __future__ import annotations

import pytest

from redactor.ingest import read
from redactor.segment import segment
from tests.conftest import CORPUS, needs_corpus

U, C, S = "UNCLASSIFIED", "CONFIDENTIAL", "SECRET"
SBU = (U, ["SBU"])
NF = ["NOFORN"]

# file -> (banner level, banner controls, [(number, level or (level, controls))...] for numbered paragraphs)
EXPECTED = {
    "72TEHRAN1164.txt": (U, [], [(str(n), U) for n in range(1, 9)]),
    "90MANAMA4053.txt": (U, [], [("1", U), ("2", U), ("3", U)]),
    "02HARARE1001.txt": (U, [], [("1", U), ("2", U)]),
    "04HELSINKI1024.txt": (C, [], []),
    "06PARTO9.txt": (
        C,
        NF,
        [("1", U), ("2", U), ("3", SBU), ("4", C), ("5", C), ("6", C), ("7", C), ("7", C), ("8", C)],
    ),
    "08BRASILIA93.txt": (
        C,
        [],
        [("1", U), ("2", C), ("3", C), ("4", SBU), ("5", SBU), ("6", SBU), ("7", C), ("8", C), ("9", C)],
    ),
    "08LONDON1939.txt": (C, NF, [("1", C), ("2", U), ("3", C), ("4", C), ("5", C), ("6", C), ("7", C), ("8", (C, NF))]),
    "08TRIPOLI220.txt": (C, [], [(str(n), C) for n in range(1, 12)]),
    "08USNATO208.txt": (
        S,
        NF,
        [(str(n), C) for n in range(1, 12)] + [("12", (S, NF)), ("13", (S, NF)), ("14", (S, NF)), ("15", U)],
    ),
    "09ASHGABAT218.txt": (S, NF, [("1", (S, NF)), ("2", (S, NF)), ("3", (S, NF))]),
    "09BAKU20.txt": (
        S,
        NF,
        [("1", C), ("2", U), ("3", C), ("4", C), ("5", C), ("6", (S, NF)), ("7", C), ("7", C), ("8", C)],
    ),
    "09BELFAST30.txt": (C, NF, [(str(n), C) for n in range(1, 11)]),
    "09CAIRO258.txt": (U, ["SBU"], [("1", SBU)] + [(str(n), U) for n in range(2, 8)] + [("8", SBU)]),
    "10ADANA13.txt": (U, [], [(str(n), U) for n in range(1, 7)]),
    "10BERLIN160.txt": (U, [], [(str(n), U) for n in range(1, 10)] * 2),
    "10BUDAPEST51.txt": (U, ["SBU"], []),
    "10CHENGDU30.txt": (
        U,
        ["SBU"],
        [
            ("1", SBU),
            ("2", SBU),
            ("3", U),
            ("4", SBU),
            ("5", U),
            ("6", U),
            ("7", SBU),
            ("8", SBU),
            ("9", SBU),
            ("10", SBU),
        ],
    ),
    "10CHISINAU81.txt": (U, ["SBU"], [("1", SBU), ("2", SBU), ("3", SBU)]),
    "10DAMASCUS106.txt": (C, [], [(str(n), C) for n in range(1, 14)]),
    "10STATE284.txt": (
        C,
        [],
        [("1", U), ("2", C), ("3", C), ("4", C), ("5", (C, ["REL TO USA, LBY"])), ("6", (C, NF))],
    ),
    "seed-09STATE103113.txt": (
        S,
        [],
        [
            ("1", U),
            ("2", U),
            ("3", S),
            ("4", C),
            ("5", C),
            ("6", C),
            ("7", U),
            ("8", C),
            ("9", S),
            ("10", S),
            ("11", S),
        ],
    ),
}
# Unnumbered portions that carry their own mark.
UNNUMBERED_MARKED = {"04HELSINKI1024.txt": [(C, [])], "10BUDAPEST51.txt": [SBU]}


def _norm(level) -> tuple[str, list[str]]:
    return (level, []) if isinstance(level, str) else (level[0], list(level[1]))


def _doc(name: str):
    return segment(read((CORPUS / name).read_bytes()))


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_banner_and_paragraph_levels(name):
    level, controls, paragraphs = EXPECTED[name]
    doc = _doc(name)
    assert doc.banner is not None
    assert (doc.banner.level, doc.banner.controls_out()) == (level, controls)
    got = [(p.number, (p.marking.level, p.marking.controls_out())) for p in doc.portions if p.kind == "paragraph"]
    assert got == [(n, _norm(lv)) for n, lv in paragraphs]


@needs_corpus
@pytest.mark.parametrize("name", sorted(UNNUMBERED_MARKED))
def test_unnumbered_marked_portions(name):
    doc = _doc(name)
    got = [(p.marking.level, p.marking.controls_out()) for p in doc.portions if p.kind == "unnumbered" and p.mark]
    assert got == [_norm(x) for x in UNNUMBERED_MARKED[name]]


@needs_corpus
def test_every_corpus_file_has_expectations():
    assert {p.name for p in CORPUS.glob("*.txt")} == set(EXPECTED)


@needs_corpus
def test_usnato_bullets_carry_their_own_marks():
    doc = _doc("08USNATO208.txt")
    bullets = [p for p in doc.portions if p.kind == "bullet"]
    assert len(bullets) == 7
    assert all(b.number == "2" and b.mark == "(C)" and b.source == "explicit" for b in bullets)


@needs_corpus
def test_seed_run_on_paragraph_nine_is_its_own_secret_portion():
    doc = _doc("seed-09STATE103113.txt")
    p8 = next(p for p in doc.portions if p.number == "8")
    p9 = next(p for p in doc.portions if p.number == "9")
    assert doc.text[p8.start : p8.end].endswith("as well as the UN.")
    assert doc.text[p9.start : p9.end].startswith("9. (S) Garcia Belaunde said")
    assert (p8.marking.level, p9.marking.level) == (C, S)


@needs_corpus
@pytest.mark.parametrize(
    ("name", "reference", "decl", "reasons"),
    [
        ("seed-09STATE103113.txt", "STATE 103113", "2029-09-25", ["1.4(d)"]),
        ("04HELSINKI1024.txt", "HELSINKI 1024", "2014-08-03", ["1.4(a)", "1.4(d)"]),
        ("08BRASILIA93.txt", "BRASILIA 93", "2018-01-08", ["1.5(b)", "1.5(d)"]),
        ("08LONDON1939.txt", "LONDON 1939", "2018-07-25", ["1.4(b)", "1.4(d)"]),
        ("09BAKU20.txt", "BAKU 20", "2029-01-13", ["1.4(b)", "1.4(d)"]),
        ("09BELFAST30.txt", "BELFAST 17", "2019-03-09", ["1.4(b)"]),
        ("08TRIPOLI220.txt", "TRIPOLI 220", "2018-03-13", ["1.4(b)", "1.4(d)"]),
        ("06PARTO9.txt", "PARTO 9", "2006-02-23", ["1.4(d)"]),
        ("02HARARE1001.txt", "HARARE 1001", "N/A", []),
        ("90MANAMA4053.txt", "MANAMA 4053", "N/A", []),
    ],
)
def test_header_fields(name, reference, decl, reasons):
    doc = _doc(name)
    assert doc.reference == reference
    assert (doc.decl.date or doc.decl.code) == decl
    assert doc.reasons == reasons


@needs_corpus
def test_wikileaks_metadata_does_not_override_the_text():
    doc = _doc("09CAIRO258.txt")
    assert doc.metadata["classification"].startswith("SECRET")
    assert doc.banner.level == U


EXTRA = CORPUS.parent / "cables-extra"
extra_files = sorted(EXTRA.glob("*.txt")) if EXTRA.is_dir() else []


@pytest.mark.parametrize("path", extra_files, ids=lambda p: p.name)
def test_extra_cables_are_covered_once_and_release_nothing_above_unclassified(fake_redactor, path):
    from redactor.markings import US, rank
    from tests.test_segment import assert_covers

    doc = segment(read(path.read_bytes()))
    assert_covers(doc)
    for p in doc.portions:
        assert p.started_by and p.ended_by
    rel = fake_redactor().redact(path.read_bytes(), policy="public-release")
    by_id = {p.id: p for p in doc.portions}
    for d in rel.portions:
        if d.decision == "release":
            p = by_id[d.id]
            assert p.marking is not None and rank(p.marking, US) == 0, f"{d.id} released at {p.marking}"
    assert rel.banner.startswith("UNCLASSIFIED")

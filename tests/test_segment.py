"""The cable grammar on fragments, and the property that nothing is lost."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactor.errors import RedactorError
from redactor.ingest import read
from redactor.segment import normalise_decl, normalise_reasons, segment
from tests.conftest import corpus_files

HEAD = (
    "S E C R E T STATE 000123\n\nSIPDIS\n\nE.O. 12958: DECL: 09/25/2029\nTAGS: PREL PGOV\n"
    "SUBJECT: (U) A TEST\n\nClassified By: Someone. Reason 1.4 (b) and (d)\n\n"
)


def paragraphs(body: str, head: str = HEAD) -> list[tuple[str, str, str | None, str]]:
    doc = segment(head + body)
    return [
        (p.kind, p.number, p.mark, p.marking.level if p.marking else None) for p in doc.portions if p.kind != "subject"
    ]


CASES = [
    ("4.(C) No space after the number.", [("paragraph", "4", "(C)", "CONFIDENTIAL")]),
    ("1. (U) One.\n\n2. (S) Two.", [("paragraph", "1", "(U)", "UNCLASSIFIED"), ("paragraph", "2", "(S)", "SECRET")]),
    (
        "1. (U) The UN. 2. (S) Runs on inside the line.",
        [("paragraph", "1", "(U)", "UNCLASSIFIED"), ("paragraph", "2", "(S)", "SECRET")],
    ),
    (
        "¶1. (U) Pilcrow.\n\n¶2005. This report is not paragraph 2005.",
        [("paragraph", "1", "(U)", "UNCLASSIFIED"), ("unnumbered", "", None, "SECRET")],
    ),
    ("1. Summary: (C) A mark after a word.", [("paragraph", "1", "(C)", "CONFIDENTIAL")]),
    (
        "1. (U) First.\n\n2. Afghanistan\n-----\n(C) The mark on the line after a heading.",
        [("paragraph", "1", "(U)", "UNCLASSIFIED"), ("paragraph", "2", "(C)", "CONFIDENTIAL")],
    ),
    (
        "1. (U) Parent:\n- (C) bullet one\n- (U) bullet two",
        [
            ("paragraph", "1", "(U)", "UNCLASSIFIED"),
            ("bullet", "1", "(C)", "CONFIDENTIAL"),
            ("bullet", "1", "(U)", "UNCLASSIFIED"),
        ],
    ),
    (
        "1. (C) Parent:\n- (C) marked\n- unmarked among differently marked siblings\n- (U) other",
        [
            ("paragraph", "1", "(C)", "CONFIDENTIAL"),
            ("bullet", "1", "(C)", "CONFIDENTIAL"),
            ("bullet", "1", None, "SECRET"),
            ("bullet", "1", "(U)", "UNCLASSIFIED"),
        ],
    ),
    (
        "1. (U) Reason 1.4 (c) and (d), officer(s), Ref (C) lays out (U.S.-EU) Relations.",
        [("paragraph", "1", "(U)", "UNCLASSIFIED")],
    ),
    (
        "1. (U) Text before a page break and\n\nSTATE 00000123 002 OF 002\n\ncontinues after it.",
        [("paragraph", "1", "(U)", "UNCLASSIFIED")],
    ),
    (
        "1. (U) Marked.\n\nAn unmarked block after it fails closed.",
        [("paragraph", "1", "(U)", "UNCLASSIFIED"), ("unnumbered", "", None, "SECRET")],
    ),
    ("1. (S/XYZ) A malformed mark.", [("paragraph", "1", "(S/XYZ)", "SECRET")]),
    ("A. (C) Lettered subparagraph.", [("subparagraph", "", "(C)", "CONFIDENTIAL")]),
    (
        "1. (U) Open; 2. (S) after a semicolon.\n\n3. (U) Ends with 2009 4. (S) after a digit. 5. (C) lower.",
        [
            ("paragraph", "1", "(U)", "UNCLASSIFIED"),
            ("paragraph", "2", "(S)", "SECRET"),
            ("paragraph", "3", "(U)", "UNCLASSIFIED"),
            ("paragraph", "4", "(S)", "SECRET"),
            ("paragraph", "5", "(C)", "CONFIDENTIAL"),
        ],
    ),
    (
        "1. (U) SUMMARY AND COMMENT.  (S) Text after a lead.",
        [("paragraph", "1", "(U)", "UNCLASSIFIED"), ("subparagraph", "1", "(S)", "SECRET")],
    ),
    (
        "1. (S) As the reftel notes. (U) This stays secret: a lower mark never splits.",
        [("paragraph", "1", "(S)", "SECRET")],
    ),
    (
        "1. (C) First.\n\n3. Unmarked paragraph after a skipped number.",
        [("paragraph", "1", "(C)", "CONFIDENTIAL"), ("paragraph", "3", None, "SECRET")],
    ),
    (
        "1. (U) Three points:\n-(S) first.\n--(S) second.\nA.(S) third.\nii. (S) fourth.",
        [
            ("paragraph", "1", "(U)", "UNCLASSIFIED"),
            ("bullet", "1", "(S)", "SECRET"),
            ("bullet", "1", "(S)", "SECRET"),
            ("subparagraph", "1", "(S)", "SECRET"),
            ("subparagraph", "1", "(S)", "SECRET"),
        ],
    ),
    ("1. (S) As the cable in reference\n(C) explains, this stays secret.", [("paragraph", "1", "(S)", "SECRET")]),
    (
        "1. (S) Secret sentence.\n(U) A new portion on the next line.",
        [("paragraph", "1", "(S)", "SECRET"), ("subparagraph", "1", "(U)", "UNCLASSIFIED")],
    ),
    (
        "1. (U) List:\n1. not a new paragraph 1\n2. nor 2",
        [("paragraph", "1", "(U)", "UNCLASSIFIED"), ("paragraph", "2", None, "SECRET")],
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_fragments(body, expected):
    assert paragraphs(body) == expected


def test_malformed_mark_is_flagged():
    doc = segment(HEAD + "1. (S/XYZ) A malformed mark.")
    p = [p for p in doc.portions if p.number == "1"][0]
    assert "malformed" in p.marking.flags
    assert p.flags


def test_entire_text_mark():
    doc = segment("CONFIDENTIAL\n\n1. C - ENTIRE TEXT.\n\n2. Unmarked paragraph.\n")
    assert all(p.marking.level == "CONFIDENTIAL" for p in doc.portions)


def test_no_banner_no_marks_is_default():
    doc = segment("Just a note.\n\nAnother paragraph.\n")
    assert doc.banner is None
    assert [p.source for p in doc.portions] == ["default", "default"]
    assert all(p.marking is None for p in doc.portions)


def test_banner_lower_than_a_mark_raises_unmarked_text():
    doc = segment("CONFIDENTIAL\n\n1. (S) Secret paragraph.\n\nUnmarked trailer.\n")
    trailer = doc.portions[-1]
    assert trailer.marking.level == "SECRET"
    assert doc.notes


def test_subject_is_a_portion_with_its_mark():
    doc = segment(HEAD + "1. (U) Body.")
    subject = doc.portions[0]
    assert (subject.kind, subject.mark, subject.marking.level) == ("subject", "(U)", "UNCLASSIFIED")


def test_unmarked_subject_inherits_the_banner():
    doc = segment("S E C R E T STATE 000001\n\nSUBJECT: UNMARKED SUBJECT\n\n1. (U) Body.\n")
    assert doc.portions[0].marking.level == "SECRET"
    assert doc.portions[0].source == "inherited"


def test_header_values():
    doc = segment(HEAD + "1. (U) Body.")
    assert doc.reference == "STATE 123"
    assert doc.decl.date == "2029-09-25"
    assert doc.tags == ["PREL", "PGOV"]
    assert doc.reasons == ["1.4(b)", "1.4(d)"]
    assert doc.captions == ["SIPDIS"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Reason 1.4 (b) and (d)", ["1.4(b)", "1.4(d)"]),
        ("REASONS 1.4 B AND D", ["1.4(b)", "1.4(d)"]),
        ("1.4(b/d)", ["1.4(b)", "1.4(d)"]),
        ("PER 1.5 (B) AND (D)", ["1.5(b)", "1.5(d)"]),
        ("1.5 (b,d)", ["1.5(b)", "1.5(d)"]),
        ("FOR REASON 1.4 (A) a \nnd (D)", ["1.4(a)", "1.4(d)"]),
        ("Reason 1.4.(d)", ["1.4(d)"]),
        ("reasons 1.4 (B) and ( D).", ["1.4(b)", "1.4(d)"]),
    ],
)
def test_reasons(text, codes):
    assert normalise_reasons(text) == codes


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("09/25/2029", "date", "2029-09-25"),
        ("3/9/2019", "date", "2019-03-09"),
        ("07/25/18", "date", "2018-07-25"),
        ("1.6X1", "code", "1.6X1"),
        ("X1, X5", "code", "X1,X5"),
        ("OADR", "code", "OADR"),
        ("N/A", "code", "N/A"),
        ("25X1, 01/01/2030", "date", "2030-01-01"),
        ("50X1-HUM", "code", "50X1-HUM"),
        ("UPON END OF NEGOTIATIONS", "event", None),
    ],
)
def test_decl(raw, kind, value):
    d = normalise_decl(raw)
    assert d.kind == kind
    assert (d.date or d.code) == value


def assert_covers(doc) -> None:
    """Fields and portions are in order and never overlap; with the gaps they cover the text once."""
    pos = 0
    total = 0
    for kind, start, end, _ in doc.segments():
        assert start == pos, f"{kind} at {start} does not start where the previous piece ended ({pos})"
        assert end >= start
        pos = end
        total += end - start
    assert pos == len(doc.text) and total == len(doc.text)
    for p in doc.portions:
        for a, b in p.breaks:
            assert p.start <= a <= b <= p.end
    # Only whitespace, separators, page breaks or pilcrows lie outside fields and portions.
    for kind, start, end, _ in doc.segments():
        if kind == "gap":
            assert re.sub(r"[\s\-=_*¶]", "", doc.text[start:end]) == "", doc.text[start:end]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_cables_are_covered_exactly_once(path):
    assert_covers(segment(read(path.read_bytes())))


cable_alphabet = st.sampled_from(
    [
        "1. ",
        "2. ",
        "¶3. ",
        "(U) ",
        "(C) ",
        "(S//NF) ",
        "(SBU) ",
        "- ",
        "A. ",
        "\n",
        "\n\n",
        "SUBJECT: ",
        "TAGS: ",
        "E.O. 12958: DECL: 01/01/2020 ",
        "S E C R E T STATE 000001 ",
        "UNCLAS ",
        "---- ",
        "word ",
        "Name Surname ",
        "SIPDIS ",
        "STATE 00000001 002 OF 002 ",
        "(U.S.-EU) ",
        "Classified By: X ",
        "REF: A. ",
        "9. (S) ",
        ". ",
        "¶",
        "(",
        ")",
        "x",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cable_alphabet, max_size=60).map("".join))
def test_property_cable_like_text_is_covered(text):
    assert_covers(segment(text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_property_arbitrary_text_is_covered(text):
    assert_covers(segment(text))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_property_bytes_parse_or_raise_the_documented_error(data):
    try:
        doc = segment(read(data))
    except RedactorError:
        return
    assert_covers(doc)

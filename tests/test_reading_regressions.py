"""Every way text slipped out of the reader (issue 10, mechanisms 1-7), as table rows of text written here.

Each row is a fragment of another layout, spelling or scheme than the corpus has; the reader must place
each named snippet where the row says: in a header field of its kind, or in a portion at a level.
"""

from __future__ import annotations

import time

import pytest

from redactor.markings import NATO, TLP, UK, US, parse_banner, parse_mark, rank, rollup
from redactor.segment import segment

C, S, U, TS = "CONFIDENTIAL", "SECRET", "UNCLASSIFIED", "TOP SECRET"
LONG = (
    "the delegation went over every item on the agenda at length and in detail, and no one in the room "
    "thought the talks would end before the evening session was over"
)


def head(level: str = "C O N F I D E N T I A L", post: str = "VALLETTA 000456") -> str:
    return (
        f"{level} {post}\n\nSIPDIS\n\nE.O. 12958: DECL: 03/01/2030\nTAGS: PREL MT\n"
        f"SUBJECT: (U) HARBOUR TALKS\n\nClassified By: Ambassador Ann Jones, reasons 1.4 (b) and (d)\n\n"
    )


def place(doc, snippet: str):
    """Where a snippet of the text ended up: ("field", name) or ("portion", level, source)."""
    at = doc.text.index(snippet)
    for f in doc.fields:
        if f.start <= at < f.end:
            return ("field", f.name)
    for p in doc.portions:
        if p.start <= at < p.end:
            return ("portion", p.marking.level if p.marking else None, p.source)
    return ("gap",)


def level_of(doc, snippet: str) -> str | None:
    where = place(doc, snippet)
    assert where[0] == "portion", f"{snippet!r} is in {where}"
    return where[1]


# ---------------------------------------------------------------------- 1. run-on over unmarked lines
ONE_LINE = head() + (
    f"1. (U) At the port authority {LONG}.\n"
    "Fisheries Cooperation\n"
    f"2. (C) The minister said privately that {LONG}.\n"
    "Visit Valletta's Classified Website: http://example.invalid/valletta\n"
    "JONES\n"
)
WRAPPED = head() + (
    "1. (U) At the port authority the delegation went over every item on\n"
    "the agenda at length.\n"
    "Fisheries Cooperation\n"
    "2. (C) The minister said privately that the talks would end early\n"
    "and that the cabinet had agreed.\n"
    "3. (U) The next round is set for March.\n"
    "Visit Valletta's Classified Website: http://example.invalid/valletta\n"
    "JONES\n"
)

RUN_ON_ROWS = [
    ("one line per paragraph: heading", ONE_LINE, "Fisheries Cooperation", C),
    ("one line per paragraph: trailer", ONE_LINE, "Classified Website", C),
    ("one line per paragraph: signature", ONE_LINE, "JONES", C),
    ("one line per paragraph: marked text keeps its mark", ONE_LINE, "At the port authority", U),
    ("wrapped: heading after a finished sentence", WRAPPED, "Fisheries Cooperation", C),
    ("wrapped: trailer after a (U) paragraph", WRAPPED, "Classified Website", C),
    ("wrapped: signature after a (U) paragraph", WRAPPED, "JONES", C),
    ("wrapped: the (U) paragraph keeps its own lines", WRAPPED, "the agenda at length", U),
    # Found by the property test: two headings in a row.
    (
        "two headings in a row",
        head() + "1. (U) The talks went on.\nHarbour Questions\nShipping Matters\n",
        "Shipping Matters",
        C,
    ),
]


@pytest.mark.parametrize(("why", "text", "snippet", "level"), RUN_ON_ROWS, ids=[r[0] for r in RUN_ON_ROWS])
def test_unmarked_lines_never_join_a_lower_portion(why, text, snippet, level):
    assert level_of(segment(text), snippet) == level


# ------------------------------------------------------------------ 2. header fields that swallow text
BANNER = "C O N F I D E N T I A L VALLETTA 000456\n\n"
FIELD_ROWS = [
    (
        "classified by without a reason",
        BANNER + "Classified By: Ambassador Ann Jones\nThe minister told us the plan in confidence.\n\n1. (U) Body.\n",
        "The minister told us",
        ("portion", C, "inherited"),
    ),
    (
        "classified by, reason on the next line",
        BANNER + "Classified By: Political Counselor A. B. Smith,\nReasons 1.4 (b) and (d)\n\n1. (U) Body.\n",
        "Reasons 1.4",
        ("field", "classified_by"),
    ),
    (
        "subject and an unmarked next line",
        BANNER + "SUBJECT: (U) HARBOUR TALKS\nThe minister said the harbour deal is off.\n\n1. (U) Body.\n",
        "The minister said",
        ("portion", C, "inherited"),
    ),
    (
        "a wrapped upper-case subject",
        BANNER + "SUBJECT: (U) MALTA: PRIME MINISTER'S VISIT TO WASHINGTON AND THE\nNEXT STEPS\n\n1. (U) Body.\n",
        "NEXT STEPS",
        ("portion", U, "explicit"),
    ),
    (
        "a mixed-case subject and a sentence",
        BANNER + "SUBJECT: (U) Harbour talks\nWe learned the deal is off.\n\n1. (U) Body.\n",
        "We learned",
        ("portion", C, "inherited"),
    ),
]


@pytest.mark.parametrize(("why", "text", "snippet", "where"), FIELD_ROWS, ids=[r[0] for r in FIELD_ROWS])
def test_header_fields_keep_only_their_own_lines(why, text, snippet, where):
    assert place(segment(text), snippet) == where


# --------------------------------------------------------------------------- 3. marks the reader missed
MISSED_ROWS = [
    ("a mark over 49 characters", "1. (S//REL TO USA, AUS, CAN, GBR, NZL, DEU, FRA, ITA, ESP) Long list.", S),
    ("lower case after a number", "1. (s) Lower case.", S),
    ("lower case after a bullet", "1. (U) Parent:\n- (s) bullet in lower case.", S),
    ("mixed case with a country name", "1. (S/Rel to Canada) Mixed case.", S),
    ("level spelled out", "1. (SECRET/REL CANADA) Spelled out.", S),
    ("spaces inside the parentheses", "1. ( S//NF ) Spaced.", S),
    ("entire-text mark in parentheses", "1. (C - ENTIRE TEXT) First paragraph.", C),
    ("near miss: OCR'd 5 for S", "1. (U) First.\n\n2. (5) An OCR'd mark.", S),
    ("near miss: missing closing parenthesis", "1. (U) First.\n\n2. (S The minister said.", S),
    ("near miss: missing opening parenthesis", "1. (U) First.\n\n2. S) The minister said.", S),
    # Found by the property test (tests/test_reading_property.py):
    ("a NATO mark on a bullet under a (U) paragraph", "1. (U) First.\n- (NR) A NATO bullet.", "NATO RESTRICTED"),
    ("a lower-case mark running on after a sentence", "1. (U) First. 2. (c) Runs on in lower case.", C),
    (
        "a long mark wrapped onto the next line",
        "1. (U) First. 2. (S//REL TO USA, AUS, CAN, GBR,\nNZL, DEU) Wrapped mark.",
        S,
    ),
    ("a near miss after a bullet", "1. (U) First.\n- (5) OCR'd bullet mark.", S),
]


@pytest.mark.parametrize(("why", "body", "level"), MISSED_ROWS, ids=[r[0] for r in MISSED_ROWS])
def test_marks_are_read_and_never_lowered(why, body, level):
    doc = segment("CONFIDENTIAL\n\n" + body + "\n")
    snippet = body.splitlines()[-1][-12:]
    assert level_of(doc, snippet) == level


@pytest.mark.parametrize(
    "body",
    [
        "1. (U) First.\n\n2. (5) An OCR'd mark.",
        "1. (U) First.\n\n2. (S The minister.",
        "1. (U) First.\n\n2. S) The minister said.",
    ],
)
def test_near_miss_marks_are_flagged(body):
    doc = segment("UNCLASSIFIED\n\n" + body + "\n")
    p = [p for p in doc.portions if p.number == "2"][0]
    assert p.marking.level == S and p.flags and "near-miss" in " ".join(p.flags)


def test_entire_text_mark_in_parentheses_sets_the_document_level():
    doc = segment("CONFIDENTIAL\n\n1. (C - ENTIRE TEXT) First.\n\n2. Unmarked.\n")
    assert doc.entire_text is not None and doc.entire_text.level == C
    assert all(p.marking.level == C for p in doc.portions)


@pytest.mark.parametrize("text", ["(c)", "(s)", "(u)", "(s//nf)"])
def test_lower_case_marks_count_only_where_a_mark_is_expected(text):
    assert parse_mark(text) is None
    assert parse_mark(text, fold_case=True) is not None


def test_a_lower_case_letter_at_a_bare_line_start_is_a_list_label():
    doc = segment("SECRET\n\n1. (S) Parent:\n(c) third item of the list\n")
    assert level_of(doc, "third item") == S


# -------------------------------------------------------------------------------- 4. schemes as data
SCHEME_MARKS = [
    ("(TLP:GREEN)", TLP, "TLP:GREEN", []),
    ("(TLP:AMBER+STRICT)", TLP, "TLP:AMBER+STRICT", []),
    ("(NS)", NATO, "NATO SECRET", []),
    ("(R)", NATO, "NATO RESTRICTED", []),
    ("(R)", US, "NATO RESTRICTED", []),
    ("(//NR)", US, "NATO RESTRICTED", []),
    ("(//GBR S)", US, S, ["FGI GBR"]),
    ("(//GBR S)", UK, S, []),
    ("(OS)", UK, "OFFICIAL", ["SENSITIVE"]),
    ("(//JOINT S GBR USA)", US, S, ["REL TO USA, GBR"]),
    ("(CUI//SP-PRVCY)", US, U, ["CUI", "SP-PRVCY"]),
    ("(TS//SI-G/TK//RELIDO)", US, TS, ["SI-G", "TK", "RELIDO"]),
    ("(S//SAR-BUTTERCUP)", US, S, ["SAR-BUTTERCUP"]),
    ("(S//RD-N)", US, S, ["RD-N"]),
    ("(U//DCNI)", US, U, ["DOD UCNI"]),
    ("(C//DSEN)", US, C, ["DEA SENSITIVE"]),
    ("(S//FISA)", US, S, ["FISA"]),
    ("(U//LES-NF)", US, U, ["LES NOFORN"]),
    ("(U//SSI)", US, U, ["SSI"]),
    ("(S//NNPI)", US, S, ["NNPI"]),
    ("(S//ACCM-PINE)", US, S, ["ACCM-PINE"]),
    ("(U//DISPLAY ONLY)", US, U, ["DISPLAY ONLY"]),
]


@pytest.mark.parametrize(("text", "scheme", "level", "controls"), SCHEME_MARKS)
def test_marks_of_every_scheme(text, scheme, level, controls):
    m = parse_mark(text, scheme)
    assert m is not None and "malformed" not in m.flags, m
    assert (m.level, m.controls_out()) == (level, controls)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("(S//REL TO)", "REL TO with no country"),
        ("(S//FGI XQZ)", "unknown country XQZ in FGI"),
        ("(S//BOGUS)", "unknown control BOGUS"),
        ("(TLP:GREEN)", "unrecognised mark"),  # not a mark of the US scheme: fail closed
    ],
)
def test_unknown_stays_fail_closed(text, flag):
    m = parse_mark(text)
    assert "malformed" in m.flags and any(f.startswith(flag) for f in m.flags)
    assert rank(m) == rank(parse_mark("(TS)"))


def test_segment_reads_with_the_scheme_it_is_given():
    doc = segment("TLP:AMBER\n\n1. (TLP:GREEN) Share this.\n\n2. (TLP:AMBER) Not this.\n", scheme=TLP)
    assert [p.marking.level for p in doc.portions] == ["TLP:GREEN", "TLP:AMBER"]
    assert doc.banner.level == "TLP:AMBER"


# ------------------------------------------------------------------------- 5. header-field spellings
def _fields(text: str) -> dict[str, str]:
    doc = segment(text)
    return {f.name: doc.text[f.start : f.end] for f in doc.fields}


SPELLING_ROWS = [
    ("TAGS continues on lower-case lines", "TAGS: PREL, PGOV, ECON,\nkdem, mt\n", "tags", "kdem, mt"),
    ("TAS:", "TAS: PREL PGOV\n", "tags", "PREL PGOV"),
    ("TGS:", "TGS: PREL PGOV\n", "tags", "PREL PGOV"),
    ("TAGES:", "TAGES: PREL PGOV\n", "tags", "PREL PGOV"),
    ("TAG without a colon", "TAG PREL PGOV\n", "tags", "PREL PGOV"),
    ("TAGS;", "TAGS; PREL PGOV\n", "tags", "PREL PGOV"),
    ("REF after a blank line", "REF: A. STATE 1234\n\nB. ANKARA 5678\n", "ref", "ANKARA 5678"),
    ("REF with B.)", "REF: A.) STATE 1234\nB.) ANKARA 5678\n", "ref", "ANKARA 5678"),
    ("Ref(s):", "Ref(s): STATE 1234\n", "ref", "STATE 1234"),
    ("Reftel:", "Reftel: STATE 1234\n", "ref", "STATE 1234"),
    ("DECL with a year first", "E.O. 12958: DECL: 2020/02/23\n", "eo", "2020/02/23"),
    ("DECL on its own line", "DECL: 2020/02/23\n", "eo", "2020/02/23"),
]


@pytest.mark.parametrize(("why", "lines", "name", "snippet"), SPELLING_ROWS, ids=[r[0] for r in SPELLING_ROWS])
def test_header_spellings_are_read(why, lines, name, snippet):
    fields = _fields(BANNER + lines + "\n1. (U) Body.\n")
    assert snippet in fields.get(name, ""), fields


def test_decl_year_first_is_a_date():
    assert segment(BANNER + "E.O. 12958: DECL: 2020/02/23\n\n1. (U) Body.\n").decl.date == "2020-02-23"


@pytest.mark.parametrize(
    ("why", "text", "snippet", "where"),
    [
        (
            "subject without a colon",
            BANNER + "SUBJECT MALTA: HARBOUR TALKS\n\n1. (U) Body.\n",
            "HARBOUR TALKS",
            ("portion", C, "inherited"),
        ),
        (
            "subject stops at the next label",
            BANNER + "SUBJECT: (U) TALKS AT THE SUMMIT REF: STATE 1234\n\n1. (U) Body.\n",
            "STATE 1234",
            ("field", "ref"),
        ),
        (
            "subject stops at a separator",
            BANNER + "SUBJECT: (U) TALKS AT THE SUMMIT\n-------\nWE LEARNED A THING\n\n1. (U) Body.\n",
            "WE LEARNED",
            ("portion", C, "inherited"),
        ),
        (
            "subject stops at a page break",
            BANNER + "SUBJECT: (U) TALKS AT THE SUMMIT\nVALLETTA 00000456 002 OF 002\n"
            "WE LEARNED A THING\n\n1. (U) Body.\n",
            "WE LEARNED",
            ("portion", C, "inherited"),
        ),
    ],
)
def test_subject_extent(why, text, snippet, where):
    doc = segment(text)
    assert place(doc, snippet) == where
    assert any(p.kind == "subject" for p in doc.portions)


def test_classified_by_inside_paragraph_one_is_read():
    doc = segment(
        "CONFIDENTIAL\n\n1. (U) CLASSIFIED BY AMBASSADOR ANN JONES. REASON: 1.5 (B) AND (D).\n\n2. (C) Body.\n"
    )
    assert doc.classified_by.startswith("AMBASSADOR ANN JONES")
    assert doc.reasons == ["1.5(b)", "1.5(d)"]


# ---------------------------------------------------------------------------- 6. roll-up and controls
ROLLUP_ROWS = [
    ("NATO and US: the highest wins", ["(//NR)", "(TS//SI)", "(U//FOUO)"], "TOP SECRET//SI/FGI NATO"),
    ("NATO alone in a US document", ["(//NS)", "(C)"], "SECRET//FGI NATO"),
    ("LES stays in a classified banner", ["(S)", "(U//LES)"], "SECRET//LES"),
    ("SSI stays in a classified banner", ["(C)", "(U//SSI)"], "CONFIDENTIAL//SSI"),
    ("LES NOFORN in a classified banner", ["(C)", "(U//LES-NF)"], "CONFIDENTIAL//NOFORN/LES"),
    ("SBU NOFORN leaves NOFORN", ["(C)", "(SBU-NF)"], "CONFIDENTIAL//NOFORN"),
    ("FGI union of countries", ["(//GBR S)", "(//DEU C)"], "SECRET//FGI DEU GBR"),
    ("missing delimiter keeps NOFORN", ["(S//FGI NOFORN)"], "SECRET//FGI/NOFORN"),
]


@pytest.mark.parametrize(("why", "marks", "banner"), ROLLUP_ROWS, ids=[r[0] for r in ROLLUP_ROWS])
def test_rollup_rows(why, marks, banner):
    assert rollup([parse_mark(m) for m in marks]).banner == banner


BANNER_ROWS = [
    ("SECRET//FGI NOFORN", US, "SECRET//FGI/NOFORN"),
    ("SECRET//FGI GBR NOFORN", US, "SECRET//FGI GBR/NOFORN"),
    ("TOP SECRET //NOFORN", US, "TOP SECRET//NOFORN"),
    ("SECRET // NOFORN", US, "SECRET//NOFORN"),
    ("secret//noforn", US, "SECRET//NOFORN"),
    ("S//NOFORN", US, "SECRET//NOFORN"),
    ("TS//SI//NF", US, "TOP SECRET//SI/NOFORN"),
    ("//GBR SECRET", US, "SECRET//FGI GBR"),
    ("//GBR SECRET", UK, "SECRET"),
    ("//JOINT SECRET GBR USA//NOFORN", US, "SECRET//NOFORN"),
    ("//JOINT SECRET GBR USA", US, "SECRET//REL TO USA, GBR"),
    ("//NATO SECRET", NATO, "NATO SECRET"),
    ("//NATO SECRET", US, "SECRET//FGI NATO"),
    ("NATO RESTRICTED", NATO, "NATO RESTRICTED"),
    ("TLP:AMBER", TLP, "TLP:AMBER"),
    ("OFFICIAL-SENSITIVE", UK, "OFFICIAL//SENSITIVE"),
    ("CUI//SP-PRVCY", US, "UNCLASSIFIED//CUI/SP-PRVCY"),
]


@pytest.mark.parametrize(("line", "scheme", "banner"), BANNER_ROWS)
def test_banner_rows(line, scheme, banner):
    m = parse_banner(line, scheme)
    assert m is not None and m.banner == banner, m


def test_rel_to_without_a_country_in_a_banner_is_flagged():
    m = parse_banner("SECRET//REL TO")
    assert "malformed" in m.flags


@pytest.mark.parametrize("line", ["Secret", "red", "The secret is out", "OFFICIAL BUSINESS ONLY"])
def test_words_are_not_banners(line):
    from redactor.markings import find_capco_banner

    assert find_capco_banner(line) is None


# ------------------------------------------------------------------------------ 7. linear segmenting
def list_heavy(n: int) -> str:
    paras = []
    for k in range(1, n + 1):
        bullets = "\n".join(
            f"- ({'C' if j % 2 else 'U'}) point {j} of paragraph {k}\n- an unmarked point {j}" for j in range(4)
        )
        paras.append(f"{k}. (C) Paragraph {k} has these points:\n{bullets}")
    return "C O N F I D E N T I A L STATE 000001\n\n" + "\n\n".join(paras) + "\n"


def _cost(text: str) -> float:
    """CPU seconds per character, best of three cold runs (the machine may be shared)."""
    from redactor import markings

    best = float("inf")
    for _ in range(3):
        markings._parse_mark.cache_clear()
        t = time.process_time()
        segment(text)
        best = min(best, time.process_time() - t)
    return best / len(text)


def test_segmenting_a_list_heavy_document_is_linear():
    small, large = list_heavy(25), list_heavy(800)
    assert len(large) > 25 * len(small)
    assert _cost(large) < 2.5 * _cost(small)


def test_a_ref_list_goes_on_after_a_blank_line_with_a_lettered_item():
    doc = segment(BANNER + "REF: A) VALLETTA 381, (B) VALLETTA 247,\n\n(C) VALLETTA 196\n\n1. (U) Body.\n")
    assert place(doc, "VALLETTA 196") == ("field", "ref")


# ------------------------------------------------------------------- the grammar as one table of rules
def test_rule_names_are_unique_and_every_portion_names_its_rules():
    from redactor.ingest import read
    from redactor.segment import RULE_NAMES, RULES
    from tests.conftest import CORPUS

    assert len(RULE_NAMES) == len(RULES)
    texts = [ONE_LINE, WRAPPED, *(t for _, t, _, _ in FIELD_ROWS)]
    for folder in ("cables", "cables-extra"):
        texts += [read(p.read_bytes()).text for p in sorted((CORPUS.parent / folder).glob("*.txt"))]
    for text in texts:
        for p in segment(text).portions:
            assert p.started_by in RULE_NAMES, (p.started_by, text[p.start : p.end][:60])
            assert p.ended_by in RULE_NAMES, (p.ended_by, text[p.start : p.end][:60])


def test_inspect_explain_prints_the_rules_of_each_portion(tmp_path, capsys):
    from redactor.cli import main

    path = tmp_path / "cable.txt"
    path.write_text(ONE_LINE)
    assert main(["inspect", str(path), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "started by paragraph-number" in out
    assert "started by heading" in out or "started by one-paragraph-per-line" in out
    assert "ended by end-of-text" in out


def test_the_ingest_deadline_covers_segmenting():
    from redactor.errors import TooLarge
    from redactor.ingest.limits import Deadline

    with pytest.raises(TooLarge, match="segmenting"):
        segment(list_heavy(50), deadline=Deadline(-1.0))


def test_text_glued_after_the_wikileaks_note_is_never_dropped():
    from tests.test_segment import assert_covers

    doc = segment(
        "This record is a partial extract of the original cable. The full text of the original cable is "
        "not available.id: 22339 Canary text\nC O N F I D E N T I A L VALLETTA 000456\n\n1. (U) Body.\n"
    )
    assert_covers(doc)
    assert level_of(doc, "Canary text") == C

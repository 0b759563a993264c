"""Portion marks, banners and roll-up, as tables."""

from __future__ import annotations

import pytest

from redactor.markings import (
    NATO,
    TLP,
    UK,
    Marking,
    find_cable_banner,
    parse_banner,
    parse_mark,
    rank,
    rollup,
)

MARKS = [
    ("(U)", "UNCLASSIFIED", [], []),
    ("(C)", "CONFIDENTIAL", [], []),
    ("(S)", "SECRET", [], []),
    ("(TS)", "TOP SECRET", [], []),
    ("(S//NF)", "SECRET", ["NOFORN"], []),
    ("(S/NF)", "SECRET", ["NOFORN"], []),
    ("(C/NF)", "CONFIDENTIAL", ["NOFORN"], []),
    ("(C/REL LIBYA)", "CONFIDENTIAL", ["REL TO USA, LBY"], []),
    ("(S//REL TO USA, GBR)", "SECRET", ["REL TO USA, GBR"], []),
    ("(TS//SI//REL TO USA, GBR)", "TOP SECRET", ["SI", "REL TO USA, GBR"], []),
    ("(S//OC/NF)", "SECRET", ["ORCON", "NOFORN"], []),
    ("(SBU)", "UNCLASSIFIED", ["SBU"], []),
    ("(U//FOUO)", "UNCLASSIFIED", ["FOUO"], []),
    ("(SBU-NF)", "UNCLASSIFIED", ["SBU NOFORN"], []),
    ("(SBU N)", "UNCLASSIFIED", ["SBU NOFORN"], []),
    ("(SBU/N)", "UNCLASSIFIED", ["SBU NOFORN"], []),
    ("(C//XD)", "CONFIDENTIAL", ["EXDIS"], []),
    ("(S//ND)", "SECRET", ["NODIS"], []),
    ("(S//RD)", "SECRET", ["RESTRICTED DATA"], []),
    ("(S/XYZ)", "SECRET", [], ["malformed", "unknown control XYZ"]),
    ("(NOFORN)", "TOP SECRET", [], ["malformed", "unrecognised mark (NOFORN)"]),
    ("(S NF)", "TOP SECRET", [], ["malformed", "unrecognised mark (S NF)"]),
    ("(//NS)", "NATO SECRET", [], []),
    ("(//CTS)", "COSMIC TOP SECRET", [], []),
]


@pytest.mark.parametrize(("text", "level", "controls", "flags"), MARKS)
def test_marks(text, level, controls, flags):
    m = parse_mark(text)
    assert m is not None
    assert m.level == level
    assert m.controls_out() == controls
    assert list(m.flags) == flags


@pytest.mark.parametrize(
    "text",
    [
        "(U.S.-EU)",
        "(c)",
        "(d)",
        "(Iran)",
        "(s)",
        "(officer)",
        "(ref a)",
        "(NATO)",
        "(Environment)",
        "(e.g., the military)",
        "(SJA)",
        "(A)",
        "(B)",
        "(D)",
        "(X)",
        "(UN)",
        "(EU)",
        "(G)",
    ],
)
def test_not_marks(text):
    assert parse_mark(text) is None


BANNERS = [
    ("S E C R E T STATE 103113", "SECRET", "STATE 103113", ""),
    ("C O N F I D E N T I A L SECTION 01 OF 03 ANKARA 008852", "CONFIDENTIAL", "ANKARA 8852", "SECTION 01 OF 03"),
    ("S e c r e t section 01 of 02 baku 000020", "SECRET", "BAKU 20", "SECTION 01 OF 02"),
    ("UNCLAS SECTION 01 OF 03 ADANA 000013", "UNCLASSIFIED", "ADANA 13", "SECTION 01 OF 03"),
    ("UNCLAS EFTO ROME 001234", "UNCLASSIFIED", "ROME 1234", ""),
    ("LIMITED OFFICIAL USE LIMA 001234", "UNCLASSIFIED", "LIMA 1234", ""),
    ("SENSITIVE BUT UNCLASSIFIED PARIS 000012", "UNCLASSIFIED", "PARIS 12", ""),
    ("T O P S E C R E T STATE 000001", "TOP SECRET", "STATE 1", ""),
    (
        "INFO RUEHC/SECSTATE WASHDC IMMEDIATEC O N F I D E N T I A L SECTION 01 OF 02 PARTO 000009",
        "CONFIDENTIAL",
        "PARTO 9",
        "SECTION 01 OF 02",
    ),
    (
        "RUEHNO/USDELMC BRUSSELS BES E C R E T SECTION 01 OF 04 USNATO 000208",
        "SECRET",
        "USNATO 208",
        "SECTION 01 OF 04",
    ),
    ("C O N F I D E N T I A L  BRASILIA 000093", "CONFIDENTIAL", "BRASILIA 93", ""),
]


@pytest.mark.parametrize(("line", "level", "reference", "section"), BANNERS)
def test_cable_banners(line, level, reference, section):
    b = find_cable_banner(line)
    assert b is not None
    assert b.marking.level == level
    assert b.reference == reference
    assert b.section == section


@pytest.mark.parametrize(
    ("line", "banner"),
    [
        ("SECRET//NOFORN", "SECRET//NOFORN"),
        ("TOP SECRET//SI//REL TO USA, GBR", "TOP SECRET//SI/REL TO USA, GBR"),
        ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED//FOUO"),
        ("LIMITED OFFICIAL USE", "UNCLASSIFIED//LOU"),
        ("UNCLAS EFTO", "UNCLASSIFIED//EFTO"),
    ],
)
def test_banner_lines(line, banner):
    assert parse_banner(line).banner == banner


@pytest.mark.parametrize(
    "line", ["The Secret Service 12345 agents", "Confidential sources said 2009", "SECRETARY CLINTON 2009"]
)
def test_prose_is_not_a_banner(line):
    assert find_cable_banner(line) is None


def _m(text: str) -> Marking:
    m = parse_mark(text)
    assert m is not None
    return m


@pytest.mark.parametrize(
    ("marks", "banner"),
    [
        (["(U)", "(C)", "(S)"], "SECRET"),
        (["(S//NF)", "(C)", "(SBU)"], "SECRET//NOFORN"),
        (["(S//REL TO USA, GBR)", "(C//REL TO USA, GBR, AUS)"], "SECRET//REL TO USA, GBR"),
        (["(S//REL TO USA, GBR)", "(C//REL TO USA, AUS)"], "SECRET//NOFORN"),  # empty intersection
        (["(S//REL TO USA, GBR)", "(C)"], "SECRET//NOFORN"),  # a portion with no REL TO
        (["(C//NF)", "(S//REL TO USA, GBR)"], "SECRET//NOFORN"),  # NF drops REL TO
        (["(S//ND)", "(C//XD)"], "SECRET//NODIS"),  # NODIS beats EXDIS
        (["(U)", "(SBU)"], "UNCLASSIFIED//SBU"),
        (["(C)", "(U//FOUO)"], "CONFIDENTIAL"),  # unclassified-only controls leave a classified banner
        (["(TS//SI)", "(S//TK)"], "TOP SECRET//SI/TK"),
        (["(U)"], "UNCLASSIFIED"),
    ],
)
def test_rollup(marks, banner):
    assert rollup([_m(t) for t in marks]).banner == banner


def test_controlled_rank_sits_between_u_and_c():
    assert rank(_m("(U)")) < rank(_m("(SBU)")) < rank(_m("(C)"))


def test_malformed_mark_is_read_at_the_highest_level():
    assert rank(_m("(S/XYZ)")) == rank(_m("(TS)"))


@pytest.mark.parametrize(
    ("scheme", "low", "high"), [(NATO, "NU", "CTS"), (UK, "OFFICIAL", "TOP SECRET"), (TLP, "TLP:CLEAR", "TLP:RED")]
)
def test_other_schemes_are_ordered_data(scheme, low, high):
    assert scheme.level(low).rank < scheme.level(high).rank
    assert scheme.lowest == scheme.level(low)
    assert scheme.highest == scheme.level(high)

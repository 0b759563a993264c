"""Damaged portion marks inside a line (rule `damaged-mark-in-line`, redactor.markings.damaged).

Every LEAK_ROWS row is a document in which a withheld canary reached an output before the rule (spellings,
layouts, schemes and readers the rule was not first written against); the CONTROL rows passed before and must
still pass; PROSE_TOKENS are ordinary parenthesised text that must stay text (the text after them released).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_docs import docx_of

from redactor.ingest import read
from redactor.markings import NATO, US, read_damaged
from redactor.segment import segment
from redactor.segment.body import inline_tokens, read_inline
from redactor.segment.rules import BARE_MARK_RE, BARE_TLP_RE
from tests.conftest import CORPUS, needs_corpus
from tests.test_attack_s17 import assert_no_canary, engine, lines_pdf, original_outputs, outputs

__all__ = ["engine"]  # the module-scoped fixture of tests/test_attack_s17.py

TS = "TOP SECRET\n\nSUBJECT: (U) TEST\n\n"
GBR = "SECRET//REL TO USA, GBR\n\nSUBJECT: (S//REL TO USA, GBR) TEST\n\n1. (S//REL TO USA, GBR) The weather is fine "
NATO_DOC = "NATO SECRET\n\nSUBJECT: (NU) TEST\n\n1. (NU) The weather is fine "
TLP_DOC = "TLP:RED\n\nSUBJECT: (TLP:GREEN) TEST\n\n1. (TLP:GREEN) The weather is fine "
UK_DOC = "SECRET\n\nSUBJECT: (OFFICIAL) TEST\n\n1. (OFFICIAL) The weather is fine "
TAIL = " CANARY is the source.\n"


def _mid(mark: str) -> str:
    return TS + "1. (U) The weather is fine " + mark + TAIL


def _wikileaks(mark: str) -> bytes:
    return (
        "<code><pre>S E C R E T STATE 000001 &#x000A; &#x000A;SUBJECT: (U) TEST &#x000A;&#x000A;"
        f"<a id='par1' href='#par1'>¶</a>1. (U) The weather is fine {mark} CANARY is the source. &#x000A;</pre></code>"
    ).encode()


def _html(between: str) -> bytes:
    return (
        "<html><body><p>TOP SECRET</p><p>SUBJECT: (U) TEST</p>"
        f"<p>1. (U) The weather is fine{between} CANARY is the source.</p></body></html>"
    ).encode()


# name -> (document, policy); each leaked the canary before the rule.
LEAK_ROWS: dict[str, tuple[str | bytes, str]] = {
    # Separators and look-alikes.
    "bar": (_mid("(S|NF)"), "public-release"),
    "space": (_mid("(S NF)"), "public-release"),
    "slash-5": (_mid("(5/NF)"), "public-release"),
    "zero-for-C": (_mid("(0//NF)"), "public-release"),
    "dash-C": (_mid("(C-NF)"), "public-release"),
    "dash-lower": (_mid("(s-nf)"), "public-release"),
    "N0FORN": (_mid("(S//N0FORN)"), "public-release"),
    "dash-SCI": (_mid("(TS-SI)"), "public-release"),
    "unknown-token-too": (_mid("(S//NF/XYZ)"), "public-release"),
    "reordered": (_mid("(NF//S)"), "public-release"),
    "en-dash": (_mid("(S\u2013NF)"), "public-release"),
    "fraction-slash": (_mid("(S\u2044NF)"), "public-release"),
    "period": (_mid("(S.NF)"), "public-release"),
    "colon": (_mid("(S:NF)"), "public-release"),
    "equals": (_mid("(S=NF)"), "public-release"),
    "comma": (_mid("(S,NF)"), "public-release"),
    "quoted-inside": (_mid("('S//NF')"), "public-release"),
    "TS/SCI": (_mid("(TS/SCI)"), "public-release"),
    # Controls with no level.
    "NOFORN": (_mid("(NOFORN)"), "public-release"),
    "ORCON": (_mid("(ORCON)"), "public-release"),
    "OC": (_mid("(OC)"), "public-release"),
    "OC/NF": (_mid("(OC/NF)"), "public-release"),
    "//NF": (_mid("(//NF)"), "public-release"),
    "REL-TO-alone": (_mid("(REL TO USA, GBR)"), "public-release"),
    "RELIDO": (_mid("(RELIDO)"), "public-release"),
    # Brackets.
    "full-width-square": (_mid("［S//NF］"), "public-release"),
    "full-width-spaced": (_mid("（S // NF）"), "public-release"),
    "braces": (_mid("{S//NF}"), "public-release"),
    "lost-closing": (_mid("(S//NF"), "public-release"),
    "lost-opening": (_mid("S//NF)"), "public-release"),
    "angle": (_mid("<S//NF>"), "public-release"),
    "angle-well-formed": (_mid("<S>"), "public-release"),
    "mixed-angle": (_mid("(S-NF>"), "public-release"),
    # Layouts.
    "end-of-line": (TS + "1. (U) The weather is fine (S-NF)\nCANARY is the source.\n", "public-release"),
    "wrapped-mark": (TS + "1. (U) The weather is fine (S-\nNF) CANARY is the source.\n", "public-release"),
    "glued": (TS + "1. (U) The weather is fine(S-NF)" + TAIL, "public-release"),
    "no-break-space": (TS + "1. (U) The weather is fine\u00a0(5//NF)" + TAIL, "public-release"),
    "bullet": (TS + "1. (U) Hello.\n- (U) The weather is fine (S-NF)" + TAIL, "public-release"),
    "unclassified-banner": (
        "UNCLASSIFIED\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine (S-NF)" + TAIL,
        "public-release",
    ),
    "no-banner": ("SUBJECT: (U) TEST\n\n1. (U) The weather is fine (S-NF)" + TAIL, "public-release"),
    "subject-line": ("TOP SECRET\n\nSUBJECT: (U) TEST (5//NF) CANARY\n\n1. (U) Hello.\n", "public-release"),
    "tags-line": ("TOP SECRET\n\nSUBJECT: (U) TEST\nTAGS: PREL (S-NF) CANARY\n\n1. (U) Hello.\n", "public-release"),
    "ref-line": (
        "TOP SECRET\n\nSUBJECT: (U) TEST\nREF: A. STATE 1234 (S-NF) CANARY PLAN\n\n1. (U) Hello.\n",
        "public-release",
    ),
    # Partner release: the NOFORN of the damaged mark must bar it.
    "partner-dash": (GBR + "(S-NF)" + TAIL, "partner-gbr-secret"),
    "partner-NF-alone": (GBR + "(NF)" + TAIL, "partner-gbr-secret"),
    "partner-lower-noforn": (GBR + "(noforn)" + TAIL, "partner-gbr-secret"),
    "partner-lower-C": (GBR + "(C-NF)" + TAIL, "partner-gbr-secret"),
    "partner-narrower-REL": (GBR + "(S-REL TO USA, AUS)" + TAIL, "partner-gbr-secret"),
    # Other schemes.
    "nato-ATOMAL": (NATO_DOC + "(NS-A)" + TAIL, "nato-unclassified"),
    "nato-foreign-prefix": (NATO_DOC + "(//N5)" + TAIL, "nato-unclassified"),
    "nato-NF": (NATO_DOC + "(NC-NF)" + TAIL, "nato-unclassified"),
    "nato-in-us": (_mid("(CTS-A)"), "public-release"),
    "tlp-dash": (TLP_DOC + "(TLP-AMBER)" + TAIL, "tlp-green"),
    "tlp-space": (TLP_DOC + "(TLP AMBER)" + TAIL, "tlp-green"),
    "tlp-dot": (TLP_DOC + "(TLP.RED)" + TAIL, "tlp-green"),
    "tlp-strict": (TLP_DOC + "(TLP-AMBER+STRICT)" + TAIL, "tlp-green"),
    "tlp-in-us": (_mid("(TLP:AMBER)"), "public-release"),
    "uk-zero-for-O": (UK_DOC + "(0FFICIAL-SENSITIVE)" + TAIL, "uk-official"),
    "uk-5-UKEO": (UK_DOC + "(5-UKEO)" + TAIL, "uk-official"),
    "uk-eyes-only": (UK_DOC + "(UK EYES ONLY)" + TAIL, "uk-official"),
    "uk-in-us": (_mid("(OFFICIAL-SENSITIVE)"), "public-release"),
    "cui-dash": ("CUI\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine (CUI-SP-PRVCY)" + TAIL, "public-release"),
    # Readers.
    "html-bold": (_html(" <b>(S-NF)</b>"), "public-release"),
    "html-glued": (_html("<b>(5//NF)</b>"), "public-release"),
    "html-entities": (_html(" &#40;S&#92;NF&#41;"), "public-release"),
    "wikileaks-dash": (_wikileaks("(S-NF)"), "public-release"),
    "wikileaks-NF": (_wikileaks("(NF)"), "public-release"),
    "docx": (
        docx_of(["TOP SECRET", "SUBJECT: (U) TEST", "1. (U) The weather is fine (S-NF) CANARY is the source."]),
        "public-release",
    ),
}

# In an UNCLASSIFIED cable a damaged mark where a portion starts (after a number, at a line start, after a
# bullet, in the subject) left its text unmarked, to inherit the banner: released. The rule reads it there too.
START_LAYOUTS = {
    "after-number": "UNCLASSIFIED\n\nSUBJECT: (U) TEST\n\n1. (U) Fine.\n\n2. {mark} CANARY is it.\n",
    "line-start": "UNCLASSIFIED\n\nSUBJECT: (U) TEST\n\n1. (U) Fine.\n\n{mark} CANARY is it.\n",
    "after-bullet": "UNCLASSIFIED\n\nSUBJECT: (U) TEST\n\n1. (U) Fine.\n- {mark} CANARY is it.\n",
    "subject": "UNCLASSIFIED\n\nSUBJECT: {mark} CANARY\n\n1. (U) Fine.\n",
}


@pytest.mark.parametrize("layout", sorted(START_LAYOUTS))
@pytest.mark.parametrize("mark", ["(S-NF)", "(5//NF)", "(NF)", "(S//NF"])
def test_damaged_mark_where_a_portion_starts_in_an_unclassified_cable(engine, layout, mark) -> None:
    assert_no_canary(outputs(engine, START_LAYOUTS[layout].format(mark=mark)))


# Passed before the rule (a blank line or paragraph break leaves the text unmarked: it inherits the banner;
# or the scheme already read the mark): they must still pass.
CONTROL_ROWS: dict[str, tuple[str | bytes, str]] = {
    "mark-then-blank-line": (TS + "1. (U) The weather is fine (S-NF)\n\nCANARY is the source.\n", "public-release"),
    "tlp-lower-case": (TLP_DOC + "(tlp:amber)" + TAIL, "tlp-green"),
    "uk-space": (UK_DOC + "(OFFICIAL SENSITIVE)" + TAIL, "uk-official"),
    "cui-single-slash": (
        "CUI\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine (CUI/SP-PRVCY)" + TAIL,
        "public-release",
    ),
    "docx-next-paragraph": (
        docx_of(["TOP SECRET", "SUBJECT: (U) TEST", "1. (U) The weather is fine (5//NF)", "CANARY is the source."]),
        "public-release",
    ),
}


@pytest.mark.parametrize("name", sorted(LEAK_ROWS))
def test_damaged_mark_in_line_withholds_what_follows(engine, name) -> None:
    doc, policy = LEAK_ROWS[name]
    assert_no_canary(outputs(engine, doc, policy))


def test_pdf_damaged_mark_in_line_on_the_typeset_and_the_original_pages(engine) -> None:
    lines = [
        "SUBJECT: (U) TEST",
        "",
        "1. (U) The weather is fine (S-NF) CANARY is the source.",
        "2. (U) Fine (NF) CANARY.",
    ]
    pdf = lines_pdf("TOP SECRET", lines)
    assert_no_canary(outputs(engine, pdf))
    assert_no_canary(original_outputs(engine, pdf))


@pytest.mark.parametrize("name", sorted(CONTROL_ROWS))
def test_control_damaged_mark_rows_that_passed_before(engine, name) -> None:
    doc, policy = CONTROL_ROWS[name]
    assert_no_canary(outputs(engine, doc, policy))


def test_damaged_mark_is_flagged_and_never_below_what_it_splits() -> None:
    doc = segment("SECRET\n\nSUBJECT: (S) TEST\n\n1. (S) The weather is fine (C-NF) CANARY is the source.\n")
    p = next(p for p in doc.portions if "CANARY" in doc.text[p.start : p.end])
    assert p.started_by == "damaged-mark-in-line"
    assert p.marking is not None and p.marking.banner == "SECRET//NOFORN"  # C//NF read, (S) kept
    assert any("damaged mark (C-NF)" in f for f in p.flags)


# Ordinary parenthesised text: acronyms with a dash, country codes, models, list labels, references, units,
# State office symbols (`S/P`, `S/CT`, `U/S`), control short forms that are acronyms as often (`(RS)`).
PROSE_TOKENS = [
    "CSTC-A", "EU-Euro", "ISAF-N", "UN-HABITAT", "JUI-F", "SCUD-B destruction", "France-Germany", "U.S.-EU",
    "S-300", "C-130", "U-2", "C-IED", "C-SPAN", "GBR", "USA", "UK", "NL", "SU", "SP", "RS", "PR", "SI", "ND",
    "a", "b", "iv", "1", "5", "a-d", "B and D", "see REF A", "ref b", "reftels A and B", "10 km", "47.45 PERCENT",
    "USD 15,000", "S/P", "U/S", "S/CT", "S/ES-CR", "TF/DSCC e-mail", "CDS/CHOD", "B/D", "2/4", "s/he", "and/or",
    "c/o", "nf", "NS-R", "N5",
]  # fmt: skip


@pytest.mark.parametrize("token", PROSE_TOKENS)
def test_prose_in_brackets_is_no_damaged_mark(engine, token) -> None:
    doc = "UNCLASSIFIED\n\nSUBJECT: (U) TEST\n\n1. (U) The officer (" + token + ") met BLUEBIRD in Kabul.\n"
    assert "BLUEBIRD" in outputs(engine, doc)["text"]
    assert read_damaged(token, US) is None and read_damaged(token, NATO) is None


@pytest.mark.parametrize("text", ["the office S/CT) and", "(TF/DSCC e-mail", "(and/or the", "met (S/P staff"])
def test_prose_with_a_lost_bracket_is_no_mark(text) -> None:
    assert all(read_inline(text, m, US) is None for m in inline_tokens(text, 0, len(text)))


@needs_corpus
def test_no_bracketed_token_of_the_corpus_reads_as_a_damaged_mark() -> None:
    """The corpus cables (and cables-extra): 900-odd bracketed tokens, none a damaged mark."""
    paths = sorted(CORPUS.glob("*.txt")) + sorted((Path(CORPUS).parent / "cables-extra").glob("*.txt"))
    found = []
    for path in paths:
        text = read(path.read_bytes(), path.name).text
        for m in inline_tokens(text, 0, len(text)):
            if m.re in (BARE_MARK_RE, BARE_TLP_RE):
                continue  # no bracket (`SECRET//NOFORN` banners): tests/test_attack_s18_reading.py
            reading = read_inline(text, m, US)
            if reading is not None and reading[1]:
                found.append((path.name, m.group(0)))
    assert not found

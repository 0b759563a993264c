"""Attack rows of session 18: reading marks inside a line (`raising-mark-in-line`, `damaged-mark-in-line`).

LEAK_ROWS leaked a withheld canary (in the text, the JSON or the typeset PDF) before this session's fixes: a
banner line above the document's inside the body, combining marks and invisible selectors inside a mark, TLP
labels without brackets (the form TLP 2.0 writes), marks that lost both brackets (`S//NF`, `SECRET//NOFORN`),
a level and `//` before an unknown control (`(S//REL)`), and a lone `1.4 (C)` taken for a classification
reason. CONTROL_ROWS held before and must still hold. PROSE rows are releasable paragraphs of UNCLASSIFIED
cables that must be released; OVER_WITHHELD rows are prose the rules still read as marks (xfail, strict: a fix
would lower a level that can leak). Ten rows of tests/known_leaks_s18.py were closed later and are at the end of
LEAK_ROWS; the three that still leak stay there (not collected)."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from fixtures_docs import docx_of

from redactor.ingest import read
from redactor.render import render
from redactor.segment import segment
from tests.conftest import CORPUS, needs_corpus
from tests.test_attack_s17 import assert_no_canary, engine, lines_pdf, original_outputs, outputs
from tests.test_damaged_marks_in_line import GBR, NATO_DOC, TAIL, TS, UK_DOC, _mid

__all__ = ["engine"]  # the module-scoped fixture of tests/test_attack_s17.py

UNCL = "UNCLASSIFIED\n\nSUBJECT: (U) TEST\n\n1. (U) Fine.\n\n"
TLP_DOC = "TLP:RED\n\nSUBJECT: (TLP:GREEN) TEST\n\n1. (TLP:GREEN) The weather is fine"


def _wikileaks(body: str, banner: str = "S E C R E T") -> bytes:
    return (
        f"<code><pre>{banner} STATE 000001 &#x000A; &#x000A;SUBJECT: (U) TEST &#x000A;&#x000A;"
        f"<a id='par1' href='#par1'>¶</a>1. (U) {body} &#x000A;</pre></code>"
    ).encode()


def _html(between: str) -> bytes:
    return (
        "<html><body><p>TOP SECRET</p><p>SUBJECT: (U) TEST</p>"
        f"<p>1. (U) The weather is fine {between} CANARY is the source.</p></body></html>"
    ).encode()


def all_outputs(engine, doc, policy: str = "public-release") -> dict[str, str]:
    """Text, JSON and the typeset PDF's text layer."""
    out = outputs(engine, doc, policy)
    rel = engine.redact(doc, policy=policy, date="2026-01-15")
    with pdfplumber.open(io.BytesIO(render(rel, "pdf", "typeset"))) as d:
        out["typeset pdf"] = " ".join((p.extract_text() or "") for p in d.pages)
    return out


# name -> (document, policy); each leaked the canary before this session's fixes.
LEAK_ROWS: dict[str, tuple[str | bytes, str]] = {
    # Combining marks and invisible characters inside a mark (redactor/ingest/visible.py).
    "combining-acute": (_mid("(S\u0301)"), "public-release"),
    "combining-acute-S//NF": (_mid("(S\u0301//N\u0301F)"), "public-release"),
    "combining-overstrike": (_mid("(S\u0336)"), "public-release"),
    "combining-dot-below-C": (_mid("(C\u0323)"), "public-release"),
    "precomposed-S-acute": (_mid("(\u015a)"), "public-release"),
    "cyrillic-dze-plus-acute": (_mid("(\u0405\u0301)"), "public-release"),
    "variation-selector": (_mid("(S\ufe0f)"), "public-release"),
    "combining-grapheme-joiner": (_mid("(S\u034f)"), "public-release"),
    "tag-character": (_mid("(S\U000e0041)"), "public-release"),
    "hangul-filler": (_mid("(S\u3164)"), "public-release"),
    "uncl-start-combining": (UNCL + "2. (S\u0301) CANARY is the source.\n", "public-release"),
    "uncl-start-variation-selector": (UNCL + "2. (S\ufe0f//NF) CANARY is the source.\n", "public-release"),
    "docx-combining": (
        docx_of(["TOP SECRET", "SUBJECT: (U) TEST", "1. (U) The weather is fine (S\u0301)" + TAIL.rstrip("\n")]),
        "public-release",
    ),
    "wikileaks-combining": (_wikileaks("The weather is fine (S\u0336) CANARY is the source."), "public-release"),
    "html-variation-selector": (_html("(S\ufe0f)"), "public-release"),
    # TLP labels without brackets, the form TLP 2.0 writes.
    "tlp-bare-mid-line": (TLP_DOC + " TLP:RED" + TAIL, "tlp-green"),
    "tlp-bare-amber": (TLP_DOC + " TLP:AMBER" + TAIL, "tlp-green"),
    "tlp-bare-amber-strict": (TLP_DOC + " TLP:AMBER+STRICT" + TAIL, "tlp-green"),
    "tlp-bare-lower": (TLP_DOC + " tlp:red" + TAIL, "tlp-green"),
    "tlp-bare-line-start": (TLP_DOC + ".\nTLP:RED CANARY is the source.\n", "tlp-green"),
    "tlp-bare-after-comma": (TLP_DOC + ",TLP:RED" + TAIL, "tlp-green"),
    "tlp-bare-in-us-cable": (_mid("TLP:RED"), "public-release"),
    "tlp-bare-uncl-start": (UNCL + "2. TLP:RED CANARY is the source.\n", "public-release"),
    "tlp-bare-docx": (
        docx_of(
            ["TLP:RED", "SUBJECT: (TLP:GREEN) TEST", "1. (TLP:GREEN) The weather is fine TLP:AMBER" + TAIL.rstrip("\n")]
        ),
        "tlp-green",
    ),
    # Marks that lost both brackets.
    "bare-S//NF-mid-line": (_mid("S//NF"), "public-release"),
    "bare-SECRET//NOFORN-mid-line": (_mid("SECRET//NOFORN"), "public-release"),
    "bare-TS//SI//NF-mid-line": (_mid("TS//SI//NF"), "public-release"),
    "bare-S//NF-line-start": (TS + "1. (U) Fine.\nS//NF CANARY is the source.\n", "public-release"),
    "bare-S//NF-own-paragraph-uncl": (UNCL + "S//NF CANARY is the source.\n", "public-release"),
    "bare-S//NF-after-number-uncl": (UNCL + "2. S//NF CANARY is the source.\n", "public-release"),
    "bare-C//NF-after-number-uncl": (UNCL + "2. C//NF CANARY is the source.\n", "public-release"),
    "bare-S//NF-partner": (GBR + "S//NF" + TAIL, "partner-gbr-secret"),
    "bare-REL-narrower-partner": (GBR + "S//REL TO USA, AUS" + TAIL, "partner-gbr-secret"),
    "bare-wikileaks": (_wikileaks("The weather is fine S//NF CANARY is the source."), "public-release"),
    "bare-docx": (
        docx_of(["TOP SECRET", "SUBJECT: (U) TEST", "1. (U) The weather is fine SECRET//NOFORN" + TAIL.rstrip("\n")]),
        "public-release",
    ),
    # A banner line above the document's banner inside the body (a page of higher level): what follows is
    # protected at it, whether in the same paragraph, the next line or the next paragraph.
    "banner-line-in-paragraph": (
        "UNCLASSIFIED\n\nSUBJECT: (U) TEST\n\n1. (U) Fine and\nSECRET//NOFORN\nCANARY is the source.\n",
        "public-release",
    ),
    "banner-line-own-paragraph": (UNCL + "SECRET//NOFORN\n\nCANARY is the source.\n", "public-release"),
    "banner-line-before-paragraph": (UNCL + "SECRET//NOFORN\nCANARY is the source.\n", "public-release"),
    "banner-line-no-document-banner": (
        "SUBJECT: (U) TEST\n\n1. (U) Fine and\nSECRET//NOFORN\nCANARY is the source.\n",
        "public-release",
    ),
    # A level and `//` before a control no scheme knows: malformed, read at the highest level.
    "S//REL-no-list": (_mid("(S//REL)"), "public-release"),
    "S//XYZ": (_mid("(S//XYZ)"), "public-release"),
    "U//XYZ": (_mid("(U//XYZ)"), "public-release"),
    "C//two-words": (_mid("(C//ABC DEF)"), "public-release"),
    # `1.4 (C)` with no reason word and no other reason letter is a mark.
    "section-1.4-(C)": (TS + "1. (U) Per Section 1.4 (C) CANARY is the source.\n", "public-release"),
    "1.5-(C)-uncl": (UNCL + "2. (U) Under 1.5 (C) CANARY is the source.\n", "public-release"),
    "1.4-(C)-comma-uncl": (UNCL + "2. (U) Under 1.4 (C), CANARY is the source.\n", "public-release"),
}

# name -> (document, policy); each held before and must still hold.
CONTROL_ROWS: dict[str, tuple[str | bytes, str]] = {
    "after-quotation": (_mid('"fine." (S)'), "public-release"),
    "after-footnote": (_mid("fine.[1] (S)"), "public-release"),
    "soft-hyphen": (_mid("(S\u00ad)"), "public-release"),
    "soft-hyphen-in-S//NF": (_mid("(S//\u00adNF)"), "public-release"),
    "zero-width-joiner": (_mid("(S\u200d)"), "public-release"),
    "zero-width-space-in-S//NF": (_mid("(S//\u200bNF)"), "public-release"),
    "word-joiner": (_mid("(S\u2060)"), "public-release"),
    "cyrillic-dze": (_mid("(\u0405)"), "public-release"),
    "cyrillic-es-for-C": (_mid("(\u0421)"), "public-release"),
    "cyrillic-TS": (_mid("(\u0422\u0405)"), "public-release"),
    "full-width-S": (_mid("(\uff33)"), "public-release"),
    "math-bold-S": (_mid("(\U0001d412)"), "public-release"),
    "rtl-mark-before": (_mid("\u200f(S)"), "public-release"),
    "rtl-mark-inside": (_mid("(\u200fS)"), "public-release"),
    "bidi-isolate": (_mid("(\u2066S\u2069)"), "public-release"),
    "spelled-SECRET": (_mid("(SECRET)"), "public-release"),
    "spelled-CONFIDENTIAL//NOFORN": (_mid("(CONFIDENTIAL//NOFORN)"), "public-release"),
    "spaces-inside": (_mid("( S//NF )"), "public-release"),
    "no-break-spaces-inside": (_mid("(S\u00a0//\u00a0NF)"), "public-release"),
    "capco-SCI-ORCON": (_mid("(TS//SI-G//OC/NF)"), "public-release"),
    "capco-SAR": (_mid("(S//SAR-BP)"), "public-release"),
    "capco-FGI": (_mid("(S//FGI GBR)"), "public-release"),
    "foreign-//GBR-S": (_mid("(//GBR S)"), "public-release"),
    "capco-RD": (_mid("(S//RD)"), "public-release"),
    "state-single-slash": (_mid("(S/NF)"), "public-release"),
    "SBU-NF": (_mid("(SBU-NF)"), "public-release"),
    "cui-SP-CTI": ("CUI\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine (CUI//SP-CTI)" + TAIL, "public-release"),
    "nato-NS": (NATO_DOC + "(NS)" + TAIL, "nato-unclassified"),
    "nato-NC": (NATO_DOC + "(NC)" + TAIL, "nato-unclassified"),
    "nato-NR": (NATO_DOC + "(NR)" + TAIL, "nato-unclassified"),
    "nato-in-us-cable": (_mid("(NS)"), "public-release"),
    "uk-OS": (UK_DOC + "(OS)" + TAIL, "uk-official"),
    "uk-SECRET": (UK_DOC + "(SECRET)" + TAIL, "uk-official"),
    "tab-before-mark": (_mid("\t(S)"), "public-release"),
    "mark-in-url": (_mid("http://x.mil/(S)"), "public-release"),
    "mark-in-email": (_mid("a(S)@b.mil"), "public-release"),
    "double-brackets": (_mid("((S))"), "public-release"),
    "list-item-a": (TS + "1. (U) Points:\n a. (S) CANARY is the source.\n", "public-release"),
    "list-item-a-mid-line": (TS + "1. (U) Points: a. (S) CANARY is the source.\n", "public-release"),
    "table-row-second-cell": (TS + "1. (U) Table:\n| (U) name | (S) CANARY |\n", "public-release"),
    "table-row-unmarked-first": (TS + "1. (U) Table:\n| North | (S) CANARY |\n", "public-release"),
    "table-row-first-cell": (TS + "1. (U) Table:\n| (S) CANARY | north |\n", "public-release"),
    "hyphen-at-line-end": (TS + "1. (U) The weather is fine and well-\n(S) CANARY is the source.\n", "public-release"),
    "tab-after-number": (TS + "1.\t(U) Fine.\n2.\t(S) CANARY is the source.\n", "public-release"),
    "subparagraph-in-uncl-paragraph": (UNCL + "2. (U) Fine. A. (S) CANARY is the source.\n", "public-release"),
    "run-on-paragraph-uncl": (UNCL + "2. (U) Fine UN. 9. (S) CANARY is the source.\n", "public-release"),
    "glued-number-uncl": (UNCL + "2. (U) Fine. 3.(S) CANARY is the source.\n", "public-release"),
    "after-summary-uncl": (UNCL + "2. Summary: (S) CANARY is the source.\n", "public-release"),
    "uncl-start-cyrillic": (UNCL + "2. (\u0405) CANARY is the source.\n", "public-release"),
    "uncl-start-zwsp": (UNCL + "2. (S//\u200bNF) CANARY is the source.\n", "public-release"),
    "uncl-start-SECRET": (UNCL + "2. (SECRET) CANARY is the source.\n", "public-release"),
    "partner-FGI-DEU": (GBR + "(S//FGI DEU)" + TAIL, "partner-gbr-secret"),
    "partner-SAR": (GBR + "(S//SAR-BP)" + TAIL, "partner-gbr-secret"),
    "partner-//DEU-S": (GBR + "(//DEU S)" + TAIL, "partner-gbr-secret"),
    # FVEY is a country list (AUS, CAN, GBR, NZL, USA): `(S//REL TO USA, FVEY)` is releasable to GBR and was
    # wrongly a control row here (test_rel_to_fvey_is_releasable_to_gbr); NATO is an organisation, no country
    # list, and a list without GBR stays withheld.
    "partner-REL-NATO": (GBR + "(S//REL TO USA, NATO)" + TAIL, "partner-gbr-secret"),
    "partner-REL-AUS-CAN": (GBR + "(S//REL TO USA, AUS, CAN)" + TAIL, "partner-gbr-secret"),
    "partner-REL-TEYE-NF": (GBR + "(S//REL TO USA, TEYE//NF)" + TAIL, "partner-gbr-secret"),
    "partner-TS": (GBR + "(TS//REL TO USA, GBR)" + TAIL, "partner-gbr-secret"),
    "partner-damaged-OC": (GBR + "(S-OC)" + TAIL, "partner-gbr-secret"),
    "partner-damaged-FGI": (GBR + "(S-FGI DEU)" + TAIL, "partner-gbr-secret"),
    "tlp-bracketed": (TLP_DOC + " (TLP:AMBER)" + TAIL, "tlp-green"),
    "wikileaks-cyrillic": (_wikileaks("The weather is fine (\u0405) CANARY is the source."), "public-release"),
    "wikileaks-capco": (_wikileaks("The weather is fine (TS//SI-G//OC/NF) CANARY is the source."), "public-release"),
    "wikileaks-list-item": (_wikileaks("Fine. &#x000A;a. (S) CANARY is the source."), "public-release"),
    "docx-soft-hyphen": (
        docx_of(["TOP SECRET", "SUBJECT: (U) TEST", "1. (U) The weather is fine (S\u00ad)" + TAIL.rstrip("\n")]),
        "public-release",
    ),
    "docx-tab": (
        docx_of(["TOP SECRET", "SUBJECT: (U) TEST", "1. (U) Fine.\t(S) CANARY is the source."]),
        "public-release",
    ),
    "docx-line-break": (
        docx_of(["TOP SECRET", "SUBJECT: (U) TEST", "1. (U) Fine.\n(S) CANARY is the source."]),
        "public-release",
    ),
    # Damaged marks of tests/known_leaks_s18.py closed after the pass (10 of its 13 rows).
    "look-alike-level-unknown-control": (_mid("(5//XYZ)"), "public-release"),
    "spaced-TS": (_mid("(T S)"), "public-release"),
    "level-with-full-stop": (_mid("(S.)"), "public-release"),
    "FGI-alone": (_mid("(FGI)"), "public-release"),
    "bare-single-slash-S/NF": (_mid("S/NF"), "public-release"),
    "bare-single-slash-C/NF": (_mid("C/NF"), "public-release"),
    "bare-tlp-glued": (TLP_DOC + " TLP:AMBER" + TAIL.lstrip(), "tlp-green"),
    "bare-tlp-red-glued": (TLP_DOC + " TLP:REDCANARY is the source.\n", "tlp-green"),
    "lower-case-s": (_mid("(s)"), "public-release"),
    "lower-case-c": (_mid("(c)"), "public-release"),
    "circled-S": (_mid("\u24c8"), "public-release"),
    "circled-TS": (_mid("\u24c9\u24c8"), "public-release"),
    "greek-sigma": (_mid("(\u03a3)"), "public-release"),
    "greek-sigma-S//NF": (_mid("(\u03a3//NF)"), "public-release"),
}


@pytest.mark.parametrize("name", sorted(LEAK_ROWS))
def test_leak_rows_withhold_the_canary(engine, name) -> None:
    doc, policy = LEAK_ROWS[name]
    assert_no_canary(all_outputs(engine, doc, policy))


@pytest.mark.parametrize("name", sorted(CONTROL_ROWS))
def test_control_rows_withhold_the_canary(engine, name) -> None:
    doc, policy = CONTROL_ROWS[name]
    assert_no_canary(all_outputs(engine, doc, policy))


# ------------------------------------------------------------------------------------ over-withholding
# Prose in brackets or beside a line's words in an UNCLASSIFIED cable: the paragraph (and the next) released.
PROSE = [
    # State office and bureau symbols as cables write them (corpus: S/CT, S/ES, S/SECC, S/WE, S/WCI, EUR/NB,
    # NEA/ARP, SCA/INSB, DS/IP, PM/RSAT, INR/R, U/S, C/REL in `(C/REL LIBYA)` is a mark and not here).
    "(S/ES)", "(S/CRS)", "(S/ES-O)", "(S/ES-CR)", "(S/C)", "(S/SECC)", "(S/WE)", "(S/WCI)", "(S/GAC)", "(S/TIP)",
    "(S/SRAP)", "(S/E)", "(S/OFM)", "(S/RPP)", "(S/CPR)", "(S/USAB)", "(C/S)", "(NEA/ARP)", "(EUR/RUS)",
    "(EAP/CM)", "(ISN/NESS)", "(PM/RSAT)", "(OES/PCI)", "(SCA/A)", "(INR/B)", "(D/S)", "(IO/S)", "(A/S)",
    "(U/SG)", "(RSO/OS)", "(S/O)", "(O/S)", "(S/EEE)",
    # Acronyms, models, formulas, currency, numbers, dates.
    "(U.S.)", "(U-turn)", "(C-17)", "(S&P)", "(TS-1)", "(S$)", "(5)", "(5/5)", "(5/10)", "(5//6)", "(S-3)",
    "(TS-2000)", "(SO2)", "(CO2)", "(C&D)", "(PR)", "(NF-kB)", "(OC-135)", "(PR-1)", "(S-1)", "(S.A.)", "(U.N.)",
    "(S.p.A.)", "(Q&A)", "(NSC)", "(S/RES/1244)", "(UNSCR 1244)", "(N5)", "(T5)", "(TLP)", "(OS-1)", "(NS-1)",
    "(S 2)", "(5-10)", "(OS)", "(NU)", "(G)", "(SI)", "(ND)", "(RS)", "(SNF)", "(S/XYZ)", "(T5)",
    # Bare labels and reason letters the new rules must leave alone.
    "TLP:CLEAR", "TLP:WHITE", "TLP:GREEN", "http://www.state.gov/S//NF", "Reason 1.4 (C)",
    # Bare office symbols (one slash, no control after it), lower-case letters that are labels, plurals,
    # reason letters or copyright signs, circled letters that are no level, Greek words.
    "S/CT", "S/ES", "S/SECC", "S/P", "U/S", "C/O", "SA/INS, S/CT, EUR/NB", "TLP:CLEARANCE", "TLP:GREENFIELD",
    "officer(s)", "seat(s)", "(a), (b) and (c)", "items (b) and (c)", "(c) 2009 Reuters", "Copyright (c)",
    "Reason 1.4 (c)", "para (c)", "ref (s)", "(a) one, (s) two", "\u24b6", "\u24c5\u24c7",
    "(\u03a3\u03a5\u03a1\u0399\u0396\u0391)",
    "Reasons 1.4 (B) and (C)", "1.4 (C) and (D)", "E.O. 12958 1.4 (C)", "(JOS\u00c9)", "(Jos\u00e9)",
]  # fmt: skip


def test_page_banner_line_inside_a_paragraph_is_no_mark(engine) -> None:
    """A page's banner (`SECRET//NOFORN` alone on its line, no higher than the document's) inside a (U)
    paragraph, as a reader of printed pages gives it, leaves the paragraph (U): released."""
    for banner in ("SECRET//NOFORN", "TOP SECRET//NOFORN"):
        doc = banner + "\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine and\nSECRET//NOFORN\nBLUEBIRD is it.\n"
        assert "BLUEBIRD" in outputs(engine, doc)["text"]


@pytest.mark.parametrize("rel", ["FVEY", "ACGU", "TEYE", "GBR, FVEY"])
def test_rel_to_fvey_is_releasable_to_gbr(engine, rel) -> None:
    """CAPCO: FVEY is AUS, CAN, GBR, NZL, USA; ACGU is AUS, CAN, GBR, USA; TEYE is AUS, GBR, USA. A portion
    REL TO one of them is releasable to a GBR audience."""
    doc = GBR + "(S//REL TO USA, " + rel + ")" + TAIL
    assert "CANARY" in outputs(engine, doc, "partner-gbr-secret")["text"]


@pytest.mark.parametrize("token", PROSE)
def test_prose_releases_the_paragraph(engine, token) -> None:
    doc = (
        "UNCLASSIFIED\n\nSUBJECT: (U) TEST\n\n1. (U) The officer " + token + " met BLUEBIRD in Kabul.\n\n"
        "2. (U) Then " + token + " left. ROBIN stayed.\n"
    )
    text = outputs(engine, doc)["text"]
    assert "BLUEBIRD" in text and "ROBIN" in text
    assert token in text  # the token itself is released as written (an accent is not dropped from prose)


# Prose the rules read as a mark: an acronym spelled out before it (`Locally Employed Staff (LES)`), a
# state's abbreviation (`Raleigh (NC)`). Each withholds a releasable paragraph; a fix would have to release
# the text after a token that is a mark too (`(LES)` law enforcement sensitive, `(NF)` NOFORN, `(NC)` NATO
# CONFIDENTIAL, `(FGI)` a level-less FGI portion, `(S.)` a level with a full stop, a lone lower-case `(s)`, a
# Greek `(Σ)`): fail closed wins, so they stay over-withheld, flagged for the reviewer.
OVER_WITHHELD = [
    "Locally Employed Staff (LES)", "the National Front (NF)", "the Organizing Committee (OC)", "Raleigh (NC)",
    "Halifax (NS)", "Sensitive But Unclassified (SBU)", "an advisory marked TLP:AMBER", "the office (S//P)",
    "foreign government information (FGI)", "John (S.) Smith", "the officer (s)", "the sum (\u03a3)",
]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason="read as a mark: fail closed (see OVER_WITHHELD)"))
        for t in OVER_WITHHELD
    ],
)
def test_over_withheld_prose(engine, text) -> None:
    doc = "UNCLASSIFIED\n\nSUBJECT: (U) TEST\n\n1. (U) " + text + " met BLUEBIRD in Kabul.\n"
    assert "BLUEBIRD" in outputs(engine, doc)["text"]


@needs_corpus
def test_corpus_portions_read_no_bare_or_accented_mark() -> None:
    """No portion of the corpus cables (and cables-extra) is started by a mark without brackets, and every
    released paragraph of the UNCLASSIFIED ones is still (U): the new readings change none of them."""
    paths = sorted(CORPUS.glob("*.txt")) + sorted((Path(CORPUS).parent / "cables-extra").glob("*.txt"))
    assert len(paths) > 50
    for path in paths:
        doc = segment(read(path.read_bytes(), path.name).text)
        for p in doc.portions:
            if p.mark:
                assert p.mark.startswith(("(", "[", "{", "<", "\uff08", "\uff3b")), (path.name, p.mark)


def test_pdf_bare_mark_and_banner_line_on_the_typeset_and_the_original_pages(engine) -> None:
    """A text PDF: a bare `S//NF` inside a (U) line and a higher banner line inside the body of an
    UNCLASSIFIED memo; neither canary reaches the typeset or the original-page release."""

    lines = [
        "SUBJECT: (U) TEST",
        "",
        "1. (U) The weather is fine S//NF CANARY is the source.",
        "",
        "2. (U) Fine and",
        "SECRET//NOFORN",
        "CANARY is the source.",
    ]
    pdf = lines_pdf("UNCLASSIFIED", lines)
    assert_no_canary(all_outputs(engine, pdf))
    assert_no_canary(original_outputs(engine, pdf))

"""Attack rows of session 18: new realistic documents, each through every output under two policies.

Eleven documents no test or corpus held before: a CAPCO memo (banner top and bottom, a title mark, an
authority block, sub-paragraphs `a.`/`b.`/`c.`, bullets and a table with a mark per cell; as text and as DOCX
with a real table), a NATO document, a UK document, a TLP 2.0 advisory with sections labelled on their own
line, a CUI//SP-PRVCY document, an old State telegram in capitals with a letter-spaced banner, a partner
release `SECRET//REL TO USA, GBR` with one `(S//NF)` portion, an e-mail thread whose quoted messages carry
their own marks, and a memo whose SECRET paragraph runs over a page break (a reportlab PDF, also on its own
pages, and a DOCX with a page break inside the paragraph).

Every portion holds a token `ZK<code><n>`: `UA` unclassified (U, NU, O, TLP:CLEAR), `CA` CONFIDENTIAL, `SA`
SECRET, `SN` SECRET//NOFORN, `SR` SECRET//REL TO USA, GBR, `RA` NATO RESTRICTED, `OS` OFFICIAL-SENSITIVE, `SE`
SECRET UK EYES ONLY, `GA` TLP:GREEN, `AA` TLP:AMBER, `AS` TLP:AMBER+STRICT, `CU` CUI. A reviewer releases the
codes of `RELEASABLE[policy]` and withholds the rest. LEAK rows: no withheld token in the text, the JSON, the
typeset PDF's text layer, bytes or decompressed content streams, nor (original pages) the released PDF's text
layer, bytes, content streams and the OCR of its page images (tesseract's O read back as 0 inside a token).
RELEASE rows: every releasable token that is released now is in the text release (the tokens of
OVER_WITHHELD are left out there and are xfail rows, strict: each is fail-closed reading that a fix must not
turn into a leak). BANNER rows: the release's banner, first and last line of the text and on every typeset page.
No leak was found (CONTROLS adds quoted and forwarded threads whose own banners differ from the thread's);
104 of 130 releasable portions were released at first; now 128 of 130 (the 98 % bar is met): OVER_WITHHELD says where
the rest go."""

from __future__ import annotations

import io
import json
import re

import docx
import pdfplumber
import pypdf
import pytest
from docx.enum.text import WD_BREAK
from fixtures_docs import _docx_bytes
from pdf_checks import ocr
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from redactor.engine import Redactor
from redactor.render import render
from tests.test_attack_s17 import engine

__all__ = ["engine"]  # the module-scoped fixture of tests/test_attack_s17.py

CAPCO = """SECRET//NOFORN

MEMORANDUM FOR THE RECORD

(U) QUARTERLY REVIEW OF LIAISON CHANNELS ZKUA01

SUBJECT: (U) Liaison channel review ZKUA02

Classified By: Deputy Director, Office of Liaison
Reason: 1.4(c)
Derived From: Multiple Sources
Declassify On: 20501231

1. (U) This memorandum records the quarterly review of liaison channels ZKUA03.
   a. (S//NF) The northern channel relies on an officer placed inside the ministry ZKSN04.
   b. (U) The southern channel was reviewed and found adequate ZKUA05.
   c. (C) The western channel uses a leased line through the embassy annex ZKCA06.
2. (U) The review team noted the following points:
   - (U) Meetings were held monthly at the regional office ZKUA07.
   - (S) The liaison partner shared intercepted traffic from the border ZKSA08.
   - (C) Funding was drawn from the contingency account ZKCA09.
   - (U) Travel costs stayed within the approved budget ZKUA10.
3. (U) The table below lists the channels reviewed ZKUA11.

   (U) Channel      (U) Status       (S) Source
   (U) North ZKUA12 (U) Active ZKUA13 (S) Ministry officer ZKSA14
   (U) South ZKUA15 (C) Paused ZKCA16 (S) Border unit ZKSA17

4. (U) The next review is scheduled for the spring ZKUA18.

SECRET//NOFORN
"""

NATO = """NATO SECRET

NORTH ATLANTIC TREATY ORGANIZATION
INTERNATIONAL MILITARY STAFF

SUBJECT: (NU) Exercise planning conference ZKUA01

1. (NU) The planning conference met in Brussels to prepare the autumn exercise ZKUA02.
2. (NS) The exercise will test reinforcement routes through the northern corridor ZKSA03.
3. (NR) Host nation support requests are due by the end of the month ZKRA04.
4. (NC) Two brigades will be held back as a reserve during the first phase ZKCA05.
5. (NU) Public affairs guidance will follow in a separate message ZKUA06.

NATO SECRET
"""

UK = """SECRET UK EYES ONLY

MINISTRY OF DEFENCE

SUBJECT: (O) Review of estate disposals ZKUA01

1. (O) The department reviewed the disposal programme for surplus sites ZKUA02.
2. (OS) The sale price agreed for the coastal site is below the valuation ZKOS03.
3. (S) The site hosted a facility whose purpose is not acknowledged ZKSA04.
4. (S//UKEO) Partner nations have not been told about the facility ZKSE05.
5. (O) The programme will be completed within the current spending period ZKUA06.

SECRET UK EYES ONLY
"""

TLP = """TLP:AMBER+STRICT

CYBERSECURITY ADVISORY

TLP:CLEAR
Summary: A phishing campaign targets municipal water utilities ZKUA01.

TLP:GREEN
Indicators: the campaign uses lookalike domains registered last week ZKGA02.

TLP:AMBER+STRICT
Victims: three named utilities in the western region were compromised ZKAS03.

TLP:AMBER
Mitigations under test with the affected vendor ZKAA04.

TLP:CLEAR
Reporting: send reports to the national coordination centre ZKUA05.

TLP:AMBER+STRICT
"""

CUI = """CUI//SP-PRVCY

Controlled by: Department of Examples
CUI Category: Privacy
Limited Dissemination Control: FEDCON
POC: Records Office, 555-0100

SUBJECT: (U) Employee grievance summary ZKUA01

1. (U) The office received twelve grievances in the quarter ZKUA02.
2. (CUI) The grievant's home address and medical history were attached ZKCU03.
3. (U) Eleven grievances were resolved without a hearing ZKUA04.
4. (CUI) The remaining grievance names a supervisor and a medical leave ZKCU05.

CUI//SP-PRVCY
"""

TELEGRAM = """C O N F I D E N T I A L SECTION 01 OF 01 STATE 012345

E.O. 12958: DECL: 03/15/2014
TAGS: PREL, PGOV, XX
SUBJECT: (U) DEMARCHE ON FISHERIES AGREEMENT ZKUA01

REF: STATE 011111

CLASSIFIED BY: OFFICE DIRECTOR, EUR/NB. REASON: 1.4 (B) AND (D).

1. (C) POST SHOULD DELIVER THE FOLLOWING POINTS TO THE FOREIGN MINISTRY AT THE HIGHEST APPROPRIATE LEVEL ZKCA02.

2. (U) THE DEPARTMENT WELCOMES THE RENEWAL OF THE FISHERIES AGREEMENT ZKUA03.

3. (C) POST SHOULD NOTE PRIVATELY THAT QUOTA INCREASES WILL NOT BE SUPPORTED ZKCA04.

4. (U) PLEASE REPORT THE RESPONSE BY CABLE ZKUA05.

RICE

C O N F I D E N T I A L
"""

PARTNER = """SECRET//REL TO USA, GBR

SUBJECT: (U) Maritime patrol coordination ZKUA01

1. (S//REL TO USA, GBR) Joint patrols will cover the eastern approaches from March ZKSR02.
2. (U) The patrol schedule will be published to crews only ZKUA03.
3. (S//NF) A US submarine will shadow the patrols without partner knowledge ZKSN04.
4. (S//REL TO USA, GBR) Liaison officers will sit in both operations centres ZKSR05.

SECRET//REL TO USA, GBR
"""

EMAIL = """SECRET

From: analyst.one@example.gov
To: desk.officer@example.gov
Subject: (U) RE: RE: Port visit schedule ZKUA01

(U) Thanks, the revised schedule works for us ZKUA02.

(S) Please keep the second berth off the public list ZKSA03.

On Monday, desk.officer@example.gov wrote:
> (U) Attached is the revised port visit schedule ZKUA04.
> (S) The second berth is reserved for the survey vessel ZKSA05.
>
> On Friday, analyst.one@example.gov wrote:
>> (C) The survey vessel will arrive two days early ZKCA06.
>> (U) Can you send the updated schedule ZKUA07.

SECRET
"""

SECRET_PARA = (
    "2. (S) The team found that the east wing stores enriched material in quantities "
    "above the declared amount ZKSA03 and the logbooks for the store were altered "
    "during the last quarter to hide the transfers ZKSA04 and the guard roster was "
    "changed so that the transfers happened at night ZKSA05 and the material left by "
    "road on three separate nights ZKSA06."
)
AFTER = ["3. (U) The team will return next year for a routine visit ZKUA07.", "", "SECRET"]


def pagebreak_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    W, H = letter

    def page_head():
        c.setFont("Helvetica-Bold", 11)
        c.drawCentredString(W / 2, H - 40, "SECRET")
        c.drawCentredString(W / 2, 30, "SECRET")
        c.setFont("Helvetica", 11)

    page_head()
    y = H - 80
    for line in [
        "SUBJECT: (U) Facility inspection report ZKUA01",
        "",
        "1. (U) The inspection team visited the facility in June ZKUA02.",
        "",
    ]:
        c.drawString(72, y, line)
        y -= 16
    # push the SECRET paragraph to the bottom of page 1
    y = 130
    words = SECRET_PARA.split()
    lines, cur = [], ""
    for w in words:
        if len(cur) + len(w) + 1 > 80:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w).strip()
    lines.append(cur)
    first, rest = lines[:3], lines[3:]
    for line in first:
        c.drawString(72, y, line)
        y -= 16
    c.showPage()
    page_head()
    y = H - 80
    for line in rest:
        c.drawString(72, y, line)
        y -= 16
    y -= 16
    c.drawString(72, y, AFTER[0])
    c.save()
    return buf.getvalue()


def pagebreak_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("SECRET")
    d.add_paragraph("SUBJECT: (U) Facility inspection report ZKUA01")
    d.add_paragraph("1. (U) The inspection team visited the facility in June ZKUA02.")
    half = SECRET_PARA.index(" and the guard roster")
    p = d.add_paragraph()
    p.add_run(SECRET_PARA[:half])
    p.add_run().add_break(WD_BREAK.PAGE)
    p.add_run(SECRET_PARA[half:])
    d.add_paragraph("3. (U) The team will return next year for a routine visit ZKUA07.")
    d.add_paragraph("SECRET")
    return _docx_bytes(d)


def capco_docx() -> bytes:
    """The CAPCO memo as DOCX with a real table of marked cells."""
    d = docx.Document()
    for line in CAPCO.split("\n"):
        s = line.strip()
        if s.startswith("(U) Channel") or s.startswith("(U) North") or s.startswith("(U) South"):
            continue
        if line.startswith("3. (U)"):
            d.add_paragraph(s)
            t = d.add_table(rows=3, cols=3)
            cells = [
                ["(U) Channel", "(U) Status", "(S) Source"],
                ["(U) North ZKUA12", "(U) Active ZKUA13", "(S) Ministry officer ZKSA14"],
                ["(U) South ZKUA15", "(C) Paused ZKCA16", "(S) Border unit ZKSA17"],
            ]
            for r, row in enumerate(cells):
                for k, v in enumerate(row):
                    t.cell(r, k).text = v
            continue
        if s:
            d.add_paragraph(s)
    return _docx_bytes(d)


QUOTED_BANNER_UNCL = (
    "UNCLASSIFIED\n\nSubject: (U) FW: note\n\n(U) See below ZKUA01.\n\n"
    "> (S) The berth is reserved ZKSA02.\n> (U) Schedule attached ZKUA03.\n\nUNCLASSIFIED\n"
)
PIPE_TABLE = (
    "SECRET\n\nSUBJECT: (U) Table ZKUA01\n\n1. (U) Channels ZKUA02:\n\n"
    "| (U) Channel | (U) Status | (S) Source |\n|---|---|---|\n"
    "| (U) North ZKUA03 | (U) Active ZKUA04 | (S) Officer ZKSA05 |\n"
    "| (U) South ZKUA06 | (C) Paused ZKCA07 | (S) Border ZKSA08 |\n\n2. (U) End ZKUA09.\n\nSECRET\n"
)
REL_FVEY = (
    "SECRET//REL TO USA, FVEY\n\nSUBJECT: (U) Patrols ZKUA01\n\n1. (S//REL TO USA, FVEY) Patrols ZKSF02.\n"
    "2. (S//REL TO USA, AUS, CAN) Not for GBR ZKSX03.\n3. (S//REL TO USA, GBR) For GBR ZKSR04.\n\n"
    "SECRET//REL TO USA, FVEY\n"
)
TLP_INLINE = (
    "TLP:AMBER+STRICT\n\nSUBJECT: (TLP:CLEAR) Advisory ZKUA01\n\n1. (TLP:CLEAR) Summary ZKUA02.\n"
    "2. (TLP:AMBER+STRICT) Victims ZKAS03.\n3. (TLP:GREEN) Indicators ZKGA04.\n4. (TLP:AMBER) Mitigations ZKAA05.\n\n"
    "TLP:AMBER+STRICT\n"
)
NATO_SUB = (
    "NATO SECRET\n\nSUBJECT: (NU) Plan ZKUA01\n\n1. (NU) General ZKUA02.\n   a. (NR) Host nation ZKRA03.\n"
    "   b. (NATO RESTRICTED) Routes ZKRA04.\n   c. (NATO UNCLASSIFIED) Press ZKUA05.\n   d. (NS) Reserves ZKSA06.\n\n"
    "NATO SECRET\n"
)
UK_SPELLED = (
    "SECRET UK EYES ONLY\n\nSUBJECT: (O) Estates ZKUA01\n\n1. (OFFICIAL) Programme ZKUA02.\n"
    "2. (OFFICIAL-SENSITIVE) Price ZKOS03.\n3. (SECRET UK EYES ONLY) Facility ZKSE04.\n4. (S UKEO) Partners ZKSE05.\n"
    "5. (O) Done ZKUA06.\n\nSECRET UK EYES ONLY\n"
)


def header_docx() -> bytes:
    """The page-break memo as DOCX with its banner only in the page header and footer, the SECRET paragraph
    split into two Word paragraphs around the page break (the second one unmarked)."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "SECRET"
    d.sections[0].footer.paragraphs[0].text = "SECRET"
    d.add_paragraph("SUBJECT: (U) Facility inspection report ZKUA01")
    d.add_paragraph("1. (U) The inspection team visited the facility in June ZKUA02.")
    half = SECRET_PARA.index(" and the guard roster")
    d.add_paragraph(SECRET_PARA[:half] + ".")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("The guard roster" + SECRET_PARA[half + len(" and the guard roster") :])
    d.add_paragraph("3. (U) The team will return next year for a routine visit ZKUA07.")
    return _docx_bytes(d)


TOKEN = re.compile(r"ZK[A-Z]{2}\d\d")
PAGEBREAK_TOKENS = ["ZKUA01", "ZKUA02", "ZKSA03", "ZKSA04", "ZKSA05", "ZKSA06", "ZKUA07"]

# What a reviewer releases: the token codes at or below each policy's level and audience.
RELEASABLE: dict[str, set[str]] = {
    "public-release": {"UA"},
    "cleared-us-confidential": {"UA", "CA", "CU"},
    "partner-gbr-secret": {"UA", "SR", "CA", "SF"},
    "nato-unclassified": {"UA"},
    "uk-official": {"UA"},
    "tlp-green": {"UA", "GA"},
}

DOCUMENTS = {
    "capco-memo": lambda: CAPCO,
    "capco-memo-docx": capco_docx,
    "nato": lambda: NATO,
    "nato-sub-paragraphs": lambda: NATO_SUB,
    "uk": lambda: UK,
    "uk-spelled-marks": lambda: UK_SPELLED,
    "tlp-advisory": lambda: TLP,
    "tlp-inline-labels": lambda: TLP_INLINE,
    "cui": lambda: CUI,
    "state-telegram": lambda: TELEGRAM,
    "partner-gbr": lambda: PARTNER,
    "partner-fvey": lambda: REL_FVEY,
    "email-thread": lambda: EMAIL,
    "email-uncl-banner-quoting-S": lambda: QUOTED_BANNER_UNCL,
    "pipe-table": lambda: PIPE_TABLE,
    "pagebreak-pdf": pagebreak_pdf,
    "pagebreak-docx": pagebreak_docx,
    "pagebreak-docx-header-banner": header_docx,
}

# (document, policy) -> the banner a reviewer expects on the release.
BANNERS: dict[tuple[str, str], str] = {
    ("capco-memo", "public-release"): "UNCLASSIFIED",
    ("capco-memo", "cleared-us-confidential"): "CONFIDENTIAL",
    ("capco-memo-docx", "public-release"): "UNCLASSIFIED",
    ("capco-memo-docx", "cleared-us-confidential"): "CONFIDENTIAL",
    ("nato", "nato-unclassified"): "NATO UNCLASSIFIED",
    ("nato", "public-release"): "UNCLASSIFIED",
    ("nato-sub-paragraphs", "nato-unclassified"): "NATO UNCLASSIFIED",
    ("uk", "uk-official"): "OFFICIAL",
    ("uk", "public-release"): "UNCLASSIFIED",
    ("uk-spelled-marks", "uk-official"): "OFFICIAL",
    ("tlp-advisory", "tlp-green"): "TLP:GREEN",  # the TLP:GREEN section is released
    ("tlp-advisory", "public-release"): "UNCLASSIFIED",
    ("tlp-inline-labels", "tlp-green"): "TLP:GREEN",
    ("cui", "public-release"): "UNCLASSIFIED",
    ("cui", "cleared-us-confidential"): "UNCLASSIFIED//CUI",
    ("state-telegram", "public-release"): "UNCLASSIFIED",
    ("state-telegram", "cleared-us-confidential"): "CONFIDENTIAL",
    ("partner-gbr", "partner-gbr-secret"): "SECRET//REL TO USA, GBR",
    ("partner-gbr", "public-release"): "UNCLASSIFIED",
    ("partner-fvey", "partner-gbr-secret"): "SECRET//REL TO USA, GBR",
    ("email-thread", "public-release"): "UNCLASSIFIED",
    ("email-thread", "cleared-us-confidential"): "CONFIDENTIAL",  # the quoted `>> (C)` line is released
    ("email-uncl-banner-quoting-S", "public-release"): "UNCLASSIFIED",
    ("pipe-table", "public-release"): "UNCLASSIFIED",
    ("pagebreak-pdf", "public-release"): "UNCLASSIFIED",
    ("pagebreak-pdf", "cleared-us-confidential"): "UNCLASSIFIED",
    ("pagebreak-docx", "public-release"): "UNCLASSIFIED",
    ("pagebreak-docx", "cleared-us-confidential"): "UNCLASSIFIED",
    ("pagebreak-docx-header-banner", "public-release"): "UNCLASSIFIED",
    ("pagebreak-docx-header-banner", "cleared-us-confidential"): "UNCLASSIFIED",
}
CASES = sorted(BANNERS)

# Releasable tokens the rules withhold (fail closed), each with why; xfail rows below, strict.
# A document is named alone (every policy) or as `name:policy`.
OVER_WITHHELD: dict[str, tuple[list[str], str, set[str]]] = {
    "tlp-section-label-under-a-us-policy": (
        ["tlp-advisory:public-release"],
        "under a US policy a TLP label is no mark of the scheme (TLP:CLEAR stays text), so a section labelled "
        "`TLP:CLEAR` alone on its line inherits the banner; under tlp-green it is released (section-label)",
        {"ZKUA01", "ZKUA05"},
    ),
}


def _str(data: str | bytes) -> str:
    return data.decode() if isinstance(data, bytes) else data


def every_output(engine: Redactor, data: str | bytes, policy: str, layout: str = "typeset") -> dict[str, str]:
    """The text and JSON renders, the PDF's text layer and bytes, and for original pages the OCR of each page."""
    kw = {"layout": layout} if layout == "original" else {}
    rel = engine.redact(data, policy=policy, date="2026-01-15", **kw)
    out = {"text": _str(render(rel, "text")), "json": _str(render(rel, "json"))}
    pdf = render(rel, "pdf", layout)
    with pdfplumber.open(io.BytesIO(pdf)) as d:
        out["pdf text layer"] = " ".join((p.extract_text() or "") for p in d.pages)
    out["pdf bytes"] = pdf.decode("latin1")
    streams = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:  # the content streams, decompressed
        contents = page.get_contents()
        streams.append(contents.get_data().decode("latin1") if contents is not None else "")
    out["pdf content streams"] = " ".join(streams)
    if layout == "original":
        out["original json"] = json.dumps(rel.to_dict())
        # tesseract reads the 0 of a token as O: read them back as digits.
        read = " ".join(ocr(p.image) for p in rel.pages)
        out["OCR of page images"] = re.sub(
            r"ZK([A-Z]{2})([0-9O]{2})", lambda m: m[0][:4] + m[2].replace("O", "0"), read
        )
    return out


def tokens(name: str) -> list[str]:
    data = DOCUMENTS[name]()
    if isinstance(data, bytes):
        return list(PAGEBREAK_TOKENS) if name.startswith("pagebreak") else sorted(set(TOKEN.findall(CAPCO)))
    return sorted(set(TOKEN.findall(data)))


# A NATO or UK document under a US policy is foreign government information: its NU and O portions too.
FOREIGN = {"nato", "nato-sub-paragraphs", "uk", "uk-spelled-marks"}


def expected(name: str, policy: str) -> tuple[list[str], list[str]]:
    """(withheld, releasable) tokens of a document under a policy, as a reviewer decides them."""
    toks = tokens(name)
    if name in FOREIGN and policy not in ("nato-unclassified", "uk-official"):
        return toks, []
    return [t for t in toks if t[2:4] not in RELEASABLE[policy]], [t for t in toks if t[2:4] in RELEASABLE[policy]]


def over_withheld(name: str, policy: str) -> set[str]:
    _, releasable = expected(name, policy)
    return {
        t
        for docs_, _, toks in OVER_WITHHELD.values()
        if name in docs_ or f"{name}:{policy}" in docs_
        for t in toks
        if t in releasable
    }


def _leaks(out: dict[str, str], withheld: list[str]) -> dict[str, list[str]]:
    return {t: sorted(k for k, v in out.items() if t in v) for t in withheld if any(t in v for v in out.values())}


@pytest.mark.parametrize(("name", "policy"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_document_every_output_withholds_every_withheld_portion(engine, name, policy) -> None:
    withheld, _ = expected(name, policy)
    leaked = _leaks(every_output(engine, DOCUMENTS[name](), policy), withheld)
    assert not leaked, f"withheld tokens leaked: {leaked}"


@pytest.mark.parametrize("policy", ["public-release", "cleared-us-confidential"])
def test_pagebreak_pdf_on_its_own_pages_withholds_the_secret_paragraph(engine, policy) -> None:
    withheld, releasable = expected("pagebreak-pdf", policy)
    out = every_output(engine, pagebreak_pdf(), policy, layout="original")
    assert not _leaks(out, withheld)
    ocr_text = out["OCR of page images"].lower()
    assert "ZKUA02" in out["OCR of page images"]  # the OCR check can see a token
    assert [w for w in ("enriched", "logbooks", "roster", "transfers", "nights") if w in ocr_text] == []
    assert [t for t in releasable if t not in out["text"]] == []


@pytest.mark.parametrize("name", ["capco-memo-docx", "pagebreak-docx"])
def test_control_original_layout_of_a_docx_is_refused(engine, name) -> None:
    from redactor.errors import RedactorError

    with pytest.raises(RedactorError, match="needs a PDF upload"):
        engine.redact(DOCUMENTS[name](), layout="original", date="2026-01-15")


@pytest.mark.parametrize(("name", "policy"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_document_releases_every_releasable_portion(engine, name, policy) -> None:
    _, releasable = expected(name, policy)
    text = every_output(engine, DOCUMENTS[name](), policy)["text"]
    want = [t for t in releasable if t not in over_withheld(name, policy)]
    assert [t for t in want if t not in text] == []


@pytest.mark.parametrize(("name", "policy"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_document_banner(engine, name, policy) -> None:
    rel = engine.redact(DOCUMENTS[name](), policy=policy, date="2026-01-15")
    assert rel.banner == BANNERS[(name, policy)]
    text = _str(render(rel, "text")).strip().splitlines()
    assert text[0] == rel.banner and text[-1] == rel.banner  # top and bottom of the text release
    with pdfplumber.open(io.BytesIO(render(rel, "pdf"))) as d:
        for page in d.pages:
            assert rel.banner in (page.extract_text() or "")


def _released_share(engine: Redactor) -> tuple[int, int]:
    got = total = 0
    for name, policy in CASES:
        _, releasable = expected(name, policy)
        text = every_output(engine, DOCUMENTS[name](), policy)["text"]
        got += sum(t in text for t in releasable)
        total += len(releasable)
    return got, total


def test_releasable_portions_released_across_the_set_floor(engine) -> None:
    """What is released now (128 of 130): a floor, so that no change releases less."""
    got, total = _released_share(engine)
    assert (got, total) == (128, 130)


def test_releasable_portions_released_across_the_set_bar(engine) -> None:
    got, total = _released_share(engine)
    assert got / total >= 0.98, f"{got}/{total}"


OVER_CASES = [
    (row, name, policy)
    for row, (names, _, _) in OVER_WITHHELD.items()
    for name in sorted({n.split(":")[0] for n in names})
    for policy in sorted({p for n, p in CASES if n == name})
    if over_withheld(name, policy) & set(OVER_WITHHELD[row][2])
]


@pytest.mark.xfail(strict=True, reason="fail-closed reading withholds releasable portions (OVER_WITHHELD)")
@pytest.mark.parametrize(("row", "name", "policy"), OVER_CASES, ids=[f"{r}-{n}-{p}" for r, n, p in OVER_CASES])
def test_over_withheld_releasable_portion(engine, row, name, policy) -> None:
    text = every_output(engine, DOCUMENTS[name](), policy)["text"]
    want = over_withheld(name, policy) & OVER_WITHHELD[row][2]
    assert sorted(t for t in want if t not in text) == []


# Controls that held: a quoted or forwarded message whose own banner is higher (NOFORN) than the thread's, or
# lower (REL TO) inside a NOFORN thread, and a level word alone on a line of a telegram's paragraph.
NOFORN_QUOTED = (
    "SECRET//REL TO USA, GBR\n\nSubject: (U) FW: patrols ZKUA01\n\n"
    "(S//REL TO USA, GBR) See below for the patrol plan ZKSR02.\n\n-----Original Message-----\n"
    "> SECRET//NOFORN\n>\n> The submarine will shadow the patrols ZKSN03.\n> Partners are not told ZKSN04.\n>\n"
    "> SECRET//NOFORN\n\nSECRET//REL TO USA, GBR\n"
)
CONTROLS: dict[str, tuple[str, str, list[str], list[str]]] = {
    "quoted-noforn-banner-in-a-rel-thread": (NOFORN_QUOTED, "partner-gbr-secret", ["ZKSN03", "ZKSN04"], ["ZKSR02"]),
    "forwarded-noforn-banner-in-a-rel-thread": (
        "SECRET//REL TO USA, GBR\n\nSubject: (U) FW: patrols ZKUA01\n\n"
        "(S//REL TO USA, GBR) See below for the patrol plan ZKSR02.\n\n-----Original Message-----\n"
        "From: a@example.gov\n\nSECRET//NOFORN\n\nThe submarine will shadow the patrols ZKSN03.\n\n"
        "SECRET//NOFORN\n\nSECRET//REL TO USA, GBR\n",
        "partner-gbr-secret",
        ["ZKSN03"],
        ["ZKSR02"],
    ),
    "quoted-rel-banner-in-a-noforn-thread": (
        "SECRET//NOFORN\n\nSubject: (U) FW: patrols ZKUA01\n\n(S//NF) Do not pass this on ZKSN02.\n\n"
        "> SECRET//REL TO USA, GBR\n> The patrols start in March ZKSR03.\n> SECRET//REL TO USA, GBR\n\n"
        "SECRET//NOFORN\n",
        "partner-gbr-secret",
        ["ZKSN02", "ZKSR03"],  # unmarked quoted text inherits the thread's NOFORN: withheld (fail closed)
        ["ZKUA01"],
    ),
    "telegram-level-word-alone-in-a-paragraph": (
        "C O N F I D E N T I A L STATE 012345\n\nSUBJECT: (U) REPORT ZKUA01\n\n"
        "1. (U) THE MINISTRY CALLED THE REPORT ZKUA02\nUNCLASSIFIED\nIN A PRESS STATEMENT ZKUA03.\n\n"
        "2. (C) THE MINISTER WILL RESIGN ZKCA04.\nUNCLASSIFIED\nTHE CABINET KNOWS ZKCA05.\n\n"
        "C O N F I D E N T I A L\n",
        "public-release",
        ["ZKCA04", "ZKCA05"],
        ["ZKUA01", "ZKUA02", "ZKUA03"],
    ),
    # A header field after a title mark is read as the header reads it, and no further: a marked or unmarked
    # line right after the subject is body text at its own mark or the banner's.
    "subject-after-title-then-S-line": (
        "SECRET\n\n(U) TITLE ZKUA01\n\nSUBJECT: (U) Review ZKUA02\n(S) The source is in the ministry ZKSA03.\n\n"
        "1. (U) Fine ZKUA04.\n\nSECRET\n",
        "public-release",
        ["ZKSA03"],
        ["ZKUA01", "ZKUA02", "ZKUA04"],
    ),
    "subject-after-title-then-unmarked-line": (
        "SECRET\n\n(U) TITLE ZKUA01\n\nSUBJECT: (U) Review ZKUA02\nthe source is in the ministry ZKSA03\n\n"
        "1. (U) Fine ZKUA04.\n\nSECRET\n",
        "public-release",
        ["ZKSA03"],
        ["ZKUA01", "ZKUA02", "ZKUA04"],
    ),
    # Not after a numbered paragraph, nor after a title that runs over two lines: there `Subject:` is body text.
    "subject-after-a-numbered-paragraph": (
        "SECRET\n\nSUBJECT: (U) Thread ZKUA01\n\n1. (U) Fine ZKUA02.\n\nSubject: (U) FW: berth ZKSA03\n\nSECRET\n",
        "public-release",
        ["ZKSA03"],
        ["ZKUA01", "ZKUA02"],
    ),
    "field-after-a-two-line-title": (
        "SECRET\n\n(U) TITLE ZKUA01\nwrapped ZKUA02\n\nSUBJECT: (U) Review ZKSA03\n\n1. (U) Fine ZKUA04.\n\nSECRET\n",
        "public-release",
        ["ZKSA03"],  # the subject stays unmarked body text (the banner's level): fail closed
        ["ZKUA01", "ZKUA02", "ZKUA04"],
    ),
    # A quote prefix is like indentation: a lower mark after it starts a portion only where a line-start mark
    # would (after a blank line or a finished sentence); a higher one always; an unmarked quoted line continues.
    "quoted-U-inside-a-secret-paragraph": (
        "SECRET\n\nSUBJECT: (U) Thread ZKUA01\n\n(S) The source said that\n> (U) the berth is reserved ZKSA02.\n"
        "> and the vessel is early ZKSA03.\n\nSECRET\n",
        "public-release",
        ["ZKSA02", "ZKSA03"],
        ["ZKUA01"],
    ),
    "quoted-S-after-quoted-U-mid-sentence": (
        "SECRET\n\nSUBJECT: (U) Thread ZKUA01\n\nOn Monday, a@example.gov wrote:\n> (U) The schedule is ZKUA02\n"
        "> (S) the berth is reserved ZKSA03\n> for the survey vessel ZKSA04.\n>> (U) Fine ZKUA05.\n\nSECRET\n",
        "public-release",
        ["ZKSA03", "ZKSA04"],
        ["ZKUA01", "ZKUA02", "ZKUA05"],
    ),
    "quoted-numbered-S-and-unmarked-wrote-line": (
        "SECRET\n\nSUBJECT: (U) Thread ZKUA01\n\nOn Friday, b@example.gov wrote ZKSA02:\n> 1. (U) Fine ZKUA03.\n"
        "> 2. (S) The berth ZKSA04.\n> unmarked quoted text after it ZKSA05\n\nSECRET\n",
        "cleared-us-confidential",
        ["ZKSA02", "ZKSA04", "ZKSA05"],
        ["ZKUA01", "ZKUA03"],
    ),
    # A `|` splits only in a table row (a line that starts with one): in prose it is text, and a lower mark after
    # it does not lower the paragraph; an unmarked cell continues the cell before it.
    "pipe-inside-a-secret-paragraph": (
        "SECRET\n\nSUBJECT: (U) Ratio ZKUA01\n\n1. (S) The ratio is a | (U) b for the source ZKSA02 | (U) c ZKSA03.\n"
        "\n2. (U) Fine ZKUA04.\n\nSECRET\n",
        "public-release",
        ["ZKSA02", "ZKSA03"],
        ["ZKUA01", "ZKUA04"],
    ),
    "pipe-table-unmarked-cell-after-S": (
        "SECRET\n\nSUBJECT: (U) Table ZKUA01\n\n1. (U) Channels ZKUA02:\n\n| (U) North ZKUA03 | (S) Officer ZKSA04 |"
        " Ministry ZKSA05 |\n| unmarked first cell ZKSA06 | (U) Active ZKUA07 |\n\n2. (U) End ZKUA08.\n\nSECRET\n",
        "public-release",
        ["ZKSA04", "ZKSA05", "ZKSA06"],
        ["ZKUA01", "ZKUA02", "ZKUA03", "ZKUA07", "ZKUA08"],
    ),
    # A space-aligned table is two or more lines whose marks stand at the same columns: a SECRET paragraph whose
    # wrapped lines hold a `(U)` at other columns, or one such line alone, is no table, and is not lowered.
    "mid-line-U-in-a-secret-paragraph-not-aligned": (
        "SECRET\n\nSUBJECT: (U) Text ZKUA01\n\n(S) The source said (U) the berth ZKSA02 and\n"
        "(U) then (U) the vessel ZKSA03 is early\n\n2. (U) End ZKUA04.\n\nSECRET\n",
        "public-release",
        ["ZKSA02", "ZKSA03"],
        ["ZKUA01", "ZKUA04"],
    ),
    "text-table-unmarked-cells-after-S": (
        "SECRET\n\nSUBJECT: (U) Table ZKUA01\n\n   (U) Channel   (S) Source\n   (U) North     (S) Officer ZKSA02\n"
        "   unmarked row ZKSA03 fine\n\n2. (U) End ZKUA04.\n\nSECRET\n",
        "public-release",
        ["ZKSA02", "ZKSA03"],
        ["ZKUA01", "ZKUA04"],
    ),
    # A TLP label alone on its line labels the section below only where that is unambiguous: after a blank line,
    # text on the very next line, lower than the banner. Inside a sentence, before a blank line (a page footer)
    # or under a policy of another scheme it is a repeated page banner and lowers nothing.
    "tlp-label-inside-an-amber-sentence": (
        "TLP:AMBER\n\nADVISORY\n\nTLP:AMBER\nVictims are the three\nTLP:CLEAR\nutilities in the west ZKAA01.\n\n"
        "TLP:CLEAR\nReporting is open ZKUA02.\n\nTLP:AMBER\n",
        "tlp-green",
        ["ZKAA01"],
        ["ZKUA02"],
    ),
    "tlp-label-as-a-page-footer": (
        "TLP:AMBER\n\nADVISORY\n\nTLP:AMBER\nVictims are three utilities ZKAA01.\n\nTLP:CLEAR\n\n"
        "The utilities are in the west ZKAA02.\n\nTLP:AMBER\n",
        "tlp-green",
        ["ZKAA01", "ZKAA02"],
        [],
    ),
    "tlp-label-under-a-us-policy": (
        "TLP:AMBER\n\nADVISORY\n\nTLP:CLEAR\nSummary is public ZKUA01.\n\nTLP:AMBER\nVictims ZKAA02.\n\nTLP:AMBER\n",
        "public-release",
        ["ZKUA01", "ZKAA02"],  # US scheme: TLP:CLEAR is no mark there, the section stays at the banner's
        [],
    ),
}


@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_control_thread_and_telegram_variants(engine, name) -> None:
    data, policy, withheld, released = CONTROLS[name]
    out = every_output(engine, data, policy)
    assert not _leaks(out, withheld)
    assert [t for t in released if t not in out["text"]] == []

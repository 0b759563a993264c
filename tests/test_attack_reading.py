"""Documents written to break the reader, none of them developed against: each hides canary words where a
release must not show them (a classified portion, unmarked text of a classified document, text a header
field could swallow). No canary may reach the text, JSON or PDF release; text that is positively marked at
or below the ceiling must still be released, so a reader that withholds everything cannot pass.
"""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from redactor.render import render

# (name, policy, document, canaries that must stay out, text that must be released)
CASES = [
    (
        "one line per paragraph: heading, trailer, signature after a (U) paragraph",
        "public-release",
        "C O N F I D E N T I A L SECTION 01 OF 01 ANKARA 000123\n"
        "SUBJECT: (U) TALKS\n"
        "1. (U) The delegation arrived on time and the talks opened with a short statement by each side.\n"
        "Qzvault Program Heading\n"
        "2. (C) The minister said Qzbriar would be delayed and asked us to keep it quiet.\n"
        "Visit Ankara's Classified Website: http://qzsite.example/ankara\n"
        "QZSIGNER\n",
        ["Qzvault", "Qzbriar", "qzsite", "QZSIGNER"],
        ["delegation arrived"],
    ),
    (
        "Classified By without a reason, body lines after it",
        "public-release",
        "S E C R E T STATE 000777\n\nE.O. 12958: DECL: 01/01/2030\nTAGS: PREL\n"
        "SUBJECT: (U) VISIT\n\nClassified By: Under Secretary Jane Roe\n"
        "the Qzember plan goes ahead next week\nand Qzfalcon is the name of it\n\n"
        "1. (U) The visit is on Tuesday.\n\n2. (S) Qzgarnet details follow.\n",
        ["Qzember", "Qzfalcon", "Qzgarnet"],
        ["visit is on Tuesday"],
    ),
    (
        "SUBJECT (U) with an unmarked line after it",
        "public-release",
        "SECRET\n\nSUBJECT: (U) ANNUAL REVIEW\nQZHARBOR OPERATION DETAILS\n\n1. (U) The review is due.\n",
        ["QZHARBOR"],
        ["review is due"],
    ),
    (
        "a long REL TO mark under a CONFIDENTIAL banner",
        "cleared-us-confidential",
        "CONFIDENTIAL\n\n1. (C) The working group met.\n\n"
        "2. (S//REL TO USA, AUS, CAN, GBR, NZL, DEU, FRA, ITA, ESP) Qzlattice is the target.\n",
        ["Qzlattice"],
        ["working group met"],
    ),
    (
        "lower-case and spaced marks",
        "public-release",
        "SECRET\n\n1. (u) The weather was fine.\n\n2. (s) Qzmarlin sails at dawn.\n\n"
        "3. ( S//NF ) Qznectar is the source.\n\n4. (S/Rel to Australia) Qzonyx is shared.\n\n"
        "5. (SECRET/REL AUSTRALIA) Qzpelican too.\n",
        ["Qzmarlin", "Qznectar", "Qzonyx", "Qzpelican"],
        ["weather was fine"],
    ),
    (
        "C - ENTIRE TEXT as the first paragraph",
        "public-release",
        "CONFIDENTIAL\n\n1. (C - ENTIRE TEXT) Qzquartz was discussed.\n\n2. Qzraven followed.\n",
        ["Qzquartz", "Qzraven"],
        [],
    ),
    (
        "an OCR'd (5) and a missing parenthesis at a paragraph's start",
        "public-release",
        "SECRET\n\n1. (U) Opening remarks were brief.\n\n3. (5) Qzsaber is ready.\n\n4. (S Qztiger moves.\n",
        ["Qzsaber", "Qztiger"],
        ["Opening remarks"],
    ),
    (
        "TLP: an AMBER document with GREEN and RED paragraphs",
        "tlp-green",
        "TLP:AMBER\n\n1. (TLP:GREEN) Patch the mail gateway this week.\n\n"
        "2. (TLP:RED) Qzumbra is the affected customer.\n\n3. (TLP:AMBER) Qzviper indicators follow.\n",
        ["Qzumbra", "Qzviper"],
        ["Patch the mail gateway"],
    ),
    (
        "NATO: a NATO SECRET document with NU and NS portions",
        "nato-unclassified",
        "NATO SECRET\n\n1. (NU) The meeting opened at ten.\n\n2. (NS) Qzwalrus was tabled.\n\n"
        "3. (NR) Qzxenon was noted.\n",
        ["Qzwalrus", "Qzxenon"],
        ["meeting opened at ten"],
    ),
    (
        "a bullet marked above its (U) paragraph",
        "public-release",
        "SECRET\n\n1. (U) Three points were made:\n\n- (U) the budget is fixed;\n\n- (S) Qzyarrow is cut;\n\n"
        "-- (C) Qzzephyr moves.\n",
        ["Qzyarrow", "Qzzephyr"],
        ["budget is fixed"],
    ),
    (
        "a mark on the line after a heading",
        "public-release",
        "SECRET\n\n2. Afghanistan\n-----------\n(S) Qzalder is the plan.\n\n3. (U) Nothing else.\n",
        ["Qzalder"],
        ["Nothing else"],
    ),
    (
        "mixed-case CAPCO banner and an abbreviated one",
        "public-release",
        "Secret//Noforn\n\n1. (U) Routine item.\n\n2. Qzbirch unmarked text.\n\nS//NOFORN\n",
        ["Qzbirch"],
        ["Routine item"],
    ),
    (
        "a run-on paragraph number inside a (U) line",
        "public-release",
        "SECRET\n\n8. (U) The UN was informed. 9. (S) Qzcedar said the deal is off.\n",
        ["Qzcedar"],
        ["UN was informed"],
    ),
    (
        "a US SECRET portion in a NATO UNCLASSIFIED release",
        "nato-unclassified",
        "NATO UNCLASSIFIED\n\n1. (NU) Open text.\n\n2. (S) Qzdahlia national portion.\n",
        ["Qzdahlia"],
        ["Open text"],
    ),
    (
        "a raising mark in mid-line, after a word: prose and a text table row",
        "public-release",
        "SECRET\n\nSUBJECT: (U) SITES\n\n1. (U) The site is at (S) QZGRANITE HOLLOW near the river.\n\n"
        "2. (U) North     (S//NF) Qzcanary ridge\n\n3. (U) The team left (C) Qzember at noon.\n\n"
        "4. (U) Classified By: Ambassador. Reason: 1.5 (B), (C) AND (D). Lunch was pleasant.\n\n"
        "5. (U) Options (A) and (S) Qzopal stay open, see Ref (C) for more.\n\n"
        "6. (U) Per 1.4 (S//NF) Qzrobin follows.\n",
        ["QZGRANITE", "Qzcanary", "Qzember", "Qzopal", "Qzrobin"],
        ["The site is at", "North", "The team left", "Lunch was pleasant"],
    ),
]


@pytest.mark.parametrize(("name", "policy", "doc", "canaries", "released"), CASES, ids=[c[0] for c in CASES])
def test_no_canary_in_any_output(fake_redactor, name, policy, doc, canaries, released) -> None:
    rel = fake_redactor().redact(doc.encode(), policy=policy)
    text = rel.text
    js = json.dumps(json.loads(render(rel, "json")), ensure_ascii=False)
    pdf = PdfReader(io.BytesIO(render(rel, "pdf")))
    pdf_text = " ".join(page.extract_text() or "" for page in pdf.pages)
    for canary in canaries:
        for where, out in [("text", text), ("json", js), ("pdf", pdf_text)]:
            assert canary.lower() not in out.lower(), f"{canary} in the {where} release"
    for phrase in released:
        assert phrase in text, f"releasable text {phrase!r} was withheld"

"""Hidden text never decides and is never released: every way of hiding text in a PDF (and DOCX hidden
content), in a released and in a withheld paragraph, through the reader, the engine and every format."""

from __future__ import annotations

import json

import pytest
from fixtures_docs import HIDING_WAYS, hidden_docx, hidden_page_pdf, hidden_way_pdf, tj
from pdf_checks import assert_pdf_clean, extracted_texts

from redactor.engine import Redactor
from redactor.ingest import pdf as pdf_reader
from redactor.ingest import read
from redactor.render import render
from tests.conftest import FakeDetector

REASONS = {
    "render3": "invisible text (render mode 3)",
    "render7": "invisible text (render mode 7)",
    "white": pdf_reader.WHITE,
    "near_white": pdf_reader.WHITE,
    "background": pdf_reader.BACKGROUND,
    "covered_shape": pdf_reader.COVERED,
    "covered_white_box": pdf_reader.COVERED,
    "covered_image": pdf_reader.UNDER_IMAGE,
    "clipped": pdf_reader.CLIPPED,
    "tiny": pdf_reader.TINY,
    "one_point": pdf_reader.TINY,
    "hscale": pdf_reader.SQUEEZED,
    "ca0": pdf_reader.TRANSPARENT,
    "stroke_CA0": pdf_reader.TRANSPARENT,
    "oc_off": pdf_reader.LAYER_OFF,
    "oc_off_xobject": pdf_reader.LAYER_OFF,
    "redact": pdf_reader.UNDER_REDACTION,
    "redact_opaque": pdf_reader.UNDER_REDACTION,
    "offpage": pdf_reader.OFF_PAGE,
    "form_white": pdf_reader.WHITE,
}
assert set(REASONS) == set(HIDING_WAYS)


def canary_of(way: str) -> str:
    return "QZX" + way.upper().replace("_", "") + "CANARY"


def all_text(pdf: bytes) -> str:
    return extracted_texts(pdf)["pypdf"]


def engine() -> Redactor:
    return Redactor(detector=FakeDetector())


def fragments(canary: str, n: int = 6) -> list[str]:
    return [canary[i : i + n] for i in range(len(canary) - n + 1)]


def assert_nowhere(canary: str, release, pdf_bytes: bytes | None = None) -> None:
    outputs = {"text": release.text, "json": json.dumps(release.to_dict())}
    if pdf_bytes is not None:
        outputs["pdf"] = all_text(pdf_bytes)
        assert_pdf_clean(pdf_bytes, [canary])
    for fmt, out in outputs.items():
        for frag in fragments(canary):
            assert frag not in out, (fmt, frag)


# --- the reader: each way reported with its standard reason --------------------------------------------


@pytest.mark.parametrize("where", ["released", "withheld"])
@pytest.mark.parametrize("way", HIDING_WAYS)
def test_reader_reports_every_hiding_way(way, where):
    canary = canary_of(way)
    source = read(hidden_way_pdf(way, canary, where))
    assert [(source.text[a:b], w) for a, b, w in source.hidden] == [(canary, REASONS[way])]
    assert not any(canary in n for n in source.notes)


def test_visible_text_stays_visible():
    source = read(hidden_way_pdf("white", canary_of("white")))
    kept = source.text.replace(canary_of("white"), "")
    for line in ("SECRET", "1. (U) The meeting opened at ten.", "The site is active.", "3. (U) The meeting"):
        assert line in kept


# --- the engine: withheld with its own code, reported per portion, in every format ----------------------


@pytest.mark.parametrize("where", ["released", "withheld"])
@pytest.mark.parametrize("way", HIDING_WAYS)
def test_hidden_text_withholds_its_portion_in_every_format(way, where):
    canary = canary_of(way)
    rel = engine().redact(hidden_way_pdf(way, canary, where), policy="public-release")
    number = "1" if where == "released" else "2"
    by_number = {p.number: p for p in rel.portions}
    p = by_number[number]
    assert p.decision == "withhold"
    assert "HIDDEN" in p.codes
    assert REASONS[way] in p.reason
    assert any(REASONS[way] in f for f in p.flags)
    # the other portions are decided by their visible marks as before
    assert by_number["3"].decision == "release"
    assert by_number["2"].decision == "withhold" and "B1" in by_number["2"].codes
    if where == "withheld":
        assert by_number["1"].decision == "release"
    pdf = render(rel, "pdf")
    assert_nowhere(canary, rel, pdf)
    assert "[WITHHELD" in rel.text and "HIDDEN]" in rel.text
    assert any("hidden text in the upload: 1 span(s)" in n for n in rel.notes)
    index = all_text(pdf).split("ndex", 1)[-1]
    assert "HIDDEN" in index and "does not show" in " ".join(index.split())


def test_white_u_before_visible_s_keeps_the_secret_paragraph_withheld():
    content = (
        b"0 g\n"
        + tj(72, 740, "SECRET")
        + b"BT /F1 10 Tf 72 700 Td (2. ) Tj 1 1 1 rg (\\(U\\) ) Tj 0 g (\\(S\\) The source is "
        b"QZXSRCWQCANARY.) Tj ET\n" + tj(72, 60, "SECRET")
    )
    data = hidden_page_pdf(content)
    rel = engine().redact(data, policy="public-release")
    assert [(p.number, p.mark, p.decision) for p in rel.portions] == [("2", "(S)", "withhold")]
    assert "B1" in rel.portions[0].codes and "HIDDEN" in rel.portions[0].codes
    assert_nowhere("QZXSRCWQCANARY", rel, render(rel, "pdf"))


def test_white_u_before_visible_s_without_a_banner():
    content = (
        b"0 g\n" + b"BT /F1 10 Tf 72 700 Td (1. ) Tj 1 1 1 rg (\\(U\\) ) Tj 0 g (\\(S\\) The source is "
        b"QZXSRCWQCANARY.) Tj ET\n" + tj(72, 680, "2. (U) Plain.")
    )
    rel = engine().redact(hidden_page_pdf(content), policy="public-release")
    by = {p.number: p for p in rel.portions}
    assert by["1"].mark == "(S)" and by["1"].decision == "withhold"
    assert by["2"].decision == "release"
    assert "QZXSECRET" not in rel.text


def test_hidden_character_cannot_break_a_visible_mark():
    # "(S" white "/" ")" : the page shows "(S)"; without the hidden character the mark reads as printed
    content = (
        tj(72, 740, "UNCLASSIFIED")
        + b"BT /F1 10 Tf 72 700 Td (3. \\(S) Tj 1 1 1 rg (x) Tj 0 g (\\) Secret heading.) Tj ET\n"
        + tj(72, 676, "a. Secret details of the subparagraph QZXSUBCANARY.")
        + tj(72, 650, "4. (U) Plain.")
    )
    r = engine()
    doc = r.read(hidden_page_pdf(content))
    three = next(p for p in doc.portions if p.number == "3")
    assert three.mark == "(S)"
    rel = r.redact(hidden_page_pdf(content), policy="public-release")
    decided = {p.id: p.decision for p in rel.portions}
    assert decided[three.id] == "withhold"
    assert [decided[p.id] for p in doc.portions if "QZXSUB" in doc.text[p.start : p.end]] == ["withhold"]
    assert "QZXSUBCANARY" not in rel.text


def test_hidden_banner_can_only_raise():
    # a hidden SECRET banner raises the unmarked paragraph; a hidden UNCLASSIFIED one cannot lower it
    up = hidden_page_pdf(
        b"q 1 1 1 rg "
        + tj(72, 760, "SECRET")
        + b"Q\n"
        + tj(72, 740, "UNCLASSIFIED")
        + tj(72, 700, "The unmarked text of the memo QZXUNMARKED.")
    )
    rel = engine().redact(up, policy="public-release")
    assert all(p.decision == "withhold" for p in rel.portions)
    assert "QZXUNMARKED" not in rel.text
    down = hidden_page_pdf(
        b"q 1 1 1 rg "
        + tj(72, 760, "UNCLASSIFIED")
        + b"Q\n"
        + tj(72, 740, "SECRET")
        + tj(72, 700, "The unmarked text of the memo QZXUNMARKED.")
    )
    rel = engine().redact(down, policy="public-release")
    assert all(p.decision == "withhold" for p in rel.portions)
    assert "QZXUNMARKED" not in rel.text


def test_reviewer_release_shows_only_what_the_page_shows():
    canary = canary_of("white")
    data = hidden_way_pdf("white", canary, "released")
    r = Redactor(detector=FakeDetector())
    pol = r.policy("public-release", None).model_copy(update={"reviewer_may_declassify": True})
    proposal = r.redact(data, policy=pol)
    p1 = next(p for p in proposal.portions if p.number == "1")
    assert p1.decision == "withhold"
    rel = r.redact(
        data,
        policy=pol,
        overrides={
            "fingerprint": proposal.fingerprint,
            "reviewer": "J. Smith",
            "overrides": [
                {
                    "id": p1.id,
                    "action": "release",
                    "justification": "visible text is unclassified",
                    "authority": "review",
                }
            ],
        },
    )
    assert "The meeting opened at ten." in rel.text and "The agenda was agreed." in rel.text
    assert_nowhere(canary, rel, render(rel, "pdf"))


def test_policy_can_name_the_hidden_code():
    r = engine()
    pol = r.policy("public-release", None)
    pol = pol.model_copy(update={"codes": pol.codes.model_copy(update={"hidden": ["B5"]})})
    rel = r.redact(hidden_way_pdf("white", canary_of("white")), policy=pol)
    p1 = next(p for p in rel.portions if p.number == "1")
    assert p1.codes == ("B5",)


def test_text_without_hidden_content_is_decided_as_before():
    from fixtures_docs import MEMO, text_pdf

    r = engine()
    a = [(p.number, p.decision, p.codes) for p in r.redact(MEMO, policy="public-release").portions]
    b = [(p.number, p.decision, p.codes) for p in r.redact(text_pdf(MEMO), policy="public-release").portions]
    assert a == b
    assert not any("HIDDEN" in c for _, _, c in a)


# --- DOCX: the same rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["hidden_run", "deleted", "comment"])
def test_docx_hidden_content_withholds_and_never_decides(kind):
    canary = "QZXDOCX" + {"hidden_run": "VAN", "deleted": "DEL", "comment": "COM"}[kind] + "CANARY"
    rel = engine().redact(hidden_docx({kind: canary}), policy="public-release")
    p2 = next(p for p in rel.portions if p.number == "2")
    assert p2.decision == "withhold" and "HIDDEN" in p2.codes
    assert next(p for p in rel.portions if p.number == "1").decision == "release"
    assert_nowhere(canary, rel, render(rel, "pdf"))


def test_docx_hidden_u_before_visible_s():
    import docx as python_docx
    from fixtures_docs import _docx_bytes

    d = python_docx.Document()
    d.add_paragraph("SECRET")
    p = d.add_paragraph()
    p.add_run("2. ")
    r = p.add_run("(U) ")
    r.font.hidden = True
    p.add_run("(S) The source is QZXDOCXSRCWQ.")
    d.add_paragraph("3. (U) Plain.")
    rel = engine().redact(_docx_bytes(d), policy="public-release")
    by = {p.number: p for p in rel.portions}
    assert by["2"].mark == "(S)" and by["2"].decision == "withhold" and "B1" in by["2"].codes
    assert by["3"].decision == "release"
    assert "QZXDOCXSRCWQ" not in rel.text

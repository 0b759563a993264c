"""The reviewer's step: overrides of the machine's proposal, checked, applied and logged (no spaCy here,
except the tests marked `model`)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from redactor.policy import load
from redactor.render import render
from redactor.review import OverrideError, OverrideRefused, StaleOverrides

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-09STATE103113.txt"
NAMES = ["Sara Mangiaracina", "Christopher J. McMullen", "Garcia Belaunde", "Burns", "Mangiaracina"]
P7_TEXT = "there is no clear front-runner to replace him"
P3_TEXT = "resurgent Shining Path movement"
REVIEWER = "J. Smith"


@pytest.fixture
def engine(fake_redactor):
    return fake_redactor(NAMES)


@pytest.fixture(scope="module")
def seed() -> bytes:
    return SEED.read_bytes()


def portion(rel, number: str):
    return next(p for p in rel.portions if p.number == number and p.kind == "paragraph")


def span_before(rel, follows: str):
    """The masked span a reviewer sees right before `follows` in the released text."""
    end = rel.text.index(follows)
    return next(r for r in rel.redactions if r.end <= end and rel.text[r.end : end].strip() == "")


def review(rel, *items, **top) -> dict:
    return {"fingerprint": rel.fingerprint, "reviewer": REVIEWER, **top, "overrides": list(items)}


# ------------------------------------------------------------------------------------- each kind
def test_withhold_a_portion(engine, seed):
    proposal = engine.redact(seed)
    p7 = portion(proposal, "7")
    assert p7.decision == "release"
    engine._detector.calls.clear()
    rel = engine.redact(
        seed,
        overrides=review(
            proposal, {"id": p7.id, "action": "withhold", "codes": ["B5"], "justification": "deliberative: assessment"}
        ),
    )
    d = portion(rel, "7")
    assert (d.decision, d.codes, d.proposed_by, d.reviewer) == ("withhold", ("B5",), "reviewer", REVIEWER)
    assert d.justification == "deliberative: assessment"
    assert d.machine == {"decision": "release", "codes": (), "reason": p7.reason}
    assert "machine proposed release" in d.reason and "deliberative: assessment" in d.reason
    assert P7_TEXT not in rel.text and "[WITHHELD B5]" in rel.text
    assert "B5" in rel.codes and rel.disposition == "RELEASE IN PART"
    # Withheld before detection: the release's own pass never analyses it (the second pass is the machine's
    # proposal, which only anchors the span ids of the review file).
    final, proposal_pass = engine._detector.calls
    assert not any(P7_TEXT in t for t in final) and any(P7_TEXT in t for t in proposal_pass)


def test_release_a_masked_span_by_id(engine, seed):
    proposal = engine.redact(seed)
    sara = span_before(proposal, "(WHA Notetaker)")
    assert sara.id == "p2.e3" and sara.proposed_by == "machine"
    rel = engine.redact(
        seed,
        overrides=review(
            proposal, {"id": sara.id, "action": "release", "justification": "notetaker acting officially"}
        ),
    )
    assert "Sara Mangiaracina (WHA Notetaker)" in rel.text
    assert "McMullen" not in rel.text and "Garcia Belaunde" not in rel.text
    assert sara.id not in {r.id for r in rel.redactions}
    # The other spans keep the ids of the proposal.
    assert {r.id for r in rel.redactions} == {r.id for r in proposal.redactions} - {sara.id}
    [entry] = rel.review
    assert (entry.action, entry.target, entry.id, entry.portion, entry.reviewer) == (
        "release",
        "redaction",
        sara.id,
        "p2",
        REVIEWER,
    )
    assert entry.machine == {"entity_type": "PERSON", "codes": ("B6",)}


def test_release_term_releases_only_that_name(engine, seed):
    rel = engine.redact(
        seed,
        overrides={
            "reviewer": REVIEWER,
            "overrides": [{"action": "release_term", "term": "sara  mangiaracina", "justification": "notetaker"}],
        },
    )
    assert "Sara Mangiaracina (WHA Notetaker)" in rel.text
    for other in ("McMullen", "Garcia Belaunde", "Burns"):
        assert other not in rel.text
    assert rel.review[0].count == 1 and rel.review[0].target == "term"


def test_release_term_leaves_the_surname_alone_and_other_people_masked(fake_redactor):
    doc = (
        "UNCLASSIFIED\n\n1. (U) Present: Sara Mangiaracina and Lee Mangiaracina.\n\n2. (U) Later Mangiaracina spoke.\n"
    )
    engine = fake_redactor(["Sara Mangiaracina", "Lee Mangiaracina", "Mangiaracina"])
    rel = engine.redact(
        doc,
        overrides={
            "reviewer": REVIEWER,
            "overrides": [{"action": "release_term", "term": "Sara Mangiaracina", "justification": "public role"}],
        },
    )
    assert "Present: Sara Mangiaracina and [B6]." in rel.text
    assert "Later [B6] spoke." in rel.text


def test_release_term_splits_a_span_holding_two_names(fake_redactor):
    engine = fake_redactor(["Ann Lee Bob Ray"])
    rel = engine.redact(
        "UNCLASSIFIED\n\n1. (U) Met Ann Lee Bob Ray today.\n",
        overrides={
            "reviewer": REVIEWER,
            "overrides": [{"action": "release_term", "term": "Ann Lee", "justification": "x"}],
        },
    )
    assert "Met Ann Lee [B6] today." in rel.text
    assert [r.id for r in rel.redactions] == ["p1.x1"]  # not a span of the proposal: no review file names it


def test_mask_a_term_everywhere(engine, seed):
    rel = engine.redact(
        seed,
        overrides={
            "reviewer": REVIEWER,
            "overrides": [
                {"action": "mask", "term": "Ollanta Humalla", "codes": ["B6", "B7(C)"], "justification": "private"},
                {"action": "mask", "term": "shining path", "justification": "named group"},
            ],
        },
    )
    assert "Humalla" not in rel.text and "indigenous leader [B6 B7(C)], has" in rel.text
    masked = [r for r in rel.redactions if r.proposed_by == "reviewer"]
    assert [(r.kind, r.codes, r.reviewer, r.justification) for r in masked] == [
        ("term", ("B6", "B7(C)"), REVIEWER, "private")
    ]
    assert "B7(C)" in rel.codes
    # A term only in withheld text changes nothing, and the log never repeats a term.
    assert [d.count for d in rel.review] == [1, 0]
    assert "Humalla" not in render(rel, "json").decode() and "hining" not in render(rel, "json").decode()


def test_mask_wins_over_release_term_and_merges_with_machine_spans(engine, seed):
    rel = engine.redact(
        seed,
        overrides={
            "reviewer": REVIEWER,
            "overrides": [
                {"action": "release_term", "term": "Sara Mangiaracina", "justification": "notetaker"},
                {"action": "mask", "term": "Mangiaracina", "codes": ["B7(C)"], "justification": "safety"},
                {"action": "mask", "term": "Garcia", "codes": ["B6"], "justification": "both Garcias"},
            ],
        },
    )
    assert "Mangiaracina" not in rel.text and "Sara [B7(C)] (WHA" in rel.text
    assert "President [B6] leaves" in rel.text
    merged = next(
        r for r in rel.redactions if r.portion == "p2" and r.proposed_by == "reviewer" and r.machine is not None
    )
    assert merged.machine == {"codes": ("B6",)} and merged.codes == ("B6",)


def test_change_codes_of_a_portion_and_of_a_span(engine, seed):
    proposal = engine.redact(seed)
    p3 = portion(proposal, "3")
    burns = proposal.redactions[0]
    rel = engine.redact(
        seed,
        overrides=review(
            proposal,
            {"id": p3.id, "action": "codes", "codes": ["B1", "1.4(B)", "1.4(D)"], "justification": "FGI"},
            {"id": burns.id, "action": "codes", "codes": ["B7(C)"], "justification": "law enforcement"},
        ),
    )
    d = portion(rel, "3")
    assert (d.decision, d.codes, d.proposed_by) == ("withhold", ("B1", "1.4(B)", "1.4(D)"), "reviewer")
    assert d.machine["codes"] == ("B1", "1.4(D)")
    r = next(r for r in rel.redactions if r.id == burns.id)
    assert (r.codes, r.proposed_by, r.machine) == (("B7(C)",), "reviewer", {"codes": ("B6",)})
    assert "[B7(C)]" in rel.text


def test_codes_on_a_released_portion_is_an_error(engine, seed):
    proposal = engine.redact(seed)
    with pytest.raises(OverrideError, match=r"overrides\[0\]: portion p1 is released"):
        engine.redact(
            seed, overrides=review(proposal, {"id": "p1", "action": "codes", "codes": ["B5"], "justification": "x"})
        )


# ------------------------------------------------------------------------------ the ceiling rule
def test_release_above_the_ceiling_is_refused(engine, seed):
    proposal = engine.redact(seed)
    p3 = portion(proposal, "3")
    with pytest.raises(OverrideRefused) as exc:
        engine.redact(
            seed,
            overrides=review(
                proposal, {"id": p3.id, "action": "release", "justification": "old", "authority": "E.O. 13526 3.1"}
            ),
        )
    assert exc.value.status == 422
    msg = str(exc.value)
    assert msg.startswith("overrides[0]: portion p3 is withheld by the policy (marked SECRET")
    assert "reviewer_may_declassify" in msg and "Shining" not in msg


def test_release_above_the_ceiling_with_authority_when_the_policy_allows(engine, seed):
    pol = load("public-release").model_copy(update={"reviewer_may_declassify": True})
    proposal = engine.redact(seed, policy=pol)
    p3 = portion(proposal, "3")
    item = {"id": p3.id, "action": "release", "justification": "no longer sensitive"}
    with pytest.raises(OverrideError, match=r"overrides\[0\]: .*give the `authority`"):
        engine.redact(seed, policy=pol, overrides=review(proposal, item))
    engine._detector.calls.clear()
    rel = engine.redact(seed, policy=pol, overrides=review(proposal, {**item, "authority": "E.O. 13526 sec. 3.1"}))
    d = portion(rel, "3")
    assert (d.decision, d.codes, d.authority, d.reviewer) == ("release", (), "E.O. 13526 sec. 3.1", REVIEWER)
    assert d.machine["decision"] == "withhold" and "E.O. 13526 sec. 3.1" in d.reason
    assert P3_TEXT in rel.text
    # Newly released, so analysed: the names in it are masked.
    assert any(P3_TEXT in t for call in engine._detector.calls for t in call)
    assert "U/S Burns" not in rel.text and any(r.portion == p3.id for r in rel.redactions)
    # Declassified: the banner stays at the release level; the authority is on the release.
    assert rel.banner == "UNCLASSIFIED"
    assert "E.O. 13526 sec. 3.1" in rel.settings.authority and rel.settings.reviewer == REVIEWER
    # The top-level authority serves every item that has none.
    top = engine.redact(seed, policy=pol, overrides=review(proposal, item, authority="ISCAP 2020-01"))
    assert portion(top, "3").authority == "ISCAP 2020-01"


# --------------------------------------------------------------------------------------- stale
def test_stale_fingerprint_is_rejected(engine, seed):
    proposal = engine.redact(seed)
    other = engine.redact(seed.replace(b"Shining Path", b"Shining Trail"))
    assert other.fingerprint != proposal.fingerprint
    with pytest.raises(StaleOverrides, match="fingerprint does not match"):
        engine.redact(
            seed, overrides=review(other, {"id": "p1", "action": "withhold", "codes": ["B5"], "justification": "x"})
        )
    # Another policy or level is another proposal too.
    with pytest.raises(StaleOverrides):
        engine.redact(seed, level="CONFIDENTIAL", overrides=review(proposal))


@pytest.mark.parametrize("rid", ["p99", "p2.e9", "p3.e1", "ref.e1"])
def test_unknown_id_is_rejected(engine, seed, rid):
    proposal = engine.redact(seed)
    with pytest.raises(StaleOverrides, match=rf"overrides\[1\]: id {re.escape(rid)} is neither"):
        engine.redact(
            seed,
            overrides=review(
                proposal,
                {"action": "mask", "term": "Peru", "justification": "x"},
                {"id": rid, "action": "release", "justification": "x"},
            ),
        )


def test_ids_need_the_fingerprint_but_terms_do_not(engine, seed):
    with pytest.raises(StaleOverrides, match=r"overrides\[0\]: refers to an id, but .* no fingerprint"):
        engine.redact(
            seed,
            overrides={
                "reviewer": REVIEWER,
                "overrides": [{"id": "p1", "action": "withhold", "codes": ["B5"], "justification": "x"}],
            },
        )
    # One term file serves a batch of documents.
    batch = {
        "reviewer": REVIEWER,
        "overrides": [
            {"action": "release_term", "term": "Garcia Belaunde", "justification": "foreign minister, public role"}
        ],
    }
    for doc in (seed, b"UNCLASSIFIED\n\n1. (U) FM Garcia Belaunde and Burns spoke.\n"):
        rel = engine.redact(doc, overrides=batch)
        assert "Garcia Belaunde" in rel.text and "Burns" not in rel.text


def test_span_release_inside_a_portion_the_overrides_withhold(engine, seed):
    proposal = engine.redact(seed)
    span = next(r for r in proposal.redactions if r.portion == portion(proposal, "7").id)
    with pytest.raises(OverrideError, match=r"overrides\[1\]: the span .* which the overrides withhold"):
        engine.redact(
            seed,
            overrides=review(
                proposal,
                {"id": span.portion, "action": "withhold", "codes": ["B5"], "justification": "x"},
                {"id": span.id, "action": "release", "justification": "y"},
            ),
        )


# ---------------------------------------------------------------------------------- bad overrides
@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ([], "must be a JSON object"),
        ({"overides": []}, "unknown key"),
        ({"overrides": {}}, "must be a list"),
        ({"overrides": ["p1"]}, r"overrides\[0\]: must be an object"),
        ({"overrides": [{"id": "p1", "action": "withhold", "codes": ["B5"]}]}, r"overrides\[0\]: the justification"),
        (
            {"overrides": [{"id": "p1", "action": "withhold", "codes": ["B5"], "justification": " "}]},
            r"overrides\[0\]: the justification is missing",
        ),
        ({"overrides": [{"action": "mask", "term": "Peru", "justification": "x"}]}, r"overrides\[0\]: no reviewer"),
        (
            {"reviewer": "A", "overrides": [{"action": "hide", "term": "Peru", "justification": "x"}]},
            r"overrides\[0\]: action must be one of",
        ),
        (
            {"reviewer": "A", "overrides": [{"id": "p1", "action": "withhold", "justification": "x"}]},
            r"overrides\[0\]: codes must be",
        ),
        (
            {
                "reviewer": "A",
                "overrides": [{"id": "p1", "action": "withhold", "codes": ["<b>"], "justification": "x"}],
            },
            r"overrides\[0\]: each code",
        ),
        (
            {"reviewer": "A", "overrides": [{"action": "release", "justification": "x"}]},
            r"overrides\[0\]: .* needs the `id`",
        ),
        (
            {"reviewer": "A", "overrides": [{"action": "mask", "justification": "x"}]},
            r"overrides\[0\]: .* needs a `term`",
        ),
        (
            {
                "reviewer": "A",
                "overrides": [
                    {"action": "mask", "term": "Peru", "justification": "x"},
                    {"action": "release_term", "term": "PERU", "justification": "y"},
                ],
            },
            r"overrides\[1\]: the term is already overridden by overrides\[0\]",
        ),
        (
            {"reviewer": "A", "overrides": [{"action": "mask", "term": "Peru", "colour": "red", "justification": "x"}]},
            r"overrides\[0\]: unknown key",
        ),
    ],
)
def test_malformed_overrides_name_the_item_and_never_quote_a_term(engine, seed, overrides, problem):
    with pytest.raises(OverrideError, match=problem) as exc:
        engine.redact(seed, overrides=overrides)
    assert exc.value.status == 422
    assert "Peru" not in str(exc.value) and "PERU" not in str(exc.value)


def test_withhold_needs_a_portion_id(engine, seed):
    proposal = engine.redact(seed)
    with pytest.raises(OverrideError, match=r"overrides\[0\]: id p2.e1 is not a portion"):
        engine.redact(
            seed,
            overrides=review(proposal, {"id": "p2.e1", "action": "withhold", "codes": ["B5"], "justification": "x"}),
        )


# -------------------------------------------------------------------------------- determinism
def test_application_is_deterministic(engine, seed):
    proposal = engine.redact(seed)
    overrides = review(
        proposal,
        {"id": portion(proposal, "7").id, "action": "withhold", "codes": ["B5"], "justification": "d"},
        {"id": span_before(proposal, "(WHA Notetaker)").id, "action": "release", "justification": "n"},
        {"action": "mask", "term": "New York City", "codes": ["B6"], "justification": "place"},
    )
    a = engine.redact(seed, overrides=json.loads(json.dumps(overrides)))
    b = engine.redact(seed, overrides=overrides)
    assert render(a, "json") == render(b, "json")
    assert render(a, "pdf") == render(b, "pdf")


# -------------------------------------------------------------------------------------- the seed
def seed_overrides(proposal) -> dict:
    """The notetaker's name released, paragraph 7 withheld under B5: what the reviewer of the seed does."""
    return review(
        proposal,
        {
            "id": span_before(proposal, "(WHA Notetaker)").id,
            "action": "release",
            "justification": "Name of the notetaker, a State employee acting in an official capacity",
        },
        {
            "id": portion(proposal, "7").id,
            "action": "withhold",
            "codes": ["B5"],
            "justification": "Deliberative assessment of the election outlook",
        },
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def assert_seed_release(rel, pdf: bytes) -> None:
    assert "Mangiaracina" in rel.text and P7_TEXT not in rel.text
    d = portion(rel, "7")
    assert (d.decision, d.codes, d.proposed_by, d.reviewer) == ("withhold", ("B5",), "reviewer", REVIEWER)
    assert [(e.action, e.target, e.reviewer) for e in rel.review] == [
        ("release", "redaction", REVIEWER),
        ("withhold", "portion", REVIEWER),
    ]
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert "Mangiaracina" in flat and "front-runner" not in flat and "B5" in flat
    assert f"Reviewed by: {REVIEWER}" in flat
    index = flat[flat.index("Index of withholdings") :]
    assert index.count(f"reviewer {REVIEWER}") == 2
    assert "Deliberative assessment of the election outlook" in index
    assert "Name of the notetaker" in index and "Name of a person released (proposed: masked)" in index


def test_seed_review_json_and_pdf(engine, seed):
    proposal = engine.redact(seed)
    rel = engine.redact(seed, overrides=seed_overrides(proposal))
    data = json.loads(render(rel, "json"))
    p7 = next(p for p in data["portions"] if p["number"] == "7")
    assert (p7["decision"], p7["codes"], p7["proposed_by"], p7["reviewer"]) == (
        "withhold",
        ["B5"],
        "reviewer",
        REVIEWER,
    )
    assert data["release"]["settings"]["reviewer"] == REVIEWER
    assert [d["id"] for d in data["review"]] == [o["id"] for o in seed_overrides(proposal)["overrides"]]
    assert_seed_release(rel, render(rel, "pdf"))


def test_cli_applies_an_overrides_file(engine, seed, tmp_path, monkeypatch, capsys):
    from redactor import cli
    from redactor import engine as engine_module

    proposal = engine.redact(seed)
    path = tmp_path / "overrides.json"
    path.write_text(json.dumps(seed_overrides(proposal)))
    monkeypatch.setattr(engine_module, "Redactor", lambda **_: engine)
    assert cli.main(["redact", str(SEED), "--overrides", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["decision"] for p in out["portions"] if p["number"] == "7"] == ["withhold"]
    assert "Mangiaracina" in out["text"]
    path.write_text(json.dumps({"reviewer": REVIEWER, "overrides": [{"action": "mask", "term": "Peru"}]}))
    assert cli.main(["redact", str(SEED), "--overrides", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("redactor: overrides[0]: the justification is missing") and "Peru" not in err


def test_api_accepts_overrides(engine, seed):
    from redactor.web import create_app
    from redactor.web.settings import SETTINGS

    app = create_app(
        {**{s.name: s.default for s in SETTINGS}, "TESTING": True, "REDACTOR_ENGINE": engine, "REDACTOR_API_KEYS": ()}
    )
    client = app.test_client()
    resp = client.post("/v1/redact", json={"text": seed.decode(), "format": "json"})
    proposal = json.loads(resp.data)
    p7 = next(p["id"] for p in proposal["portions"] if p["number"] == "7")
    overrides = {
        "fingerprint": proposal["release"]["fingerprint"],
        "reviewer": REVIEWER,
        "overrides": [
            {"id": p7, "action": "withhold", "codes": ["B5"], "justification": "deliberative"},
            {"action": "release_term", "term": "Sara Mangiaracina", "justification": "notetaker"},
        ],
    }
    resp = client.post("/v1/redact", json={"text": seed.decode(), "format": "json", "overrides": overrides})
    assert resp.status_code == 200
    out = json.loads(resp.data)
    assert "Mangiaracina" in out["text"] and P7_TEXT not in out["text"]
    form = {"file": (io.BytesIO(seed), "cable.txt"), "format": "pdf", "overrides": json.dumps(overrides)}
    resp = client.post("/v1/redact", data=form, content_type="multipart/form-data")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "front-runner" not in " ".join(pdf_text(resp.data).split())
    stale = {**overrides, "fingerprint": "0" * 32}
    resp = client.post("/v1/redact", json={"text": seed.decode(), "overrides": stale})
    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["title"] == "Stale overrides" and "fingerprint" in body["detail"]
    bad = {**overrides, "overrides": [{"action": "mask", "term": "Shining Path"}]}
    resp = client.post("/v1/redact", json={"text": seed.decode(), "overrides": bad})
    assert resp.status_code == 422 and "overrides[0]" in resp.get_json()["detail"]
    assert "Shining" not in resp.get_data(as_text=True)


# -------------------------------------------------------------------------------- the real model
@pytest.mark.model
def test_seed_review_with_the_model_through_the_cli(redactor, seed, tmp_path):
    proposal = redactor.redact(seed)
    assert "Mangiaracina" not in proposal.text
    path = tmp_path / "overrides.json"
    path.write_text(json.dumps(seed_overrides(proposal)))
    out = subprocess.run(
        [sys.executable, "-m", "redactor.cli", "redact", str(SEED), "--overrides", str(path), "--format", "json"],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    data = json.loads(out.stdout)
    assert "Mangiaracina" in data["text"] and P7_TEXT not in data["text"]
    rel = redactor.redact(seed, overrides=seed_overrides(proposal))
    assert rel.text == data["text"]
    assert_seed_release(rel, render(rel, "pdf"))


def test_batch_applies_term_overrides_to_every_document(engine, seed, tmp_path, monkeypatch):
    from redactor import batch

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_bytes(seed)
    (src / "b.txt").write_text("UNCLASSIFIED\n\n1. (U) FM Garcia Belaunde met Burns.\n")
    monkeypatch.setattr(batch, "_REDACTOR", engine)
    terms = {
        "reviewer": REVIEWER,
        "overrides": [
            {"action": "release_term", "term": "Garcia Belaunde", "justification": "foreign minister, public role"}
        ],
    }
    summary = batch.run_batch(str(src), str(out), fmt="json", overrides=terms)
    assert summary["ok"] == 2
    for f in sorted(out.glob("*.json")):
        data = json.loads(f.read_text())
        assert "Garcia Belaunde" in data["text"] and "Burns" not in data["text"]
        assert data["review"][0]["action"] == "release_term"
    with pytest.raises(OverrideError, match="fingerprint"):
        batch.run_batch(str(src), str(out), overrides={**terms, "fingerprint": "x"})
    with pytest.raises(OverrideError, match=r"overrides\[0\]: a batch takes term overrides only"):
        batch.run_batch(
            str(src),
            str(out),
            overrides={
                "reviewer": REVIEWER,
                "overrides": [{"id": "p1", "action": "withhold", "codes": ["B5"], "justification": "x"}],
            },
        )

"""Decisions, banners, dispositions, placeholders and the text/JSON renderers (no spaCy here)."""

from __future__ import annotations

import json

import pytest

from redactor.errors import PolicyError, UnknownLevel, UnknownPolicy
from redactor.policy import load, parse_policy
from redactor.render import render

CANARIES = ["ZQXCANARYONE", "VORTEXPLUM", "QUIXBLADE77", "KESTRELMOON"]

SYNTHETIC = """S E C R E T STATE 000777

SIPDIS
NOFORN

E.O. 12958: DECL: 01/01/2019
TAGS: PREL PGOV
SUBJECT: (S) ZQXCANARYONE OPERATION

Classified By: Officer Jane Roe. Reason 1.4 (b) and (d)

1. (U) A releasable paragraph about the weather.

2. (S//NF) Secret: VORTEXPLUM met the minister.

3. (C) Confidential: QUIXBLADE77 is the code word.
4. (U) Runs on after it. 5. (S) KESTRELMOON is inside a run-on paragraph.

6. (C//REL TO USA, GBR) Shared with the United Kingdom.

7. (U) The end.

Unmarked trailer line.
"""


def decisions(rel) -> dict[str, str]:
    return {p.number: p.decision for p in rel.portions if p.kind == "paragraph"}


def test_seed_public_release(fake_redactor, seed_bytes):
    rel = fake_redactor().redact(seed_bytes, policy="public-release")
    d = decisions(rel)
    assert [n for n, v in d.items() if v == "release"] == ["1", "2", "7"]
    assert [n for n, v in d.items() if v == "withhold"] == ["3", "4", "5", "6", "8", "9", "10", "11"]
    assert rel.banner == "UNCLASSIFIED"
    assert rel.disposition == "RELEASE IN PART"
    assert rel.original_banner == "SECRET"
    assert rel.codes[:2] == ("B1", "1.4(D)")


def test_seed_at_confidential(fake_redactor, seed_bytes):
    rel = fake_redactor().redact(seed_bytes, policy="public-release", level="CONFIDENTIAL")
    d = decisions(rel)
    assert d["8"] == "release"
    assert d["9"] == "withhold"
    assert [d[n] for n in ("3", "10", "11")] == ["withhold"] * 3
    assert [d[n] for n in ("4", "5", "6")] == ["release"] * 3
    assert rel.banner == "CONFIDENTIAL"
    assert rel.disposition == "RELEASE IN PART"
    p9 = next(p for p in rel.portions if p.number == "9")
    assert p9.reason == "marked SECRET, above the release level CONFIDENTIAL"
    assert p9.codes == ("B1", "1.4(D)")


def test_reasons_are_plain(fake_redactor, seed_bytes):
    rel = fake_redactor().redact(seed_bytes)
    heading = next(p for p in rel.portions if p.kind == "unnumbered")
    assert heading.reason == "unmarked, inherits SECRET from the banner, above the release level UNCLASSIFIED"
    assert heading.source == "inherited"


@pytest.mark.parametrize("policy", ["public-release", "cleared-us-confidential", "partner-gbr-secret"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_canaries_never_leave_in_text_or_json(fake_redactor, policy, fmt):
    rel = fake_redactor().redact(SYNTHETIC.encode(), policy=policy)
    out = render(rel, fmt).decode()
    withheld_text = " ".join(p.reason for p in rel.withheld())
    for canary in CANARIES:
        if canary in out:
            # A canary may only appear where its portion was released under this policy.
            owner = {"ZQXCANARYONE": "", "VORTEXPLUM": "2", "QUIXBLADE77": "3", "KESTRELMOON": "5"}[canary]
            portion = next(p for p in rel.portions if p.number == owner and (owner or p.kind == "subject"))
            assert portion.decision == "release", f"{canary} leaked under {policy}"
        assert canary not in withheld_text


def test_public_release_of_synthetic(fake_redactor):
    rel = fake_redactor().redact(SYNTHETIC.encode())
    assert decisions(rel) == {
        "1": "release",
        "2": "withhold",
        "3": "withhold",
        "4": "release",
        "5": "withhold",
        "6": "withhold",
        "7": "release",
    }
    out = render(rel, "json").decode()
    for canary in CANARIES:
        assert canary not in out
        assert canary not in rel.text
    trailer = rel.portions[-1]
    assert trailer.decision == "withhold"


def test_partner_audience(fake_redactor):
    rel = fake_redactor().redact(SYNTHETIC.encode(), policy="partner-gbr-secret")
    d = decisions(rel)
    assert d["2"] == "withhold"  # NOFORN
    assert d["6"] == "release"  # REL TO USA, GBR
    assert d["3"] == "withhold"  # classified, no REL TO GBR
    assert d["1"] == "release"
    p2 = next(p for p in rel.portions if p.number == "2")
    assert "NOFORN" in p2.reason and "GBR" in p2.reason
    assert rel.banner == "CONFIDENTIAL//REL TO USA, GBR"


def test_cleared_us_audience(fake_redactor):
    rel = fake_redactor().redact(SYNTHETIC.encode(), policy="cleared-us-confidential")
    d = decisions(rel)
    assert d["3"] == "release" and d["6"] == "release"
    assert d["2"] == "withhold" and d["5"] == "withhold"


def test_declassify_on_passed_is_flagged_not_released(fake_redactor):
    rel = fake_redactor().redact(SYNTHETIC.encode(), date="2025-01-01")
    p3 = next(p for p in rel.portions if p.number == "3")
    assert p3.decision == "withhold"
    assert any("eligible for declassification" in f for f in p3.flags)


def test_declassify_on_passed_releases_when_the_policy_says(fake_redactor):
    pol = load("public-release").model_copy(update={"declassify_on_passed": "release"})
    rel = fake_redactor().redact(SYNTHETIC.encode(), policy=pol, date="2025-01-01")
    p3 = next(p for p in rel.portions if p.number == "3")
    assert p3.decision == "release"
    assert "declassified on 2019-01-01" in p3.reason
    p2 = next(p for p in rel.portions if p.number == "2")
    assert p2.decision == "withhold"  # NOFORN still bars the public
    assert rel.banner == "UNCLASSIFIED"  # what was declassified is shown at the release level


def test_no_banner_no_marks_uses_the_default(fake_redactor):
    rel = fake_redactor().redact(b"Just a note about lunch.\n")
    assert [p.decision for p in rel.portions] == ["withhold"]
    assert rel.portions[0].source == "default"
    assert rel.disposition == "WITHHELD IN FULL"
    assert any("default" in n for n in rel.notes)


def test_unclassified_cable_is_released_in_full(fake_redactor):
    rel = fake_redactor().redact(b"UNCLAS STATE 000001\n\nSUBJECT: (U) LUNCH\n\n1. (U) Lunch is at noon.\n")
    assert rel.disposition == "RELEASE IN FULL"
    assert rel.codes == ()


def test_masked_entity_placeholder_is_constant(fake_redactor):
    base = "UNCLAS STATE 000001\n\n1. (U) We met {} today.\n"
    short = fake_redactor(["Li Wu"]).redact(base.format("Li Wu").encode())
    long = fake_redactor(["Johnathan Q. Smithers"]).redact(base.format("Johnathan Q. Smithers").encode())
    assert short.text == long.text
    # The fingerprint and the review ids are keyed digests of the (different) sources.
    short, long = (
        rel.model_copy(
            update={"fingerprint": "", "redactions": [r.model_copy(update={"id": ""}) for r in rel.redactions]}
        )
        for rel in (short, long)
    )
    assert render(short, "json") == render(long, "json")
    assert "[B6]" in short.text


def test_redaction_offsets_point_at_placeholders(fake_redactor, seed_bytes):
    rel = fake_redactor(["Garcia Belaunde"]).redact(seed_bytes)
    assert rel.redactions
    for r in rel.redactions:
        assert rel.text[r.start : r.end] == "[B6]"
    data = json.loads(render(rel, "json"))
    assert set(data) >= {"document", "policy", "release", "portions", "redactions", "text"}
    assert data["document"]["reference"] == "STATE 103113"
    assert data["document"]["banner"] == {"level": "SECRET", "controls": []}
    assert data["document"]["declassify_on"] == "2029-09-25"
    assert data["policy"]["name"] == "public-release" and data["policy"]["level"] == "UNCLASSIFIED"
    p = next(p for p in data["portions"] if p["number"] == "4")
    assert (p["mark"], p["level"], p["source"], p["decision"]) == ("(C)", "CONFIDENTIAL", "explicit", "withhold")


def test_withheld_placeholder_does_not_depend_on_length(fake_redactor):
    a = "S E C R E T STATE 000001\n\n1. (U) Open.\n\n2. (S) {}\n"
    r1 = fake_redactor().redact(a.format("Li Wu").encode())
    r2 = fake_redactor().redact(a.format("Johnathan Q. Smithers and a much longer secret sentence.").encode())
    assert r1.text == r2.text
    r1, r2 = (r.model_copy(update={"fingerprint": ""}) for r in (r1, r2))
    assert render(r1, "json") == render(r2, "json")


def test_text_release_layout(fake_redactor, seed_bytes):
    text = fake_redactor().redact(seed_bytes).text
    lines = text.splitlines()
    assert lines[0] == "UNCLASSIFIED"
    assert lines[1].startswith("RELEASE IN PART")
    assert "~~S E C R E T STATE 103113~~" in text
    assert "~~E.O. 12958: DECL: 09/25/2029~~" in text
    assert "4. ~~(C)~~ [WITHHELD B1 1.4(D)]" in text
    assert "1. ~~(U)~~ September 25, 2009" in text
    assert lines[-1] == "UNCLASSIFIED"


def test_only_released_text_is_analysed(fake_redactor, seed_bytes):
    r = fake_redactor()
    r.redact(seed_bytes)
    analysed = " ".join(r._detector.calls[0])
    assert "Shining Path" not in analysed  # paragraph 4 (C) is withheld
    assert "Participants" in analysed  # paragraph 2 (U) is released
    assert "Thomas A. Shannon" in analysed  # the Classified By line stays visible


def test_deterministic(fake_redactor, seed_bytes):
    a = fake_redactor(["Burns"]).redact(seed_bytes)
    b = fake_redactor(["Burns"]).redact(seed_bytes)
    assert render(a, "json") == render(b, "json")


def test_unknown_level_is_refused(fake_redactor, seed_bytes):
    with pytest.raises(UnknownLevel, match="unknown level 'SUPERSECRET'"):
        fake_redactor().redact(seed_bytes, level="SUPERSECRET")


def test_unknown_policy(fake_redactor, seed_bytes):
    with pytest.raises(UnknownPolicy):
        fake_redactor().redact(seed_bytes, policy="no-such-policy")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "x", "level": "SUPERSECRET"}, "level: unknown level 'SUPERSECRET'"),
        ({"name": "x", "scheme": "martian"}, "scheme: unknown scheme 'martian'"),
        ({"name": "x", "audience": "everyone"}, "audience: audience must be public, us, or a country trigraph"),
        ({"name": "x", "entities": {"types": {"PERSON": 2}}}, "entities.types: score for PERSON must be between"),
        ({"name": "x", "entities": {"patterns": [{"name": "p", "regex": "("}]}}, "entities.patterns.0.regex"),
        ({"name": "x", "colour": "red"}, "colour: Extra inputs are not permitted"),
        ({"level": "SECRET"}, "name: Field required"),
        ({"name": "x", "declassify_on_passed": "maybe"}, "declassify_on_passed"),
        ({"name": "x", "release": {"box": "pink"}}, "release.box"),
        (["not", "a", "mapping"], "a policy must be a mapping"),
    ],
)
def test_policy_validation_names_file_key_and_problem(data, message):
    with pytest.raises(PolicyError) as exc:
        parse_policy(data, "policies/bad.yaml")
    assert str(exc.value).startswith("policies/bad.yaml: ")
    assert message in str(exc.value)


def test_policy_file_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(PolicyError, match="bad.yaml: is not valid YAML at line"):
        load(str(bad))


def test_a_policy_file_is_read_again_when_it_changes(tmp_path):
    """Parsed policies are kept by their text: an edited file gives the edited policy, a broken one the error,
    every time (an error is never kept)."""
    path = tmp_path / "mine.yaml"
    text = "name: mine\nscheme: us\nlevel: UNCLASSIFIED\naudience: public\n"
    path.write_text(text)
    assert load(str(path)).level == "UNCLASSIFIED"
    assert load(str(path)) is load(str(path))
    path.write_text(text.replace("UNCLASSIFIED", "CONFIDENTIAL"))
    assert load(str(path)).level == "CONFIDENTIAL"
    path.write_text("name: [unclosed\n")
    for _ in range(2):
        with pytest.raises(PolicyError, match="is not valid YAML"):
            load(str(path))


def test_shipped_policies_load():
    from redactor.policy import available

    names = set(available())
    assert {
        "public-release",
        "cleared-us-confidential",
        "partner-gbr-secret",
        "nato-unclassified",
        "tlp-green",
    } <= names
    for n in names:
        assert load(n).name == n


def test_nato_scheme_policy(fake_redactor):
    doc = b"NATO SECRET\n\n1. (//NU) Public part.\n\n2. (//NS) Secret part HIDDENNATO.\n"
    rel = fake_redactor().redact(doc, policy="nato-unclassified")
    assert decisions(rel) == {"1": "release", "2": "withhold"}
    assert "HIDDENNATO" not in rel.text


def test_tlp_scheme_policy(fake_redactor):
    doc = b"TLP:AMBER\n\n1. (TLP:GREEN) Share this.\n\n2. (TLP:RED) Not this REDCANARY.\n"
    rel = fake_redactor().redact(doc, policy="tlp-green")
    assert "REDCANARY" not in rel.text


def test_malformed_mark_withholds(fake_redactor):
    rel = fake_redactor().redact(b"UNCLAS STATE 000001\n\n1. (U/XYZ) Odd MALFORMEDCANARY.\n")
    p = rel.portions[0]
    assert p.decision == "withhold"
    assert "unrecognised marking" in p.reason
    assert "MALFORMEDCANARY" not in rel.text


def test_release_date_is_checked_and_carried(fake_redactor, seed_bytes):
    from redactor.errors import InputError

    rel = fake_redactor().redact(seed_bytes, date="2026-01-31")
    assert rel.settings.release_date == "2026-01-31"
    with pytest.raises(InputError, match="not a date"):
        fake_redactor().redact(seed_bytes, date="31/01/2026")


def test_fingerprint_is_keyed_not_a_plain_hash(fake_redactor, seed_bytes, monkeypatch):
    import hashlib

    from redactor.ingest import read

    text = read(seed_bytes).text
    monkeypatch.setenv("REDACTOR_FINGERPRINT_KEY", "key-one")
    a = fake_redactor().redact(seed_bytes).fingerprint
    monkeypatch.setenv("REDACTOR_FINGERPRINT_KEY", "key-two")
    b = fake_redactor().redact(seed_bytes).fingerprint
    assert a != b
    assert a not in hashlib.sha256(text.encode()).hexdigest()


def test_the_fingerprint_key_comes_from_the_settings_model(monkeypatch):
    from redactor.pipeline import fingerprint
    from redactor.settings import Settings

    monkeypatch.setenv("REDACTOR_FINGERPRINT_KEY", "key-one")
    assert fingerprint.default_key() == b"key-one"
    monkeypatch.setattr(fingerprint.settings, "from_env", lambda: Settings(fingerprint_key="from-the-model"))
    assert fingerprint.default_key() == b"from-the-model"  # the model, not the environment behind it


def test_text_after_a_header_field_is_not_carried_into_the_release(fake_redactor):
    cable = (
        "S E C R E T STATE 000123\n\nE.O. 12958: DECL: 01/01/2019\nTAGS: PREL\nSUBJECT: (U) TEST\n"
        "REF: STATE 1234\nTHE MINISTER TOLD US THE CODES ARE HEADERCANARY1.\n"
        "Classified By: X, reasons 1.4 (b) and (d).\nA SOURCE SAYS HEADERCANARY2.\n\n1. (U) Open text.\n"
    )
    rel = fake_redactor().redact(cable.encode())
    assert "HEADERCANARY" not in rel.text
    assert "REF: STATE 1234" in rel.text and "1. ~~(U)~~ Open text." in rel.text


def test_reference_letters_in_a_ref_list_are_not_marks(fake_redactor):
    cable = (
        "UNCLAS AMMAN 000877\n\nE.O. 12356: N/A\nSUBJECT: QADDHAFI MESSAGE\n\n"
        "REFS: (A) FBIS JN2001110089; (B) AMMAN 210;\n      (C) AMMAN 198\n\n1.  THE PAPER REPORTS.\n"
    )
    rel = fake_redactor().redact(cable.encode())
    assert rel.disposition == "RELEASE IN FULL"
    assert "THE PAPER REPORTS." in rel.text


def test_text_before_the_banner_is_not_routing(fake_redactor):
    memo = (
        "MEMORANDUM FOR THE RECORD\nThe source reported PREBANNERCANARY yesterday.\n"
        "SECRET//NOFORN\n\n1. (U) Open paragraph.\n"
    )
    rel = fake_redactor().redact(memo.encode())
    assert "PREBANNERCANARY" not in rel.text
    assert "Open paragraph." in rel.text

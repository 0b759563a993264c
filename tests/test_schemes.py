"""Schemes as data: documents of each scheme released under their policies (engine + fake detector)."""

from __future__ import annotations

import pytest

from redactor.markings import SCHEMES, load_scheme


def _release(fake_redactor, text: str, policy: str):
    rel = fake_redactor().redact(text, policy=policy)
    out = {d.number: d.decision for d in rel.portions if d.number}
    return rel, out


def test_every_scheme_loads_from_its_data_file():
    for name, scheme in SCHEMES.items():
        assert load_scheme(name) == scheme
        ranks = [lv.rank for lv in scheme.levels]
        assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


TLP_DOC = (
    "TLP:AMBER\n\n1. (TLP:CLEAR) Canary-clear-alpha for everyone.\n\n"
    "2. (TLP:GREEN) Canary-green-bravo for the community.\n\n"
    "3. (TLP:AMBER) Canary-amber-charlie for the organisation.\n\n"
    "4. (TLP:RED) Canary-red-delta for the room.\n\nCanary-unmarked-echo with no mark.\n"
)


def test_tlp_green_releases_clear_and_green_under_a_green_banner(fake_redactor):
    rel, out = _release(fake_redactor, TLP_DOC, "tlp-green")
    assert out == {"1": "release", "2": "release", "3": "withhold", "4": "withhold"}
    assert rel.banner == "TLP:GREEN"
    assert rel.disposition == "RELEASE IN PART"
    assert "Canary-green-bravo" in rel.text and "Canary-clear-alpha" in rel.text
    for word in ("Canary-amber-charlie", "Canary-red-delta", "Canary-unmarked-echo"):
        assert word not in rel.text


NATO_DOC = (
    "NATO CONFIDENTIAL\n\n1. (NU) Canary-nu-alpha is unclassified.\n\n"
    "2. (NC) Canary-nc-bravo is confidential.\n\n3. (R) Canary-nr-charlie is restricted.\n\n"
    "4. (//NS) Canary-ns-delta is secret.\n"
)


def test_nato_unclassified_releases_only_nu(fake_redactor):
    rel, out = _release(fake_redactor, NATO_DOC, "nato-unclassified")
    assert out == {"1": "release", "2": "withhold", "3": "withhold", "4": "withhold"}
    assert rel.banner == "NATO UNCLASSIFIED"
    assert "Canary-nu-alpha" in rel.text
    assert not any(w in rel.text for w in ("Canary-nc-bravo", "Canary-nr-charlie", "Canary-ns-delta"))


UK_DOC = (
    "//GBR SECRET\n\n1. (OFFICIAL) Canary-official-alpha is for release.\n\n"
    "2. (S) Canary-secret-bravo is secret.\n\n3. (OS) Canary-sensitive-charlie carries a caveat.\n\n"
    "4. (//GBR O) Canary-official-delta is written the US way.\n"
)


def test_uk_official_releases_official_without_the_sensitive_caveat(fake_redactor):
    rel, out = _release(fake_redactor, UK_DOC, "uk-official")
    assert out == {"1": "release", "2": "withhold", "3": "withhold", "4": "release"}
    assert rel.banner == "OFFICIAL"
    assert "Canary-official-alpha" in rel.text and "Canary-official-delta" in rel.text
    assert "Canary-secret-bravo" not in rel.text and "Canary-sensitive-charlie" not in rel.text


JOINT_DOC = (
    "//JOINT SECRET GBR USA\n\n1. (U) Canary-u-alpha is unclassified.\n\n"
    "2. (//JOINT S GBR USA) Canary-joint-bravo is joint secret.\n\n"
    "3. (//JOINT C GBR USA) Canary-joint-charlie is joint confidential.\n\n"
    "4. (S//NF) Canary-noforn-delta is not for foreigners.\n"
)


def test_joint_banner_document_to_the_co_owner(fake_redactor):
    rel, out = _release(fake_redactor, JOINT_DOC, "partner-gbr-secret")
    assert out == {"1": "release", "2": "release", "3": "release", "4": "withhold"}
    assert rel.banner == "SECRET//REL TO USA, GBR"
    assert "Canary-joint-bravo" in rel.text and "Canary-noforn-delta" not in rel.text


def test_joint_banner_document_to_the_public(fake_redactor):
    rel, out = _release(fake_redactor, JOINT_DOC, "public-release")
    assert out == {"1": "release", "2": "withhold", "3": "withhold", "4": "withhold"}
    assert rel.banner == "UNCLASSIFIED"
    assert "Canary-u-alpha" in rel.text
    assert not any(w in rel.text for w in ("Canary-joint-bravo", "Canary-joint-charlie", "Canary-noforn-delta"))


@pytest.mark.parametrize("policy", ["public-release", "cleared-us-confidential"])
def test_a_foreign_scheme_mark_is_never_released_under_a_us_policy(fake_redactor, policy):
    rel, out = _release(fake_redactor, "CONFIDENTIAL\n\n1. (//NU) Canary-nato.\n\n2. (TLP:CLEAR) Canary-tlp.\n", policy)
    assert out == {"1": "withhold", "2": "withhold"}
    assert "Canary-nato" not in rel.text and "Canary-tlp" not in rel.text

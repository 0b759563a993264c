"""Entity detection with the real offline model (marked `model`: these load spaCy once)."""

from __future__ import annotations

import pytest

from redactor.policy import load
from redactor.render import render

pytestmark = pytest.mark.model

SEED_NAMES = ["Burns", "McMullen", "Mangiaracina", "Garcia Belaunde", "Valdivieso", "Chavez", "Humalla", "Shannon"]
STRICT = "public-release-strict"


def test_seed_names_are_masked(redactor, seed_bytes):
    rel = redactor.redact(seed_bytes, policy=STRICT)
    for name in SEED_NAMES:
        assert name not in rel.text, name
    assert "Participants:" in rel.text
    assert "September 25, 2009" in rel.text
    assert all(r.codes == ("B6",) for r in rel.redactions)
    assert rel.officials == ()


def test_public_release_releases_officials_and_masks_private_persons(redactor, seed_bytes):
    rel = redactor.redact(seed_bytes)
    for name in [
        "U/S Willian J. Burns",
        "DAS Christopher J. McMullen",
        "FM Jose Antonio Garcia Belaunde",
        "Luis Valdivieso, Peruvian Ambassador",
        "Assistant Secretary Thomas A. Shannon",
    ]:
        assert name in rel.text, name
    assert "Mangiaracina" not in rel.text and "Humalla" not in rel.text  # the notetaker, a private person
    listed = {(o.name, o.role) for o in rel.officials}
    assert ("Willian J. Burns", "U/S") in listed and ("Thomas A. Shannon", "Assistant Secretary") in listed
    assert all(o.disposition == "official, released by policy" for o in rel.officials)
    out = render(rel, "json").decode()
    assert '"disposition": "official, released by policy"' in out


def test_all_caps_names_are_masked(redactor):
    cable = (
        "UNCLAS STATE 000001\n\n1. (U) PARTICIPANTS: U/S WILLIAN J. BURNS, DAS CHRISTOPHER J. MCMULLEN, "
        "SARA MANGIARACINA (NOTETAKER), FM JOSE ANTONIO GARCIA BELAUNDE.\n\n2. (U) GARCIA BELAUNDE SAID "
        "THE MEETING WITH BURNS WENT WELL. MANGIARACINA TOOK NOTES. GEN. REZA AZIMI AGREED.\n"
    )
    rel = redactor.redact(cable.encode(), policy=STRICT)
    for name in ["BURNS", "MCMULLEN", "MANGIARACINA", "BELAUNDE", "AZIMI"]:
        assert name not in rel.text, name
    assert "THE MEETING WITH" in rel.text


def test_a_name_found_once_is_masked_everywhere(redactor):
    cable = (
        "UNCLAS STATE 000001\n\n1. (U) Ambassador Victoria Nuland met the minister.\n\n"
        "2. (U) Later Nuland said the talks went well; NULAND will report.\n"
    )
    rel = redactor.redact(cable.encode(), policy=STRICT)
    assert "Nuland" not in rel.text and "NULAND" not in rel.text
    released = redactor.redact(cable.encode())  # an ambassador: released at every mention
    assert released.text.count("Nuland") == 2 and "NULAND" in released.text
    assert [o.role for o in released.officials] == ["Ambassador", "same person", "same person"]


def test_allow_list_releases_only_that_name(redactor, seed_bytes):
    pol = load(STRICT)
    pol = pol.model_copy(update={"entities": pol.entities.model_copy(update={"allow": ["Sara Mangiaracina"]})})
    rel = redactor.redact(seed_bytes, policy=pol)
    assert "Sara Mangiaracina" in rel.text
    assert "Burns" not in rel.text and "Garcia Belaunde" not in rel.text


def test_email_and_phone_are_masked(redactor):
    cable = (
        "UNCLAS STATE 000001\n\n1. (U) Contact the desk at desk.officer@state.example.gov or "
        "+1 202-647-4000 for details.\n"
    )
    rel = redactor.redact(cable.encode())
    assert "desk.officer@state.example.gov" not in rel.text
    assert "647-4000" not in rel.text
    types = {r.entity_type for r in rel.redactions}
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER"} <= types


def test_known_model_noise_stays_out(redactor):
    cable = (
        "UNCLAS SECTION 01 OF 02 STATE 000284\n\nSIPDIS\n\nTAGS: PREL PGOV OVIP MASS\n\n"
        "SUBJECT: (U) BUDGET TALKS\n\n¶6. (U) The committee met on budget matters.\n\n"
        "STATE 00000284 002 OF 002\n\n¶7. (U) See para 6 and STATE 000284 for background.\n"
    )
    rel = redactor.redact(cable.encode())
    assert "TAGS: PREL PGOV OVIP MASS" in rel.text
    assert "The committee met on budget matters." in rel.text
    assert "STATE 000284 for background" in rel.text
    assert rel.redactions == ()


def test_masked_name_length_does_not_change_the_release(redactor):
    base = "UNCLAS STATE 000001\n\n1. (U) Ambassador {} met the minister on Tuesday.\n"
    a = redactor.redact(base.format("Li Wu").encode(), policy=STRICT)
    b = redactor.redact(base.format("Johnathan Q. Smithers").encode(), policy=STRICT)
    assert a.text == b.text
    a, b = (  # the fingerprints are keyed digests of the (different) sources
        rel.model_copy(
            update={"fingerprint": "", "redactions": [r.model_copy(update={"id": ""}) for r in rel.redactions]}
        )
        for rel in (a, b)
    )
    assert render(a, "json") == render(b, "json")


def test_withheld_portions_are_not_analysed_and_canaries_stay_out(redactor):
    cable = (
        "S E C R E T STATE 000001\n\n1. (U) Ambassador Jane Roe opened.\n\n"
        "2. (S) Ambassador Canaryname Zorblatt said the secret thing.\n"
    )
    rel = redactor.redact(cable.encode(), policy=STRICT)
    out = render(rel, "json").decode()
    assert "Zorblatt" not in out and "Canaryname" not in out and "secret thing" not in out
    assert "Jane Roe" not in rel.text


@pytest.mark.parametrize("policy", ["public-release", STRICT])
def test_a_withheld_signature_changes_nothing_released(redactor, policy):
    """The signature of a withheld portion must not seed masking (or the release of officials) in released
    text: two cables that differ only in it give byte-identical text, JSON and PDF."""
    base = (
        "CONFIDENTIAL\n\n1. (U) The Quimble report was read in Brussels on Tuesday.\n\n"
        "2. (U) Ambassador Hartwell agreed with the report.\n\n{}\n"
    )
    a = redactor.redact(base.format("BRUSSELS").encode(), policy=policy)
    b = redactor.redact(base.format("ZARNOK").encode(), policy=policy)
    assert a.portions[-1].decision == "withhold"
    assert a.text == b.text
    # The fingerprints are keyed digests of the (different) sources.
    a, b = (rel.model_copy(update={"fingerprint": ""}) for rel in (a, b))
    assert render(a, "json") == render(b, "json")
    assert render(a, "pdf") == render(b, "pdf")

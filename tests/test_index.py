"""The Vaughn index built from a Release: the JSON carries it, the PDF prints the same rows."""

from __future__ import annotations

import json

import pytest

from redactor.index import build_index
from redactor.render import pdf, render


def _pdf_rows(release) -> list[tuple]:
    renderer = pdf._Renderer(release)
    renderer.build()
    return [
        (i.kind, i.key, i.paragraph, i.withheld, tuple(i.codes), i.justification, i.decided) for i in renderer.items
    ]


def _rows(release) -> list[tuple]:
    return [
        (e.kind, e.key, e.paragraph, e.withheld, e.codes, e.justification, e.decided_by) for e in build_index(release)
    ]


def test_index_of_the_seed_matches_the_pdf(fake_redactor, seed_bytes) -> None:
    rel = fake_redactor(["Tom Shannon", "Sara Mangiaracina"]).redact(seed_bytes)
    rows = _rows(rel)
    assert rows == _pdf_rows(rel)
    assert [e.item for e in build_index(rel)] == list(range(1, len(rows) + 1))
    kinds = {r[0] for r in rows}
    assert kinds == {"portion", "entity"}
    withheld = {r[1]: r for r in rows if r[0] == "portion"}
    assert {p.id for p in rel.withheld()} == set(withheld)


def test_index_records_a_reviewers_reversal(fake_redactor, seed_bytes) -> None:
    engine = fake_redactor(["Tom Shannon", "Sara Mangiaracina"])
    proposal = engine.redact(seed_bytes)
    span = next(r.id for r in proposal.redactions if r.portion)
    overrides = {
        "fingerprint": proposal.fingerprint,
        "reviewer": "J. Smith",
        "overrides": [{"id": span, "action": "release", "justification": "official capacity"}],
    }
    rel = engine.redact(seed_bytes, overrides=overrides)
    rows = _rows(rel)
    assert rows == _pdf_rows(rel)
    review = [r for r in rows if r[0] == "review"]
    assert review and review[0][5] == "official capacity" and review[0][6] == "reviewer J. Smith"


def test_json_release_carries_the_index(fake_redactor) -> None:
    rel = fake_redactor().redact(b"SECRET\n\n1. (U) Open.\n\n2. (S) Closed ZQXCANARY text.\n")
    data = json.loads(render(rel, "json"))
    assert data["index"] == [
        {
            "item": 1,
            "kind": "portion",
            "key": "p2",
            "paragraph": "2",
            "withheld": "Portion withheld in full",
            "codes": ["B1"],
            "justification": data["portions"][1]["reason"],
            "decided_by": "machine",
        }
    ]
    assert "ZQXCANARY" not in json.dumps(data["index"])


@pytest.mark.model
def test_officials_released_by_policy_are_in_the_index(redactor) -> None:
    cable = (
        b"UNCLAS STATE 000123\n\nSUBJECT: (U) CALL ON THE MINISTER\n\n"
        b"1. (U) Ambassador John Smith called on Foreign Minister Ahmet Davutoglu on May 4. Ambassador Smith "
        b"raised the visa backlog.\n\n2. (U) A shopkeeper, Nino Beridze, told poloff that sales were up.\n"
    )
    rel = redactor.redact(cable, policy="public-release")
    rows = _rows(rel)
    assert rows == _pdf_rows(rel)
    officials = [r for r in rows if r[0] == "official"]
    assert officials and all(r[6] == "policy" and "released by policy" in r[5] for r in officials)
    assert not {"Nino Beridze", "Beridze"} & {r[1] for r in officials}  # a private person is never an official

"""Golden files: the seed cable's release as text, JSON and PDF text under two policies, made by the engine.

A change to the engine or a renderer that changes a release shows here as a diff of a checked-in file.
When the change is meant, rewrite them and review the diff before committing:

    PYTHONPATH=. .venv/bin/python -m pytest tests/test_golden.py --update-golden

The fingerprint key is fixed (REDACTOR_FINGERPRINT_KEY) and so is the release date, so the files do not
depend on the machine or the day; the policy's file path is written relative to the checkout.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pdfplumber
import pytest

from redactor.render import render
from redactor.web.openapi import spec

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
POLICIES = ("public-release", "partner-gbr-secret")
DATE = "2026-12-01"
KEY = "golden-files-fingerprint-key"


@pytest.fixture(scope="module")
def releases(redactor, seed_bytes):
    """The seed's release under each policy, through the real engine (spaCy included)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REDACTOR_FINGERPRINT_KEY", KEY)
        return {policy: redactor.redact(seed_bytes, policy=policy, date=DATE) for policy in POLICIES}


def _json(release) -> str:
    text = render(release, "json").decode("utf-8")
    return text.replace(str(ROOT) + "/", "").replace(json.dumps(str(ROOT))[1:-1] + "/", "")


def pdf_text(data: bytes) -> str:
    """The words of each page as pdfplumber reads them, a form feed between pages."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\f\n".join((page.extract_text() or "") + "\n" for page in pdf.pages)


OUTPUTS = {
    "txt": lambda release: render(release, "text").decode("utf-8"),
    "json": _json,
    "pdf.txt": lambda release: pdf_text(render(release, "pdf")),
}


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("kind", OUTPUTS)
def test_seed_release_matches_its_golden_file(releases, policy, kind, update_golden):
    got = OUTPUTS[kind](releases[policy])
    path = GOLDEN / f"seed.{policy}.{kind}"
    if update_golden:
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing: run pytest {Path(__file__).name} --update-golden"
    want = path.read_text(encoding="utf-8")
    assert got == want, f"{path.name} differs; if the change is meant, rerun with --update-golden and review the diff"


@pytest.mark.parametrize("policy", POLICIES)
def test_golden_json_validates_against_the_published_schema(policy):
    doc = spec()
    validator = jsonschema.Draft202012Validator(
        {**doc["components"]["schemas"]["Release"], "components": doc["components"]}
    )
    validator.validate(json.loads((GOLDEN / f"seed.{policy}.json").read_text(encoding="utf-8")))


def test_the_two_policies_give_different_releases():
    texts = {policy: (GOLDEN / f"seed.{policy}.txt").read_text(encoding="utf-8") for policy in POLICIES}
    assert texts["public-release"] != texts["partner-gbr-secret"]
    assert texts["public-release"].startswith("UNCLASSIFIED\n")


def test_a_changed_release_fails_the_comparison(releases):
    """The comparison can fail: a release with one word changed is not its golden file."""
    want = (GOLDEN / "seed.public-release.txt").read_text(encoding="utf-8")
    assert OUTPUTS["txt"](releases["public-release"]).replace("Participants", "Attendees") != want

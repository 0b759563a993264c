"""The JSON release validates against the schema /openapi.json publishes (generated from the models)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from redactor.render import render
from redactor.web.openapi import spec


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    doc = spec()
    schema = {**doc["components"]["schemas"]["Release"], "components": doc["components"]}
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("policy", ["public-release", "cleared-us-confidential"])
def test_seed_release_validates(fake_redactor, seed_bytes, validator, policy: str) -> None:
    data = json.loads(render(fake_redactor(["Tom Shannon"]).redact(seed_bytes, policy=policy), "json"))
    validator.validate(data)


def test_schema_can_fail(fake_redactor, seed_bytes, validator) -> None:
    data = json.loads(render(fake_redactor().redact(seed_bytes), "json"))
    data["release"]["disposition"] = "RELEASED A BIT"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)
    del data["portions"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)


def test_schema_names_every_portion_field() -> None:
    portion = spec()["components"]["schemas"]["PortionDecision"]
    assert {"id", "number", "decision", "codes", "reason", "source"} <= set(portion["properties"])

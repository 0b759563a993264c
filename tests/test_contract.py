"""The Release contract: frozen models, one JSON Schema, the same JSON as the dump of the model."""

from __future__ import annotations

import json

import pydantic
import pytest

from redactor.engine import Redactor
from redactor.release import Block, PortionDecision, Prefix, Redaction, Release, ReleaseJSON, Run
from redactor.render import render
from redactor.schema import release_schema
from tests.conftest import FakeDetector


@pytest.fixture(scope="module")
def release(seed_bytes) -> Release:
    return Redactor(detector=FakeDetector(["Tom Shannon", "Garcia Belaunde"])).redact(seed_bytes, date="2026-12-01")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ((), ("banner", "SECRET")),
        ((), ("text", "leaked")),
        ((), ("disposition", "RELEASE IN FULL")),
        (("settings",), ("box", "white")),
        (("policy",), ("level", "TOP SECRET")),
        (("document",), ("reference", "x")),
        (("portions", 0), ("decision", "release")),
        (("redactions", 0), ("start", 0)),
        (("blocks", 0), ("kind", "portion")),
        (("blocks", 0, "runs", 0), ("text", "leaked")),
    ],
)
def test_a_release_cannot_be_changed(release: Release, path: tuple, value: tuple[str, object]) -> None:
    target: object = release
    for step in path:
        target = target[step] if isinstance(step, int) else getattr(target, step)  # type: ignore[index]
    name, new = value
    before = render(release, "json")
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        setattr(target, name, new)
    assert render(release, "json") == before


def test_the_mappings_of_a_release_cannot_be_changed_either(release: Release) -> None:
    """A dict field of a frozen model could be changed in place; the stamp wording and a reviewer's record
    of the machine's proposal are read-only, their lists tuples, and they are written as JSON objects."""
    before = render(release, "json")
    with pytest.raises(TypeError):
        release.settings.stamp["part"] = "RELEASE IN FULL"  # type: ignore[index]
    decision = PortionDecision(
        id="p1", number="1", label="", kind="portion", mark="(C)", level="CONFIDENTIAL", controls=(),
        source="mark", decision="release", codes=(), reason="reviewer",
        machine={"decision": "withhold", "codes": ["B1"]},
    )  # fmt: skip
    assert decision.machine is not None
    with pytest.raises(TypeError):
        decision.machine["decision"] = "release"  # type: ignore[index]
    assert decision.machine["codes"] == ("B1",)
    assert decision.model_dump(mode="json")["machine"] == {"decision": "withhold", "codes": ["B1"]}
    assert render(release, "json") == before
    assert json.loads(before)["release"]["settings"]["stamp"]["part"] == "RELEASE IN PART"


def test_a_changed_copy_leaves_the_release_alone(release: Release) -> None:
    copy = release.model_copy(update={"banner": "CHANGED"})
    assert copy.banner == "CHANGED" and release.banner != "CHANGED"


def test_models_take_positional_fields_and_refuse_them_twice() -> None:
    assert Run("x", "p1.e1") == Run(text="x", redaction="p1.e1")
    assert Block("field", [Run("y")], field="tags").runs[0].text == "y"
    with pytest.raises(TypeError, match="twice|by position and by keyword"):
        Run("x", text="y")
    with pytest.raises(TypeError, match="at most"):
        Run("x", None, False, "extra")


def test_models_check_their_types() -> None:
    with pytest.raises(pydantic.ValidationError):
        Redaction(id="r1", portion=None, kind="entity", entity_type="PERSON", codes=["B6"], score="high")


def test_the_json_is_the_dump_of_the_json_model(release: Release) -> None:
    data = json.loads(render(release, "json"))
    # `pages` is there only for a release on the original pages: the dump leaves out its empty value.
    assert data == release.to_json().model_dump(mode="json", exclude={"pages"})
    assert "pages" not in data and release.to_json().pages is None
    assert ReleaseJSON.model_validate(data).model_dump(mode="json", exclude={"pages"}) == data
    assert data["release"]["disposition"] == release.disposition.value == "RELEASE IN PART"


def test_the_schema_comes_from_the_models() -> None:
    schema, defs = release_schema()
    assert schema["properties"]["portions"]["items"]["$ref"].endswith("/PortionDecision")
    assert set(defs["PortionDecision"]["properties"]) == set(PortionDecision.model_fields)
    assert set(defs["DocumentInfo"]["properties"]) >= {"reference", "banner", "reasons", "declassify_on"}
    assert defs["Disposition"]["enum"] == ["RELEASE IN FULL", "RELEASE IN PART", "WITHHELD IN FULL"]


def test_the_prefix_is_structured(release: Release) -> None:
    four = next(p for p in release.portions if p.number == "4")
    assert four.prefix == Prefix(number="4", label="", mark="(C)")
    assert four.prefix.text == "4. "
    assert Prefix(number="1", label="o").text == "o. " and Prefix(label="SUBJECT").text == "SUBJECT: "
    block = next(b for b in release.blocks if b.portion == four.id)
    assert block.prefix == four.prefix.text


def test_the_engine_builds_the_index(release: Release) -> None:
    from redactor.index import build_index

    assert release.index and release.index == build_index(release)
    data = json.loads(render(release, "json"))
    assert data["index"] == [e.model_dump(mode="json") for e in release.index]
    assert {e.key for e in release.index if e.kind == "portion"} == {p.id for p in release.withheld()}

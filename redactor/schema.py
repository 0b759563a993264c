"""The JSON release's schema, generated from the Release models (served in /openapi.json).

`ReleaseJSON` is the shape `Release.to_dict()` returns (extra keys, such as `blocks`, are allowed); pydantic
turns it, and the dataclasses it holds, into JSON Schema, so the published schema cannot drift from them.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from pydantic import BaseModel, ConfigDict

from redactor.index import IndexEntry
from redactor.release import (
    Disposition,
    PageBox,
    PortionDecision,
    Redaction,
    ReleasedName,
    ReleaseSettings,
    ReviewDecision,
)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class BannerJSON(BaseModel):
    level: str
    controls: list[str]


class DocumentJSON(_Open):
    """What was read from the document's header (other keys may be added)."""

    reference: str = ""
    banner: BannerJSON | None = None
    reasons: list[str] = []
    declassify_on: str | None = None


class PolicyJSON(_Open):
    name: str
    level: str
    audience: str = ""
    scheme: str = ""
    description: str = ""
    source: str | None = None


class ReleaseSummaryJSON(_Open):
    banner: str
    disposition: Disposition
    stamp: str
    codes: list[str]
    fingerprint: str
    notes: list[str]
    settings: ReleaseSettings


class PageJSON(_Open):
    """An original page of a layout=original release: its size in points and its boxes (the review view
    draws them over the page's image)."""

    number: int
    width: float
    height: float
    boxes: list[PageBox]


class ReleaseJSON(_Open):
    """The JSON release of design.md: every decision with its reason, and never withheld text."""

    document: DocumentJSON
    policy: PolicyJSON
    release: ReleaseSummaryJSON
    portions: list[PortionDecision]
    redactions: list[Redaction]
    review: list[ReviewDecision]
    index: list[IndexEntry]
    officials: list[ReleasedName] = []
    text: str
    pages: list[PageJSON] = []


REF_TEMPLATE = "#/components/schemas/{model}"


def release_schema(ref_template: str = REF_TEMPLATE) -> tuple[dict[str, Any], dict[str, Any]]:
    """(schema of the JSON release, the definitions it refers to), refs made with `ref_template`.

    The models do not change while the process runs: the schema is generated once (about 10 ms) and each
    caller gets its own copy.
    """
    return copy.deepcopy(_generated(ref_template))


@functools.cache
def _generated(ref_template: str) -> tuple[dict[str, Any], dict[str, Any]]:
    schema = ReleaseJSON.model_json_schema(ref_template=ref_template, mode="serialization")
    defs = schema.pop("$defs", {})
    return schema, defs

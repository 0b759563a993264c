"""The JSON release's schema, generated from the Release models (served in /openapi.json).

`Release.to_dict()` is the dump of `ReleaseJSON` (redactor.release), so the schema published here is the
schema of the very model the JSON is made from: the two cannot drift.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from redactor.release import ReleaseJSON

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

"""The parameters of POST /v1/redact, declared once: name, JSON Schema, help, how a value is checked.

The endpoint accepts exactly these (as form fields, JSON keys or query parameters), plus the document
itself (`file` part, `text` field or key) and the query-only `include`; anything else is a 422, never
silently ignored. The OpenAPI document is built from the same table. Adding a parameter is one row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redactor.render import formats
from redactor.web.problems import Problem

# Deeper JSON than this (in the body or in `overrides`) is refused before anything walks it.
MAX_JSON_DEPTH = 32


@dataclass(frozen=True)
class Param:
    name: str
    schema: dict[str, Any]
    help: str
    check: Callable[[str, Any], Any]


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise Problem(422, f"Invalid {name}", f"`{name}` must be a string")
    return value


def _choice(*allowed: str) -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        if not isinstance(value, str) or value.lower() not in allowed:
            raise Problem(422, f"Unknown {name}", f"{name} must be one of: {', '.join(allowed)}")
        return value.lower()

    return check


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "1", "yes", "on", "false", "0", "no", "off"):
        return value.lower() in ("true", "1", "yes", "on")
    raise Problem(422, f"Invalid {name}", f"`{name}` must be true or false")


def _overrides(name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bytes | str):
        value = loads(value, what="`overrides`", status=422, title="Invalid overrides")
    if not isinstance(value, dict):
        raise Problem(422, "Invalid overrides", "`overrides` must be a JSON object")
    check_depth(value, "`overrides`")
    return value


def _format(name: str, value: Any) -> str:
    """One of the renderer registry's formats, read when the request comes (a format registered later counts)."""
    return _choice(*formats())(name, value)


PARAMS: tuple[Param, ...] = (
    Param("policy", {"type": "string"}, "Policy name from GET /v1/policies (default: the service's).", _string),
    Param(
        "level",
        {"type": "string"},
        "Release level overriding the policy's ceiling, e.g. CONFIDENTIAL. Other safety rules stay.",
        _string,
    ),
    Param(
        "format",
        {"type": "string", "enum": list(formats())},
        f"Answer as {', '.join(formats())}. Without it the Accept header decides; JSON by default.",
        _format,
    ),
    Param(
        "overrides",
        {"type": "string"},
        "Reviewer overrides as a JSON object (see the README: the review "
        "workflow); in a multipart request a field or a file part (`-F overrides=@file.json`).",
        _overrides,
    ),
    Param(
        "date",
        {"type": "string", "format": "date"},
        "Release date (YYYY-MM-DD) printed on the release and "
        "used to judge declassify-on dates; default: the policy's.",
        _string,
    ),
    Param(
        "layout",
        {"type": "string", "enum": ["original", "typeset"]},
        "PDF layout: `original` burns the redactions into the uploaded PDF's own pages (the default for a "
        "PDF upload answered as PDF), `typeset` sets the release fresh as text (the default otherwise).",
        _choice("original", "typeset"),
    ),
    Param("ocr", {"type": "boolean"}, "Read scanned PDF pages (no text layer) with OCR (Tesseract).", _boolean),
)
BY_NAME = {p.name: p for p in PARAMS}
DOCUMENT_FIELDS = ("text",)  # a form field or JSON key holding the document
FILE_PARTS = ("file", "overrides")  # multipart parts that may carry a file
QUERY_ONLY = {"include": ("blocks", "pages")}  # pages: blocks plus the original pages' images and boxes


def unknown(names: list[str] | set[str], where: str, allowed: tuple[str, ...]) -> None:
    """422 naming the first unknown parameter (sorted, so the answer is stable). Names are the client's own,
    cut short and stripped of anything but plain characters."""
    extra = sorted(n for n in names if n not in allowed)
    if extra:
        shown = "".join(c for c in extra[0][:40] if c.isalnum() or c in "_-.") or "(unprintable)"
        raise Problem(
            422,
            "Unknown parameter",
            f"this endpoint does not know the {where} `{shown}`; it takes: {', '.join(allowed)}",
        )


def loads(raw: bytes | str, *, what: str, status: int, title: str = "Invalid JSON") -> Any:
    """Parse JSON; malformed or nested deeper than MAX_JSON_DEPTH is a `status` problem, never a 500."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        value = json.loads(text)
    except RecursionError:
        raise Problem(status, "Nested too deeply", f"{what} nests deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError:
        raise Problem(status, title, f"{what} is not valid JSON") from None
    check_depth(value, what, status)
    return value


def check_depth(value: Any, what: str, status: int = 422) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH, walking without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise Problem(status, "Nested too deeply", f"{what} nests deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)

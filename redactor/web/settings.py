"""The service's settings, declared once: name (= environment variable = Flask config key), default, help.

`create_app` reads them from the environment; a test or an embedding program passes a config mapping
with the same keys instead. The README table and the OpenAPI description come from SETTINGS, and a test
checks they agree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from redactor.policy import DEFAULT_POLICY


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str


def _optional_path(raw: str) -> str | None:
    return raw.strip() or None


MAX_UPLOAD_CEILING = 1024**3  # a worker holds a whole request in memory: past this it cannot


def _size(raw: str) -> int:
    """Bytes, with an optional K/M/G suffix (powers of 1024): `10485760`, `10M`, `512K`."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMG]?)i?B?\s*", raw, re.IGNORECASE)
    if not m:
        raise ValueError(f"expected a number of bytes like 10485760 or 10M, not {raw!r}")
    size = int(m.group(1)) * 1024 ** " KMG".index((m.group(2) or " ").upper())
    if not 0 < size <= MAX_UPLOAD_CEILING:
        raise ValueError(f"expected more than 0 bytes and at most 1G, not {raw!r}")
    return size


def _keys(raw: str) -> tuple[str, ...]:
    """Keys separated by commas. Set but naming no key is refused: it would silently turn auth off."""
    keys = tuple(k.strip() for k in raw.split(","))
    if not any(keys):
        raise ValueError("set but names no key; unset it to run without authentication")
    if not all(keys):
        raise ValueError("an empty key between commas; remove the stray comma")
    for key in keys:
        if len(key) < 8 or not all(33 <= ord(c) < 127 for c in key):
            raise ValueError("every key must be at least 8 printable ASCII characters without spaces")
    return keys


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError(f"expected DEBUG, INFO, WARNING, ERROR or CRITICAL, not {raw!r}")
    return level


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "REDACTOR_POLICY_DIR",
        None,
        _optional_path,
        "Directory of extra policy YAML files; a name found there wins over a shipped policy. "
        "Only policies listed by GET /v1/policies can be chosen over HTTP (never a path).",
    ),
    Setting("REDACTOR_DEFAULT_POLICY", DEFAULT_POLICY, str.strip, "Policy used when a request names none."),
    Setting(
        "REDACTOR_MAX_UPLOAD",
        10 * 1024 * 1024,
        _size,
        "Largest request body in bytes (suffixes K, M, G allowed); larger requests get 413.",
    ),
    Setting(
        "REDACTOR_API_KEYS",
        (),
        _keys,
        "Comma-separated API keys. When set, /v1/* requires `Authorization: Bearer KEY` (else 401); "
        "/, /healthz, /openapi.json and static files stay open.",
    ),
    Setting(
        "REDACTOR_LOG_LEVEL",
        "INFO",
        _log_level,
        "Level of the service's JSON log lines on stderr (DEBUG, INFO, WARNING, ERROR).",
    ),
)


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting from the environment, or its default. A bad value fails naming the variable."""
    environ = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for s in SETTINGS:
        raw = environ.get(s.name)
        if raw is None:
            out[s.name] = s.default
            continue
        try:
            out[s.name] = s.parse(raw)
        except ValueError as exc:
            raise ValueError(f"{s.name}: {exc}") from None
    return out


def markdown_table() -> str:
    """The README's settings table, from the one declaration above."""
    rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = ", ".join(s.default) if isinstance(s.default, tuple) else s.default
        rows.append(f"| `{s.name}` | {f'`{default}`' if default not in (None, '') else '(none)'} | {s.help} |")
    return "\n".join(rows)

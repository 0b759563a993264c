"""Every setting of redactor, declared once: name, type, default, description, group.

Each field is read from the environment variable `REDACTOR_<NAME>` (`max_pages` from `REDACTOR_MAX_PAGES`).
The command line takes its defaults from here (so `--help` shows them), the HTTP service its Flask config
(redactor/web/settings.py is a view of the `web` group) and the readers their limits
(redactor/ingest/limits.py is a view of the `ingest` and `ocr` groups). The README's settings table is
generated from this model (`python scripts/settings_table.py`) and a test keeps the two equal.

A bad value is a ValueError naming the variable, raised before anything is served or read.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from redactor.policy import DEFAULT_POLICY

ENV_PREFIX = "REDACTOR_"
MB = 1024 * 1024
MAX_UPLOAD_CEILING = 1024**3  # a worker holds a whole request in memory: past this it cannot
GROUPS = ("engine", "ingest", "ocr", "web", "batch")


def _in(group: str) -> dict[str, Any]:
    return {"group": group}


class Settings(BaseSettings):
    """redactor's settings. `Settings()` reads the environment; `from_env(mapping)` reads a mapping."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    # -- engine
    policy_dir: str | None = Field(
        None,
        description="Directory of extra policy YAML files; a name found there wins over a shipped policy. "
        "Only policies listed by GET /v1/policies can be chosen over HTTP (never a path).",
        json_schema_extra=_in("engine"),
    )
    default_policy: str = Field(
        DEFAULT_POLICY,
        description="Policy used when a request or a command names none.",
        json_schema_extra=_in("engine"),
    )
    fingerprint_key: SecretStr | None = Field(
        None,
        description="Key of the source fingerprint that review files carry; without it a key is kept in "
        "`~/.local/state/redactor/`.",
        json_schema_extra=_in("engine"),
    )
    # -- ingest (the limits of the readers; see redactor/ingest/limits.py)
    max_bytes: int = Field(
        50 * MB,
        gt=0,
        description="Largest document read, in bytes (also enforced upstream).",
        json_schema_extra=_in("ingest"),
    )
    max_pages: int = Field(500, gt=0, description="Most pages read from a PDF.", json_schema_extra=_in("ingest"))
    max_seconds: float = Field(
        60.0,
        gt=0,
        description="Most seconds spent reading one document (checked as it reads).",
        json_schema_extra=_in("ingest"),
    )
    max_decompressed: int = Field(
        256 * MB,
        gt=0,
        description="Most bytes a document may unpack to (PDF streams, DOCX zip members).",
        json_schema_extra=_in("ingest"),
    )
    max_ratio: int = Field(
        200,
        gt=0,
        description="Highest compression ratio of a DOCX zip member larger than 1 MB.",
        json_schema_extra=_in("ingest"),
    )
    max_members: int = Field(2000, gt=0, description="Most files in a DOCX zip.", json_schema_extra=_in("ingest"))
    include_annotations: bool = Field(
        False,
        description="Append annotation, form field, bookmark and metadata text as an unmarked block at the end "
        "of the text (it inherits the banner level).",
        json_schema_extra=_in("ingest"),
    )
    # -- ocr
    ocr: bool = Field(
        False,
        description="OCR PDF pages without a text layer with Tesseract, if it is installed (`--ocr`).",
        json_schema_extra=_in("ocr"),
    )
    ocr_dpi: int = Field(
        300, gt=0, description="Resolution at which pages are rendered for OCR.", json_schema_extra=_in("ocr")
    )
    # -- web
    max_upload: int = Field(
        10 * MB,
        description="Largest request body in bytes (suffixes K, M, G allowed); larger requests get 413.",
        json_schema_extra=_in("web"),
    )
    api_keys: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="Comma-separated API keys. When set, /v1/* requires `Authorization: Bearer KEY` (else 401); "
        "/, /healthz, /openapi.json and static files stay open.",
        json_schema_extra=_in("web"),
    )
    log_level: str = Field(
        "INFO",
        description="Level of the service's JSON log lines on stderr (DEBUG, INFO, WARNING, ERROR).",
        json_schema_extra=_in("web"),
    )
    workers: int = Field(2, ge=1, description="Worker processes of `redactor serve`.", json_schema_extra=_in("web"))
    body_seconds: float = Field(
        60.0, gt=0, description="Seconds a request body may take to arrive (else 408).", json_schema_extra=_in("web")
    )
    work_seconds: float = Field(
        150.0,
        gt=0,
        description="Seconds a request's work may take before it is answered 503 and its worker recycled.",
        json_schema_extra=_in("web"),
    )
    # -- batch
    batch_workers: int = Field(
        1,
        ge=1,
        description="Processes (local) or LocalCluster workers (dask) of `redactor batch`.",
        json_schema_extra=_in("batch"),
    )
    batch_time_limit: float = Field(
        300.0, ge=0, description="Seconds one document of a batch may take (0: none).", json_schema_extra=_in("batch")
    )

    @field_validator("policy_dir", mode="before")
    @classmethod
    def _optional_path(cls, value: Any) -> Any:
        return (value.strip() or None) if isinstance(value, str) else value

    @field_validator("default_policy", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("max_upload", mode="before")
    @classmethod
    def _size(cls, value: Any) -> int:
        """Bytes, with an optional K/M/G suffix (powers of 1024): `10485760`, `10M`, `512K`."""
        if isinstance(value, str):
            m = re.fullmatch(r"\s*(\d+)\s*([KMG]?)i?B?\s*", value, re.IGNORECASE)
            if not m:
                raise ValueError(f"expected a number of bytes like 10485760 or 10M, not {value!r}")
            value = int(m.group(1)) * 1024 ** " KMG".index((m.group(2) or " ").upper())
        if not isinstance(value, int) or not 0 < value <= MAX_UPLOAD_CEILING:
            raise ValueError(f"expected more than 0 bytes and at most 1G, not {value!r}")
        return value

    @field_validator("api_keys", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        """Keys separated by commas. Set but naming no key is refused: it would silently turn auth off."""
        if not isinstance(value, str):
            return value
        keys = tuple(k.strip() for k in value.split(","))
        if not any(keys):
            raise ValueError("set but names no key; unset it to run without authentication")
        if not all(keys):
            raise ValueError("an empty key between commas; remove the stray comma")
        for key in keys:
            if len(key) < 8 or not all(33 <= ord(c) < 127 for c in key):
                raise ValueError("every key must be at least 8 printable ASCII characters without spaces")
        return keys

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, value: Any) -> Any:
        level = value.strip().upper() if isinstance(value, str) else value
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError(f"expected DEBUG, INFO, WARNING, ERROR or CRITICAL, not {value!r}")
        return level

    # -- views
    def group(self, name: str) -> dict[str, Any]:
        """The settings of one group by field name (`ingest`: the readers' limits)."""
        return {field: getattr(self, field) for field in fields(name)}

    def ingest_options(self) -> dict[str, Any]:
        """What `Redactor(ingest_options=…)` takes: the ingest limits and the OCR options."""
        return {**self.group("ingest"), **self.group("ocr")}


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def fields(group: str | None = None) -> list[str]:
    """The field names, in declaration order, of one group or all."""
    return [
        name
        for name, info in Settings.model_fields.items()
        if group is None or (info.json_schema_extra or {}).get("group") == group  # type: ignore[union-attr]
    ]


def describe(field: str) -> str:
    return Settings.model_fields[field].description or ""


def default(field: str) -> Any:
    return Settings.model_fields[field].default


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from `environ` (the process environment by default), every other one at its default.
    A bad value is a ValueError naming the variable.

    The process environment's are kept by its `REDACTOR_` variables: an engine reads them at each redaction
    (`fingerprint.default_key`), so a change is heard, and building the model again would cost more than a
    short redaction's rules."""
    if environ is None:
        return _from_process(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX))))
    return _from_mapping(environ)


@functools.lru_cache(maxsize=16)
def _from_process(items: tuple[tuple[str, str], ...]) -> Settings:
    return _from_mapping(dict(items))


def _from_mapping(environ: Mapping[str, str]) -> Settings:
    # Every field is given (the mapping's value or the default), so the process environment behind a
    # mapping a caller passes never shows through.
    values = {name: environ.get(env_name(name), default(name)) for name in fields()}
    try:
        return Settings(**values)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = env_name(str(error["loc"][0])) if error["loc"] else ENV_PREFIX + "?"
        raise ValueError(f"{name}: {error['msg'].removeprefix('Value error, ')}") from None


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        value = ", ".join(value)
    if value in (None, "", ()):
        return "(none)"
    return f"`{value}`"


def markdown_table() -> str:
    """The README's settings table, generated from the model (scripts/settings_table.py writes it)."""
    rows = ["| Variable | Group | Type | Default | Meaning |", "| --- | --- | --- | --- | --- |"]
    for name, info in Settings.model_fields.items():
        group = (info.json_schema_extra or {}).get("group", "")  # type: ignore[union-attr]
        kind = _type_name(info.annotation)
        rows.append(f"| `{env_name(name)}` | {group} | {kind} | {_shown(info.default)} | {info.description} |")
    return "\n".join(rows)


def _type_name(annotation: Any) -> str:
    text = str(annotation) if not isinstance(annotation, type) else annotation.__name__
    text = text.replace("typing.", "").replace("pydantic.types.", "")
    if "tuple" in text:
        return "list of str"
    return {"SecretStr | None": "secret", "str | None": "str"}.get(text, text)

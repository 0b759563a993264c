"""The service's settings: a view of redactor/settings.py, where every setting is declared once.

The Flask config keys are the environment variables' names (`REDACTOR_MAX_UPLOAD`, ...). `create_app`
reads them from the environment; a test or an embedding program passes a config mapping with the same keys
instead. The OpenAPI description lists SETTINGS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redactor import settings as model

# The Flask config carries every setting; the service reads the engine's, the ingest and OCR limits (handed
# to its Redactor) and the web group.
FIELDS = tuple(model.fields())
MAX_UPLOAD_CEILING = model.MAX_UPLOAD_CEILING


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable, also the Flask config key
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = tuple(Setting(model.env_name(f), model.default(f), model.describe(f)) for f in FIELDS)


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every service setting from the environment, or its default. A bad value fails naming the variable."""
    settings = model.from_env(environ)
    return {model.env_name(f): getattr(settings, f) for f in FIELDS}


def ingest_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """The readers' limits and OCR options from a Flask config (what `Redactor(ingest_options=…)` takes)."""
    names = (*model.fields("ingest"), *model.fields("ocr"))
    return {f: config.get(model.env_name(f), model.default(f)) for f in names}


def markdown_table() -> str:
    """The README's settings table (all of redactor's settings, not only the service's)."""
    return model.markdown_table()

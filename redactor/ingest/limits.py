"""Limits and options for the PDF and DOCX readers, declared once in redactor/settings.py (the `ingest` and
`ocr` groups) with their defaults.

A caller passes a dict (the `limits` argument of `redactor.ingest.read`); keys it leaves out take the
defaults below and unknown keys are ignored, so callers can pass their whole settings dict.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from redactor import settings
from redactor.errors import OverLimit, TooLarge

MB = 1024 * 1024

# name: (default, help), from the one settings model (REDACTOR_MAX_PAGES, REDACTOR_OCR, ...).
SETTINGS: dict[str, tuple[Any, str]] = {
    name: (settings.default(name), settings.describe(name))
    for name in (*settings.fields("ingest"), *settings.fields("ocr"))
}
DEFAULTS: dict[str, Any] = {name: default for name, (default, _) in SETTINGS.items()}


def resolve(limits: dict | None) -> dict[str, Any]:
    """The defaults overridden by the caller's values (None means 'use the default')."""
    merged = dict(DEFAULTS)
    for key, value in (limits or {}).items():
        if key in merged and value is not None:
            merged[key] = value
    return merged


def check_size(data: bytes, limits: dict[str, Any]) -> None:
    if len(data) > limits["max_bytes"]:
        raise TooLarge(f"the document is {len(data)} bytes; the limit is {limits['max_bytes']} bytes")


@dataclass
class Deadline:
    """The time a document may take; `check()` raises OverLimit (422) once it has passed."""

    seconds: float
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = time.monotonic()

    def expired(self) -> bool:
        return time.monotonic() - self.started > self.seconds

    def check(self, where: str = "") -> None:
        if self.expired():
            at = f" ({where})" if where else ""
            raise OverLimit(
                f"reading the document took longer than {self.seconds:g} seconds{at}; split it or raise the time limit"
            )

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

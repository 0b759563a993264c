"""Renderers: a finished Release -> bytes in one format. Each reads the Release only."""

from __future__ import annotations

from collections.abc import Callable

from redactor.release import Release

MEDIA_TYPES = {"text": "text/plain; charset=utf-8", "json": "application/json", "pdf": "application/pdf"}
FORMATS = tuple(MEDIA_TYPES)


def _renderer(fmt: str) -> Callable[[Release], bytes]:
    if fmt == "text":
        from redactor.render import text
        return text.render
    if fmt == "json":
        from redactor.render import json
        return json.render
    if fmt == "pdf":
        from redactor.render import pdf
        return pdf.render
    raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def render(release: Release, fmt: str) -> bytes:
    """The release in `fmt` (text, json or pdf) as bytes."""
    return _renderer(fmt)(release)

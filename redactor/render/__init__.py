"""Renderers: a finished Release -> bytes in one format. Each reads the Release only."""

from __future__ import annotations

from collections.abc import Callable

from redactor.release import Release

MEDIA_TYPES = {"text": "text/plain; charset=utf-8", "json": "application/json", "pdf": "application/pdf"}
FORMATS = tuple(MEDIA_TYPES)
# How a PDF release is laid out: typeset fresh (render/pdf.py) or on the upload's own pages (render/pages.py).
LAYOUTS = ("typeset", "original")


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
    if fmt == "pages":
        from redactor.render import pages

        return pages.render
    raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def render(release: Release, fmt: str, layout: str | None = None) -> bytes:
    """The release in `fmt` (text, json or pdf) as bytes. A PDF is on the original pages when `layout` is
    "original", or when it is not given and the release carries its original pages (Release.pages)."""
    if layout not in (None, *LAYOUTS):
        raise ValueError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
    if fmt == "pdf" and (layout == "original" or (layout is None and release.pages)):
        return _renderer("pages")(release)
    return _renderer(fmt)(release)

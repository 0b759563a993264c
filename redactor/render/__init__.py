"""Renderers: a finished Release -> bytes in one format. Each reads the Release only.

Every renderer is registered here once, by name, with its media type and file extension; the CLI's
`--format` choices, the HTTP `format` parameter, the batch and the Python API all take their lists from
this registry (`formats()`). A renderer module is imported only when it is first used (the PDF one pulls
in reportlab).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from redactor.release import Release

Render = Callable[[Release], bytes]


@dataclass(frozen=True)
class Renderer:
    """A registered output format. `target` is "module:function", imported on first use, or the function."""

    name: str
    media_type: str
    extension: str
    target: str | Render
    help: str = ""
    layout: bool = False  # a PDF layout chosen with `layout=`, not a format of its own

    def load(self) -> Render:
        if callable(self.target):
            return self.target
        module, _, function = self.target.partition(":")
        render: Render = getattr(import_module(module), function)
        return render


RENDERERS: dict[str, Renderer] = {}
# The media type of each format, kept in step with RENDERERS by register() (the HTTP answer's type).
MEDIA_TYPES: dict[str, str] = {}


def register(renderer: Renderer) -> Renderer:
    """Add (or replace) a renderer. A format is offered everywhere formats are listed from then on."""
    RENDERERS[renderer.name] = renderer
    if not renderer.layout:
        MEDIA_TYPES[renderer.name] = renderer.media_type
    return renderer


def unregister(name: str) -> None:
    RENDERERS.pop(name, None)
    MEDIA_TYPES.pop(name, None)


def formats() -> tuple[str, ...]:
    """The output formats a caller may ask for, in registration order (text, json, pdf, then any added)."""
    return tuple(name for name, r in RENDERERS.items() if not r.layout)


def renderer(fmt: str) -> Renderer:
    """The registered renderer of `fmt`; ValueError naming the known formats otherwise."""
    found = RENDERERS.get(fmt)
    if found is None or found.layout:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(formats())}")
    return found


def extension(fmt: str) -> str:
    """The file extension of `fmt`, with its dot: ".txt", ".json", ".pdf"."""
    return renderer(fmt).extension


register(Renderer("text", "text/plain; charset=utf-8", ".txt", "redactor.render.text:render", "plain text"))
register(Renderer("json", "application/json", ".json", "redactor.render.json:render", "JSON, every decision"))
register(Renderer("pdf", "application/pdf", ".pdf", "redactor.render.pdf:render", "reading-room PDF"))
register(
    Renderer(
        "pages",
        "application/pdf",
        ".pdf",
        "redactor.render.pages:render",
        "PDF on the upload's own pages",
        layout=True,
    )
)

# The formats at import (the built-in ones); call formats() for the live list.
FORMATS = formats()
# Installed packages add formats through this entry-point group (`my_csv = "pkg.module:RENDERER"`, a
# Renderer): every process that imports redactor.render has them, batch workers included, which a format
# registered by a call in one process is not.
ENTRY_POINTS = "redactor.renderers"


def load_plugins() -> list[str]:
    """Register the renderers installed packages declare (ENTRY_POINTS); the names added. A plugin that
    fails to load is skipped with a warning naming it, so one bad package cannot stop the service."""
    import logging
    from importlib.metadata import entry_points

    added = []
    for ep in entry_points(group=ENTRY_POINTS):
        try:
            found = ep.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the reader or the server
            logging.getLogger("redactor").warning("renderer plugin %s not loaded: %s", ep.name, type(exc).__name__)
            continue
        if isinstance(found, Renderer) and found.name not in FORMATS:
            register(found)
            added.append(found.name)
    return added


load_plugins()
# How a PDF release is laid out: typeset fresh (render/pdf.py) or on the upload's own pages (render/pages.py).
LAYOUTS = ("typeset", "original")


def render(release: Release, fmt: str, layout: str | None = None) -> bytes:
    """The release in `fmt` (text, json, pdf or a registered format) as bytes. A PDF is on the original pages
    when `layout` is "original", or when it is not given and the release carries its original pages
    (Release.pages)."""
    if layout not in (None, *LAYOUTS):
        raise ValueError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
    if fmt == "pdf" and (layout == "original" or (layout is None and release.pages)):
        return RENDERERS["pages"].load()(release)
    return renderer(fmt).load()(release)

"""Layout: a PDF release typeset fresh, or on the upload's own pages with every withheld region burned in."""

from __future__ import annotations

from redactor import ingest
from redactor.errors import InputError
from redactor.release import Document

LAYOUTS = ("typeset", "original")


def layout_for(data: bytes | str, fmt: str, layout: str | None) -> str | None:
    """The layout of a release: as asked for a PDF; else the original pages for a PDF upload released as
    PDF and typeset for anything else. Text has no layout (None); JSON has one only when asked for the
    original pages, whose boxes it then lists (`pages`: where a reviewer draws a `mask_region`)."""
    if fmt != "pdf":
        return "original" if fmt == "json" and layout == "original" else None
    if layout:
        return layout
    return "original" if isinstance(data, bytes | bytearray) and ingest.sniff(bytes(data)) == "pdf" else "typeset"


def check_layout(layout: str | None) -> None:
    if layout not in (None, *LAYOUTS):
        raise InputError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")


def check_pages(layout: str | None, doc: Document) -> None:
    """The original layout needs the pages of a PDF upload."""
    if layout == "original" and not (doc.source is not None and doc.source.pages):
        raise InputError(
            "layout original needs a PDF upload (its pages are what the release is burned "
            "into); use layout typeset for text, HTML and Word documents"
        )
    if layout == "original":
        assert doc.source is not None
        for number, (x0, y0, x1, y1) in enumerate(doc.source.pages, 1):
            if x1 - x0 < 1 or y1 - y0 < 1:
                raise InputError(
                    f"page {number} of the PDF has no area (its MediaBox or CropBox is empty), so it has no "
                    "original page to release; use layout typeset"
                )

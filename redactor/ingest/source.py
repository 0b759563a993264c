"""SourceText: what every reader returns."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class SourceText:
    """A document's text, the format it came in, and a map from text offsets back to the source.

    `anchors` is a sorted list of (text_offset, source_offset) pairs: a run of text starting at
    text_offset was read from source_offset on (bytes for text, characters of the markup for HTML,
    page/char positions are given in `notes` for PDF and DOCX).
    """

    text: str
    format: str
    anchors: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)])
    metadata: dict[str, str] = field(default_factory=dict)  # untrusted: e.g. WikiLeaks' classification
    hidden: list[tuple[int, int, str]] = field(default_factory=list)  # spans of hidden content and why
    notes: list[str] = field(default_factory=list)
    # Page geometry (PDF, scans): where each character of `text` stands on its page, for releases burned
    # into the original pages. `boxes[i]` is (page, x0, y0, x1, y1) in PDF points (origin bottom left of
    # the page as `pages[page - 1]` bounds it) or None for characters the reader made (spaces, newlines).
    # Empty for formats without pages.
    boxes: list[tuple[int, float, float, float, float] | None] = field(default_factory=list)
    pages: list[tuple[float, float, float, float]] = field(default_factory=list)  # page bounds (x0, y0, x1, y1)
    furniture: list[tuple[int, int]] = field(default_factory=list)  # page banners, page numbers: not content
    # OCR: (start, end, confidence 0-100) of each word read, and the deskew angle (degrees) of each page.
    confidence: list[tuple[int, int, float]] = field(default_factory=list)
    deskew: dict[int, float] = field(default_factory=dict)

    def source_offset(self, pos: int) -> int:
        """Where text offset `pos` came from in the source."""
        keys = [a for a, _ in self.anchors]
        i = max(bisect.bisect_right(keys, pos) - 1, 0)
        t, s = self.anchors[i]
        return s + (pos - t)


class TextBuilder:
    """Collects text pieces with the source offset each came from."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.anchors: list[tuple[int, int]] = []
        self.length = 0

    def add(self, piece: str, source_offset: int) -> None:
        if not piece:
            return
        self.anchors.append((self.length, source_offset))
        self.parts.append(piece)
        self.length += len(piece)

    def text(self) -> str:
        return "".join(self.parts)

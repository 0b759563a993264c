"""OCR confidence: how sure Tesseract was of the words of a span (None for a document not read by OCR)."""

from __future__ import annotations

from redactor.release import Document


class Confidence:
    """OCR word confidences (SourceText.confidence) by text span."""

    def __init__(self, doc: Document) -> None:
        self.words: list[tuple[int, int, float]] = list(getattr(doc.source, "confidence", None) or [])

    def of(self, start: int | None, end: int | None) -> float | None:
        """The mean confidence (0-100) of the words overlapping [start, end)."""
        if not self.words or start is None or end is None:
            return None
        inside = [c for a, b, c in self.words if a < end and b > start]
        return round(sum(inside) / len(inside), 1) if inside else None

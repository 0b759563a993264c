"""A rectangle a reviewer drew on an original page -> the released text under it, to mask.

The reader records where every character stands (`SourceText.boxes`: page, x0, y0, x1, y1 in PDF points
from the bottom left of the page's bounds); a drawn rectangle is in the same points from the page's own
bottom left corner, as the JSON's `pages` give every box. Fail closed: a character whose box the rectangle
touches at all is under it, and so is the rest of its word; the rectangle itself is also burned into the
page (redactor.original), so ink under it that is no character (a drawing, a word OCR missed) goes too.
"""

from __future__ import annotations

from redactor.release import Document, HeaderField, Portion

Rect = tuple[float, float, float, float]


def touched(doc: Document, page: int, box: Rect) -> set[int]:
    """Offsets in the document text of every character of every word the rectangle touches on `page`."""
    src = doc.source
    if src is None or not 1 <= page <= len(src.pages):
        return set()
    ox, oy = src.pages[page - 1][0], src.pages[page - 1][1]
    x0, y0, x1, y1 = box[0] + ox, box[1] + oy, box[2] + ox, box[3] + oy
    text = doc.text
    hits = {
        i
        for i, b in enumerate(src.boxes)
        if b is not None and b[0] == page and b[1] < x1 and x0 < b[3] and b[2] < y1 and y0 < b[4]
    }
    out: set[int] = set()
    for i in hits:
        a = i
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        b = i
        while b < len(text) and not text[b].isspace():
            b += 1
        out.update(range(a, b))
    return out


def released_spans(
    doc: Document, page: int, box: Rect, texts: list[tuple[str, int]], owners: list[Portion | HeaderField]
) -> list[list[tuple[int, int]]]:
    """For each released text (a portion's body or a header field's text, as the engine releases them)
    the spans of it under the rectangle."""
    chars = touched(doc, page, box)
    return [
        spans_in(text, text_offsets(doc, owner, text), chars) for (text, _), owner in zip(texts, owners, strict=True)
    ]


def text_offsets(doc: Document, owner: Portion | HeaderField, text: str) -> list[int]:
    """The document offset of each character of a released text: a header field's is its stripped text,
    a portion's its body after the mark, page-break lines and some whitespace left out."""
    if isinstance(owner, HeaderField):
        raw = doc.text[owner.start : owner.end]
        lead = owner.start + len(raw) - len(raw.lstrip())
        return list(range(lead, lead + len(text)))
    return body_offsets(doc, owner.body_start, owner.end, sorted(owner.breaks), text)


def body_offsets(doc: Document, start: int, end: int, skip: list[tuple[int, int]], body: str) -> list[int]:
    """The document offset of each character of a released body: the document text of [start, end) with
    the `skip` spans (page-break lines, in order of start) and some whitespace left out, so characters are
    matched in order (pipeline.compose.doc_span reads one span from them)."""
    text = doc.text
    out: list[int] = []
    pos = start
    k = 0  # the first skip span (in order of start) that does not end at or before pos
    for ch in body:
        while pos < end:
            while k < len(skip) and skip[k][1] <= pos:
                k += 1
            if k < len(skip) and skip[k][0] <= pos:
                pos = skip[k][1]
                continue
            if text[pos] == ch:
                break
            pos += 1
        out.append(pos)
        pos += 1
    return out


def spans_in(body: str, offsets: list[int], chars: set[int]) -> list[tuple[int, int]]:
    """The spans of `body` whose characters are among `chars` (document offsets), words a rectangle
    touched side by side joined into one span over the spaces between them."""
    spans: list[tuple[int, int]] = []
    for i, doc_at in enumerate(offsets):
        if doc_at not in chars or body[i].isspace():
            continue
        if spans and not body[spans[-1][1] : i].strip():
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans

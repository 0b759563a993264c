"""Hidden text: what the page does not show is never released, and can only raise a level.

The reader marks hidden characters (white, covered, clipped, invisible, in a switched-off layer...); the
Document is segmented from the visible view, each hidden span kept as a zero-width point in
`Document.hidden`, and a portion holding one is withheld (redactor.pipeline.decide).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from redactor import ingest
from redactor.ingest.limits import Deadline
from redactor.markings import US, Marking, Scheme
from redactor.release import Document, Portion
from redactor.segment import segment


def read_visible(source: ingest.SourceText, scheme: Scheme = US, deadline: Deadline | None = None) -> Document:
    """Segment what the page shows, and let hidden text only raise levels.

    The Document is built from the reader's visible view (redactor.ingest.visible): hidden characters are not
    in its text, so they can neither form a mark nor break one, nor be released by any path; each is a
    zero-width point in `Document.hidden`. When there is hidden text the whole text is segmented too, and a
    portion whose characters that reading puts at a higher level (a hidden banner, a hidden mark above its
    own) takes the higher level.
    """
    from redactor.ingest.visible import visible_view

    view = visible_view(source)
    doc = segment(view.source, scheme=scheme, deadline=deadline)
    doc.source = view.source  # its character boxes and OCR confidences are aligned with doc.text
    if not doc.hidden:
        return doc
    full = segment(source, scheme=scheme, deadline=deadline)
    raise_levels(doc, full, view.full_offset)
    return doc


def _rank(m: Marking | None) -> float | None:
    if m is None:
        return None
    from redactor.markings import SCHEMES

    scheme = SCHEMES.get(m.scheme)
    level = scheme.find(m.level) if scheme else None
    return level.rank if level else None


def raise_levels(doc: Document, full: Document, full_offset: Callable[[int], int]) -> None:
    """Give each portion of `doc` the highest level a portion of `full` covering its text has (never lower).

    Only a level the whole text states counts: a mark, or a banner higher than the visible one. Hidden text
    that the whole reading merely splits off as an unmarked portion (it inherits the banner) says nothing of
    the level; the portion holding it is withheld for the hidden text all the same.
    """
    stated_banner = _rank(full.banner) is not None and (
        _rank(doc.banner) is None or (_rank(full.banner) or 0) > (_rank(doc.banner) or 0)
    )
    starts = [q.start for q in full.portions]
    for p in doc.portions:
        mine = _rank(p.marking)
        if p.marking is None or mine is None or p.end <= p.start:
            continue
        a, b = full_offset(p.start), full_offset(p.end - 1) + 1
        best: Portion | None = None
        i = max(bisect.bisect_right(starts, a) - 1, 0)
        for q in full.portions[i:]:
            if q.start >= b:
                break
            if q.end <= a or q.marking is None or q.marking.scheme != p.marking.scheme:
                continue
            if q.source != "explicit" and not stated_banner:
                continue
            r = _rank(q.marking)
            if r is not None and r > mine and (best is None or r > (_rank(best.marking) or 0)):
                best = q
        if best is not None and best.marking is not None:
            p.marking = best.marking
            p.source = "inherited"
            p.basis = f"read as {best.marking.banner} with the hidden text in (the higher reading is kept)"
            p.flags = [*p.flags, f"level raised by hidden text to {best.marking.level}"]


def hidden_owners(doc: Document) -> tuple[dict[str, list[str]], int]:
    """The hidden-text kinds each portion holds (by portion id), and how many hidden points lie outside
    every portion (in a header line or between portions: not released either way)."""
    out: dict[str, list[str]] = {}
    elsewhere = 0
    portions = sorted(doc.portions, key=lambda p: p.start)
    starts = [p.start for p in portions]
    for pos, _end, why in doc.hidden:
        i = bisect.bisect_right(starts, pos) - 1
        owner = None
        if i >= 0 and pos <= portions[i].end:
            owner = portions[i]
        elif i + 1 < len(portions) and pos == portions[i + 1].start:
            owner = portions[i + 1]
        elif i >= 0 and not any(f.start <= pos <= f.end for f in doc.fields if f.start >= portions[i].end):
            owner = portions[i]  # between two portions: the one before it (it may have ended the paragraph)
        if owner is None:
            elsewhere += 1
            continue
        kinds = out.setdefault(owner.id, [])
        if why not in kinds:
            kinds.append(why)
    return out, elsewhere


def hidden_note(doc: Document, held: list[str], elsewhere: int) -> str:
    """The release's note on the hidden text of the upload: how much, of which kinds, and where it went."""
    return (
        f"hidden text in the upload: {len(doc.hidden)} span(s) "
        f"({', '.join(sorted({w for _, _, w in doc.hidden}))}); never released: marks are read "
        f"from the visible text, and {len(held)} portion(s) holding it are withheld"
        + (f" ({', '.join(held)})" if held else "")
        + (f"; {elsewhere} span(s) outside any portion left out" if elsewhere else "")
    )

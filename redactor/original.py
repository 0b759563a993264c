"""The upload's own pages for a release on the original pages: rasterised, with every withheld region burned in.

Decisions + the reader's page geometry -> one `ReleasePage` per page of the upload: an image of the page
(pypdfium2, in process) in which every withheld portion and every masked entity is filled with the box
colour *before the image leaves this module*, the old page banners are whited out, plus the boxes' places
and codes (for the labels), the marks to strike, and the released words with their places (for the text
layer). Nothing withheld survives in what this module returns: not in pixels, not in words.

Regions are sized by region, not by the letters under them:
- a withheld portion is one box per page and column, from the left edge of its lines to the right edge of
  the column it stands in (the widest line starting at the same left edge), from the top of its first
  line to the bottom of its last: the box says how many lines were withheld, never how long the last one
  was;
- a masked entity is a box over the word(s), the height of its line; where it ends its line, the box
  reaches over the line's free space to the right margin (so a short and a long name leave the same box).
Only released regions keep their pixels: the page is rebuilt on white from the regions of the released
portions, the header lines shown and the page numbers, so ink in no released portion (a word OCR missed,
an image of text, a drawing or signature outside every portion) never reaches the release. Inside those
regions, what the image shows is judged from pdfium's own glyphs, not from the reader's boxes (a font's
metrics can set those a line away from the glyphs): a glyph keeps its pixels only when it is a released
character drawn where the reader placed it; every other glyph, and every image, is whited out. Ink that is
no text is not rendered at all: only text (in plain colours) and horizontal rules are left on pdfium's page
before it is rasterised (see _text_and_rules); a scan read by OCR keeps its page image.

Inside a line, a masked entity's width is the width of the gap it leaves (the next released word shows
where it ended); on the original pages that cannot be hidden without reflowing the page or withholding
the rest of the line (the typeset release is the answer to that side channel).
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from PIL import Image, ImageDraw

from redactor.ingest.ocr import render_page
from redactor.release import CLASSIFICATION_FIELDS, Document, PageBox, PageWord, Release, ReleasePage

DPI = 150  # release raster resolution (a reading-room page; 300 for OCR is the reader's)
PAD = 2.0  # points added around every burned region (covers anti-aliased glyph edges)
BANNER_RE = re.compile(
    r"\s*(?:TOP\s+SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|RESTRICTED|CUI|LIMITED OFFICIAL USE)"
    r"(?:\s*//\s*[A-Z0-9][A-Z0-9 ,/-]*)?\s*"
)
Box = tuple[float, float, float, float]
BURNED = ("withheld", "entity", "region")  # the kinds of box filled with the box colour


# ----------------------------------------------------------------------------------------- geometry
class _Lines:
    """The document's text lines with the boxes of their characters, by text offset."""

    def __init__(self, doc: Document) -> None:
        src = doc.source
        self.source = src
        self.text = doc.text
        self.boxes = src.boxes
        self.line_of: list[int] = []
        line = 0
        for ch in self.text:
            self.line_of.append(line)
            if ch == "\n":
                line += 1
        extents: dict[int, list[float]] = {}
        for i, box in enumerate(self.boxes):
            if box is None or not self.text[i].strip():
                continue
            e = extents.setdefault(self.line_of[i], [box[0], box[1], box[2], box[3], box[4]])
            e[1], e[2], e[3], e[4] = min(e[1], box[1]), min(e[2], box[2]), max(e[3], box[3]), max(e[4], box[4])
        self.extents = extents  # line -> [page, x0, y0, x1, y1]
        self.by_page: dict[int, list[tuple[int, list[float]]]] = defaultdict(list)
        for n, e in extents.items():
            self.by_page[int(e[0])].append((n, e))

    def chars(self, start: int, end: int, skip: Iterable[tuple[int, int]] = ()) -> list[int]:
        """Offsets in [start, end) of visible characters with a box, outside the spans of `skip`."""
        start, end = max(start, 0), min(end, len(self.boxes))
        spans = sorted((a, b) for a, b in skip if b > start and a < end)
        out = []
        k = 0
        for i in range(start, end):
            while k < len(spans) and spans[k][1] <= i:
                k += 1
            if k < len(spans) and spans[k][0] <= i:
                continue
            if self.boxes[i] is None or not self.text[i].strip():
                continue
            out.append(i)
        return out

    def drawn_in_order(self) -> dict[int, list[int]]:
        """Offsets of the visible characters of each page in the order the page draws them (the source
        offsets the reader kept: its content stream), not in reading order."""
        drawn = [0] * len(self.text)
        anchors = list(self.source.anchors) + [(len(self.text), 0)]
        for (start, src), (end, _) in zip(anchors, anchors[1:], strict=False):
            for i in range(start, min(end, len(drawn))):
                drawn[i] = src + i - start
        out: dict[int, list[int]] = defaultdict(list)
        for i in sorted(range(len(self.boxes)), key=lambda i: (drawn[i], i)):
            box = self.boxes[i]
            if box is not None and self.text[i].strip():
                out[box[0]].append(i)
        return out


def _portion_boxes(
    lines: _Lines, idx: list[int], furniture_lines: set[int], right_edge: dict[int, float]
) -> list[tuple[int, Box]]:
    """One box per page and column over the lines of a withheld portion. Its right edge is not where the
    portion's text ends but where the next thing on its rows begins (a table's next cell, the other
    column), else the right margin (as wide as the document's left one): nothing of the withheld text
    sets it, unless that text runs into the margin."""
    by_line: dict[int, list[int]] = defaultdict(list)
    for i in idx:
        by_line[lines.line_of[i]].append(i)
    own = set(by_line)
    groups: dict[tuple[int, int], list[list[float]]] = defaultdict(list)
    for line, chars in by_line.items():
        page = lines.boxes[chars[0]][0]
        ext = lines.extents[line]
        x0 = min(lines.boxes[i][1] for i in chars)
        x1 = max(lines.boxes[i][3] for i in chars)
        others = [e for n, e in lines.by_page[page] if n not in own and n not in furniture_lines]
        right = [e[1] for e in others if e[2] < ext[4] and e[4] > ext[2] and e[1] >= x1]
        limit = min(right) - 3 * PAD if right else right_edge[page]
        groups[(page, int(x0 // 36))].append([x0, ext[2], x1, ext[4], limit])
    out = []
    for (page, _), rects in sorted(groups.items()):
        x0 = min(r[0] for r in rects)
        y0, y1 = min(r[1] for r in rects), max(r[3] for r in rects)
        x1 = max(max(r[2] for r in rects), min(r[4] for r in rects))
        out.append((page, (x0, y0, x1, y1)))
    return out


def _word_boxes(lines: _Lines, idx: list[int]) -> list[tuple[int, Box]]:
    """One box per line over the characters of a masked entity, the height of the line."""
    by_line: dict[int, list[int]] = defaultdict(list)
    for i in idx:
        by_line[lines.line_of[i]].append(i)
    out = []
    for line, chars in sorted(by_line.items()):
        ext = lines.extents[line]
        out.append(
            (
                lines.boxes[chars[0]][0],
                (min(lines.boxes[i][1] for i in chars), ext[2], max(lines.boxes[i][3] for i in chars), ext[4]),
            )
        )
    return out


def _entity_boxes(
    lines: _Lines, idx: list[int], furniture_lines: set[int], right_edge: dict[int, float]
) -> list[tuple[int, Box]]:
    """A masked entity's box on each of its lines. Where the entity ends its line (nothing but a few
    punctuation marks after it), the box covers those and the line's free space after it, as a withheld
    portion's does: up to where the next thing on the row begins, else the right margin. A short name and
    a long one then leave the same box.
    Inside a line the next released word shows where the name ended, so there the box is the name's."""
    by_line: dict[int, list[int]] = defaultdict(list)
    for i in idx:
        by_line[lines.line_of[i]].append(i)
    out = []
    for (page, box), (line, chars) in zip(_word_boxes(lines, idx), sorted(by_line.items()), strict=True):
        after = lines.chars(chars[-1] + 1, _line_end(lines, chars[-1]))
        if len(after) > 3 or any(lines.text[i].isalnum() for i in after):
            out.append((page, box))
            continue
        x0, y0, x1, y1 = box
        x1 = max([x1] + [lines.boxes[i][3] for i in after])
        others = [e for n, e in lines.by_page[page] if n != line and n not in furniture_lines]
        right = [e[1] for e in others if e[2] < y1 and e[4] > y0 and e[1] >= x1]
        limit = min(right) - 3 * PAD if right else right_edge[page]
        out.append((page, (x0, y0, max(x1, limit), y1)))
    return out


def _line_end(lines: _Lines, i: int) -> int:
    end = lines.text.find("\n", i)
    return len(lines.text) if end < 0 else end


def _line_boxes(lines: _Lines, idx: list[int]) -> list[tuple[int, Box]]:
    return _word_boxes(lines, idx)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _pad(box: Box, pad: float = PAD) -> Box:
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


# -------------------------------------------------------------------------------------------- pages
def pages(
    data: bytes,
    doc: Document,
    release: Release,
    entity_spans: dict[str, tuple[int, int]],
    options: dict[str, Any] | None = None,
    regions: Iterable[tuple[int, Box, Sequence[str], str]] = (),
) -> list[ReleasePage]:
    """The release's pages: the upload's pages with the release's decisions burned in. `regions` are the
    rectangles reviewers drew (page, box from the page's bottom left, codes, item): each is burned as drawn."""
    src = doc.source
    lines = _Lines(doc)
    decisions = {p.id: p for p in release.portions}
    furniture = list(src.furniture)
    furniture_lines = {lines.line_of[a] for a, _ in furniture if a < len(lines.line_of)}
    # The right margin of each page: as wide as the document's left margin.
    content = [e for n, e in lines.extents.items() if n not in furniture_lines]
    left = min((e[1] for e in content), default=0.0)
    right_edge = {n: max(b[2] - (left - b[0]), left + 1) for n, b in enumerate(src.pages, 1)}
    hidden = [(a, b) for a, b, _ in doc.hidden]
    per_page: dict[int, list[PageBox]] = defaultdict(list)

    # Withheld portions: the whole portion, number and mark included, page-break lines left out.
    withheld_ids = set()
    for p in doc.portions:
        d = decisions.get(p.id)
        if d is None or d.decision != "withhold":
            continue
        withheld_ids.add(p.id)
        idx = lines.chars(p.start, p.end, list(p.breaks) + furniture)
        for page, box in _portion_boxes(lines, idx, furniture_lines, right_edge):
            per_page[page].append(_page_box("withheld", _pad(box), codes=list(d.codes), item=p.id))
    # What is released of each page's pixels: the region of each released portion (sized like a withheld
    # box), the lines of the header fields shown, and the page numbers.
    keep: dict[int, list[Box]] = defaultdict(list)
    shown: set[int] = set()  # the characters whose pixels are released
    for p in doc.portions:
        if p.id in withheld_ids:
            continue
        idx = lines.chars(p.start, p.end, list(p.breaks) + furniture)
        shown.update(idx)
        for page, box in _portion_boxes(lines, idx, furniture_lines, right_edge):
            keep[page].append(_pad(box, 3 * PAD))
    kept_fields = [
        (f.start, f.end)
        for f in doc.fields
        if f.name not in ("banner", "metadata")
        and not (f.name == "page_break" and BANNER_RE.fullmatch(doc.text[f.start : f.end]))
    ]
    for a, b in kept_fields + [(a, b) for a, b in furniture if not BANNER_RE.fullmatch(doc.text[a:b])]:
        idx = lines.chars(a, b)
        shown.update(idx)
        for page, box in _line_boxes(lines, idx):
            keep[page].append(_pad(box, 2 * PAD))
    # Masked entities.
    for r in release.redactions:
        span = entity_spans.get(r.id)
        if span is None:
            continue
        for page, box in _entity_boxes(lines, lines.chars(*span), furniture_lines, right_edge):
            per_page[page].append(_page_box("entity", _pad(box, 1.5), codes=list(r.codes), item=r.id))
    # The rectangles reviewers drew, as drawn (the words under them are masked entities already).
    for page, (x0, y0, x1, y1), codes, item in regions:
        if 1 <= page <= len(src.pages):
            ox, oy = src.pages[page - 1][:2]
            per_page[page].append(
                _page_box("region", (x0 + ox, y0 + oy, x1 + ox, y1 + oy), codes=list(codes), item=item)
            )
    # The old banners (the document's banner lines and the page banners) are covered by the release's.
    banner_spans = [(f.start, f.end) for f in doc.fields if f.name == "banner"]
    banner_spans += [(a, b) for a, b in furniture if BANNER_RE.fullmatch(doc.text[a:b])]
    banner_spans += [
        (f.start, f.end)
        for f in doc.fields
        if f.name == "page_break" and BANNER_RE.fullmatch(doc.text[f.start : f.end])
    ]
    for a, b in sorted(set(banner_spans)):
        for page, box in _line_boxes(lines, lines.chars(a, b)):
            per_page[page].append(_page_box("banner", _pad(box, 1.5)))
    # Marks of released portions and the classification lines are struck through.
    released_portions = [p for p in doc.portions if p.id not in withheld_ids]
    struck_spans = [
        (p.mark_start, p.mark_start + len(p.mark)) for p in released_portions if p.mark and p.mark_start is not None
    ]
    struck_spans += [(f.start, f.end) for f in doc.fields if f.name in CLASSIFICATION_FIELDS - {"banner"}]
    for a, b in struck_spans:
        for page, box in _line_boxes(lines, lines.chars(a, b)):
            per_page[page].append(_page_box("struck", box))

    # The text layer: released words only (never hidden, masked, furniture or withheld characters).
    masked = sorted(entity_spans.values())
    shown.difference_update(i for a, b in hidden + masked for i in range(a, b))
    shown_fields = [
        (f.start, f.end)
        for f in doc.fields
        if f.name not in CLASSIFICATION_FIELDS and f.name not in ("page_break", "metadata")
    ]
    released_spans = [(p.body_start, p.end, list(p.breaks)) for p in released_portions]
    released_spans += [(a, b, []) for a, b in shown_fields]
    words: dict[int, list[PageWord]] = defaultdict(list)
    for start, end, breaks in released_spans:
        idx = lines.chars(start, end, breaks + furniture + hidden + masked)
        for page, word in _words(lines, idx):
            blocked = any(
                _overlaps((word.x0, word.y0, word.x1, word.y1), (b.x0, b.y0, b.x1, b.y1))
                for b in per_page[page]
                if b.kind in BURNED
            )
            if not blocked:
                words[page].append(word)

    opts = options or {}
    dpi = float(opts.get("release_dpi") or DPI)
    blanks = {} if getattr(src, "confidence", None) else _blanks(data, lines, shown, per_page)
    out = []
    for number, bounds in enumerate(src.pages, start=1):
        width, height = bounds[2] - bounds[0], bounds[3] - bounds[1]
        prepare = None if getattr(src, "confidence", None) else _text_and_rules  # a scan's image is its text
        image = render_page(data, number, dpi, src.deskew.get(number, 0.0), prepare)
        boxes = per_page.get(number, [])
        image = _burn(image, bounds, boxes, keep.get(number, []), release.settings.box, blanks.get(number, []))
        out.append(
            ReleasePage(
                number=number,
                width=width,
                height=height,
                image=image,
                boxes=tuple(_relative(b, bounds) for b in boxes),
                words=tuple(_relative_word(w, bounds) for w in words.get(number, [])),
            )
        )
    return out


def _blanks(data: bytes, lines: _Lines, shown: set[int], per_page: dict[int, list[PageBox]]) -> dict[int, list[Box]]:
    """What is whited out of each page before its boxes are filled: what pdfium draws there that the reader
    did not read as released text. The page image is pdfium's rendering, so what it shows is judged from
    pdfium's own objects, not from the reader's boxes. Images are no text the reader saw (an image of words
    inside a released paragraph is blanked; a scan, read by OCR, is not blanked: its page image is its
    text); each glyph not proven released (see _unreleased_glyphs) is blanked unless a filled box covers
    it already."""
    order = lines.drawn_in_order()
    out: dict[int, list[Box]] = {}
    for number, (images, glyphs) in _drawn(data, lines.source.pages).items():
        filled = [(b.x0, b.y0, b.x1, b.y1) for b in per_page.get(number, []) if b.kind in (*BURNED, "banner")]
        out[number] = images + [
            _pad(g)
            for g in _unreleased_glyphs(lines, order.get(number, []), shown, glyphs)
            if not any(_within(g, f) for f in filled)
        ]
    return out


def _within(a: Box, b: Box) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


def _words(lines: _Lines, idx: list[int]) -> Iterable[tuple[int, PageWord]]:
    """Runs of consecutive characters on one line as words with their boxes."""
    run: list[int] = []

    def flush() -> Iterable[tuple[int, PageWord]]:
        if run:
            b = [lines.boxes[i] for i in run]
            yield (
                b[0][0],
                PageWord(
                    text="".join(lines.text[i] for i in run),
                    x0=min(x[1] for x in b),
                    y0=min(x[2] for x in b),
                    x1=max(x[3] for x in b),
                    y1=max(x[4] for x in b),
                ),
            )

    for i in idx:
        if run and (i != run[-1] + 1 or lines.line_of[i] != lines.line_of[run[-1]]):
            yield from flush()
            run = []
        run.append(i)
    yield from flush()


def _page_box(kind: str, rect: Sequence[float], codes: Sequence[str] = (), item: str = "") -> PageBox:
    x0, y0, x1, y1 = rect
    return PageBox(kind=kind, x0=x0, y0=y0, x1=x1, y1=y1, codes=tuple(codes), item=item)


def _relative(b: PageBox, bounds: tuple[float, float, float, float]) -> PageBox:
    return b.model_copy(
        update={"x0": b.x0 - bounds[0], "y0": b.y0 - bounds[1], "x1": b.x1 - bounds[0], "y1": b.y1 - bounds[1]}
    )


def _relative_word(w: PageWord, bounds: tuple[float, float, float, float]) -> PageWord:
    return w.model_copy(
        update={"x0": w.x0 - bounds[0], "y0": w.y0 - bounds[1], "x1": w.x1 - bounds[0], "y1": w.y1 - bounds[1]}
    )


def _pixels(
    b: PageBox | tuple, bounds: tuple[float, float, float, float], sx: float, sy: float, grow: bool = True
) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = (b.x0, b.y0, b.x1, b.y1) if isinstance(b, PageBox) else b
    out = ((x0 - bounds[0]) * sx, (bounds[3] - y1) * sy, (x1 - bounds[0]) * sx, (bounds[3] - y0) * sy)
    if grow:
        return math.floor(out[0]), math.floor(out[1]), math.ceil(out[2]), math.ceil(out[3])
    return math.ceil(out[0]), math.ceil(out[1]), math.floor(out[2]), math.floor(out[3])


Glyph = tuple[str, Box]  # a character pdfium draws and the tight box of its glyph


def _drawn(data: bytes, bounds: Sequence[Box]) -> dict[int, tuple[list[Box], list[Glyph]]]:
    """What pdfium draws on each page, in the reader's page space: the bounds of each image object (nested
    forms included) and each character it draws, in its text order, with its tight glyph box (the box of
    the glyph's own outline, which is where its pixels are; the loose box comes from the font's /Ascent and
    /Descent, which a file can set to anything). Boxes go through pdfium's own page-to-image transform, the
    one the page image is rendered with, so a crop box, a media box away from the origin or a /Rotate moves
    them as it moves the pixels."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out: dict[int, tuple[list[Box], list[Glyph]]] = {}
    doc = pdfium.PdfDocument(data)
    try:
        for n, page_bounds in enumerate(bounds):
            page = doc[n]
            try:
                reader_box = _to_reader(page, page_bounds)
                images = [
                    reader_box(box) for kind, box, _, _ in _page_objects(page) if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE
                ]
                text = page.get_textpage()
                glyphs = []
                for i in range(text.count_chars()):
                    char, box = chr(pdfium_c.FPDFText_GetUnicode(text, i)), text.get_charbox(i)
                    if (
                        pdfium_c.FPDFText_IsGenerated(text, i)
                        or not char.strip()
                        or box[2] <= box[0]
                        or box[3] <= box[1]
                    ):
                        continue  # a space or line break (drawn or made up), a glyph with no outline: no pixels
                    glyphs.append((char, reader_box(box)))
                text.close()
                out[n + 1] = (images, glyphs)
            finally:
                page.close()
    finally:
        doc.close()
    return out


RULE_THICKNESS = 2.0  # points: a horizontal path no taller than this (a rule, an underline) is kept ...
RULE_LENGTH = 18.0  # points: ... if at least this long


def _page_objects(page: Any) -> Iterator[tuple[int, Box, Callable[[], bool], Any]]:
    """Every page object pdfium draws on the page, nested forms included and walked into (not yielded):
    its type, its bounds in page space (a nested object's bounds are in its form's space: they go through
    the matrices of the forms around it), a function that removes it from the page (or its form), and the
    object."""
    import pypdfium2.raw as pdfium_c

    def bounds(obj: Any) -> Box:
        x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))
        if not pdfium_c.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1):
            return (-1e9, -1e9, 1e9, 1e9)  # no bounds known: the whole page
        return (x0.value, y0.value, x1.value, y1.value)

    def walk(holder: Any, count: Any, get: Any, remove: Any, outer: list[Any]) -> Iterator[tuple[int, Box, Any, Any]]:
        for i in reversed(range(count(holder))):  # last first: a removal leaves the earlier indices as they were
            obj = get(holder, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                m = pdfium_c.FS_MATRIX()
                pdfium_c.FPDFPageObj_GetMatrix(obj, m)
                yield from walk(
                    obj,
                    pdfium_c.FPDFFormObj_CountObjects,
                    pdfium_c.FPDFFormObj_GetObject,
                    pdfium_c.FPDFFormObj_RemoveObject,
                    [(m.a, m.b, m.c, m.d, m.e, m.f), *outer],
                )
                continue
            box = bounds(obj)
            for a, b, c, d, e, f in outer:  # innermost form first
                xs = [a * x + c * y + e for x in (box[0], box[2]) for y in (box[1], box[3])]
                ys = [b * x + d * y + f for x in (box[0], box[2]) for y in (box[1], box[3])]
                box = (min(xs), min(ys), max(xs), max(ys))

            def drop(holder: Any = holder, obj: Any = obj, remove: Any = remove) -> bool:
                if not remove(holder, obj):
                    return False
                pdfium_c.FPDFPageObj_Destroy(obj)
                return True

            yield kind, box, drop, obj

    yield from walk(
        page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPage_RemoveObject, []
    )


def _is_rule(box: Box) -> bool:
    """Whether a path's bounds (in page space) are those of a horizontal rule: thin and long (an underline,
    a table's row line). Rules of one direction cannot draw a letter together, whatever they are filled
    with; a rectangle, a curve, a cluster of small marks can, and so can horizontal and vertical rules
    together (`E`, `F`, `H`, `T`): a vertical one (a table's column line) is removed too."""
    return box[3] - box[1] <= RULE_THICKNESS and box[2] - box[0] >= RULE_LENGTH


def _text_and_rules(page: Any) -> None:
    """Removes from a pdfium page every object that is neither text nor a rule: images, shadings, and paths
    (outlines of letters, a pattern or a soft mask through a rectangle, a box behind a white text) are no
    text the reader read, so nothing judges what they show. What is left is judged glyph by glyph (see
    _unreleased_glyphs). Fails closed: an object pdfium will not remove makes the page unrenderable."""
    import pypdfium2.raw as pdfium_c

    for kind, box, drop, obj in list(_page_objects(page)):
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            _solid(obj)
            continue
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH and _is_rule(box):
            continue
        if not drop():
            raise ValueError("a page object that is no text could not be removed")


def _solid(text: Any) -> None:
    """Paints a text object in plain colours: its fill and stroke set to the colours pdfium reports for them.
    A pattern (a tiling cell can hold any words) is no plain colour: glyphs filled with it would show the
    cell's words through the letters of released text."""
    import pypdfium2.raw as pdfium_c

    for get, put in (
        (pdfium_c.FPDFPageObj_GetFillColor, pdfium_c.FPDFPageObj_SetFillColor),
        (pdfium_c.FPDFPageObj_GetStrokeColor, pdfium_c.FPDFPageObj_SetStrokeColor),
    ):
        rgba = [ctypes.c_uint() for _ in range(4)]
        if not get(text, *rgba):
            rgba = [ctypes.c_uint(0), ctypes.c_uint(0), ctypes.c_uint(0), ctypes.c_uint(255)]
        if not put(text, *(c.value for c in rgba)):
            raise ValueError("a text object's colour could not be set")


_DEVICE = 1 << 20  # the size of the device pdfium maps a page to, for page-to-image fractions


def _to_reader(page: Any, bounds: Box) -> Callable[[Sequence[float]], Box]:
    """The map of boxes from pdfium's page space to the reader's, through the transform pdfium renders the
    page image with (an affine map, taken from three points)."""
    import pypdfium2.raw as pdfium_c

    def device(x: float, y: float) -> tuple[float, float]:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(page, 0, 0, _DEVICE, _DEVICE, 0, x, y, dx, dy)
        return dx.value / _DEVICE, dy.value / _DEVICE

    (u0, v0), (ux, vx), (uy, vy) = device(0, 0), device(1000, 0), device(0, 1000)
    x0, y0, x1, y1 = bounds
    w, h = x1 - x0, y1 - y0
    a, b, c, d = (ux - u0) * w / 1000, (vx - v0) * -h / 1000, (uy - u0) * w / 1000, (vy - v0) * -h / 1000
    e, f = x0 + u0 * w, y1 - v0 * h

    def reader_box(box: Sequence[float]) -> Box:
        xs = [a * x + c * y + e for x in (box[0], box[2]) for y in (box[1], box[3])]
        ys = [b * x + d * y + f for x in (box[0], box[2]) for y in (box[1], box[3])]
        return (min(xs), min(ys), max(xs), max(ys))

    return reader_box


def _align(a: Sequence[str], b: Sequence[str], window: int = 8) -> Iterator[tuple[int, int]]:
    """Pairs (i, j) with a[i] == b[j], both increasing: the two sequences walked side by side; where they
    differ, the nearest place within `window` characters on either side where they agree again."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            yield i, j
            i, j = i + 1, j + 1
            continue
        skip = next(
            (
                (di, d - di)
                for d in range(1, 2 * window + 1)
                for di in range(max(0, d - window), min(d, window) + 1)
                if i + di < len(a) and j + d - di < len(b) and a[i + di] == b[j + d - di]
            ),
            (1, 1),
        )
        i, j = i + skip[0], j + skip[1]


def _near(glyph: Box, box: tuple[int, float, float, float, float]) -> bool:
    """Whether the centre of pdfium's glyph lies in the reader's box of the character (with a quarter of the
    box's height to spare)."""
    _, x0, y0, x1, y1 = box
    slack = 0.25 * (y1 - y0) + 1.0
    cx, cy = (glyph[0] + glyph[2]) / 2, (glyph[1] + glyph[3]) / 2
    return x0 - slack <= cx <= x1 + slack and y0 - slack <= cy <= y1 + slack


def _unreleased_glyphs(lines: _Lines, order: list[int], shown: set[int], glyphs: list[Glyph]) -> list[Box]:
    """The glyph boxes of the characters pdfium draws on a page that are not proven released. A glyph is
    released only when it is paired, in drawing order, with a character the reader read there, whose pixels
    are released (a released portion's, a header field shown, a page number; not hidden, not masked), and
    pdfium draws it where the reader placed it. Anything else pdfium draws is not released: a withheld,
    masked or hidden character; one the reader never read; one the reader placed elsewhere (a font whose
    metrics move the reader's boxes off the glyphs)."""
    released = [False] * len(glyphs)
    for i, j in _align([lines.text[k] for k in order], [t for t, _ in glyphs]):
        k = order[i]
        released[j] = k in shown and _near(glyphs[j][1], lines.boxes[k])
    return [box for (_, box), ok in zip(glyphs, released, strict=True) if not ok]


def _burn(
    image: Image.Image,
    bounds: tuple[float, float, float, float],
    boxes: list[PageBox],
    keep: list[Box],
    style: str,
    blanks: Sequence[Box] = (),
) -> Image.Image:
    """The page as released: only the pixels of released regions (`keep`) on white, less the `blanks`
    (what pdfium draws there that is not released text), then each withheld and masked region filled with
    the box colour. Ink outside every released region (a word OCR missed, an image of text, a drawing in no
    portion) is never released: it is not positively marked."""
    sx = image.width / (bounds[2] - bounds[0])
    sy = image.height / (bounds[3] - bounds[1])
    out = Image.new("L", image.size, 255)
    for region in keep:
        box = _pixels(region, bounds, sx, sy, grow=False)
        if box[2] > box[0] and box[3] > box[1]:
            out.paste(image.crop(box), box[:2])
    draw = ImageDraw.Draw(out)
    for region in blanks:
        draw.rectangle(_pixels(region, bounds, sx, sy), fill=255)
    fill = 255 if style == "white" else 0
    for b in boxes:
        if b.kind in BURNED:
            draw.rectangle(_pixels(b, bounds, sx, sy), fill=fill)
        elif b.kind == "banner":
            draw.rectangle(_pixels(b, bounds, sx, sy), fill=255)
    return out

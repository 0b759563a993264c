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
an image of text, a drawing or signature outside every portion) never reaches the release.

Inside a line, a masked entity's width is the width of the gap it leaves (the next released word shows
where it ended); on the original pages that cannot be hidden without reflowing the page or withholding
the rest of the line (the typeset release is the answer to that side channel).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
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
    for p in doc.portions:
        if p.id in withheld_ids:
            continue
        for page, box in _portion_boxes(
            lines, lines.chars(p.start, p.end, list(p.breaks) + furniture), furniture_lines, right_edge
        ):
            keep[page].append(_pad(box, 3 * PAD))
    kept_fields = [
        (f.start, f.end)
        for f in doc.fields
        if f.name not in ("banner", "metadata")
        and not (f.name == "page_break" and BANNER_RE.fullmatch(doc.text[f.start : f.end]))
    ]
    for a, b in kept_fields + [(a, b) for a, b in furniture if not BANNER_RE.fullmatch(doc.text[a:b])]:
        for page, box in _line_boxes(lines, lines.chars(a, b)):
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
    # Images on a page whose text was read from its text layer are no text the reader saw, so no marked
    # text: an image of words inside a released paragraph is blanked (a scan's page image is its text,
    # read by OCR, and stays).
    images = {} if getattr(src, "confidence", None) else _image_boxes(data)
    out = []
    for number, bounds in enumerate(src.pages, start=1):
        width, height = bounds[2] - bounds[0], bounds[3] - bounds[1]
        image = render_page(data, number, dpi, src.deskew.get(number, 0.0))
        boxes = per_page.get(number, [])
        image = _burn(image, bounds, boxes, keep.get(number, []), release.settings.box, images.get(number, []))
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


def _image_boxes(data: bytes) -> dict[int, list[Box]]:
    """Where each image object of each page is (pdfium's bounds, page space), nested forms included."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out: dict[int, list[Box]] = {}
    doc = pdfium.PdfDocument(data)
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                out[i + 1] = [tuple(obj.get_bounds()) for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
            finally:
                page.close()
    finally:
        doc.close()
    return out


def _burn(
    image: Image.Image,
    bounds: tuple[float, float, float, float],
    boxes: list[PageBox],
    keep: list[Box],
    style: str,
    images: Sequence[Box] = (),
) -> Image.Image:
    """The page as released: only the pixels of released regions (`keep`) on white, then each withheld
    and masked region filled with the box colour. Ink outside every released region (a word OCR missed,
    an image of text, a drawing in no portion) is never released: it is not positively marked."""
    sx = image.width / (bounds[2] - bounds[0])
    sy = image.height / (bounds[3] - bounds[1])
    out = Image.new("L", image.size, 255)
    for region in keep:
        box = _pixels(region, bounds, sx, sy, grow=False)
        if box[2] > box[0] and box[3] > box[1]:
            out.paste(image.crop(box), box[:2])
    draw = ImageDraw.Draw(out)
    for region in images:
        draw.rectangle(_pixels(region, bounds, sx, sy), fill=255)
    fill = 255 if style == "white" else 0
    for b in boxes:
        if b.kind in BURNED:
            draw.rectangle(_pixels(b, bounds, sx, sy), fill=fill)
        elif b.kind == "banner":
            draw.rectangle(_pixels(b, bounds, sx, sy), fill=255)
    return out

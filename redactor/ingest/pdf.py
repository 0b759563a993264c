"""PDF uploads: the text layer in reading order, with every character accounted for.

Built on pdfminer.six's interpreter with a device of our own (measured against pdfplumber on the corpus
cables printed to PDF: same marks, 2.5 times faster, and the device sees the text render mode, colours and
clipping that pdfplumber's `chars` do not expose). Layout is ours too: glyphs -> rows (shared baseline)
-> segments (split at wide gaps) -> blocks read column by column where a gutter runs down the page ->
lines, with a blank line where the vertical gap between lines is wider than the page's line pitch and
between pages.

Hidden characters (render mode 3 or 7, white or background-coloured, under a filled shape drawn later,
clipped, off the page, tiny) stay in the text where they stand, are listed in `SourceText.hidden` and
counted in `notes`: they are content the author had, and downstream treats them like their portion.
Annotations, form fields, attachments, bookmarks, metadata and scripts are counted in `notes` (never
quoted); with the option `include_annotations` their text is appended as an unmarked block at the end.

Source offsets (`SourceText.anchors`) are `page * 1_000_000 + i`, pages numbered from 1 and `i` the
index of the character on its page in content-stream order; the appended block uses page `pages + 1`.
"""

from __future__ import annotations

import logging
import re
import statistics
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import pdfminer.pdftypes
from pdfminer.layout import LTChar
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFNoOutlines
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import apply_matrix_pt, decode_text

from redactor.errors import InputError, RedactorError, TooLarge
from redactor.ingest.limits import Deadline, check_size, resolve
from redactor.ingest.source import SourceText, TextBuilder

# pdfminer's warnings can quote fragments of the document; nothing of a document may reach the logs.
logging.getLogger("pdfminer").setLevel(logging.CRITICAL)

PAGE = 1_000_000
INVISIBLE = "invisible text (render mode {})"
WHITE = "white text"
BACKGROUND = "background-coloured text"
COVERED = "text under a filled shape"
CLIPPED = "clipped text"
OFF_PAGE = "off-page text"
TINY = "tiny text"


# --- bounded inflation -------------------------------------------------------------------------------

@dataclass
class _Budget:
    remaining: int
    exceeded: bool = False

    def spend(self, n: int) -> None:
        self.remaining -= n
        if self.remaining < 0:
            self.exceeded = True
            raise TooLarge("the PDF unpacks to more than the limit (a compression bomb?)")


_budget: ContextVar[_Budget | None] = ContextVar("redactor_pdf_budget", default=None)


class _BoundedInflater:
    def __init__(self, budget: _Budget) -> None:
        self._d = zlib.decompressobj()
        self._budget = budget

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._d.decompress(data, max(self._budget.remaining, 0) + 1)
        self._budget.spend(len(out))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._d, name)


class _BoundedZlib:
    """Stands in for `zlib` inside pdfminer.pdftypes: while a document is being read, every stream pdfminer
    inflates counts against that document's budget (pdfminer itself inflates without any bound)."""

    error = zlib.error

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def decompress(data: bytes, *args: Any) -> bytes:
        budget = _budget.get()
        if budget is None:
            return zlib.decompress(data, *args)
        d = _BoundedInflater(budget)
        out = d.decompress(data)
        if not d.eof:
            raise zlib.error("incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args: Any) -> Any:
        budget = _budget.get()
        return zlib.decompressobj(*args) if budget is None else _BoundedInflater(budget)


pdfminer.pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]


# --- the device: glyphs and filled shapes, with render mode, colour and clip -----------------------------

Rect = tuple[float, float, float, float]


@dataclass(slots=True)
class Glyph:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    index: int
    seq: int
    render: int
    colour: tuple[float, float, float] | None
    clip: Rect | None
    why: str | None = None

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class Fill:
    box: Rect
    colour: tuple[float, float, float] | None
    seq: int


def _rgb(value: object) -> tuple[float, float, float] | None:
    """A colour as RGB in 0..1 from gray, RGB or CMYK components; None when it cannot be told."""
    if isinstance(value, int | float):
        comps: tuple = (value,)
    elif isinstance(value, tuple | list):
        comps = tuple(value)
    else:
        return None
    if not all(isinstance(v, int | float) for v in comps):
        return None
    if len(comps) == 1:
        g = float(comps[0])
        return (g, g, g)
    if len(comps) == 3:
        return (float(comps[0]), float(comps[1]), float(comps[2]))
    if len(comps) == 4:
        c, m, y, k = (float(v) for v in comps)
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _known_space(cs: object) -> bool:
    return getattr(cs, "name", "") in ("DeviceGray", "DeviceRGB", "DeviceCMYK", "CalGray", "CalRGB",
                                       "ICCBased", "Lab")


def _bbox(points: list[tuple[float, float]]) -> Rect:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _intersect(a: Rect | None, b: Rect) -> Rect:
    if a is None:
        return b
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _inside(x: float, y: float, r: Rect, tol: float = 0.5) -> bool:
    return r[0] - tol <= x <= r[2] + tol and r[1] - tol <= y <= r[3] + tol


class _Device(PDFTextDevice):
    def __init__(self, rsrcmgr: PDFResourceManager, deadline: Deadline) -> None:
        super().__init__(rsrcmgr)
        self.deadline = deadline
        self.reset()

    def reset(self) -> None:
        self.glyphs: list[Glyph] = []
        self.fills: list[Fill] = []
        self.images = 0
        self.undefined = 0
        self.clip: Rect | None = None
        self.clip_stack: list[Rect | None] = []
        self.render = 0
        self.seq = 0
        self.page_ctm: Any = (1, 0, 0, 1, 0, 0)

    def begin_page(self, page: PDFPage, ctm: Any) -> None:
        self.page_ctm = ctm

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self.render = textstate.render
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
                    ncs: Any, graphicstate: Any) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            self.undefined += 1
            text = "\ufffd"
        item = LTChar(matrix, font, fontsize, scaling, rise, text, font.char_width(cid), font.char_disp(cid),
                      ncs, graphicstate)
        self.seq += 1
        if self.seq % 512 == 0:
            self.deadline.check()
        stroke_only = self.render in (1, 5)
        cs = graphicstate.scs if stroke_only else ncs
        value = graphicstate.scolor if stroke_only else graphicstate.ncolor
        colour = _rgb(value) if _known_space(cs) else None
        self.glyphs.append(Glyph(text, item.x0, item.y0, item.x1, item.y1, item.size, len(self.glyphs),
                                 self.seq, self.render, colour, self.clip))
        return item.adv

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        self.seq += 1
        if not fill:
            return
        points = [apply_matrix_pt(self.ctm, (seg[i], seg[i + 1]))
                  for seg in path for i in range(1, len(seg) - 1, 2)]
        if not points:
            return
        box = _intersect(self.clip, _bbox(points)) if self.clip else _bbox(points)
        if box[2] - box[0] >= 1 and box[3] - box[1] >= 1:
            colour = _rgb(gstate.ncolor) if _known_space(gstate.ncs) else None
            self.fills.append(Fill(box, colour, self.seq))

    def render_image(self, name: str, stream: Any) -> None:
        self.images += 1


class _Interpreter(PDFPageInterpreter):
    """Tracks the clipping rectangle (pdfminer ignores clipping) on the shared device."""

    device: _Device

    def do_q(self) -> None:
        self.device.clip_stack.append(self.device.clip)
        super().do_q()

    def do_Q(self) -> None:
        if self.device.clip_stack:
            self.device.clip = self.device.clip_stack.pop()
        super().do_Q()

    def do_W(self) -> None:
        points = [apply_matrix_pt(self.ctm, (seg[i], seg[i + 1]))
                  for seg in self.curpath for i in range(1, len(seg) - 1, 2)]
        if points:
            self.device.clip = _intersect(self.device.clip, _bbox(points))

    do_W_a = do_W

    def do_Do(self, xobjid_arg: Any) -> None:
        # A form XObject runs in a saved graphics state clipped to its BBox.
        saved, depth = self.device.clip, len(self.device.clip_stack)
        try:
            xobj = resolve1(self.xobjmap.get(getattr(xobjid_arg, "name", xobjid_arg)))
            attrs = getattr(xobj, "attrs", {})
            if "BBox" in attrs:
                x0, y0, x1, y1 = (float(v) for v in resolve1(attrs["BBox"]))
                m = resolve1(attrs.get("Matrix")) or (1, 0, 0, 1, 0, 0)
                from pdfminer.utils import mult_matrix
                ctm = mult_matrix(tuple(m), self.ctm)
                corners = [apply_matrix_pt(ctm, p) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
                self.device.clip = _intersect(self.device.clip, _bbox(corners))
        except (TypeError, ValueError, KeyError, AttributeError):
            pass
        super().do_Do(xobjid_arg)
        self.device.clip = saved
        del self.device.clip_stack[depth:]


# --- classification --------------------------------------------------------------------------------

def _close(a: tuple[float, float, float], b: tuple[float, float, float]) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) < 0.08


def classify(glyphs: list[Glyph], fills: list[Fill], page: Rect) -> None:
    """Set `why` on each glyph a reader of the page would not see."""
    for g in glyphs:
        if not g.text.strip():
            continue
        x, y = g.cx, g.cy
        if g.render in (3, 7):
            g.why = INVISIBLE.format(g.render)
        elif not _inside(x, y, page):
            g.why = OFF_PAGE
        elif g.clip is not None and not _inside(x, y, g.clip):
            g.why = CLIPPED
        elif g.size < 1.0:
            g.why = TINY
        else:
            under = [f for f in fills if _inside(x, y, f.box, 0)]
            if any(f.seq > g.seq for f in under):
                g.why = COVERED
            elif g.colour is not None:
                behind = [f for f in under if f.seq < g.seq]
                background = behind[-1].colour if behind else (1.0, 1.0, 1.0)
                if background is not None and _close(g.colour, background):
                    g.why = WHITE if min(background) > 0.92 else BACKGROUND


# --- layout ----------------------------------------------------------------------------------------

@dataclass
class Segment:
    glyphs: list[Glyph]

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)


@dataclass
class Row:
    y: float
    size: float
    segments: list[Segment] = field(default_factory=list)


def _rows(glyphs: list[Glyph]) -> list[Row]:
    """Glyphs grouped by baseline, top to bottom, each row split into segments at wide gaps."""
    visible = [g for g in glyphs if g.text.strip()] or glyphs
    size = statistics.median(g.size for g in visible) if visible else 10.0
    rows: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (-round(g.cy, 1), g.index)):
        if rows and abs(rows[-1][0].cy - g.cy) < 0.5 * max(min(rows[-1][0].size, g.size), 1.0):
            rows[-1].append(g)
        else:
            rows.append([g])
    out = []
    for row in rows:
        # Keep runs drawn in one go together, so overprinted text is not interleaved letter by letter.
        runs: list[list[Glyph]] = []
        for g in sorted(row, key=lambda g: g.index):
            prev = runs[-1][-1] if runs else None
            if prev and g.index == prev.index + 1 and g.x0 >= prev.x0 - 0.5 and g.x0 - prev.x1 < 1.5 * size:
                runs[-1].append(g)
            else:
                runs.append([g])
        runs.sort(key=lambda r: r[0].x0)
        segments: list[Segment] = []
        for run in runs:
            if segments and run[0].x0 - segments[-1].x1 < 1.5 * size:
                segments[-1].glyphs.extend(run)
            else:
                segments.append(Segment(list(run)))
        row_size = statistics.median(g.size for g in row)
        out.append(Row(statistics.median(g.y0 for g in row), row_size, segments))
    return out


def _column_run(rows: list[Row], i: int, size: float) -> tuple[int, float] | None:
    """If rows[i:] start with at least three rows split by one gutter between two columns of prose, the
    end of that run and the gutter's x."""
    head = rows[i:i + 3]
    if len(head) < 3:
        return None
    segs = [s for r in head for s in r.segments]
    for edge in sorted({s.x1 for s in segs}):
        left = [s for s in segs if s.x1 <= edge]
        right = [s for s in segs if s.x0 > edge]
        if not left or not right or len(left) + len(right) != len(segs):
            continue
        gap = min(s.x0 for s in right) - edge
        if gap < 1.5 * size:
            continue
        gutter = edge + gap / 2
        j = i + 3
        # The run ends at a row crossing the gutter or after a wide vertical gap (a footer below the columns).
        while (j < len(rows) and rows[j - 1].y - rows[j].y < 4 * size
               and all(s.x1 <= gutter or s.x0 >= gutter for s in rows[j].segments)):
            j += 1
        run = [s for r in rows[i:j] for s in r.segments]
        sides = ([s for s in run if s.x1 <= gutter], [s for s in run if s.x0 >= gutter])
        if all(side and _prose(side, size) for side in sides):
            return j, gutter
        return None
    return None


def _prose(segs: list[Segment], size: float) -> bool:
    """Whether segments look like lines of running text: a wide column mostly filled (not a form's labels)."""
    extent = max(s.x1 for s in segs) - min(s.x0 for s in segs)
    widths = sorted(s.x1 - s.x0 for s in segs)
    return extent >= 12 * size and widths[len(widths) // 2] >= 0.5 * extent


def _read_order(rows: list[Row], size: float, depth: int = 0) -> list[list[Row]]:
    """Rows grouped into blocks in reading order: a run of rows sharing a column gutter is read left column
    first (recursively, for three or more columns); other rows flow top to bottom."""
    blocks: list[list[Row]] = []
    flowing = False
    i = 0
    while i < len(rows):
        found = _column_run(rows, i, size) if depth < 4 and len(rows[i].segments) > 1 else None
        if found:
            j, gutter = found
            left = [Row(r.y, r.size, [s for s in r.segments if s.x1 <= gutter]) for r in rows[i:j]]
            right = [Row(r.y, r.size, [s for s in r.segments if s.x0 >= gutter]) for r in rows[i:j]]
            for side in (left, right):
                blocks.extend(_read_order([r for r in side if r.segments], size, depth + 1))
            flowing = False
            i = j
            continue
        if flowing:
            blocks[-1].append(rows[i])
        else:
            blocks.append([rows[i]])
            flowing = True
        i += 1
    return blocks


class _Writer:
    """Writes glyphs into the TextBuilder, remembering hidden spans and the source offset of each run."""

    def __init__(self) -> None:
        self.b = TextBuilder()
        self.hidden: list[tuple[int, int, str]] = []
        self._pending = ""
        self._next_src = -1
        # Page geometry for releases on the original pages (see SourceText.boxes, pages, furniture).
        self.boxes: list[tuple[int, float, float, float, float] | None] = []
        self.pages: list[Rect] = []
        self.furniture: list[tuple[int, int]] = []
        self.banner_seen = False    # a banner was read: later banners at a page's edge are furniture

    def padded_boxes(self) -> list[tuple[int, float, float, float, float] | None]:
        self.boxes.extend([None] * (self.b.length - len(self.boxes)))
        return self.boxes

    def _add(self, piece: str, src: int) -> None:
        # One anchor per run of consecutive characters, not one per character.
        if src == self._next_src and self.b.parts:
            self.b.parts[-1] += piece
            self.b.length += len(piece)
        else:
            self.b.add(piece, src)
        self._next_src = src + 1

    def newline(self, blank: bool = False) -> None:
        if self.b.length or self._pending:
            self._pending = "\n\n" if blank or self._pending == "\n\n" else "\n"

    def _flush(self, src: int) -> None:
        if self._pending:
            self.b.add(self._pending, src)
            self._pending = ""
            self._next_src = -1

    def glyph(self, g: Glyph, page: int, space_before: bool) -> None:
        src = page * PAGE + g.index
        self._flush(src)
        if space_before:
            self.b.add(" ", src)
            self._next_src = -1
        start = self.b.length
        self.padded_boxes()
        self._add(g.text.replace("\n", " "), src)
        self.boxes.extend([(page, g.x0, g.y0, g.x1, g.y1)] * (self.b.length - start))
        if g.why:
            last = self.hidden[-1] if self.hidden else None
            if last and last[2] == g.why and start - last[1] <= 1:
                self.hidden[-1] = (last[0], self.b.length, g.why)
            else:
                self.hidden.append((start, self.b.length, g.why))

    def block(self, text: str, src: int, why: str) -> None:
        self._flush(src)
        start = self.b.length
        self.b.add(text, src)
        self.hidden.append((start, self.b.length, why))


def _write_row(w: _Writer, row: Row, page: int) -> None:
    prev: Glyph | None = None
    for k, seg in enumerate(row.segments):
        for n, g in enumerate(seg.glyphs):
            if not g.text.strip():
                if prev is not None and prev.text.strip():
                    w.glyph(g, page, False)
                    prev = g
                continue
            gap = g.x0 - prev.x1 if prev is not None else 0.0
            jump = (n == 0 and k > 0) or gap > 0.2 * max(g.size, 1.0) or gap < -0.5 * max(g.size, 1.0)
            w.glyph(g, page, prev is not None and prev.text.strip() != "" and jump)
            prev = g


def _pitch(blocks: list[list[Row]], size: float) -> float:
    pitches = sorted(a.y - b.y for rows in blocks for a, b in zip(rows, rows[1:], strict=False)
                     if a.y - b.y > 0)
    if len(pitches) >= 4 and pitches[len(pitches) // 4] <= 2.2 * size:
        return pitches[len(pitches) // 4]
    return 1.2 * size


# Page furniture: a classification banner or a page number alone on a row near the top or bottom edge.
FURNITURE_BAND = 0.12   # of the page height, from each edge
BANNER_LINE_RE = re.compile(
    r"(?:TOP[ \t]+SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|RESTRICTED|CUI|LIMITED OFFICIAL USE)"
    r"(?:[ \t]*//[ \t]*[A-Z0-9][A-Z0-9 ,/-]*)?")
PAGE_NUMBER_RE = re.compile(r"(?:page[ \t]+)?\d{1,4}(?:[ \t]+(?:of|/)[ \t]+\d{1,4})?|-[ \t]*\d{1,4}[ \t]*-",
                            re.IGNORECASE)


def _row_text(row: Row) -> str:
    return " ".join("".join(g.text for g in s.glyphs).strip() for s in row.segments).strip()


def _furniture(row: Row, bounds: Rect | None, document_banner_seen: bool) -> str | None:
    """"banner" or "page number" when the row is page furniture; None for content. The first banner at
    the top of the document is its banner (content the segmenter reads), not furniture."""
    if bounds is None:
        return None
    band = FURNITURE_BAND * (bounds[3] - bounds[1])
    top, bottom = row.y > bounds[3] - band, row.y < bounds[1] + band
    if not (top or bottom):
        return None
    text = _row_text(row)
    if PAGE_NUMBER_RE.fullmatch(text):
        return "page number"
    if BANNER_LINE_RE.fullmatch(text) and (document_banner_seen or bottom):
        return "banner"
    return None


CELL_MARK_RE = re.compile(r"\((?:TS|S|C|U|R|CUI|FOUO|SBU|[A-Z]{1,4})(?://[A-Z0-9 ,/-]{1,40})?\)")


def _marked_cells(row: Row) -> bool:
    texts = ["".join(g.text for g in s.glyphs).strip() for s in row.segments]
    return len(texts) > 1 and all(CELL_MARK_RE.match(t) for t in texts)


def write_page(w: _Writer, glyphs: list[Glyph], page: int, bounds: Rect | None = None) -> None:
    if bounds is not None:
        w.pages.append(bounds)
    if not glyphs:
        return
    rows = _rows(glyphs)
    visible = [g.size for g in glyphs if g.text.strip()]
    size = statistics.median(visible) if visible else 10.0
    blocks = _read_order(rows, size)
    pitch = _pitch(blocks, size)
    w.newline(blank=True)
    for rows_ in blocks:
        w.newline(blank=True)
        for prev, row in zip([None, *rows_], rows_, strict=False):
            kind = _furniture(row, bounds, w.banner_seen)
            w.banner_seen = w.banner_seen or bool(BANNER_LINE_RE.fullmatch(_row_text(row)))
            if prev is not None:
                w.newline(blank=prev.y - row.y > 1.4 * pitch or kind is not None)
            start = w.b.length + len(w._pending)
            if _marked_cells(row):
                # A table row whose cells carry their own marks: each cell is a paragraph of its own.
                for seg in row.segments:
                    w.newline(blank=True)
                    _write_row(w, Row(row.y, row.size, [seg]), page)
                w.newline(blank=True)
            else:
                _write_row(w, row, page)
            if kind is not None:
                w.furniture.append((start, w.b.length))
                w.newline(blank=True)
    w.banner_seen = True


# --- document-level extras ------------------------------------------------------------------------

def _string(value: object) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, PSLiteral):
        return str(value.name)
    return ""


def _name(value: object) -> str:
    value = resolve1(value)
    return str(value.name) if isinstance(value, PSLiteral) else str(value or "")


def _walk(node: object, kids: str, seen: set[int], depth: int = 0) -> Iterator[dict]:
    """Dictionaries of a tree (form fields, name trees), guarding against cycles."""
    node = resolve1(node)
    if depth > 32 or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, kids, seen, depth + 1)
    elif isinstance(node, dict):
        yield node
        if kids in node:
            yield from _walk(node[kids], kids, seen, depth + 1)


@dataclass
class Extras:
    annotations: dict[str, int] = field(default_factory=dict)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (why, text) for include_annotations

    def annotate(self, page: PDFPage) -> None:
        for annot in _walk(page.annots, "", set()):
            kind = _name(annot.get("Subtype")) or "unknown"
            self.annotations[kind] = self.annotations.get(kind, 0) + 1
            text = _string(annot.get("Contents"))
            if text.strip() and kind != "Widget":
                self.texts.append(("annotation text", text))


def _extras_notes(doc: PDFDocument, data: bytes, extras: Extras) -> list[str]:
    notes: list[str] = []
    cat = doc.catalog
    if extras.annotations:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(extras.annotations.items()))
        notes.append(f"annotations: {sum(extras.annotations.values())} ({kinds}); "
                     "their text is not in the text")
    form = resolve1(cat.get("AcroForm"))
    if isinstance(form, dict):
        fields = [f for f in _walk(form.get("Fields"), "Kids", set()) if "Kids" not in f]
        values = [_string(f.get("V")) for f in fields]
        filled = [v for v in values if v.strip()]
        extras.texts.extend(("form field value", v) for v in filled)
        notes.append(f"form fields: {len(fields)} ({len(filled)} filled in); "
                     "their values are not in the text")
        if "XFA" in form:
            notes.append("XFA form data present; it is not read")
    names = resolve1(cat.get("Names"))
    if isinstance(names, dict) and "EmbeddedFiles" in names:
        files = sum(len(resolve1(n.get("Names")) or []) // 2
                    for n in _walk(names["EmbeddedFiles"], "Kids", set()))
        if files:
            notes.append(f"attachments: {files}; they are not read")
    if (isinstance(names, dict) and "JavaScript" in names) or "OpenAction" in cat or "AA" in cat:
        notes.append("scripts or automatic actions present; they are not run")
    try:
        titles = [_string(title) for _level, title, *_ in doc.get_outlines()]
    except (PDFNoOutlines, RecursionError, KeyError, TypeError, ValueError, AttributeError):
        titles = []
    if titles:
        notes.append(f"bookmarks: {len(titles)}; their titles are not in the text")
        extras.texts.extend(("bookmark title", t) for t in titles if t.strip())
    info_keys: list[str] = []
    for info in doc.info:
        for key, value in info.items():
            text = _string(value)
            if text.strip():
                info_keys.append(str(key))
                if key not in ("Producer", "Creator", "CreationDate", "ModDate", "Trapped"):
                    extras.texts.append(("document metadata", text))
    kinds = []
    if info_keys:
        kinds.append(f"Info ({', '.join(sorted(set(info_keys)))})")
    if "Metadata" in cat:
        kinds.append("XMP")
    if kinds:
        notes.append(f"document metadata: {'; '.join(kinds)}; not in the text")
    revisions = data.count(b"%%EOF")
    if revisions > 1:
        notes.append(f"{revisions} revisions (incremental updates): only the last one is read; earlier ones "
                     "may hold other text")
    return notes


# --- OCR -------------------------------------------------------------------------------------------

def ocr_available() -> bool:
    from redactor.ingest import ocr
    return ocr.available()


def _ocr(data: bytes, pages: int, limits: dict[str, Any], deadline: Deadline) -> SourceText:
    """Text of a scanned PDF by Tesseract (redactor.ingest.ocr), with boxes and confidences."""
    from redactor.ingest import ocr
    return ocr.read(data, pages, limits, deadline)


# --- the reader ------------------------------------------------------------------------------------

def read(data: bytes, *, limits: dict | None = None) -> SourceText:
    """Read a PDF upload. Raises InputError (422) for an encrypted, corrupt or scanned PDF and TooLarge (413)
    when it passes a limit (pages, unpacked size, time)."""
    opts = resolve(limits)
    check_size(data, opts)
    deadline = Deadline(float(opts["max_seconds"]))
    token = _budget.set(_Budget(int(opts["max_decompressed"])))
    try:
        return _read(data, opts, deadline)
    except RedactorError:
        raise
    except PDFEncryptionError:
        raise InputError("encrypted PDF: remove the password first") from None
    except (MemoryError, RecursionError):
        raise TooLarge("the PDF is too complex to read") from None
    except Exception:  # noqa: BLE001 - any parser failure on untrusted bytes is a bad file, not a crash
        raise InputError("the PDF is corrupt or truncated and cannot be read") from None
    finally:
        _budget.reset(token)


def _page_count(doc: PDFDocument) -> int | None:
    try:
        count = resolve1(resolve1(doc.catalog["Pages"]).get("Count"))
        return int(count) if isinstance(count, int) else None
    except (KeyError, TypeError, AttributeError, ValueError):
        return None


def _read(data: bytes, opts: dict[str, Any], deadline: Deadline) -> SourceText:
    if b"%%EOF" not in data[-4096:]:
        # pdfminer would read what it can of a cut-off file; a release built from part of it is not wanted.
        raise InputError("the PDF is truncated (it has no end-of-file marker): upload the whole file")
    parser = PDFParser(BytesIO(data))
    doc = PDFDocument(parser, password="")
    max_pages = int(opts["max_pages"])
    declared = _page_count(doc)
    if declared is not None and declared > max_pages:
        raise TooLarge(f"the PDF has {declared} pages; the limit is {max_pages}")
    rsrc = PDFResourceManager(caching=True)
    device = _Device(rsrc, deadline)
    interp = _Interpreter(rsrc, device)
    w = _Writer()
    extras = Extras()
    pages = 0
    no_text: list[int] = []
    counts: dict[str, int] = {}
    undefined = 0
    for page in PDFPage.create_pages(doc):
        pages += 1
        if pages > max_pages:
            raise TooLarge(f"the PDF has more than {max_pages} pages")
        deadline.check(f"page {pages}")
        device.reset()
        interp.process_page(page)
        budget = _budget.get()
        if budget is not None and budget.exceeded:
            raise TooLarge("the PDF unpacks to more than the limit (a compression bomb?)")
        extras.annotate(page)
        x0, y0, x1, y1 = _intersect(tuple(page.mediabox), tuple(page.cropbox))
        corners = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        bounds = _bbox([apply_matrix_pt(device.page_ctm, p) for p in corners])
        classify(device.glyphs, device.fills, bounds)
        undefined += device.undefined
        if not any(g.text.strip() for g in device.glyphs):
            no_text.append(pages)
        for g in device.glyphs:
            if g.why:
                counts[g.why] = counts.get(g.why, 0) + 1
        write_page(w, device.glyphs, pages, bounds)
    if pages == 0:
        raise InputError("the PDF has no pages")
    if len(no_text) == pages:
        if opts["ocr"]:
            if not ocr_available():
                raise InputError("the PDF has no text layer (scanned) and OCR is not installed here "
                                 "(Tesseract)")
            return _ocr(data, pages, opts, deadline)
        raise InputError("the PDF has no text layer (scanned pages); OCR is needed: run it through OCR "
                         "first" + (", or ask for OCR (option ocr)" if ocr_available() else ""))
    notes = [f"PDF, {pages} page(s); source offsets are page * 1000000 + character index on the page"]
    if no_text:
        notes.append(f"pages without a text layer (not read; OCR needed): {_ranges(no_text)}")
    if undefined:
        notes.append(f"{undefined} character(s) without a Unicode mapping, shown as U+FFFD")
    spans = w.hidden
    if spans:
        kinds = sorted({why for _, _, why in spans})
        notes.append(f"hidden text present: {len(spans)} span(s) ({', '.join(kinds)}); "
                     "kept in the text in place")
    notes.extend(_extras_notes(doc, data, extras))
    if opts["include_annotations"] and extras.texts:
        w.newline(blank=True)
        for k, (why, text) in enumerate(extras.texts):
            if k:
                w.newline(blank=True)
            w.block(" ".join(text.split()), (pages + 1) * PAGE + k, why)
        notes.append(f"annotation, form, bookmark and metadata text appended at the end: {len(extras.texts)} "
                     "item(s), unmarked")
    text = w.b.text()
    return SourceText(text, "pdf", w.b.anchors or [(0, 0)], metadata={"pages": str(pages)},
                      hidden=[s for s in spans if s[0] < len(text)], notes=notes,
                      boxes=w.padded_boxes()[:len(text)], pages=w.pages, furniture=w.furniture)


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and re.fullmatch(rf"(\d+-)?{n - 1}", out[-1]):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)

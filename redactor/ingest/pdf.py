"""PDF uploads: the text layer in reading order, with every character accounted for.

Built on pdfminer.six's interpreter with a device of our own (measured against pdfplumber on the corpus
cables printed to PDF: same marks, 2.5 times faster, and the device sees the text render mode, colours and
clipping that pdfplumber's `chars` do not expose). Layout is ours too: glyphs -> rows (shared baseline)
-> segments (split at wide gaps) -> blocks read column by column where a gutter runs down the page ->
lines, with a blank line where the vertical gap between lines is wider than the page's line pitch and
between pages.

Hidden characters stay in the text where they stand, are listed in `SourceText.hidden` with a standard
reason and counted in `notes`: render mode 3 or 7; white, near-white or background-coloured (contrast against
what is behind them, spot colours as ink); under a filled shape, a wide stroke, a shading or an image drawn
later; clipped; off the page; tiny (a 1-pt font); squeezed (Tz 1%); transparent (ExtGState ca/CA, a soft
mask); in a switched-off optional-content layer; under a /Redact annotation or a shown, opaque one. The
engine reads marks from the text without them (redactor.ingest.visible) and withholds their portion.
Every decoder, the parser and the page tree are bounded (see the limits below and README's Limits).
Annotations, form fields, attachments, bookmarks, metadata and scripts are counted in `notes` (never
quoted); with the option `include_annotations` their text is appended as an unmarked block at the end.

Source offsets (`SourceText.anchors`) are `page * 1_000_000 + i`, pages numbered from 1 and `i` the
index of the character on its page in content-stream order; the appended block uses page `pages + 1`.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
import statistics
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import pdfminer.pdfinterp
import pdfminer.pdftypes
import pdfminer.psparser
from pdfminer.encodingdb import name2unicode
from pdfminer.layout import LTChar
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFNoOutlines
from pdfminer.pdffont import PDFSimpleFont, PDFType3Font, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import Matrix, apply_matrix_pt, decode_text

from redactor.errors import InputError, OverLimit, RedactorError
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
SQUEEZED = "squeezed text (horizontal scale)"
TRANSPARENT = "transparent text"
LAYER_OFF = "text in a switched-off layer (optional content)"
UNDER_IMAGE = "text under an image"
UNDER_REDACTION = "text under a redaction annotation"
UNDER_ANNOTATION = "text under an opaque annotation"
BLANK_GLYPH = "blank glyphs (a Type 3 font that paints nothing)"
OVERPRINTED = "overprinted text (other letters drawn over it)"
MISMAPPED = "text whose extracted letters are not the glyphs drawn (ToUnicode differs from the glyph names)"
UNREADABLE = "text in a font whose letters cannot be read (glyph names that name no letter, and no ToUnicode)"
# Reasons of content the reader appends (option include_annotations): not hidden on the page, only elsewhere.
APPENDED = frozenset({"annotation text", "form field value", "bookmark title", "document metadata"})

# What a page may hold before it is refused as too complex (hostile files, not documents people write).
MAX_GLYPHS_PER_PAGE = 200_000
MAX_PAINTS_PER_PAGE = 50_000
MAX_TOKEN = 2 * 1024 * 1024  # one token (a string, a number, a name) of a content stream or an object
MAX_INLINE_IMAGE = 4 * 1024 * 1024
MAX_PREDICTED = 16 * 1024 * 1024  # bytes run through a PNG/TIFF predictor (pure Python, slow)
MAX_SAVED_STATES = 4096  # q without Q, BMC without EMC
MAX_REF_CHAIN = 32  # `1 0 obj 2 0 R endobj`, `2 0 obj 1 0 R endobj`


# --- bounded inflation -------------------------------------------------------------------------------


@dataclass
class _Budget:
    remaining: int
    exceeded: bool = False

    def spend(self, n: int) -> None:
        self.remaining -= n
        if self.remaining < 0:
            self.exceeded = True
            raise OverLimit("the PDF unpacks to more than the limit (a compression bomb?)")


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


# Every other filter pdfminer decodes is bounded too, and so is the time: pdfminer's own LZW decoder lets its
# table grow past 4096 entries (quadratic: a 120 KB stream took 114 s) and RunLength, ASCIIHex and ASCII85
# inflate without a bound (RunLength up to 64 times: a 6 MB file grew a worker to 3.7 GB).

_deadline: ContextVar[Deadline | None] = ContextVar("redactor_pdf_deadline", default=None)


def _tick() -> None:
    deadline = _deadline.get()
    if deadline is not None:
        deadline.check()


def _spend(n: int) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.spend(n)


def _room() -> int:
    budget = _budget.get()
    return max(budget.remaining, 0) if budget is not None else 1 << 62


def lzw_decode(data: bytes) -> bytes:
    """LZW (EarlyChange 1), bounded by the document's unpacked budget; the table stops at 4096 entries."""
    room = _room()
    out = bytearray()
    table: list[bytes] = [bytes((i,)) for i in range(256)] + [b"", b""]
    prev = b""
    width, bits, nbits = 9, 0, 0
    for k, byte in enumerate(data):
        bits = (bits << 8) | byte
        nbits += 8
        while nbits >= width:
            nbits -= width
            code = (bits >> nbits) & ((1 << width) - 1)
            bits &= (1 << nbits) - 1
            if code == 256:
                del table[258:]
                width, prev = 9, b""
                continue
            if code == 257:
                _spend(len(out))
                return bytes(out)
            if code < len(table) and code != 256 and code != 257:
                entry = table[code]
                if prev and len(table) < 4096:
                    table.append(prev + entry[:1])
            elif code == len(table) and prev:
                entry = prev + prev[:1]
                if len(table) < 4096:
                    table.append(entry)
            else:
                _spend(len(out))
                return bytes(out)  # corrupt data: stop there, as pdfminer does
            out += entry
            prev = entry
            if len(table) + 1 >= 1 << width and width < 12:
                width += 1
            if len(out) > room:
                _spend(len(out))
        if not k & 0xFFFF:
            _tick()
    _spend(len(out))
    return bytes(out)


def runlength_decode(data: bytes) -> bytes:
    """RunLength, bounded by the document's unpacked budget: the size it unpacks to is counted first (it can
    grow 64 times), so a bomb is refused before any of it is allocated."""
    room = _room()
    size, i, n, steps = 0, 0, len(data), 0
    while i < n:
        b = data[i]
        if b == 128:
            break
        size += b + 1 if b < 128 else 257 - b
        i += b + 2 if b < 128 else 2
        steps += 1
        if size > room:
            _spend(size)
        if not steps & 0xFFFF:
            _tick()
    out = bytearray()
    i = 0
    while i < n:
        b = data[i]
        if b == 128:
            break
        if b < 128:
            out += data[i + 1 : i + 2 + b]
            i += b + 2
        else:
            out += data[i + 1 : i + 2] * (257 - b)
            i += 2
    _spend(len(out))
    return bytes(out)


def ascii85_decode(data: bytes) -> bytes:
    """ASCII85 (each `z` four zero bytes), its size checked against the budget before it is decoded."""
    _tick()
    core = data.strip()
    if core.startswith(b"<~"):
        core = core[2:]
    end = core.find(b"~>")
    core = core[:end] if end >= 0 else core
    core = re.sub(rb"\s+", b"", core)
    zs = core.count(b"z")
    if 4 * zs + (len(core) - zs) * 4 // 5 > _room():
        _spend(4 * zs + (len(core) - zs) * 4 // 5)
    try:
        out = base64.a85decode(core)
    except ValueError:
        out = _pdfminer_a85(data)
    _spend(len(out))
    return out


def _counted(decode: Any) -> Any:
    def bounded(data: bytes) -> bytes:
        _tick()
        out = decode(data)  # ASCIIHex halves its input
        _spend(len(out))
        return out

    return bounded


def _predicted(apply: Any) -> Any:
    def bounded(*args: Any) -> bytes:
        data = args[3]
        if len(data) > MAX_PREDICTED and _budget.get() is not None:
            raise OverLimit("the PDF has a predicted stream too large to read (a decoder bomb?)")
        _tick()
        return apply(*args)

    return bounded


pdfminer.pdftypes.lzwdecode = lzw_decode
pdfminer.pdftypes.rldecode = runlength_decode
pdfminer.pdftypes.asciihexdecode = _counted(pdfminer.pdftypes.asciihexdecode)
_pdfminer_a85 = pdfminer.pdftypes.ascii85decode
pdfminer.pdftypes.ascii85decode = ascii85_decode
pdfminer.pdftypes.apply_png_predictor = _predicted(pdfminer.pdftypes.apply_png_predictor)
pdfminer.pdftypes.apply_tiff_predictor = _predicted(pdfminer.pdftypes.apply_tiff_predictor)


# The reading budget is checked while anything is parsed (every 4 KB buffer of a content stream or of the
# file): a content stream of 200 MB of zeros is one token that pdfminer builds by concatenation.
def _bounded_fillbuf(fill: Any) -> Any:
    def fillbuf(self: Any) -> Any:
        if self.charpos >= len(self.buf) and _deadline.get() is not None:  # about to read the next 4 KB
            _tick()
            if len(self._curtoken) > MAX_TOKEN:
                raise OverLimit("the PDF holds a token too large to read (a parser bomb?)")
        return fill(self)

    return fillbuf


# (pdfminer's methods are replaced on purpose, here and below: mypy forbids assigning to a method.)
pdfminer.psparser.PSBaseParser.fillbuf = (  # type: ignore[method-assign]
    _bounded_fillbuf(pdfminer.psparser.PSBaseParser.fillbuf)
)
pdfminer.pdfinterp.PDFContentParser.fillbuf = (  # type: ignore[method-assign]
    _bounded_fillbuf(pdfminer.pdfinterp.PDFContentParser.fillbuf)
)

# pdfminer skips NUL bytes one call at a time (200 MB of them: a minute); skip a run of them at once.
_VISIBLE = re.compile(rb"[^\x00\s]")


def _skipping_nul(parse_main: Any) -> Any:
    def _parse_main(self: Any, s: bytes, i: int) -> int:
        m = _VISIBLE.search(s, i)
        return parse_main(self, s, m.start()) if m else len(s)

    return _parse_main


pdfminer.psparser.PSBaseParser._parse_main = (  # type: ignore[method-assign]
    _skipping_nul(pdfminer.psparser.PSBaseParser._parse_main)
)


def _bounded_inline_data(self: Any, pos: int, target: bytes = b"EI") -> tuple[int, bytes]:
    """pdfminer's search for the end of inline image data (the target followed by a white-space byte),
    without its quadratic byte-by-byte concatenation and with a bound on the size."""
    self.seek(pos)
    data = bytearray()
    while True:
        self.fillbuf()
        chunk = self.buf[self.charpos :]
        base = len(data)
        data += chunk
        at = data.find(target, max(base - len(target), 0))
        while at >= 0 and at + len(target) < len(data) and not data[at + len(target) : at + len(target) + 1].isspace():
            at = data.find(target, at + 1)
        if at >= 0 and at + len(target) < len(data):
            self.charpos += at + len(target) + 1 - base
            return pos, re.sub(rb"(\x0d\x0a|[\x0d\x0a])$", b"", bytes(data[:at]))
        self.charpos = len(self.buf)
        if len(data) > MAX_INLINE_IMAGE:
            raise OverLimit("the PDF has an inline image too large to read")
        _tick()


pdfminer.pdfinterp.PDFContentParser.get_inline_data = _bounded_inline_data  # type: ignore[method-assign]


def _bounded_resolve(self: Any, default: object = None) -> Any:
    """An indirect reference, following a chain of references to references at most MAX_REF_CHAIN deep
    (pdfminer's resolve1 loops forever on `1 0 obj 1 0 R endobj`)."""
    from pdfminer.pdftypes import PDFObjectNotFound, PDFObjRef

    obj: Any = self
    for _ in range(MAX_REF_CHAIN):
        try:
            obj = obj.doc.getobj(obj.objid)
        except PDFObjectNotFound:
            return default
        if not isinstance(obj, PDFObjRef):
            return obj
        if obj.doc is None:
            return default
    raise InputError("the PDF has a reference that points to itself")


pdfminer.pdftypes.PDFObjRef.resolve = _bounded_resolve  # type: ignore[method-assign]


# --- the device: glyphs and painted areas, with render mode, colour, transparency, layers and clip ---------

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
    alpha: float = 1.0  # opacity it is painted with (ExtGState ca / CA)
    masked: bool = False  # painted through a soft mask
    layer_off: bool = False  # inside optional content that is switched off
    hscale: float = 1.0  # width of the glyphs relative to their height, 1 as designed
    shapes: tuple = ()  # clipping paths that are not rectangles (polygons, each must hold the glyph)
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
    colour: tuple[float, float, float] | None  # None: an image, or a colour that cannot be told
    seq: int
    image: bool = False


@dataclass(frozen=True, slots=True)
class Paint:
    """The parts of the graphics state pdfminer does not track (it ignores `gs`)."""

    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    masked: bool = False


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
    comps = tuple(min(max(float(v), 0.0), 1.0) for v in comps)
    if len(comps) == 1:
        g = comps[0]
        return (g, g, g)
    if len(comps) == 3:
        return (comps[0], comps[1], comps[2])
    if len(comps) == 4:
        c, m, y, k = comps
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


class SpotSpace(PDFColorSpace):
    """A Separation or DeviceN colour space with its colorant names (pdfminer keeps only the count)."""

    def __init__(self, name: str, ncomponents: int, colorants: list[str]) -> None:
        super().__init__(name, ncomponents)
        self.colorants = colorants


def _spot(spec: object) -> SpotSpace | None:
    spec = resolve1(spec)
    if not isinstance(spec, list) or len(spec) < 2 or _name(spec[0]) not in ("Separation", "DeviceN"):
        return None
    names = resolve1(spec[1])
    colorants = [_name(n) for n in names] if isinstance(names, list) else [_name(names)]
    return SpotSpace(_name(spec[0]), max(len(colorants), 1), colorants[:32])


def _colour(cs: object, value: object) -> tuple[float, float, float] | None:
    """The colour a glyph or shape is painted in, as RGB, when it can be told. A spot colour (Separation,
    DeviceN) is taken as ink on paper: no tint is white, colorant None paints nothing (white), otherwise
    as dark as its strongest tint."""
    if isinstance(cs, SpotSpace):
        tints = value if isinstance(value, tuple | list) else (value,)
        tints = [float(t) for t in tints if isinstance(t, int | float)]
        if all(c == "None" for c in cs.colorants) or not tints:
            return (1.0, 1.0, 1.0)
        shade = 1.0 - min(max(max(tints), 0.0), 1.0)
        return (shade, shade, shade)
    return _rgb(value) if _known_space(cs) else None


def _known_space(cs: object) -> bool:
    return getattr(cs, "name", "") in ("DeviceGray", "DeviceRGB", "DeviceCMYK", "CalGray", "CalRGB", "ICCBased", "Lab")


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


def _number(value: object, default: float) -> float:
    value = resolve1(value)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


class Layers:
    """Which optional-content groups (layers) a viewer shows when it opens the file: the default
    configuration's BaseState, ON and OFF lists. Membership dictionaries (OCMD) follow their policy (P) or
    visibility expression (VE)."""

    def __init__(self, catalog: dict) -> None:
        props = resolve1(catalog.get("OCProperties"))
        d = resolve1(props.get("D")) if isinstance(props, dict) else None
        d = d if isinstance(d, dict) else {}
        self.base_off = _name(d.get("BaseState")) == "OFF"
        self.on = self._ids(d.get("ON"))
        self.off = self._ids(d.get("OFF"))
        self.any = isinstance(props, dict)

    @staticmethod
    def _ids(value: object) -> set[int]:
        items = resolve1(value)
        return {i.objid for i in items if hasattr(i, "objid")} if isinstance(items, list) else set()

    def _group_off(self, ref: object) -> bool:
        objid = getattr(ref, "objid", None)
        if objid is None:
            return False
        return objid not in self.on if self.base_off else objid in self.off

    def hidden(self, ref: object, depth: int = 0) -> bool:
        """Whether content marked with the group or membership dictionary `ref` is hidden."""
        if not self.any or depth > 8:
            return self.any
        obj = resolve1(ref)
        if not isinstance(obj, dict):
            return False
        if _name(obj.get("Type")) != "OCMD":
            return self._group_off(ref)
        if "VE" in obj:
            return not self._expression(obj.get("VE"), depth + 1)
        groups = resolve1(obj.get("OCGs"))
        groups = groups if isinstance(groups, list) else [obj.get("OCGs")] if obj.get("OCGs") else []
        if not groups:
            return False
        off = [self._group_off(g) for g in groups]
        policy = _name(obj.get("P")) or "AnyOn"
        visible = {"AllOn": not any(off), "AnyOff": any(off), "AllOff": all(off)}.get(policy, not all(off))
        return not visible

    def _expression(self, ve: object, depth: int) -> bool:
        """Whether a visibility expression is on (an unreadable one counts as off)."""
        ve = resolve1(ve)
        if depth > 8:
            return False
        if not isinstance(ve, list):
            return not self._group_off(ve) if hasattr(ve, "objid") or isinstance(ve, dict) else False
        if not ve:
            return False
        op, args = _name(ve[0]), ve[1:]
        values = [
            self._expression(a, depth + 1) if isinstance(resolve1(a), list) else not self._group_off(a) for a in args
        ]
        if op == "Not":
            return not values[0] if values else False
        if op == "And":
            return all(values)
        if op == "Or":
            return any(values)
        return False


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
        self.shapes: tuple = ()
        self.shape_stack: list[tuple] = []
        self.paint = Paint()
        self.paint_stack: list[Paint] = []
        self.marked: list[bool] = []  # marked-content sequences open, True for one switched off
        self.forms_off = 0  # form XObjects being run that are in a switched-off layer
        self.render = 0
        self.seq = 0
        self.page_ctm: Any = (1, 0, 0, 1, 0, 0)
        self._colour_key: Any = None
        self._colour_value: tuple[float, float, float] | None = None
        self._shape_key: Any = None
        self._shape_value = (1.0, 1.0)

    @property
    def layer_off(self) -> bool:
        return self.forms_off > 0 or any(self.marked)

    @property
    def _ctm(self) -> Matrix:
        """The current transformation matrix, which pdfminer sets before anything on a page is drawn."""
        if self.ctm is None:
            raise TypeError("no transformation matrix: nothing is drawn outside a page")
        return self.ctm

    def begin_page(self, page: PDFPage, ctm: Any) -> None:
        self.page_ctm = ctm

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self.render = textstate.render
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(
        self,
        matrix: Any,
        font: Any,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: Any,
        graphicstate: Any,
    ) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            self.undefined += 1
            text = "\ufffd"
        item = LTChar(
            matrix, font, fontsize, scaling, rise, text, font.char_width(cid), font.char_disp(cid), ncs, graphicstate
        )
        self.seq += 1
        if self.seq % 512 == 0:
            self.deadline.check()
            if len(self.glyphs) > MAX_GLYPHS_PER_PAGE:
                raise OverLimit(f"a page of the PDF draws more than {MAX_GLYPHS_PER_PAGE} characters")
        render = self.render
        stroke_only = render in (1, 5)
        cs = graphicstate.scs if stroke_only else ncs
        value = graphicstate.scolor if stroke_only else graphicstate.ncolor
        key = (cs, value)  # the colour space itself (not its id, which a later object may reuse)
        if key != self._colour_key:
            self._colour_key, self._colour_value = key, _colour(cs, value)
        colour = self._colour_value
        p = self.paint
        alpha = (
            p.stroke_alpha if stroke_only else max(p.fill_alpha, p.stroke_alpha) if render in (2, 6) else p.fill_alpha
        )
        shape = (matrix[0], matrix[1], matrix[2], matrix[3], scaling)
        if shape != self._shape_key:
            a, b, c, d = (float(v) for v in matrix[:4])
            height = (c * c + d * d) ** 0.5
            self._shape_key = shape
            self._shape_value = (height, (a * a + b * b) ** 0.5 * scaling / height if height else 0.0)
        height, hscale = self._shape_value
        glyph = Glyph(
            text,
            item.x0,
            item.y0,
            item.x1,
            item.y1,
            min(item.size, fontsize * height),
            len(self.glyphs),
            self.seq,
            render,
            colour,
            self.clip,
            alpha,
            p.masked,
            self.layer_off,
            hscale,
        )
        if self.shapes:
            glyph.shapes = self.shapes
        if isinstance(font, PDFType3Font) and _blank_glyph(font, cid):
            glyph.why = BLANK_GLYPH
        elif isinstance(font, PDFSimpleFont) and _mismapped(font, cid, text):
            glyph.why = MISMAPPED
        elif isinstance(font, PDFSimpleFont) and cid in getattr(font, "redactor_guessed", ()):
            glyph.why = UNREADABLE
        self.glyphs.append(glyph)
        return item.adv

    def _area(self, box: Rect, colour: tuple[float, float, float] | None, alpha: float, image: bool) -> None:
        """Record a painted area that hides what was drawn under it (opaque enough, shown, not clipped away)."""
        if self.layer_off or alpha < 0.5 or self.paint.masked:
            return
        box = _intersect(self.clip, box) if self.clip else box
        if box[2] - box[0] >= 1 and box[3] - box[1] >= 1:
            if len(self.fills) >= MAX_PAINTS_PER_PAGE:
                raise OverLimit(f"a page of the PDF paints more than {MAX_PAINTS_PER_PAGE} shapes")
            self.fills.append(Fill(box, colour, self.seq, image))

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        self.seq += 1
        if self.seq % 512 == 0:
            self.deadline.check()
        if not fill and not stroke:
            return
        points = [apply_matrix_pt(self._ctm, (seg[i], seg[i + 1])) for seg in path for i in range(1, len(seg) - 1, 2)]
        if not points:
            return
        box = _bbox(points)
        if fill:
            self._area(box, _colour(gstate.ncs, gstate.ncolor), self.paint.fill_alpha, False)
        elif stroke:
            # A wide stroke (a marker line) hides what it is drawn over, like a filled box.
            a, b, c, d = (float(v) for v in self._ctm[:4])
            half = _number(gstate.linewidth, 1.0) * abs(a * d - b * c) ** 0.5 / 2
            if half >= 2:
                colour = _colour(gstate.scs, gstate.scolor)
                self._area(
                    (box[0] - half, box[1] - half, box[2] + half, box[3] + half), colour, self.paint.stroke_alpha, False
                )

    def render_image(self, name: str, stream: Any) -> None:
        self.images += 1
        self.seq += 1
        corners = [apply_matrix_pt(self._ctm, p) for p in ((0, 0), (1, 0), (1, 1), (0, 1))]
        self._area(_bbox(corners), None, self.paint.fill_alpha, True)


class _Interpreter(PDFPageInterpreter):
    """Tracks what pdfminer does not: the clipping rectangle, transparency (ExtGState ca, CA, SMask),
    optional content (marked content /OC and form XObjects with /OC), and the graphics state a form
    XObject inherits from the content that draws it (pdfminer starts each form from a fresh state, so text
    inside a form drawn in white would read as black)."""

    device: _Device
    layers: Layers | None = None
    inherited: tuple[Any, Any] | None = None

    def subinterp(self) -> PDFPageInterpreter:
        interp = super().subinterp()
        assert isinstance(interp, _Interpreter)
        interp.layers = self.layers
        interp.inherited = (self.textstate.copy(), self.graphicstate.copy())
        return interp

    def init_resources(self, resources: dict[object, object]) -> None:
        super().init_resources(resources)
        res = resolve1(resources) if resources else {}
        res = res if isinstance(res, dict) else {}
        ext = resolve1(res.get("ExtGState"))
        props = resolve1(res.get("Properties"))
        self.extgstate = ext if isinstance(ext, dict) else {}
        spaces = resolve1(res.get("ColorSpace"))
        for csid, spec in spaces.items() if isinstance(spaces, dict) else []:
            spot = _spot(spec)
            if spot is not None:
                self.csmap[csid] = spot
        self.properties = props if isinstance(props, dict) else {}

    def init_state(self, ctm: Any) -> None:
        super().init_state(ctm)
        if self.inherited is not None:
            self.textstate, self.graphicstate = self.inherited[0].copy(), self.inherited[1].copy()

    def push(self, obj: Any) -> None:
        # No operator takes more than a few dozen operands: a stream of numbers without operators would
        # otherwise make every later pop copy the whole stack (quadratic).
        self.argstack.append(obj)
        if len(self.argstack) > 1024:
            del self.argstack[:-64]

    def do_q(self) -> None:
        if len(self.gstack) >= MAX_SAVED_STATES:
            raise OverLimit(f"the PDF nests graphics states more than {MAX_SAVED_STATES} deep")
        self.device.clip_stack.append(self.device.clip)
        self.device.shape_stack.append(self.device.shapes)
        self.device.paint_stack.append(self.device.paint)
        super().do_q()

    def do_Q(self) -> None:
        if self.device.clip_stack:
            self.device.clip = self.device.clip_stack.pop()
        if self.device.shape_stack:
            self.device.shapes = self.device.shape_stack.pop()
        if self.device.paint_stack:
            self.device.paint = self.device.paint_stack.pop()
        super().do_Q()

    def do_gs(self, name: Any) -> None:
        gs = resolve1(self.extgstate.get(getattr(name, "name", name)))
        if not isinstance(gs, dict):
            return
        p = self.device.paint
        fill, stroke, masked = p.fill_alpha, p.stroke_alpha, p.masked
        if "ca" in gs:
            fill = min(max(_number(gs["ca"], 1.0), 0.0), 1.0)
        if "CA" in gs:
            stroke = min(max(_number(gs["CA"], 1.0), 0.0), 1.0)
        if "SMask" in gs:
            masked = _name(gs["SMask"]) != "None"
        self.device.paint = Paint(fill, stroke, masked)

    def _marked_off(self, tag: Any, props: Any) -> bool:
        if getattr(tag, "name", None) != "OC" or self.layers is None:
            return False
        ref = self.properties.get(props.name) if isinstance(props, PSLiteral) else props
        return self.layers.hidden(ref) if ref is not None else True

    def do_BMC(self, tag: Any) -> None:
        if len(self.device.marked) >= MAX_SAVED_STATES:
            raise OverLimit(f"the PDF nests marked content more than {MAX_SAVED_STATES} deep")
        self.device.marked.append(False)

    def do_BDC(self, tag: Any, props: Any) -> None:
        if len(self.device.marked) >= MAX_SAVED_STATES:
            raise OverLimit(f"the PDF nests marked content more than {MAX_SAVED_STATES} deep")
        self.device.marked.append(self._marked_off(tag, props))

    def do_EMC(self) -> None:
        if self.device.marked:
            self.device.marked.pop()

    def do_sh(self, name: Any) -> None:
        # A shading paints the whole clipping area (the page when nothing clips).
        dev = self.device
        dev.seq += 1
        dev._area(dev.clip or (-1e6, -1e6, 1e6, 1e6), None, dev.paint.fill_alpha, True)

    def do_W(self) -> None:
        polygons: list[list[tuple[float, float]]] = []
        for seg in self.curpath:
            xy = seg[1:]  # the segment's operator, then its points' coordinates
            pts = [apply_matrix_pt(self.ctm, (xy[i], xy[i + 1])) for i in range(0, len(xy) - 1, 2)]
            if seg[0] == "m" or not polygons:
                polygons.append([])
            polygons[-1].extend(pts)
        points = [p for poly in polygons for p in poly]
        if not points:
            return
        box = _bbox(points)
        self.device.clip = _intersect(self.device.clip, box)
        if not _is_rectangle(polygons, box) and len(self.device.shapes) < 8 and len(points) <= 1024:
            self.device.shapes = (*self.device.shapes, tuple(tuple(poly) for poly in polygons))

    do_W_a = do_W

    def do_Do(self, xobjid_arg: Any) -> None:
        # A form XObject runs in a saved graphics state clipped to its BBox; one in a switched-off layer
        # (its /OC) is not shown, and neither is anything it draws.
        dev = self.device
        saved, depth = dev.clip, len(dev.clip_stack)
        shapes, shape_depth = dev.shapes, len(dev.shape_stack)
        paint, paint_depth, marked_depth = dev.paint, len(dev.paint_stack), len(dev.marked)
        off = False
        try:
            xobj = resolve1(self.xobjmap.get(getattr(xobjid_arg, "name", xobjid_arg)))
            attrs = getattr(xobj, "attrs", {})
            if "OC" in attrs and self.layers is not None:
                off = self.layers.hidden(attrs["OC"])
            if "BBox" in attrs:
                x0, y0, x1, y1 = (float(v) for v in resolve1(attrs["BBox"]))
                m = resolve1(attrs.get("Matrix")) or (1, 0, 0, 1, 0, 0)
                from pdfminer.utils import mult_matrix

                ctm = mult_matrix(tuple(m), self.ctm)
                corners = [apply_matrix_pt(ctm, p) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
                dev.clip = _intersect(dev.clip, _bbox(corners))
        except (TypeError, ValueError, KeyError, AttributeError):
            pass
        dev.forms_off += off
        try:
            super().do_Do(xobjid_arg)
        finally:
            dev.forms_off -= off
            dev.clip, dev.paint, dev.shapes = saved, paint, shapes
            del dev.clip_stack[depth:]
            del dev.shape_stack[shape_depth:]
            del dev.paint_stack[paint_depth:]
            del dev.marked[marked_depth:]


# A Type 3 font draws each glyph with a content stream of its own (CharProcs); one that paints nothing is
# invisible text. pdfminer does not run those streams, nor keep the font's dictionary: keep it.
_PAINTS = re.compile(rb"(?<![A-Za-z*\\])(?:f\*?|F|B\*?|b\*?|S|s|sh|Do|EI|Tj|TJ|'|\")(?![A-Za-z*])")
_type3_init = PDFType3Font.__init__


def _keep_spec(self: Any, rsrcmgr: Any, spec: Any) -> None:
    _type3_init(self, rsrcmgr, spec)
    self.redactor_spec = spec
    self.redactor_blank = {}


PDFType3Font.__init__ = _keep_spec  # type: ignore[method-assign]

# A simple font can name each glyph (Encoding /Differences) and say what text it is (ToUnicode): when the two
# disagree on a letter, the text extracted is not what the page shows (a glyph named S extracted as U).
_simple_init = PDFSimpleFont.__init__


def _glyph_names(spec: Any) -> dict[int, str]:
    """Code -> glyph name from a font's Encoding /Differences (at most 512 entries are read)."""
    encoding = resolve1(spec.get("Encoding"))
    diffs = resolve1(encoding.get("Differences")) if isinstance(encoding, dict) else None
    names: dict[int, str] = {}
    code = 0
    for item in (diffs if isinstance(diffs, list) else [])[:512]:
        item = resolve1(item)
        if isinstance(item, int):
            code = item
        elif isinstance(item, PSLiteral):
            names[code] = str(item.name)
            code += 1
    return names


def _names_letter(name: str) -> bool:
    """Whether a glyph name says which text it is: an Adobe Glyph List name, `uniXXXX`, `uXXXX[XX]`, or
    ligatures and variants of those (`f_i`, `a.sc`), as pdfminer reads them."""
    try:
        return bool(name2unicode(name))
    except (KeyError, ValueError, TypeError):
        return False


def _keep_names(self: Any, descriptor: Any, widths: Any, spec: Any) -> None:
    _simple_init(self, descriptor, widths, spec)
    names: dict[int, str] = {}
    try:
        names = _glyph_names(spec)
    except (AttributeError, TypeError, ValueError):
        names = {}
    self.redactor_named = set(names)
    # Codes whose letter is a guess: the encoding names a glyph no name says the text of (`/g97`), and no
    # ToUnicode entry says it either, so pdfminer falls back to the base encoding (code 97 read as `a`)
    # whatever the glyph draws.
    mapped = getattr(self.unicode_map, "cid2unichr", None) or {}
    self.redactor_guessed = frozenset(c for c, n in names.items() if c not in mapped and not _names_letter(n))


PDFSimpleFont.__init__ = _keep_names  # type: ignore[method-assign]


def _mismapped(font: Any, cid: int, text: str) -> bool:
    named = getattr(font, "redactor_named", None)
    if not named or cid not in named or not getattr(font, "unicode_map", None):
        return False
    by_name = font.cid2unicode.get(cid, "")
    return (
        len(text) == 1
        and len(by_name) == 1
        and text.isascii()
        and by_name.isascii()
        and (text.isalnum() or text in "()/")
        and (by_name.isalnum() or by_name in "()/")
        and text != by_name
    )


def _blank_glyph(font: Any, cid: int) -> bool:
    """Whether glyph `cid` of a Type 3 font paints nothing."""
    cache = getattr(font, "redactor_blank", None)
    if cache is None:
        return False
    if cid not in cache:
        cache[cid] = False
        try:
            spec = font.redactor_spec
            names = _glyph_names(spec)
            procs = resolve1(spec.get("CharProcs"))
            proc = resolve1(procs.get(names.get(cid, ""))) if isinstance(procs, dict) else None
            if proc is not None and hasattr(proc, "get_data"):
                body = re.sub(rb"\([^)]*\)", b"", proc.get_data()[:65536])
                cache[cid] = not _PAINTS.search(body)
        except Exception:  # noqa: BLE001 - an unreadable glyph procedure is not taken as blank
            cache[cid] = False
    return cache[cid]


# --- classification --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _luminance(c: tuple[float, float, float]) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])


@functools.lru_cache(maxsize=4096)
def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two colours: 1 for the same colour, 21 for black on white."""
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


MIN_CONTRAST = 1.3  # below: a reader does not see the text against what is behind it (0.9 gray on white)
MIN_HEIGHT = 2.5  # points: smaller text is not read (a 1-pt font)
MIN_HSCALE = 0.15  # glyphs squeezed below 15% of their width (Tz 1)
MIN_ALPHA = 0.25  # painted at under 25% opacity
MIN_COVER = 0.5  # share of a glyph's box a shape, image or annotation drawn later must cover


def _is_rectangle(polygons: list[list[tuple[float, float]]], box: Rect) -> bool:
    """Whether a clipping path is its own bounding box (one axis-aligned rectangle, the common case)."""
    if len(polygons) != 1:
        return False
    corners = {(round(x, 2), round(y, 2)) for x, y in polygons[0]}
    want = {
        (round(box[0], 2), round(box[1], 2)),
        (round(box[2], 2), round(box[1], 2)),
        (round(box[2], 2), round(box[3], 2)),
        (round(box[0], 2), round(box[3], 2)),
    }
    return corners == want


def _in_shape(x: float, y: float, shape: tuple) -> bool:
    """Whether (x, y) is inside a clipping path (its subpaths as polygons through their points, even-odd;
    a curve's control points make it a little larger than drawn, never smaller at its ends)."""
    inside = False
    for poly in shape:
        n = len(poly)
        if n < 3:
            continue
        for i in range(n):
            (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _covered(g: Glyph, box: Rect) -> bool:
    w, h = g.x1 - g.x0, g.y1 - g.y0
    if w <= 0 or h <= 0:
        return _inside(g.cx, g.cy, box, 0)
    ix = min(g.x1, box[2]) - max(g.x0, box[0])
    iy = min(g.y1, box[3]) - max(g.y0, box[1])
    return ix > 0 and iy > 0 and ix * iy >= MIN_COVER * w * h


class _Grid:
    """Painted areas bucketed by horizontal bands of the page, to find those under a point quickly."""

    BAND = 16.0

    def __init__(self, fills: list[Fill], deadline: Deadline | None) -> None:
        self.bands: dict[int, list[Fill]] = {}
        work = 0
        for f in fills:
            lo, hi = int(f.box[1] // self.BAND), int(f.box[3] // self.BAND)
            for band in range(max(lo, -1000), min(hi, 1000) + 1):
                self.bands.setdefault(band, []).append(f)
                work += 1
            if deadline is not None and not work % 4096:
                deadline.check()
        if work > 20 * MAX_PAINTS_PER_PAGE:
            raise OverLimit("a page of the PDF is too complex to read (too many overlapping shapes)")

    def near(self, g: Glyph) -> list[Fill]:
        lo, hi = int(g.y0 // self.BAND), int(g.y1 // self.BAND)
        if lo == hi:
            return self.bands.get(lo, [])
        seen: dict[int, Fill] = {}
        for band in range(max(lo, -1000), min(hi, 1000) + 1):
            for f in self.bands.get(band, []):
                seen[id(f)] = f
        return sorted(seen.values(), key=lambda f: f.seq)


def classify(
    glyphs: list[Glyph],
    fills: list[Fill],
    page: Rect,
    annotations: Sequence[tuple[Rect, str]] = (),
    deadline: Deadline | None = None,
) -> None:
    """Set `why` on each glyph a reader of the page would not see."""
    grid = _Grid(fills, deadline)
    for n, g in enumerate(glyphs):
        if not g.text.strip():
            continue
        if deadline is not None and not n % 1024:
            deadline.check()
        g.why = g.why or _why(g, grid, page, annotations)
    _overprints(glyphs, deadline)


def _accent(text: str) -> bool:
    return text == "\ufffd" or all(unicodedata.category(c) in ("Sk", "Mn", "Lm") or c in "'\"`.,~^" for c in text)


def _overprints(glyphs: list[Glyph], deadline: Deadline | None) -> None:
    """Mark visible glyphs drawn over other visible letters (`(U)` printed on top of `(S)`): the page shows
    neither legibly. The same letter drawn twice (fake bold, a shadow) is left alone."""
    cells: dict[tuple[int, int], list[Glyph]] = {}
    for g in glyphs:
        # accents drawn over their letter (TeX's composed accents) and unmapped glyphs are not letters
        if g.why is None and g.text.strip() and g.x1 > g.x0 and g.y1 > g.y0 and not _accent(g.text):
            cells.setdefault((int(g.cx // 4), int(g.cy // 4)), []).append(g)
    if not cells:
        return
    for n, ((cx, cy), here) in enumerate(cells.items()):
        if deadline is not None and not n % 1024:
            deadline.check()
        for g in here:
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for h in cells.get((cx + dx, cy + dy), ())[:64]:
                        if h is g or h.text == g.text or h.index < g.index:
                            continue
                        ix = min(g.x1, h.x1) - max(g.x0, h.x0)
                        iy = min(g.y1, h.y1) - max(g.y0, h.y0)
                        small = min((g.x1 - g.x0) * (g.y1 - g.y0), (h.x1 - h.x0) * (h.y1 - h.y0))
                        if ix > 0 and iy > 0 and ix * iy >= 0.6 * small:
                            g.why = g.why or OVERPRINTED
                            h.why = h.why or OVERPRINTED


def _why(g: Glyph, grid: _Grid, page: Rect, annotations: Sequence[tuple[Rect, str]]) -> str | None:
    x, y = g.cx, g.cy
    if g.render in (3, 7):
        return INVISIBLE.format(g.render)
    if g.layer_off:
        return LAYER_OFF
    if not _inside(x, y, page):
        return OFF_PAGE
    if g.clip is not None and not _inside(x, y, g.clip):
        return CLIPPED
    if g.shapes and not all(_in_shape(x, y, shape) for shape in g.shapes):
        return CLIPPED
    if g.size < MIN_HEIGHT:
        return TINY
    if g.hscale < MIN_HSCALE:
        return SQUEEZED
    if g.alpha < MIN_ALPHA or g.masked:
        return TRANSPARENT
    near = grid.near(g)
    for f in near:
        if f.seq > g.seq and _covered(g, f.box):
            return UNDER_IMAGE if f.image else COVERED
    for box, why in annotations:
        if _covered(g, box):
            return why
    if g.colour is not None:
        behind = [f for f in near if f.seq < g.seq and _inside(x, y, f.box, 0)]
        background = behind[-1].colour if behind else (1.0, 1.0, 1.0)
        if background is None and behind and behind[-1].image:
            background = (1.0, 1.0, 1.0)  # on an image: the paper white it most likely shows there
        if background is not None:
            seen = (
                g.colour
                if g.alpha == 1.0
                else tuple(g.alpha * c + (1 - g.alpha) * b for c, b in zip(g.colour, background, strict=True))
            )
            if contrast(seen, background) < MIN_CONTRAST:
                return WHITE if min(background) > 0.92 else BACKGROUND
    return None


def annotation_covers(page: PDFPage, ctm: Any, layers: Layers | None) -> list[tuple[Rect, str]]:
    """Areas of the page an annotation hides: every Redact annotation (applied, its text would be gone;
    unapplied, it marks text meant to go), and shown, opaque Square, Circle, Polygon, Stamp and FreeText
    annotations with an interior colour or an appearance."""
    out: list[tuple[Rect, str]] = []
    for annot in _walk(page.annots, "", set()):
        kind = _name(annot.get("Subtype"))
        try:
            flags = int(_number(annot.get("F"), 0))
            rect = [float(_number(v, 0.0)) for v in resolve1(annot.get("Rect")) or []]
        except (TypeError, ValueError):
            continue
        if kind == "Redact":
            why = UNDER_REDACTION
        elif kind in ("Square", "Circle", "Polygon", "Stamp", "FreeText"):
            shown = not flags & 0b100010 and not (layers is not None and "OC" in annot and layers.hidden(annot["OC"]))
            opaque = _number(annot.get("CA"), 1.0) >= 0.5 and ("IC" in annot or "AP" in annot)
            if not (shown and opaque):
                continue
            why = UNDER_ANNOTATION
        else:
            continue
        boxes: list[list[float]] = []
        quads = resolve1(annot.get("QuadPoints")) if kind == "Redact" else None
        if isinstance(quads, list) and len(quads) >= 8:
            vals = [_number(v, 0.0) for v in quads]
            boxes = [vals[i : i + 8] for i in range(0, len(vals) - 7, 8)]
        elif len(rect) == 4:
            boxes = [[rect[0], rect[1], rect[2], rect[1], rect[2], rect[3], rect[0], rect[3]]]
        for q in boxes[:1000]:
            pts = [apply_matrix_pt(ctm, (q[i], q[i + 1])) for i in range(0, 8, 2)]
            out.append((_bbox(pts), why))
        if len(out) > 5000:
            raise OverLimit("a page of the PDF has too many annotations over its text to read")
    return out


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
    head = rows[i : i + 3]
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
        while (
            j < len(rows)
            and rows[j - 1].y - rows[j].y < 4 * size
            and all(s.x1 <= gutter or s.x0 >= gutter for s in rows[j].segments)
        ):
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
        self.banner_seen = False  # a banner was read: later banners at a page's edge are furniture

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
    pitches = sorted(a.y - b.y for rows in blocks for a, b in zip(rows, rows[1:], strict=False) if a.y - b.y > 0)
    if len(pitches) >= 4 and pitches[len(pitches) // 4] <= 2.2 * size:
        return pitches[len(pitches) // 4]
    return 1.2 * size


# Page furniture: a classification banner or a page number alone on a row near the top or bottom edge.
FURNITURE_BAND = 0.12  # of the page height, from each edge
BANNER_LINE_RE = re.compile(
    r"(?:TOP[ \t]+SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|RESTRICTED|CUI|LIMITED OFFICIAL USE)"
    r"(?:[ \t]*//[ \t]*[A-Z0-9][A-Z0-9 ,/-]*)?"
)
PAGE_NUMBER_RE = re.compile(
    r"(?:page[ \t]+)?\d{1,4}(?:[ \t]+(?:of|/)[ \t]+\d{1,4})?|-[ \t]*\d{1,4}[ \t]*-", re.IGNORECASE
)


def _row_text(row: Row) -> str:
    return " ".join("".join(g.text for g in s.glyphs).strip() for s in row.segments).strip()


def _furniture(row: Row, bounds: Rect | None, document_banner_seen: bool) -> str | None:
    """ "banner" or "page number" when the row is page furniture; None for content. The first banner at
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
    """Whether a row is a table row with marked cells: a cell after the first starts with a mark. Then
    every cell is its own paragraph, so a marked cell can never be read into its neighbour's portion (a
    `(S)` cell after a `(U)` one, or after an unmarked one, which then is an unmarked portion: withheld)."""
    texts = ["".join(g.text for g in s.glyphs).strip() for s in row.segments]
    return len(texts) > 1 and any(CELL_MARK_RE.match(t) for t in texts[1:])


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
                # A table row whose cells carry marks: each cell is a paragraph of its own.
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


# Names printed in the notes come from these lists only; any other name a file carries is counted as "other"
# (a name is text of the file: it could say anything).
ANNOTATION_TYPES = frozenset(
    """Text Link FreeText Line Square Circle Polygon PolyLine Highlight Underline Squiggly
StrikeOut Caret Stamp Ink Popup FileAttachment Sound Movie Screen Widget PrinterMark TrapNet Watermark 3D Redact
Projection RichMedia""".split()
)
INFO_KEYS = frozenset(
    {"Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate", "Trapped"}
)


def _standard(name: str, names: frozenset[str]) -> str:
    return name if name in names else "other"


@dataclass
class Extras:
    annotations: dict[str, int] = field(default_factory=dict)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (why, text) for include_annotations

    def annotate(self, page: PDFPage) -> None:
        for annot in _walk(page.annots, "", set()):
            kind = _standard(_name(annot.get("Subtype")), ANNOTATION_TYPES)
            self.annotations[kind] = self.annotations.get(kind, 0) + 1
            text = _string(annot.get("Contents"))
            if text.strip() and kind != "Widget":
                self.texts.append(("annotation text", text))


def _extras_notes(doc: PDFDocument, data: bytes, extras: Extras) -> list[str]:
    notes: list[str] = []
    cat = doc.catalog
    if extras.annotations:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(extras.annotations.items()))
        notes.append(f"annotations: {sum(extras.annotations.values())} ({kinds}); their text is not in the text")
    form = resolve1(cat.get("AcroForm"))
    if isinstance(form, dict):
        fields = [f for f in _walk(form.get("Fields"), "Kids", set()) if "Kids" not in f]
        values = [_string(f.get("V")) for f in fields]
        filled = [v for v in values if v.strip()]
        extras.texts.extend(("form field value", v) for v in filled)
        notes.append(f"form fields: {len(fields)} ({len(filled)} filled in); their values are not in the text")
        if "XFA" in form:
            notes.append("XFA form data present; it is not read")
    names = resolve1(cat.get("Names"))
    if isinstance(names, dict) and "EmbeddedFiles" in names:
        files = sum(len(resolve1(n.get("Names")) or []) // 2 for n in _walk(names["EmbeddedFiles"], "Kids", set()))
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
    for info in doc.info[:4]:
        if not isinstance(info, dict):
            continue
        for key, value in list(info.items())[:1000]:
            text = _string(value)
            if text.strip():
                info_keys.append(_standard(str(key), INFO_KEYS))
                if key not in ("Producer", "Creator", "CreationDate", "ModDate", "Trapped"):
                    extras.texts.append(("document metadata", text))
    stores: list[str] = []
    if info_keys:
        counted = {k: info_keys.count(k) for k in sorted(set(info_keys))}
        stores.append(f"Info ({', '.join(k if n == 1 else f'{k} {n}' for k, n in counted.items())})")
    if "Metadata" in cat:
        stores.append("XMP")
    if stores:
        notes.append(f"document metadata: {'; '.join(stores)}; not in the text")
    revisions = data.count(b"%%EOF")
    if revisions > 1:
        notes.append(
            f"{revisions} revisions (incremental updates): only the last one is read; earlier ones may hold other text"
        )
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
    """Read a PDF upload. Raises InputError (422) for an encrypted, corrupt or scanned PDF, OverLimit (422)
    when it passes a limit (pages, unpacked size, time, complexity) and TooLarge (413) when the file itself
    is larger than allowed."""
    opts = resolve(limits)
    check_size(data, opts)
    deadline = Deadline(float(opts["max_seconds"]))
    token = _budget.set(_Budget(int(opts["max_decompressed"])))
    ticking = _deadline.set(deadline)
    try:
        return _read(data, opts, deadline)
    except RedactorError:
        raise
    except PDFEncryptionError:
        raise InputError("encrypted PDF: remove the password first") from None
    except (MemoryError, RecursionError):
        raise OverLimit("the PDF is too complex to read") from None
    except Exception:  # noqa: BLE001 - any parser failure on untrusted bytes is a bad file, not a crash
        raise InputError("the PDF is corrupt or truncated and cannot be read") from None
    finally:
        _deadline.reset(ticking)
        _budget.reset(token)


def _page_count(doc: PDFDocument, limit: int) -> int | None:
    """The pages the page tree holds, counted without reading them (the declared /Count may lie): at most
    `limit + 1`, None when the tree cannot be walked."""
    try:
        root = resolve1(doc.catalog["Pages"])
    except (KeyError, TypeError, AttributeError):
        return None
    declared = resolve1(root.get("Count")) if isinstance(root, dict) else None
    if isinstance(declared, int) and declared > limit:
        return declared
    count, seen, stack = 0, set(), [root]
    while stack and count <= limit:
        node = resolve1(stack.pop())
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        kids = resolve1(node.get("Kids"))
        if isinstance(kids, list) and _name(node.get("Type")) != "Page":
            stack.extend(reversed(kids))
        else:
            count += 1
        if len(seen) > 20 * (limit + 1):
            break
    return count


def _read(data: bytes, opts: dict[str, Any], deadline: Deadline) -> SourceText:
    if b"%%EOF" not in data[-4096:]:
        # pdfminer would read what it can of a cut-off file; a release built from part of it is not wanted.
        raise InputError("the PDF is truncated (it has no end-of-file marker): upload the whole file")
    parser = PDFParser(BytesIO(data))
    doc = PDFDocument(parser, password="")
    max_pages = int(opts["max_pages"])
    counted = _page_count(doc, max_pages)
    if counted is not None and counted > max_pages:
        raise OverLimit(f"the PDF has {counted} pages; the limit is {max_pages}")
    layers = Layers(doc.catalog) if isinstance(doc.catalog, dict) else None
    rsrc = PDFResourceManager(caching=True)
    device = _Device(rsrc, deadline)
    interp = _Interpreter(rsrc, device)
    interp.layers = layers
    w = _Writer()
    extras = Extras()
    pages = 0
    no_text: list[int] = []
    ocr_layer: list[int] = []  # scanned pages under an invisible text layer
    counts: dict[str, int] = {}
    undefined = 0
    for page in PDFPage.create_pages(doc):
        pages += 1
        if pages > max_pages:
            raise OverLimit(f"the PDF has more than {max_pages} pages")
        deadline.check(f"page {pages}")
        device.reset()
        interp.process_page(page)
        budget = _budget.get()
        if budget is not None and budget.exceeded:
            raise OverLimit("the PDF unpacks to more than the limit (a compression bomb?)")
        extras.annotate(page)
        x0, y0, x1, y1 = _intersect(page.mediabox, page.cropbox)  # pdfminer parses both to tuples of 4 floats
        corners = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        bounds = _bbox([apply_matrix_pt(device.page_ctm, p) for p in corners])
        classify(device.glyphs, device.fills, bounds, annotation_covers(page, device.page_ctm, layers), deadline)
        undefined += device.undefined
        if not any(g.text.strip() for g in device.glyphs):
            no_text.append(pages)
        elif _ocr_layer(device.glyphs, device.fills, bounds):
            ocr_layer.append(pages)
        for g in device.glyphs:
            if g.why:
                counts[g.why] = counts.get(g.why, 0) + 1
        write_page(w, device.glyphs, pages, bounds)
    if pages == 0:
        raise InputError("the PDF has no pages")
    if ocr_layer and len(no_text) + len(ocr_layer) == pages:
        # A scan with an invisible (OCR) text layer: that layer cannot be checked against the page image, so
        # it is not taken for what the page shows.
        if opts["ocr"] and ocr_available():
            return _ocr(data, pages, opts, deadline)
        raise InputError(
            "the PDF is scanned pages under an invisible text layer (an OCR layer), which cannot "
            "be checked against what the pages show; OCR is needed"
            + (" (option ocr)" if ocr_available() else ": run it through OCR first")
        )
    if len(no_text) == pages:
        if opts["ocr"]:
            if not ocr_available():
                raise InputError("the PDF has no text layer (scanned) and OCR is not installed here (Tesseract)")
            return _ocr(data, pages, opts, deadline)
        raise InputError(
            "the PDF has no text layer (scanned pages); OCR is needed: run it through OCR "
            "first" + (", or ask for OCR (option ocr)" if ocr_available() else "")
        )
    notes = [f"PDF, {pages} page(s); source offsets are page * 1000000 + character index on the page"]
    if no_text:
        notes.append(f"pages without a text layer (not read; OCR needed): {_ranges(no_text)}")
    if undefined:
        notes.append(f"{undefined} character(s) without a Unicode mapping, shown as U+FFFD")
    spans = w.hidden
    if spans:
        kinds = sorted({why for _, _, why in spans})
        notes.append(f"hidden text present: {len(spans)} span(s) ({', '.join(kinds)}); kept in the text in place")
    notes.extend(_extras_notes(doc, data, extras))
    if opts["include_annotations"] and extras.texts:
        w.newline(blank=True)
        for k, (why, text) in enumerate(extras.texts):
            if k:
                w.newline(blank=True)
            w.block(" ".join(text.split()), (pages + 1) * PAGE + k, why)
        notes.append(
            f"annotation, form, bookmark and metadata text appended at the end: {len(extras.texts)} item(s), unmarked"
        )
    text = w.b.text()
    return SourceText(
        text,
        "pdf",
        w.b.anchors or [(0, 0)],
        metadata={"pages": str(pages)},
        hidden=[s for s in spans if s[0] < len(text)],
        notes=notes,
        boxes=w.padded_boxes()[: len(text)],
        pages=w.pages,
        furniture=w.furniture,
    )


def _ocr_layer(glyphs: list[Glyph], fills: list[Fill], page: Rect) -> bool:
    """Whether a page is a scan under an invisible text layer: every character invisible (render mode 3 or
    7) and an image over at least half of the page."""
    if any(g.render not in (3, 7) for g in glyphs if g.text.strip()):
        return False
    area = max((page[2] - page[0]) * (page[3] - page[1]), 1.0)
    return any(
        f.image
        and (min(f.box[2], page[2]) - max(f.box[0], page[0])) * (min(f.box[3], page[3]) - max(f.box[1], page[1]))
        >= 0.5 * area
        for f in fills
    )


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and re.fullmatch(rf"(\d+-)?{n - 1}", out[-1]):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)

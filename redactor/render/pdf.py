"""The release as a FOIA reading-room PDF, typeset fresh from the Release with reportlab platypus.

Nothing here ever sees withheld text: a Release holds none. What this module adds is that nothing about
the layout depends on withheld content either (see docs pdf-safety.md): a withheld portion is one box of a
fixed size, a masked entity one inline box of a fixed width, both labelled with exemption codes only.
The output carries no outline, annotations, XMP or scripts, and its bytes depend only on the Release
(reportlab's invariant mode; the dates come from the release settings, never the clock).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFObject
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
)

from redactor import __version__
from redactor.index import IndexEntry
from redactor.release import Block, Disposition, PortionDecision, Redaction, Release, Run

PAGE_WIDTH, PAGE_HEIGHT = letter
MARGIN = 0.75 * inch
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

FONT = "RedactorSans"
FONT_BOLD = "RedactorSans-Bold"
BODY_SIZE = 10.0
SMALL_SIZE = 8.0
INDEX_SIZE = 8.5

# Redaction boxes have one size per kind, whatever they replaced (pdf-safety.md, principle 1).
ENTITY_BOX_SPACES = 14  # an entity box is this many non-breaking spaces wide (~45 pt)
WITHHELD_BOX_HEIGHT = 0.45 * inch
WITHHELD_GUTTER = 0.9 * inch  # room left of a withheld box for the paragraph number and struck mark
WITHHELD_BOX_WIDTH = FRAME_WIDTH - WITHHELD_GUTTER

# A Table selects its cell font even when every cell is a Paragraph; without this it pulls in a
# non-embedded Helvetica.
_TABLE_FONT = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE)]
_EPOCH = dt.date(1970, 1, 1)
# Characters a PDF string or Paragraph cannot carry sensibly; tabs and newlines are handled separately.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def render(release: Release) -> bytes:
    """The release as PDF bytes: the same Release always gives the same bytes."""
    return _Renderer(release).build()


# --------------------------------------------------------------------------------------------- fonts
class _Flate:
    """FlateDecode for a font file, compressed once per process: most releases embed the same subsets."""

    pdfname = "FlateDecode"

    def __init__(self) -> None:
        self._done: dict[bytes, bytes] = {}

    def encode(self, data: bytes) -> bytes:
        if data not in self._done:
            if len(self._done) >= _SUBSETS_KEPT:
                self._done.clear()
            self._done[data] = zlib.compress(data)
        return self._done[data]


_SUBSETS_KEPT = 64
_FLATE = _Flate()


class _Face(TTFontFace):
    """A TrueType face whose subsets are made once per process for each set of characters.

    reportlab gives ASCII fixed codes in the first subset (its `ttfAsciiReadable`), so releases of ASCII text
    embed the same subset, and making it (and compressing it) was a fifth of a short release's cost. The bytes
    are the same as without the cache."""

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
        self._made: dict[tuple[int, ...], bytes] = {}

    def makeSubset(self, subset: list[int]) -> bytes:
        key = tuple(subset)
        if key not in self._made:
            if len(self._made) >= _SUBSETS_KEPT:
                self._made.clear()
            self._made[key] = super().makeSubset(subset)
        return self._made[key]

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:
        descriptor = super().addSubsetObjects(doc, fontname, subset)
        if doc.compression:
            doc.idToObject[f"fontFile:{self.filename}({fontname})"].filters = [_FLATE]
        return descriptor


class _Preformatted(PDFObject):
    """A PDF value formatted once (a subset's Widths array: the same subsets come back in every release)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


@functools.lru_cache(maxsize=_SUBSETS_KEPT)
def _widths(widths: tuple[int, ...]) -> _Preformatted:
    return _Preformatted(PDFArray(list(widths)).format(None))


class _Font(TTFont):
    """DejaVu Sans with the work reportlab repeats for every document done once per process, the bytes
    unchanged; a character the font has no glyph for is drawn (and measured) as U+FFFD, visibly, instead of
    an empty box that reads as nothing."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.face = _Face(filename)
        # Printable ASCII has fixed codes in the first subset (reportlab's ttfAsciiReadable).
        self._ascii_fixed = self._asciiReadable and all(c in self.face.charToGlyph for c in range(32, 127))

    def shown(self, text: str) -> str:
        """`text` as this font can draw it: each character it has no glyph for becomes U+FFFD."""
        if text.isascii():
            return text
        glyphs = self.face.charToGlyph
        return "".join(c if ord(c) in glyphs else MISSING_GLYPH for c in text)

    def stringWidth(self, text: str, size: float, encoding: str = "utf-8") -> float:
        return float(super().stringWidth(self.shown(text), size, encoding))

    def splitString(self, text: str, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        # The codes of printable ASCII are the characters themselves: no need to look each one up.
        if self._ascii_fixed and doc in self.state and text and _PRINTABLE_ASCII.fullmatch(text):
            return [(0, text.encode("ascii"))]
        return super().splitString(self.shown(text), doc, encoding)

    def addObjects(self, doc: Any) -> None:
        prefix = doc.fontMapping[self.fontName][1:] + "+"
        super().addObjects(doc)
        for name, font in doc.idToObject["BasicFonts"].dict.items():
            if name.startswith(prefix) and isinstance(font.Widths, PDFArray):
                font.Widths = _widths(tuple(font.Widths.sequence))


_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]+")
MISSING_GLYPH = "\ufffd"


def _register_fonts() -> None:
    """Register the packaged DejaVu Sans as an embedded TrueType font (once per process).

    The base-14 Helvetica would be neither embedded nor able to show accented names or curly quotes;
    reportlab's Vera (whose Latin-1 widths DejaVu keeps) has no Latin Extended, Greek or Cyrillic, so
    `Wałęsa` or `Dvořák` lost letters. The font files ship in the package, so every machine writes the same
    bytes."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = resources.files("redactor") / "fonts"
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        with resources.as_file(fonts / file) as path:
            pdfmetrics.registerFont(_Font(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


# ------------------------------------------------------------------------------------------- helpers
def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text.replace("\t", " "))


def _markup(text: str) -> str:
    """Plain text made safe for Paragraph markup: every user-derived string goes through here."""
    return escape(_clean(text)).replace("\r\n", "\n").replace("\n", "<br/>")


def _release_date(value: str) -> dt.date:
    """The release date of the settings; the epoch when unset or unreadable (never the clock)."""
    for parse in (dt.date.fromisoformat, lambda s: dt.datetime.strptime(s, "%m/%d/%Y").date()):
        try:
            return parse(value.strip())
        except ValueError:
            continue
    return _EPOCH


def _pdf_date(day: dt.date) -> str:
    return f"D:{day:%Y%m%d}000000+00'00'"


@functools.lru_cache(maxsize=4096)
def _fit_size(text: str, font: str, size: float, width: float, smallest: float = 5.0) -> float:
    """The largest font size <= size at which text fits in width (so lines never leave the margins).

    Cached: the same banners, footers and box labels are fitted on every page and every box."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw_fitted(
    canvas: Canvas, text: str, x: float, y: float, width: float, font: str, size: float, align: str = "left"
) -> None:
    text = _clean(text).replace("\n", " ")
    size = _fit_size(text, font, size, width)
    canvas.setFont(font, size)
    if align == "center":
        canvas.drawCentredString(x + width / 2, y, text)
    elif align == "right":
        canvas.drawRightString(x + width, y, text)
    else:
        canvas.drawString(x, y, text)


def _codes_label(codes: Sequence[str]) -> str:
    return " ".join(codes) if codes else "WITHHELD"


@dataclass(frozen=True)
class _Style:
    """Box colours from the policy: black with a white label, or white with a border."""

    fill: colors.Color
    stroke: colors.Color
    label: colors.Color

    @classmethod
    def of(cls, box: str) -> _Style:
        if box == "white":
            return cls(colors.white, colors.black, colors.black)
        return cls(colors.black, colors.black, colors.white)


def _draw_box(
    canvas: Canvas, style: _Style, x: float, y: float, width: float, height: float, label: str, size: float
) -> None:
    canvas.saveState()
    canvas.setFillColor(style.fill)
    canvas.setStrokeColor(style.stroke)
    canvas.setLineWidth(0.75)
    canvas.rect(x, y, width, height, stroke=1, fill=1)
    canvas.setFillColor(style.label)
    size = _fit_size(label, FONT_BOLD, size, width - 4)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawCentredString(x + width / 2, y + (height - size * 0.7) / 2, label)
    canvas.restoreState()


# --------------------------------------------------------------------------------------- typesetting
# Text is laid out here rather than by platypus' Paragraph: a Release is plain text with three kinds of run
# (plain, struck, an entity box), so there is no markup to parse, and a line is drawn as one string per font.
# A Paragraph parsed markup for every block and wrapped it again for each frame it was offered; it was half
# the cost of a release.
_BREAK = re.compile(r"( +|\n)")


@dataclass(frozen=True)
class _TextStyle:
    font: str
    size: float
    leading: float
    space_after: float = 0.0
    center: bool = False


_BODY = _TextStyle(FONT, BODY_SIZE, BODY_SIZE * 1.35, 6)
_STYLES = {
    "body": _BODY,
    "field": replace(_BODY, space_after=2),
    "struck": replace(_BODY, space_after=2),
    "banner": _TextStyle(FONT_BOLD, 12, 15, 4, center=True),
    "small": _TextStyle(FONT, SMALL_SIZE, SMALL_SIZE * 1.3),
    "stamp": _TextStyle(FONT_BOLD, 13, 16, center=True),
    "stampcodes": _TextStyle(FONT_BOLD, 10, 13, center=True),
    "heading": _TextStyle(FONT_BOLD, 12, 15, 8),
}


@functools.lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    """The width of `text`; cached, since the same words come back on every page and in every release."""
    return float(pdfmetrics.stringWidth(text, font, size))


class _Piece(NamedTuple):
    """A stretch of a word in one font: plain, struck through, or the gap of entity box number `box`."""

    text: str
    font: str
    width: float
    struck: bool = False
    box: int = -1


_Word = tuple[_Piece, ...]
_NEWLINE: _Word = ()  # a forced line break among the words


class _Line(NamedTuple):
    words: tuple[_Word, ...]
    width: float


def _wide(word: _Word) -> float:
    return word[0].width if len(word) == 1 else sum(p.width for p in word)


def _words(pieces: list[tuple[str, str, bool, int]], size: float) -> list[_Word]:
    """(text, font, struck, box) runs cut into words at spaces and line breaks, as Paragraph reads them:
    runs of spaces collapse, and a word may span runs ("café" struck then "." plain is one word)."""
    words: list[_Word] = []
    word: list[_Piece] = []
    for text, font, struck, box in pieces:
        for part in _BREAK.split(text):
            if not part:
                continue
            if part[0] in " \n":
                if word:
                    words.append(tuple(word))
                    word = []
                if part == "\n":
                    words.append(_NEWLINE)
            else:
                word.append(_Piece(part, font, _width(part, font, size), struck, box))
    if word:
        words.append(tuple(word))
    return words


def _cut(word: _Word, width: float, size: float) -> list[_Word]:
    """A word wider than a line, cut into parts that fit (an entity box is never cut)."""
    parts: list[_Word] = []
    part: list[_Piece] = []
    room = width
    for piece in word:
        text = piece.text if piece.box < 0 and piece.width > room else ""
        if not text:
            if piece.width > room and part:
                parts.append(tuple(part))
                part, room = [], width
            part.append(piece)
            room -= piece.width
            continue
        start = 0
        for end in range(1, len(text) + 1):
            if _width(text[start:end], piece.font, size) > room and end - start > 1:
                head = text[start : end - 1]
                part.append(piece._replace(text=head, width=_width(head, piece.font, size)))
                parts.append(tuple(part))
                part, room, start = [], width, end - 1
        rest = text[start:]
        part.append(piece._replace(text=rest, width=_width(rest, piece.font, size)))
        room -= part[-1].width
    if part:
        parts.append(tuple(part))
    return parts


def _break(words: list[_Word], width: float, size: float) -> list[_Line]:
    """Words filled greedily into lines no wider than `width`; a word wider than a line is cut."""
    lines: list[_Line] = []
    line: list[_Word] = []
    used = 0.0
    for word in words:
        if word is _NEWLINE:
            lines.append(_Line(tuple(line), used))
            line, used = [], 0.0
            continue
        wide = _wide(word)
        if line:
            gap = _width(" ", line[-1][-1].font, size)
            if used + gap + wide <= width:
                line.append(word)
                used += gap + wide
                continue
            lines.append(_Line(tuple(line), used))
            line, used = [], 0.0
        if wide > width:
            *full, word = _cut(word, width, size)
            lines += [_Line((w,), _wide(w)) for w in full]
            wide = _wide(word)
        line, used = [word], wide
    if line or not lines:
        lines.append(_Line(tuple(line), used))
    return lines


def _plain_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Plain text in one font broken into lines no wider than `width` (the index's cells)."""
    words = [w for w in text.split(" ") if w]
    lines: list[str] = []
    line: list[str] = []
    used, gap = 0.0, _width(" ", font, size)
    for word in words:
        wide = _width(word, font, size)
        if wide > width:  # a word to cut: the general breaker
            broken = _break(_words([(text, font, False, -1)], size), width, size)
            return [" ".join("".join(p.text for p in w) for w in ln.words) for ln in broken]
        if line and used + gap + wide <= width:
            line.append(word)
            used += gap + wide
            continue
        if line:
            lines.append(" ".join(line))
        line, used = [word], wide
    lines.append(" ".join(line))
    return lines


_OnBox = Callable[[Canvas, float, float, int], None]


def _draw_lines(
    canvas: Canvas, lines: list[_Line], style: _TextStyle, width: float, top: float, on_box: _OnBox | None = None
) -> None:
    """Lines drawn in one text object from `top` down; then the strike-through lines and the entity boxes."""
    size = style.size
    tx = canvas.beginText()
    strikes: list[tuple[float, float, float]] = []
    boxes: list[tuple[float, float, int]] = []
    y = top - size
    for line in lines:
        x = (width - line.width) / 2 if style.center else 0.0
        tx.setTextOrigin(x, y)
        font, text, strike = "", [], -1.0
        for n, word in enumerate(line.words):
            if n:
                text.append(" ")
                x += _width(" ", font, size)
            for piece in word:
                if piece.font != font:
                    if text:
                        tx._textOut("".join(text))
                        text = []
                    tx.setFont(piece.font, size)
                    font = piece.font
                text.append(piece.text)
                if piece.struck:
                    strike = x if strike < 0 else strike
                elif strike >= 0:
                    strikes.append((strike, x, y))
                    strike = -1.0
                if piece.box >= 0:
                    boxes.append((x, y, piece.box))
                x += piece.width
            if strike >= 0 and (n + 1 == len(line.words) or not line.words[n + 1][0].struck):
                strikes.append((strike, x, y))
                strike = -1.0
        if text:
            tx._textOut("".join(text))
        y -= style.leading
    canvas.drawText(tx)
    if strikes:
        canvas.setLineWidth(size / 15)
        canvas.lines([(x0, y + size * 0.25, x1, y + size * 0.25) for x0, x1, y in strikes])
    if on_box is not None:
        for x, y, box in boxes:
            on_box(canvas, x, y, box)


class _Text(Flowable):
    """A block of text in one style, broken into lines once for the frame's width and split across pages."""

    def __init__(
        self, words: list[_Word], style: _TextStyle, on_box: _OnBox | None = None, lines: list[_Line] | None = None
    ):
        super().__init__()
        self.words, self.style, self.on_box = words, style, on_box
        self.spaceAfter = style.space_after
        self._lines = lines
        self._for_width = -1.0 if lines is None else FRAME_WIDTH

    @classmethod
    def plain(cls, text: str, style: str, struck: bool = False) -> _Text:
        st = _STYLES[style]
        return cls(_words([(_clean(text), st.font, struck, -1)], st.size), st)

    def lines(self, width: float) -> list[_Line]:
        if self._lines is None or width != self._for_width:
            self._lines, self._for_width = _break(self.words, width, self.style.size), width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.lines(availWidth)) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self.lines(availWidth)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit < 2:  # a lone first line at the foot of a page (an orphan) moves on with the rest
            return []
        first = _Text(self.words, self.style, self.on_box, lines[:fit])
        first.spaceAfter = 0
        rest = _Text(self.words, self.style, self.on_box, lines[fit:])
        first._for_width = rest._for_width = availWidth
        return [first, rest]

    def draw(self) -> None:
        _draw_lines(self.canv, self.lines(self.width), self.style, self.width, self.height, self.on_box)


# ----------------------------------------------------------------------------------------- flowables
class _WithheldBox(Flowable):
    """A withheld portion: its number and struck mark in the gutter, then one box of a fixed size."""

    def __init__(self, prefix: str, mark: str, label: str, style: _Style, on_draw: Callable[[int], None]):
        super().__init__()
        self.prefix, self.mark, self.label, self.style, self.on_draw = prefix, mark, label, style, on_draw

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return FRAME_WIDTH, WITHHELD_BOX_HEIGHT

    def draw(self) -> None:
        canvas = self.canv
        self.on_draw(canvas.getPageNumber())
        baseline = WITHHELD_BOX_HEIGHT - BODY_SIZE
        room = WITHHELD_GUTTER - 6
        size = _fit_size(f"{self.prefix} {self.mark}".strip(), FONT, BODY_SIZE, room)
        canvas.setFont(FONT, size)
        canvas.drawString(0, baseline, self.prefix)
        if self.mark:
            x = pdfmetrics.stringWidth(self.prefix + " ", FONT, size) if self.prefix else 0
            canvas.drawString(x, baseline, self.mark)
            width = pdfmetrics.stringWidth(self.mark, FONT, size)
            canvas.setLineWidth(0.6)
            canvas.line(x, baseline + size * 0.3, x + width, baseline + size * 0.3)
        _draw_box(
            canvas, self.style, WITHHELD_GUTTER, 0, WITHHELD_BOX_WIDTH, WITHHELD_BOX_HEIGHT, self.label, BODY_SIZE + 1
        )


class _LateTable(Flowable):
    """A table whose rows are made only when it is laid out.

    The index of withholdings is the last flowable, so by the time platypus lays it out every box has
    been drawn and its page is known: one pass, no second build.
    """

    def __init__(self, make: Callable[[], Flowable]):
        super().__init__()
        self.make = make
        self._table: Flowable | None = None

    def _get(self) -> Flowable:
        if self._table is None:
            self._table = self.make()
        return self._table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self._get().wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self._get().split(availWidth, availHeight)

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self._get().drawOn(canvas, x, y, _sW)


class _Grid(Flowable):
    """The index of withholdings: a ruled table of pre-broken cells whose header row repeats on each page.

    Drawn as one text object and one path of rules (platypus' Table cost a third of a short release)."""

    PAD_X, PAD_Y = 6.0, 3.0
    LEADING = INDEX_SIZE * 1.25
    HEAD_FILL = colors.Color(0.88, 0.88, 0.88)

    def __init__(self, rows: list[list[list[str]]], widths: list[float]):
        super().__init__()
        self.rows, self.widths = rows, widths
        self.heights = [max(len(cell) for cell in row) * self.LEADING + 2 * self.PAD_Y for row in rows]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = sum(self.widths), sum(self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        used, fit = self.heights[0], 1
        while fit < len(self.rows) and used + self.heights[fit] <= availHeight + 1e-6:
            used += self.heights[fit]
            fit += 1
        if fit < 2 or fit == len(self.rows):
            return []
        return [_Grid(self.rows[:fit], self.widths), _Grid(self.rows[:1] + self.rows[fit:], self.widths)]

    def draw(self) -> None:
        canvas, width, height = self.canv, self.width, self.height
        lefts = [sum(self.widths[:n]) for n in range(len(self.widths) + 1)]
        canvas.saveState()
        canvas.setFillColor(self.HEAD_FILL)
        canvas.rect(0, height - self.heights[0], width, self.heights[0], stroke=0, fill=1)
        canvas.restoreState()
        tx = canvas.beginText()
        top, rules = height, [(0.0, height, width, height)]
        for n, (row, h) in enumerate(zip(self.rows, self.heights, strict=True)):
            tx.setFont(FONT_BOLD if n == 0 else FONT, INDEX_SIZE)
            for left, cell in zip(lefts, row, strict=False):
                y = top - self.PAD_Y - INDEX_SIZE
                for line in cell:
                    tx.setTextOrigin(left + self.PAD_X, y)
                    tx._textOut(line)
                    y -= self.LEADING
            top -= h
            rules.append((0.0, top, width, top))
        canvas.drawText(tx)
        rules += [(x, 0.0, x, height) for x in lefts]
        canvas.setLineWidth(0.5)
        canvas.lines(rules)


class _Head(Flowable):
    """Page 1: the declassification block on the left, the disposition stamp in a box on the right."""

    STAMP_WIDTH = 2.4 * inch
    PAD_X, PAD_Y = 6.0, 4.0

    def __init__(self, block: list[_Text], stamp: list[_Text]):
        super().__init__()
        self.block, self.stamp = block, stamp

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        left = FRAME_WIDTH - 2.6 * inch
        self.block_height = sum(t.wrap(left, availHeight)[1] for t in self.block)
        inner = self.STAMP_WIDTH - 2 * self.PAD_X
        self.stamp_height = sum(t.wrap(inner, availHeight)[1] + 2 * self.PAD_Y for t in self.stamp)
        self.width, self.height = availWidth, max(self.block_height, self.stamp_height) + 6
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        top = self.height - 3
        for text in self.block:
            _draw_lines(canvas, text.lines(text.width), text.style, text.width, top)
            top -= text.height
        x = self.width - self.STAMP_WIDTH
        top = self.height - 3
        canvas.saveState()
        canvas.translate(x, 0)
        canvas.setLineWidth(1.5)
        bottom, right = top - self.stamp_height, self.STAMP_WIDTH
        canvas.lines(
            [(0, top, right, top), (0, bottom, right, bottom), (0, bottom, 0, top), (right, bottom, right, top)]
        )
        for text in self.stamp:
            canvas.saveState()
            canvas.translate(self.PAD_X, 0)
            _draw_lines(canvas, text.lines(text.width), text.style, text.width, top - self.PAD_Y)
            canvas.restoreState()
            top -= text.height + 2 * self.PAD_Y
        canvas.restoreState()


# ------------------------------------------------------------------------------------------ renderer
@functools.cache
def _entity_box_width() -> float:
    _register_fonts()
    return pdfmetrics.stringWidth("\xa0" * ENTITY_BOX_SPACES, FONT, BODY_SIZE)


@dataclass
class _IndexItem:
    """A row of the printed index: an entry of the release's Vaughn index (redactor.index) and its page."""

    kind: str  # portion | entity | review | official
    key: str  # portion id or redaction id
    paragraph: str
    withheld: str
    codes: list[str]
    justification: str
    page: int | None = None
    decided: str = "machine"  # who proposed the decision: machine, or "reviewer NAME"

    @classmethod
    def of(cls, entry: IndexEntry) -> _IndexItem:
        return cls(
            entry.kind,
            entry.key,
            entry.paragraph,
            entry.withheld,
            list(entry.codes),
            entry.justification,
            decided=entry.decided_by,
        )


class _Renderer:
    def __init__(self, release: Release):
        _register_fonts()
        self.release = release
        self.settings = release.settings
        self.box = _Style.of(self.settings.box)
        self.date = _release_date(self.settings.release_date)
        self.portions: dict[str, PortionDecision] = {p.id: p for p in release.portions}
        self.redactions: dict[str, Redaction] = {r.id: r for r in release.redactions}
        # The rows of the index are the Vaughn index of the release (redactor.index); the renderer adds the
        # page each withholding is drawn on, and lists them in the order they are drawn.
        self.entries: dict[tuple[str, str], IndexEntry] = {(e.kind, e.key): e for e in release.vaughn_index()}
        self.items: list[_IndexItem] = []
        self._item_of: dict[tuple[str, str], _IndexItem] = {}
        self.entity_labels: list[tuple[str, str]] = []  # (redaction id, label), by onDraw label index
        self.entity_box_width = _entity_box_width()
        self.placeholder = False  # set when the document is withheld in full

    # -- public
    def build(self) -> bytes:
        out = io.BytesIO()
        doc = BaseDocTemplate(
            out,
            pagesize=letter,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.35 * inch,
            bottomMargin=MARGIN + 0.3 * inch,
            title=self._title(),
            author=_clean(self.settings.agency) or "Declassified release",
            subject=self._stamp_text(),
            creator=f"redactor {__version__}",
            producer=f"redactor {__version__}",
            keywords="",
            invariant=1,
            pageCompression=1,
            initialFontName=FONT,
            initialFontSize=BODY_SIZE,
            lang="en",
        )
        frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            doc.width,
            doc.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._page_furniture)])
        doc.build(self._story(), canvasmaker=self._canvasmaker())
        return out.getvalue()

    # -- metadata and wording
    def _title(self) -> str:
        reference = _clean(self.release.reference).strip()
        return f"Release of {reference}" if reference else "Release"

    def _stamp_text(self) -> str:
        return _clean(self.release.stamp)

    def _withheld_in_full(self) -> bool:
        return self.release.disposition is Disposition.WITHHELD

    def _agency_line(self) -> str:
        s = self.settings
        parts = [s.agency or "Declassified release"]
        if s.case_number:
            parts.append(f"Case No. {s.case_number}")
        if s.doc_number:
            parts.append(f"Doc No. {s.doc_number}")
        parts.append(f"Date: {s.release_date or 'not set'}")
        return "    ".join(_clean(p) for p in parts)

    # -- pages
    def _canvasmaker(self) -> Callable[..., Canvas]:
        renderer = self

        class _CountingCanvas(Canvas):
            """Holds pages back until the end so each footer can say "Page X of Y" in one pass."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._held: list[dict[str, Any]] = []
                # reportlab seeds the file /ID with the clock or SOURCE_DATE_EPOCH; seed it with the
                # release date instead, so the bytes depend on the release alone.
                self._doc.signature = hashlib.md5(
                    b"redactor release " + _pdf_date(renderer.date).encode(), usedforsecurity=False
                )
                self._doc.setDateFormatter(lambda *_: _pdf_date(renderer.date))

            def showPage(self) -> None:
                self._held.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                total = len(self._held)
                for state in self._held:
                    self.__dict__.update(state)
                    _draw_fitted(
                        self,
                        f"Page {self.getPageNumber()} of {total}",
                        PAGE_WIDTH - MARGIN - 120,
                        MARGIN - 2,
                        120,
                        FONT,
                        SMALL_SIZE,
                        align="right",
                    )
                    super().showPage()
                super().save()

        return _CountingCanvas

    def _page_furniture(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Header and footer of every page: the release banner and the agency line."""
        canvas.saveState()
        banner = self.release.banner or "UNCLASSIFIED"
        top = PAGE_HEIGHT - MARGIN
        _draw_fitted(canvas, banner, MARGIN, top, FRAME_WIDTH, FONT_BOLD, 11, align="center")
        _draw_fitted(canvas, self._agency_line(), MARGIN, top - 14, FRAME_WIDTH, FONT, SMALL_SIZE)
        if self.settings.header:
            _draw_fitted(canvas, self.settings.header, MARGIN, top - 24, FRAME_WIDTH, FONT, SMALL_SIZE)
        canvas.setLineWidth(0.5)
        canvas.line(
            MARGIN,
            top - 18 - (10 if self.settings.header else 0),
            PAGE_WIDTH - MARGIN,
            top - 18 - (10 if self.settings.header else 0),
        )
        bottom = MARGIN
        canvas.line(MARGIN, bottom + 24, PAGE_WIDTH - MARGIN, bottom + 24)
        _draw_fitted(canvas, banner, MARGIN, bottom + 10, FRAME_WIDTH, FONT_BOLD, 11, align="center")
        left = self.settings.footer or self._title()
        _draw_fitted(canvas, left, MARGIN, bottom - 2, FRAME_WIDTH - 130, FONT, SMALL_SIZE)
        canvas.restoreState()

    # -- boxes
    def _entity_box(self, canvas: Canvas, x: float, baseline: float, index: int) -> None:
        """The fixed-width box of a masked entity over its gap, which starts at `x` on the line at `baseline`."""
        redaction_id, text = self.entity_labels[index]
        self._seen("entity", redaction_id, canvas.getPageNumber())
        y = baseline - BODY_SIZE * 0.25
        _draw_box(canvas, self.box, x, y, self.entity_box_width, BODY_SIZE * 1.1, text, BODY_SIZE - 1.5)

    def _seen(self, kind: str, key: str, page: int) -> None:
        item = self._item_of.get((kind, key))
        if item is not None and item.page is None:
            item.page = page

    # -- story
    def _story(self) -> list[Flowable]:
        story: list[Flowable] = [self._first_page_head(), Spacer(1, 10)]
        if self._withheld_in_full():
            story += self._placeholder()
        else:
            if not any(block.kind == "banner" for block in self.release.blocks):
                # The new banner goes above the struck original lines even when no block carries it.
                story.append(_Text.plain(self.release.banner or "UNCLASSIFIED", "banner"))
            story += [self._block(block) for block in self.release.blocks]
        self._add_unplaced_items()
        story += [PageBreak(), _Text.plain("Index of withholdings", "heading"), _LateTable(self._index_table)]
        return story

    def _first_page_head(self) -> Flowable:
        """Page 1: the declassification block on the left, the disposition stamp on the right."""
        s = self.settings
        policy = self.release.policy
        lines = [
            ("Declassified under policy", policy.name),
            ("Release level", policy.level),
            ("Review authority", s.authority or "—"),
            ("Reviewed by", s.reviewer or "—"),
            ("Date of release", s.release_date or "not set"),
        ]
        small = _STYLES["small"]
        block = [
            _Text(_words([(f"{key}: ", FONT_BOLD, False, -1), (_clean(str(v)), FONT, False, -1)], small.size), small)
            for key, v in lines
            if v
        ]
        stamp = [_Text.plain(self._stamp_text(), "stamp"), _Text.plain(", ".join(self.release.codes), "stampcodes")]
        return _Head(block, stamp)

    def _placeholder(self) -> list[Flowable]:
        """WITHHELD IN FULL: a placeholder page instead of the text, as records offices publish it."""
        for block in self.release.blocks:  # still index every withholding the Release lists
            if block.kind == "withheld" and block.portion:
                self._index_portion(block.portion)
        for portion in self.release.withheld():
            self._index_portion(portion.id)
        codes = _codes_label(self.release.codes)
        self.placeholder = True
        return [
            _Text.plain(self.release.banner or "UNCLASSIFIED", "banner"),
            _Text.plain(self.release.original_banner, "banner", struck=True),
            Spacer(1, 18),
            _Text.plain(
                f"This document ({self.release.reference or 'no reference'}) is withheld in full under "
                f"exemption(s) {codes}. Each withholding is listed in the index of withholdings.",
                "body",
            ),
            Spacer(1, 12),
            _WithheldBox("", "", codes, self.box, lambda page: None),
        ]

    def _block(self, block: Block) -> Flowable:
        if block.kind in ("banner", "struck", "field"):
            style = _STYLES[block.kind]
            return _Text(self._run_words(block.runs, style, strike=block.kind == "struck"), style, self._entity_box)
        if block.kind == "portion":
            head = [(_clean(block.prefix), FONT, False, -1)]
            if block.mark:
                head += [(_clean(block.mark), FONT, True, -1), (" ", FONT, False, -1)]
            return _Text(self._run_words(block.runs, _BODY, head=head), _BODY, self._entity_box)
        if block.kind == "withheld":
            item = self._index_portion(block.portion, block.codes)
            codes = block.codes or (item.codes if item else [])
            portion = block.portion  # the box records the page it is drawn on, if it is a portion's
            on_draw: Callable[[int], None] = (
                (lambda page: self._seen("portion", portion, page)) if portion else (lambda page: None)
            )
            box = _WithheldBox(_clean(block.prefix).strip(), _clean(block.mark), _codes_label(codes), self.box, on_draw)
            box.spaceAfter = 8  # platypus adds it below the box (a KeepTogether with a Spacer cost a wrap more)
            return box
        raise ValueError(
            f"cannot typeset a release block of kind {block.kind!r}; "
            "expected banner, struck, field, portion or withheld"
        )

    def _run_words(
        self,
        runs: Sequence[Run],
        style: _TextStyle,
        *,
        strike: bool = False,
        head: list[tuple[str, str, bool, int]] | None = None,
    ) -> list[_Word]:
        pieces = list(head or [])
        for run in runs:
            if run.redaction is not None:
                pieces.append(("\xa0" * ENTITY_BOX_SPACES, FONT, False, self._entity_gap(run)))
            else:
                pieces.append((_clean(run.text), style.font, strike or run.struck, -1))
        return _words(pieces, style.size)

    def _entity_gap(self, run: Run) -> int:
        """Index the entity of `run` and return the number of its box (entity_labels)."""
        redaction = self.redactions.get(run.redaction or "")
        # The label comes from the codes when the redaction is known, so it cannot vary with what it hides.
        label = _codes_label(redaction.codes) if redaction else _clean(run.text).strip("[] ") or "REDACTED"
        self._index_entity(run.redaction or "", redaction)
        self.entity_labels.append((run.redaction or "", label))
        # The gap is non-breaking spaces as wide as the box: the same for every entity, never split across
        # lines; the box is drawn over it.
        return len(self.entity_labels) - 1

    # -- index of withholdings
    @staticmethod
    def _cell(text: str, width: float, font: str = FONT) -> list[str]:
        """The cell's text broken into lines that fit `width` (less the padding each side)."""
        return _plain_lines(_clean(text).replace("\n", " "), font, INDEX_SIZE, width - 2 * _Grid.PAD_X)

    def _index_portion(self, portion_id: str | None, codes: Sequence[str] | None = None) -> _IndexItem | None:
        """The index row of a withheld portion, listed when it is first drawn."""
        if not portion_id:
            return None
        return self._item("portion", portion_id, codes or [])

    def _index_entity(self, redaction_id: str, redaction: Redaction | None) -> None:
        """The index row of a masked entity, listed when it is first drawn."""
        self._item("entity", redaction_id, list(redaction.codes) if redaction else [])

    def _item(self, kind: str, key: str, codes: Sequence[str]) -> _IndexItem:
        item = self._item_of.get((kind, key))
        if item is None:
            entry = self.entries.get((kind, key))
            # A box the Release's index does not list (a run naming an unknown redaction) still gets a row.
            if entry is not None:
                item = _IndexItem.of(entry)
            elif kind == "entity":
                item = _IndexItem(
                    kind, key, "Header", "Masked text", list(codes), "Personal data masked in released text"
                )
            else:
                item = _IndexItem(kind, key, "Header", "Portion withheld in full", list(codes), "withheld")
            self.items.append(item)
            self._item_of[(kind, key)] = item
        return item

    def _add_unplaced_items(self) -> None:
        """Withholdings the Release lists but no block shows still get a row (with no page), in the order of
        the Release's index: then the reviewer's reversals and the released officials."""
        for kind, key in self.entries:
            self._item(kind, key, [])

    def _index_table(self) -> Flowable:
        if not self.items:
            return _Text.plain("No information was withheld from this document.", "body")
        placeholder_page = 1 if self.placeholder else None
        # A reviewed release says who decided each row; a machine-only one keeps the room for justifications.
        reviewed = bool(self.release.review) or any(i.decided != "machine" for i in self.items)
        head = ["Item", "Page", "Paragraph", "Withheld", "Exemptions", "Decided by", "Justification"]
        widths = [w * inch for w in (0.5, 0.5, 1.0, 1.15, 0.95, 1.0)]
        if not reviewed:
            del head[5]
            widths = [w * inch for w in (0.5, 0.55, 1.0, 1.4, 1.05)]
        widths.append(FRAME_WIDTH - sum(widths))
        rows: list[list[list[str]]] = [[self._cell(h, w, FONT_BOLD) for h, w in zip(head, widths, strict=True)]]
        for n, item in enumerate(self.items, start=1):
            page = item.page or placeholder_page
            cells = [
                str(n),
                str(page) if page else "—",
                item.paragraph,
                item.withheld,
                " ".join(item.codes) or "—",
                item.decided,
                item.justification,
            ]
            if not reviewed:
                del cells[5]
            rows.append([self._cell(c, w) for c, w in zip(cells, widths, strict=True)])
        return _Grid(rows, widths)

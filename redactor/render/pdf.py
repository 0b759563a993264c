"""The release as a FOIA reading-room PDF, typeset fresh from the Release and written with reportlab.

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
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import letter
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    BasicFonts,
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFInfo,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPages,
    PDFStream,
    PDFString,
    PDFZCompress,
)
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont, TTFontFace, makeToUnicodeCMap

from redactor import __version__
from redactor.index import IndexEntry
from redactor.release import Block, Disposition, PortionDecision, Redaction, Release, Run

PAGE_WIDTH, PAGE_HEIGHT = letter
MARGIN = 0.75 * inch
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_TOP = PAGE_HEIGHT - MARGIN - 0.35 * inch  # the body's frame: below the header, above the footer
FRAME_BOTTOM = MARGIN + 0.3 * inch

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
class _Frozen(PDFObject):
    """A stream already formatted: a page's content, or a font file or ToUnicode map, which is formatted (and
    compressed) once per process: it refers to no other object, so its bytes are the same in every document
    that embeds the same subset."""

    __RefOnly__ = 1

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


_MADE: dict[tuple[Any, ...], bytes] = {}
_MADE_KEPT = 256


def _once(key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
    """`make()`, made the first time `key` is asked for in this process (the cache is emptied when it holds
    _MADE_KEPT entries, so a server's memory stays bounded)."""
    made = _MADE.get(key)
    if made is None:  # kept in a local: another thread may empty the cache before this one returns
        if len(_MADE) >= _MADE_KEPT:
            _MADE.clear()
        made = _MADE[key] = make()
    return made


def _frozen(key: tuple[Any, ...], doc: Any, make: Callable[..., PDFStream], *args: Any) -> _Frozen:
    """The stream `make(*args)` as formatted for `doc`, formatted the first time `key` is asked for (a new
    object for each document, which reportlab names when it is referred to)."""

    def formatted() -> bytes:
        stream = make(*args)
        stream.filters = [PDFZCompress] if doc.compression else None
        return bytes(stream.format(doc))

    return _Frozen(_once((*key, doc.compression), formatted))


class _Face(TTFontFace):
    """A TrueType face whose subsets are made, compressed and formatted once per process for each set of
    characters.

    reportlab gives ASCII fixed codes in the first subset (its `ttfAsciiReadable`), so releases of ASCII text
    embed the same subset; making and formatting it for each document was a fifth of a short release's cost."""

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:
        """reportlab's TTFontFace.addSubsetObjects: the subset's font file and its FontDescriptor."""
        codes = tuple(subset)
        name = f"fontFile:{self.filename}({fontname})"
        font_file = doc.Reference(_frozen((name, codes), doc, self._font_file, codes), name)
        return doc.Reference(_Linked(_formatted(self._descriptor, fontname), {"FontFile2": font_file}))

    def _font_file(self, codes: tuple[int, ...]) -> PDFStream:
        font_file = PDFStream(content=self.makeSubset(list(codes)))
        font_file.dictionary["Length1"] = len(font_file.content)
        return font_file

    def _descriptor(self, fontname: str) -> PDFDictionary:
        return PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": self.ascent,
                "CapHeight": self.capHeight,
                "Descent": self.descent,
                "Flags": (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": PDFArray(self.bbox),
                "FontName": PDFName(fontname),
                "ItalicAngle": self.italicAngle,
                "StemV": self.stemV,
                "MissingWidth": self.defaultWidth,
            }
        )


class _Linked(PDFObject):
    """A dictionary of a font subset (its Font or FontDescriptor): what it holds besides its references to
    other objects is formatted once per process, the references, whose numbers differ, in each document."""

    __RefOnly__ = 1

    def __init__(self, entries: bytes, links: dict[str, Any]) -> None:
        self.entries, self.links = entries, links

    def format(self, document: Any) -> bytes:
        links = b" ".join(b"/%s %s" % (k.encode(), _ref(document, v)) for k, v in self.links.items())
        return b"<<\n" + self.entries + b"\n " + links + b"\n>>"


def _formatted(make: Callable[..., PDFDictionary], *args: Any) -> bytes:
    """The entries of the dictionary `make(*args)` (without its << and >>), formatted the first time."""
    return _once((make, *args), lambda: bytes(make(*args).format(None)[3:-3]))


class _Font(TTFont):
    """DejaVu Sans with the work reportlab repeats for every document done once per process, the bytes
    unchanged; a character the font has no glyph for is drawn (and measured) as U+FFFD, visibly, instead of
    an empty box that reads as nothing."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.face = _Face(filename)
        # Printable ASCII has fixed codes in the first subset (reportlab's ttfAsciiReadable).
        self.ascii_fixed = self._asciiReadable and all(c in self.face.charToGlyph for c in range(32, 127))

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
        if self.ascii_fixed and doc in self.state and text and _fixed_codes(text):
            return [(0, text.encode("ascii"))]
        return super().splitString(self.shown(text), doc, encoding)

    def addObjects(self, doc: Any) -> None:
        """reportlab's TTFont.addObjects, with what depends only on a subset's characters (its widths, its
        ToUnicode map and their compression) made once per process instead of once per document."""
        state = self.state.get(doc) or TTFont.State(self._asciiReadable)
        self.state[doc] = state
        state.frozen = 1
        fonts = doc.idToObject["BasicFonts"].dict
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            codes = tuple(subset)
            cmap = _frozen(("toUnicode", base, codes), doc, _to_unicode, base, codes)
            links = {
                "ToUnicode": doc.Reference(cmap, "toUnicodeCMap:" + base),
                "FontDescriptor": self.face.addSubsetObjects(doc, base, subset),
            }
            font = _Linked(_formatted(self._font_entries, internal, base, codes), links)
            doc.Reference(font, internal)
            fonts[internal] = font
        del self.state[doc]

    def _font_entries(self, internal: str, base: str, codes: tuple[int, ...]) -> PDFDictionary:
        return PDFDictionary(
            {
                "Type": PDFName("Font"),
                "Subtype": PDFName("TrueType"),
                "BaseFont": PDFName(base),
                "Name": PDFName(internal),
                "FirstChar": 0,
                "LastChar": len(codes) - 1,
                "Widths": PDFArray([self.face.getCharWidth(code) for code in codes]),
            }
        )


def _to_unicode(base: str, codes: tuple[int, ...]) -> PDFStream:
    """The subset's ToUnicode CMap (reportlab's makeToUnicodeCMap), each character as UTF-16BE: reportlab
    writes a character beyond the BMP as five hex digits (`<1F600>`), which no reader takes."""
    cmap = makeToUnicodeCMap(base, list(codes))
    return PDFStream(content=_BFCHAR.sub(lambda m: f"{m[1]}<{_utf16(int(m[2], 16))}>", cmap))


_BFCHAR = re.compile(r"^(<[0-9A-F]{2}> )<([0-9A-F]{5,6})>$", re.M)  # an entry beyond the BMP


def _utf16(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()


def _fixed_codes(text: str) -> bool:
    """Whether `text` is printable ASCII, whose codes are the characters themselves in a font's first subset
    (reportlab's ttfAsciiReadable)."""
    return text.isascii() and text.isprintable()


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


@functools.lru_cache(maxsize=256)
def _release_date(value: str) -> dt.date:
    """The release date of the settings; the epoch when unset or unreadable (never the clock). Cached: the
    releases of a deployment share their settings, and reading a date that is not ISO costs a strptime."""
    for parse in (dt.date.fromisoformat, lambda s: dt.datetime.strptime(s, "%m/%d/%Y").date()):
        try:
            return parse(value.strip())
        except ValueError:
            continue
    return _EPOCH


@functools.lru_cache(maxsize=256)
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
    page: _Page, text: str, x: float, y: float, width: float, font: str, size: float, align: str = "left"
) -> None:
    text = _clean(text).replace("\n", " ")
    size = _fit_size(text, font, size, width)
    anchor = {"center": x + width / 2, "right": x + width}.get(align, x)
    page.string(anchor, y, font, size, text, align)


def _codes_label(codes: Sequence[str]) -> str:
    return " ".join(codes) if codes else "WITHHELD"


@dataclass(frozen=True)
class _Style:
    """Box colours from the policy: black with a white label, or white with a border (PDF grey levels)."""

    fill: float
    stroke: float
    label: float

    @classmethod
    def of(cls, box: str) -> _Style:
        if box == "white":
            return cls(1.0, 0.0, 0.0)
        return cls(0.0, 0.0, 1.0)


def _draw_box(
    page: _Page, style: _Style, x: float, y: float, width: float, height: float, label: str, size: float
) -> None:
    size = _fit_size(label, FONT_BOLD, size, width - 4)
    page.code.append(f"q {_grey(style.fill)} {_grey(style.stroke, stroke=True)} 0.75 w")
    page.rect(x, y, width, height, "B")
    page.code.append(_grey(style.label))
    page.string(x + width / 2, y + (height - size * 0.7) / 2, FONT_BOLD, size, label, "center")
    page.code.append("Q")


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


@functools.cache
def _widths(font: str, size: float) -> dict[str, float]:
    """The widths of the words met in `font` at `size`, by word (a dict lookup is the cheapest cache; it is
    emptied when it holds _WORDS_KEPT words, so a server's memory stays bounded)."""
    return {}


_WORDS_KEPT = 65536


@functools.cache
def _spaces(size: float) -> dict[str, float]:
    """The width of a space in each font at `size`."""
    return {font: _width(" ", font, size) for font in (FONT, FONT_BOLD)}


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
    font: str = ""  # the one font of a line of plain words (no struck text, no entity box, one piece each)


def _line(words: tuple[_Word, ...], width: float) -> _Line:
    """The line of these words, with its font when they are plain words in one font (most lines of a body),
    which are drawn as one string."""
    font = words[0][0].font if words else ""
    for word in words:
        if len(word) > 1 or word[0].struck or word[0].box >= 0 or word[0].font != font:
            return _Line(words, width)
    return _Line(words, width, font)


def _wide(word: _Word) -> float:
    return word[0].width if len(word) == 1 else sum(p.width for p in word)


def _words(pieces: list[tuple[str, str, bool, int]], size: float) -> list[_Word]:
    """(text, font, struck, box) runs cut into words at spaces and line breaks, as Paragraph reads them:
    runs of spaces collapse, and a word may span runs ("café" struck then "." plain is one word)."""
    words: list[_Word] = []
    word: list[_Piece] = []
    for text, font, struck, box in pieces:
        widths = _widths(font, size)
        for n, line in enumerate(text.split("\n")):
            if n:  # a line break ends the word and is a word of its own
                if word:
                    words.append(tuple(word))
                    word = []
                words.append(_NEWLINE)
            for m, part in enumerate(line.split(" ")):
                if m and word:  # a space ends the word
                    words.append(tuple(word))
                    word = []
                if part:
                    wide = widths.get(part)
                    if wide is None:
                        if len(widths) >= _WORDS_KEPT:
                            widths.clear()
                        wide = widths[part] = _width(part, font, size)
                    word.append(_Piece(part, font, wide, struck, box))
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
    spaces = _spaces(size)
    for word in words:
        if word is _NEWLINE:
            lines.append(_line(tuple(line), used))
            line, used = [], 0.0
            continue
        wide = _wide(word)
        if line:
            gap = spaces[line[-1][-1].font]
            if used + gap + wide <= width:
                line.append(word)
                used += gap + wide
                continue
            lines.append(_line(tuple(line), used))
            line, used = [], 0.0
        if wide > width:
            *full, word = _cut(word, width, size)
            lines += [_line((w,), _wide(w)) for w in full]
            wide = _wide(word)
        line, used = [word], wide
    if line or not lines:
        lines.append(_line(tuple(line), used))
    return lines


def _plain_lines(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """Plain text in one font broken into lines no wider than `width` (the index's cells)."""
    words = [w for w in text.split(" ") if w]
    lines: list[str] = []
    line: list[str] = []
    used, gap = 0.0, _width(" ", font, size)
    for word in words:
        wide = _width(word, font, size)
        if wide > width:  # a word to cut: the general breaker
            broken = _break(_words([(text, font, False, -1)], size), width, size)
            return tuple(" ".join("".join(p.text for p in w) for w in ln.words) for ln in broken)
        if line and used + gap + wide <= width:
            line.append(word)
            used += gap + wide
            continue
        if line:
            lines.append(" ".join(line))
        line, used = [word], wide
    lines.append(" ".join(line))
    return tuple(lines)


# Page content is compressed at zlib's fastest level: a page of text and rules comes out about a tenth larger
# (a few hundred bytes in a file whose fonts weigh 37 KB) in half the time the default level takes, which was
# a tenth of the cost of a release with a long index.
_FLATE_LEVEL = 1


class _Document(PDFDocument):
    """reportlab's document with pages made for what a typeset release draws: text and rules on letter pages,
    and never an image, colour space, pattern, transition, annotation or outline. Its pages share one resource
    dictionary, and each page's content is one compressed stream (reportlab's showPage built and formatted
    both per page). It is written without a canvas, whose graphics state and page set-up a release never
    uses: making the canvas was a twentieth of the cost of a short release.

    The page dictionaries, the page tree, the catalog, the resources and the document information write
    themselves in one go, with the bytes reportlab's own objects write: formatting them through its generic
    dictionaries was a quarter of the cost of a short release."""

    MEDIA_BOX = b"[ 0 0 %s %s ]" % (fp_str(PAGE_WIDTH).encode(), fp_str(PAGE_HEIGHT).encode())

    def __init__(self) -> None:
        super().__init__(compression=1, invariant=1)
        self.info = _Info()
        self.Pages = _PageTree()
        self.Catalog = self._catalog = _Catalog(self.Pages, "en")
        self._resources = self.Reference(_Resources())

    def add_page(self, code: Sequence[str]) -> None:
        """A page of these operators."""
        content = zlib.compress("\n".join([*code, ""]).encode("utf8"), _FLATE_LEVEL)
        stream = b"<<\n/Filter [ /FlateDecode ] /Length %d\n>>\nstream\n%sendstream\n" % (len(content), content)
        self.addPage(_PageObject(self.MEDIA_BOX, self._resources, _Frozen(stream)))

    def data(self) -> bytes:
        """The PDF file (with no canvas, reportlab has no outline to write)."""
        return bytes(self.GetPDFData(None))


def _ref(document: Any, obj: PDFObject) -> bytes:
    """A reference to `obj`, which is numbered when first referred to, as reportlab's PDFObjectReference
    writes it (without its slower text codec)."""
    return b"%d %d R" % document.idToObjectNumberAndVersion[document.Reference(obj).name]


def _pdf_string(text: str, document: Any) -> bytes:
    """`text` as reportlab's PDFString writes it; printable ASCII, the common case, without its codecs."""
    if text.isascii() and text.isprintable():
        return b"(%s)" % escapePDF(text.encode("ascii")).encode("ascii")
    return bytes(PDFString(text).format(document))


def _dictionary(entries: dict[str, bytes]) -> bytes:
    """A dictionary of formatted values laid out as reportlab's PDFDictionary writes one: the keys (plain
    names) sorted, a line break before every sixth entry."""
    items = [b"/%s %s" % (key.encode(), entries[key]) for key in sorted(entries)]
    for n in reversed(range(6, len(items), 6)):
        items.insert(n, b"\n ")
    return b"<<\n" + b" ".join(items) + b"\n>>"


class _PageObject(PDFObject):
    """A page dictionary as reportlab's PDFPage writes it for a page with no annotations or crop box."""

    __RefOnly__ = 1

    def __init__(self, media_box: bytes, resources: Any, contents: PDFObject) -> None:
        self.media_box, self.resources, self.contents = media_box, resources, contents

    def format(self, document: Any) -> bytes:
        parent = _ref(document, document.Pages)  # numbered before the contents, as PDFPage numbers them
        contents = _ref(document, self.contents)
        return b"<<\n/Contents %s /MediaBox %s /Parent %s /Resources %s /Rotate 0 /Type /Page\n>>" % (
            contents,
            self.media_box,
            parent,
            _ref(document, self.resources),
        )


class _PageTree(PDFPages):
    """reportlab's page tree (one node whose kids are all the pages), formatted in one go."""

    def format(self, document: Any) -> bytes:
        kids = [_ref(document, page) for page in self.pages]
        for n in reversed(range(10, len(kids), 10)):  # PDFArray's line break before every tenth element
            kids.insert(n, b"\n ")
        return _dictionary(
            {"Count": b"%d" % len(self.pages), "Kids": b"[ " + b" ".join(kids) + b" ]", "Type": b"/Pages"}
        )


class _Resources(PDFObject):
    """The resource dictionary every page shares: the document's fonts and the PDF and Text procedure sets."""

    def format(self, document: Any) -> bytes:
        return b"<<\n/Font %s /ProcSet [ /PDF /Text ]\n>>" % _ref(document, PDFObjectReference(BasicFonts))


class _Catalog(PDFObject):
    """The document catalog as reportlab's PDFCatalog writes it for a document with no outline (a release has
    none), formatted in one go."""

    __RefOnly__ = 1

    def __init__(self, pages: PDFPages, lang: str) -> None:
        self.pages, self.lang = pages, lang

    def format(self, document: Any) -> bytes:
        return _dictionary(
            {
                "Lang": _pdf_string(self.lang, document),
                "PageMode": b"/UseNone",
                "Pages": _ref(document, self.pages),
                "Type": b"/Catalog",
            }
        )


class _Info(PDFInfo):
    """reportlab's document information dictionary, formatted in one go; its dates are the ones the document's
    date formatter gives (the renderer always sets one)."""

    def format(self, document: Any) -> bytes:
        text = {
            "Author": self.author,
            "Creator": self.creator,
            "Keywords": self.keywords,
            "Producer": self.producer,
            "Subject": self.subject,
            "Title": self.title,
        }
        entries = {key: _pdf_string(value, document) for key, value in text.items()}
        date = _pdf_string(self._dateFormatter(*document._timeStamp.YMDhms), document)  # as PDFDate writes it
        return _dictionary({**entries, "CreationDate": date, "ModDate": date, "Trapped": b"/" + self.trapped.encode()})


# ------------------------------------------------------------------------------------------- drawing
# Each page's content is written here as PDF operators (text, rules, boxes: nothing else), and reportlab writes
# the document around it: pages, the embedded font subsets, the metadata. A reportlab text object and canvas
# call per line cost more than all the rest of a short release.
@functools.lru_cache(maxsize=64)
def _grey(value: float, stroke: bool = False) -> str:
    """The operator that sets a grey as the fill (or stroke) colour, in DeviceRGB as reportlab sets it (cached:
    every box sets the same few)."""
    return f"{value:.2f} {value:.2f} {value:.2f} {'RG' if stroke else 'rg'}"


class _Fonts:
    """The two fonts as one document embeds them, and the PDF name of each subset."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.faces = _fonts()
        self.names: dict[tuple[str, int], str] = {}
        for font in self.faces:  # both are in every release (the banner is bold, the agency line is not)
            self.name(font, 0)

    def name(self, font: str, subset: int) -> str:
        key = (font, subset)
        if key not in self.names:
            self.names[key] = self.faces[font].getSubsetInternalName(subset, self.doc)
        return self.names[key]


class _Page:
    """The operators drawn on one page, in page coordinates."""

    def __init__(self, number: int, fonts: _Fonts) -> None:
        self.number = number
        self.fonts = fonts
        self.code: list[str] = []

    def text(self) -> _TextOps:
        return _TextOps(self)

    def string(self, x: float, y: float, font: str, size: float, text: str, align: str = "left") -> None:
        """`text` in a text object of its own, starting at x (or centred on it, or ending at it)."""
        if align != "left":
            width = _width(text, font, size)
            x -= width / 2 if align == "center" else width
        shown = _escaped(text)
        if shown is not None:  # as _TextOps writes it, in one go: labels, banners and footers are mostly ASCII
            self.code.append(
                f"BT\n1 0 0 1 {x:.2f} {y:.2f} Tm\n{self.fonts.name(font, 0)} {size:.2f} Tf\n({shown}) Tj\nET"
            )
            return
        ops = self.text()
        ops.line(x, y, font, size, text)
        ops.end()

    def lines(self, lines: Sequence[tuple[float, float, float, float]], width: float) -> None:
        self.segments([f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l" for x0, y0, x1, y1 in lines], width)

    def segments(self, segments: Sequence[str], width: float) -> None:
        """Line segments, each as its m and l operators, stroked `width` wide."""
        self.code.append("\n".join([f"{width:.2f} w", *segments]) + " S")

    def rect(self, x: float, y: float, width: float, height: float, paint: str) -> None:
        """A rectangle painted with `paint`: f (fill), S (stroke) or B (both)."""
        self.code.append(f"{x:.2f} {y:.2f} {width:.2f} {height:.2f} re {paint}")


class _TextOps:
    """One text object of a page (BT ... ET): lines placed absolutely (the further lines of an index cell by
    the leading), each run shown in its font's subsets."""

    def __init__(self, page: _Page) -> None:
        self.page = page
        self.code = ["BT"]
        self.font: tuple[str, int, float] | None = None

    def line(self, x: float, y: float, font: str, size: float, text: str) -> None:
        """`text` in one font at (x, y)."""
        self.place(f"{x:.2f} {y:.2f}", font, size, text)

    def place(self, at: str, font: str, size: float, text: str) -> None:
        """`text` in one font at `at` (x and y, formatted): one operator string when it is printable ASCII in
        the current font."""
        shown = _escaped(text)
        if shown is not None and self.font == (font, 0, size):
            self.code.append(f"1 0 0 1 {at} Tm ({shown}) Tj")
            return
        self.code.append(f"1 0 0 1 {at} Tm")
        self.show(font, size, text)

    def row(self, xs: Sequence[str], y: str, font: str, size: float, cells: Sequence[tuple[str, ...]]) -> None:
        """Each cell's lines from its x and the baseline `y` (formatted) down, by the text leading (TL): one
        operator string a cell when they are printable ASCII, as most rows of the index are."""
        shown = [_shown_lines(cell) for cell in cells]
        if None in shown:
            for x, cell in zip(xs, cells, strict=False):
                self.place(f"{x} {y}", font, size, cell[0])
                for line in cell[1:]:
                    self.code.append("T*")
                    self.show(font, size, line)
            return
        self.use(font, 0, size)
        self.code += [f"1 0 0 1 {x} {y} Tm {ops}" for x, ops in zip(xs, shown, strict=False)]

    def use(self, font: str, subset: int, size: float) -> None:
        """Select the font's subset at `size`, unless it is the current one."""
        if self.font != (font, subset, size):
            self.code.append(f"{self.page.fonts.name(font, subset)} {size:.2f} Tf")
            self.font = (font, subset, size)

    def show(self, font: str, size: float, text: str) -> None:
        if _fixed_codes(text):
            self.use(font, 0, size)
            self.code.append(f"({escapePDF(text.encode('ascii'))}) Tj")
            return
        fonts = self.page.fonts
        for subset, chunk in fonts.faces[font].splitString(text, fonts.doc):
            self.use(font, subset, size)
            self.code.append(f"({escapePDF(chunk)}) Tj")

    def end(self) -> None:
        self.code.append("ET")
        self.page.code.append("\n".join(self.code))


@functools.lru_cache(maxsize=16384)
def _escaped(text: str) -> str | None:
    """`text` as the body of a PDF string of codes when it is printable ASCII (its own codes in a font's first
    subset), else None; cached, since the index of every release repeats the same cells."""
    return escapePDF(text.encode("ascii")) if _fixed_codes(text) else None


@functools.lru_cache(maxsize=4096)
def _shown_lines(lines: tuple[str, ...]) -> str | None:
    """The operators that show `lines` one under the other (T* moves down by the leading) in a font's first
    subset, when they all are printable ASCII; else None."""
    shown = [_escaped(line) for line in lines]
    if None in shown:
        return None
    return " T* ".join(f"({text}) Tj" for text in shown)


@functools.cache
def _fonts() -> dict[str, _Font]:
    _register_fonts()
    fonts = {name: pdfmetrics.getFont(name) for name in (FONT, FONT_BOLD)}
    if not all(font.ascii_fixed for font in fonts.values()):
        raise RuntimeError("the packaged fonts lack printable ASCII")
    return fonts


_OnBox = Callable[[_Page, float, float, int], None]


def _draw_lines(
    page: _Page,
    lines: list[_Line],
    style: _TextStyle,
    width: float,
    left: float,
    top: float,
    on_box: _OnBox | None = None,
) -> None:
    """Lines drawn in one text object from `top` down; then the strike-through lines and the entity boxes."""
    size = style.size
    ops = page.text()
    code = ops.code
    strikes: list[tuple[float, float, float, float]] = []
    boxes: list[tuple[float, float, int]] = []
    y = top - size
    spaces = _spaces(size)
    for line in lines:
        x = left + ((width - line.width) / 2 if style.center else 0.0)
        code.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        if line.font:  # no strike-through or box to place along the line
            ops.show(line.font, size, " ".join([word[0].text for word in line.words]))
            y -= style.leading
            continue
        font, text, strike = "", [], -1.0
        for n, word in enumerate(line.words):
            if n:
                text.append(" ")
                x += spaces[font]
            for piece in word:
                if piece.font != font:
                    if text:
                        ops.show(font, size, "".join(text))
                        text = []
                    font = piece.font
                text.append(piece.text)
                if piece.struck:
                    strike = x if strike < 0 else strike
                elif strike >= 0:
                    strikes.append((strike, y + size * 0.25, x, y + size * 0.25))
                    strike = -1.0
                if piece.box >= 0:
                    boxes.append((x, y, piece.box))
                x += piece.width
            if strike >= 0 and (n + 1 == len(line.words) or not line.words[n + 1][0].struck):
                strikes.append((strike, y + size * 0.25, x, y + size * 0.25))
                strike = -1.0
        if text:
            ops.show(font, size, "".join(text))
        y -= style.leading
    ops.end()
    if strikes:
        page.lines(strikes, size / 15)
    if on_box is not None:
        for x, y, box in boxes:
            on_box(page, x, y, box)


# ------------------------------------------------------------------------------------------- layout
class _Block:
    """What the layout places: its height at a width, a split at a height, and its drawing at a place.

    The protocol of platypus' Flowable, without its machinery (a frame, a canvas per flowable, a saved
    state and a translation per draw)."""

    space_after = 0.0

    def wrap(self, width: float) -> float:
        raise NotImplementedError

    def split(self, width: float, room: float) -> list[_Block]:
        """The block cut to fit `room` (the first part fits), or [] when it cannot be cut there."""
        return []

    def draw(self, page: _Page, x: float, y: float) -> None:
        """Drawn with its bottom-left corner at (x, y)."""
        raise NotImplementedError


class _Space(_Block):
    def __init__(self, height: float) -> None:
        self.height = height

    def wrap(self, width: float) -> float:
        return self.height

    def draw(self, page: _Page, x: float, y: float) -> None:
        pass


class _PageBreak(_Block):
    """The rest starts on a new page."""

    def wrap(self, width: float) -> float:
        return 0.0

    def draw(self, page: _Page, x: float, y: float) -> None:
        pass


_FUZZ = 1e-6


def _lay_out(
    blocks: Sequence[_Block], new_page: Callable[[], _Page], left: float, bottom: float, width: float, top: float
) -> None:
    """The blocks placed top-down in the frame, page after page: a block that does not fit what is left of
    the page is split there if it can be, else it starts the next page, as platypus' frames place them."""
    queue = list(reversed(blocks))
    page, y, at_top = new_page(), top, True
    while queue:
        block = queue.pop()
        if isinstance(block, _PageBreak):
            page, y, at_top = new_page(), top, True
            continue
        room = y - bottom
        if room > 0:
            height = block.wrap(width)
            if height <= room + _FUZZ:
                block.draw(page, left, y - height)
                y -= height + block.space_after
                at_top = at_top and height + block.space_after == 0
                continue
            parts = block.split(width, room)
            if parts:
                queue += reversed(parts)
                continue
        if at_top:
            raise ValueError("a block of the release is taller than a page and cannot be split")
        queue.append(block)
        page, y, at_top = new_page(), top, True


class _Text(_Block):
    """A block of text in one style, broken into lines once for the frame's width and split across pages."""

    def __init__(
        self, words: list[_Word], style: _TextStyle, on_box: _OnBox | None = None, lines: list[_Line] | None = None
    ):
        self.words, self.style, self.on_box = words, style, on_box
        self.space_after = style.space_after
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

    def wrap(self, width: float) -> float:
        self.width = width
        self.height = len(self.lines(width)) * self.style.leading
        return self.height

    def split(self, width: float, room: float) -> list[_Block]:
        lines = self.lines(width)
        fit = int((room + _FUZZ) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit < 2:  # a lone first line at the foot of a page (an orphan) moves on with the rest
            return []
        first = _Text(self.words, self.style, self.on_box, lines[:fit])
        first.space_after = 0
        rest = _Text(self.words, self.style, self.on_box, lines[fit:])
        first._for_width = rest._for_width = width
        return [first, rest]

    def draw(self, page: _Page, x: float, y: float) -> None:
        _draw_lines(page, self.lines(self.width), self.style, self.width, x, y + self.height, self.on_box)


class _WithheldBox(_Block):
    """A withheld portion: its number and struck mark in the gutter, then one box of a fixed size."""

    space_after = 8.0

    def __init__(self, prefix: str, mark: str, label: str, style: _Style, on_draw: Callable[[int], None]):
        self.prefix, self.mark, self.label, self.style, self.on_draw = prefix, mark, label, style, on_draw

    def wrap(self, width: float) -> float:
        return WITHHELD_BOX_HEIGHT

    def draw(self, page: _Page, x: float, y: float) -> None:
        self.on_draw(page.number)
        baseline = y + WITHHELD_BOX_HEIGHT - BODY_SIZE
        room = WITHHELD_GUTTER - 6
        size = _fit_size(f"{self.prefix} {self.mark}".strip(), FONT, BODY_SIZE, room)
        if self.prefix:
            page.string(x, baseline, FONT, size, self.prefix)
        if self.mark:
            left = x + (_width(self.prefix + " ", FONT, size) if self.prefix else 0)
            page.string(left, baseline, FONT, size, self.mark)
            strike = baseline + size * 0.3
            page.lines([(left, strike, left + _width(self.mark, FONT, size), strike)], 0.6)
        box = x + WITHHELD_GUTTER
        _draw_box(page, self.style, box, y, WITHHELD_BOX_WIDTH, WITHHELD_BOX_HEIGHT, self.label, BODY_SIZE + 1)


class _Late(_Block):
    """A block made only when it is laid out.

    The index of withholdings is the last block, so by the time it is laid out every box has been drawn
    and its page is known: one pass, no second build.
    """

    def __init__(self, make: Callable[[], _Block]):
        self.make = make
        self._block: _Block | None = None

    def _get(self) -> _Block:
        if self._block is None:
            self._block = self.make()
            self.space_after = self._block.space_after
        return self._block

    def wrap(self, width: float) -> float:
        return self._get().wrap(width)

    def split(self, width: float, room: float) -> list[_Block]:
        return self._get().split(width, room)

    def draw(self, page: _Page, x: float, y: float) -> None:
        self._get().draw(page, x, y)


class _Grid(_Block):
    """The index of withholdings: a ruled table of pre-broken cells whose header row repeats on each page."""

    PAD_X, PAD_Y = 6.0, 3.0
    LEADING = INDEX_SIZE * 1.25
    HEAD_FILL = 0.88

    def __init__(self, rows: list[list[tuple[str, ...]]], widths: list[float], heights: list[float] | None = None):
        self.rows, self.widths = rows, widths
        if heights is None:
            heights = [max(map(len, row)) * self.LEADING + 2 * self.PAD_Y for row in rows]
        self.heights = heights

    def wrap(self, width: float) -> float:
        self.width, self.height = sum(self.widths), sum(self.heights)
        return self.height

    def split(self, width: float, room: float) -> list[_Block]:
        used, fit = self.heights[0], 1
        while fit < len(self.rows) and used + self.heights[fit] <= room + _FUZZ:
            used += self.heights[fit]
            fit += 1
        if fit < 2 or fit == len(self.rows):
            return []
        rest = _Grid(self.rows[:1] + self.rows[fit:], self.widths, self.heights[:1] + self.heights[fit:])
        return [_Grid(self.rows[:fit], self.widths, self.heights[:fit]), rest]

    def draw(self, page: _Page, x: float, y: float) -> None:
        width, height = self.width, self.height
        lefts = [x + sum(self.widths[:n]) for n in range(len(self.widths) + 1)]
        page.code.append(f"q {_grey(self.HEAD_FILL)}")
        page.rect(x, y + height - self.heights[0], width, self.heights[0], "f")
        page.code.append("Q")
        ops = page.text()
        ops.code.append(f"{fp_str(self.LEADING)} TL")  # how far T* moves down to a cell's next line
        columns = [f"{left + self.PAD_X:.2f}" for left in lefts]  # the x of each column's text, formatted once
        top, tops = y + height, [f"{y + height:.2f}"]
        for n, (row, h) in enumerate(zip(self.rows, self.heights, strict=True)):
            ops.row(columns, f"{top - self.PAD_Y - INDEX_SIZE:.2f}", FONT_BOLD if n == 0 else FONT, INDEX_SIZE, row)
            top -= h
            tops.append(f"{top:.2f}")
        ops.end()
        start, end, bottom = f"{x:.2f}", f"{x + width:.2f}", f"{y:.2f}"  # the rules' ends, formatted once
        rules = [f"{start} {rule} m {end} {rule} l" for rule in tops]
        rules += [f"{left:.2f} {bottom} m {left:.2f} {tops[0]} l" for left in lefts]
        page.segments(rules, 0.5)


class _Head(_Block):
    """Page 1: the declassification block on the left, the disposition stamp in a box on the right."""

    STAMP_WIDTH = 2.4 * inch
    PAD_X, PAD_Y = 6.0, 4.0

    def __init__(self, block: list[_Text], stamp: list[_Text]):
        self.block, self.stamp = block, stamp

    def wrap(self, width: float) -> float:
        left = FRAME_WIDTH - 2.6 * inch
        self.block_height = sum(t.wrap(left) for t in self.block)
        inner = self.STAMP_WIDTH - 2 * self.PAD_X
        self.stamp_height = sum(t.wrap(inner) + 2 * self.PAD_Y for t in self.stamp)
        self.width, self.height = width, max(self.block_height, self.stamp_height) + 6
        return self.height

    def draw(self, page: _Page, x: float, y: float) -> None:
        top = y + self.height - 3
        for text in self.block:
            _draw_lines(page, text.lines(text.width), text.style, text.width, x, top)
            top -= text.height
        left, right = x + self.width - self.STAMP_WIDTH, x + self.width
        top = y + self.height - 3
        bottom = top - self.stamp_height
        page.lines(
            [
                (left, top, right, top),
                (left, bottom, right, bottom),
                (left, bottom, left, top),
                (right, bottom, right, top),
            ],
            1.5,
        )
        for text in self.stamp:
            _draw_lines(page, text.lines(text.width), text.style, text.width, left + self.PAD_X, top - self.PAD_Y)
            top -= text.height + 2 * self.PAD_Y


@functools.lru_cache(maxsize=256)
def _head(lines: tuple[tuple[str, str], ...], stamp: str, codes: str) -> _Head:
    """The first page's head of (key, value) lines, stamp and codes, its text cut into words and lines once:
    it is the same for every release with the same policy, settings, disposition and codes. Laying a block
    out again at the same width changes nothing, so renders can share it."""
    small = _STYLES["small"]
    block = [
        _Text(_words([(f"{key}: ", FONT_BOLD, False, -1), (value, FONT, False, -1)], small.size), small)
        for key, value in lines
    ]
    return _Head(block, [_Text.plain(stamp, "stamp"), _Text.plain(codes, "stampcodes")])


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
        self.furniture: list[str] | None = None  # what every page has around its text

    # -- public
    def build(self) -> bytes:
        doc = _Document()
        doc.setAuthor(_clean(self.settings.agency) or "Declassified release")
        doc.setTitle(self._title())
        doc.setSubject(self._stamp_text())
        doc.setCreator(f"redactor {__version__}")
        doc.setProducer(f"redactor {__version__}")
        doc.setKeywords("")
        # reportlab seeds the file /ID with the clock or SOURCE_DATE_EPOCH; seed it with the release date
        # instead, so the bytes depend on the release alone.
        doc.signature = hashlib.md5(b"redactor release " + _pdf_date(self.date).encode(), usedforsecurity=False)
        doc.setDateFormatter(lambda *_: _pdf_date(self.date))
        pages = self._typeset(doc, self._story())
        for page in pages:
            footer = f"Page {page.number} of {len(pages)}"
            _draw_fitted(page, footer, PAGE_WIDTH - MARGIN - 120, MARGIN - 2, 120, FONT, SMALL_SIZE, align="right")
            doc.add_page(page.code)
        return doc.data()

    def _typeset(self, doc: Any, blocks: Sequence[_Block], first: int = 1) -> list[_Page]:
        """The blocks laid out in the frame of pages numbered from `first`, each with the page furniture."""
        fonts = _Fonts(doc)
        pages: list[_Page] = []

        def new_page() -> _Page:
            pages.append(_Page(first + len(pages), fonts))
            self._page_furniture(pages[-1])
            return pages[-1]

        _lay_out(blocks, new_page, MARGIN, FRAME_BOTTOM, FRAME_WIDTH, FRAME_TOP)
        return pages

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
    def _page_furniture(self, page: _Page) -> None:
        """Header and footer of every page: the release banner and the agency line (the same on every page,
        so drawn once)."""
        if self.furniture is None:
            first = _Page(page.number, page.fonts)
            self._draw_furniture(first)
            self.furniture = first.code
        page.code += self.furniture

    def _draw_furniture(self, page: _Page) -> None:
        banner = self.release.banner or "UNCLASSIFIED"
        top = PAGE_HEIGHT - MARGIN
        _draw_fitted(page, banner, MARGIN, top, FRAME_WIDTH, FONT_BOLD, 11, align="center")
        _draw_fitted(page, self._agency_line(), MARGIN, top - 14, FRAME_WIDTH, FONT, SMALL_SIZE)
        if self.settings.header:
            _draw_fitted(page, self.settings.header, MARGIN, top - 24, FRAME_WIDTH, FONT, SMALL_SIZE)
        rule = top - 18 - (10 if self.settings.header else 0)
        bottom = MARGIN
        page.lines(
            [(MARGIN, rule, PAGE_WIDTH - MARGIN, rule), (MARGIN, bottom + 24, PAGE_WIDTH - MARGIN, bottom + 24)], 0.5
        )
        _draw_fitted(page, banner, MARGIN, bottom + 10, FRAME_WIDTH, FONT_BOLD, 11, align="center")
        left = self.settings.footer or self._title()
        _draw_fitted(page, left, MARGIN, bottom - 2, FRAME_WIDTH - 130, FONT, SMALL_SIZE)

    # -- boxes
    def _entity_box(self, page: _Page, x: float, baseline: float, index: int) -> None:
        """The fixed-width box of a masked entity over its gap, which starts at `x` on the line at `baseline`."""
        redaction_id, text = self.entity_labels[index]
        self._seen("entity", redaction_id, page.number)
        y = baseline - BODY_SIZE * 0.25
        _draw_box(page, self.box, x, y, self.entity_box_width, BODY_SIZE * 1.1, text, BODY_SIZE - 1.5)

    def _seen(self, kind: str, key: str, page: int) -> None:
        item = self._item_of.get((kind, key))
        if item is not None and item.page is None:
            item.page = page

    # -- story
    def _story(self) -> list[_Block]:
        story: list[_Block] = [self._first_page_head(), _Space(10)]
        if self._withheld_in_full():
            story += self._placeholder()
        else:
            if not any(block.kind == "banner" for block in self.release.blocks):
                # The new banner goes above the struck original lines even when no block carries it.
                story.append(_Text.plain(self.release.banner or "UNCLASSIFIED", "banner"))
            story += [self._block(block) for block in self.release.blocks]
        self._add_unplaced_items()
        story += [_PageBreak(), _Text.plain("Index of withholdings", "heading"), _Late(self._index_table)]
        return story

    def _first_page_head(self) -> _Block:
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
        return _head(
            tuple((key, _clean(str(v))) for key, v in lines if v), self._stamp_text(), ", ".join(self.release.codes)
        )

    def _placeholder(self) -> list[_Block]:
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
            _Space(18),
            _Text.plain(
                f"This document ({self.release.reference or 'no reference'}) is withheld in full under "
                f"exemption(s) {codes}. Each withholding is listed in the index of withholdings.",
                "body",
            ),
            _Space(12),
            _WithheldBox("", "", codes, self.box, lambda page: None),
        ]

    def _block(self, block: Block) -> _Block:
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
            return _WithheldBox(
                _clean(block.prefix).strip(), _clean(block.mark), _codes_label(codes), self.box, on_draw
            )
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
    @functools.lru_cache(maxsize=4096)
    def _cell(text: str, width: float, font: str = FONT) -> tuple[str, ...]:
        """The cell's text broken into lines that fit `width` (less the padding each side); cached, since the
        same justifications and headings fill the index of every release."""
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

    def _index_table(self) -> _Block:
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
        rows: list[list[tuple[str, ...]]] = [[self._cell(h, w, FONT_BOLD) for h, w in zip(head, widths, strict=True)]]
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
            rows.append(list(map(self._cell, cells, widths)))
        return _Grid(rows, widths)

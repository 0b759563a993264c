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
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from redactor import __version__
from redactor.index import IndexEntry, build_index
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

_BOX_CALLBACK = "redactor_entity_box"
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
def _register_fonts() -> None:
    """Register reportlab's bundled Vera as an embedded TrueType font (once per process).

    The base-14 Helvetica would be neither embedded nor able to show accented names or curly quotes.
    """
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(fonts, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(fonts, "VeraBd.ttf")))
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


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width`; a word wider than a line is cut."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return [text]
    lines: list[str] = []
    for line in simpleSplit(text, font, size, width) or [""]:
        while " " not in line and len(line) > 1 and pdfmetrics.stringWidth(line, font, size) > width:
            cut = len(line) - 1
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


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


def _codes_label(codes: list[str]) -> str:
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


# ------------------------------------------------------------------------------------------ renderer
@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, made once per process (platypus only reads them)."""
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.35, spaceAfter=6, splitLongWords=1
    )
    return {
        "body": body,
        "field": ParagraphStyle("field", parent=body, spaceAfter=2),
        "banner": ParagraphStyle(
            "banner", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER, spaceAfter=4
        ),
        "struck": ParagraphStyle("struck", parent=body, spaceAfter=2),
        "small": ParagraphStyle("small", parent=body, fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.3, spaceAfter=0),
        "stamp": ParagraphStyle(
            "stamp", parent=body, fontName=FONT_BOLD, fontSize=13, leading=16, alignment=TA_CENTER, spaceAfter=0
        ),
        "stampcodes": ParagraphStyle(
            "stampcodes",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15, spaceAfter=8),
    }


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
        self.entries: dict[tuple[str, str], IndexEntry] = {(e.kind, e.key): e for e in build_index(release)}
        self.items: list[_IndexItem] = []
        self._item_of: dict[tuple[str, str], _IndexItem] = {}
        self.entity_labels: list[tuple[str, str]] = []  # (redaction id, label), by onDraw label index
        self.entity_box_width = _entity_box_width()
        self.placeholder = False  # set when the document is withheld in full
        self.styles = _styles()

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
                self.setNamedCB(_BOX_CALLBACK, renderer._entity_box)

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
    def _entity_box(self, canvas: Canvas, kind: str, label: str | None) -> None:
        """onDraw callback: the fixed-width box of a masked entity, at the current text position."""
        redaction_id, text = self.entity_labels[int(label or 0)]
        self._seen("entity", redaction_id, canvas.getPageNumber())
        info = canvas._curr_tx_info  # where the text stands: just after the box's spaces
        y = info["cur_y"] - BODY_SIZE * 0.25
        _draw_box(
            canvas,
            self.box,
            info["cur_x"] - self.entity_box_width,
            y,
            self.entity_box_width,
            BODY_SIZE * 1.1,
            text,
            BODY_SIZE - 1.5,
        )

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
                story.append(Paragraph(_markup(self.release.banner or "UNCLASSIFIED"), self.styles["banner"]))
            story += [self._block(block) for block in self.release.blocks]
        self._add_unplaced_items()
        story += [
            PageBreak(),
            Paragraph("Index of withholdings", self.styles["heading"]),
            _LateTable(self._index_table),
        ]
        return story

    def _first_page_head(self) -> Flowable:
        """Page 1: the declassification block on the left, the disposition stamp on the right."""
        s, st = self.settings, self.styles
        policy = self.release.policy
        lines = [
            ("Declassified under policy", policy.name),
            ("Release level", policy.level),
            ("Review authority", s.authority or "—"),
            ("Reviewed by", s.reviewer or "—"),
            ("Date of release", s.release_date or "not set"),
        ]
        decl = [Paragraph(f"<b>{escape(k)}:</b> {_markup(str(v))}", st["small"]) for k, v in lines if v]
        stamp = Table(
            [
                [Paragraph(_markup(self._stamp_text()), st["stamp"])],
                [Paragraph(_markup(", ".join(self.release.codes)), st["stampcodes"])],
            ],
            colWidths=[2.4 * inch],
        )
        stamp.setStyle(
            TableStyle(
                [
                    *_TABLE_FONT,
                    ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        head = Table([[decl, stamp]], colWidths=[FRAME_WIDTH - 2.6 * inch, 2.6 * inch])
        head.setStyle(
            TableStyle(
                [
                    *_TABLE_FONT,
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return head

    def _placeholder(self) -> list[Flowable]:
        """WITHHELD IN FULL: a placeholder page instead of the text, as records offices publish it."""
        st = self.styles
        for block in self.release.blocks:  # still index every withholding the Release lists
            if block.kind == "withheld" and block.portion:
                self._index_portion(block.portion)
        for portion in self.release.withheld():
            self._index_portion(portion.id)
        codes = _codes_label(self.release.codes)
        self.placeholder = True
        story: list[Flowable] = [
            Paragraph(_markup(self.release.banner or "UNCLASSIFIED"), st["banner"]),
            Paragraph(f"<strike>{_markup(self.release.original_banner)}</strike>", st["banner"]),
            Spacer(1, 18),
            Paragraph(
                f"This document ({_markup(self.release.reference or 'no reference')}) is withheld in "
                f"full under exemption(s) {_markup(codes)}. Each withholding is listed in the index "
                "of withholdings.",
                st["body"],
            ),
            Spacer(1, 12),
            _WithheldBox("", "", codes, self.box, lambda page: None),
        ]
        return story

    def _block(self, block: Block) -> Flowable:
        st = self.styles
        if block.kind == "banner":
            return Paragraph(self._runs(block.runs), st["banner"])
        if block.kind == "struck":
            return Paragraph(self._runs(block.runs, strike=True), st["struck"])
        if block.kind == "field":
            return Paragraph(self._runs(block.runs, field=block.field), st["field"])
        if block.kind == "portion":
            prefix = self._prefix(block)
            mark = f"<strike>{_markup(block.mark)}</strike> " if block.mark else ""
            return Paragraph(f"{prefix}{mark}{self._runs(block.runs, portion=block.portion)}", st["body"])
        if block.kind == "withheld":
            item = self._index_portion(block.portion, block.codes)
            codes = block.codes or (item.codes if item else [])
            prefix = self._prefix(block).strip()
            portion = block.portion  # the box records the page it is drawn on, if it is a portion's
            on_draw: Callable[[int], None] = (
                (lambda page: self._seen("portion", portion, page)) if portion else (lambda page: None)
            )
            box = _WithheldBox(_clean(prefix), _clean(block.mark), _codes_label(codes), self.box, on_draw)
            box.spaceAfter = 8  # platypus adds it below the box (a KeepTogether with a Spacer cost a wrap more)
            return box
        raise ValueError(
            f"cannot typeset a release block of kind {block.kind!r}; "
            "expected banner, struck, field, portion or withheld"
        )

    @staticmethod
    def _prefix(block: Block) -> str:
        return _markup(block.prefix)

    def _runs(self, runs: list[Run], *, strike: bool = False, portion: str | None = None, field: str = "") -> str:
        out = []
        for run in runs:
            if run.redaction is not None:
                out.append(self._entity_markup(run, portion, field))
            elif strike or run.struck:
                out.append(f"<strike>{_markup(run.text)}</strike>")
            else:
                out.append(_markup(run.text))
        return "".join(out)

    def _entity_markup(self, run: Run, portion: str | None, field: str) -> str:
        redaction = self.redactions.get(run.redaction or "")
        # The label comes from the codes when the redaction is known, so it cannot vary with what it hides.
        label = _codes_label(redaction.codes) if redaction else _clean(run.text).strip("[] ") or "REDACTED"
        self._index_entity(run.redaction or "", redaction, portion, field)
        self.entity_labels.append((run.redaction or "", label))
        # The non-breaking spaces reserve the box's width and keep it on one line, so the paragraph
        # flows around a gap that is the same for every entity; the zero-width callback after them
        # draws the box over that gap. (Callback first would exempt the word from line breaking.)
        return "\xa0" * ENTITY_BOX_SPACES + f'<onDraw name="{_BOX_CALLBACK}" label="{len(self.entity_labels) - 1}"/>'

    # -- index of withholdings
    @staticmethod
    def _cell(text: str, width: float, font: str = FONT) -> str:
        """The cell's text broken into lines that fit `width` (6 pt padding each side).

        A Table draws a string cell line by line; a Paragraph per cell was wrapped three times over (to size
        the row, to split the table across pages, to draw it) and made the index most of the PDF's cost.
        """
        return "\n".join(_lines(_clean(text).replace("\n", " "), font, INDEX_SIZE, width - 12))

    def _index_portion(self, portion_id: str | None, codes: list[str] | None = None) -> _IndexItem | None:
        """The index row of a withheld portion, listed when it is first drawn."""
        if not portion_id:
            return None
        return self._item("portion", portion_id, codes or [])

    def _index_entity(self, redaction_id: str, redaction: Redaction | None, portion: str | None, field: str) -> None:
        """The index row of a masked entity, listed when it is first drawn. (`portion` and `field` are the
        release's index's business now; render/pages.py still passes them.)"""
        self._item("entity", redaction_id, list(redaction.codes) if redaction else [])

    def _item(self, kind: str, key: str, codes: list[str]) -> _IndexItem:
        item = self._item_of.get((kind, key))
        if item is None:
            entry = self.entries.get((kind, key))
            # A box the Release's index does not list (a run naming an unknown redaction) still gets a row.
            if entry is not None:
                item = _IndexItem.of(entry)
            elif kind == "entity":
                item = _IndexItem(kind, key, "Header", "Masked text", codes, "Personal data masked in released text")
            else:
                item = _IndexItem(kind, key, "Header", "Portion withheld in full", codes, "withheld")
            self.items.append(item)
            self._item_of[(kind, key)] = item
        return item

    def _add_unplaced_items(self) -> None:
        """Withholdings the Release lists but no block shows still get a row (with no page), in the order of
        the Release's index: then the reviewer's reversals and the released officials."""
        for kind, key in self.entries:
            self._item(kind, key, [])

    def _index_table(self) -> Flowable:
        st = self.styles
        if not self.items:
            return Paragraph("No information was withheld from this document.", st["body"])
        placeholder_page = 1 if self.placeholder else None
        # A reviewed release says who decided each row; a machine-only one keeps the room for justifications.
        reviewed = bool(self.release.review) or any(i.decided != "machine" for i in self.items)
        head = ["Item", "Page", "Paragraph", "Withheld", "Exemptions", "Decided by", "Justification"]
        widths = [w * inch for w in (0.5, 0.5, 1.0, 1.15, 0.95, 1.0)]
        if not reviewed:
            del head[5]
            widths = [w * inch for w in (0.5, 0.55, 1.0, 1.4, 1.05)]
        widths.append(FRAME_WIDTH - sum(widths))
        rows: list[list[str]] = [[self._cell(h, w, FONT_BOLD) for h, w in zip(head, widths, strict=True)]]
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
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    *_TABLE_FONT,
                    ("FONTSIZE", (0, 0), (-1, -1), INDEX_SIZE),
                    ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                    ("LEADING", (0, 0), (-1, -1), INDEX_SIZE * 1.25),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table

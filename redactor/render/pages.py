"""The release on the original pages: the upload's own pages, redactions burned in, as a new PDF.

The pages come from `Release.pages` (made by redactor.original): images of the upload in which every
withheld region is already filled, so no withheld pixel reaches this module. The PDF is written fresh
with reportlab from those images: no object, font, annotation, attachment, metadata or script of the
upload is carried over. On each page: the image; the exemption codes printed in each box; the release's
banner over the old page banners (or in the margins when the page had none); a line through each old
portion mark and classification line; on the first page the disposition stamp. Then the typeset pages of
render/pdf.py: the declassification block and the index of withholdings, each row with the page of its box.

The text layer. A release is searchable: each released word is written, in the embedded font, at the
place of that word on the page, in text render mode 3 (not painted). This is the one exception to
pdf-safety property 6 (no invisible text), and it is bounded: the layer is made only of `ReleasePage.words`
(released words outside every box, never a hidden, masked or withheld character), and the tests check that
its words are words of the text release, that none lies inside a box and that no canary is in it.
`render(release, text_layer=False)` leaves it out.
"""

from __future__ import annotations

import hashlib
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from redactor import __version__
from redactor.ingest.ocr import render_page
from redactor.release import PageBox, Release, ReleasePage
from redactor.render import pdf as typeset
from redactor.render.pdf import FONT, FONT_BOLD, _clean, _fit_size, _pdf_date

PREVIEW_DPI = 100.0  # the review view's page images: readable on screen, small to send
LABEL_SIZE = 9.0
BANNER_SIZE = 10.0


def _inside(a: PageBox, b: PageBox, slack: float = 3.0) -> bool:
    return a.x0 >= b.x0 - slack and a.y0 >= b.y0 - slack and a.x1 <= b.x1 + slack and a.y1 <= b.y1 + slack


def preview(release: Release, dpi: float = PREVIEW_DPI) -> list[bytes]:
    """PNG images of the release's original pages as its PDF shows them (boxes, labels, banners, stamp),
    for the review view. Made from the release's own PDF, so they hold what it holds: nothing withheld."""
    pdf = render(release)
    out = []
    for page in release.pages:
        buf = io.BytesIO()
        render_page(pdf, page.number, dpi).save(buf, format="PNG", optimize=True)
        out.append(buf.getvalue())
    return out


def render(release: Release, *, text_layer: bool = True) -> bytes:
    """The release on its original pages as PDF bytes (the same Release always gives the same bytes)."""
    if not release.pages:
        raise ValueError("this release has no original pages: redact with layout='original' (a PDF upload)")
    return _PagesRenderer(release, text_layer).build()


class _PagesRenderer(typeset._Renderer):
    """The typeset renderer's wording, stamp, declassification block and index, over original pages."""

    def __init__(self, release: Release, text_layer: bool) -> None:
        super().__init__(release)
        self.text_layer = text_layer

    def build(self) -> bytes:
        out = io.BytesIO()
        c = Canvas(
            out,
            pagesize=letter,
            invariant=1,
            pageCompression=1,
            initialFontName=FONT,
            initialFontSize=typeset.BODY_SIZE,
            lang="en",
        )
        # As render/pdf.py: the file /ID and the dates come from the release date, never the clock.
        c._doc.signature = hashlib.md5(b"redactor release " + _pdf_date(self.date).encode(), usedforsecurity=False)
        c._doc.setDateFormatter(lambda *_: _pdf_date(self.date))
        c.setTitle(self._title())
        c.setAuthor(_clean(self.settings.agency) or "Declassified release")
        c.setSubject(self._stamp_text())
        c.setCreator(f"redactor {__version__}")
        c.setProducer(f"redactor {__version__}")
        c.setKeywords("")
        self._index_in_page_order()
        total = len(self.release.pages)
        for page in self.release.pages:
            self._original_page(c, page, total)
            c.showPage()
        self._appendix(c)
        c.save()
        return out.getvalue()

    # -- index rows, with the page of each box
    def _index_in_page_order(self) -> None:
        for page in self.release.pages:
            for box in page.boxes:
                if box.kind == "withheld":
                    item = self._index_portion(box.item, box.codes)
                elif box.kind == "entity":
                    red = self.redactions.get(box.item)
                    self._index_entity(box.item, red)
                    item = self._item_of.get(("entity", box.item))
                else:
                    continue
                if item is not None and item.page is None:
                    item.page = page.number
        self._add_unplaced_items()

    # -- an original page
    def _original_page(self, c: Canvas, page: ReleasePage, total: int) -> None:
        w, h = page.width, page.height
        c.setPageSize((w, h))
        if self.text_layer and page.words:
            self._words(c, page)
        c.drawImage(ImageReader(page.image), 0, 0, width=w, height=h)
        banners = [b for b in page.boxes if b.kind == "banner"]
        drawn = [b for b in page.boxes if b.kind == "region"]
        for b in page.boxes:
            if b.kind == "entity" and any(_inside(b, r) for r in drawn):
                continue  # a word under a box the reviewer drew: that box's label says it
            if b.kind in ("withheld", "entity", "region"):
                self._box_label(c, b)
            elif b.kind == "struck":
                c.saveState()
                c.setLineWidth(0.8)
                y = (b.y0 + b.y1) / 2
                c.line(b.x0, y, b.x1, y)
                c.restoreState()
        banner = _clean(self.release.banner or "UNCLASSIFIED")
        for b in banners:
            self._text_in(c, banner, b, FONT_BOLD, BANNER_SIZE, colors.black, min_width=w / 3)
        tops = [b for b in banners if b.y0 > h * 0.85]
        bottoms = [b for b in banners if b.y1 < h * 0.15]
        if not tops:
            self._margin_line(c, banner, w, h - 16)
        if not bottoms:
            self._margin_line(c, banner, w, 8)
        self._margin_line(c, f"{self._agency_line()}    Release page {page.number} of {total}", w, h - 7, FONT, 6.5)
        if page.number == 1:
            self._stamp(c, w, h)

    def _words(self, c: Canvas, page: ReleasePage) -> None:
        """The text layer: released words in render mode 3 at their places, under the image."""
        t = c.beginText()
        t.setTextRenderMode(3)
        for word in page.words:
            text = _clean(word.text)
            height = max(word.y1 - word.y0, 1.0)
            natural = pdfmetrics.stringWidth(text, FONT, height) or 1.0
            size = max(min(height, height * (word.x1 - word.x0) / natural), 1.0)
            t.setFont(FONT, size)
            t.setTextOrigin(word.x0, word.y0 + 0.2 * height)
            t.textOut(text)
        t.setTextRenderMode(0)
        c.drawText(t)

    def _box_label(self, c: Canvas, b: PageBox) -> None:
        colour = colors.black if self.settings.box == "white" else colors.white
        if self.settings.box == "white":
            c.saveState()
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.75)
            c.rect(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0, stroke=1, fill=0)
            c.restoreState()
        self._text_in(c, typeset._codes_label(b.codes), b, FONT_BOLD, LABEL_SIZE, colour)

    @staticmethod
    def _text_in(
        c: Canvas, text: str, b: PageBox, font: str, size: float, colour: colors.Color, min_width: float = 0.0
    ) -> None:
        width = max(b.x1 - b.x0, min_width)
        size = min(size, max(b.y1 - b.y0 - 1, 4.0))
        size = _fit_size(text, font, size, width - 2, smallest=4.0)
        cx = (b.x0 + b.x1) / 2
        c.saveState()
        if min_width and width > b.x1 - b.x0:  # a banner wider than the old one: room for it on white
            c.setFillColor(colors.white)
            tw = pdfmetrics.stringWidth(text, font, size) + 4
            c.rect(cx - tw / 2, b.y0, tw, b.y1 - b.y0, stroke=0, fill=1)
        c.setFillColor(colour)
        c.setFont(font, size)
        c.drawCentredString(cx, (b.y0 + b.y1) / 2 - size * 0.35, text)
        c.restoreState()

    @staticmethod
    def _margin_line(
        c: Canvas, text: str, width: float, y: float, font: str = FONT_BOLD, size: float = BANNER_SIZE
    ) -> None:
        text = _clean(text)
        size = _fit_size(text, font, size, width - 2 * 36, smallest=4.0)
        tw = pdfmetrics.stringWidth(text, font, size)
        c.saveState()
        c.setFillColor(colors.white)
        c.rect(width / 2 - tw / 2 - 2, y - 2, tw + 4, size + 2, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(font, size)
        c.drawCentredString(width / 2, y, text)
        c.restoreState()

    def _stamp(self, c: Canvas, width: float, height: float) -> None:
        """The disposition stamp, top right of the first page, on white."""
        stamp, codes = self._stamp_text(), _clean(", ".join(self.release.codes))
        w = 2.2 * 72
        x, y = width - w - 24, height - 58
        c.saveState()
        c.setFillColor(colors.white)
        c.setStrokeColor(colors.black)
        c.setLineWidth(1.5)
        c.rect(x, y, w, 32, stroke=1, fill=1)
        c.setFillColor(colors.black)
        size = _fit_size(stamp, FONT_BOLD, 12, w - 8)
        c.setFont(FONT_BOLD, size)
        c.drawCentredString(x + w / 2, y + 18, stamp)
        size = _fit_size(codes, FONT_BOLD, 8, w - 8, smallest=4.0)
        c.setFont(FONT_BOLD, size)
        c.drawCentredString(x + w / 2, y + 6, codes)
        c.restoreState()

    # -- the typeset pages after the originals
    def _appendix(self, c: Canvas) -> None:
        story = [
            typeset._Text.plain("Declassification", "heading"),
            self._first_page_head(),
            typeset._Space(14),
            typeset._Text.plain(
                f"This release reproduces the {len(self.release.pages)} original page(s) of the "
                "document with each withholding boxed and labelled with its exemption codes. "
                "The index below lists each withholding and the page of its box.",
                "body",
            ),
            typeset._Space(10),
            typeset._Text.plain("Index of withholdings", "heading"),
            typeset._Late(self._index_table),
        ]
        for page in self._typeset(c._doc, story, first=len(self.release.pages) + 1):
            c.setPageSize(letter)
            c.addLiteral("\n".join(page.code))
            c.showPage()

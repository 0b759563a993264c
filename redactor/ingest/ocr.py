"""Scanned PDFs: each page rendered (pypdfium2), deskewed, read by Tesseract, laid out like a text layer.

Tesseract (Debian `tesseract-ocr`) runs as a subprocess on a PNG and answers in its TSV format: words with
their boxes and confidences, grouped in blocks, paragraphs and lines. Each word becomes glyphs (its box
split evenly between its letters, the height of its line) that go through the PDF reader's own layout
code, so a scan is read in the same reading order, with the same page furniture and table cells, as a
text PDF, and every character keeps its place on the page (`SourceText.boxes`) for a release burned into
the original pages. The deskew angle of each page (`SourceText.deskew`) is applied again when the release
renders that page, so the boxes land where the words are.

Nothing of the document reaches the logs or error messages.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter

from redactor.errors import InputError
from redactor.ingest.limits import Deadline
from redactor.ingest.source import SourceText

MAX_SKEW = 3.0    # degrees searched each way when deskewing
# State's pilcrow paragraph numbers as Tesseract reads them at the start of a line: `q1.`, `ql.`, `§2.`.
PILCROW_RE = re.compile(r"[q§¶]([0-9lI|]{1,2})\.")


def _paragraph_number(word: str) -> str:
    m = PILCROW_RE.fullmatch(word)
    if not m:
        return word
    return "¶" + re.sub(r"[lI|]", "1", m.group(1)) + "."


def available() -> bool:
    return shutil.which("tesseract") is not None


def render_page(data: bytes, number: int, dpi: float, deskew: float = 0.0) -> Image.Image:
    """Page `number` (from 1) of a PDF as a grayscale image at `dpi`, rotated by `deskew` degrees, white
    where the rotation uncovers the corners. The one rasteriser of the project (the OCR and the release
    on the original pages both use it)."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
        try:
            page = doc[number - 1]
            image = page.render(scale=dpi / 72, grayscale=True, draw_annots=False).to_pil().convert("L")
            page.close()
        finally:
            doc.close()
    except pdfium.PdfiumError:
        raise InputError(f"page {number} of the PDF cannot be rendered") from None
    if deskew:
        image = image.rotate(deskew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return image


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return [tuple(doc[i].get_size()) for i in range(len(doc))]  # type: ignore[misc]
    finally:
        doc.close()


def skew_angle(image: Image.Image) -> float:
    """The rotation (degrees) that makes the text lines of a page horizontal: the angle whose row profile
    of dark pixels is the most peaked (coarse, then fine)."""
    import numpy as np

    small = image.copy()
    small.thumbnail((800, 800))
    dark = small.point(lambda v: 255 if v < 128 else 0)
    if not dark.getbbox():
        return 0.0

    def score(angle: float) -> float:
        rows = np.asarray(dark.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float64).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max((a / 2 for a in range(int(-MAX_SKEW * 2), int(MAX_SKEW * 2) + 1)), key=score)
    fine = [best + k / 20 for k in range(-10, 11)]
    angle = max(fine, key=score)
    return round(angle, 2) if abs(angle) >= 0.1 else 0.0


def read(data: bytes, pages: int, limits: dict[str, Any], deadline: Deadline) -> SourceText:
    """Text of a scanned PDF by Tesseract, page by page, with boxes, confidences and the mean confidence."""
    from redactor.ingest.pdf import Glyph, _Writer, write_page

    dpi = float(limits["ocr_dpi"])
    w = _Writer()
    deskew: dict[int, float] = {}
    conf_of: dict[tuple, float] = {}
    sizes = page_sizes(data)
    with tempfile.TemporaryDirectory(prefix="redactor-ocr-") as tmp:
        for page in range(1, pages + 1):
            deadline.check(f"OCR of page {page}")
            image = render_page(data, page, dpi)
            angle = skew_angle(image)
            if angle:
                deskew[page] = angle
                image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
            image = image.filter(ImageFilter.MedianFilter(3))
            path = Path(tmp) / f"p{page}.png"
            image.save(path)
            try:
                # One thread: Tesseract's OpenMP threads are 2.5 times slower on a shared 2-core machine.
                tsv = subprocess.run(["tesseract", str(path), "stdout", "--psm", "3", "tsv"], check=True,
                                     capture_output=True, timeout=max(deadline.remaining(), 1.0),
                                     env={**os.environ, "OMP_THREAD_LIMIT": "1"}
                                     ).stdout.decode("utf-8", "replace")
            except (subprocess.SubprocessError, OSError):
                raise InputError(f"OCR failed on page {page} of the scanned PDF") from None
            width, height = sizes[page - 1] if page <= len(sizes) else (image.width * 72 / dpi,
                                                                          image.height * 72 / dpi)
            glyphs = _glyphs(tsv, Glyph, image.width / width, height, conf_of, page)
            write_page(w, glyphs, page, (0.0, 0.0, float(width), float(height)))
    text = w.b.text()
    boxes = w.padded_boxes()[:len(text)]
    confidence: list[tuple[int, int, float]] = []
    for i, box in enumerate(boxes):
        conf = conf_of.get(box) if box is not None else None
        if conf is None:
            continue
        if confidence and confidence[-1][1] == i and confidence[-1][2] == conf:
            confidence[-1] = (confidence[-1][0], i + 1, conf)
        else:
            confidence.append((i, i + 1, conf))
    words = [c for key, c in conf_of.items() if key[0] == "word"]
    notes = [f"OCR by Tesseract of {pages} scanned page(s): mean word confidence "
             f"{statistics.fmean(words) if words else 0:.0f}%"]
    if deskew:
        notes.append(f"deskewed page(s): {', '.join(f'{p} ({a:+.2f} deg)' for p, a in sorted(deskew.items()))}")
    return SourceText(text, "pdf", w.b.anchors or [(0, 0)], metadata={"pages": str(pages), "ocr": "tesseract"},
                      notes=notes, boxes=boxes, pages=w.pages, furniture=w.furniture, confidence=confidence,
                      deskew=deskew)


def _glyphs(tsv: str, glyph: Any, scale: float, height: float, conf_of: dict[tuple, float], page: int) -> list:
    """Tesseract's words as glyphs in points (origin bottom left), one per letter and one per space."""
    lines: dict[tuple[str, str, str], tuple[int, int]] = {}
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        try:
            left, top, w, h, conf = int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9]), float(cols[10])
        except ValueError:
            continue
        key = (cols[2], cols[3], cols[4])
        if cols[0] == "4":
            lines[key] = (top, top + h)
        elif cols[0] == "5" and cols[11].strip():
            words.append((key, left, top, w, h, max(conf, 0.0), cols[11].strip()))
    out: list = []
    prev_key = None
    for n, (key, left, top, w, h, conf, text) in enumerate(words):
        if prev_key != key:
            text = _paragraph_number(text)
        ltop, lbottom = lines.get(key, (top, top + h))
        y1, y0 = height - ltop / scale, height - lbottom / scale
        x0, x1 = left / scale, (left + max(w, 1)) / scale
        size = max(y1 - y0, 1.0) * 0.8
        if prev_key == key and out:
            last = out[-1]
            out.append(glyph(" ", last.x1, y0, max(x0, last.x1), y1, size, len(out), len(out), 0, None, None))
        step = (x1 - x0) / len(text)
        for k, ch in enumerate(text):
            g = glyph(ch, x0 + k * step, y0, x0 + (k + 1) * step, y1, size, len(out), len(out), 0, None, None)
            out.append(g)
            conf_of[(page, g.x0, g.y0, g.x1, g.y1)] = conf
        conf_of[("word", page, n)] = conf
        prev_key = key
    return out

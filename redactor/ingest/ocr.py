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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter

from redactor.errors import InputError
from redactor.ingest.limits import Deadline
from redactor.ingest.source import SourceText

MAX_SKEW = 3.0  # degrees searched each way when deskewing
WIDE_GAP = 1.5  # a gap between two words of a line wider than this many glyph sizes separates cells (as _rows)
# State's pilcrow paragraph numbers as Tesseract reads them at the start of a line: `q1.`, `ql.`, `§2.`.
PILCROW_RE = re.compile(r"[q§¶]([0-9lI|]{1,2})\.")


def _paragraph_number(word: str) -> str:
    m = PILCROW_RE.fullmatch(word)
    if not m:
        return word
    return "¶" + re.sub(r"[lI|]", "1", m.group(1)) + "."


def available() -> bool:
    return shutil.which("tesseract") is not None


def render_page(
    data: bytes, number: int, dpi: float, deskew: float = 0.0, prepare: Callable[[Any], None] | None = None
) -> Image.Image:
    """Page `number` (from 1) of a PDF as a grayscale image at `dpi`, rotated by `deskew` degrees, white
    where the rotation uncovers the corners. The one rasteriser of the project (the OCR and the release
    on the original pages both use it). `prepare(page)` may edit pdfium's page objects before the page is
    rendered (the release on the original pages removes what is no text)."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
        try:
            page = doc[number - 1]
            if prepare is not None:
                prepare(page)
            image = page.render(scale=dpi / 72, grayscale=True, draw_annots=False).to_pil().convert("L")
            page.close()
        finally:
            doc.close()
    except (pdfium.PdfiumError, ValueError):  # pypdfium2 raises ValueError for a crop box off the page
        raise InputError(f"page {number} of the PDF cannot be rendered") from None
    if deskew:
        image = image.rotate(deskew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return image


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return [tuple(doc[i].get_size()) for i in range(len(doc))]
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
    recovered: dict[str, int] = {}
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
                tsv = subprocess.run(
                    ["tesseract", str(path), "stdout", "--psm", "3", "tsv"],
                    check=True,
                    capture_output=True,
                    timeout=max(deadline.remaining(), 1.0),
                    env={**os.environ, "OMP_THREAD_LIMIT": "1"},
                ).stdout.decode("utf-8", "replace")
            except (subprocess.SubprocessError, OSError):
                raise InputError(f"OCR failed on page {page} of the scanned PDF") from None
            width, height = sizes[page - 1] if page <= len(sizes) else (image.width * 72 / dpi, image.height * 72 / dpi)
            glyphs = _glyphs(tsv, Glyph, image.width / width, height, conf_of, page, recovered)
            write_page(w, glyphs, page, (0.0, 0.0, float(width), float(height)))
    text = w.b.text()
    boxes = w.padded_boxes()[: len(text)]
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
    notes = [
        f"OCR by Tesseract of {pages} scanned page(s): mean word confidence "
        f"{statistics.fmean(words) if words else 0:.0f}%"
    ]
    if recovered:
        notes.append(
            f"portion marks damaged in the scan: {recovered.get('recovered', 0)} read back, "
            f"{recovered.get('raised', 0)} unreadable, read as TOP SECRET and flagged"
        )
    if deskew:
        notes.append(f"deskewed page(s): {', '.join(f'{p} ({a:+.2f} deg)' for p, a in sorted(deskew.items()))}")
    return SourceText(
        text,
        "pdf",
        w.b.anchors or [(0, 0)],
        metadata={"pages": str(pages), "ocr": "tesseract"},
        notes=notes,
        boxes=boxes,
        pages=w.pages,
        furniture=w.furniture,
        confidence=confidence,
        deskew=deskew,
    )


NUMBER_WORD_RE = re.compile(r"¶?\d{1,3}\.|SUBJECT:|SUBJ:", re.IGNORECASE)
RAISED_CONFIDENCE = 0.0  # a mark read higher than printed: below the engine's threshold, so it is flagged


def _recover_marks(words: list, counts: dict[str, int] | None) -> list:
    """Damaged portion marks at the start of a line (or after its paragraph number) read back
    (recover_mark), the words of a mark that OCR split joined into one."""
    out: list = []
    i = 0
    while i < len(words):
        key = words[i][0]
        first = i == 0 or words[i - 1][0] != key
        after_number = (
            not first and NUMBER_WORD_RE.fullmatch(words[i - 1][6]) is not None and (i == 1 or words[i - 2][0] != key)
        )
        if not (first or after_number):
            out.append(words[i])
            i += 1
            continue
        j = i + 1
        joined = words[i][6]
        while (
            joined[:1] in _OPEN
            and not any(c in joined for c in _CLOSE)
            and j < len(words)
            and j - i < 6
            and words[j][0] == key
        ):
            joined += " " + words[j][6]
            j += 1
        found = recover_mark(joined, after_number) if j > i + 1 and any(c in joined for c in _CLOSE) else None
        if found is None or found[1] == "exact":
            j = i + 1
            found = recover_mark(words[i][6], after_number)
        if found is None or found[1] == "exact":
            out.append(words[i])
            i += 1
            continue
        parts = words[i:j]
        left = min(p[1] for p in parts)
        right = max(p[1] + p[3] for p in parts)
        conf = min(p[5] for p in parts) if found[1] == "recovered" else RAISED_CONFIDENCE
        out.append((key, left, parts[0][2], right - left, parts[0][4], conf, found[0]))
        if counts is not None:
            counts[found[1]] = counts.get(found[1], 0) + 1
        i = j
    return out


def _glyphs(
    tsv: str,
    glyph: Any,
    scale: float,
    height: float,
    conf_of: dict[tuple, float],
    page: int,
    recovered: dict[str, int] | None = None,
) -> list:
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
    words = _recover_marks(words, recovered)
    out: list = []
    prev_key = None
    for n, (key, left, top, w, h, conf, text) in enumerate(words):
        if prev_key != key:
            text = _paragraph_number(text)
        ltop, lbottom = lines.get(key, (top, top + h))
        y1, y0 = height - ltop / scale, height - lbottom / scale
        x0, x1 = left / scale, (left + max(w, 1)) / scale
        size = max(y1 - y0, 1.0) * 0.8
        # A space joins the words of a line, but not across a gap as wide as a table's gutter or a column's:
        # Tesseract reads a table row as one line, and its cells must stay apart for the layout (_rows).
        if prev_key == key and out and x0 - out[-1].x1 < WIDE_GAP * size:
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


# --- portion marks damaged by OCR ------------------------------------------------------------------
# Letters OCR confuses with the letters of the level tokens, and the brackets it misreads.
_CONFUSED = str.maketrans(
    {
        "5": "S",
        "$": "S",
        "§": "S",
        "8": "S",
        "0": "O",
        "G": "C",
        "€": "C",
        "©": "C",
        "¢": "C",
        "|": "I",
        "1": "I",
        "!": "I",
        "7": "T",
    }
)
_CONTROL_CONFUSED = str.maketrans({"0": "O", "1": "I", "5": "S", "$": "S", "E": "F", "P": "F"})
_REL_CONFUSED = str.maketrans({"0": "O", "1": "I", "5": "S", "$": "S", "7": "T"})  # in the countries of REL TO
_OPEN, _CLOSE = "([{<", ")]}>"
_LEVELS = ("U", "C", "S", "TS")
_LEVEL_WORDS = {"UNCLASSIFIED": "U", "CONFIDENTIAL": "C", "SECRET": "S", "TOP SECRET": "TS"}
# What the inside of a damaged mark may hold: letters, digits, their look-alikes, separators.
_CANDIDATE_RE = re.compile(r"[A-Za-z0-9$§€©¢|!/\\ ,.-]{1,46}")


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, with an adjacent swap counted as one edit."""
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, prev2[j - 2] + 1)
            cur.append(d)
        prev2, prev = prev, cur
    return prev[-1]


def _nearest(token: str, vocabulary: list[str]) -> str | None:
    """The one vocabulary word within reach of `token` (1 edit up to 4 letters, 2 beyond), else None."""
    if token in vocabulary:
        return token
    reach = 1 if len(token) <= 4 else 2
    near = [
        (d, v)
        for v in vocabulary
        if abs(len(v) - len(token)) <= reach and (d := _edits(token, v)) <= reach and len(v) > 1
    ]
    best = [v for d, v in near if d == min((d for d, _ in near), default=99)]
    return best[0] if len(best) == 1 else None


def _level(token: str) -> str | None:
    token = token.strip()
    for candidate in (token, token.translate(_CONFUSED)):
        if candidate in _LEVELS:
            return candidate
        if candidate in ("LJ", "LI", "IJ", "UJ", "(J"):
            return "U"
        if candidate in ("T5", "IS", "T$"):
            return "TS"
        word = _nearest(candidate, list(_LEVEL_WORDS))
        if word and len(candidate) > 3:
            return _LEVEL_WORDS[word]
    return None


def recover_mark(word: str, after_number: bool = False) -> tuple[str, str] | None:
    """A portion mark OCR damaged (typos, garbled or missing delimiters, reordering, wrong case, superseded
    tokens), read back: (mark, "recovered") when the evidence is strong; (mark, "raised") when it is a mark
    but cannot be read with confidence (the scheme's highest level, flagged); None when it is not a mark.
    A recovered mark is never lower than the one printed: where two readings are possible the higher wins.
    """
    from redactor.markings import CONTROL_ALIASES, US, control_order, parse_mark

    text = word.strip()
    if not text or len(text) > 48:
        return None
    good = parse_mark(text)
    if good is not None and "malformed" not in good.flags:
        return (text, "exact")
    opened = text[0] in _OPEN
    closed = text[-1] in _CLOSE or (len(text) > 2 and text[-1] == "J" and text[-2] not in "/")
    body = text[1 if opened else 0 : len(text) - (1 if closed else 0)]
    if not body.strip() or not _CANDIDATE_RE.fullmatch(body):
        return None
    if not (opened or closed):
        # Both brackets lost: a mark only where a mark stands (after the paragraph number) and only when
        # it reads as one (`S//NF`, `C`).
        if not after_number or not ("/" in body or body.upper().translate(_CONFUSED) in _LEVELS):
            return None
    lowered = body != body.upper()
    body = body.upper()
    tokens = [t.strip() for t in re.split(r"\s*[/\\|]+\s*", body) if t.strip()]
    if tokens and " " in tokens[0] and _level(tokens[0].split()[0]):  # `(S NF)`, `(TS SI//NF)`
        tokens = tokens[0].split(None, 1) + tokens[1:]
    if not tokens:
        return None
    # A one-letter lower-case token is a list label (`(c)`), unless it stands where a mark stands.
    if lowered and len(tokens) == 1 and len(tokens[0]) == 1 and not after_number and tokens[0] != "U":
        return None
    levels = [(i, lv) for i, t in enumerate(tokens) if (lv := _level(t))]
    if not levels:
        return None if len(tokens) == 1 else ("(TS)", "raised")
    # Reordered (`NF//S`): the level is the token that reads as one; if several do, the highest.
    index, level = max(levels, key=lambda p: _LEVELS.index(p[1]))
    controls: list[str] = []
    vocabulary = [k for k in CONTROL_ALIASES if " " not in k]
    for t in tokens[:index] + tokens[index + 1 :]:
        rel = re.fullmatch(r"R[E3]L\s*[T7][O0]\s+(.+)", t)
        if rel:
            countries = [c.strip().translate(_REL_CONFUSED) for c in rel.group(1).split(",")]
            controls.append("REL TO " + ", ".join(c for c in countries if c))
            continue
        compact = t.replace(" ", "")
        fixed = compact.translate(_CONTROL_CONFUSED)
        name = fixed if fixed in vocabulary else _nearest(compact, vocabulary)
        if name is None:
            return ("(TS)" if _LEVELS.index(level) < 3 else f"({level})", "raised")
        controls.append(CONTROL_ALIASES[name] if CONTROL_ALIASES[name] in ("NOFORN",) else name)
    order = control_order(US)

    def sort_key(c: str) -> tuple[int, int]:
        return order(CONTROL_ALIASES.get(c, c)) if not c.startswith("REL TO") else (98, 0)

    controls.sort(key=sort_key)
    mark = "(" + "//".join([level, *controls]) + ")"
    read = parse_mark(mark)
    if read is None or "malformed" in read.flags:
        return ("(TS)", "raised")
    return (mark, "recovered")

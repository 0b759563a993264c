"""What the page shows: a reader's text without its hidden characters.

Marks are read from visible text only, and hidden text can only raise a level, never lower it. The engine
segments this view (so a white `(U)` drawn before a visible `(S)` cannot be the portion's mark, and a hidden
character cannot break a visible mark apart), and reads the whole text as well to keep the higher level
wherever the hidden text would raise one. Hidden text never reaches the Document the engine releases from: each
hidden span becomes a zero-width point in the view (`SourceText.hidden` of the view), where the portion that
holds it is withheld.

Appended content (the readers' `include_annotations` block: annotation text, form field values, bookmark
titles, metadata, image descriptions) is not hidden on the page; it stays in the view as the unmarked block
the option asks for.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from dataclasses import dataclass

from redactor.ingest.source import SourceText

APPENDED = frozenset(
    {"annotation text", "form field value", "bookmark title", "document metadata", "image description"}
)


# Characters no page shows: format characters (zero-width spaces and joiners, soft hyphens, BOMs) carry nothing
# and are left out of the view, so `(\u200bS)` reads as the `(S)` it shows; bidirectional controls change the
# order a reader sees, so they are hidden text of their own.
BIDI = "bidirectional control character"
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
FORMAT = "format character"
# Other characters Unicode says to draw as nothing (the combining grapheme joiner, variation selectors, Hangul
# fillers, tag characters) are silent too: `(S\ufe0f)` shows `(S)`.
_FORMAT = re.compile(
    "[\u00ad\u200b-\u200d\u2060-\u2064\ufeff\u180e\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164"
    "\ufe00-\ufe0f\uffa0\U000e0000-\U000e0fff]"
)
# Marks written with lookalike letters or full-width forms are read as the marks they show: `(С)` with a
# Cyrillic С is a CONFIDENTIAL mark on the page, a Greek `(Σ)` a SECRET one.
_LOOKALIKE = str.maketrans("АВСЕНІЈКМОРЅТХУԁΑΒΕΖΗΙΚΜΝΟΡΤΥΧΣ", "ABCEHIJKMOPSTXYdABEZHIKMNOPTYXS")
# Round and square brackets, full-width or not; spaces inside (`（S ／／ NF）`), an ideographic one too.
_MARKLIKE = re.compile("[(\uff08\\[\uff3b]([^()\uff08\uff09\\[\\]\uff3b\uff3d\\n]{1,32})[)\uff09\\]\uff3d]")


# What a mark-like token is once its combining marks are left out: capitals, digits and a mark's punctuation.
_MARK_SHAPED = re.compile(r"[(\[][A-Z0-9/\\|:;.,+ -]{1,32}[)\]]")


def _is_mark(token: str) -> bool:
    """Whether `token` (brackets included) is a mark, well formed or damaged, of any scheme."""
    from redactor.markings import parse_mark, read_damaged
    from redactor.markings.schemes import SCHEMES

    return any(parse_mark(token, sc) is not None or read_damaged(token[1:-1], sc) for sc in SCHEMES.values())


def _base_letter(c: str) -> str:
    """An accented letter's ASCII base letter (`Ś` -> `S`), else `c`."""
    d = unicodedata.normalize("NFD", c)
    if len(d) > 1 and d[0].isascii() and all(unicodedata.category(x) in ("Mn", "Me") for x in d[1:]):
        return d[0]
    return c


def _lookalike_marks(text: str) -> tuple[str, int, list[int]]:
    """`text` with mark-like tokens in lookalike or full-width letters written in ASCII (same length), and the
    offsets of combining marks inside mark-shaped tokens (`(S\u0301)`, `(S\u0336//NF)`): a mark with an accent
    or an overstrike on a letter is read as the mark (fail closed), the combining marks left out of the view."""
    if text.isascii():
        return text, 0, []
    out = list(text)
    n = 0
    combining: list[int] = []
    for m in _MARKLIKE.finditer(text):
        token = m.group(0)
        if token.isascii():
            continue
        mapped = "".join(
            unicodedata.normalize("NFKC", c) if len(unicodedata.normalize("NFKC", c)) == 1 else c for c in token
        ).translate(_LOOKALIKE)
        marks = [i for i, c in enumerate(mapped) if unicodedata.category(c) in ("Mn", "Me")]
        base = "".join(_base_letter(c) for c in mapped)  # `Ś` (one character) as `S`
        bare = "".join(c for i, c in enumerate(base) if i not in marks)
        if (marks or base != mapped) and _MARK_SHAPED.fullmatch(bare) and _is_mark(bare):
            combining += [m.start() + i for i in marks]
            mapped = base
        elif not (mapped.isascii() and len(mapped) == len(token) and mapped != token and _is_mark(mapped)):
            continue  # a word in Greek or Cyrillic letters (`(ΣΥΡΙΖΑ)`) stays as written: only a mark is mapped
        if mapped != token:
            out[m.start() : m.end()] = mapped
        n += 1
    return "".join(out), n, combining


@dataclass
class View:
    source: SourceText  # the view: its text, anchors back to the source, hidden points
    runs: list[tuple[int, int]]  # (view offset, full-text offset) where each kept run starts

    def full_offset(self, pos: int) -> int:
        """Where view offset `pos` is in the reader's whole text."""
        keys = [v for v, _ in self.runs]
        i = max(bisect.bisect_right(keys, pos) - 1, 0)
        v, f = self.runs[i] if self.runs else (0, 0)
        return f + (pos - v)


def hidden_spans(source: SourceText) -> list[tuple[int, int, str]]:
    """The spans of text a reader of the page does not see (appended content left out)."""
    return sorted((a, b, why) for a, b, why in source.hidden if why not in APPENDED and b > a)


def visible_view(source: SourceText) -> View:
    """`source` without its hidden characters; a line that only hidden text made is left out whole, so
    that taking hidden text away never splits a paragraph."""
    text, lookalikes, combining = _lookalike_marks(source.text)
    notes = list(source.notes)
    if lookalikes:
        notes.append(f"{lookalikes} mark(s) written in lookalike or full-width letters, read as the marks they show")
    spans = hidden_spans(source)
    spans += [(m.start(), m.end(), BIDI) for m in _BIDI.finditer(text)]
    silent = [(m.start(), m.end()) for m in _FORMAT.finditer(text)] + [(i, i + 1) for i in combining]
    spans.sort()
    if not spans and not silent:
        if not lookalikes:
            return View(source, [(0, 0)])
        # Same length: the character boxes, furniture and OCR words keep their offsets.
        return View(dataclasses.replace(source, text=text, hidden=[], notes=notes), [(0, 0)])
    drop = bytearray(len(text))
    for a, b, _ in spans:
        drop[a:b] = b"\1" * (b - a)
    for a, b in silent:
        drop[a:b] = b"\1" * (b - a)
    # A line whose visible characters are all blank after the hidden ones go is dropped with its newline.
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if (
            any(drop[pos:end])
            and not "".join(c for c, d in zip(text[pos:end], drop[pos:end], strict=True) if not d).strip()
        ):
            stop = min(end + 1, len(text))
            drop[pos:stop] = b"\1" * (stop - pos)
        pos = end + 1
    pieces: list[str] = []
    boxes: list[tuple[int, float, float, float, float] | None] = []
    runs: list[tuple[int, int]] = []
    anchors: list[tuple[int, int]] = []
    keys = [a for a, _ in source.anchors]
    length = 0
    i = 0
    while i < len(text):
        if drop[i]:
            i += 1
            continue
        j = drop.find(b"\1", i)
        j = len(text) if j < 0 else j
        runs.append((length, i))
        # anchors: one where the run starts, and one at each source anchor inside it
        anchors.append((length, source.source_offset(i)))
        k = bisect.bisect_right(keys, i)
        while k < len(keys) and keys[k] < j:
            anchors.append((length + keys[k] - i, source.anchors[k][1]))
            k += 1
        pieces.append(text[i:j])
        boxes.extend(source.boxes[i:j])
        length += j - i
        i = j
    view = View(SourceText("", source.format), runs or [(0, 0)])
    points = []
    for a, _b, why in spans:
        points.append((_view_offset(runs, a, length), why))
    hidden: list[tuple[int, int, str]] = []
    for pos, why in points:
        if hidden and hidden[-1][0] == pos and hidden[-1][2] == why:
            continue
        hidden.append((pos, pos, why))

    # What the pages of a PDF know of each character (its box, furniture, OCR words) goes with it into the
    # view, at its view offset; the boxes of hidden characters are left out with them.
    def span(a: int, b: int) -> tuple[int, int]:
        return _view_offset(runs, a, length), _view_offset(runs, b, length)

    view.source = dataclasses.replace(
        source,
        text="".join(pieces),
        anchors=anchors or [(0, 0)],
        metadata=dict(source.metadata),
        hidden=hidden,
        notes=notes,
        boxes=boxes if source.boxes else [],
        furniture=[s for a, b in source.furniture if (s := span(a, b))[1] > s[0]],
        confidence=[(*s, c) for a, b, c in source.confidence if (s := span(a, b))[1] > s[0]],
    )
    return view


def _view_offset(runs: list[tuple[int, int]], full: int, total: int) -> int:
    """The view offset of the first kept character at or after full-text offset `full` (`total`: the view's
    length)."""
    starts = [f for _, f in runs]
    i = bisect.bisect_right(starts, full) - 1
    if i < 0:
        return 0
    v, f = runs[i]
    end = runs[i + 1][0] if i + 1 < len(runs) else total
    return min(v + (full - f), end)

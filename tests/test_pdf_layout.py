"""The PDF renderer's own layout loop and the font objects it formats once per process.

The loop places blocks as platypus' frames placed them (a block that does not fit is split where it can be,
else it starts the next page); what it must never do is lose a block or loop. The font subsets' objects are
formatted once and linked into each document: releases with different letters, rendered in any order in one
process, must each extract as themselves and give the same bytes every time.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from test_pdf import Para, make_release

from redactor.engine import Redactor
from redactor.render import pdf
from tests.conftest import FakeDetector

TOP, BOTTOM, LEFT, WIDTH = 700.0, 100.0, 50.0, 400.0


class _Box(pdf._Block):
    """A block of a fixed height that records where it is drawn."""

    def __init__(self, name: str, height: float, drawn: list[tuple[str, int, float]]) -> None:
        self.name, self.height, self.drawn = name, height, drawn

    def wrap(self, width: float) -> float:
        return self.height

    def draw(self, page: pdf._Page, x: float, y: float) -> None:
        self.drawn.append((self.name, page.number, y))


def _pages(blocks: list[pdf._Block]) -> list[pdf._Page]:
    pages: list[pdf._Page] = []

    def new_page() -> pdf._Page:
        pages.append(pdf._Page(len(pages) + 1, None))  # type: ignore[arg-type]  # no text drawn
        return pages[-1]

    pdf._lay_out(blocks, new_page, LEFT, BOTTOM, WIDTH, TOP)
    return pages


def test_blocks_fill_a_page_then_the_next() -> None:
    drawn: list[tuple[str, int, float]] = []
    pages = _pages([_Box(n, 250, drawn) for n in "abc"])
    assert [(name, page) for name, page, _ in drawn] == [("a", 1), ("b", 1), ("c", 2)]
    assert drawn[0][2] == TOP - 250 and drawn[2][2] == TOP - 250  # the next page starts at the top
    assert len(pages) == 2


def test_a_page_break_starts_a_page_and_space_after_is_kept() -> None:
    drawn: list[tuple[str, int, float]] = []
    first = _Box("a", 100, drawn)
    first.space_after = 20
    _pages([first, _Box("b", 100, drawn), pdf._PageBreak(), _Box("c", 10, drawn)])
    assert drawn == [("a", 1, TOP - 100), ("b", 1, TOP - 220), ("c", 2, TOP - 10)]


def test_a_block_taller_than_a_page_is_an_error_not_a_loss() -> None:
    with pytest.raises(ValueError, match="taller than a page"):
        _pages([_Box("a", TOP - BOTTOM + 1, [])])


def test_text_is_split_over_pages_without_losing_a_line_or_leaving_an_orphan() -> None:
    pdf._register_fonts()
    style = pdf._STYLES["body"]
    text = pdf._Text.plain(" ".join(f"word{n}" for n in range(3000)), "body")
    lines = len(text.lines(WIDTH))
    drawn: list[tuple[str, int, float]] = []
    filler = _Box("filler", TOP - BOTTOM - style.leading * 1.5, drawn)  # room for one line only
    placed: list[int] = []
    original = pdf._Text.draw

    def count(self: pdf._Text, page: pdf._Page, x: float, y: float) -> None:
        placed.append(len(self.lines(self.width)))

    pdf._Text.draw = count  # type: ignore[method-assign]
    try:
        pages = _pages([filler, text])
    finally:
        pdf._Text.draw = original  # type: ignore[method-assign]
    assert sum(placed) == lines
    assert all(n >= 2 for n in placed), "a lone line left at the foot of a page"
    assert len(pages) == 1 + len(placed)


def _text(release_pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(release_pdf)).pages)


def test_font_objects_made_once_serve_releases_with_other_letters() -> None:
    """The subsets' objects are cached by their letters: releases with different letters, rendered in turn,
    each read as themselves, and a release rendered again gives the same bytes."""
    czech = make_release([Para("(U)", ["Dvořák and Janáček met in Brno."])])
    polish = make_release([Para("(U)", ["Wałęsa spoke in Gdańsk on Tuesday."])])
    plain = make_release([Para("(U)", ["The meeting ended at noon."])])
    first = [pdf.render(r) for r in (czech, polish, plain)]
    again = [pdf.render(r) for r in (plain, polish, czech)][::-1]
    assert first == again
    assert "Dvořák and Janáček" in _text(first[0]) and "Wałęsa" not in _text(first[0])
    assert "Wałęsa spoke in Gdańsk" in _text(first[1]) and "Dvořák" not in _text(first[1])
    assert "The meeting ended at noon." in _text(first[2])


# Letters of several scripts (some the packaged font has no glyph for), digits, and what a PDF string must
# escape; no `(`, so that no run of it reads as a portion mark.
_ALPHABET = st.sampled_from(
    list("abcxyzABCXYZ019ąęłńśźżřčšžğışéèüöß") + list("αβγΩЖжЮя中文字") + ["\\", ")", "%", "<", ">", "&", "'", '"']
    + ["\u0301", "\U0001f600", "\u00a0", "\u2019"]
)  # fmt: skip
_WORD = st.text(_ALPHABET, min_size=1, max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORD, min_size=1, max_size=40))
def test_released_text_of_any_letters_reads_back_from_the_pdf(words: list[str]) -> None:
    """Whatever letters a released paragraph holds, the PDF shows each (or, where the font has no glyph, a
    visible U+FFFD) in order: nothing is dropped, doubled or cut by the escaping, the ASCII path or the
    subsets."""
    import unicodedata

    text = " ".join(words)
    release = make_release([Para("(U)", [text])])
    assume(any(p.decision == "release" for p in release.portions if p.mark == "(U)"))
    glyphs = pdf._fonts()[pdf.FONT].face.charToGlyph
    shown = pdf._clean(text)
    expected = "".join(c if ord(c) in glyphs else pdf.MISSING_GLYPH for c in shown if not c.isspace())
    got = "".join(c for c in _text(pdf.render(release)) if not c.isspace())
    normal = unicodedata.normalize
    assert normal("NFC", expected) in normal("NFC", got)


def test_a_release_has_the_same_bytes_in_a_fresh_process_as_after_other_releases() -> None:
    """The font objects made once per process must not make a PDF depend on what the process rendered
    before: the seed's release rendered first thing in a new process equals it rendered after others."""
    root = Path(__file__).resolve().parent.parent
    script = (
        "import sys\n"
        "from redactor.engine import Redactor\n"
        "from redactor.render import pdf\n"
        "from tests.conftest import FakeDetector\n"
        f"data = open({str(root / 'examples' / 'seed-09STATE103113.txt')!r}, 'rb').read()\n"
        "engine = Redactor(detector=FakeDetector(['Tom Shannon']))\n"
        "sys.stdout.buffer.write(pdf.render(engine.redact(data, date='2026-12-01')))\n"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, check=True, timeout=120
    ).stdout
    for other in ("Dvořák and Wałęsa met in Гданьск.", "The meeting ended at noon."):
        pdf.render(make_release([Para("(U)", [other])]))
    engine = Redactor(detector=FakeDetector(["Tom Shannon"]))
    seed = (root / "examples" / "seed-09STATE103113.txt").read_bytes()
    assert pdf.render(engine.redact(seed, date="2026-12-01")) == fresh

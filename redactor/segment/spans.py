"""What the rules find (a start, a mark to attach) and the line arithmetic every reader step shares."""

from __future__ import annotations

from dataclasses import dataclass

from redactor.ingest.limits import Deadline
from redactor.ingest.source import SourceText
from redactor.markings import (
    Marking,
    Scheme,
)
from redactor.release import Document, HeaderField, Portion
from redactor.segment.rules import PAGE_BREAK_RE


@dataclass
class _Start:
    """A place where a new portion begins."""

    pos: int  # start of the portion (its number, bullet or mark)
    kind: str
    number: str = ""
    label: str = ""
    mark: str | None = None
    mark_start: int | None = None
    body_start: int = 0
    near_miss: str | None = None  # a token that may be a mangled mark (`(5)`), read at the highest it could mean
    rule: str = ""  # the name of the rule in RULES that found this start
    damaged: Marking | None = None  # what a damaged mark inside a line (`(S-NF)`) was read as
    split_from: Portion | None = None  # the portion a damaged mark inside a line split


@dataclass
class _Attach:
    """A mark on the line after a numbered heading: it belongs to the heading, which stays open."""

    heading: Portion


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each line in text[start:end], without the newline."""
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        out.append((pos, stop))
        pos = stop + 1
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class ReaderState:
    """The state of one reading of a document, shared by the header, body and level steps."""

    def __init__(self, source: SourceText, scheme: Scheme, deadline: Deadline | None = None) -> None:
        self.src = source
        self.deadline = deadline
        self.text = source.text
        self.scheme = scheme
        self.fields: list[HeaderField] = []
        self.portions: list[Portion] = []
        self.doc = Document(
            self.text,
            source.format,
            self.fields,
            self.portions,
            metadata=dict(source.metadata),
            hidden=list(source.hidden),
            notes=list(source.notes),
        )
        self.last_number: int | None = None
        self.banner_marking: Marking | None = None
        self.heading: Portion | None = None  # a numbered heading whose mark may come on a later line
        self.last_paragraph: Portion | None = None
        self.by_id: dict[str, Portion] = {}
        self.near_miss: dict[int, Marking] = {}  # id(portion) -> what its mangled mark could mean at most
        # id(portion a damaged mark in mid-line started) -> the portion it split
        self.split_from: dict[int, Portion] = {}
        # Page furniture the reader found on a PDF's pages (page banners, page numbers): read as page breaks.
        self.furniture = {a for a, _ in source.furniture}

    def page_break(self, line: str, a: int) -> bool:
        """A page-break line of the cable system, or a line the PDF reader found to be page furniture."""
        return bool(PAGE_BREAK_RE.fullmatch(line.strip())) or a + len(line) - len(line.lstrip()) in self.furniture

    def authority(self, name: str, start: int, stop: int, value_start: int) -> None:
        """A line of a memo's classification authority block (the header step reads it)."""
        raise NotImplementedError

    # The field list stays ordered and non-overlapping: each added span starts at or after the last.
    def add_field(self, name: str, start: int, end: int, value: str = "") -> HeaderField:
        start, end = _strip_span(self.text, start, end)
        f = HeaderField(name, start, end, value)
        if end > start:
            self.fields.append(f)
        return f

    def _plausible_number(self, n: int, line: str, blank_before: bool) -> bool:
        """A number at a line start opens a paragraph if it follows on from the last one.

        WikiLeaks puts a pilcrow before any number that began a line (`¶14.` may be a date wrapped to a
        new line), so a pilcrow alone is not enough; a skip of a few numbers is accepted after a blank line.
        """
        pilcrow = line.lstrip().startswith("¶")
        if self.last_number is None or (n == 1 and pilcrow):
            return n == 1 or (pilcrow and n <= 3 and blank_before)
        if n == self.last_number + 1 or (n == self.last_number and pilcrow):
            return True
        return (pilcrow or blank_before) and 0 < n - self.last_number <= 3

    def caption(self, start: int, end: int) -> None:
        words = [w.strip() for w in self.text[start:end].split(",")]
        for w in words:
            if w:
                self.doc.captions.append(w.upper())
        self.add_field("caption", start, end, ", ".join(w.upper() for w in words if w))

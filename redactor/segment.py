"""Header fields and portions of a marked document (the cable grammar of domain.md §1 and §3).

The segmenter reads the text once, top to bottom. Before the first portion it recognises header
fields (banner, captions, E.O./DECL, TAGS, SUBJECT, REF, Classified By, routing); after it, it splits
the body at paragraph numbers, portion marks and bullets. Anything it cannot place becomes an unmarked
portion, which inherits the banner: nothing is dropped, and doubt withholds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from redactor.ingest.source import SourceText
from redactor.markings import (
    MARK_RE,
    US,
    Banner,
    Marking,
    Scheme,
    caption_control,
    find_cable_banner,
    find_capco_banner,
    parse_mark,
    rank,
    rollup,
)
from redactor.release import Decl, Document, HeaderField, Portion

# ------------------------------------------------------------------------------------------ patterns
MARK = r"\((?:" + MARK_RE.pattern[3:-3] + r")\)"
# A paragraph number at the start of a line: `1.`, `¶4.`, `4.(C)`; not `2.13.10:` nor `¶2005.`.
NUMBER_RE = re.compile(r"[ \t]*(?:¶[ \t]*)?(?P<num>\d{1,3})\.(?!\d)(?=[ \t(]|[A-Z][a-z]|$)[ \t]*")
PILCROW_RE = re.compile(r"[ \t]*¶")
# What may stand between a paragraph number and its mark: a word or two and a colon (`Summary:`).
LEAD_IN_RE = re.compile(r"(?P<lead>[A-Za-z][A-Za-z /&-]{0,30}:[ \t]*)(?=\()")
# A paragraph number running on inside another paragraph's line: `... the UN. 9. (S) Garcia ...`.
RUN_ON_RE = re.compile(r"(?<=[.!?\"'”’)\]])[ \t]+(?P<num>\d{1,3})\.[ \t]*(?P<mark>" + MARK + r")")
# Run-ons that are split only when they raise the level: a number and mark after anything, or a mark
# after a sentence.
LOOSE_RUN_ON_RE = re.compile(
    r"(?:(?<![\w.])(?:¶[ \t]*)?(?P<num>\d{1,3})\.[ \t]*|(?<=[.!?:;\"”])(?P<after>[ \t]+))(?P<mark>" + MARK + r")")
BULLET_RE = re.compile(r"[ \t]*(?P<label>-{1,3}|\*|•|o|[A-Za-z]\.|[ivxIVX]{2,4}\.|\([a-z0-9]{1,3}\)|[a-z0-9]{1,2}\))"
                       r"(?:[ \t]+|(?=\())")
LINE_MARK_RE = re.compile(r"[ \t]*(?P<mark>" + MARK + r")")
SEPARATOR_RE = re.compile(r"[ \t]*[-=_*]{3,}[ \t=_*-]*")
# Page-break lines of the cable system: `STATE 00000284 002 OF 002`, `Baku 00000020 002 of 002`.
PAGE_BREAK_RE = re.compile(
    r"\b[A-Z][A-Za-z]+(?:[ \t][A-Z][A-Za-z]+)?[ \t]+0{3,}\d+[ \t]+\d{3}(?:\.\d)?[ \t]+(?:OF|of)[ \t]+\d{3}\b"
    # Older cables: `PAGE 02        VATICA  04444  01 OF 02  130613Z`, and the level repeated on each page.
    r"|PAGE[ \t]+\d{2,3}[ \t]+[A-Z]+[ \t]+\d+(?:[ \t]+\d{2}[ \t]+OF[ \t]+\d{2})?(?:[ \t]+\d{6}Z)?"
    r"|(?:CONFIDENTIAL|SECRET|TOP SECRET|UNCLASSIFIED|LIMITED OFFICIAL USE)")
# The CAPCO classification authority block at the foot of a memo.
AUTHORITY_RE = re.compile(r"[ \t]*(?P<name>Classified[ \t]+By|Derived[ \t]+From|Declassify[ \t]+On)[ \t]*:",
                          re.IGNORECASE)
ENTIRE_TEXT_RE = re.compile(
    r"\b(?P<level>TS|S|C|U|TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|LIMITED OFFICIAL USE)"
    r"[ \t]*-+[ \t]*ENTIRE TEXT\b")
WIKILEAKS_NOTE_RE = re.compile(
    r"This record is a partial extract of the original cable\.(?:\s*The full text of the original cable is"
    r" not available\.)?")

# Header field starters, anywhere in the header zone (cables put several on one line).
FIELD_STARTERS = [
    ("eo", r"\bE\.?[ \t]?[O0]\.?[ \t]*1[23]\d{3}\b|\bEO[ \t]+1[23]\d{3}\b"),
    ("tags", r"\bTAGS\b:?"),
    ("subject", r"\bSUBJ(?:ECT)?[ \t]*:"),
    ("ref", r"(?<![A-Za-z])REFS?(?:ERENCES?)?[ \t]*:|^[ \t]*REF[ \t]+(?=[A-Z¶])"),
    ("classified_by", r"\bCLASSIFIED[ \t]+BY\b[ \t]*:?"),
    ("caption", r"(?<![A-Za-z/])(?:SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|NOCONTRACT)\b"
                r"(?:[ \t]*,[ \t]*(?:SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|NOCONTRACT)\b)*"),
]
FIELD_RE = re.compile("|".join(f"(?P<{n}>{p})" for n, p in FIELD_STARTERS), re.IGNORECASE | re.MULTILINE)
CAPTION_LINE_RE = re.compile(
    r"^[ \t]*(?:SIPDIS|NOFORN|SENSITIVE|EXDIS|NODIS|LIMDIS|STADIS|CHEROKEE|NOCONTRACT|EFTO|"
    r"SENSITIVE BUT UNCLASSIFIED|FOR OFFICIAL USE ONLY)(?:[ \t]*,[ \t]*(?:SIPDIS|NOFORN|EXDIS|NODIS))*"
    r"[ \t]*$", re.IGNORECASE | re.MULTILINE)
# A wrapped TAGS line: a few upper-case codes (`SY, IS`).
TAGS_LINE_RE = re.compile(r"[ \t]*(?:[A-Z]{2,6}[ \t]*,?[ \t]*){1,8}")
# A line that continues a REF list: a letter label, a post and serial, a date-time group or NOTAL.
REF_LINE_RE = re.compile(
    r"[ \t]*(?:¶[ \t]*)?(?:\(?[A-Za-z]\)|[A-Za-z]\.)(?:[ \t]|$)"         # a letter label: `B.`, `(C)`
    r"|[ \t]*(?:\d{2}[ \t]+)?[A-Za-z]{2,}(?:[ \t][A-Za-z]{2,})?[ \t]+\d{2,7}\b"   # `09 DAMASCUS 00787`
    r"|.*\d{6}Z|[ \t]*\(NOTAL\)", re.IGNORECASE)
DTG_RE = re.compile(r"^[ \t]*[OPRZ](?:[ \t][OPRZ])?[ \t]+(?P<dtg>\d{6}Z[ \t]+[A-Z]{3}[ \t]+\d{2})[ \t]*$",
                    re.MULTILINE)
ROUTING_RE = re.compile(r"^[ \t]*(?:VZCZC|ACTION[ \t]|[OPRZ]{1,2}[ \t]+R[A-Z]{3}|DE[ \t]+R|ZNY|ZNR|FM[ \t]|"
                        r"TO[ \t]|INFO[ \t]|R[A-Z]{4,6}/|BT$|#\d)")
ALX_PREAMBLE_RE = re.compile(
    r"\A(?P<id>\d{2}[A-Z][A-Z0-9]*\d+)\n[^\n]*\n[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} [\d:]{8} [+-]\d{4} \d{4}\n"
    r"(?P<class>[A-Z/ ]+)\n[^\n]*\n")
MONTHS = {m: i + 1 for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])}


@dataclass
class _Start:
    """A place where a new portion begins."""

    pos: int               # start of the portion (its number, bullet or mark)
    kind: str
    number: str = ""
    label: str = ""
    mark: str | None = None
    mark_start: int | None = None
    body_start: int = 0


# ------------------------------------------------------------------------------------------- helpers
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


def normalise_reasons(text: str) -> list[str]:
    """`Reason 1.4 (b) and (d)`, `REASONS 1.4 B AND D`, `1.4(b/d)`, `1.5 (b,d)` -> ["1.4(b)", "1.4(d)"]."""
    flat = re.sub(r"\s+", " ", text)
    flat = re.sub(r"\b([Aa])\s+(nd)\b", r"\1\2", flat)   # `1.4 (A) a` / `nd (D)` split across lines
    out: list[str] = []
    for m in re.finditer(
            r"\b1\s?\.\s?([45])\.?\s*((?:[\s(,/&]*\b[a-hA-H]\b[\s),]*(?:and|AND|&|or)?)+)", flat):
        for letter in re.findall(r"\b([a-hA-H])\b", m.group(2)):
            code = f"1.{m.group(1)}({letter.lower()})"
            if code not in out:
                out.append(code)
    return out


def normalise_decl(raw: str) -> Decl:
    value = re.sub(r"\s+", " ", raw).strip().rstrip(".")
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b", value)
    if m:
        month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if year < 100:
            year += 2000 if year < 70 else 1900
        if 1 <= month <= 12 and 1 <= day <= 31:
            code = re.search(r"\b25X\d\b", value, re.IGNORECASE)
            return Decl(value, "date", f"{year:04d}-{month:02d}-{day:02d}",
                        code.group(0).upper() if code else None)
    code = re.search(r"\b(1\.6\s?X\d|X\d(?:\s*,\s*X\d)*|25X\d|50X\d(?:-[A-Z]+)?|OADR|N/A|NA)\b", value,
                     re.IGNORECASE)
    if code:
        return Decl(value, "code", None, re.sub(r"\s", "", code.group(1)).upper())
    if value:
        return Decl(value, "event", None, None)
    return Decl()


def _dtg_date(dtg: str) -> str | None:
    m = re.match(r"(\d{2})\d{4}Z\s+([A-Z]{3})\s+(\d{2})", dtg)
    if not m or m.group(2) not in MONTHS:
        return None
    year = int(m.group(3))
    year += 2000 if year < 70 else 1900
    return f"{year:04d}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"


# -------------------------------------------------------------------------------------------- header
class _Segmenter:
    def __init__(self, source: SourceText, scheme: Scheme) -> None:
        self.src = source
        self.text = source.text
        self.scheme = scheme
        self.fields: list[HeaderField] = []
        self.portions: list[Portion] = []
        self.doc = Document(self.text, source.format, self.fields, self.portions,
                            metadata=dict(source.metadata), hidden=list(source.hidden), notes=list(source.notes))
        self.last_number: int | None = None
        self.banner_marking: Marking | None = None
        self.heading: Portion | None = None    # a numbered heading whose mark may come on a later line
        self.attached: Portion | None = None
        # Page furniture the reader found (page banners, page numbers): read as page-break lines.
        self.furniture = {a for a, _ in source.furniture}

    # The field list stays ordered and non-overlapping: each added span starts at or after the last.
    def add_field(self, name: str, start: int, end: int, value: str = "") -> HeaderField:
        start, end = _strip_span(self.text, start, end)
        f = HeaderField(name, start, end, value)
        if end > start:
            self.fields.append(f)
        return f

    def run(self) -> Document:
        text = self.text
        pos = self.preamble()
        banner = self.find_banner(pos)
        body_from = pos
        if banner:
            if banner.start > pos:
                self.routing(pos, banner.start)
            self.add_field("banner", banner.start, banner.end, banner.marking.banner)
            self.doc.reference = banner.reference
            self.doc.section = banner.section
            body_from = banner.end
            self.banner_marking = banner.marking
        head_end = self.first_portion_start(body_from)
        self.header(body_from, head_end, before_banner=banner is None)
        self.body(head_end, len(text))
        self.finish(banner)
        return self.doc

    def preamble(self) -> int:
        """The five lines a Cablegate scraper puts before the cable (id, title, date, class, origin)."""
        m = ALX_PREAMBLE_RE.match(self.text)
        if not m:
            return 0
        self.add_field("metadata", 0, m.end(), m.group("id"))
        self.doc.metadata.setdefault("reference_id", m.group("id"))
        self.doc.metadata.setdefault("classification", m.group("class").strip())
        return m.end()

    def find_banner(self, pos: int) -> Banner | None:
        # The banner stands before the first paragraph; search the head of the document only.
        limit = min(len(self.text), pos + 6000)
        probe_end = limit
        for m in re.finditer(r"^" + NUMBER_RE.pattern, self.text[:limit], re.MULTILINE):
            if m.start() >= pos and LINE_MARK_RE.match(self.text, m.end()):
                probe_end = m.start()
                break
        cable = find_cable_banner(self.text, pos, probe_end)
        capco = find_capco_banner(self.text, pos, probe_end)
        if cable and capco:
            return cable if cable.start <= capco.start else capco
        return cable or capco

    def routing(self, start: int, end: int) -> None:
        """Lines before the banner: the routing header of a cable, or else text of unknown level."""
        seen_routing = False
        for a, b in _lines(self.text, start, end):
            line = self.text[a:b]
            if not line.strip():
                continue
            # Addressee lines follow a routing marker (`TO …`, `INFO …`) and are short and upper case;
            # anything else before the banner is text like any other, and an unmarked portion.
            routing_like = bool(ROUTING_RE.match(line)) or (
                seen_routing and line == line.upper() and len(line.strip()) <= 80
                and not re.search(r"[a-z]|[.!?]\s+[A-Z]", line))
            seen_routing = seen_routing or bool(ROUTING_RE.match(line) or DTG_RE.match(line))
            m = DTG_RE.match(line)
            note = WIKILEAKS_NOTE_RE.search(line)
            if note:
                self.add_field("metadata", a + note.start(), a + note.end(), "wikileaks note")
                if line[:note.start()].strip():
                    self.add_field("routing", a, a + note.start(), line[:note.start()].strip())
            elif m:
                self.doc.dtg = re.sub(r"\s+", " ", m.group("dtg"))
                self.doc.date = _dtg_date(self.doc.dtg)
                self.add_field("dtg", a, b, self.doc.dtg)
            elif routing_like:
                self.add_field("routing", a, b, line.strip())
            else:
                self.unmarked_block(a, b)

    def first_portion_start(self, pos: int) -> int:
        """Where the body begins: the first numbered paragraph or line-leading mark after the banner."""
        blank_before = True
        in_ref = False
        for a, b in _lines(self.text, pos, len(self.text)):
            line = self.text[a:b]
            if not line.strip():
                blank_before, in_ref = True, False
                continue
            m = NUMBER_RE.match(line)
            if m and (self._plausible_number(int(m.group("num")), line, blank_before) or
                      LINE_MARK_RE.match(line, m.end())):
                return a
            in_ref = in_ref or bool(re.match(r"[ \t]*REFS?\b", line, re.IGNORECASE))
            m = LINE_MARK_RE.match(line)
            # `(C) AMMAN 198` continuing a REF list is a reference letter, not a mark.
            if m and parse_mark(m.group("mark"), self.scheme) and not (in_ref and not blank_before):
                return a
            blank_before = False
            m = BULLET_RE.match(line)
            mm = LINE_MARK_RE.match(line, m.end()) if m else None
            if mm and parse_mark(mm.group("mark"), self.scheme):
                return a
            if ENTIRE_TEXT_RE.search(line):
                return a
        return len(self.text)

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

    def header(self, start: int, end: int, before_banner: bool) -> None:
        """Fields between the banner and the first portion; unknown blocks become unmarked portions."""
        text = self.text
        pos = start
        starters = [m for m in FIELD_RE.finditer(text, start, end)]
        # A field runs to the next starter or to a blank line, whichever comes first.
        for i, m in enumerate(starters):
            if m.start() < pos:
                continue
            if m.start() > pos:
                self.header_gap(pos, m.start(), before_banner and not self.fields)
            name = m.lastgroup or ""
            stop = starters[i + 1].start() if i + 1 < len(starters) else end
            blank = re.compile(r"\n[ \t]*\n").search(text, m.end(), stop)
            if blank:
                stop = blank.start()
            stop = m.end() if name == "caption" else self._field_end(name, m.end(), stop)
            self.header_field(name, m.start(), stop, m.end())
            pos = max(pos, stop)
        if pos < end:
            self.header_gap(pos, end, before_banner and not self.fields)

    def _field_end(self, name: str, value_start: int, stop: int) -> int:
        """Where a header field really ends: its first line, and only such following lines as fit it.

        Text on the lines after a field that is not of the field's kind (a sentence after a REF line) is
        body text: it must become an unmarked portion, never be carried into the release as a header line.
        """
        lines = _lines(self.text, value_start, stop)
        if not lines:
            return stop
        end = lines[0][1]
        first = self.text[lines[0][0]:lines[0][1]]
        has_reason = bool(re.search(r"\b1\s?\.\s?[45]\b", first))
        for k, (a, b) in enumerate(lines[1:], 1):
            line = self.text[a:b]
            if name == "tags":
                fits = bool(TAGS_LINE_RE.fullmatch(line))
            elif name == "ref":
                fits = bool(REF_LINE_RE.match(line))
            elif name == "classified_by":
                # Until the reason is read; then only the tail of a reason split across lines (`nd (D)`).
                fits = (not has_reason and k <= 3) or bool(
                    re.match(r"[ \t]*(?:(?i:a?nd|or)\b|&|\(?[a-hA-H]\)|[a-hA-H][.,]?[ \t]*$)", line))
                has_reason = has_reason or bool(re.search(r"\b1\s?\.\s?[45]\b|REASON", line, re.IGNORECASE))
            elif name == "subject":
                fits = k <= 3
            else:
                fits = False
            if not fits:
                break
            end = b
        return end

    def page_break(self, line: str, a: int) -> bool:
        """A page-break line of the cable system, or a line the reader found to be page furniture."""
        return bool(PAGE_BREAK_RE.fullmatch(line.strip())) or a + len(line) - len(line.lstrip()) in self.furniture

    def header_gap(self, start: int, end: int, routing: bool) -> None:
        """Text between header fields: captions on their own lines, page breaks, or unmarked blocks."""
        text = self.text
        block_start: int | None = None
        block_end = start
        for a, b in _lines(text, start, end) + [(end, end)]:
            line = text[a:b]
            stripped = line.strip()
            special = (not stripped or SEPARATOR_RE.fullmatch(line) or CAPTION_LINE_RE.match(line)
                       or self.page_break(line, a) or WIKILEAKS_NOTE_RE.fullmatch(stripped)
                       or (ROUTING_RE.match(line) and routing) or DTG_RE.match(line))
            if special or a == end:
                if block_start is not None:
                    self.unmarked_block(block_start, block_end)
                    block_start = None
                if not stripped or SEPARATOR_RE.fullmatch(line):
                    continue
                if CAPTION_LINE_RE.match(line):
                    self.caption(a, b)
                elif self.page_break(line, a):
                    self.add_field("page_break", a, b)
                elif WIKILEAKS_NOTE_RE.fullmatch(stripped):
                    self.add_field("metadata", a, b, "wikileaks note")
                elif DTG_RE.match(line):
                    self.routing(a, b)
                elif routing:
                    self.add_field("routing", a, b, stripped)
                continue
            # WikiLeaks' partial-extract note can be glued to other text.
            note = WIKILEAKS_NOTE_RE.search(line)
            if note:
                if block_start is not None:
                    self.unmarked_block(block_start, a + note.start())
                    block_start = None
                elif note.start():
                    self.unmarked_block(a, a + note.start())
                self.add_field("metadata", a + note.start(), a + note.end(), "wikileaks note")
                if line[note.end():].strip():
                    block_start, block_end = a + note.end(), b
                continue
            if block_start is None:
                block_start = a
            block_end = b

    def caption(self, start: int, end: int) -> None:
        words = [w.strip() for w in self.text[start:end].split(",")]
        for w in words:
            if w:
                self.doc.captions.append(w.upper())
        self.add_field("caption", start, end, ", ".join(w.upper() for w in words if w))

    def header_field(self, name: str, start: int, stop: int, value_start: int) -> None:
        text = self.text
        value = re.sub(r"\s+", " ", text[value_start:stop]).strip()
        if name == "caption":
            self.caption(start, stop)
        elif name == "eo":
            decl = re.search(r"\bDECL(?:ASSIFY[ \t]+ON)?\b[ \t]*:?", text[start:stop], re.IGNORECASE)
            raw = text[start + decl.end():stop] if decl else re.sub(r"^[:\s]+", "", value)
            self.doc.decl = normalise_decl(raw if decl else value)
            self.add_field("eo", start, stop, self.doc.decl.date or self.doc.decl.code or self.doc.decl.raw)
        elif name == "tags":
            self.doc.tags = [t for t in re.split(r"[\s,]+", value.lstrip(":")) if t]
            self.add_field("tags", start, stop, " ".join(self.doc.tags))
        elif name == "subject":
            self.subject(start, stop, value_start)
        elif name == "ref":
            self.doc.refs.append(value)
            self.add_field("ref", start, stop, value)
        elif name == "classified_by":
            self.doc.classified_by = value
            self.doc.reasons = self.doc.reasons or normalise_reasons(value)
            self.add_field("classified_by", start, stop, value)

    def authority(self, name: str, start: int, stop: int, value_start: int) -> None:
        """A line of a CAPCO classification authority block (`Classified By:`, `Derived From:`,
        `Declassify On:`) in the body of a memo: a classification line, not a portion."""
        name = re.sub(r"\s+", " ", name).lower()
        value = self.text[value_start:stop].strip()
        if name == "declassify on":
            compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value)
            self.doc.decl = normalise_decl(f"{compact.group(2)}/{compact.group(3)}/{compact.group(1)}"
                                           if compact else value)
            self.add_field("eo", start, stop, self.doc.decl.date or self.doc.decl.code or self.doc.decl.raw)
        elif name == "classified by" and not self.doc.classified_by:
            self.header_field("classified_by", start, stop, value_start)
        else:
            self.add_field("classified_by", start, stop, value)

    def subject(self, start: int, stop: int, value_start: int) -> None:
        text = self.text
        m = LINE_MARK_RE.match(text, value_start)
        marking = parse_mark(m.group("mark"), self.scheme) if m else None
        start, stop = _strip_span(text, start, stop)
        p = Portion(id="", kind="subject", number="", label="SUBJECT", start=start, end=stop,
                    body_start=m.end() if m and marking else value_start)
        if m and marking:
            p.mark, p.mark_start, p.marking = m.group("mark"), m.start("mark"), marking
        self.portions.append(p)

    def unmarked_block(self, start: int, end: int) -> None:
        start, end = _strip_span(self.text, start, end)
        if end > start:
            self.portions.append(Portion(id="", kind="unnumbered", number="", label="", start=start, end=end,
                                         body_start=start))

    # ------------------------------------------------------------------------------------------ body
    def body(self, start: int, end: int) -> None:
        text = self.text
        cur: Portion | None = None
        blank_before = True
        after_break = False
        for a, b in _lines(text, start, end):
            line = text[a:b]
            stripped = line.strip()
            if not stripped:
                blank_before = True
                continue
            if SEPARATOR_RE.fullmatch(line):
                self.heading = cur if self._is_heading(cur) else None
                cur = self.close(cur)
                blank_before = True
                continue
            if self.page_break(line, a):
                if cur is not None:
                    cur.breaks.append(_strip_span(text, a, b))
                else:
                    self.add_field("page_break", a, b)
                after_break = True
                continue
            auth = AUTHORITY_RE.match(line)
            if auth:
                cur = self.close(cur)
                self.authority(auth.group("name"), a, b, a + auth.end())
                blank_before = True
                continue
            if CAPTION_LINE_RE.match(line) and cur is not None and blank_before:
                cur = self.close(cur)
                self.caption(a, b)
                continue
            if WIKILEAKS_NOTE_RE.fullmatch(stripped):
                cur = self.close(cur)
                self.add_field("metadata", a, b, "wikileaks note")
                continue
            new = self.line_start(line, a, cur, blank_before)
            self.heading = None
            if new == "attach-mark":
                cur = self.attached
            elif new is not None:
                cur = self.close(cur)
                cur = self.open(new)
            elif cur is None or (blank_before and not (after_break and self._continues(cur))):
                cur = self.close(cur)
                cur = self.open(_Start(a + len(line) - len(line.lstrip()), "unnumbered",
                                       body_start=a + len(line) - len(line.lstrip())))
            cur.end = b
            blank_before = after_break = False
            # A paragraph number may run on inside this line.
            scan_from = max(a, cur.body_start)
            while True:
                run = self.run_on(text, scan_from, b, cur)
                if run is None:
                    break
                cur.end = run.pos
                cur = self.close(cur)
                cur = self.open(run)
                cur.end = b
                scan_from = run.body_start
        self.close(cur)

    def _is_heading(self, cur: Portion | None) -> bool:
        """A numbered paragraph that so far is one short unmarked line: `2. Afghanistan`."""
        if cur is None or cur.kind != "paragraph" or cur.mark is not None:
            return False
        head = self.text[cur.body_start:cur.end].strip()
        return "\n" not in head and len(head) <= 80

    def _raises(self, mark: str, cur: Portion) -> bool:
        marking = parse_mark(mark, self.scheme)
        current = rank(cur.marking, self.scheme) if cur.marking else self._unmarked_rank()
        return marking is not None and rank(marking, self.scheme) > current

    def _continues(self, cur: Portion) -> bool:
        """After a page break, text continues the open portion unless the portion had ended a sentence."""
        tail = self.text[cur.body_start:cur.end].rstrip()
        return not tail.endswith((".", "!", "?", ":", '"', "”"))

    def run_on(self, text: str, start: int, end: int, cur: Portion) -> _Start | None:
        """A portion that starts inside this line, if any.

        After a finished sentence, the next paragraph number with a mark starts a paragraph
        (`... the UN. 9. (S) Garcia ...`). Elsewhere a split is made only when it raises the level, so a
        reference that looks like a mark can never lower what surrounds it: the next number with a mark
        anywhere (`... 2009 5. (S)`, `Open; 11. (S)`), or a mark after a sentence (`COMMENT.  (S) text`).
        """
        current = rank(cur.marking, self.scheme) if cur.marking else self._unmarked_rank()
        found: list[tuple[int, _Start]] = []
        expected = None if self.last_number is None else self.last_number + 1
        for m in RUN_ON_RE.finditer(text, start, end):
            if parse_mark(m.group("mark"), self.scheme) and expected is not None and int(m.group("num")) == expected:
                found.append((m.start("num"), _Start(m.start("num"), "paragraph", m.group("num"), "",
                                                     m.group("mark"), m.start("mark"), m.end("mark"))))
                break
        for m in LOOSE_RUN_ON_RE.finditer(text, start, end):
            marking = parse_mark(m.group("mark"), self.scheme)
            if marking is None or rank(marking, self.scheme) < current:
                continue
            if m.group("num") and expected is not None and int(m.group("num")) == expected:
                found.append((m.start(), _Start(m.start(), "paragraph", m.group("num"), "", m.group("mark"),
                                                m.start("mark"), m.end("mark"))))
                break
            if not m.group("num") and m.group("after") and rank(marking, self.scheme) > current:
                parent = self._parent(cur)
                found.append((m.start("mark"), _Start(m.start("mark"), "subparagraph" if parent else "unnumbered",
                                                      parent.number if parent else "", "", m.group("mark"),
                                                      m.start("mark"), m.end("mark"))))
                break
        return min(found, key=lambda t: t[0])[1] if found else None

    def _unmarked_rank(self) -> float:
        """The level unmarked text will get, as far as it is known while reading."""
        if self.banner_marking is not None:
            return rank(self.banner_marking, self.scheme)
        return self.scheme.highest.rank

    def line_start(self, line: str, a: int, cur: Portion | None, blank_before: bool) -> _Start | str | None:
        """What a line that begins a portion begins; None when the line continues the current one."""
        m = NUMBER_RE.match(line)
        if m:
            n = int(m.group("num"))
            rest = m.end()
            lead = LEAD_IN_RE.match(line, rest)
            mm = LINE_MARK_RE.match(line, lead.end() if lead else rest)
            marking = parse_mark(mm.group("mark"), self.scheme) if mm else None
            if marking or self._plausible_number(n, line, blank_before):
                st = _Start(a + m.start("num") - (1 if line[:m.start("num")].rstrip().endswith("¶") else 0),
                            "paragraph", str(n), body_start=a + rest)
                st.pos = a + len(line) - len(line.lstrip())
                if marking and mm:
                    st.mark, st.mark_start, st.body_start = mm.group("mark"), a + mm.start("mark"), a + mm.end()
                return st
        m = LINE_MARK_RE.match(line)
        # A mark at the start of a wrapped line inside a sentence (`see reftel` / `(C) for details`) is a
        # reference, not a new portion: a portion starts after a blank line or a finished sentence.
        # Unless it raises the level (a table cell, an OCR'd line): a reference can never lower a portion.
        if m and cur is not None and not blank_before and not self._is_heading(cur) and \
                not re.search(r"[.!?:\"”]\s*$", self.text[cur.body_start:cur.end]) and \
                not self._raises(m.group("mark"), cur):
            m = None
        if m and parse_mark(m.group("mark"), self.scheme):
            # The mark on the line after a heading (`2. Afghanistan` / `-----` / `(C) The SYG...`)
            # belongs to the numbered heading above it.
            heading = cur if self._is_heading(cur) else self.heading
            if heading is not None:
                heading.mark, heading.mark_start = m.group("mark"), a + m.start("mark")
                heading.marking = parse_mark(m.group("mark"), self.scheme)
                self.attached = heading
                return "attach-mark"
            parent = self._parent(cur)
            return _Start(a + m.start("mark"), "unnumbered" if parent is None else "subparagraph",
                          parent.number if parent else "", "", m.group("mark"), a + m.start("mark"),
                          a + m.end())
        m = BULLET_RE.match(line)
        if m:
            mm = LINE_MARK_RE.match(line, m.end())
            marking = parse_mark(mm.group("mark"), self.scheme) if mm else None
            label = m.group("label").strip("().")
            kind = "bullet" if label in ("-", "--", "---", "*", "•", "o") else "subparagraph"
            parent = self._parent(cur)
            if marking and mm:
                return _Start(a + m.start("label"), kind, parent.number if parent else "", label,
                              mm.group("mark"), a + mm.start("mark"), a + mm.end())
            # An unmarked bullet among marked siblings is a portion of its own (it inherits later).
            if cur is not None and cur.kind in ("bullet", "subparagraph") and cur.mark is not None:
                return _Start(a + m.start("label"), kind, parent.number if parent else "", label,
                              body_start=a + m.end())
        if ENTIRE_TEXT_RE.search(line) and blank_before:
            return _Start(a + len(line) - len(line.lstrip()), "unnumbered", body_start=a)
        return None

    def _parent(self, cur: Portion | None) -> Portion | None:
        if cur is None:
            return None
        if cur.kind == "paragraph":
            return cur
        if cur.parent:
            return next((p for p in self.portions if p.id == cur.parent), None)
        return None

    def open(self, st: _Start) -> Portion:
        marking = parse_mark(st.mark, self.scheme) if st.mark else None
        p = Portion(id=f"p{len(self.portions) + 1}", kind=st.kind, number=st.number, label=st.label,
                    start=st.pos, end=st.pos, body_start=st.body_start, mark=st.mark if marking else None,
                    mark_start=st.mark_start if marking else None, marking=marking)
        if st.kind == "paragraph":
            self.last_number = int(st.number)
        elif st.kind in ("subparagraph", "bullet"):
            parent = next((q for q in reversed(self.portions) if q.kind == "paragraph"), None)
            if parent is not None:
                p.parent, p.number = parent.id, parent.number
        self.portions.append(p)
        return p

    def close(self, cur: Portion | None) -> None:
        if cur is not None:
            cur.start, cur.end = _strip_span(self.text, cur.start, cur.end)
            # A page break after the portion's last line belongs to no portion: it is a field.
            for a, b in cur.breaks:
                if b > cur.end:
                    self.add_field("page_break", a, b)
            cur.breaks = [br for br in cur.breaks if br[1] <= cur.end]
        return None

    # ---------------------------------------------------------------------------------------- finish
    def finish(self, banner: Banner | None) -> None:
        doc = self.doc
        self.portions.sort(key=lambda p: p.start)
        self.fields.sort(key=lambda f: f.start)
        for i, p in enumerate(self.portions, 1):
            p.id = f"p{i}"
        self._fix_parents()
        # Captions add controls to the banner (NOFORN; SENSITIVE is SBU on an unclassified cable).
        if banner is not None:
            controls = list(banner.marking.controls)
            for cap in doc.captions:
                c = caption_control(cap)
                if c and c not in controls and c not in ("EFTO",):
                    controls.append(c)
            doc.banner = rollup([Marking(banner.marking.level, tuple(controls), banner.marking.rel_to,
                                         banner.marking.flags, banner.marking.scheme)], self.scheme)
        for m in ENTIRE_TEXT_RE.finditer(self.text):
            word = m.group("level")
            level = {"TS": "TOP SECRET", "S": "SECRET", "C": "CONFIDENTIAL", "U": "UNCLASSIFIED",
                     "LIMITED OFFICIAL USE": "UNCLASSIFIED"}.get(word, word)
            doc.entire_text = Marking(level, ("LOU",) if word == "LIMITED OFFICIAL USE" else ())
            break
        marks = [p.marking for p in self.portions if p.marking is not None]
        known = [doc.banner] if doc.banner else []
        if doc.entire_text:
            known.append(doc.entire_text)
        if known or marks:
            doc.effective_banner = rollup(known + marks, self.scheme)
            if doc.banner and rank(doc.effective_banner, self.scheme) > rank(doc.banner, self.scheme):
                doc.notes.append(f"a portion is marked {doc.effective_banner.level}, above the banner "
                                 f"{doc.banner.level}: unmarked text is protected at the higher level")
        if not doc.reasons:
            m = re.search(r"Classified[ \t]+by\b.{0,400}", self.text, re.IGNORECASE | re.DOTALL)
            if m:
                doc.reasons = normalise_reasons(m.group(0))
        if not doc.date and doc.metadata.get("created"):
            doc.date = doc.metadata["created"][:10]
        self._resolve()

    def _fix_parents(self) -> None:
        last_para: Portion | None = None
        for p in self.portions:
            if p.kind == "paragraph":
                last_para = p
            elif p.kind in ("subparagraph", "bullet"):
                p.parent = last_para.id if last_para else None
                p.number = last_para.number if last_para else ""

    def _resolve(self) -> None:
        """Give every unmarked portion its level, failing closed (domain.md §3)."""
        doc = self.doc
        by_id = {p.id: p for p in self.portions}
        for p in self.portions:
            if p.marking is not None:
                p.source = "explicit"
                p.basis = f"marked {p.mark}"
                if "malformed" in p.marking.flags:
                    p.flags.append(f"unrecognised marking {p.mark}: read as {p.marking.level}")
                continue
            parent = by_id.get(p.parent) if p.parent else None
            if parent is not None and parent.marking is not None and p.kind in ("bullet", "subparagraph"):
                siblings = [q for q in self.portions if q.parent == p.parent and q.marking is not None
                            and q.mark is not None]
                if all(q.marking == parent.marking for q in siblings):
                    p.marking, p.source = parent.marking, "inherited"
                    p.basis = f"unmarked, inherits {parent.mark} from paragraph {parent.number}"
                    continue
            if doc.entire_text is not None:
                p.marking = rollup([doc.entire_text] + ([doc.banner] if doc.banner else []), self.scheme)
                p.source = "inherited"
                p.basis = f"unmarked, inherits {p.marking.banner} from the entire-text marking"
            elif doc.effective_banner is not None:
                p.marking, p.source = doc.effective_banner, "inherited"
                what = "the banner" if doc.banner and doc.effective_banner == doc.banner else \
                    "the highest marking in the document"
                p.basis = f"unmarked, inherits {doc.effective_banner.banner} from {what}"
            else:
                p.marking, p.source = None, "default"
                p.basis = "no banner and no marks in the document: the policy's default level applies"


def segment(source: SourceText | str, scheme: Scheme = US) -> Document:
    """Split a document into header fields and portions, each portion with its level."""
    if isinstance(source, str):
        source = SourceText(source, "text")
    return _Segmenter(source, scheme).run()

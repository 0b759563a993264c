"""Header fields and portions of a marked document (the cable grammar of domain.md §1 and §3).

The segmenter reads the text once, top to bottom. Before the first portion it recognises header
fields (banner, captions, E.O./DECL, TAGS, SUBJECT, REF, Classified By, routing); after it, it splits
the body at paragraph numbers, portion marks and bullets. Anything it cannot place becomes an unmarked
portion, which inherits the banner: nothing is dropped, and doubt withholds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from redactor.ingest.limits import Deadline
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
BLANK_RE = re.compile(r"\n[ \t]*\n")
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
ENTIRE_TEXT_RE = re.compile(
    r"\b(?P<level>TS|S|C|U|TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|LIMITED OFFICIAL USE)"
    r"[ \t]*-+[ \t]*ENTIRE TEXT\b")
WIKILEAKS_NOTE_RE = re.compile(
    r"This record is a partial extract of the original cable\.(?:\s*The full text of the original cable is"
    r" not available\.)?")

# Header field starters, anywhere in the header zone (cables put several on one line).
FIELD_STARTERS = [
    ("eo", r"\bE\.?[ \t]?[O0]\.?[ \t]*1[23]\d{3}\b|\bEO[ \t]+1[23]\d{3}\b"
           r"|^[ \t]*DECL(?:ASSIFY[ \t]+ON)?[ \t]*:"),
    # Misspelt labels real cables carry (`TAS:`, `TGS:`, `TAGES:`, `TAG`) count only in capitals at a line start.
    ("tags", r"\bTAGS\b[ \t]*[:;]?|^[ \t]*(?-i:TAGES|TAGS|TAG|TAS|TGS)\b[ \t]*[:;]?"),
    ("subject", r"\bSUBJ(?:ECT)?[ \t]*:|^[ \t]*(?-i:SUBJECT|SUBJ)(?=[ \t]+[A-Z(])"),
    ("ref", r"(?<![A-Za-z])REFS?(?:ERENCES?)?[ \t]*:|(?<![A-Za-z])REF\(S\)[ \t]*:|(?<![A-Za-z])REFTELS?[ \t]*:"
            r"|^[ \t]*REF[ \t]+(?=[A-Z¶])"),
    ("classified_by", r"\bCLASSIFIED[ \t]+BY\b[ \t]*:?"),
    ("caption", r"(?<![A-Za-z/])(?:SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|NOCONTRACT)\b"
                r"(?:[ \t]*,[ \t]*(?:SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|NOCONTRACT)\b)*"),
]
FIELD_RE = re.compile("|".join(f"(?P<{n}>{p})" for n, p in FIELD_STARTERS), re.IGNORECASE | re.MULTILINE)
CAPTION_LINE_RE = re.compile(
    r"^[ \t]*(?:SIPDIS|NOFORN|SENSITIVE|EXDIS|NODIS|LIMDIS|STADIS|CHEROKEE|NOCONTRACT|EFTO|"
    r"SENSITIVE BUT UNCLASSIFIED|FOR OFFICIAL USE ONLY)(?:[ \t]*,[ \t]*(?:SIPDIS|NOFORN|EXDIS|NODIS))*"
    r"[ \t]*$", re.IGNORECASE | re.MULTILINE)
# A wrapped TAGS line: a few upper-case codes (`SY, IS`); after a line ending in a comma, lower case too.
TAGS_LINE_RE = re.compile(r"[ \t]*(?:[A-Z]{2,6}[ \t]*,?[ \t]*){1,8}")
TAGS_LOWER_LINE_RE = re.compile(r"[ \t]*(?:[A-Za-z]{2,6}[ \t]*,[ \t]*){0,7}[A-Za-z]{2,6}[ \t]*,?[ \t]*")
# A line that continues a REF list: an optional letter label (`B.`, `B.)`, `(C)`), then a post and serial
# (`09 DAMASCUS 00787`, `STATE 1234`), a date-time group or NOTAL. Post names are capitalised: a sentence
# (`The 2009 budget`) is not a reference.
REF_ITEM = (r"(?:\d{2}[ \t]+)?[A-Z][A-Za-z]+(?:[ \t][A-Z][A-Za-z]+){0,2}[ \t]+\d{2,7}\b"
            r"|[^\n]*\b\d{6}Z\b|\(NOTAL\)")
REF_LABEL = r"(?:\(?[A-Za-z]\)|[A-Za-z]\.\)?)"
REF_LINE_RE = re.compile(r"[ \t]*(?:¶[ \t]*)?(?:" + REF_LABEL + r"[ \t]*)?(?:" + REF_ITEM + r")"
                         r"|[ \t]*(?:¶[ \t]*)?" + REF_LABEL + r"[ \t]*$")
# After a blank line a REF list goes on only with a lettered item.
REF_AFTER_BLANK_RE = re.compile(r"[ \t]*(?:¶[ \t]*)?" + REF_LABEL + r"[ \t]*(?:" + REF_ITEM + r")")
REASON_RE = re.compile(r"\b1\s?\.\s?[45]\b|\bREASONS?\b", re.IGNORECASE)
# Lines that stand alone whatever the layout: the trailer of an embassy's classified website, a signature.
TRAILER_RE = re.compile(r"Classified[ \t]+Website|^[ \t]*(?:Visit\b.*)?https?://", re.IGNORECASE)
SIGNATURE_LINE_RE = re.compile(r"[ \t]*[A-Z][A-Z'-]{1,}(?:[ \t]+[A-Z][A-Z'-]+){0,2}[ \t]*")
# A near-miss of a mark after a paragraph number: an OCR'd `(5)`, a lost parenthesis `(S The` / `S) The`.
NEAR_MISS_RE = re.compile(r"(?P<tok>\((?P<a>[UCST5$08OV]{1,4})\)|\((?P<b>TS|S|C|U)(?=[ \t]+[A-Z])"
                          r"|(?P<c>TS|S|C|U)\)(?=[ \t]))")
# A long mark wrapped onto the next line: `2. (S//REL TO USA, AUS, CAN,` / `GBR, NZL) text`.
WRAPPED_MARK = r"\([ \t]?[A-Za-z/][A-Za-z0-9 /,+:\-]*\n[ \t]*[A-Za-z0-9 /,+:\-]*\)"
WRAPPED_MARK_RE = re.compile(r"[ \t]*(?P<mark>" + WRAPPED_MARK + r")")
RUN_ON_WRAPPED_RE = re.compile(r"(?<=[.!?\"'”’)\]])[ \t]+(?P<num>\d{1,3})\.[ \t]*(?P<mark>" + WRAPPED_MARK + r")")
RUN_ON_NEAR_RE = re.compile(r"(?<=[.!?\"'”’)\]])[ \t]+(?P<num>\d{1,3})\.[ \t]*(?:" + NEAR_MISS_RE.pattern + ")")
DTG_RE = re.compile(r"^[ \t]*[OPRZ](?:[ \t][OPRZ])?[ \t]+(?P<dtg>\d{6}Z[ \t]+[A-Z]{3}[ \t]+\d{2})[ \t]*$",
                    re.MULTILINE)
ROUTING_RE = re.compile(r"^[ \t]*(?:VZCZC|ACTION[ \t]|[OPRZ]{1,2}[ \t]+R[A-Z]{3}|DE[ \t]+R|ZNY|ZNR|FM[ \t]|"
                        r"TO[ \t]|INFO[ \t]|R[A-Z]{4,6}/|BT$|#\d)")
ALX_PREAMBLE_RE = re.compile(
    r"\A(?P<id>\d{2}[A-Z][A-Z0-9]*\d+)\n[^\n]*\n[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} [\d:]{8} [+-]\d{4} \d{4}\n"
    r"(?P<class>[A-Z/ ]+)\n[^\n]*\n")
@dataclass(frozen=True)
class Rule:
    """One rule of the cable grammar: what it looks for, what it starts or ends, and why."""

    name: str
    pattern: re.Pattern[str] | None   # None when the rule is a predicate of the reader (named in `test`)
    effect: str                       # starts portion | ends portion | starts field | continues field | skips
    why: str
    test: str = ""                    # the reader's method that applies a predicate rule


# The grammar, in the order the reader tries the rules on a line. Every portion records the names of the rules
# that started and ended it (`redactor inspect --explain` prints them); to change how something is read, find
# its rule here.
RULES: tuple[Rule, ...] = (
    # --- the head of the document
    Rule("cablegate-preamble", ALX_PREAMBLE_RE, "starts field",
         "the five lines a Cablegate scraper puts before the cable are metadata, never text"),
    Rule("cable-banner", None, "starts field", "`S E C R E T STATE 103113`: level, section, post and serial",
         "find_banner"),
    Rule("banner-line", None, "starts field",
         "`SECRET//NOFORN`, `//GBR SECRET`, `TLP:AMBER` alone on a line, read with the policy's scheme",
         "find_banner"),
    Rule("routing", ROUTING_RE, "starts field", "routing lines before the banner (VZCZC, FM, TO, INFO)"),
    Rule("dtg", DTG_RE, "starts field", "the date-time group gives the origin date"),
    Rule("before-banner", None, "starts portion",
         "text before the banner that is not routing is text of unknown level: an unmarked portion", "routing"),
    Rule("field-starter", FIELD_RE, "starts field",
         "E.O./DECL, TAGS (and its misspellings), SUBJECT, REF, Classified By, captions; several may share a line"),
    Rule("subject", None, "starts portion", "the subject line is a portion with its own mark", "subject"),
    Rule("tags-continuation", TAGS_LINE_RE, "continues field",
         "a wrapped TAGS line of codes; lower-case codes only after a line ending in a comma"),
    Rule("ref-continuation", REF_LINE_RE, "continues field",
         "a REF list goes on with lettered items, posts and serials, DTGs, NOTAL"),
    Rule("ref-after-blank", REF_AFTER_BLANK_RE, "continues field",
         "after a blank line a REF list goes on only with a lettered item (`B. ANKARA 5678`)"),
    Rule("classified-by-reason", REASON_RE, "continues field",
         "Classified By takes the next line or two only when they hold the reason; else it ends on its line"),
    Rule("subject-continuation", None, "continues field",
         "a subject wraps only from a full line that ends no sentence, in its own case, and never over a page "
         "break, separator, label or mark", "_continues_subject"),
    Rule("header-gap", None, "starts portion",
         "anything between header fields that is no field is an unmarked portion (it inherits the banner)",
         "header_gap"),
    Rule("end-of-header-field", None, "ends portion", "a header portion (the subject) ends with its field"),
    Rule("end-of-header-block", None, "ends portion", "an unmarked header block ends at the next field"),
    # --- lines that are never text of a portion
    Rule("separator", SEPARATOR_RE, "ends portion", "`-----`: ends the portion; a heading above it keeps it open"),
    Rule("page-break", PAGE_BREAK_RE, "skips",
         "`STATE 00000284 002 OF 002`: layout, not text; a sentence goes on across it"),
    Rule("caption-line", CAPTION_LINE_RE, "ends portion", "SIPDIS, NOFORN ... on a line of their own are captions"),
    Rule("wikileaks-note", WIKILEAKS_NOTE_RE, "ends portion", "WikiLeaks' partial-extract note is metadata"),
    # --- what starts a portion at a line start
    Rule("paragraph-number", NUMBER_RE, "starts portion",
         "`4. (C)`, `4.(C)`, `¶4. Summary: (C)`: a number and a mark (lower case accepted here)"),
    Rule("wrapped-mark", WRAPPED_MARK_RE, "starts portion",
         "a long mark wrapped onto the next line after a paragraph number is rejoined and read"),
    Rule("near-miss-mark", NEAR_MISS_RE, "starts portion",
         "`3. (5)`, `3. (S The`, `3. S) The`: a mangled mark after a number is read at the highest level it "
         "could mean, never below the banner, and flagged"),
    Rule("plausible-number", NUMBER_RE, "starts portion",
         "an unmarked number that follows on from the last paragraph (a pilcrow alone is not enough)"),
    Rule("mark-after-heading", LINE_MARK_RE, "continues portion",
         "`2. Afghanistan` / `-----` / `(C) The SYG`: the mark on the line after a heading belongs to it"),
    Rule("line-mark", LINE_MARK_RE, "starts portion",
         "a mark at a line start, after a blank line or a finished sentence (not `see reftel` / `(C) for`)"),
    Rule("marked-bullet", BULLET_RE, "starts portion", "`- (C)`, `A. (S)`, `ii. (S)`: a bullet or label and a mark"),
    Rule("unmarked-bullet", BULLET_RE, "starts portion",
         "an unmarked bullet among marked siblings is a portion of its own"),
    Rule("entire-text", ENTIRE_TEXT_RE, "starts portion", "`C - ENTIRE TEXT` marks the whole document"),
    # --- what ends a portion without starting a marked one (the new portion is unmarked: it inherits the banner)
    Rule("blank-line", None, "ends portion", "a blank line ends a portion unless a page break splits a sentence",
         "unmarked_line_rule"),
    Rule("one-paragraph-per-line", None, "ends portion",
         "where the body is laid out one paragraph per line (long unwrapped lines), a line break ends a portion",
         "one_paragraph_per_line"),
    Rule("trailer", TRAILER_RE, "ends portion",
         "`Visit ... Classified Website: http...` is its own unmarked portion however the text is laid out"),
    Rule("after-trailer", None, "ends portion", "the line after a trailer is not the trailer's", "own_line"),
    Rule("signature", SIGNATURE_LINE_RE, "ends portion",
         "one to three capitalised words after a finished sentence (`JONES`) are the signature"),
    Rule("heading", None, "ends portion",
         "a short line ending no sentence, after a line that ended one and before a line that starts a portion "
         "(or a blank line, separator, page break, trailer or signature), is a heading of what follows",
         "own_line"),
    Rule("unmarked-text", None, "starts portion", "text with no portion open starts an unmarked portion"),
    # --- portions that start inside a line
    Rule("run-on-paragraph", RUN_ON_RE, "starts portion",
         "`... the UN. 9. (S) Garcia`: the next paragraph number with a mark after a finished sentence"),
    Rule("raising-run-on", LOOSE_RUN_ON_RE, "starts portion",
         "a number and mark after anything, split only when it does not lower the level"),
    Rule("mark-after-sentence", LOOSE_RUN_ON_RE, "starts portion",
         "`COMMENT.  (S) text`: a mark after a sentence, split only when it raises the level"),
    Rule("end-of-text", None, "ends portion", "the document ends"),
)
RULE_NAMES = frozenset(r.name for r in RULES)


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
    near_miss: str | None = None   # a token that may be a mangled mark (`(5)`), read at the highest it could mean
    rule: str = ""                 # the name of the rule in RULES that found this start


@dataclass
class _Attach:
    """A mark on the line after a numbered heading: it belongs to the heading, which stays open."""

    heading: Portion


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
    iso = re.search(r"\b(\d{4})[/-](\d{1,2})[/-](\d{1,2})\b", value)
    if iso and 1 <= int(iso.group(2)) <= 12 and 1 <= int(iso.group(3)) <= 31:
        return Decl(value, "date", f"{int(iso.group(1)):04d}-{int(iso.group(2)):02d}-{int(iso.group(3)):02d}", None)
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
    def __init__(self, source: SourceText, scheme: Scheme, deadline: Deadline | None = None) -> None:
        self.src = source
        self.deadline = deadline
        self.text = source.text
        self.scheme = scheme
        self.fields: list[HeaderField] = []
        self.portions: list[Portion] = []
        self.doc = Document(self.text, source.format, self.fields, self.portions,
                            metadata=dict(source.metadata), hidden=list(source.hidden), notes=list(source.notes))
        self.last_number: int | None = None
        self.banner_marking: Marking | None = None
        self.heading: Portion | None = None    # a numbered heading whose mark may come on a later line
        self.last_paragraph: Portion | None = None
        self.by_id: dict[str, Portion] = {}
        self.near_miss: dict[int, Marking] = {}   # id(portion) -> what its mangled mark could mean at most

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
                self.unmarked_block(a, b, "before-banner")

    def first_portion_start(self, pos: int) -> int:
        """Where the body begins: the first numbered paragraph or line-leading mark after the banner."""
        blank_before = True
        in_ref = False
        for a, b in _lines(self.text, pos, len(self.text)):
            line = self.text[a:b]
            if not line.strip():
                blank_before = True
                continue
            m = NUMBER_RE.match(line)
            if m and (self._plausible_number(int(m.group("num")), line, blank_before) or
                      LINE_MARK_RE.match(line, m.end())):
                return a
            # A REF list goes on over wrapped lines, and after a blank line with a lettered item.
            ref_start = bool(re.match(r"[ \t]*REF(?:S|\(S\)|TELS?)?\b", line, re.IGNORECASE))
            in_ref = ref_start or (in_ref and bool(
                (REF_AFTER_BLANK_RE if blank_before else REF_LINE_RE).match(line) or not blank_before))
            m = LINE_MARK_RE.match(line)
            # `(C) AMMAN 198` continuing a REF list is a reference letter, not a mark.
            if m and parse_mark(m.group("mark"), self.scheme) and not in_ref:
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
            stop = self._blank_stop(name, m.end(), stop)
            stop = m.end() if name == "caption" else self._field_end(name, m.end(), stop)
            self.header_field(name, m.start(), stop, m.end())
            pos = max(pos, stop)
        if pos < end:
            self.header_gap(pos, end, before_banner and not self.fields)

    def _blank_stop(self, name: str, value_start: int, stop: int) -> int:
        """A field ends at a blank line; a REF list goes on after one when the next line is a lettered item."""
        pos = value_start
        while True:
            blank = BLANK_RE.search(self.text, pos, stop)
            if not blank:
                return stop
            if name != "ref" or not REF_AFTER_BLANK_RE.match(self.text, blank.end()):
                return blank.start()
            pos = blank.end()

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
        texts = [self.text[a:b] for a, b in lines]
        for k, (_a, b) in enumerate(lines[1:], 1):
            line = texts[k]
            if name == "ref" and not line.strip():
                continue   # a blank line inside a REF list (only kept when a lettered item follows)
            if name == "tags":
                fits = bool(TAGS_LINE_RE.fullmatch(line)) or (
                    texts[k - 1].rstrip().endswith(",") and bool(TAGS_LOWER_LINE_RE.fullmatch(line)))
            elif name == "ref":
                fits = bool(REF_LINE_RE.match(line))
            elif name == "classified_by":
                # Until the reason is read, the name may wrap onto a line or two before the reason; a field
                # with no reason in sight ends on its own line. Then only the tail of a reason split across
                # lines (`nd (D)`) follows.
                fits = (not has_reason and k <= 2 and any(REASON_RE.search(t) for t in texts[k:3])) or bool(
                    re.match(r"[ \t]*(?:(?i:a?nd|or)\b|&|\(?[a-hA-H]\)|[a-hA-H][.,]?[ \t]*$)", line))
                has_reason = has_reason or bool(REASON_RE.search(line))
            elif name == "subject":
                fits = k <= 3 and self._continues_subject(texts[k - 1], line, first)
            else:
                fits = False
            if not fits:
                break
            end = b
        return end

    def _continues_subject(self, prev: str, line: str, first: str) -> bool:
        """A subject wraps onto the next line only from a full line that ends no sentence, in its own case."""
        stripped = line.strip()
        if (len(prev.rstrip()) < 50 or re.search(r"[.!?]\s*$", prev) or SEPARATOR_RE.fullmatch(line)
                or PAGE_BREAK_RE.fullmatch(stripped) or NUMBER_RE.match(line) or LINE_MARK_RE.match(line)
                or FIELD_RE.match(line)):
            return False
        letters = re.sub(r"[^A-Za-z]", "", first)
        return not (letters and letters == letters.upper() and stripped != stripped.upper())

    def header_gap(self, start: int, end: int, routing: bool) -> None:
        """Text between header fields: captions on their own lines, page breaks, or unmarked blocks."""
        text = self.text
        block_start: int | None = None
        block_end = start
        for a, b in _lines(text, start, end) + [(end, end)]:
            line = text[a:b]
            stripped = line.strip()
            special = (not stripped or SEPARATOR_RE.fullmatch(line) or CAPTION_LINE_RE.match(line)
                       or PAGE_BREAK_RE.fullmatch(stripped) or WIKILEAKS_NOTE_RE.fullmatch(stripped)
                       or (ROUTING_RE.match(line) and routing) or DTG_RE.match(line))
            if special or a == end:
                if block_start is not None:
                    self.unmarked_block(block_start, block_end)
                    block_start = None
                if not stripped or SEPARATOR_RE.fullmatch(line):
                    continue
                if CAPTION_LINE_RE.match(line):
                    self.caption(a, b)
                elif PAGE_BREAK_RE.fullmatch(stripped):
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
            self.doc.tags = [t for t in re.split(r"[\s,]+", value.lstrip(":;")) if t]
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

    def subject(self, start: int, stop: int, value_start: int) -> None:
        text = self.text
        m = LINE_MARK_RE.match(text, value_start)
        marking = parse_mark(m.group("mark"), self.scheme, fold_case=True) if m else None
        start, stop = _strip_span(text, start, stop)
        p = Portion(id="", kind="subject", number="", label="SUBJECT", start=start, end=stop,
                    body_start=m.end() if m and marking else value_start, started_by="subject",
                    ended_by="end-of-header-field")
        if m and marking:
            p.mark, p.mark_start, p.marking = m.group("mark"), m.start("mark"), marking
        self.portions.append(p)

    def unmarked_block(self, start: int, end: int, rule: str = "header-gap") -> None:
        start, end = _strip_span(self.text, start, end)
        if end > start:
            self.portions.append(Portion(id="", kind="unnumbered", number="", label="", start=start, end=end,
                                         body_start=start, started_by=rule, ended_by="end-of-header-block"))

    # ------------------------------------------------------------------------------------------ body
    def one_paragraph_per_line(self, lines: list[tuple[int, int]]) -> bool:
        """Is the body laid out one paragraph per line (long unwrapped lines), so that a line break ends a portion?"""
        widths = [b - a for a, b in lines if b - a >= 40]
        return len(widths) >= 2 and sum(w > 100 for w in widths) * 2 >= len(widths)

    def own_line(self, line: str, cur: Portion, following: str = "") -> str | None:
        """The rule that makes a line a portion of its own however the text is laid out: a trailer, the line
        after one, a signature, or a heading (a short line ending no sentence, after a line that ended one,
        before a line that starts something new)."""
        if TRAILER_RE.search(line):
            return "trailer"
        if cur.started_by == "trailer":
            return "signature" if SIGNATURE_LINE_RE.fullmatch(line) else "after-trailer"
        stripped = line.strip()
        if not self._ends_sentence(cur):
            return None
        if SIGNATURE_LINE_RE.fullmatch(line):
            return "signature"
        if len(stripped) <= 60 and not re.search(r"[.!?,;:\"”]$", stripped) and stripped[:1].isupper() \
                and len(stripped.split()) <= 8 and self._starts_something(following):
            return "heading"
        return None

    @staticmethod
    def _starts_something(line: str) -> bool:
        """Does this line (the one after a possible heading) start a portion, end the text or break the page?"""
        return not line.strip() or any(r.match(line) for r in (
            NUMBER_RE, LINE_MARK_RE, BULLET_RE, SEPARATOR_RE, CAPTION_LINE_RE, TRAILER_RE)) or bool(
            PAGE_BREAK_RE.fullmatch(line.strip()) or SIGNATURE_LINE_RE.fullmatch(line))

    def _ends_sentence(self, cur: Portion, chars: str = ".!?:\"”") -> bool:
        i = cur.end - 1
        while i >= cur.body_start and self.text[i].isspace():
            i -= 1
        return i >= cur.body_start and self.text[i] in chars

    def body(self, start: int, end: int) -> None:
        text = self.text
        cur: Portion | None = None
        blank_before = True
        after_break = False
        lines = _lines(text, start, end)
        per_line = self.one_paragraph_per_line(lines)
        for k, (a, b) in enumerate(lines):
            if self.deadline is not None and k % 1024 == 0:
                self.deadline.check("segmenting")
            line = text[a:b]
            stripped = line.strip()
            if not stripped:
                blank_before = True
                continue
            if SEPARATOR_RE.fullmatch(line):
                self.heading = cur if self._is_heading(cur) else None
                cur = self.close(cur, "separator")
                blank_before = True
                continue
            if PAGE_BREAK_RE.fullmatch(stripped):
                if cur is not None:
                    cur.breaks.append(_strip_span(text, a, b))
                else:
                    self.add_field("page_break", a, b)
                after_break = True
                continue
            if CAPTION_LINE_RE.match(line) and cur is not None and blank_before:
                cur = self.close(cur, "caption-line")
                self.caption(a, b)
                continue
            if WIKILEAKS_NOTE_RE.fullmatch(stripped):
                cur = self.close(cur, "wikileaks-note")
                self.add_field("metadata", a, b, "wikileaks note")
                continue
            new = self.line_start(line, a, cur, blank_before)
            self.heading = None
            why = None if new is not None or cur is None else self.unmarked_line_rule(
                line, cur, blank_before, after_break, per_line,
                text[lines[k + 1][0]:lines[k + 1][1]] if k + 1 < len(lines) else "")
            if isinstance(new, _Attach):
                cur = new.heading
            elif new is not None:
                cur = self.close(cur, new.rule)
                cur = self.open(new)
            elif cur is None or why is not None:
                rule = why or "unmarked-text"
                cur = self.close(cur, rule)
                cur = self.open(_Start(a + len(line) - len(line.lstrip()), "unnumbered",
                                       body_start=a + len(line) - len(line.lstrip()), rule=rule))
            cur.end = b
            blank_before = after_break = False
            # A paragraph number may run on inside this line.
            scan_from = max(a, cur.body_start)
            while True:
                run = self.run_on(text, scan_from, b, cur)
                if run is None:
                    break
                cur.end = run.pos
                cur = self.close(cur, run.rule)
                cur = self.open(run)
                cur.end = b
                scan_from = run.body_start
        self.close(cur, "end-of-text")

    def unmarked_line_rule(self, line: str, cur: Portion, blank_before: bool, after_break: bool,
                           per_line: bool, following: str) -> str | None:
        """The rule by which a line that starts no marked portion still ends the open one, or None."""
        if after_break and self._continues(cur):
            return None   # a sentence goes on across a page break
        if blank_before:
            return "blank-line"
        if per_line:
            return "one-paragraph-per-line"
        return self.own_line(line, cur, following)

    def _is_heading(self, cur: Portion | None) -> bool:
        """A numbered paragraph that so far is one short unmarked line: `2. Afghanistan`."""
        if cur is None or cur.kind != "paragraph" or cur.mark is not None or cur.end - cur.body_start > 200:
            return False
        head = self.text[cur.body_start:cur.end].strip()
        return "\n" not in head and len(head) <= 80

    def _continues(self, cur: Portion) -> bool:
        """After a page break, text continues the open portion unless the portion had ended a sentence."""
        return not self._ends_sentence(cur)

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
            # The expected number after a finished sentence is a strong sign: a lower-case mark counts.
            if parse_mark(m.group("mark"), self.scheme, fold_case=True) and expected is not None \
                    and int(m.group("num")) == expected:
                found.append((m.start("num"), _Start(m.start("num"), "paragraph", m.group("num"), "",
                                                     m.group("mark"), m.start("mark"), m.end("mark"),
                                                     rule="run-on-paragraph")))
                break
        if expected is not None:
            for m in RUN_ON_WRAPPED_RE.finditer(text, start, min(len(text), end + 200)):
                if m.start("num") >= end:
                    break
                if int(m.group("num")) == expected and self._mark(m.group("mark")):
                    found.append((m.start("num"), _Start(m.start("num"), "paragraph", m.group("num"), "",
                                                         m.group("mark"), m.start("mark"), m.end("mark"),
                                                         rule="wrapped-mark")))
                    break
        if expected is not None:
            for m in RUN_ON_NEAR_RE.finditer(text, start, end):
                if int(m.group("num")) == expected and not parse_mark(m.group("tok"), self.scheme, fold_case=True):
                    found.append((m.start("num"), _Start(m.start("num"), "paragraph", m.group("num"),
                                                         body_start=m.end(), near_miss=m.group("tok"),
                                                         rule="near-miss-mark")))
                    break
        for m in LOOSE_RUN_ON_RE.finditer(text, start, end):
            marking = parse_mark(m.group("mark"), self.scheme)
            if marking is None or rank(marking, self.scheme) < current:
                continue
            if m.group("num") and expected is not None and int(m.group("num")) == expected:
                found.append((m.start(), _Start(m.start(), "paragraph", m.group("num"), "", m.group("mark"),
                                                m.start("mark"), m.end("mark"), rule="raising-run-on")))
                break
            if not m.group("num") and m.group("after") and rank(marking, self.scheme) > current:
                parent = self._parent(cur)
                found.append((m.start("mark"), _Start(m.start("mark"), "subparagraph" if parent else "unnumbered",
                                                      parent.number if parent else "", "", m.group("mark"),
                                                      m.start("mark"), m.end("mark"), rule="mark-after-sentence")))
                break
        return min(found, key=lambda t: t[0])[1] if found else None

    def _unmarked_rank(self) -> float:
        """The level unmarked text will get, as far as it is known while reading."""
        if self.banner_marking is not None:
            return rank(self.banner_marking, self.scheme)
        return self.scheme.highest.rank

    def line_start(self, line: str, a: int, cur: Portion | None, blank_before: bool) -> _Start | _Attach | None:
        """What a line that begins a portion begins; None when the line continues the current one."""
        m = NUMBER_RE.match(line)
        if m:
            n = int(m.group("num"))
            rest = m.end()
            lead = LEAD_IN_RE.match(line, rest)
            mm = LINE_MARK_RE.match(line, lead.end() if lead else rest)
            marking = parse_mark(mm.group("mark"), self.scheme, fold_case=True) if mm else None
            wrapped = None if marking else WRAPPED_MARK_RE.match(self.text, a + rest)
            if wrapped and self._mark(wrapped.group("mark")):
                return _Start(a + len(line) - len(line.lstrip()), "paragraph", str(n), "", wrapped.group("mark"),
                              wrapped.start("mark"), wrapped.end("mark"), rule="wrapped-mark")
            near = None if marking else NEAR_MISS_RE.match(line, rest)
            if marking or near or self._plausible_number(n, line, blank_before):
                st = _Start(a + m.start("num") - (1 if line[:m.start("num")].rstrip().endswith("¶") else 0),
                            "paragraph", str(n), body_start=a + rest,
                            rule="paragraph-number" if marking else "near-miss-mark" if near else "plausible-number")
                st.pos = a + len(line) - len(line.lstrip())
                if marking and mm:
                    st.mark, st.mark_start, st.body_start = mm.group("mark"), a + mm.start("mark"), a + mm.end()
                elif near:
                    st.near_miss, st.body_start = near.group("tok"), a + near.end()
                return st
        m = LINE_MARK_RE.match(line)
        # A mark at the start of a wrapped line inside a sentence (`see reftel` / `(C) for details`) is a
        # reference, not a new portion: a portion starts after a blank line or a finished sentence.
        if m and cur is not None and not blank_before and not self._is_heading(cur) and not self._ends_sentence(cur):
            m = None
        if m and parse_mark(m.group("mark"), self.scheme):
            # The mark on the line after a heading (`2. Afghanistan` / `-----` / `(C) The SYG...`)
            # belongs to the numbered heading above it.
            heading = cur if self._is_heading(cur) else self.heading
            if heading is not None:
                heading.mark, heading.mark_start = m.group("mark"), a + m.start("mark")
                heading.marking = parse_mark(m.group("mark"), self.scheme)
                return _Attach(heading)
            parent = self._parent(cur)
            return _Start(a + m.start("mark"), "unnumbered" if parent is None else "subparagraph",
                          parent.number if parent else "", "", m.group("mark"), a + m.start("mark"),
                          a + m.end(), rule="line-mark")
        m = BULLET_RE.match(line)
        if m:
            mm = LINE_MARK_RE.match(line, m.end())
            marking = parse_mark(mm.group("mark"), self.scheme, fold_case=True) if mm else None
            label = m.group("label").strip("().")
            kind = "bullet" if label in ("-", "--", "---", "*", "•", "o") else "subparagraph"
            parent = self._parent(cur)
            if marking and mm:
                return _Start(a + m.start("label"), kind, parent.number if parent else "", label,
                              mm.group("mark"), a + mm.start("mark"), a + mm.end(), rule="marked-bullet")
            wrapped = WRAPPED_MARK_RE.match(self.text, a + m.end())
            if wrapped and self._mark(wrapped.group("mark")):
                return _Start(a + m.start("label"), kind, parent.number if parent else "", label,
                              wrapped.group("mark"), wrapped.start("mark"), wrapped.end("mark"), rule="wrapped-mark")
            near = NEAR_MISS_RE.match(line, m.end())
            if near:
                return _Start(a + m.start("label"), kind, parent.number if parent else "", label,
                              body_start=a + near.end(), near_miss=near.group("tok"), rule="near-miss-mark")
            # An unmarked bullet among marked siblings is a portion of its own (it inherits later).
            if cur is not None and cur.kind in ("bullet", "subparagraph") and cur.mark is not None:
                return _Start(a + m.start("label"), kind, parent.number if parent else "", label,
                              body_start=a + m.end(), rule="unmarked-bullet")
        if ENTIRE_TEXT_RE.search(line) and blank_before:
            return _Start(a + len(line) - len(line.lstrip()), "unnumbered", body_start=a, rule="entire-text")
        return None

    def _parent(self, cur: Portion | None) -> Portion | None:
        if cur is None:
            return None
        if cur.kind == "paragraph":
            return cur
        if cur.parent:
            return self.by_id.get(cur.parent)
        return None

    def _mark(self, mark: str) -> Marking | None:
        """Read a mark at a portion start (lower case accepted; a mark wrapped over a line break rejoined)."""
        return parse_mark(re.sub(r"[ \t]*\n[ \t]*", " ", mark), self.scheme, fold_case=True)

    def open(self, st: _Start) -> Portion:
        marking = self._mark(st.mark) if st.mark else None
        p = Portion(id=f"p{len(self.portions) + 1}", kind=st.kind, number=st.number, label=st.label,
                    start=st.pos, end=st.pos, body_start=st.body_start, mark=st.mark if marking else None,
                    mark_start=st.mark_start if marking else None, marking=marking, started_by=st.rule)
        if st.near_miss:
            self.near_miss[id(p)] = near_miss_marking(st.near_miss, self.scheme)
            p.flags.append(f"near-miss mark {st.near_miss}: read as {self.near_miss[id(p)].level} at least")
        if st.kind == "paragraph":
            self.last_number = int(st.number)
            self.last_paragraph = p
        elif st.kind in ("subparagraph", "bullet"):
            parent = self.last_paragraph
            if parent is not None:
                p.parent, p.number = parent.id, parent.number
        self.portions.append(p)
        self.by_id[p.id] = p
        return p

    def close(self, cur: Portion | None, rule: str) -> None:
        """End the open portion; `rule` names what ended it."""
        if cur is not None:
            cur.ended_by = cur.ended_by or rule
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
        self._classified_by_in_paragraph_one()
        if not doc.reasons:
            m = re.search(r"Classified[ \t]+by\b.{0,400}", self.text, re.IGNORECASE | re.DOTALL)
            if m:
                doc.reasons = normalise_reasons(m.group(0))
        if not doc.date and doc.metadata.get("created"):
            doc.date = doc.metadata["created"][:10]
        self._resolve()

    def _classified_by_in_paragraph_one(self) -> None:
        """The 1990s form `1. (U) CLASSIFIED BY ... REASON: 1.5 (B) AND (D).`: read it; the paragraph stays."""
        doc = self.doc
        first = next((p for p in self.portions if p.kind == "paragraph"), None)
        if doc.classified_by or first is None:
            return
        m = re.compile(r"[ \t]*CLASSIFIED[ \t]+BY\b[ \t]*:?[ \t]*", re.IGNORECASE).match(self.text, first.body_start,
                                                                                   first.end)
        if m:
            doc.classified_by = re.sub(r"\s+", " ", self.text[m.end():min(first.end, m.end() + 400)]).strip()
            doc.reasons = doc.reasons or normalise_reasons(doc.classified_by)

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
        marked_children: dict[str, list[Portion]] = {}
        for q in self.portions:
            if q.parent and q.marking is not None and q.mark is not None:
                marked_children.setdefault(q.parent, []).append(q)
        for p in self.portions:
            if id(p) in self.near_miss:
                self._resolve_near_miss(p)
                continue
            if p.marking is not None:
                p.source = "explicit"
                p.basis = f"marked {p.mark}"
                if "malformed" in p.marking.flags:
                    p.flags.append(f"unrecognised marking {p.mark}: read as {p.marking.level}")
                continue
            parent = by_id.get(p.parent) if p.parent else None
            if parent is not None and parent.marking is not None and p.kind in ("bullet", "subparagraph"):
                siblings = marked_children.get(p.parent, [])
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


    def _resolve_near_miss(self, p: Portion) -> None:
        """A mangled mark is read at the highest level it could mean, and never below what unmarked text gets."""
        could = self.near_miss[id(p)]
        inherited = self.doc.effective_banner
        if inherited is not None and rank(inherited, self.scheme) > rank(could, self.scheme):
            p.marking, p.source = inherited, "inherited"
        else:
            p.marking, p.source = could, "explicit"
        p.basis = f"near-miss mark, read as {p.marking.banner}"


def near_miss_marking(token: str, scheme: Scheme) -> Marking:
    """The highest level a mangled mark could stand for: `(5)` -> SECRET, `(S` -> SECRET, `(0)` -> CONFIDENTIAL."""
    body = token.strip("()")
    letters = {"5": "S", "$": "S", "8": "S", "0": "C", "O": "C", "V": "U"}
    seen = {letters.get(ch, ch) for ch in body}
    for abbrev in ("TS", "S", "C", "U"):
        if abbrev in seen or (abbrev == "TS" and "T" in seen):
            found = scheme.find(abbrev)
            if found is not None:
                return Marking(found.name, scheme=scheme.name)
    return Marking(scheme.highest.name, scheme=scheme.name)


def segment(source: SourceText | str, scheme: Scheme = US, deadline: Deadline | None = None) -> Document:
    """Split a document into header fields and portions, each portion with its level.

    `scheme` is the scheme marks are read with (the policy's); `deadline`, when given, is checked as the body
    is read and raises TooLarge once it has passed.
    """
    if isinstance(source, str):
        source = SourceText(source, "text")
    return _Segmenter(source, scheme, deadline).run()

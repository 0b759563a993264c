"""The head of a document: preamble, banner, routing, header fields, and where the body begins."""

from __future__ import annotations

import re

from redactor.markings import (
    Banner,
    find_cable_banner,
    find_capco_banner,
    parse_mark,
)
from redactor.release import Decl, Portion
from redactor.segment.body import section_label
from redactor.segment.rules import (
    ALX_PREAMBLE_RE,
    BLANK_RE,
    BULLET_RE,
    CAPTION_LINE_RE,
    DTG_RE,
    ENTIRE_TEXT_RE,
    FIELD_RE,
    LINE_MARK_RE,
    NUMBER_RE,
    PAGE_BREAK_RE,
    QUOTE_RE,
    REASON_RE,
    REF_AFTER_BLANK_RE,
    REF_LINE_RE,
    ROUTING_RE,
    SEPARATOR_RE,
    TAGS_LINE_RE,
    TAGS_LOWER_LINE_RE,
    WIKILEAKS_NOTE_RE,
)
from redactor.segment.spans import ReaderState, _lines, _strip_span

MONTHS = {
    m: i + 1 for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])
}


def normalise_reasons(text: str) -> list[str]:
    """`Reason 1.4 (b) and (d)`, `REASONS 1.4 B AND D`, `1.4(b/d)`, `1.5 (b,d)` -> ["1.4(b)", "1.4(d)"]."""
    flat = re.sub(r"\s+", " ", text)
    flat = re.sub(r"\b([Aa])\s+(nd)\b", r"\1\2", flat)  # `1.4 (A) a` / `nd (D)` split across lines
    out: list[str] = []
    for m in re.finditer(r"\b1\s?\.\s?([45])\.?\s*((?:[\s(,/&]*\b[a-hA-H]\b[\s),]*(?:and|AND|&|or)?)+)", flat):
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
            return Decl(value, "date", f"{year:04d}-{month:02d}-{day:02d}", code.group(0).upper() if code else None)
    code = re.search(r"\b(1\.6\s?X\d|X\d(?:\s*,\s*X\d)*|25X\d|50X\d(?:-[A-Z]+)?|OADR|N/A|NA)\b", value, re.IGNORECASE)
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


class HeaderReader(ReaderState):
    """Header fields between the banner and the first portion; unknown blocks become unmarked portions."""

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
                seen_routing
                and line == line.upper()
                and len(line.strip()) <= 80
                and not re.search(r"[a-z]|[.!?]\s+[A-Z]", line)
            )
            seen_routing = seen_routing or bool(ROUTING_RE.match(line) or DTG_RE.match(line))
            m = DTG_RE.match(line)
            note = WIKILEAKS_NOTE_RE.search(line)
            if note:
                if line[: note.start()].strip():
                    self.add_field("routing", a, a + note.start(), line[: note.start()].strip())
                self.add_field("metadata", a + note.start(), a + note.end(), "wikileaks note")
                if line[note.end() :].strip():  # text glued after the note is text, never dropped
                    self.unmarked_block(a + note.end(), b, "before-banner")
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
            nxt = self.text[b + 1 : self.text.find("\n", b + 1) if self.text.find("\n", b + 1) >= 0 else len(self.text)]
            if section_label(line, nxt, blank_before, self.scheme, self.banner_marking) is not None:
                return a
            quote = QUOTE_RE.match(line)
            if quote is not None:  # `> (U) ...`, `> 1. (S) ...`: the quote prefix is like indentation
                line = " " * quote.end() + line[quote.end() :]
            m = NUMBER_RE.match(line)
            if m and (
                self._plausible_number(int(m.group("num")), line, blank_before) or LINE_MARK_RE.match(line, m.end())
            ):
                return a
            # A REF list goes on over wrapped lines, and after a blank line with a lettered item.
            ref_start = bool(re.match(r"[ \t]*REF(?:S|\(S\)|TELS?)?\b", line, re.IGNORECASE))
            in_ref = ref_start or (
                in_ref and bool((REF_AFTER_BLANK_RE if blank_before else REF_LINE_RE).match(line) or not blank_before)
            )
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
        first = self.text[lines[0][0] : lines[0][1]]
        has_reason = bool(re.search(r"\b1\s?\.\s?[45]\b", first))
        texts = [self.text[a:b] for a, b in lines]
        for k, (_a, b) in enumerate(lines[1:], 1):
            line = texts[k]
            if name == "ref" and not line.strip():
                continue  # a blank line inside a REF list (only kept when a lettered item follows)
            if name == "tags":
                fits = bool(TAGS_LINE_RE.fullmatch(line)) or (
                    texts[k - 1].rstrip().endswith(",") and bool(TAGS_LOWER_LINE_RE.fullmatch(line))
                )
            elif name == "ref":
                fits = bool(REF_LINE_RE.match(line))
            elif name == "classified_by":
                # Until the reason is read, the name may wrap onto a line or two before the reason; a field
                # with no reason in sight ends on its own line. Then only the tail of a reason split across
                # lines (`nd (D)`) follows.
                fits = (not has_reason and k <= 2 and any(REASON_RE.search(t) for t in texts[k:3])) or bool(
                    re.match(r"[ \t]*(?:(?i:a?nd|or)\b|&|\(?[a-hA-H]\)|[a-hA-H][.,]?[ \t]*$)", line)
                )
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
        if (
            len(prev.rstrip()) < 50
            or re.search(r"[.!?]\s*$", prev)
            or SEPARATOR_RE.fullmatch(line)
            or PAGE_BREAK_RE.fullmatch(stripped)
            or NUMBER_RE.match(line)
            or LINE_MARK_RE.match(line)
            or FIELD_RE.match(line)
        ):
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
            special = (
                not stripped
                or SEPARATOR_RE.fullmatch(line)
                or CAPTION_LINE_RE.match(line)
                or self.page_break(line, a)
                or WIKILEAKS_NOTE_RE.fullmatch(stripped)
                or (ROUTING_RE.match(line) and routing)
                or DTG_RE.match(line)
            )
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
                if line[note.end() :].strip():
                    block_start, block_end = a + note.end(), b
                continue
            if block_start is None:
                block_start = a
            block_end = b

    def authority(self, name: str, start: int, stop: int, value_start: int) -> None:
        """A line of a CAPCO classification authority block (`Classified By:`, `Derived From:`,
        `Declassify On:`) in the body of a memo: a classification line, not a portion."""
        name = re.sub(r"\s+", " ", name).lower()
        value = self.text[value_start:stop].strip()
        if name == "declassify on":
            compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value)
            self.doc.decl = normalise_decl(
                f"{compact.group(2)}/{compact.group(3)}/{compact.group(1)}" if compact else value
            )
            self.add_field("eo", start, stop, self.doc.decl.date or self.doc.decl.code or self.doc.decl.raw)
        elif name == "classified by" and not self.doc.classified_by:
            self.header_field("classified_by", start, stop, value_start)
        else:
            self.add_field("classified_by", start, stop, value)

    def header_field(self, name: str, start: int, stop: int, value_start: int) -> None:
        text = self.text
        value = re.sub(r"\s+", " ", text[value_start:stop]).strip()
        if name == "caption":
            self.caption(start, stop)
        elif name == "eo":
            decl = re.search(r"\bDECL(?:ASSIFY[ \t]+ON)?\b[ \t]*:?", text[start:stop], re.IGNORECASE)
            raw = text[start + decl.end() : stop] if decl else re.sub(r"^[:\s]+", "", value)
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
        p = Portion(
            id="",
            kind="subject",
            number="",
            label="SUBJECT",
            start=start,
            end=stop,
            body_start=m.end() if m and marking else value_start,
            started_by="subject",
            ended_by="end-of-header-field",
        )
        if m and marking:
            p.mark, p.mark_start, p.marking = m.group("mark"), m.start("mark"), marking
        self.portions.append(p)

    def unmarked_block(self, start: int, end: int, rule: str = "header-gap") -> None:
        start, end = _strip_span(self.text, start, end)
        if end > start:
            self.portions.append(
                Portion(
                    id="",
                    kind="unnumbered",
                    number="",
                    label="",
                    start=start,
                    end=end,
                    body_start=start,
                    started_by=rule,
                    ended_by="end-of-header-block",
                )
            )

    # ------------------------------------------------------------------------------------------ body

"""The body: portions started and ended by the rules, line by line."""

from __future__ import annotations

import re
import unicodedata

from redactor.markings import (
    Marking,
    Scheme,
    parse_mark,
    rank,
    read_damaged,
    rel_countries,
)
from redactor.release import Portion
from redactor.segment.rules import (
    AUTHORITY_RE,
    BARE_MARK_RE,
    BARE_TLP_RE,
    BLANK_RE,
    BULLET_RE,
    CAPTION_LINE_RE,
    CELL_MARK_RE,
    CIRCLED_RE,
    ENTIRE_TEXT_RE,
    FIELD_RE,
    HALF_CLOSE_RE,
    HALF_OPEN_RE,
    INLINE_TOKEN_RE,
    LEAD_IN_RE,
    LETTER_REF_RE,
    LINE_MARK_RE,
    LOOSE_RUN_ON_RE,
    NEAR_MISS_RE,
    NUMBER_RE,
    PAGE_BREAK_RE,
    QUOTE_RE,
    REASON_AFTER_RE,
    REASON_LIST_RE,
    REASON_NEXT_RE,
    RUN_ON_NEAR_RE,
    RUN_ON_RE,
    RUN_ON_WRAPPED_RE,
    SEPARATOR_RE,
    SIGNATURE_LINE_RE,
    TABLE_CELL_RE,
    TABLE_ROW_RE,
    TRAILER_RE,
    WIKILEAKS_NOTE_RE,
    WRAPPED_MARK_RE,
)
from redactor.segment.spans import ReaderState, _Attach, _lines, _Start, _strip_span


def section_label(
    line: str, following: str, blank_before: bool, scheme: Scheme, banner: Marking | None
) -> Marking | None:
    """A TLP 2.0 label alone on its line as the label of the section below it (`TLP:CLEAR` / `Summary: ...`):
    only where that is unambiguous, else None (a label alone is read as a repeated page banner). It must be a
    label of the policy's scheme, lower than the document's banner of that scheme, after a blank line (never
    inside a sentence), with text on the very next line (a page's footer is followed by a blank line or the
    next page's banner, not by text)."""
    m = BARE_TLP_RE.fullmatch(line.strip())
    if m is None or not blank_before or banner is None or banner.scheme != scheme.name:
        return None
    nxt = following.strip()
    if not nxt or BARE_TLP_RE.match(nxt):
        return None
    marking = parse_mark("(" + re.sub(r"\s+", "", m.group("inner")).upper() + ")", scheme)
    if marking is None or "malformed" in marking.flags or rank(marking, scheme) >= rank(banner, scheme):
        return None
    return marking


def _numbered(m: re.Match[str], pos: int, rule: str) -> tuple[int, _Start]:
    """A paragraph that starts inside a line at `pos`: its number and mark from the match, found by `rule`."""
    start = _Start(pos, "paragraph", m.group("num"), "", m.group("mark"), m.start("mark"), m.end("mark"), rule=rule)
    return pos, start


def _heading_like(stripped: str) -> bool:
    """A short capitalised line of a few words that ends no sentence: `Fisheries Cooperation`."""
    return (
        len(stripped) <= 60
        and not re.search(r"[.!?,;:\"”]$", stripped)
        and stripped[:1].isupper()
        and len(stripped.split()) <= 8
    )


class BodyReader(ReaderState):
    """Splits the body into portions at paragraph numbers, marks, bullets and the lines that stand alone."""

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
        if _heading_like(stripped) and (self._starts_something(following) or _heading_like(following.strip())):
            return "heading"
        return None

    @staticmethod
    def _starts_something(line: str) -> bool:
        """Does this line (the one after a possible heading) start a portion, end the text or break the page?"""
        return (
            not line.strip()
            or any(
                r.match(line) for r in (NUMBER_RE, LINE_MARK_RE, BULLET_RE, SEPARATOR_RE, CAPTION_LINE_RE, TRAILER_RE)
            )
            or bool(PAGE_BREAK_RE.fullmatch(line.strip()) or SIGNATURE_LINE_RE.fullmatch(line))
        )

    def _ends_sentence(self, cur: Portion, chars: str = '.!?:"”') -> bool:
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
        skip_to = start
        for k, (a, b) in enumerate(lines):
            if self.deadline is not None and k % 1024 == 0:
                self.deadline.check("segmenting")
            if a < skip_to:
                continue
            line = text[a:b]
            stripped = line.strip()
            if not stripped:
                blank_before = True
                continue
            field = self.field_after_title(line, a, cur, blank_before, end)
            if field is not None:
                cur = self.close(cur, "field-after-title")
                skip_to = field
                blank_before = True
                continue
            if SEPARATOR_RE.fullmatch(line):
                self.heading = cur if self._is_heading(cur) else None
                cur = self.close(cur, "separator")
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
                cur = self.close(cur, "authority-block")
                self.authority(auth.group("name"), a, b, a + auth.end())
                blank_before = True
                continue
            if CAPTION_LINE_RE.match(line) and cur is not None and blank_before:
                cur = self.close(cur, "caption-line")
                self.caption(a, b)
                continue
            if WIKILEAKS_NOTE_RE.fullmatch(stripped):
                cur = self.close(cur, "wikileaks-note")
                self.add_field("metadata", a, b, "wikileaks note")
                continue
            following = text[lines[k + 1][0] : lines[k + 1][1]] if k + 1 < len(lines) else ""
            label = section_label(line, following, blank_before, self.scheme, self.banner_marking)
            if label is not None:
                indent = a + len(line) - len(line.lstrip())
                cur = self.close(cur, "section-label")
                st = _Start(
                    indent, "unnumbered", "", "", stripped, indent, indent + len(stripped), rule="section-label"
                )
                st.damaged = label  # the label, read with the scheme (it has no brackets to parse)
                cur = self.open(st)
                cur.end = b
                blank_before = after_break = False
                continue
            row = TABLE_ROW_RE.match(line)
            cells = self.text_table_cells(lines, k)
            later_cells = [a + c for c in cells[1:]]  # where the row's other cells start
            new = self.line_start(line, a, cur, blank_before) if row is None else None
            if cells and row is None:
                # a row of a space-aligned table: its first cell starts at its mark, lower too
                new = self.line_start(line[cells[0] :], a + cells[0], cur, True)
                if isinstance(new, _Start):
                    new.rule = "text-table-cell"
            if row is not None:
                # `| (U) North | (S) Officer |`: the row's first cell starts at its mark, lower too (a cell boundary
                # is a portion boundary, like a blank line); an unmarked first cell continues (fail closed).
                cell = LINE_MARK_RE.match(line, row.end())
                if cell is not None and parse_mark(cell.group("mark"), self.scheme):
                    new = self.line_start(line[row.end() :], a + row.end(), cur, True)
                    if isinstance(new, _Start):
                        new.rule = "table-cell-mark"
            quote = QUOTE_RE.match(line) if new is None and row is None else None
            if quote is not None:
                # `> (U) ...`, `>> (C) ...`, `> 1. (S) ...`: the quote prefix is like indentation, and a mark after it
                # starts a portion as at a line start (a lower one only after a blank line or finished sentence).
                new = self.line_start(line[quote.end() :], a + quote.end(), cur, blank_before)
            self.heading = None
            why = (
                None
                if new is not None or cur is None
                else self.unmarked_line_rule(
                    line,
                    cur,
                    blank_before,
                    after_break,
                    per_line,
                    following,
                )
            )
            if isinstance(new, _Attach):
                cur = new.heading
            elif new is not None:
                cur = self.close(cur, new.rule)
                cur = self.open(new)
            elif cur is None or why is not None:
                rule = why or "unmarked-text"
                cur = self.close(cur, rule)
                cur = self.open(
                    _Start(
                        a + len(line) - len(line.lstrip()),
                        "unnumbered",
                        body_start=a + len(line) - len(line.lstrip()),
                        rule=rule,
                    )
                )
            cur.end = b
            blank_before = after_break = False
            # A paragraph number may run on inside this line.
            scan_from = max(a, cur.body_start)
            while True:
                run = self.run_on(text, scan_from, b, cur, later_cells)
                if run is None:
                    break
                cur.end = run.pos
                cur = self.close(cur, run.rule)
                cur = self.open(run)
                cur.end = b
                scan_from = run.body_start
        self.close(cur, "end-of-text")

    def _mark_columns(self, line: str) -> list[int]:
        """The columns of the marks in a line that starts (after indentation) with a mark, when it holds two or more."""
        cols = [m.start() for m in CELL_MARK_RE.finditer(line) if parse_mark(m.group("mark"), self.scheme)]
        if len(cols) < 2 or line[: cols[0]].strip():
            return []
        return cols

    def text_table_cells(self, lines: list[tuple[int, int]], k: int) -> list[int]:
        """The cell columns of line k when it is a row of a space-aligned table (its marks, two or more, stand at
        the columns of those of the line above or below it, give or take two), else []."""
        a, b = lines[k]
        cols = self._mark_columns(self.text[a:b])
        if not cols:
            return []
        for j in (k - 1, k + 1):
            other = self._mark_columns(self.text[lines[j][0] : lines[j][1]]) if 0 <= j < len(lines) else []
            # the same number of marks, each within two columns of the other line's (hand-aligned text)
            if len(other) == len(cols) and all(abs(x - y) <= 2 for x, y in zip(cols, other, strict=True)):
                return cols
        return []

    def field_after_title(self, line: str, a: int, cur: Portion | None, blank_before: bool, end: int) -> int | None:
        """A header field (SUBJECT, E.O./DECL, TAGS, REF, Classified By) at the start of a line after a blank
        line, while the body so far holds only marked one-line titles (`(U) QUARTERLY REVIEW` / `SUBJECT: (U)
        ...`): read as the header reads it; returns where the field ends (its lines as the header reader allows
        them, never a marked or unmarked line after it), else None."""
        if not blank_before or self.last_number is not None:
            return None
        m = FIELD_RE.match(line)
        if m is None or m.lastgroup not in ("subject", "eo", "tags", "ref", "classified_by"):
            return None
        body = [p for p in self.portions if p.started_by not in ("subject", "header-gap", "before-banner")]
        body = [p for p in body if p.ended_by != "end-of-header-block"]
        if not body or any(
            p.started_by != "line-mark" or p.mark is None or "\n" in self.text[p.start : p.end].strip() for p in body
        ):
            return None
        if cur is not None and "\n" in self.text[cur.start : cur.end].strip():
            return None
        blank = BLANK_RE.search(self.text, a, end)
        stop = self._field_end(m.lastgroup, a + m.end(), blank.start() if blank else end)  # type: ignore[attr-defined]
        self.header_field(m.lastgroup, a, stop, a + m.end())  # type: ignore[attr-defined]
        return stop

    def unmarked_line_rule(
        self, line: str, cur: Portion, blank_before: bool, after_break: bool, per_line: bool, following: str
    ) -> str | None:
        """The rule by which a line that starts no marked portion still ends the open one, or None."""
        if after_break and self._continues(cur):
            return None  # a sentence goes on across a page break
        if blank_before:
            return "blank-line"
        if per_line:
            return "one-paragraph-per-line"
        return self.own_line(line, cur, following)

    def _raises(self, mark: str, cur: Portion) -> bool:
        marking = parse_mark(mark, self.scheme)
        current = rank(cur.marking, self.scheme) if cur.marking else self._unmarked_rank()
        return marking is not None and rank(marking, self.scheme) > current

    def _is_heading(self, cur: Portion | None) -> bool:
        """A numbered paragraph that so far is one short unmarked line: `2. Afghanistan`."""
        if cur is None or cur.kind != "paragraph" or cur.mark is not None or cur.end - cur.body_start > 200:
            return False
        head = self.text[cur.body_start : cur.end].strip()
        return "\n" not in head and len(head) <= 80

    def _continues(self, cur: Portion) -> bool:
        """After a page break, text continues the open portion unless the portion had ended a sentence."""
        return not self._ends_sentence(cur)

    def run_on(self, text: str, start: int, end: int, cur: Portion, cells: list[int]) -> _Start | None:
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
            if (
                parse_mark(m.group("mark"), self.scheme, fold_case=True)
                and expected is not None
                and int(m.group("num")) == expected
            ):
                found.append(_numbered(m, m.start("num"), "run-on-paragraph"))
                break
        if expected is not None:
            for m in RUN_ON_WRAPPED_RE.finditer(text, start, min(len(text), end + 200)):
                if m.start("num") >= end:
                    break
                if int(m.group("num")) == expected and self._mark(m.group("mark")):
                    found.append(_numbered(m, m.start("num"), "wrapped-mark"))
                    break
        if expected is not None:
            for m in RUN_ON_NEAR_RE.finditer(text, start, end):
                if int(m.group("num")) == expected and not parse_mark(m.group("tok"), self.scheme, fold_case=True):
                    found.append(
                        (
                            m.start("num"),
                            _Start(
                                m.start("num"),
                                "paragraph",
                                m.group("num"),
                                body_start=m.end(),
                                near_miss=m.group("tok"),
                                rule="near-miss-mark",
                            ),
                        )
                    )
                    break
        for m in LOOSE_RUN_ON_RE.finditer(text, start, end):
            marking = parse_mark(m.group("mark"), self.scheme)
            if marking is None or rank(marking, self.scheme) < current:
                continue
            if m.group("num") and expected is not None and int(m.group("num")) == expected:
                found.append(_numbered(m, m.start(), "raising-run-on"))
                break
            if not m.group("num") and m.group("after") and rank(marking, self.scheme) > current:
                found.append(self._inline(m, cur, "mark-after-sentence"))
                break
        for pos in cells:
            cell = CELL_MARK_RE.match(text, pos)
            if start < pos < end and cell is not None:
                found.append(self._inline(cell, cur, "text-table-cell"))
                break
        line_start = text.rfind("\n", 0, start) + 1
        if TABLE_ROW_RE.match(text, line_start):
            for m in TABLE_CELL_RE.finditer(text, max(start, line_start + 1), end):
                if m.start() > start and parse_mark(m.group("mark"), self.scheme):
                    found.append(self._inline(m, cur, "table-cell-mark"))
                    break
        for m in inline_tokens(text, start, min(len(text), end + 60)):
            if m.start() >= end:
                break  # a token may wrap onto the next line, but must start on this one
            # Fail closed: a mark in mid-line that raises the level or adds a control starts what it marks,
            # whatever stands before it; a damaged one (`(S-NF)`) too, read at the highest it could mean.
            read = read_inline(text, m, self.scheme, self.banner_marking)
            held = cur.marking or self.banner_marking
            if read is not None and above(read[0], held, self._held_rank(cur), self.scheme):
                pos, st = self._inline(m, cur, "damaged-mark-in-line" if read[1] else "raising-mark-in-line")
                st.mark = "(" + " ".join(m.group("inner").split()) + ")"  # `[S]` read as `(S)`
                if read[1]:
                    st.damaged, st.split_from = read[0], cur
                found.append((pos, st))
                break
        return min(found, key=lambda t: t[0])[1] if found else None

    def _inline(self, m: re.Match[str], cur: Portion, rule: str) -> tuple[int, _Start]:
        """A portion that a mark inside a line starts: a subparagraph of the open paragraph, or unnumbered."""
        parent = self._parent(cur)
        start = _Start(
            m.start("mark"),
            "subparagraph" if parent else "unnumbered",
            parent.number if parent else "",
            "",
            m.group("mark"),
            m.start("mark"),
            m.end("mark"),
            rule=rule,
        )
        return m.start("mark"), start

    def _held_rank(self, cur: Portion) -> float:
        """The rank of what the open portion has, as far as it is known while reading."""
        held = cur.marking or self.banner_marking
        return rank(held, self.scheme) if held else self._unmarked_rank()

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
                return _Start(
                    a + len(line) - len(line.lstrip()),
                    "paragraph",
                    str(n),
                    "",
                    wrapped.group("mark"),
                    wrapped.start("mark"),
                    wrapped.end("mark"),
                    rule="wrapped-mark",
                )
            near = None if marking else NEAR_MISS_RE.match(line, rest)
            if marking or near or self._plausible_number(n, line, blank_before):
                st = _Start(
                    a + m.start("num") - (1 if line[: m.start("num")].rstrip().endswith("¶") else 0),
                    "paragraph",
                    str(n),
                    body_start=a + rest,
                    rule="paragraph-number" if marking else "near-miss-mark" if near else "plausible-number",
                )
                st.pos = a + len(line) - len(line.lstrip())
                if marking and mm:
                    st.mark, st.mark_start, st.body_start = mm.group("mark"), a + mm.start("mark"), a + mm.end()
                elif near:
                    st.near_miss, st.body_start = near.group("tok"), a + near.end()
                return st
        m = LINE_MARK_RE.match(line)
        # A mark at the start of a wrapped line inside a sentence (`see reftel` / `(C) for details`) is a
        # reference, not a new portion: a portion starts after a blank line or a finished sentence. Unless it
        # raises the level (a table cell, an OCR'd line): a reference can never lower a portion.
        if (
            m
            and cur is not None
            and not blank_before
            and not self._is_heading(cur)
            and not self._ends_sentence(cur)
            and not self._raises(m.group("mark"), cur)
        ):
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
            return _Start(
                a + m.start("mark"),
                "unnumbered" if parent is None else "subparagraph",
                parent.number if parent else "",
                "",
                m.group("mark"),
                a + m.start("mark"),
                a + m.end(),
                rule="line-mark",
            )
        m = BULLET_RE.match(line)
        if m:
            mm = LINE_MARK_RE.match(line, m.end())
            marking = parse_mark(mm.group("mark"), self.scheme, fold_case=True) if mm else None
            label = m.group("label").strip("().")
            kind = "bullet" if label in ("-", "--", "---", "*", "•", "o") else "subparagraph"
            parent = self._parent(cur)
            if marking and mm:
                return _Start(
                    a + m.start("label"),
                    kind,
                    parent.number if parent else "",
                    label,
                    mm.group("mark"),
                    a + mm.start("mark"),
                    a + mm.end(),
                    rule="marked-bullet",
                )
            wrapped = WRAPPED_MARK_RE.match(self.text, a + m.end())
            if wrapped and self._mark(wrapped.group("mark")):
                return _Start(
                    a + m.start("label"),
                    kind,
                    parent.number if parent else "",
                    label,
                    wrapped.group("mark"),
                    wrapped.start("mark"),
                    wrapped.end("mark"),
                    rule="wrapped-mark",
                )
            near = NEAR_MISS_RE.match(line, m.end())
            if near:
                return _Start(
                    a + m.start("label"),
                    kind,
                    parent.number if parent else "",
                    label,
                    body_start=a + near.end(),
                    near_miss=near.group("tok"),
                    rule="near-miss-mark",
                )
            # An unmarked bullet among marked siblings is a portion of its own (it inherits later).
            if cur is not None and cur.kind in ("bullet", "subparagraph") and cur.mark is not None:
                return _Start(
                    a + m.start("label"),
                    kind,
                    parent.number if parent else "",
                    label,
                    body_start=a + m.end(),
                    rule="unmarked-bullet",
                )
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
        marking = st.damaged or (self._mark(st.mark) if st.mark else None)
        p = Portion(
            id=f"p{len(self.portions) + 1}",
            kind=st.kind,
            number=st.number,
            label=st.label,
            start=st.pos,
            end=st.pos,
            body_start=st.body_start,
            mark=st.mark if marking else None,
            mark_start=st.mark_start if marking else None,
            marking=marking,
            started_by=st.rule,
        )
        if st.split_from is not None:
            self.split_from[id(p)] = st.split_from
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

    def close(self, cur: Portion | None, rule: str) -> Portion | None:
        """End the open portion; `rule` names what ended it. Returns the portion now open: none."""
        if cur is not None:
            cur.ended_by = cur.ended_by or rule
            cur.start, cur.end = _strip_span(self.text, cur.start, cur.end)
            # A page break after the portion's last line belongs to no portion: it is a field.
            for a, b in cur.breaks:
                if b > cur.end:
                    self.add_field("page_break", a, b)
            cur.breaks = [br for br in cur.breaks if br[1] <= cur.end]
        return None


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


# Each token's pattern, and a character every token it finds holds: where text has none of them, the pattern
# cannot match there and is not run (most portions hold no bracket, slash or colon).
_INLINE = (
    (INLINE_TOKEN_RE, re.compile(r"[(\[{<]")),
    (HALF_OPEN_RE, re.compile(r"[(\[{]")),
    (HALF_CLOSE_RE, re.compile(r"[)\]}]")),
    (BARE_MARK_RE, re.compile(r"/")),
    (BARE_TLP_RE, re.compile(r":")),
    (CIRCLED_RE, re.compile(r"[\u24b6-\u24cf]")),
)


def inline_tokens(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The bracketed tokens inside text[start:end] (INLINE_TOKEN_RE, and those that lost a bracket), in order."""
    found = [m for token, needs in _INLINE if needs.search(text, start, end) for m in token.finditer(text, start, end)]
    return sorted(found, key=lambda m: m.start())


def read_inline(
    text: str, m: re.Match[str], scheme: Scheme, banner: Marking | None = None
) -> tuple[Marking, bool] | None:
    """What a bracketed token inside a line (INLINE_TOKEN_RE) reads as: its marking and whether the mark is
    damaged (redactor.markings.damaged: `(S-NF)`, `(5//NF)`, `(NF)`, read at the highest it could mean), or
    None when it is prose. Lower case counts unless a letter stands just before or it is one letter (`(a), (b),
    (c)` label a list); one letter glued to a word in capitals is a plural (`REF(S)`); `(C)` after a reason
    list or a reference word is a letter, not a mark; a token that does not parse and is no damaged mark
    (`(CDS/CHOD)`, `(six percent)`, `(CSTC-A)`, `(S-300)`) is prose."""
    inner = " ".join(m.group("inner").split())  # any space (no-break, thin, ideographic) as a space
    if m.re is BARE_TLP_RE:  # `TLP:RED`: the scheme's mark, or (another scheme's document) AMBER and RED fail closed
        label = "(" + re.sub(r"\s+", "", inner).upper() + ")"
        marking = parse_mark(label, scheme)
        glued_on = m.end() < len(text) and text[m.end()].isalpha()  # `TLP:AMBERtext`: the label, flagged
        if marking is not None and "malformed" not in marking.flags:
            return marking, glued_on
        damaged = read_damaged(label[1:-1], scheme) if re.search("AMBER|RED", label) else None
        return None if damaged is None else (damaged, True)
    if m.re is CIRCLED_RE:  # `Ⓢ`: a level in circled letters is that level's mark, flagged; other letters are text
        letters = unicodedata.normalize("NFKC", inner).upper()
        marking = parse_mark(f"({letters})", scheme)
        if marking is None or "malformed" in marking.flags or marking.controls:
            return None
        return marking, True
    glued = m.start() > 0 and text[m.start() - 1].isalnum()
    if m.re is INLINE_TOKEN_RE and inner in ("s", "c") and not glued and not _letter_label(text, m):
        # `fine (s) text`: a lone lower-case level letter (wrong case is a damage OCR and retyping make) is the
        # mark, flagged; not a list label (`(a) (b) (c)`, one at a line start), a reason or reference letter,
        # a copyright sign (`(c) 2009`)
        marking = parse_mark(f"({inner.upper()})", scheme)
        return (marking, True) if marking is not None else None
    if glued and len(inner) == 1 and re.search(r"\b[A-Z]{2,}$", text[max(0, m.start() - 40) : m.start()]):
        return None  # `REF(S)`, `OFFICIAL(S)`: a plural in capitals (`fine(S)` is a mark glued to a word)
    marking = parse_mark(f"({inner})", scheme, fold_case=not glued and len(inner) > 1)
    if m.re is BARE_MARK_RE and banner is not None and _page_banner_line(text, m):
        # `SECRET//NOFORN` alone on its line: a page's banner inside the text, no portion mark, unless it is above
        # the document's banner (fail closed: that page is classified higher than the banner says)
        page = parse_mark(f"({inner})", scheme)
        if page is None or not above(page, banner, rank(banner, scheme), scheme):
            return None
    if m.re is not INLINE_TOKEN_RE:  # a bracket lost: a mark only with a control (`(S//NF text`)
        marking = marking if marking is not None and "malformed" not in marking.flags else None
        marking = marking or read_damaged(inner, scheme)
        return (marking, True) if marking is not None and (marking.controls or marking.rel_to) else None
    if marking is None or "malformed" in marking.flags:
        damaged = read_damaged(inner, scheme) if len(inner) > 1 else None
        return None if damaged is None else (damaged, True)
    if inner.upper() == "C" and (
        REASON_LIST_RE.search(text, max(0, m.start() - 40), m.start())
        or (REASON_AFTER_RE.search(text, max(0, m.start() - 10), m.start()) and REASON_NEXT_RE.match(text, m.end()))
        or LETTER_REF_RE.search(text, max(0, m.start() - 14), m.start())
    ):
        return None
    return marking, False


def _letter_label(text: str, m: re.Match[str]) -> bool:
    """Whether the one-letter token `m` is a letter, not a mark: a list label (another letter label near it, or
    first on its line), a reason or reference letter, a copyright sign (a year or `copyright` beside it)."""
    before = text[max(0, m.start() - 60) : m.start()]
    after = text[m.end() : m.end() + 60]
    line_start = text.rfind("\n", 0, m.start()) + 1
    return bool(
        not text[line_start : m.start()].strip()
        or re.search(r"\([a-z]\)", before + " " + after)
        or re.search(r"\b1\.[45]|\b(?i:refs?|reftels?|paras?|paragraphs?|subparas?|reasons?)\b\.?[ \t]*$", before)
        or re.match(r"[ \t]*(?:\d{4}|(?i:copyright))", after)
        or re.search(r"(?i:copyright)[ \t]*$", before)
    )


def _page_banner_line(text: str, m: re.Match[str]) -> bool:
    """Whether the bare mark `m` spells its level out (`SECRET//NOFORN`, the banner form) and is alone on its line."""
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line_end = len(text) if line_end < 0 else line_end
    alone = not text[line_start : m.start()].strip() and not text[m.end() : line_end].strip()
    return alone and re.match(r"(?:TOP\s+)?SECRET|CONFIDENTIAL", m.group("inner")) is not None


def above(marking: Marking, held: Marking | None, held_rank: float, scheme: Scheme) -> bool:
    """Whether `marking` is above `held` (rank `held_rank`): a higher level, or a control (or a narrower REL TO)
    `held` does not carry."""
    if rank(marking, scheme) > held_rank:
        return True
    if held is None:
        return False
    if set(marking.controls) - set(held.controls):
        return True
    # A REL TO that leaves out a country the open portion's has (or none where it has one) narrows it.
    return bool(held.rel_to and not (marking.rel_to and rel_countries(marking.rel_to) >= rel_countries(held.rel_to)))


def inline_mark(
    text: str,
    m: re.Match[str],
    scheme: Scheme,
    held: Marking | None,
    held_rank: float,
    banner: Marking | None = None,
) -> Marking | None:
    """The mark a bracketed token inside a line is (read_inline; `banner`: the document's), when it is above
    `held` (rank `held_rank`), else None."""
    read = read_inline(text, m, scheme, banner)
    return read[0] if read is not None and above(read[0], held, held_rank, scheme) else None

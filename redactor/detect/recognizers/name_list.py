"""Lists of names, one person to a line: an election's results, a delegation, the members of a body.

    ¶11. (U) FOLLOWING IS THE FINAL LIST OF INDIVIDUALS ELECTED TO THE CONSTITUENT CONGRESS:

    JAIME YOSHIYAMA TANAKA
    LUZ SALGADO RUBIANES
    CARLOS TORRES Y TORRES LARA

A list is three or more consecutive lines, each two to six words of a name (capitalised, or all in capitals,
or particles), with no digit, no punctuation but an initial's full stop, a hyphen or an apostrophe, and no
function word of a sentence; most of its lines open with a known given name, unless its introduction says
whose names they are (below). A list right after another, with only a party's name between, is one
however short. Each such line is one person's
whole name. The model reads a list as running text: it runs a name into the next line (`JAIME YOSHIYAMA
TANAKA\nLUZ`) or stops inside one (`LUZ SALGADO` of `LUZ SALGADO RUBIANES`), leaving a surname visible, and
true-casing lowers a given name it takes for a word (`victor joy way Rojas`). So the lines are judged as
written, by the detector itself (as the TAGS visitors are), and their spans replace what the model found in
them (`keep_list_lines`).

A list introduced as the members of an elected or governing body (`ELECTED TO THE CONSTITUENT CONGRESS`,
`MEMBERS OF THE NEW CABINET`) names officials, with that introduction as their role; a list right after it,
with only headings between (a party's name), has the same introduction.
"""

from __future__ import annotations

import bisect
import itertools
import re

from redactor.detect.findings import Finding
from redactor.detect.lexicon import PARTICLES
from redactor.detect.recognizers.base import NameRecognizer

LINE_RE = re.compile(r"^[ \t]*(?P<name>.*?)[ \t]*$", re.MULTILINE)  # a blank line ends a list
# A word of a name, capitalised or in capitals, perhaps hyphenated or with an apostrophe (`FREUNDT-THURNE`,
# `O'Neill`), or an initial (`J.`).
WORD_RE = re.compile(r"[A-Z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*|[A-Z]\.")
# Particles of Spanish, Portuguese, Dutch, French and Arabic names, and Spanish `Y` between two surnames.
LIST_PARTICLES = PARTICLES | {"y", "e", "dos", "das", "do", "du", "des", "ter", "ten", "bint"}
# Words of a sentence that are in no name: a line holding one is prose (`BOMBING CAMPAIGN IN LIMA`).
SENTENCE_WORDS = frozenset(
    """
the of and to in a an for with on at by from into over under about after before between against is was are
were be been has have had it its as that this these those than or but not no nor will would may might should
can could must he she they we you his her their our who whom which what when where said says also only
""".split()
)
MIN_LINES = 3
MAX_WORDS = 6
# What the text before a list says when its lines are the members of an elected or governing body.
BODY = (
    r"congress|parliament|assembly|senate|legislature|chamber[ \t]+of[ \t]+deputies|house[ \t]+of[ \t]+"
    r"(?:representatives|commons|lords)|cabinet|council[ \t]+of[ \t]+ministers|government|duma|knesset|majlis|"
    r"bundestag|sejm|rada"
)
_GAP = r"[ \t\n]+"
# Up to two words before the body (`CONSTITUENT`, `NEW`), none making it a private one (`STUDENT GOVERNMENT`,
# `PARTY CONGRESS`, `UNION COUNCIL`).
_PRIVATE = r"student|students|school|youth|university|party|union|club|company|board|church"
_QUALIFIERS = rf"(?:(?!(?:{_PRIVATE})\b)\w+{_GAP}){{0,2}}"
ELECTED_RE = re.compile(
    rf"(?i:\b(?:(?:elected|appointed|named|sworn{_GAP}in){_GAP}(?:to|as|in)"
    rf"|(?:members|ministers|deputies|senators|representatives){_GAP}(?:of|in|to))"
    rf"{_GAP}(?:the{_GAP})?{_QUALIFIERS}(?:{BODY})\b)"
)
QUOTED_RE = re.compile(r"[\"“”'][^\"“”]+[\"“”']")
PARTY_RE = re.compile(
    r"(?i:\b(?:party|parti|partido|partei|alliance|alianza|front|frente|movement|movimiento|coalition|bloc|"
    r"list|lista|independents?)\b)"
)
SENTENCE_END_RE = re.compile(r"[.!?](?:\s+|$)|\n[ \t]*\n")  # or a paragraph's end
# How far before a list its introduction may stand (a heading and a party's name may come between).
INTRODUCTION_CHARS = 400
SOURCES = frozenset({"name-list", "elected-list"})  # the sources of its finds: a private list's, an elected one's


class NameListRecognizer(NameRecognizer):
    """Each line of a list of names, whole, with the list's role ("" when it names no elected body)."""

    SCORE = 0.85

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [line for lines, _ in self.lists(text) for line in lines]

    def findings(self, texts: list[str]) -> list[list[Finding]]:
        """The list lines of each text, an elected body's with its role as `official`. The texts are read as
        one, in order: a list is often a text of its own, with its introduction and each party's name in the
        texts before it."""
        joined = "\n\n".join(texts)
        starts = list(itertools.accumulate((len(t) + 2 for t in texts[:-1]), initial=0))
        out: list[list[Finding]] = [[] for _ in texts]
        for lines, role in self.lists(joined):
            for s, e in lines:
                i = bisect.bisect_right(starts, s) - 1
                source = "elected-list" if role else "name-list"
                out[i].append(Finding(s - starts[i], e - starts[i], "PERSON", self.SCORE, source, official=role))
        return out

    def lists(self, text: str) -> list[tuple[list[tuple[int, int]], str]]:
        """The lists of `text`, each as the spans of its lines and its members' role (`ELECTED TO THE
        CONSTITUENT CONGRESS`, or "")."""
        lists: list[tuple[list[tuple[int, int]], str]] = []
        run: list[tuple[int, int]] = []
        openers = 0
        for m in LINE_RE.finditer(text + "\n"):
            if self._name_line(m.group("name")):
                run.append((m.start("name"), m.end("name")))
                openers += self.lexicon.given_name(m.group("name").split()[0])
                continue
            if run:
                start = run[0][0]
                # A list right after another, with only a party's name between, goes on with it however short.
                follows = bool(lists) and _headings_only(text[lists[-1][0][-1][1] : start])
                role = _introduced_as(text[max(0, start - INTRODUCTION_CHARS) : start])
                if not role and follows:
                    role = lists[-1][1]
                # Most lines open with a known given name, or the introduction says who they are; a shorter
                # list needs an introduction that ends in a colon (not a signature under a sentence on MPs).
                introduced = bool(role) and (len(run) >= MIN_LINES or _colon_before(text, start))
                if (len(run) >= MIN_LINES and 2 * openers > len(run)) or introduced or follows:
                    lists.append((run, role))
            run, openers = [], 0
        return lists

    def _name_line(self, line: str) -> bool:
        """Two to six words of a name and particles: no function word of a sentence, no role, and one word
        at least that is no dictionary word (`ROJAS` of `VICTOR JOY WAY ROJAS`) unless it opens with a given
        name."""
        words = line.split()
        if not 2 <= len(words) <= MAX_WORDS:
            return False
        named = unknown = 0
        for w in words:
            low = w.lower()
            if low in LIST_PARTICLES:
                continue
            if low in SENTENCE_WORDS or not WORD_RE.fullmatch(w) or self.lexicon.not_name(w):
                return False
            named += 1
            unknown += not self.lexicon.common(w)
        return named >= 2 and (unknown > 0 or self.lexicon.given_name(words[0]))


def _introduced_as(before: str) -> str:
    """The role the sentence introducing a list gives its members, from the text before the list: its last
    sentence, past the parties' names (`ELECTED TO THE CONSTITUENT CONGRESS`), or ""."""
    lines = before.splitlines()
    while lines and (not lines[-1].strip() or _headings_only(lines[-1])):
        lines.pop()
    sentence = SENTENCE_END_RE.split("\n".join(lines))[-1]
    m = ELECTED_RE.search(sentence)
    return re.sub(r"\s+", " ", m.group(0)) if m else ""


def _colon_before(text: str, start: int) -> bool:
    """Whether the text before `start`, past blank lines and parties' names, ends in a colon."""
    lines = text[max(0, start - INTRODUCTION_CHARS) : start].splitlines()
    while lines and (not lines[-1].strip() or _headings_only(lines[-1])):
        lines.pop()
    return bool(lines) and lines[-1].rstrip().endswith(":")


def _headings_only(text: str) -> bool:
    """Whether `text` between two lists holds only the names of parties: in quotation marks or naming a party
    (`"RENOVACION"`, `FRENTE INDEPENDIENTE MORALIZADOR`), never a sentence that may introduce another kind of
    list (`THE FOLLOWING WERE ARRESTED:`, `DETAINEES`)."""
    return all(
        len(line.split()) <= MAX_WORDS and (QUOTED_RE.fullmatch(line.strip()) or PARTY_RE.search(line))
        for line in text.splitlines()
        if line.strip()
    )


def keep_list_lines(findings: list[Finding]) -> list[Finding]:
    """The findings with a list's lines kept whole: a person the model or another rule finds across or inside
    a list line gives way to the line."""
    lines = [f for f in findings if f.source in SOURCES]
    if not lines:
        return findings
    return [
        f
        for f in findings
        if f.source in SOURCES
        or f.entity_type != "PERSON"
        or not any(f.start < line.end and line.start < f.end for line in lines)
    ]

"""Lists of names, one person to a line: an election's results, a delegation, the members of a body.

    ¶11. (U) FOLLOWING IS THE FINAL LIST OF INDIVIDUALS ELECTED TO THE CONSTITUENT CONGRESS:

    JAIME YOSHIYAMA TANAKA
    LUZ SALGADO RUBIANES
    CARLOS TORRES Y TORRES LARA

A list is two or more consecutive lines, each two to six words of a name (capitalised, or all in capitals,
or particles), with no digit, no punctuation but an initial's full stop, a hyphen, an apostrophe or a comma
after the surname, and no function word of a sentence; most of its lines open with a known given name or
are words no dictionary lists, unless its introduction says whose names they are (below). Each such line is
one person's whole name. The model reads a list as running text: it runs a name into the next line (`JAIME YOSHIYAMA
TANAKA\nLUZ`) or stops inside one (`LUZ SALGADO` of `LUZ SALGADO RUBIANES`), leaving a surname visible, and
true-casing lowers a given name it takes for a word (`victor joy way Rojas`). So the lines are judged as
written, by the detector itself (as the TAGS visitors are), and their spans replace what the model found in
them (`keep_list_lines`).

A list whose introduction says that its persons are the members of an elected or governing body names
officials, with that introduction as their role: the sentence before it, whole, is one of a few forms —
`FOLLOWING IS THE FINAL LIST OF INDIVIDUALS ELECTED TO THE CONSTITUENT CONGRESS IN THE NOVEMBER 22
ELECTIONS:`, `THE FOLLOWING WERE ELECTED TO THE NATIONAL ASSEMBLY:`, `The new members of the Cabinet are:`.
A sentence that only mentions a body (`PROTESTERS WHO DEMANDED A MEETING WITH MEMBERS OF PARLIAMENT WERE
DETAINED:`, `CANDIDATES FAILED TO BE ELECTED TO THE SENATE:`, `NAMED IN THE GOVERNMENT'S INDICTMENT`), or a
body with a name of its own (`THE AFRICAN NATIONAL CONGRESS`, `KITCHEN CABINET`), introduces no officials. A
list right after an elected body's, when the introduction or a column heading announces the lists by party
(`PARTY - NAMES OF REPRESENTATIVES`) and only the next party's name stands between (`"RENOVACION"`, `FRENTE
INDEPENDIENTE MORALIZADOR`), is that body's too, however short; a blank line alone or any other heading
(`"OBSERVERS"`, `LIST OF THE DEAD`, `DEFEATED LIBERAL PARTY CANDIDATES`) ends it. Their names are officials'
as written in full only: no word of them makes another person an official (`officials.mark_officials`).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from difflib import SequenceMatcher

from redactor.detect.findings import LIST_SOURCES, Finding
from redactor.detect.lexicon import PARTICLES, PLACE_OPENERS, THING_WORDS, Lexicon

# A line, ended by any line or page break (`\f`, `\u2028`); a blank one ends a list.
LINE_RE = re.compile(r"[ \t]*(?P<name>[^\n\f\v\x85\u2028\u2029]*?)[ \t]*(?:[\n\f\v\x85\u2028\u2029]|\Z)")
# A word of a name in any script's letters, capitalised or in capitals, perhaps hyphenated or with an apostrophe
# (`FREUNDT-THURNE`, `O'Neill`, `ÁNGEL GÓMEZ PEÑA`), or an initial (`J.`).
WORD_RE = re.compile(r"(?=[^\W\d_])[^\W\d_a-zß-ÿ][^\W\d_'’]*(?:['’-][^\W\d_]+)*|[A-Z]\.")
INITIAL_RE = re.compile(r"[A-Z]\.?")
# Words of the names of companies a list may hold that THING_WORDS lacks (`AMERICAN AIRLINES`, `X LTD`).
NOT_A_NAME = frozenset("airlines airways inc ltd corp co".split())
# Particles of Spanish, Portuguese, Dutch, French and Arabic names, and Spanish `Y` between two surnames.
LIST_PARTICLES = PARTICLES | {"y", "e", "dos", "das", "do", "du", "des", "ter", "ten", "bint"}
# Words of a sentence that are in no name: a line holding one is prose (`BOMBING CAMPAIGN IN LIMA`).
SENTENCE_WORDS = frozenset(
    """
the of and to in a an for with on at by from into over under about after before between against is was are
were be been has have had it its as that this these those than or but not no nor will would may might should
can could must he she they we you his her their our who whom which what when where said says also only
out up off down back away then there here now very more most much many some any all each just still even so
too yet again never ever one two three four five six seven eight nine ten
""".split()
)
MIN_LINES = 2
MAX_WORDS = 6
# The bodies whose members a list may name, and what may stand before one (`THE CONSTITUENT CONGRESS`, a
# misspelling of it, `THE NEW CABINET`).
BODY = (
    r"congress|parliament|assembly|senate|legislature|chamber of deputies|house of representatives|house of "
    r"commons|house of lords|cabinet|council of ministers|government|duma|knesset|majlis|bundestag|sejm|rada"
)
QUALIFIERS = frozenset(
    "constituent national new federal provincial regional state legislative transitional interim upper lower "
    "supreme incoming first".split()
)
# A congress, an assembly or a senate may be a union's, a party's or a university's: it needs a word that makes
# it a state's (`NATIONAL`, `CONSTITUENT`).
OF_A_STATE = frozenset("constituent national federal legislative".split())
NEEDS_STATE = frozenset("congress assembly senate".split())
# Words after the body that make the election another's (`IN THE SCHOOL MOCK ELECTION`, `PARTY PRIMARY`).
NOT_THE_STATES = frozenset(
    "student students school youth university party union club company board church mock primary primaries "
    "internal".split()
)
PARTY_WORD_RE = re.compile(r"(?i:\bpart(?:y|ies)\b)")
_WORD = r"[a-z]+ "
_BODY = rf"(?:the )?(?:{_WORD}){{0,2}}(?:{BODY})"
# The body's name and the words before it, to judge them (`NameListRecognizer._qualifier`).
BODY_RE = re.compile(rf"\b(?:the )?(?P<qualifiers>(?:{_WORD}){{0,2}}?)(?P<body>{BODY})\b")
_PEOPLE = r"(?:individuals|persons|people|candidates|members|deputies|senators|representatives|ministers|those) "
_ELECTION = r"(?: in the (?:[a-z0-9]+ ){0,4}(?:elections?|vote|polls?|ballot))?"
_ELECTED = r"(?:newly )?(?:elected|appointed|sworn in)"  # (not `named in`: a mention there)
# The sentence that introduces a list of a body's members, whole (lower case, one space between words).
INTRODUCTION_RE = re.compile(
    r"(?:\([a-z/ ]+\) )?(?:"
    rf"(?:the )?(?:following|below) (?:is|are) (?:the )?(?:final |official |complete |full )?(?:list of )?"
    rf"(?:the )?(?:{_PEOPLE})?{_ELECTED} (?:to|as) {_BODY}{_ELECTION}"
    rf"|(?:the )?following (?:{_PEOPLE})?(?:were|was|have been|has been|will be) {_ELECTED} (?:to|as|in) {_BODY}"
    rf"{_ELECTION}"
    rf"|(?:the )?(?:newly elected |new |incoming )?(?:members|ministers) of {_BODY} (?:are|include|will be)"
    rf"|(?:the )?(?:{_PEOPLE})?{_ELECTED} (?:to|as) {_BODY}{_ELECTION} (?:are|were|include)"
    rf"|(?:the )?(?:new )?{_BODY} (?:is composed of|consists of|comprises|is as follows)"
    r") ?:?"
)
QUOTED_RE = re.compile(r"[\"“”][^\"“”]+[\"“”]")
PARTY_RE = re.compile(
    r"(?i:\b(?:party|parti|partido|partei|alliance|alianza|front|frente|movement|movimiento|coalition|bloc)\b)"
)
# Words of a heading that says its list is of other persons than the body's members.
NOT_MEMBERS = frozenset(
    """
candidates candidate defeated activists activist members arrested detained killed dead wounded victims observers
staff staffers bodyguards guards supporters advisers advisors aides assistants relatives wives families
protesters journalists list
""".split()
)
# A list of things or places, as its introduction names them (`THE FOLLOWING US FIRMS`, `TO THE FOLLOWING
# HOSPITALS:`, `THE TEAM VISITED THE FOLLOWING:`;
# not `MEMBERS OF THE FOLLOWING PARTIES`, `DELEGATES FROM THE FOLLOWING COUNTRIES`, whose lists are persons).
THINGS_RE = re.compile(
    r"(?i:\bfollowing (?:[a-z.]+ ){0,2}(?:firms|companies|corporations|banks|hospitals|clinics|airports|"
    r"provinces|cities|towns|villages|districts|newspapers|ships|vessels|ministries|schools|universities|"
    r"hotels)\b|\b(?:visited|toured|stopped (?:in|at)|travell?ed to|flew to|drove to|went to) the following\b)"
)
SENTENCE_END_RE = re.compile(r"[.!?](?:\s+|$)|\n[ \t]*\n")  # or a paragraph's end
# How far before a list its introduction may stand (a heading and a party's name may come between).
INTRODUCTION_CHARS = 400


class NameListRecognizer:
    """Each line of a list of names, whole, with the list's role ("" when it names no elected body). Read by the
    detector itself, on the texts as written (not one of Presidio's recognizers)."""

    SCORE = 0.85

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

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
        by_party = False  # the last elected list is one party's of several (`PARTY - NAMES OF REPRESENTATIVES`)
        run: list[tuple[int, int]] = []
        openers = 0
        for m in LINE_RE.finditer(text):
            if self._name_line(m.group("name")):
                run.append((m.start("name"), m.end("name")))
                first = plain(m.group("name").split()[0].rstrip(","))
                # (a line of two words or more no dictionary lists counts as one opening with a given name:
                # `ABDUREHIM TURSUN KADIR`, `ŞAHIN YILDIZ`; a place of such words is the model's, `detect`)
                openers += self.lexicon.given_name(first) or self._unknown_words(m.group("name")) >= 2
                continue
            if run:
                start = run[0][0]
                sentence, headings = self._last_sentence(text[max(0, start - INTRODUCTION_CHARS) : start])
                role = self._introduced_as(sentence)
                if role:
                    by_party = PARTY_WORD_RE.search(sentence + " " + headings) is not None
                elif by_party and lists and lists[-1][1] and self._parties_only(text[lists[-1][0][-1][1] : start]):
                    # A list right after one party's list of an elected body, the next party's name between,
                    # is the body's too, however short.
                    role = lists[-1][1]
                else:
                    by_party = False
                # Most lines open with a known given name, or the introduction says who they are; never a list
                # its introduction says is of things (`THE FOLLOWING US FIRMS BID ON THE CONTRACT:`).
                if ((len(run) >= MIN_LINES and 2 * openers > len(run)) or role) and not THINGS_RE.search(sentence):
                    lists.append((run, role))
            run, openers = [], 0
        return lists

    def _introduced_as(self, written: str) -> str:
        """The role the sentence introducing a list gives its members (`elected to the Constituent Congress`):
        the sentence as written, if it is one of the forms of INTRODUCTION_RE and names a state's body; else
        ""."""
        sentence = re.sub(r"[^\w:()/ ]", "", written.lower())  # `CONGRESS'` of a possessive, quotation marks
        body = list(BODY_RE.finditer(sentence))
        if not INTRODUCTION_RE.fullmatch(sentence) or not body:
            return ""
        qualifiers = [w for w in body[-1].group("qualifiers").split() if w not in SENTENCE_WORDS]
        if not all(self._qualifier(w) for w in qualifiers):
            return ""
        if body[-1].group("body").split()[0] in NEEDS_STATE and not any(
            self._qualifier(w, OF_A_STATE) for w in qualifiers
        ):
            return ""  # `THE FOLLOWING WERE ELECTED TO THE ASSEMBLY:` of a tenants' assembly
        if NOT_THE_STATES & set(sentence[body[-1].end() :].split()):
            return ""  # `... IN THE SCHOOL MOCK ELECTION`
        return re.sub(r"^\([^)]*\)\s*", "", written).strip(" :")  # as written, without its portion mark

    def _last_sentence(self, before: str) -> tuple[str, str]:
        """The last sentence of the text before a list, past any party's name and column heading, one space
        between its words; and those headings."""
        lines = before.splitlines()
        headings = []
        while lines and (not lines[-1].strip() or self._parties_only(lines[-1]) or _column_heading(lines[-1])):
            headings.append(lines.pop())
        return " ".join(SENTENCE_END_RE.split("\n".join(lines))[-1].split()), " ".join(headings)

    def _qualifier(self, word: str, known: frozenset[str] = QUALIFIERS) -> bool:
        """A word before a body's name that leaves it the body (`CONSTITUENT`, misspelt `CONSITUTENT`; not
        `NATIONALIST`, a word of its own)."""
        return word in known or (
            len(word) >= 6
            and not self.lexicon.common(word)
            and any(SequenceMatcher(None, word, q).ratio() >= 0.8 for q in known)
        )

    def _parties_only(self, text: str) -> bool:
        """Whether `text` between two lists is a party's name and nothing else: in quotation marks and no
        dictionary word alone (`"RENOVACION"`, not `"OBSERVERS"`), or naming a party (`FRENTE INDEPENDIENTE
        MORALIZADOR`), never a word for other persons (`DEFEATED LIBERAL PARTY CANDIDATES`)."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return bool(lines) and all(self._party(line) for line in lines)

    def _party(self, line: str) -> bool:
        words = re.findall(r"[^\W\d_]+", line.lower())
        if not words or len(words) > MAX_WORDS or any(w in SENTENCE_WORDS or w in NOT_MEMBERS for w in words):
            return False
        if PARTY_RE.search(line):
            return True
        return QUOTED_RE.fullmatch(line) is not None and any(not self.lexicon.common(w) for w in words)

    def _name_line(self, line: str) -> bool:
        """Two to six words of a name and particles, perhaps a comma after the first (`BARAKAT, AHMED SAID`)
        and initials without a full stop after it (`JOHN A SMITH`); no function word of a sentence unless a
        given name (`WILL HUNTER`), no thing's word (`JOHN RADCLIFFE HOSPITAL`), no role unless after a given
        name (`JOHN KING`, `MARY JUDGE`), and one word at least that is no dictionary word (`ROJAS` of `VICTOR
        JOY WAY ROJAS`) unless it opens with a given name. Accented letters are read without their accents
        (`ÁNGEL`)."""
        words = line.split()
        if not 2 <= len(words) <= MAX_WORDS:
            return False
        comma = words[0].endswith(",")
        if comma:
            words[0] = words[0][:-1]
        # (`Smith, John`: the given name after the comma)
        given_first = self.lexicon.given_name(plain(words[0])) or (comma and self.lexicon.given_name(plain(words[1])))
        if plain(words[0]).lower() in PLACE_OPENERS:
            return False  # `SAN JOSE`, `SANTA ANA`
        named = unknown = 0
        for k, w in enumerate(words):
            low = plain(w).lower()
            if low in LIST_PARTICLES or (k > 0 and INITIAL_RE.fullmatch(w)):
                continue
            if (
                not WORD_RE.fullmatch(w)
                or (low in SENTENCE_WORDS and not self.lexicon.given_name(low))
                or low in THING_WORDS
                or low in NOT_A_NAME
                or (self.lexicon.not_name(low) and not (k > 0 and given_first))
            ):
                return False
            named += 1
            unknown += not self.lexicon.common(low)
        return named >= 2 and (unknown > 0 or given_first)

    def _unknown_words(self, line: str) -> int:
        return sum(
            1 for w in line.replace(",", " ").split() if len(w) > 2 and not self.lexicon.common(plain(w).lower())
        )


def _column_heading(line: str) -> bool:
    """A list's column heading (`PARTY - NAMES OF REPRESENTATIVES`, `NAME`): a few words naming names, no
    sentence."""
    words = re.findall(r"[^\W\d_]+", line.lower())
    return (
        0 < len(words) <= MAX_WORDS and bool({"name", "names"} & set(words)) and not line.rstrip().endswith((":", "."))
    )


def plain(word: str) -> str:
    """The word without its accents (`ÁNGEL` is `ANGEL`), for the word lists."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii") or word


def keep_list_lines(findings: list[Finding]) -> list[Finding]:
    """The findings with a list's lines kept whole: a person the model or another rule finds across or inside
    a list line gives way to the line."""
    lines = [f for f in findings if f.source in LIST_SOURCES]
    if not lines:
        return findings
    return [
        f
        for f in findings
        if f.source in LIST_SOURCES
        or f.entity_type != "PERSON"
        or not any(f.start < line.end and line.start < f.end for line in lines)
    ]

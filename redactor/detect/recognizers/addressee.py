"""Addressee lines: `NSC FOR ABRAMS/DORAN/WERNER/SINGH`, `AF/PD FOR COX AND ROBERTSON, AF/S FOR KRAFT`,
`PM/RSAT FOR CPETRONE`, `NSC FOR JENDAYI FRAZER`, `DEPT FOR AF/W, IO/HR (KRUCHOWSKI)`, `STATE FOR EUR/AGS -
VIKMANIS-KELLER`, and a line of an office and its officers alone, `USUNNY/RSO (T. SEARS AND S. EMERS)`.

An addressee line opens with an office code (or two or three words) and `FOR`; what follows each `FOR` up to
the next comma or office code is a list of names (joined by `/`, `,` or `AND`).
"""

from __future__ import annotations

import re

from redactor.detect.recognizers.base import NameRecognizer

# (Any case: true-casing may have lowered the office or city, `london for miller`.)
LINE_RE = re.compile(
    r"^[ \t]*[A-Za-z][A-Za-z/&-]*(?:[ \t]+[A-Za-z][A-Za-z/&-]*){0,2}[ \t]+(?i:for)(?:[ \t]|$)", re.MULTILINE
)
# What follows `FOR`, up to a comma or the next `FOR` (`EUR/UMB AND PM/RSAT FOR CPETRONE`); a list may
# open the next line (`NSC FOR\nJENDAYI FRAZER`, read as the next line's start).
SEGMENT_RE = re.compile(r"(?i:\bfor)[ \t]+(?P<names>(?:(?!(?i:\bfor\b))[^,;\n])+)")
ROUTING_WORDS = frozenset(
    """
and for the all info action information review clearance comment comments posts attention attn immediate priority
routine distribution passing pass please department dept state embassy consulate mission only also with
""".split()
)
OFFICES = frozenset("department dept state treasury secstate usun usnato usmission please pass".split())
# An office with its officer in parentheses: `IO/HR (KRUCHOWSKI)`, `EUR/CE (J. MARBURG AND N. ABBASZADEH)`.
OFFICE_PAREN_RE = re.compile(r"\b[A-Za-z]{1,6}(?:/[A-Za-z]{1,6})+[ \t]*\((?P<names>[^()\n]+)\)")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*(?:/[A-Za-z]+)*")
# A line that is only an office and its officers in parentheses is an addressee line with no `FOR`
# (`USUNNY/RSO (T. SEARS AND S. EMERS)`).
PAREN_LINE_RE = re.compile(r"[ \t]*" + OFFICE_PAREN_RE.pattern + r"[ \t]*$")
# An office and its officer after a dash (`STATE FOR EUR/AGS - VIKMANIS-KELLER`).
DASH_RE = re.compile(r"[ \t]+[-–][ \t]+")


class AddresseeRecognizer(NameRecognizer):
    SCORE = 0.6

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        previous = False  # the line before was an addressee line
        open_end = False  # ... and ended in `AND`, `FOR` or a comma: its list goes on
        for line in re.finditer(r"^.*$", text, re.MULTILINE):
            head = LINE_RE.match(text, line.start())
            office = text[line.start() : head.end()].split()[:-1] if head else []
            # An office code (`NSC`, `EUR/CE`, kept in capitals by true-casing), a routing word, or any word
            # on the line after another addressee line (`london for miller`); never prose (`Reasons for`).
            addressee = head is not None and (previous or all(self._office(w) for w in office))
            addressee = addressee or PAREN_LINE_RE.match(text, line.start(), line.end()) is not None
            if addressee or (previous and open_end):  # `IO/UNP (MORRISON),\nNEA/IPA (GIAUQUE)`
                for paren in OFFICE_PAREN_RE.finditer(text, line.start(), line.end()):
                    out += self._names(text, paren.start("names"), paren.end("names"))
            if previous and open_end:  # `AF/S FOR KRAFT AND\nSCHLACHTER, AF/RA FOR DIPALMA`
                first = re.match(r"[^,;\n]*", text[line.start() : line.end()])
                stop = line.start() + (len(office[0]) if office else first.end() if first else 0)
                opening = line.group(0).split()[:1]
                if not (opening and opening[0].lower() in OFFICES):  # `IIP/R/MR,\nDEPT OF ENERGY`
                    out += self._names(text, line.start(), stop)
                addressee = True
            if not addressee:
                previous = open_end = False
                continue
            previous = True
            open_end = re.search(r"(?i:\b(?:and|for)|,)[ \t]*$", line.group(0)) is not None
            for seg in SEGMENT_RE.finditer(text, line.start(), line.end()):
                out += self._names(text, seg.start("names"), seg.end("names"))
        return out

    def _names(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The names in `text[start:end]`, up to the next office code."""
        out = []
        for w in WORD_RE.finditer(text, start, end):
            word = w.group(0)
            parts = word.split("/")
            if len(parts) > 1 and (not self._name(parts[0]) or any(len(p) <= 2 for p in parts)):
                dash = DASH_RE.match(text, w.end(), end)
                if dash:  # `EUR/AGS - VIKMANIS-KELLER`: the officer of the office
                    out += self._names(text, dash.end(), end)
                break  # the next office code: `... AND PM/RSAT`, `INR/R/MR`
            for part in re.finditer(r"[A-Za-z][A-Za-z'-]*", word):
                if self._name(part.group(0)):
                    out.append((w.start() + part.start(), w.start() + part.end()))
        return out

    def _office(self, word: str) -> bool:
        return (
            word.isupper()
            or "/" in word
            or word.lower() in OFFICES
            or (len(word) <= 5 and not self.lexicon.common(word))
        )  # `USTR`, re-cased `Ustr`

    def _name(self, word: str) -> bool:
        """On an addressee line a word is a name unless it is a routing word or an office code. Dictionary
        words count (`COX`, `KRAFT`: true-casing has put them in lower case), acronyms (`NSC`, kept in
        capitals) do not."""
        return (
            len(word) >= 3
            and word.lower() not in ROUTING_WORDS
            and not self.lexicon.not_name(word)
            and not (len(word) <= 4 and word.isupper() and not self.lexicon.given_name(word))
        )

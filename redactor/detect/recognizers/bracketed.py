"""`GENERAL RAY ((HENAULT))`, `J.G.S.T.M. ((VAN HELLENBERG HUBAR))`: intelligence information reports put a
person's surname in double parentheses, after the given names or initials."""

from __future__ import annotations

import re

from redactor.detect.recognizers.base import NameRecognizer

# One to four words in double parentheses (true-casing may have lowered a particle, `((van Hellenberg Hubar))`).
SURNAME_RE = re.compile(r"\(\((?P<surname>[A-Za-z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*){0,3})\)\)")
# The given names or initials right before it on the same line (`RAY`, `J.G.S.T.M.`).
GIVEN_RE = re.compile(r"(?:(?<=[ \t])|^)(?P<given>(?:[A-Z][\w'’.-]*[ \t]+){1,3})$", re.MULTILINE)


class BracketedSurnameRecognizer(NameRecognizer):
    """A surname in double parentheses is a person's, with the given names before it that are no title."""

    SCORE = 0.7

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        for m in SURNAME_RE.finditer(text):
            if not any(w[:1].isupper() for w in m.group("surname").split()):
                continue
            start = m.start()
            g = GIVEN_RE.search(text, max(0, m.start() - 40), m.start())
            if g:
                words = list(re.finditer(r"\S+", g.group("given")))
                while words and self.lexicon.not_name(words[0].group(0)):
                    words.pop(0)  # `GENERAL`, `SIR`: the title stays outside the name
                if words and all(not self.lexicon.not_name(w.group(0)) for w in words):
                    start = g.start("given") + words[0].start()
            out.append((start, m.end()))
        return out

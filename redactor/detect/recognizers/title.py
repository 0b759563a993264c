"""`Ambassador X`, `FM X`, `U/S X`, `GEN AZIMI`, a title at the end of a line and the name on the next."""

from __future__ import annotations

import re

from redactor.detect.lexicon import OFFICE_RE, THING_WORDS, TITLE_OPENS, TITLES
from redactor.detect.recognizers.base import NameRecognizer

BODY_WORDS = frozenset("assembly secretariat staff cabinet parliament congress senate court".split())
NAME_TOKEN = (
    r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*(?![A-Za-z])|[A-Z]\.|"
    r"(?:de|da|del|van|von|al|el|bin|ibn)(?=[ -][A-Z]))"
)
# One space or tab, or a line break (a title ends one line and the name opens the next), never a blank line.
GAP = r"(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)"
# Not inside a token (`8.PM Bureau`, `AMB/X`) and not in routing (`FM AMEMBASSY`: its next word is a code).
TITLE_NAME_RE = re.compile(
    TITLE_OPENS
    + r"(?i:"
    + TITLES
    + r")(?![\w/])"
    + OFFICE_RE
    + GAP
    + r"(?P<name>"
    + NAME_TOKEN
    + r"(?:(?:[ \t-]+|(?<=[A-Z]\.))"
    + NAME_TOKEN
    + r"){0,3})"
)


class TitleRecognizer(NameRecognizer):
    """A capitalised name right after a title is a person."""

    SCORE = 0.7

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        pos = 0
        while m := TITLE_NAME_RE.search(text, pos):
            first = m.group("name").split()[0]
            if re.search(r"(?i:\bthe)\s*$", text[m.start() : m.start("name")]):
                pos = m.start("name")  # `Director of the Finnish MFA`: after `the` stands no name
                continue
            if first.lower() in THING_WORDS or first.lower() in BODY_WORDS:
                pos = m.start("name")  # `the General Assembly`, `Secretary General Council`: a body
                continue
            if self.lexicon.not_name(first):  # `Major General Ingram`: try again from `General`
                pos = m.start("name")
                continue
            end = self._first_name_end(text, m.start("name"), m.end("name"))
            words = [w for w in re.split(r"[ \t-]+", text[m.start("name") : end]) if len(w.strip(".")) > 1]
            pos = m.end()
            if len(words) >= 2 and all(self.lexicon.common(w) and not self.lexicon.given_name(w) for w in words):
                continue  # `Deputy Labour Whip`: words, not a name
            out.append((m.start("name"), end))
        return out

    def _first_name_end(self, text: str, start: int, end: int) -> int:
        """In a flattened list (`DAS Christopher J. McMullen Sara Mangiaracina`) a given name after a surname
        opens the next person's name."""
        tokens = list(re.finditer(r"\S+", text[start:end]))
        for k in range(2, len(tokens)):
            prev, tok = tokens[k - 1].group(0), tokens[k].group(0)
            if self.lexicon.given_name(tok) and not self.lexicon.given_name(prev) and not prev.endswith("."):
                return start + tokens[k - 1].end()
        return end

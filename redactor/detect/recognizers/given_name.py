"""`Sara Mangiaracina`: a known given name followed by one or two capitalised words is a person (a surname
may open with a particle: `Samir abu-Khalil`)."""

from __future__ import annotations

import re

from redactor.detect.lexicon import NOT_NAMES, PLACE_OPENERS, THING_WORDS
from redactor.detect.recognizers.base import NameRecognizer

CAPITALISED_RE = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?![\w])")
STOP = ("The", "And", "Of", "In", "On", "For", "To", "At", "By", "With", "From", "But", "Or")
# Between the parts, spaces or one line break (`Paul\nLeighton`).
SPACE = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"
REST_RE = re.compile(
    r"(?:"
    + SPACE
    + r"[A-Z]\.)?(?:"
    + SPACE
    + r"(?!(?:"
    + "|".join(STOP)
    + r")\b)(?:(?:al|el|abu|abd|bin|ibn)-)?[A-Z][a-z]+(?:-[A-Z][a-z]+)*){1,2}(?![\w])"
)
PREVIOUS_WORD_RE = re.compile(r"([A-Za-z]+)\.?[ \t]+$")
NEXT_WORD_RE = re.compile(r"[ \t]+([A-Z][a-z]+)")


class GivenNameRecognizer(NameRecognizer):
    """Each given name is tried where it stands (`Minister of Transportation Juan Perez` finds `Juan Perez`);
    a name that runs on into `Party`, `Union`, `Square` names a thing and is dropped."""

    SCORE = 0.65

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        for m in CAPITALISED_RE.finditer(text):
            if not self.lexicon.given_name(m.group(0)):
                continue
            before = PREVIOUS_WORD_RE.search(text, 0, m.start())
            if before and before.group(1).lower() in PLACE_OPENERS:
                continue
            rest = REST_RE.match(text, m.end())
            if not rest:
                continue
            words = rest.group(0).split()
            # After a given name a title word is a surname (`Jim Prince`); a role or code is not.
            if any(w.lower() in NOT_NAMES or w.lower() in THING_WORDS for w in words):
                continue
            after = NEXT_WORD_RE.match(text, rest.end())
            if after and after.group(1).lower() in THING_WORDS:
                continue
            out.append((m.start(), rest.end()))
        return out

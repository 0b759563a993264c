"""`A shopkeeper, Nino Beridze, told poloff`, `his son, Muhammad, and daughter, Lamia`: a name set off by
commas after a noun for a person is that person's name, with no title and no known given name needed; so is
a name in a list before a role in parentheses (`Nino Beruashvili (notetaker)`)."""

from __future__ import annotations

import re

from redactor.detect.lexicon import KIN, PERSON_NOUNS, SPEECH
from redactor.detect.recognizers.base import NameRecognizer
from redactor.detect.recognizers.title import NAME_TOKEN

# After a word for kin (`KIN`) any capitalised word is a name (`his son, Muhammad,`: a dictionary word too).
COURTESY = r"(?:(?:Dr|Mr|Mrs|Ms)\.?[ \t]+)?"
NAME = r"(?P<name>" + NAME_TOKEN + r"(?:[ \t-]+" + NAME_TOKEN + r"){0,3})"
# After the name: a comma, a full stop, `who`, `and` or a verb of saying.
AFTER = r"(?=[ \t]*[,.;)]|[ \t]+(?:who|and)\b|[ \t]+(?:" + SPEECH + r")\b)"
# A name after a comma, read only where the word before the comma is a noun for a person (`a local
# shopkeeper, X Y,`); after kin the comma may be left out (`his Korean wife Choi`). Searching from the
# commas keeps this cheap on long texts.
COMMA_NAME_RE = re.compile(r",[ \t]*\n?[ \t]*" + COURTESY + NAME + AFTER)
NOUN_BEFORE_RE = re.compile(r"(?i:\b(?:(?P<kin>" + KIN + r")|" + PERSON_NOUNS + r"))[ \t]*$")
# A role in parentheses after a name in a list of participants: `Nino Beruashvili (notetaker)`.
ROLE_AFTER_RE = re.compile(
    r"(?:^|[;:,]|\n)[ \t]*" + COURTESY + NAME + r"[ \t]*\((?i:note[ -]?taker|interpreter|translator|aide|staff)\)",
    re.MULTILINE,
)
KIN_NAME_RE = re.compile(r"(?i:\b(?:" + KIN + r"))[ \t]+" + COURTESY + NAME + AFTER)


class AppositiveRecognizer(NameRecognizer):
    """A name in apposition to a noun for a person. Each word must be no role or code and, unless the noun is
    kin, no dictionary word (a given name may be one: `Frank`): `his lawyer, Human Rights Watch,` is no name."""

    SCORE = 0.9  # above the model's 0.85: Presidio keeps one find of a span, and this one says it is a person

    def spans(self, text: str) -> list[tuple[int, int]]:
        found = []
        for m in COMMA_NAME_RE.finditer(text):
            noun = NOUN_BEFORE_RE.search(text, max(0, m.start() - 30), m.start())
            if noun:
                found.append((m, noun.group("kin") is not None))
        found += [(m, True) for m in KIN_NAME_RE.finditer(text)]
        found += [(m, False) for m in ROLE_AFTER_RE.finditer(text)]
        out = []
        for m, kin in found:
            words = [w for w in re.split(r"[ \t-]+", m.group("name")) if len(w.strip(".")) > 1]
            if words and all(self._name(w, kin) for w in words if w[:1].isupper()):
                out.append((m.start("name"), m.end("name")))
        return sorted(set(out))

    def _name(self, word: str, kin: bool) -> bool:
        if self.lexicon.not_name(word):
            return False
        return kin or self.lexicon.given_name(word) or not self.lexicon.common(word)

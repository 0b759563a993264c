"""`A shopkeeper, Nino Beridze, told poloff`, `his son, Muhammad, and daughter, Lamia`: a name set off by
commas after a noun for a person is that person's name, with no title and no known given name needed."""

from __future__ import annotations

import re

from redactor.detect.lexicon import KIN, SPEECH
from redactor.detect.recognizers.base import NameRecognizer
from redactor.detect.recognizers.title import NAME_TOKEN

# After a word for kin (`KIN`) any capitalised word is a name (`his son, Muhammad,`: a dictionary word too).
PERSON_NOUNS = (
    r"shopkeeper|merchant|trader|vendor|businessman|businesswoman|"
    r"journalist|reporter|editor|activist|lawyer|attorney|student|teacher|doctor|physician|nurse|farmer|"
    r"resident|witness|victim|detainee|prisoner|defendant|suspect|driver|owner|employee|worker|colleague|"
    r"friend|neighbou?r|contact|interlocutor|translator|interpreter|blogger|dissident|priest|cleric|monk|"
    r"engineer|banker|economist|analyst|academic|scholar|researcher|landlord|tenant|guard|villager|refugee|"
    r"pensioner|retiree|housewife|mechanic|entrepreneur|parishioner|worshipp?er|protester|demonstrator|"
    r"depositor|investor|customer|client|patient|parent|relative|survivor|eyewitness|voter|candidate"
)
# The noun (after an article or possessive and up to two words: `a local shopkeeper`), a comma (after kin it
# may be left out: `his Korean wife Choi`), an optional
# courtesy title, the name, and then a comma, a full stop, `who` or a verb of saying.
APPOSITIVE_RE = re.compile(
    r"(?i:\b(?:(?P<kin>"
    + KIN
    + r")[ \t]*,?|(?:"
    + PERSON_NOUNS
    + r")[ \t]*,))[ \t]*\n?[ \t]*(?:(?:Dr|Mr|Mrs|Ms)\.?[ \t]+)?"
    r"(?P<name>" + NAME_TOKEN + r"(?:[ \t-]+" + NAME_TOKEN + r"){0,3})"
    r"(?=[ \t]*[,.;)]|[ \t]+(?:who|and)\b|[ \t]+(?:" + SPEECH + r")\b)"
)


class AppositiveRecognizer(NameRecognizer):
    """A name in apposition to a noun for a person. Each word must be no role or code and, unless the noun is
    kin, no dictionary word (a given name may be one: `Frank`): `his lawyer, Human Rights Watch,` is no name."""

    SCORE = 0.9  # above the model's 0.85: Presidio keeps one find of a span, and this one says it is a person

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        for m in APPOSITIVE_RE.finditer(text):
            words = [w for w in re.split(r"[ \t-]+", m.group("name")) if len(w.strip(".")) > 1]
            kin = m.group("kin") is not None
            if words and all(self._name(w, kin) for w in words if w[:1].isupper()):
                out.append((m.start("name"), m.end("name")))
        return out

    def _name(self, word: str, kin: bool) -> bool:
        if self.lexicon.not_name(word):
            return False
        return kin or self.lexicon.given_name(word) or not self.lexicon.common(word)

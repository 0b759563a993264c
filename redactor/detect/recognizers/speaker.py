"""`Micheletti said`, `according to Zelaya`: an unknown capitalised word that speaks is a person."""

from __future__ import annotations

import re

from redactor.detect.lexicon import SPEECH
from redactor.detect.recognizers.base import NameRecognizer

# Mid-sentence (after a lower-case word, a comma), after `according to`, or opening a sentence or the text;
# never at the start of a wrapped line, where any capitalised word may stand.
SPEAKER_RE = re.compile(
    r"(?:(?<=according to )|(?<=[a-z,;] )|(?<=[a-z,;]\n)|\A|(?<=\. ))(?P<name>[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?"
    r"(?: [A-Z][a-z]{2,})?)(?:['’]s)?(?= (?:" + SPEECH + r")\b|['’]s (?:ability|view|government|office|"
    r"return|position|statement|comments|remarks|visit|team|party|supporters)\b)"
)


class SpeakerRecognizer(NameRecognizer):
    """A capitalised word that is not a dictionary word, before a verb of saying. Places that speak
    (`Kunming told us`, `Ankara wants`) are removed after the model has run (see `Detector`)."""

    SCORE = 0.6

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        for m in SPEAKER_RE.finditer(text):
            words = m.group("name").split()
            if all(self._name(w) for w in words):
                out.append((m.start("name"), m.end("name")))
            elif len(words) == 2 and self._name(words[1]):  # `Later Zelaya said`
                out.append((m.end("name") - len(words[1]), m.end("name")))
        return out

    def _name(self, word: str) -> bool:
        return not self.lexicon.common(word) and not self.lexicon.not_name(word)

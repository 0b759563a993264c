"""What the name recognizers share: they find PERSON in the true-cased text, with the project's lexicon."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redactor.detect.lexicon import Lexicon
from redactor.detect.truecase import SEPARATOR


class NameRecognizer(EntityRecognizer):
    """A rule that finds persons' names; subclasses give `SCORE` and `spans(text)`."""

    SCORE = 0.6
    name: str  # set by EntityRecognizer.__init__; declared here, as mypy cannot infer it from Presidio

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        super().__init__(supported_entities=["PERSON"], name=type(self).__name__, supported_language="en")

    def load(self) -> None:
        return None

    def spans(self, text: str) -> list[tuple[int, int]]:
        raise NotImplementedError

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if "PERSON" not in entities:
            return []
        out = []
        pos = 0
        for piece in text.split(SEPARATOR):  # each released text of the chunk on its own
            out += [
                RecognizerResult(
                    "PERSON",
                    pos + s,
                    pos + e,
                    self.SCORE,
                    recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name},
                )
                for s, e in self.spans(piece)
                if e > s
            ]
            pos += len(piece) + len(SEPARATOR)
        return out

"""What the name recognizers share: they find PERSON in the true-cased text, with the project's lexicon."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redactor.detect.lexicon import Lexicon


class NameRecognizer(EntityRecognizer):
    """A rule that finds persons' names; subclasses give `SCORE` and `spans(text)`."""

    SCORE = 0.6

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        super().__init__(supported_entities=["PERSON"], name=type(self).__name__, supported_language="en")

    def load(self) -> None:
        return None

    def spans(self, text: str) -> list[tuple[int, int]]:
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        if "PERSON" not in entities:
            return []
        return [RecognizerResult("PERSON", s, e, self.SCORE,
                                 recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name})
                for s, e in self.spans(text) if e > s]

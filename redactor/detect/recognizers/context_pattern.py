"""Personal data that is a pattern only beside its context word: dates and places of birth, passport,
national ID, case and visa numbers, street addresses.

Each is a Presidio `PatternRecognizer` whose regular expressions carry their context word before a group
`value`: `born 8/18/1941` masks the date and leaves `born`, and a date or a serial with no such word before
it is never swept up. The context
words are also given to Presidio, which raises the score where they stand near a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

FLAGS = re.DOTALL | re.MULTILINE | re.IGNORECASE  # Presidio's defaults

DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}[ -][A-Za-z]{3,9}\.?[ -,]*\d{2,4}|"
    r"[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|(?:in )?\d{4})"
)
BIRTH = r"\b(?:born(?: on)?|DOB|D\.O\.B\.|date of birth|birth ?date|DPOB|DOB/POB)[ \t]*[:.]?[ \t]*"
PLACE = r"(?-i:[A-Z][A-Za-z'’-]+(?:[ \t]+[A-Z][A-Za-z'’-]+){0,2})"
ANY_PLACE = r"[A-Za-z][A-Za-z'’-]+(?:[ \t]+[A-Za-z][A-Za-z'’-]+)?"
NUMBER_LABEL = r"(?:[ \t]+(?:number|no\.?|num\.?|#))?[ \t]*[:.]?[ \t]*"
# An identifier: letters and digits, at least one digit.
IDENT = r"(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,19}(?<!-)"


@dataclass(frozen=True)
class Spec:
    entity: str
    regexes: tuple[str, ...]
    context: tuple[str, ...]
    score: float = 0.85


SPECS = (
    Spec("DATE_OF_BIRTH", (BIRTH + r"(?P<value>" + DATE + r")\b",), ("born", "dob", "birth", "dpob")),
    Spec(
        "PLACE_OF_BIRTH",
        (
            # After `DPOB: <date>,` any word is the place, whatever its case (true-casing lowers `TEHRAN`).
            r"\bDPOB[ \t]*[:.]?[ \t]*" + DATE + r"[ \t]*[,;/][ \t]*(?P<value>" + ANY_PLACE + r")",
            r"\b(?:POB|place of birth|birthplace|born(?: [^\s.;]+){0,3}? in)[ \t]*[:.]?[ \t]*(?P<value>" + PLACE + r")",
        ),
        ("born", "birth", "pob", "dpob", "birthplace"),
    ),
    Spec("PASSPORT_NUMBER", (r"\bpassport" + NUMBER_LABEL + r"(?P<value>" + IDENT + r")\b",), ("passport",)),
    Spec(
        "NATIONAL_ID",
        (
            r"\b(?:national (?:id|identity|identification)(?: card)?|id card|identity card|"
            r"ID|cedula|NIN|CNIC)" + NUMBER_LABEL + r"(?P<value>" + IDENT + r")\b",
        ),
        ("national", "identity", "id", "cedula", "card"),
    ),
    Spec(
        "CASE_NUMBER",
        (r"\b(?:case|file|A-number|alien)" + NUMBER_LABEL + r"(?P<value>" + IDENT + r")\b",),
        ("case", "file"),
    ),
    Spec(
        "VISA_NUMBER",
        (r"\bvisa(?: foil| control| application)?" + NUMBER_LABEL + r"(?P<value>" + IDENT + r")\b",),
        ("visa",),
    ),
    Spec(
        "STREET_ADDRESS",
        (
            r"(?P<value>\b\d{1,5}[A-Za-z]?[ \t]+(?-i:(?:[A-Z][a-z]+[ \t]+){1,4}(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|"
            r"Boulevard|Blvd\.|Lane|Drive|Way|Place|Court|Terrace|Square|Highway)))",
            r"(?P<value>\b\d{1,5}[A-Za-z]?[ \t]+(?-i:(?:[A-Z][A-Z]+[ \t]+){1,4}(?:STREET|AVENUE|ROAD|BOULEVARD|LANE|"
            r"DRIVE))\b)",
        ),
        ("address", "lives", "resides", "residence", "home", "street"),
    ),
)


class ContextPatternRecognizer(PatternRecognizer):
    """One kind of personal data: its patterns, each with its context word before the value it masks.

    Each regular expression holds the context and a group `value`; only the value is returned, so the
    context word stays visible. (A look-behind would say the same, but one of variable width is tried at
    every position of the text and costs far more than a match that starts at a literal word.)
    """

    def __init__(self, spec: Spec) -> None:
        patterns = [Pattern(f"{spec.entity.lower()}_{i}", r, spec.score) for i, r in enumerate(spec.regexes)]
        super().__init__(
            supported_entity=spec.entity,
            name=f"{spec.entity.title().replace('_', '')}Recognizer",
            patterns=patterns,
            context=list(spec.context),
        )
        self.score = spec.score
        self.compiled = [re.compile(r, FLAGS) for r in spec.regexes]

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if self.supported_entities[0] not in entities:
            return []
        out = []
        for r in self.compiled:
            for m in r.finditer(text):
                out.append(
                    RecognizerResult(
                        self.supported_entities[0],
                        m.start("value"),
                        m.end("value"),
                        self.score,
                        recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name},
                    )
                )
        return out

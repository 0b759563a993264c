"""The registry of recognizers: Presidio's predefined ones and this project's, one class per file.

| file | class | finds |
|---|---|---|
| title.py | TitleRecognizer | a name after a title (`Ambassador X`, `GEN AZIMI`) |
| appositive.py | AppositiveRecognizer | a name after a noun for a person and a comma (`a shopkeeper, X Y,`) |
| given_name.py | GivenNameRecognizer | a known given name and a surname |
| speaker.py | SpeakerRecognizer | an unknown capitalised word before `said` |
| addressee.py | AddresseeRecognizer | names on `NSC FOR ABRAMS/DORAN` lines |
| signature.py | SignatureRecognizer | the signature at the end of a text |
| bracketed.py | BracketedSurnameRecognizer | a surname in double parentheses (`GENERAL RAY ((HENAULT))`) |
| name_list.py | NameListRecognizer | each line of a list of names (run on the text as written) |
| family_first.py | FamilyFirstRecognizer | `TRINH DUC DU`: a family name first, parts of one syllable (as written) |
| tags_visitors.py | TagsVisitorRecognizer | visitors after OVIP in TAGS (run on TAGS only) |
| context_pattern.py | ContextPatternRecognizer | birth date and place, passport, ID, case, visa no., address |
| phone.py | PrefilteredPhoneRecognizer | phone numbers, not report numbers |
| email.py | OfflineEmailRecognizer | e-mail addresses, domains checked with no download |
"""

from __future__ import annotations

from presidio_analyzer import RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngine

from redactor.detect.lexicon import Lexicon
from redactor.detect.recognizers.addressee import AddresseeRecognizer
from redactor.detect.recognizers.appositive import AppositiveRecognizer
from redactor.detect.recognizers.base import NameRecognizer
from redactor.detect.recognizers.bracketed import BracketedSurnameRecognizer
from redactor.detect.recognizers.context_pattern import SPECS, ContextPatternRecognizer
from redactor.detect.recognizers.email import OfflineEmailRecognizer
from redactor.detect.recognizers.given_name import GivenNameRecognizer
from redactor.detect.recognizers.phone import PrefilteredPhoneRecognizer
from redactor.detect.recognizers.signature import SignatureRecognizer
from redactor.detect.recognizers.speaker import SpeakerRecognizer
from redactor.detect.recognizers.tags_visitors import TagsVisitorRecognizer
from redactor.detect.recognizers.title import TitleRecognizer

NAME_RECOGNIZERS: tuple[type[NameRecognizer], ...] = (
    TitleRecognizer,
    GivenNameRecognizer,
    SpeakerRecognizer,
    AddresseeRecognizer,
    SignatureRecognizer,
    AppositiveRecognizer,
    BracketedSurnameRecognizer,
)

__all__ = ["NAME_RECOGNIZERS", "NameRecognizer", "TagsVisitorRecognizer", "SignatureRecognizer", "build_registry"]


def build_registry(
    lexicon: Lexicon, nlp_engine: NlpEngine | None = None, predefined: bool = True
) -> RecognizerRegistry:
    """Presidio's English recognizers (the phone one prefiltered, the e-mail one offline), the name rules and
    the context patterns."""
    registry = RecognizerRegistry(supported_languages=["en"])
    if predefined:
        # Presidio annotates `nlp_engine: NlpEngine = None` without Optional, though None is its default.
        registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)  # type: ignore[arg-type]
        registry.remove_recognizer("PhoneRecognizer")
        registry.add_recognizer(PrefilteredPhoneRecognizer())
        registry.remove_recognizer("EmailRecognizer")
        registry.add_recognizer(OfflineEmailRecognizer())
    for cls in NAME_RECOGNIZERS:
        registry.add_recognizer(cls(lexicon))
    for spec in SPECS:
        registry.add_recognizer(ContextPatternRecognizer(spec))
    return registry

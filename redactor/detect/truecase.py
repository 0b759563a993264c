"""True-casing: all-caps cable text in the case ordinary prose would have, as a wrapper of the NLP engine.

The small spaCy model finds names by their capitals; in an all-caps cable every word has them. Before the
model (and every recognizer, which Presidio hands the text the NLP engine returns) sees such a text, it is
re-cased letter for letter, so offsets hold: dictionary words go to lower case; names, initials and short
acronyms keep capitals; a word after a given name, an initial or a title is a surname even when it is a
dictionary word (`GORDON BROWN`, `SECRETARY RICE`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from redactor.detect.lexicon import (
    DETERMINERS,
    KIN,
    NOT_NAMES,
    OFFICE_WORDS,
    THING_WORDS,
    TITLE_MODIFIERS,
    TITLE_WORDS,
    TRIPLED_RE,
    Lexicon,
)

# Texts are joined with this into long chunks for one spaCy pass; each piece is true-cased on its own.
SEPARATOR = "\n\n\n"
ABBREVIATIONS = frozenset(
    {
        "gen",
        "amb",
        "mr",
        "mrs",
        "ms",
        "dr",
        "col",
        "lt",
        "maj",
        "capt",
        "sgt",
        "adm",
        "gov",
        "sen",
        "rep",
        "prof",
        "rev",
        "st",
        "no",
        "dep",
        "brig",
    }
)
# Titles after which a dictionary word is still a surname, unless a determiner stands before the title
# (`SECRETARY RICE` but `THE SECRETARY STRESSED`).
NAMING_TITLES = frozenset(
    """
ambassador amb secretary minister president gen senator sen governor gov mayor admiral adm colonel col mr
mrs ms dr prof sheikh king queen prince emir chancellor chairman fm pm dcm cda u/s a/s das pdas secdef
secstate usdp srsg syg
""".split()
)
NOT_AFTER_TITLE = (
    frozenset(
        """
assembly staff secretariat manager counsel election elections office offices administration government
cabinet general elect designate emeritus
""".split()
    )
    | THING_WORDS
    | TITLE_MODIFIERS
)
SPEECH_WORDS = frozenset(
    """
said says stated noted told added explained argued asserted claimed commented confirmed denied emphasized
emphasised expressed indicated insisted maintained observed remarked replied reported responded stressed
suggested underscored urged warned asked agreed acknowledged believes believed thinks thought wants wanted
complained lamented opined predicted recalled met called visited also will would may might can could should
has had have is was were are be been
""".split()
)
if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

# Given names that are also everyday words: a name only before a word that is not one (`FRANK DISCUSSION`).
WORDLIKE_GIVEN = frozenset(
    """
frank grace mark bill don ray max sally jack robin basil dale carol said victor jean marina christian mason
norma ruth heather hope will rob
""".split()
)
FUNCTION_WORDS = frozenset(
    """
of and for to in on at with from by as or but nor if then than so not no who whom which what when where why
how is are was were be been being have has had do does did can will just should would could may might must
shall also all any both each few more most other some such only own same too very there here into over after
""".split()
)
OFFICE_WORD_RE = re.compile(r"(?:" + OFFICE_WORDS + r")")
KIN_WORDS = frozenset(KIN.split("|")) | {"sons", "daughters", "brothers", "sisters"}
PREPOSITIONS = frozenset(
    """
outside inside near against between across through under about without within during toward towards among
behind beyond via per upon onto despite including regarding concerning versus before since until around
""".split()
)
VOWEL_RE = re.compile(r"[aeiouy]")
GOVERNMENT_RE = re.compile(r"go[a-z]{1,2}")
SYLLABLE_RE = re.compile(r"[b-df-hj-np-tv-z]?[aeiouy]+[b-df-hj-np-tv-z]?")
TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*\.?|[.!?:;]")


UPPER = string.ascii_uppercase.encode()
LOWER = string.ascii_lowercase.encode()


def is_all_caps(text: str, least: int = 20) -> bool:
    """At least `least` ASCII letters, more than 85% of them capitals. (Counted on the ASCII bytes: the rules
    ask this of every text several times, and a regex's list of matches cost more than the rest of it.)"""
    ascii_text = text.encode("ascii", "ignore")
    upper = len(ascii_text) - len(ascii_text.translate(None, UPPER))
    lower = len(ascii_text) - len(ascii_text.translate(None, LOWER))
    return upper + lower >= least and upper / (upper + lower) > 0.85


SIGNATURE_LINE_RE = re.compile(r"\n[ \t]*(?P<name>[A-Z][A-Z'’-]{2,}(?:[ \t]+[A-Z][A-Z'’-]{2,}){0,2})[ \t]*\Z")
LABEL_RE = re.compile(r"\A[ \t]*[A-Z][a-z]+(?:[ \t]+[A-Za-z][a-z]+)?:")


def truecase(text: str, lex: Lexicon) -> str:
    """All-caps text re-cased (same length). In other text, each line in capitals after its label is
    re-cased (`Classified By: POL/ECON COUNSELOR ROB GARVERICK`); the rest stays as it is."""
    if is_all_caps(text):
        out = _truecase(text, lex)
        sig = SIGNATURE_LINE_RE.search(text.rstrip())
        if sig and re.search(r"(?:[.!?\"”)]|\n[ \t]*|\bCONSIDERED)\s*\Z", text[: sig.start()]):
            # The last line alone in capitals after the last sentence (or `MINIMIZE CONSIDERED`) is the
            # signature: its capitals stay
            # (`HECK`, a dictionary word).
            return out[: sig.start("name")] + text[sig.start("name") : sig.end("name")] + out[sig.end("name") :]
        return out
    if not any(c.isupper() for c in text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        label = LABEL_RE.match(line)
        body = line[label.end() :] if label else line
        if is_all_caps(body, 12):
            lines[i] = line[: len(line) - len(body)] + _truecase(body, lex)
    return "\n".join(lines)


def _truecase(text: str, lex: Lexicon) -> str:
    out = list(text.lower())
    tokens = list(TOKEN_RE.finditer(text))
    words = [m.group(0).rstrip(".").lower() for m in tokens]
    sentence_start = True
    slot = False  # the word after a given name, an initial or a title is a surname, even `BURNS`, `RICE`
    after_title = False
    after_given = False
    in_office = False  # a title and the office it names so far (`DIRECTOR FOR MULTILATERAL AFFAIRS`)
    naming = False  # ... and the title is one after which a dictionary word is a surname
    for i, m in enumerate(tokens):
        tok = m.group(0)
        if tok in ".!?:;":
            sentence_start = tok != ";"
            slot = in_office = naming = False
            continue
        word = words[i]
        initial = len(word) == 1 and tok.endswith(".")
        common = lex.common(word)
        nxt = words[i + 1] if i + 1 < len(words) else ""
        # A given name that is also a word (FRANK, GRACE) is a name only before a surname-like word.
        given = lex.given_name(word) and (word not in WORDLIKE_GIVEN or (nxt.isalpha() and not lex.common(nxt)))
        given = given or (common and in_office and not slot and _given_before_surname(word, nxt, lex))
        surname = slot and word.isalpha() and len(word) > 1 and not _never_after_title(word, lex)
        # Acronyms keep upper case (USG, GOI); WordNet lists some (NSC), but a word with no vowel is none.
        # After a title a short word before a name is a surname (`VICE MAYOR DU MING`); `GOAJ`, `GOI` are
        # governments.
        acronym = (
            len(word) <= 3
            and (not common or not VOWEL_RE.search(word))
            and not lex.given_name(word)
            and not (after_title and nxt.isalpha() and not _never_after_title(nxt, lex))
        ) or (not common and (not VOWEL_RE.search(word) or GOVERNMENT_RE.fullmatch(word) or TRIPLED_RE.search(word)))
        # A short unknown word with a vowel before an unknown word that reads as a surname is a given name, no
        # acronym (`NUR MISUARI`; `THE UMNO LEADERS`, `DIA FOR` stay codes).
        short_given = (
            acronym
            and not initial
            and len(word) >= 2
            and word.isalpha()
            and VOWEL_RE.search(word) is not None
            and not common
            and not (i > 0 and words[i - 1] in DETERMINERS)
            and _surname_like(nxt, lex)
            # (only a space between the two: `EUR/CARC`, `NEA - EBERNIER`, `(MOI) ANIBAL` are codes)
            and i + 1 < len(tokens)
            and text[m.end() : tokens[i + 1].start()] in (" ", "\t", "\n")
            and text[m.start() - 1 : m.start()] not in ("(", "/", "-")
        )
        if short_given:
            acronym = False
            given = True
        # After a given name, a short word of one syllable is the surname, no acronym (`HAMID GUL`; `HOWARD
        # AFB`, `USG` are codes).
        if acronym and surname and after_given and len(word) <= 3 and SYLLABLE_RE.fullmatch(word):
            acronym = False
        if initial or acronym:
            out[m.start() : m.end()] = list(tok)
        elif sentence_start or given or surname or not common:
            out[m.start()] = tok[0]
        # (a short surname after a title is followed by the given name: `DU MING`, `QIU HE`)
        office_word = in_office and (word in ("of", "for", "the", "and") or OFFICE_WORD_RE.fullmatch(word) is not None)
        titled = word in NAMING_TITLES and not _determined(words, i)
        # (`MINISTER OF THE INTERIOR NASEERULLAH`: the name comes after the office the title names)
        naming = titled or (naming and office_word)
        in_office = (word in TITLE_WORDS and not _determined(words, i)) or office_word
        # A relative is named after the word for them (`HIS SON, MUHAMMAD,`).
        kin = word in KIN_WORDS
        slot = initial or given or naming or kin or (surname and len(word) <= 3 and after_title)
        after_title = titled
        after_given = given and not initial
        sentence_start = tok.endswith(".") and not initial and word not in ABBREVIATIONS
    result = "".join(out)
    return result if len(result) == len(text) else text


def _given_before_surname(word: str, nxt: str, lex: Lexicon) -> bool:
    """After a title and its office, a dictionary word that is a given name too (`HEAD SERGE BRAMMERTZ`,
    `DIRECTOR FOR MULTILATERAL AFFAIRS BEATRICE BROBBEY`) before a word no dictionary lists and no acronym
    is read as a given name: no verb, preposition, role or title."""
    return (
        len(word) >= 4
        and not word.endswith(("ed", "ing", "ly"))
        and word not in PREPOSITIONS
        and not _never_after_title(word, lex)
        and len(nxt) >= 4
        and nxt.isalpha()
        and not lex.common(nxt)
        and not lex.not_name(nxt)
        and VOWEL_RE.search(nxt) is not None
        and TRIPLED_RE.search(nxt) is None
    )


def _surname_like(word: str, lex: Lexicon) -> bool:
    """A word of four letters or more that no dictionary lists, with vowels, no tripled letter, no role."""
    return (
        len(word) >= 4
        and word.isalpha()
        and not lex.common(word)
        and not lex.not_name(word)
        and not lex.given_name(word)
        and VOWEL_RE.search(word) is not None
        and TRIPLED_RE.search(word) is None
        and GOVERNMENT_RE.fullmatch(word) is None
    )


def _never_after_title(word: str, lex: Lexicon) -> bool:
    return (
        word in SPEECH_WORDS
        or (len(word) > 5 and word.endswith(("ed", "ing")) and lex.common(word))  # `NEW PRESIDENT ADDRESSED`
        or word in NOT_AFTER_TITLE
        or word in NOT_NAMES
        or word in TITLE_WORDS
        or word in DETERMINERS
        or word in FUNCTION_WORDS
        or word in PREPOSITIONS  # `A GVN STATE PRESIDENT SINCE 1973`
    )


def _determined(words: list[str], i: int) -> bool:
    """`THE (FOREIGN) MINISTER`: a determiner before the title, modifiers between."""
    j = i - 1
    while j >= 0 and words[j] in TITLE_MODIFIERS:
        j -= 1
    return j >= 0 and words[j] in DETERMINERS


class TrueCasingNlpEngine:
    """An NLP engine (Presidio's `NlpEngine` interface) that true-cases each piece of its input before the
    wrapped engine sees it. It is duck-typed, so that importing this module does not import Presidio.

    Presidio passes every recognizer the text the NLP engine yields, so the rules and the model read the
    same re-cased text, and offsets into it are offsets into the original.
    """

    def __init__(self, inner: NlpEngine, lex: Lexicon) -> None:
        self.inner = inner
        self.lexicon = lex
        self._done: set[str] = set()

    def prepare(self, text: str) -> str:
        return SEPARATOR.join(self._truecase(piece) for piece in text.split(SEPARATOR))

    def forget(self) -> None:
        self._done = set()

    def _truecase(self, piece: str) -> str:
        """Each text is re-cased once: the detector asks for it, then the analyzer passes it again (as part
        of a chunk); the second time it is already re-cased, and recognized as such."""
        if piece in self._done:
            return piece
        out = truecase(piece, self.lexicon)
        self._done.add(out)
        return out

    def load(self) -> None:
        self.inner.load()

    def is_loaded(self) -> bool:
        return self.inner.is_loaded()

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return self.inner.process_text(self.prepare(text), language)

    def process_batch(
        self, texts: Iterable[str], language: str, batch_size: int = 1, n_process: int = 1, **kwargs
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        prepared = (self.prepare(str(t)) for t in texts)
        return self.inner.process_batch(prepared, language, batch_size=batch_size, n_process=n_process, **kwargs)

    def is_stopword(self, word: str, language: str) -> bool:
        return self.inner.is_stopword(word, language)

    def is_punct(self, word: str, language: str) -> bool:
        return self.inner.is_punct(word, language)

    def get_supported_entities(self) -> list[str]:
        return self.inner.get_supported_entities()

    def get_supported_languages(self) -> list[str]:
        return self.inner.get_supported_languages()

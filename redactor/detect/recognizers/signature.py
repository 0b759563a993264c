"""The cable's signature: a last line of one to three names (`CLINTON`), or a name glued to the last sentence
(`…remarkable. SURNAME`, `End Comment. Scobey`).

It reads only the text it is given, which is released text: a withheld portion's signature never reaches it.
"""

from __future__ import annotations

import re

from redactor.detect.recognizers.base import NameRecognizer

# A signer may write their office's code before the name (`CG: JKENNY`, `AMB: RIES`).
SIGNER_OFFICE = r"(?:(?:AMB|CDA|CG|DCM|PO|COM)[ \t]*:[ \t]*)?"
# (an older telegram may close on its end marks, `BRAYSHAW##`)
CAPS_NAMES = r"(?P<name>[A-Z][A-Z'’-]{2,}(?:[ \t]+[A-Z][A-Z'’-]{2,}){0,2})[ \t#]*\Z"
OWN_LINE_RE = re.compile(r"\A[ \t]*" + SIGNER_OFFICE + CAPS_NAMES)
LAST_LINE_RE = re.compile(r"\n[ \t]*" + SIGNER_OFFICE + CAPS_NAMES)
# A line that ends in a comma or a word that needs one after it goes on in the next line, which is then no
# signature (`NSC FOR\nJENDAYI FRAZER`, `SUBJECT: ... BUT\nLITTLE ELSE`).
CONTINUED_RE = re.compile(r"(?:,|(?i:\b(?:for|and|but|or|of|to|the|in|on|with|by|at|a|an)))[ \t]*\Z")
# The line before a signature ends a text: a sentence, a quote, a blank line, `MINIMIZE CONSIDERED`, `END
# COMMENT`; a subject wrapped onto its last line (`... MAKING\nPROGRESS`) does not.
ENDED_RE = re.compile(r"(?:[.!?:\"”)\]]|\n|\A|(?i:\b(?:considered|comment|summary|note)))[ \t]*\Z")
# An initial's full stop ends no sentence (`LONDON FOR R. HUBER`, an addressee).
GLUED_RE = re.compile(
    r"(?<!\b[A-Z])(?:[.!?]|[.!?][\"”)])(?:[ \t]*|[ \t]*\n[ \t]*(?=[A-Z][a-z]\b))"
    r"(?P<name>[A-Z][A-Za-z'’-]{1,}(?:[ \t]+[A-Z][A-Za-z'’-]{2,})?)[ \t]*\Z"
)


class SignatureRecognizer(NameRecognizer):
    """A text that is only a name in capitals is a signature; so is a name that is not a dictionary word
    after the last full stop of a text."""

    SCORE = 0.7

    def spans(self, text: str) -> list[tuple[int, int]]:
        stripped = text.rstrip()
        m = OWN_LINE_RE.match(stripped)
        if m and self._names(m.group("name").split()):
            return [(m.start("name"), m.end("name"))]
        m = LAST_LINE_RE.search(stripped)  # `MINIMIZE CONSIDERED\nMACK`
        if (
            m
            and "\n" in stripped
            and not CONTINUED_RE.search(stripped, 0, m.start())
            and ENDED_RE.search(stripped, 0, m.start())
            and self._names(m.group("name").split())
        ):
            return [(m.start("name"), m.end("name"))]
        m = GLUED_RE.search(stripped)
        own_line = m is not None and "\n" in stripped[m.start() : m.start("name")]
        if m and all(self._name(w, glued=not own_line) for w in m.group("name").split()):
            return [(m.start("name"), m.end("name"))]
        return []

    def _names(self, words: list[str]) -> bool:
        """Names on a line of their own; several dictionary words with no given name are words (`LITTLE ELSE`,
        a subject's last line)."""
        if len(words) > 1 and all(self.lexicon.common(w) and not self.lexicon.given_name(w) for w in words):
            return False
        return all(self._name(w, glued=False) for w in words)

    def _name(self, word: str, glued: bool) -> bool:
        w = word.strip("'’-")
        if self.lexicon.not_name(w) or not re.search(r"[AEIOUYaeiouy]", w):
            return False
        # Alone on its line, or in capitals after the last sentence, a surname may be a dictionary word
        # (`BROWN`; WordNet lists `clinton`); glued in mixed case (`Scobey`) it must not be.
        if w.lower() in _STOP_LIKE or (self.lexicon.common(w) and ABSTRACT_RE.search(w.lower())):
            return False  # (`TERRORISM`, `ADOPTIONS`: a heading's abstract noun names no one)
        return not self.lexicon.common(w) or not glued or w.isupper()


ABSTRACT_RE = re.compile(r"(?:isms?|tions?|sions?|ities)$")
_STOP_LIKE = frozenset(
    """
end the and for not but all none note notes text begin nnnn cable ends minimize considered unquote quote
drafted cleared approved info action sensitive unclassified confidential secret page
""".split()
)

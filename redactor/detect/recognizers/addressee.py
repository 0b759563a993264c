"""Addressee lines: `NSC FOR ABRAMS/DORAN/WERNER/SINGH`, and a line with one name (`EUR FOR SMITH`)."""

from __future__ import annotations

import re

from redactor.detect.recognizers.base import NameRecognizer

WORD = r"[A-Z][A-Za-z-]+"
LIST_RE = re.compile(r"(?i:\bfor)[ \t]+(?P<names>" + WORD + r"(?:[ \t]*[/,][ \t]*" + WORD + r")+)")
SINGLE_RE = re.compile(r"^[ \t]*(?:[A-Z][A-Za-z/]*[ \t]+){1,3}(?i:for)[ \t]+(?P<names>" + WORD + r")[ \t]*$",
                       re.MULTILINE)
NAME_RE = re.compile(r"[A-Z][a-z]{3,}(?:-[A-Z][a-z]+)?|[A-Z]{4,}(?:-[A-Z]+)?")


class AddresseeRecognizer(NameRecognizer):
    SCORE = 0.6

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        for regex in (LIST_RE, SINGLE_RE):
            for m in regex.finditer(text):
                for w in NAME_RE.finditer(m.group("names")):
                    word = w.group(0)
                    if not self.lexicon.common(word) and not self.lexicon.not_name(word):
                        out.append((m.start("names") + w.start(), m.start("names") + w.end()))
        return out

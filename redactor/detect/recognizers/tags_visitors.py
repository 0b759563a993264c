"""TAGS name official visitors after OVIP: `TAGS: PREL OVIP (RICE, CONDOLEEZZA) KISL`."""

from __future__ import annotations

import re

from redactor.detect.recognizers.base import NameRecognizer

# The commonest TAGS codes: what follows OVIP and is none of these is a visitor's name.
TAG_CODES = frozenset(
    """
PGOV PREL PHUM PTER ECON EFIN ETRD EAID ENRG MARR MOPS MASS PINR KDEM KJUS KCRM SNAR OVIP OEXC OTRA ASEC
AMGT CASC CVIS SMIG SOCI TBIO KPAO KISL KNNP PARM ELAB EINV EPET ECPS KWMN KCOR KTFN PINS PBTS PINT SCUL
KIRF KMDR KPKO KSUM KFRD KCIP KTIP MCAP NATO UNSC UNGA EAGR SENV TSPL BEXP PHSA EAIR EWWT KSCA KGHG
""".split()
)
TAG_RE = re.compile(r"[^\s,()]+")


class TagsVisitorRecognizer(NameRecognizer):
    """Up to three words after OVIP that are not TAGS codes: the visitor's names."""

    SCORE = 0.7

    def spans(self, text: str) -> list[tuple[int, int]]:
        return visitor_spans(text)


def visitor_spans(text: str) -> list[tuple[int, int]]:
    tags = list(TAG_RE.finditer(text))
    out = []
    for i, tag in enumerate(tags):
        if tag.group(0).upper() != "OVIP":
            continue
        for t in tags[i + 1 : i + 4]:
            word = t.group(0)
            if len(word) < 3 or word.upper() in TAG_CODES or not word.isalpha():
                break
            out.append((t.start(), t.end()))
    return out

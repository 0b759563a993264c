"""Names written family name first in parts of one syllable: Vietnamese, Chinese and Korean names (`TRINH DUC
DU`, `PHAM VAN DONG`, `LE HUY NGO`, `LI PENG`, `PARK CHUNG HEE`).

In capitals true-casing keeps a short word no dictionary lists as a code and lowers one the dictionary lists
(`DONG`, `NGO`, `DING`), so the model stops inside such a name or misses it, and the parts it leaves out stay
visible: `TRINH [B6] DU`, `[B6] DING TUYEN`. A known family name that opens a name, then one to three parts
of one syllable (or a given name of two no dictionary lists, as pinyin writes it, `LI ZHAOXING`), one space
apart on one line, is one person's whole name:
- one part at least is no dictionary word, or a Vietnamese middle name (`VAN`, `THI`), or the parts are two
  short ones (`KIM JONG IL`): `LUONG SPENT MOST` is no name;
- after a family name that is also an English word (`LE`, `DO`, `HO`, `PARK`, `SUN`, `HE`), two parts, or a
  Chinese given name of two syllables (`HE WEIFANG`, never `DO HUMINT`);
- no part is a function word, a verb of saying, a role or a word of more than one syllable, no thing's or
  place's word follows (`HO CHI MINH CITY`, `CHU LAI AIR BASE`; `HONG`, whose `HONG KONG` is a place, is left
  out), and no word for a place's stands before it (`IN CHU LAI`, `THE CITY OF CAO LANH`).
Such a name counts only where something says it is a person's (`findings`). The text is read as written (as
the lists of names are), in any case, and the detector keeps the span whole
(`Detector._clean_person` cuts off no short word in capitals as a code, and no word true-casing lowered).
"""

from __future__ import annotations

import re

from redactor.detect.findings import Finding
from redactor.detect.lexicon import IRREGULAR_FORMS, PERSON_NOUNS, SPEECH, SPEECH_VERBS, THING_WORDS, Lexicon
from redactor.detect.propagate import ROLE_AFTER_RE, title_before
from redactor.detect.recognizers.name_list import SENTENCE_WORDS, THINGS_RE, plain

# The commonest family names: Vietnamese, Chinese (pinyin and older spellings), Korean.
FAMILY_NAMES = frozenset(
    """
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly trinh truong dinh doan luong mai cao
lam ta chu la thai quach
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang xie song tang
han feng deng peng zeng xiao tian pan yuan cai jiang yu ye cheng wei su lu ren shen yao jin qiu dai fu fang ding
kim lee park choi jung chung kang cho yoon jang lim oh seo shin kwon hwang ahn yoo jeon moon
""".split()
)
# Two to four words, one space apart: the family name and its parts (`NGUYEN THI KIM NGAN`).
NAME_RE = re.compile(r"(?<![\w'’-])([^\W\d_]+)((?:[ \u00a0]{1,2}[^\W\d_]+){1,3})(?![\w'’-])")
# One syllable: a few consonants, one to three vowels, at most two consonants (`TRUNG`, `NGHIA`, `TUYEN`).
SYLLABLE_RE = re.compile(r"[b-df-hj-np-tv-z]{0,3}[aeiouy]{1,3}[b-df-hj-np-tv-z]{0,2}")
# A given name of two syllables written as one word in pinyin (`ZHAOXING`, `WENZHONG`, `ZILIN`).
SYLLABLES2_RE = re.compile(rf"(?:{SYLLABLE_RE.pattern}){{2}}")
# A word after it that makes it the name of a place or a thing (`CHU LAI AIR BASE`, `HO CHI MINH TRAIL`), and
# the words before a place (`IN CHU LAI`, `THE CITY OF CAO LANH`).
PLACE_AFTER = THING_WORDS | frozenset("air base trail bay river lake port town".split())
AT_PLACE_RE = re.compile(
    r"(?i:(?:\b(?:in|at|near|outside|inside)|\b(?:city|province|town|district|village|port) of)[ \t]*\n?[ \t]*)$"
)
POSSESSIVE_RE = re.compile(r"['’][sS]\b")
# A noun for a person in apposition, or a verb of saying, after a name (`, A FARMER,`, `SAID`).
PERSON_AFTER_RE = re.compile(
    r"(?i:,[ \t]*\n?[ \t]*(?:an?|the|his|her)[ \t]+(?:[a-z]+[ \t]+)?(?:"
    + PERSON_NOUNS
    + r")\b|[ \t]+(?:"
    + SPEECH
    + r")\b)"
)
PART_RE = re.compile(r"[^\W\d_]+")
NEXT_WORD_RE = re.compile(r"\s+([A-Za-z]+)")
MIDDLE_NAMES = frozenset({"van", "thi"})  # Vietnamese
# Family names that are words of English (or French) prose: `HE MET`, `DO MORE`, `LE MONDE`, `PARK HOTEL`.
ENGLISH_WORDS = frozenset("le la do ho he ma oh ta ye park sun song tang moon fang".split())
CHINESE = frozenset("he ma sun song tang fang ye".split())  # of those, the Chinese ones
SOURCE = "family-first"


class FamilyFirstRecognizer:
    """Read by the detector itself, on the text as written (not one of Presidio's recognizers)."""

    SCORE = 0.7

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def findings(self, text: str, prepared: str, found: list[Finding], before: str = "") -> list[Finding]:
        """The names of `text` (as written) that something says are a person's: a title before (`MINISTER OF
        TRADE TRUONG DING TUYEN`, in the true-cased `prepared`), a role, a noun for a person or a verb of
        saying after (`TRINH DUC DU, MFA'S EUROPE II DIRECTOR`, `, A FARMER`, `SAID`), another find of a
        person in it (`TRINH [DUC] DU`), or a line of its own, as a list's (`before`: the text before `text`,
        where a list's introduction may stand). Without one, such a name is as often a place or a firm's
        (`CAO LANH`, `CHU LAI`, `MAI LINH TAXI`, `HU BEI`)."""
        persons = [f for f in found if f.entity_type == "PERSON"]
        return [
            Finding(s, e, "PERSON", self.SCORE, SOURCE)
            for s, e in self.spans(text)
            if title_before(prepared, s) is not None
            or ROLE_AFTER_RE.match(prepared, e) is not None
            or PERSON_AFTER_RE.match(text, e) is not None
            or any(f.start < e and s < f.end for f in persons)
            or self._alone(text, s, e, before)
        ]

    def _alone(self, text: str, start: int, end: int, before: str) -> bool:
        """A name alone on its line, as in a list of names, and not under an introduction of places or
        things (`THE TEAM VISITED THE FOLLOWING:`)."""
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if text[line_start:start].strip() or text[end : len(text) if line_end < 0 else line_end].strip():
            return False
        return THINGS_RE.search((before + "\n\n" + text[max(0, start - 300) : start])[-300:]) is None

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        pos = 0
        while m := NAME_RE.search(text, pos):
            family = plain(m.group(1))
            if family.lower() not in FAMILY_NAMES or not _capitalised(family):
                pos = m.end(1)
                continue
            words = list(PART_RE.finditer(text, m.start(2), m.end(2)))
            good = next((i for i, w in enumerate(words) if not self._part(plain(w.group(0)))), len(words))
            parts = [plain(w.group(0)) for w in words[:good]]
            end = words[good - 1].end() if good else m.end(1)
            nxt = NEXT_WORD_RE.match(text, end)
            place = (nxt is not None and nxt.group(1).lower() in PLACE_AFTER) or (
                AT_PLACE_RE.search(text, max(0, m.start(1) - 20), m.start(1)) is not None
                and not POSSESSIVE_RE.match(text, end)  # (`IN TRAN DUC LUONG'S VIEW` is a person's)
            )
            if self._name(family, parts) and not place:
                out.append((m.start(1), end))
                pos = end
            else:
                pos = m.end(1)
        return out

    def _name(self, family: str, parts: list[str]) -> bool:
        """Whether a family name and its parts are a name: one part at least no dictionary word, or a
        Vietnamese middle name (`PHAM VAN DONG`), or two short parts (`KIM JONG IL`; never `LUONG SPENT
        MOST`); after a family name that is also an English word, two parts, or one of two syllables."""
        if not parts or (len(parts) == 1 and self.lexicon.common(parts[0])):
            return False
        if family.lower() in ENGLISH_WORDS and len(parts) == 1:
            # (one part after `HE` only a Chinese given name of two syllables: `HE WEIFANG`, never `DO HUMINT`)
            if family.lower() not in CHINESE or not SYLLABLES2_RE.fullmatch(parts[0].lower()):
                return False
        return any(not self.lexicon.common(p) or p.lower() in MIDDLE_NAMES for p in parts) or (
            len(parts) >= 2 and all(len(p) <= 4 for p in parts)
        )

    def _part(self, word: str) -> bool:
        low = word.lower()
        return (
            _capitalised(word)
            and len(low) <= 8
            and (
                (len(low) <= 6 and SYLLABLE_RE.fullmatch(low) is not None)
                or (SYLLABLES2_RE.fullmatch(low) is not None and not self.lexicon.common(low))
            )
            and low not in SENTENCE_WORDS
            and low not in SPEECH_VERBS
            and low not in IRREGULAR_FORMS  # `LI PENG MET NGUYEN`
            and low not in THING_WORDS
            and not self.lexicon.not_name(low)
            # (a dictionary word is a part only if short and no plural: `DONG`, `NGO`; never `HU JINTAO SPEECH`,
            # `REVENGE VOWS`)
            and not (self.lexicon.common(low) and (len(low) > 4 or low.endswith("s")))
        )


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and (word.isupper() or word[1:].islower())

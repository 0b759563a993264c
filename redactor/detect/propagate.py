"""Propagation: a name found once is masked at every mention in the document, full or by its parts.

A name is searched as written, in capitals and capitalised (`Garcia Belaunde`, `GARCIA BELAUNDE`), never in
lower case. A part that is a dictionary word, a place or an organisation (`Brown`, `Labour`, `Kunming`) is
searched only when the find introduced it as a name: a given name or an initial before it (`Gordon Brown`),
or a title before or after it (`Secretary Rice`, `Du Ming, Vice Mayor`). A first name alone is too common to
search (`Jose` in `San Jose`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from redactor.detect.findings import Finding
from redactor.detect.lexicon import (
    NOT_NAMES,
    OFFICE_RE,
    PARTICLES,
    TITLE_OPENS,
    TITLE_WORDS,
    TITLES,
    Lexicon,
    one_edit,
)
from redactor.detect.truecase import is_all_caps

# A title right before a name, with the office it holds (`Minister of Defense X`, `MINISTER OF DEFENSE X`).
TITLE_BEFORE_RE = re.compile(
    TITLE_OPENS + r"(?i:" + TITLES + r")(?:" + OFFICE_RE + r"|[ \t]+to(?:[ \t]+[A-Za-z]+){1,3}"
    # the office in full, then the name (`Ambassador to the EU, William Kennard`, `Special Envoy for
    # Afghanistan and Pakistan, Richard Holbrooke`, `... Secretary of Defense for Russia/Ukraine and Eurasia, Dr.`)
    r"|[ \t]+(?i:to|for|of)(?:(?:[ \t]+|[ \t]*\n[ \t]*)[A-Za-z.]+(?:/[A-Za-z]+)?){1,5}[ \t]*,)"
    r"[ \t]*\n?[ \t]*$"
)
# `Luis Valdivieso, Peruvian Ambassador to the United States`, `TRINH DUC DU, MFA'S EUROPE II DIRECTOR`: the
# office after the name (a department may be numbered).
ROLE_AFTER_RE = re.compile(
    r",[ \t]*(?:(?i:the)[ \t]+)?(?P<mod>(?:[A-Za-z]+(?:['’]s)?[ \t]+){0,2}?(?:(?i:[ivx]{1,3})[ \t]+)?)"
    r"(?P<title>(?i:" + TITLES + r"))(?![\w/])"
)
FUNCTION_WORDS = frozenset(
    "he she it we they him her his its us me my our you your an a the of to in on at by or and as is be do no so"
    " up if".split()
)
# The text before a word inside a sentence: a lower-case word or a comma, one space between.
MID_SENTENCE_RE = re.compile(r"(?:[a-z]|,)[ \t]+$")
WORD_BEFORE_RE = re.compile(r"([A-Za-z]+) $")
WORD_AFTER_RE = re.compile(r" ([A-Za-z]+)")
INTRODUCING_SOURCES = frozenset({"title", "signature", "tags", "seed", "appositive", "bracketed"})
REDACTED_RE = re.compile(r"[Xx]{4,}")


def title_before(text: str, start: int) -> re.Match | None:
    """The title right before a name (`Ambassador `, `GEN\\n`), if there is one; after `the` stands no name
    (`Ambassador to the EU`)."""
    m = TITLE_BEFORE_RE.search(text, max(0, start - 80), start)
    return None if m and re.search(r"(?i:\bthe)[\s,]*$", m.group(0)) else m


def introduced(words: list[str], lex: Lexicon, titled: bool) -> bool:
    """Whether a find says itself that it is a person: a title before it, or a given name or initial first."""
    if titled:
        return True
    return len(words) >= 2 and (lex.given_name(words[0]) or re.fullmatch(r"[A-Z]\.", words[0]) is not None)


def name_parts(name: str, lex: Lexicon, titled: bool, places: set[str], short: bool = False) -> set[str]:
    """The full name and the parts of it worth searching; `short`: a name of one-syllable parts (`TRINH DUC
    DU`), whose two-letter part no dictionary lists is searched too (`DU NOTED`)."""
    words = [w.strip(".,'’()") for w in name.split()]
    words = [w for w in words if w]
    intro = introduced(words, lex, titled)

    def searchable(word: str) -> bool:
        # Two letters only for a surname the find introduced (`Du` of `Vice Mayor Du Ming`).
        least = 2 if (intro or short) and word[:1].isupper() else 3
        if len(word) < least or lex.not_name(word) or word.lower() in PARTICLES:
            return False
        return intro or not (lex.common(word) or word.lower() in places)

    out: set[str] = set()
    if len(words) >= 2 or (words and searchable(words[0])):
        out.add(name.strip())
    k = 0
    while k < len(words) - 1 and (lex.given_name(words[k]) or re.fullmatch(r"[A-Z]", words[k])):
        k += 1
    if 0 < k and len(words) - k >= 2:  # `Jose Antonio Garcia Belaunde` is also `Garcia Belaunde`
        out.add(" ".join(words[k:]))
    for k, part in enumerate(words):
        if lex.given_name(part) and k < len(words) - 1:
            continue
        candidates = [part]
        head, _, tail = part.partition("-")
        if tail and head.lower() in PARTICLES:  # `al-Maleh` is also written `Maleh`
            candidates.append(tail)
        out.update(c for c in candidates if searchable(c))
    return out


INITIALS_RE = re.compile(r"[ \t]*\((?P<alias>[A-Z]{2,5})\)")


def _initials_after(text: str, f: Finding, lex: Lexicon, titled: bool) -> str:
    """`Fathi el-Jahmi (FAJ)`: a person's initials in parentheses after their introduced name are the
    person too (the first letter the given name's, the last the surname's)."""
    m = INITIALS_RE.match(text, f.end)
    words = text[f.start : f.end].split()
    if not m or not introduced(words, lex, titled):
        return ""
    alias = m.group("alias")
    if alias[0] == words[0][0].upper() and alias[-1] == words[-1].split("-")[-1][:1].upper():
        return alias
    return ""


WORD_RE = re.compile(r"(?<![\w'’-])[A-Z][A-Za-z]{5,}(?![\w'’-])")
ROLE_WORDS = {w for w in NOT_NAMES | TITLE_WORDS if len(w) >= 6 and w.isalpha()}


def _misspelt(texts: list[str], names: set[str], lex: Lexicon) -> set[str]:
    """A surname written once with a letter more, less or changed (`Bramertz` for `Brammertz`): a word of six
    letters or more that no dictionary lists, one edit from a found surname of six or more with the same first
    letter, is the same name."""
    surnames = {n.lower() for n in names if " " not in n and len(n) >= 6 and not lex.common(n)}
    # (only words no dictionary lists: a misspelt dictionary word is more often a word than a name)
    if not surnames:
        return set()
    out: set[str] = set()
    for t in texts:
        for m in WORD_RE.finditer(t):
            w = m.group(0)
            low = w.lower()
            if low in surnames or lex.common(low) or lex.given_name(low) or lex.not_name(low):
                continue
            if misspelt_of(low, ROLE_WORDS):
                continue  # `Ambassdor`: a role misspelt, as the surname it is one edit from may be
            if misspelt_of(low, surnames):
                out.add(w)
    return out


def misspelt_of(word: str, known: set[str]) -> bool:
    """Whether a word of six letters or more is one of `known` (lower case) with one letter more, less or
    changed, the first letter kept."""
    return len(word) >= 6 and any(
        len(k) >= 6 and k[0] == word[0] and abs(len(k) - len(word)) <= 1 and one_edit(k, word) for k in known
    )


def variants(name: str) -> set[str]:
    """As written, in capitals, capitalised (each part of a hyphenated word: `Al-Maleh`), and opening a
    sentence (`El-Jahmi` for `el-Jahmi`); never a form without a capital (`al-Maleh` has one)."""
    capitalised = " ".join("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")) for w in name.split())
    opening = name[:1].upper() + name[1:]
    return {v for v in (name, name.upper(), capitalised, opening) if any(c.isupper() for c in v)}


def propagate(
    texts: list[str],
    prepared: list[str],
    results: list[list[Finding]],
    lex: Lexicon,
    places: set[str],
    seeds: Iterable[str] = (),
) -> list[list[Finding]]:
    names: set[str] = set()
    for s in seeds:
        names |= name_parts(s, lex, True, places)
    for t, p, rs in zip(texts, prepared, results, strict=True):
        for f in rs:
            if f.entity_type != "PERSON":
                continue
            titled = (
                f.source in INTRODUCING_SOURCES
                or title_before(p, f.start) is not None
                or ROLE_AFTER_RE.match(p, f.end) is not None  # `Du Ming, Vice Mayor,` introduces `Du`
            )
            short = f.source == "family-first"
            names |= name_parts(t[f.start : f.end].strip(), lex, titled, places, short)
            alias = _initials_after(t, f, lex, titled)
            if alias:
                names.add(alias)
            if p[f.start : f.end] != t[f.start : f.end]:  # true-cased: `MCMULLEN` is also `Mcmullen` elsewhere
                names |= name_parts(p[f.start : f.end].strip(), lex, titled, places, short)
    names |= _misspelt(texts, names, lex)
    forms = {v for n in names for v in variants(n)}
    if not forms:
        return results
    alternation = "|".join(re.escape(n) for n in sorted(forms, key=len, reverse=True))
    name_re = re.compile(r"(?<![\w'’-])(?:" + alternation + r")(?![\w-]|['’](?![sS]\b))")
    out = []
    for t, rs in zip(texts, results, strict=True):
        caps = is_all_caps(t)
        extra = [
            Finding(m.start(), m.end(), "PERSON", 0.6, "propagated")
            for m in name_re.finditer(t)
            if _spread_here(t, m, caps, lex)
        ]
        out.append(rs + extra)
    return out


def _spread_here(text: str, m: re.Match, caps: bool, lex: Lexicon) -> bool:
    """Whether a mention of a found name is the person's.
    - A surname that is also a pronoun or particle (`He` of `Qiu He`, `To`, `Do`) only where it is capitalised
      inside a sentence in mixed case (`According to He,`): in capitals every `HE` is one, and in mixed case
      every sentence's opening `He`.
    - A short part (three letters or fewer) not beside a word no dictionary lists, one space away: there it is
      part of another name or a place's (`NAM` of `NGUYEN VAN NAM` in `VIET NAM`)."""
    word = m.group(0)
    if word.lower() in FUNCTION_WORDS:
        before = MID_SENTENCE_RE.search(text, max(0, m.start() - 20), m.start())
        return not caps and word[:1].isupper() and before is not None
    if len(word) <= 3 and " " not in word:
        before = WORD_BEFORE_RE.search(text, max(0, m.start() - 30), m.start())
        after = WORD_AFTER_RE.match(text, m.end())
        return not any(w and w.group(1)[:1].isupper() and not lex.common(w.group(1)) for w in (before, after))
    return True

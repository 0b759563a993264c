"""Words a document itself says are not persons: the stop list is built from each document's own text.

- An acronym in parentheses after its expansion (`Mujahedin-e Khalq (MEK)`, `Qadhafi Development Foundation
  (QDF)`) names an organisation: the acronym and the words it abbreviates are not a person, unless a name of
  two words or more was found in the expansion (`Fathi el-Jahmi (FAJ)`, which `propagate.py` takes as an
  alias; `Kofi Annan Foundation (KAF)`).
- The name of a newspaper, channel or party (`Barada TV`, `Azadiya Welat newspaper`, `the daily, Akhbar
  al-Khalij`) is a thing at every mention, unless a given name opens it (`Nelson Mandela Square`).
- A paper a media-reaction cable cites with its issue's date (`Tagesspiegel (2/5)`) or after a headline it
  quotes (`"..." (Frankfurter Rundschau)`) is a thing too.
- The label of a report's field (`REQS: (U) DHCD127058`) is no person.
- The post named in routing and banner lines (`FM AMCONSUL CHENGDU`, `UNCLAS SECTION 01 OF 02 CHENGDU
  000030`) is a place.
- In capitals, a word that stands in parentheses after the words of a name (`PALESTINIAN ASSOCIATION OF
  AUSTRIA (PVOE)`, an acronym of another language) or right after `the`, `a` or `other` before another word
  (`THE UNAMID DEPLOYMENT`, `OTHER UMNO FIGURES`, and used again) is an acronym, unless it is a given name, a
  title stands before it somewhere or a name of two words or more takes it in.
- A lone word before a comma and a place, where the sentence goes on (`Qom, Iran is often mentioned`), is a
  place.
- Single words in a list of places (`Mardin, Hakkari, Sirnak, Diyarbakir and Tunceli`) where at least two
  items and a third of them are places the model found are places too.
Each is returned in lower case, as `Detector` compares words.
"""

from __future__ import annotations

import re
from collections import Counter

from redactor.detect.findings import Finding
from redactor.detect.lexicon import THING_WORDS, Lexicon
from redactor.detect.propagate import title_before
from redactor.detect.truecase import FUNCTION_WORDS, PREPOSITIONS, SPEECH_WORDS, is_all_caps

ACRONYM_RE = re.compile(r"\((?P<acr>[A-Z]{2,6})\)")
MEDIA = (
    r"TV|tv|television|radio|newspaper|daily|weekly|magazine|channel|satellite channel|party|Party|"
    r"neighbou?rhood|district|village|province|quarter|barracks|prison"
)
NAME_WORDS = r"[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*"
# `Barada TV`, `Azadiya Welat newspaper`; `the daily, Akhbar al-Khalij` (a particle may open a name part).
NAMED_BEFORE_RE = re.compile(
    r"(?<![\w'’-])(?P<name>"
    + NAME_WORDS
    + r"(?:[ \t]+"
    + NAME_WORDS
    + r"){0,2})[\"”]?(?:[ \t]+|[ \t]*\n[ \t]*)(?:"
    + MEDIA
    + r")\b"
)
MEDIA_AFTER = r"TV|television|radio|newspaper|daily|weekly|magazine|channel|paper"
NAMED_AFTER_RE = re.compile(
    r"(?i:\b(?:"
    + MEDIA_AFTER
    + r"))[ \t]*,?[ \t]+(?P<name>(?:(?:al|el)-)?"
    + NAME_WORDS
    + r"(?:[ \t]+(?:(?:al|el)-)?"
    + NAME_WORDS
    + r"){0,2})"
)
# A media-reaction cable cites a paper with the date of its issue (`Tagesspiegel (2/5) remarked`,
# `Volksstimme of Magdeburg (2/5)`) or after the headline it quotes (`"EU Committee blocks ..." (Frankfurter
# Rundschau)`).
DATED_RE = re.compile(
    r"(?<![\w'’-])(?P<name>" + NAME_WORDS + r"(?:(?:[ \t]+|[ \t]*\n[ \t]*)" + NAME_WORDS + r"){0,2})"
    r"(?:[ \t]+of[ \t]+" + NAME_WORDS + r")?[ \t]*\(\d{1,2}/\d{1,2}\)"
)
QUOTED_SOURCE_RE = re.compile(
    r"[\"”][ \t]*\n?[ \t]*\((?P<name>" + NAME_WORDS + r"(?:[ \t]+|[ \t]*\n[ \t]*)?(?:" + NAME_WORDS + r")?)\)"
)
# The post in routing and banner lines: `FM AMCONSUL CHENGDU`, `SECTION 01 OF 02 CHENGDU 000030`.
POST_RE = re.compile(
    r"(?:\b(?:AMEMBASSY|AMCONSUL|USMISSION|CONSULATE|EMBASSY)[ \t]+(?P<post>[A-Z]+)\b)"
    r"|(?:(?<=\n)|^|\bOF[ \t]+\d\d[ \t]+)(?P<post2>[A-Z]+)[ \t]+\d{5,6}\b",
    re.MULTILINE,
)
# In capitals: `(PVOE)` after the words it stands for, `THE UNAMID DEPLOYMENT`, `OTHER UMNO FIGURES`.
# The words of a text, each counted whole (`UMNO'S` is a use of UMNO; `O'BRIEN` and `UMNO-LED` are not).
WORD_RE = re.compile(r"(?<![\w'’-])[\w-]+")
CAPS_ACRONYM_RE = re.compile(
    r"(?:[A-Z][A-Z'’-]+[ \t]+(?:(?:OF|FOR|THE|AND)[ \t]+)?[A-Z][A-Z'’-]+[ \t]*\n?[ \t]*\((?P<acr>[A-Z]{2,6})\))"
    r"|(?:\b(?:THE|AN?|OTHER)[ \t]+(?P<used>[A-Z]{3,8})[ \t]+[A-Z]{3,})"
)
# An address line of the routing header opens with the addressee's code and ends with its place (`DIA WASHDC`,
# `USCINCSO QUARRY HEIGHTS PM`, `USAFSO HOWARD AFB PM`): the code is no person.
ADDRESS_RE = re.compile(
    r"^[ \t]*(?:(?:FM|TO|INFO)[ \t]+)?(?P<code>[A-Z]{3,})(?:[ \t]+[A-Z]+){0,3}[ \t]+"
    r"(?:WASHDC|PMC?|HI|FL|VA|MD|DC)(?:[ \t]+(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT))?"
    r"[ \t]*(?:\d{3,5})?[ \t]*$",
    re.MULTILINE,
)
# A report's field opens its line with a label, a colon and the field's portion mark (`REQS: (U)`, `DISSEM: (U)
# FIELD: AMEMB OTTAWA`, as intelligence information reports write them): the label is no person.
FIELD_RE = re.compile(r"^[ \t]*(?P<field>[A-Z]{3,})[ \t]*:[ \t]*\((?:U|C|S|SBU|TS)(?:/[A-Z]+)?\)", re.MULTILINE)
THINGS = "|".join(sorted(w.upper() for w in THING_WORDS))
PROSE_WORDS = (FUNCTION_WORDS | PREPOSITIONS | SPEECH_WORDS) - {"to", "for", "info"}
# What a group of people is called after its name (`ABU SAYYAF GROUP`, `SENDERO LUMINOSO GUERRILLAS`).
GROUP_NOUNS = (
    r"GROUPS?|GUERRILLAS?|TERRORISTS?|TERRORIST|REBELS?|MILITANTS?|MILITIAS?|INSURGENTS?|MOVEMENT|ORGANI[SZ]ATION|"
    r"FACTION|CELLS?|MEMBERS|LEADERSHIP|KINGDOM|REPUBLIC|EMIRATE"
)
WORD_BEFORE_COMMA_RE = re.compile(r"(?<![\w'’-])(?P<word>[A-Z][a-z]+),[ \t]+$")
PLACE_GOES_ON_RE = re.compile(r"[ \t]*\n?[ \t]*(?!and\b|or\b)[a-z]")
LIST_RE = re.compile(
    r"(?<![\w-])[A-Z][a-z]+(?:[ \t]*,[ \t]*\n?[ \t]*[A-Z][a-z]+){2,}(?:,?[ \t]+and[ \t]*\n?[ \t]*[A-Z][a-z]+)?(?![\w-])"
)


def stop_words(
    texts: list[str],
    prepared: list[str],
    results: list[list[Finding]],
    located: list[list[tuple[int, int]]],
    lex: Lexicon,
    places: set[str],
) -> set[str]:
    """The stop list of one document; `places` are the words the model calls places more often than persons."""
    out: set[str] = set()
    for raw, text, fs in zip(texts, prepared, results, strict=True):
        out |= _expanded_acronyms(raw, fs, lex)  # (true-casing may have lowered an acronym)
        out |= _named_things(text, lex)
        out |= {(m.group("post") or m.group("post2")).lower() for m in POST_RE.finditer(raw)}
        out |= {m.group("code").lower() for m in ADDRESS_RE.finditer(raw) if _an_address(m, lex)}
        out |= {m.group("field").lower() for m in FIELD_RE.finditer(raw)}
    for text, fs, spans in zip(prepared, results, located, strict=True):
        out |= _places_before_places(text, fs, spans, lex)
    out |= _acronyms_in_capitals(texts, prepared, results, lex)
    out |= _things_in_capitals(texts, prepared, results, lex)
    for _ in range(2):  # a list of places makes its words places for the next list
        for text, spans in zip(prepared, located, strict=True):
            out |= _listed_places(text, spans, places | out)
    return out


def _an_address(m: re.Match, lex: Lexicon) -> bool:
    """An address line is codes and places: no given name opens it, and no word of a sentence stands in it
    (`MISUARI WILL VISIT WASHINGTON DC` is prose)."""
    words = m.group(0).lower().split()
    return not lex.given_name(m.group("code")) and not any(w in PROSE_WORDS for w in words)


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words).upper()


def _expanded_acronyms(text: str, findings: list[Finding], lex: Lexicon) -> set[str]:
    out: set[str] = set()
    for m in ACRONYM_RE.finditer(text):
        acr = m.group("acr")
        before = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 100) : m.start()])
        # `Mujahedin-e Khalq (MEK)`; `Independent Directorate for Local Governance (IDLG)`
        content = [w for w in before if w.lower() not in ("of", "for", "and", "the", "on", "in")]
        expansion = next(
            (ws[-len(acr) :] for ws in (before, content) if len(ws) >= len(acr) and _initials(ws[-len(acr) :]) == acr),
            None,
        )
        if expansion is None and len(before) >= 2 and acr.endswith(before[-1].upper()):
            # `Provisional IRA (PIRA)`: an acronym in the expansion
            rest = acr[: -len(before[-1])]
            words = before[-1 - len(rest) :]
            if rest and len(words) == len(rest) + 1 and _initials(words[:-1]) == rest:
                expansion = words
        if expansion is None:
            continue
        begin = m.start() - len(" ".join(expansion)) - 10
        caps = is_all_caps(text)
        if any(
            begin < f.end
            and f.start < m.start()
            and len(text[f.start : f.end].split()) >= 2
            # (in capitals the model takes any two words for a name: a person's holds a given name, and an
            # organisation named after a person says what it is, `QADHAFI DEVELOPMENT FOUNDATION (QDF)`)
            and (
                not caps
                or any(lex.given_name(w) for w in re.findall(r"[A-Za-z]+", text[f.start : f.end]))
                or any(w.lower() in THING_WORDS for w in expansion)
            )
            for f in findings
        ):
            continue  # a person's initials, or an organisation named after a person (`Kofi Annan Foundation`)
        out.add(acr.lower())
        out |= {w.lower() for w in expansion if len(w) > 2 and w[0].isupper() and not lex.given_name(w)}
    return out


def _acronyms_in_capitals(
    texts: list[str], prepared: list[str], results: list[list[Finding]], lex: Lexicon
) -> set[str]:
    matches = [m for raw in texts if is_all_caps(raw) for m in CAPS_ACRONYM_RE.finditer(raw)]
    defined = {m.group("acr") for m in matches if m.group("acr")}
    # Once after `the` is how a surname is used too (`THE HARIRI ASSASSINATION`); an acronym is used again.
    used = {m.group("used") for m in matches if m.group("used")}
    if used:
        counts = Counter(WORD_RE.findall("\n".join(texts).upper()))
        used = {w for w in used if counts[w] >= 2}
    found = {w for w in defined | used if not lex.given_name(w) and not lex.not_name(w)}
    if not found:
        return set()
    named: set[str] = set()  # words a name of two words or more takes in, or a title stands before
    for raw, text, fs in zip(texts, prepared, results, strict=True):
        for f in fs:
            words = raw[f.start : f.end].upper().split()
            if len(words) >= 2:
                named |= {w.strip(".,'’()") for w in words}
        for w in found:
            for m in re.finditer(r"(?<![\w'’-])" + w + r"(?![\w-])", raw.upper()):
                if title_before(text, m.start()):
                    named.add(w)
    return {w.lower() for w in found - named}


def _things_in_capitals(texts: list[str], prepared: list[str], results: list[list[Finding]], lex: Lexicon) -> set[str]:
    """In capitals, a name of two words or more that the document writes after `THE` or before a word for a
    group (`THE ABU SAYYAF`, `SENDERO LUMINOSO GUERRILLAS`, `THE FRATERNAL HASHEMITE KINGDOM`) names a thing:
    its words that are no given name are stop words, unless a title stands before it somewhere."""
    whole = "\n".join(t for t in texts if is_all_caps(t)).upper()
    if not whole:
        return set()
    out: set[str] = set()
    for raw, text, fs in zip(texts, prepared, results, strict=True):
        if not is_all_caps(raw):
            continue
        for f in fs:
            words = [w.strip(".,'’()") for w in raw[f.start : f.end].upper().split()]
            if (
                len(words) < 2
                or f.entity_type != "PERSON"
                or title_before(text, f.start)
                or any(w.lower() in THING_WORDS for w in words)  # `QADHAFI DEVELOPMENT FOUNDATION`: named after
            ):
                continue
            name = r"[ \t]+(?:\n[ \t]*)?".join(re.escape(w) for w in words)
            # (`THE QADHAFI DEVELOPMENT FOUNDATION` is an organisation named after a person: not this rule)
            if re.search(r"\bTHE\s+" + name + r"(?![\w'’-])(?!\s+(?:" + THINGS + r")\b)", whole) or re.search(
                r"(?<![\w'’-])" + name + r"\s+(?:" + GROUP_NOUNS + r")\b", whole
            ):
                out |= {w.lower() for w in words if len(w) > 2 and not lex.given_name(w)}
    return out


def _named_things(text: str, lex: Lexicon) -> set[str]:
    out: set[str] = set()
    for regex in (NAMED_BEFORE_RE, NAMED_AFTER_RE, DATED_RE, QUOTED_SOURCE_RE):
        for m in regex.finditer(text):
            words = m.group("name").split()
            if lex.given_name(words[0]) or all(lex.common(w) for w in words):
                continue  # `Nelson Mandela Square`; `The Party`
            out.add(" ".join(words).lower())
            out |= {w.lower() for w in words if not lex.common(w)}
    return out


def _places_before_places(text: str, findings: list[Finding], spans: list[tuple[int, int]], lex: Lexicon) -> set[str]:
    """A lone word the model calls a person, written before a comma and a place where the sentence goes on
    (`Qom, Iran is often mentioned`), is a town in its country; not before the place's possessive (`Rahmani,
    Iran's envoy`) or in a list (`Rahmani, Iran, and`), nor after a title."""
    lone = {text[f.start : f.end].strip() for f in findings if f.entity_type == "PERSON" and f.source == "model"}
    out: set[str] = set()
    for s, e in spans:
        m = WORD_BEFORE_COMMA_RE.search(text, max(0, s - 40), s)
        if (
            m
            and m.group("word") in lone
            and not lex.given_name(m.group("word"))
            and PLACE_GOES_ON_RE.match(text, e)
            and not title_before(text, m.start("word"))
        ):
            out.add(m.group("word").lower())
    return out


def _listed_places(text: str, spans: list[tuple[int, int]], known: set[str]) -> set[str]:
    out: set[str] = set()
    for m in LIST_RE.finditer(text):
        items = list(re.finditer(r"[A-Z][a-z]+", m.group(0)))
        places = sum(
            i.group(0).lower() in known
            or any(s <= m.start() + i.start() and m.start() + i.end() <= e for s, e in spans)
            for i in items
        )
        if places >= 2 and 3 * places >= len(items):
            out |= {i.group(0).lower() for i in items}
    return out

"""Officials by role: persons named in their office are marked, at every mention of the same person.

FOIA practice under (b)(6) releases the names of officials acting in their official capacity (heads of
state and government, ministers, ambassadors, the Secretary, senior officers, the cable's signer, the
official who classified it) and withholds private persons and junior staff. A find is an official's when a
title of office stands right before it (`Foreign Minister X`, `GEN X`, `Ambassador\\nX`), when it follows
`Classified By:`, or when it is the signature or an official visitor named in TAGS. Every other mention of
that person (`X said`) is the same official, unless a part of it also belongs to a private person's name,
which keeps it masked. Coreference is by surname: a full name (`Eric Edelman`) and a titled surname
(`USDP Edelman`) are one person when no other full name in the document has that surname.
"""

from __future__ import annotations

import re

from redactor.detect.findings import LIST_SOURCES, SAME_PERSON, Finding
from redactor.detect.lexicon import COURTESY_TITLES, KIN, OFFICER_CODES, PERSON_NOUNS, Lexicon
from redactor.detect.propagate import ROLE_AFTER_RE, misspelt_of, title_before

CLASSIFIED_BY_RE = re.compile(r"\A\W*classified\s+by\s*:?\s*", re.IGNORECASE)
# `Second Secretary X`, `desk officer X`: junior staff, whom B6 protects.
JUNIOR_BEFORE_RE = re.compile(r"(?i:\b(?:desk|staff|junior)[ \t]+)$")
JUNIOR_TITLE_RE = re.compile(r"(?i:\b(?:(?:first|second|third)[ \t]+(?:secretary|officer)|" + OFFICER_CODES + r")\b)")
# Before a name, a word that makes it another person's than the official of that name (`A PETITIONER SURNAMED`).
ANOTHER_BEFORE_RE = re.compile(
    r"(?i:\b(?:surnamed|named|called|known(?:[ \t]+only)?[ \t]+as|(?:an?|one|another)[ \t]+(?:[a-z]+[ \t]+)?(?:"
    + PERSON_NOUNS
    + r"))[ \t]*\n?[ \t]*)$"
)
A_BODY_RE = re.compile(r"(?i:[ \t]+(?:of|at|for|in)[ \t]+(?:an?|one|some)\b)")
POSSESSIVE_AFTER_RE = re.compile(r"['’][sS]\b")
ANOTHERS_RE = re.compile(r"(?i:\b(?:of|" + KIN + r")\b)")
# `Nick Brown MP`: an office written after the name without a comma.
POST_NOMINAL_RE = re.compile(r"[ \t]+(?P<title>MP|MEP|MK)\b")
KIN_BEFORE_RE = re.compile(r"(?i:\b(?:" + KIN + r"))\W{0,3}$")
# A title held in a foundation, company, movement or other private body is no public office (`QDF Executive
# Director Dr. Yusuf Sawani`, `X, President of the Y Foundation`, `X, Amir of the Jamiat-i-Islami`): the body is
# named right before the title, or after it, even on the next line, or by an acronym the document expands
# (`Qadhafi Development Foundation (QDF)`). A party only after it (`Chairman of the Green Party`): a one-party
# state's `Kunming Party Secretary` holds an office.
PRIVATE_BODY = (
    r"foundation|company|corporation|corp|association|ngo|institute|university|college|watch|society|"
    r"federation|league|club|network|trust|inc|ltd|llc|firm|hospital|clinic|school|charity|enterprises?|"
    r"holdings?|movement|jamiat|jamaat|cooperative|co-op|parish|private"
)
PRIVATE_BODY_RE = re.compile(r"(?i:\b(?:" + PRIVATE_BODY + r")\b)")
PRIVATE_BODY_AFTER_RE = re.compile(r"(?i:\b(?:" + PRIVATE_BODY + r"|party)\b)")
# An acronym in brackets after the words it stands for (`Qadhafi Development Foundation (QDF)`): found from the
# bracket, then the word just before it (a scan from every capitalised word of a text in capitals backtracked).
ACRONYM_RE = re.compile(r"\((?P<acr>[A-Z]{2,6})\)")
WORD_BEFORE_RE = re.compile(r"(?P<word>[A-Z][\w'’-]*)[ \t]+$")
BODY_BEFORE_RE = re.compile(r"(?P<body>(?:\(?[A-Z][\w'’&-]*\)?\s+){1,5})(?:[a-z][\w-]*\s+){0,2}$")
BODY_AFTER_RE = re.compile(r"\s+(?i:of|at|for)\s+(?:(?i:the)\s+)?(?P<body>(?:[A-Z][\w'’&-]*\s*){1,6})")
# `former ISI Director X`, `X, a former Minister`: a name after an office no longer held is not named acting in
# it (a former official named as a plotter, a suspect); such a person stays masked. A former head of state or
# government stays a public figure (`Former U.S. President Bill Clinton`, `former Prime Minister X`).
FORMER_RE = re.compile(r"(?i:\b(?:former|ex-))")
HEAD_OF_STATE_RE = re.compile(r"(?i:\b(?:president|prime[ \t]+minister|premier|chancellor|king|queen)\b)")
# A person named as a suspect is not named acting in an office, whatever its title (`no solid evidence against
# General X`, `arrested Colonel X`): (b)(6) and (b)(7)(C) protect them.
ACCUSED_BEFORE_RE = re.compile(
    r"(?i:\b(?:(?:evidence|charges?|case|accusations?|allegations?|indictment|warrant)[ \t]+against|suspects?|"
    r"suspected|accused|detained|arrested|jailed|imprisoned|indicted|charged))[ \t]*\n?[ \t]*$"
)
ROLE_SOURCES = {"signature": "signer", "tags": "official visitor", "seed": "signer"}


def private_bodies(texts: list[str]) -> set[str]:
    """The acronyms the document expands into the name of a private body (`QDF`)."""
    bodies: set[str] = set()
    for t in texts:
        for m in ACRONYM_RE.finditer(t):
            word = WORD_BEFORE_RE.search(t, max(0, m.start() - 80), m.start())
            if word and PRIVATE_BODY_RE.search(word.group("word")):
                bodies.add(m.group("acr"))
    return bodies


def _in_private_body(text: str, start: int, end: int, bodies: frozenset[str]) -> bool:
    """Whether the title at text[start:end] is held in a private body named before or after it."""
    before = BODY_BEFORE_RE.search(text, max(0, start - 60), start)
    after = BODY_AFTER_RE.match(text, end)
    for m, words in ((before, PRIVATE_BODY_RE), (after, PRIVATE_BODY_AFTER_RE)):
        if m and (words.search(m.group("body")) or any(w.strip("'’()") in bodies for w in m.group("body").split())):
            return True
    return False


def _former(before: str, title: str) -> bool:
    """Whether `before` (the words before and of the title) says the office is no longer held, and the title
    is not a head of state's or government's."""
    return FORMER_RE.search(before) is not None and not HEAD_OF_STATE_RE.search(title)


def role_of(
    text: str, prepared: str, f: Finding, signature: tuple[int, int] | None, bodies: frozenset[str] = frozenset()
) -> str:
    if f.source in ROLE_SOURCES:
        return ROLE_SOURCES[f.source]
    if signature and signature[0] <= f.start < signature[1]:
        return "signer"
    m = title_before(prepared, f.start)
    if m and m.group(0).strip().lower().strip(".") in COURTESY_TITLES:
        m = title_before(prepared, m.start()) or m  # `Chief Constable Sir Hugh Orde`: the office before `Sir`
    if m:
        title = re.sub(r"\s+", " ", text[m.start() : m.end()]).strip(" ,")  # as written, not as re-cased
        before = prepared[max(0, m.start() - 10) : m.end()]
        if (
            title.lower().strip(".") not in COURTESY_TITLES
            and not JUNIOR_BEFORE_RE.search(prepared, 0, m.start())
            and not JUNIOR_TITLE_RE.search(before)
            and not _in_private_body(text, m.start(), m.end(), bodies)
            and not PRIVATE_BODY_RE.search(title)
            and not _former(prepared[max(0, m.start() - 12) : m.end()], title)
            and not ACCUSED_BEFORE_RE.search(prepared, max(0, m.start() - 40), m.start())
        ):
            return title
    m = ROLE_AFTER_RE.match(prepared, f.end)
    if (
        m
        and m.group("title").lower().strip(".") not in COURTESY_TITLES
        and not re.search(r"(?i:\b(?:desk|staff|junior))\b", m.group("mod"))
        and not _former(m.group("mod"), m.group("title"))
        and not JUNIOR_TITLE_RE.search(m.group(0))
        and not _in_private_body(text, m.start("title"), m.end("title"), bodies)
        # Another's office: `X, THE MINISTER'S DRIVER`, `X, WIFE OF GENERAL Y`, `X, SON OF THE MINISTER`.
        and not POSSESSIVE_AFTER_RE.match(prepared, m.end("title"))
        and not ANOTHERS_RE.search(m.group("mod"))
        # A private body in the rest of the clause, or one named by no name (`X, CHAIRWOMAN OF A LOCAL TAXI
        # COOPERATIVE`, `X, director of a private language school`)
        and not _private_clause(prepared, m.end("title"))
    ):
        return text[m.start("title") : m.end("title")]
    m = POST_NOMINAL_RE.match(text, f.end)
    if m:
        return m.group("title")
    cb = CLASSIFIED_BY_RE.match(text)
    if cb and f.start <= cb.end() + 20 and "\n" not in text[cb.end() : f.start]:
        return "Classified By"
    return ""


def _private_clause(text: str, end: int) -> bool:
    """Whether the rest of the clause after a title at `end` names a private body, or a body by no name."""
    clause = text[end : end + 80].split("\n", 1)[0]
    clause = re.split(r"[,;.]", clause, maxsplit=1)[0]
    return PRIVATE_BODY_AFTER_RE.search(clause) is not None or A_BODY_RE.match(clause) is not None


def _role_across(texts: list[str], prepared: list[str], i: int, f: Finding, bodies: frozenset[str]) -> str:
    """The title that ends the text before, when this text opens on the rest of the office and the name
    (`Argentine Minister` / `of the Interior (MOI) Anibal Fernandez`: a double-spaced cable parted in two)."""
    if i == 0 or "\n" in texts[i][: f.start] or not re.match(r"[ \t]*(?i:of|for|to)\b", texts[i]):
        return ""
    last = texts[i - 1].rstrip().rsplit("\n", 1)[-1]
    if not last or last.rstrip()[-1:] in ".:;!?":
        return ""
    tail = prepared[i - 1].rstrip()[-len(last) :] + " "
    shifted = Finding(f.start + len(tail), f.end + len(tail), f.entity_type, f.score, f.source)
    return role_of(last + " " + texts[i], tail + prepared[i], shifted, None, bodies)


def _words(name: str) -> set[str]:
    """The name's words in lower case; a hyphenated one also by its parts (`al-Maleh`: `maleh`)."""
    out: set[str] = set()
    for w in name.split():
        w = w.strip(".,'’()").lower()
        out.update(p for p in [w, *w.split("-")] if len(p) > 1)
    return out


def _among(words: set[str], known: set[str]) -> bool:
    """Every word is one of `known`, or that word misspelt (`bramertz`: `propagate.misspelt_of`)."""
    return all(w in known or misspelt_of(w, known) for w in words)


def _named(words: set[str], lex: Lexicon) -> set[str]:
    """The words of a find that name someone: a dictionary word the model took in with a surname
    (`Holbrooke Interview`, a heading) is left out, unless nothing else is left (`Brown`)."""
    named = {w for w in words if lex.given_name(w) or not lex.common(w)}
    return named or words


def _one_person(name: str, lex: Lexicon) -> bool:
    """Not two names run together (`Christopher J. McMullen Sara Mangiaracina`): no given name after a
    surname."""
    words = name.split()
    return not any(
        lex.given_name(w) and not lex.given_name(p) and not p.endswith(".")
        for p, w in zip(words[1:], words[2:], strict=False)
    )


def mark_officials(
    texts: list[str],
    prepared: list[str],
    results: list[list[Finding]],
    signatures: list[tuple[int, int] | None],
    lex: Lexicon,
) -> list[list[Finding]]:
    """The findings, persons in their office marked with their role; `signatures` is each text's signature
    span, if it has one."""
    official: set[str] = set()
    official_names: set[str] = set()  # full names given with a role somewhere
    private: list[set[str]] = []
    roles: list[list[str]] = []
    bodies = frozenset(private_bodies(texts))
    for i, (t, p, rs, sig) in enumerate(zip(texts, prepared, results, signatures, strict=True)):
        row = []
        for f in rs:
            role = ""
            if f.source in LIST_SOURCES:  # the list's introduction (`recognizers/name_list.py`), or none: a
                role = f.official  # title at the end of the line before is another line's name (`JOHN KING`)
            elif f.entity_type == "PERSON" and f.source != "propagated" and _one_person(t[f.start : f.end], lex):
                role = role_of(t, p, f, sig, bodies) or _role_across(texts, prepared, i, f, bodies)
            row.append(role)
            if role:
                if f.source not in LIST_SOURCES:  # (a list's member is the same person by full name only)
                    official |= _words(t[f.start : f.end])
                official_names.add(_full_name(t[f.start : f.end]))
        roles.append(row)
    # Coreference by surname: `Eric Edelman` is `USDP Edelman` when no other full name has that surname; a
    # relative (`his wife, Mary Azimi`) is another person.
    full_names: dict[str, set[str]] = {}
    for t, rs in zip(texts, results, strict=True):
        for f in rs:
            name = t[f.start : f.end]
            if f.entity_type != "PERSON" or f.source == "propagated" or len(name.split()) < 2:
                continue
            kin = KIN_BEFORE_RE.search(t, max(0, f.start - 30), f.start) is not None
            full_names.setdefault(_surname(name), set()).add(
                "" if kin or not _one_person(name, lex) else _full_name(name)
            )
    for surname, names in full_names.items():
        if surname in official and len(names) == 1 and "" not in names:
            official_names |= names
            official |= _words(next(iter(names)))
    for t, rs, row in zip(texts, results, roles, strict=True):
        for f, role in zip(rs, row, strict=True):
            name = t[f.start : f.end]
            words = _words(name)
            if (
                f.entity_type == "PERSON"
                and not role
                and f.source != "propagated"
                and not _named(words, lex) <= official
                and _full_name(name) not in official_names
            ):
                private.append(words)  # (all its words: `Mary Brown` keeps `Brown` masked)
    ambiguous = set().union(*private) & official if private else set()
    out = []
    for t, rs, row in zip(texts, results, roles, strict=True):
        marked = []
        for f, role in zip(rs, row, strict=True):
            name = t[f.start : f.end]
            words = _named(_words(name), lex)
            # Words of several officials make no official (`TRAN VAN THANH` among `NGUYEN VAN THANH` and
            # `TRAN THI BINH`): a name of two words or more is one official's, all its words from one name.
            same = f.entity_type == "PERSON" and (
                (len(name.split()) >= 2 and _full_name(name) in official_names)
                or (
                    bool(words)
                    and _among(words, official)
                    and not words & ambiguous
                    and (len(name.split()) < 2 or _one_officials(name, official, official_names, lex))
                    # `A PETITIONER SURNAMED WANG`, `A BLOGGER KNOWN ONLY AS DUNG`: another person of that name
                    and not ANOTHER_BEFORE_RE.search(t, max(0, f.start - 40), f.start)
                )
            )
            if role or same:
                f = Finding(f.start, f.end, f.entity_type, f.score, f.source, official=role or SAME_PERSON)
            marked.append(f)
        out.append(marked)
    return out


def _one_officials(name: str, official: set[str], official_names: set[str], lex: Lexicon) -> bool:
    """Whether the words of a name of two words or more are all one official's (`LI GUANGYA` is neither `LI HUI`
    nor `WANG GUANGYA`): each word an official's name holds, or no dictionary word the find took in."""
    words = {w for w in _words(name) if w in official or not lex.common(w)}
    return any(_among(words, _words(n)) for n in official_names)


def _full_name(name: str) -> str:
    """A name as one person's: lower case, one space between words (`Eric\nEdelman` is `eric edelman`)."""
    return " ".join(w.strip(".,'’()").lower() for w in name.split())


def _surname(name: str) -> str:
    words = _full_name(name).split()
    return words[-1].split("-")[-1] if words else ""

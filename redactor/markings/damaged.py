"""Damaged portion marks inside a line: `(S-NF)`, `(5//NF)`, `(S\\NF)`, `(NF)` read back, or None for prose.

A bracketed token in mid-line is far more often prose than a mark (`(CSTC-A)`, `(EU-Euro)`, `(S-300)`,
`(S/P)`, `(U/S)`), so a damaged one counts only on strong evidence: a level token (or a known OCR
confusion of one: `5` for S, `0` for C) and, after a separator (`//`, `/`, `-`, `\\`, `|`, a space), a
control the scheme knows; or controls alone that only a classified portion carries (`(NF)`, `(NOFORN)`,
`(ORCON)`, `(REL TO USA, GBR)`, `(OC/NF)`, `(FGI)`), read at the scheme's highest level. A token with both a
known control and words no scheme knows is read at the highest level too (fail closed). A level letter-spaced
(`(T S)`) or with a full stop (`(S.)`) is that level; a level or its look-alike and `//` before a letter
(`(S//XYZ)`, `(5//XYZ)`) is a mark whatever follows (`(5//6)` is a ratio). Not read: one slash before a word
no scheme knows (`(S/XYZ)`: State office symbols `(S/CT)`, `(S/ES)`), a look-alike level alone (`(T5)`, `(5)`),
a level glued to its control (`(SNF)`: spent nuclear fuel).
"""

from __future__ import annotations

import itertools
import re

from redactor.markings.marking import Marking, rank
from redactor.markings.marks import parse_mark
from redactor.markings.rollup import rollup
from redactor.markings.schemes import SCHEMES, Scheme

# What OCR or retyping puts for a letter of a level token; each look-alike stands for every letter listed.
_LOOKALIKES = {
    "5": "S",
    "$": "S",
    "§": "S",
    "8": "S",
    "0": "CO",
    "O": "OC",
    "G": "GC",
    "7": "T",
}
_CONTROL_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "5": "S", "$": "S"})
# Separators of categories and their damaged forms; a space only between a level and a control.
_SEPARATOR_RE = re.compile(r"\s*(?:[/\\|]+)\s*")
# After the level, any run of punctuation a typist or OCR puts for a separator (`S-NF`, `S.NF`, `S=NF`, `S NF`).
_HEAD_SPLIT_RE = re.compile(r"^(?P<level>[^\s:;.,_~=+•·-]{1,12})\s*[-:;.,_~=+•·\s]+\s*(?P<rest>\S.*)$")
# Unicode dashes and slashes as their ASCII forms; quotes around the mark dropped.
_PUNCTUATION = str.maketrans({**dict.fromkeys("‐‑‒–—―−", "-"), **dict.fromkeys("⁄∕", "/"), "＼": "\\"})
_QUOTES = "'\"‘’“”`"
# A word of four or more characters with a letter in it, whose digits are look-alike letters (`0FFICIAL`).
_LONG_WORD_RE = re.compile(r"\b(?=[A-Z0-9$]*[A-Z])[A-Z0-9$]{4,}\b")
# Marks of another scheme that no prose spells: where the document's scheme cannot read one, its highest level.
_FOREIGN_RE = re.compile(r"OFFICIAL[- ]SENSITIVE(?:[-/ ].*)?")
_TLP_RE = re.compile(r"TLP\s*[-:;.,/\\| ]+\s*(?P<colour>CLEAR|WHITE|GREEN|AMBER(?:\s*\+\s*STRICT)?|RED)")
# Controls only a classified portion carries, in the forms that are no common acronym: alone in brackets, a
# mark that lost its level. (`(PR)`, `(RS)`, `(IMC)`, `(SI)`, `(ND)` alone are acronyms as often.)
_ALONE_FORMS = frozenset(
    {"NF", "OC", "FGI", "NOFORN", "ORCON", "ORCON-USGOV", "RELIDO", "IMCON", "PROPIN", "ATOMAL", "UKEO", "UK EYES ONLY"}
)
# A level in letters and the category separator `//` (no prose writes it) before a word: a mark, whatever
# follows (`(5//6)` is a ratio).
_DOUBLE_SLASH_RE = re.compile(r"^[A-Z0-9$§]{1,3}\s*//\s*[A-Z]")  # `(5//XYZ)` too; `(5//6)` has no letter after
# A level letter-spaced (`(T S)`, the way cables space banners) or with a full stop (`(S.)`): read as that level.
_SPACED_RE = re.compile(r"[A-Z](?: [A-Z]){1,2}")
_FULL_STOP_RE = re.compile(r"(?P<level>[A-Z]{1,2})\s*\.")
_TOKEN_CHARS_RE = re.compile(r"[A-Za-z0-9$§/\\|:;.,_~=+•· -]{1,60}")


def read_damaged(inner: str, scheme: Scheme) -> Marking | None:
    """The marking a damaged bracketed token inside a line (`inner`, without its brackets) stands for, at the
    highest level it could mean; None when it is not a mark on strong evidence (see the module docstring)."""
    inner = " ".join(inner.translate(_PUNCTUATION).strip(_QUOTES + " ").split())
    if not _TOKEN_CHARS_RE.fullmatch(inner):
        return None
    upper = _LONG_WORD_RE.sub(lambda w: w.group().translate(_CONTROL_LOOKALIKES), inner.upper())
    tlp = _TLP_RE.fullmatch(upper)
    if tlp:
        return _parse(f"(TLP:{tlp.group('colour').replace(' ', '')})", scheme) or _top(scheme)
    stop = _FULL_STOP_RE.fullmatch(upper)
    if inner == upper and (_SPACED_RE.fullmatch(upper) or stop):
        letters = stop.group("level") if stop else upper.replace(" ", "")
        level = _parse(f"({letters})", scheme)
        return level if level is not None and not level.controls and not level.rel_to else None
    pieces = [p for p in _SEPARATOR_RE.split(upper) if p]
    if not pieces:
        return None
    slashed = len(pieces) > 1 or upper.startswith(("/", "\\", "|"))
    head = _HEAD_SPLIT_RE.match(pieces[0])
    if head and _levels(head.group("level"), scheme) and not _levels(pieces[0], scheme):
        pieces = [head.group("level"), head.group("rest"), *pieces[1:]]
    # The level is the first piece or, reordered (`NF//S`), the first that reads as one; where a look-alike
    # reads several ways (`0`: C or O), the highest.
    readings = next(
        ([(rank(lv, scheme), i, lv) for lv in lvs] for i, p in enumerate(pieces) if (lvs := _levels(p, scheme))), []
    )
    if readings:
        _, index, level = max(readings, key=lambda t: t[0])
        if len(pieces) == 1 and upper.startswith("//"):
            return level  # `(//N5)`: the prefix of a foreign portion, and a level
        marking = _with_controls(level, pieces[:index] + pieces[index + 1 :], scheme)
        if marking is None and index == 0 and _DOUBLE_SLASH_RE.match(upper):
            return _highest(level, scheme)  # `(S//REL)`, `(S//XYZ)`: a level and `//` is a mark; what follows unknown
        return marking
    if _FOREIGN_RE.fullmatch(upper):
        return _parse(f"({upper})", scheme) or _top(scheme)
    if inner != upper and not slashed and upper.translate(_CONTROL_LOOKALIKES) == "NF":
        return None  # `(nf)`: lower case, two letters
    return _controls_alone(pieces, slashed, scheme)


def _parse(mark: str, scheme: Scheme) -> Marking | None:
    marking = parse_mark(mark, scheme)
    return None if marking is None or "malformed" in marking.flags else marking


def _levels(token: str, scheme: Scheme) -> list[Marking]:
    """Every level `token` reads as, its look-alike letters taken each way (`0` as C and as O)."""
    token = token.strip()
    if not token or len(token) > 12:
        return []
    options = [_LOOKALIKES.get(ch, ch) for ch in token] if len(token) <= 3 else [(token,)]
    found = []
    for letters in itertools.product(*options):
        marking = _parse("(" + "".join(letters) + ")", scheme)
        if marking is not None and not marking.rel_to:
            found.append(marking)
    return found


def _control(level: Marking, piece: str, scheme: Scheme) -> Marking | None:
    """`level` with the control `piece` (or its look-alike spelling, or its dash-joined parts), if known."""
    abbrev = _abbrev(level, scheme)
    for candidate in dict.fromkeys((piece, piece.translate(_CONTROL_LOOKALIKES))):
        marking = _parse(f"({abbrev}//{candidate})", scheme)
        if marking is not None and (marking.controls or marking.rel_to):
            return marking
    parts = piece.split("-")
    if len(parts) > 1:
        joined = "/".join(p.translate(_CONTROL_LOOKALIKES) for p in parts)
        marking = _parse(f"({abbrev}//{joined})", scheme)
        if marking is not None and len(marking.controls) + bool(marking.rel_to) >= len(parts):
            return marking
    return None


def _abbrev(level: Marking, scheme: Scheme) -> str:
    own = SCHEMES.get(level.scheme, scheme)
    lv = own.find(level.level)
    return lv.abbrev if lv is not None else level.level


def _with_controls(level: Marking, rest: list[str], scheme: Scheme) -> Marking | None:
    known = [m for p in rest if (m := _control(level, p, scheme)) is not None]
    if not known:
        # `(TS/SCI)` names SCI controls without saying which: the highest level. `(S-300)`, `(U-2)`, `(S/P)`,
        # `(U/S)`: a level letter and no control is prose.
        return _top(scheme) if "SCI" in rest else None
    if level.controls:  # `(CUI-SP-PRVCY)`: a level read with a control of its own (CUI) keeps it
        marking = rollup([level, *known], scheme)
    else:
        marking = rollup(known, scheme) if len(known) > 1 else known[0]
    if len(known) < len(rest):
        return _highest(marking, scheme)
    return marking


def _controls_alone(pieces: list[str], slashed: bool, scheme: Scheme) -> Marking | None:
    """Controls with no level: a mark that lost it, read at the scheme's highest level."""
    known = [m for p in pieces if (m := _control(_top(scheme), p, scheme)) is not None]
    if not known or len(known) < len(pieces):
        return None
    alone = len(pieces) == 1 and not slashed
    if alone and not (pieces[0].translate(_CONTROL_LOOKALIKES) in _ALONE_FORMS or pieces[0].startswith("REL TO ")):
        return None  # `(SI)`, `(RS)`, `(PR)`: a control's short form alone is an acronym as often
    return rollup(known, scheme)


def _highest(marking: Marking, scheme: Scheme) -> Marking:
    return rollup([marking, _top(scheme)], scheme)


def _top(scheme: Scheme) -> Marking:
    return Marking(scheme.highest.name, scheme=scheme.name)

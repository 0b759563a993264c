"""Classification schemes, portion marks, banners and their roll-up.

A scheme is data: ordered levels with their portion abbreviations and banner spellings. The parsing
rules follow the CAPCO register and the legacy State forms (`(S/NF)`, `(C/REL LIBYA)`, `(SBU)`).
Everything here is pure and fast: no I/O, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Controls: portion form -> banner form. Several spellings map to one control.
CONTROL_ALIASES: dict[str, str] = {
    "NF": "NOFORN", "NOFORN": "NOFORN",
    "OC": "ORCON", "ORCON": "ORCON", "OC-USGOV": "ORCON-USGOV", "ORCON-USGOV": "ORCON-USGOV",
    "PR": "PROPIN", "PROPIN": "PROPIN",
    "IMC": "IMCON", "IMCON": "IMCON",
    "RS": "RSEN", "RSEN": "RSEN",
    "RELIDO": "RELIDO",
    "FOUO": "FOUO", "FOR OFFICIAL USE ONLY": "FOUO",
    "SBU": "SBU", "SENSITIVE BUT UNCLASSIFIED": "SBU", "SENSITIVE": "SBU",
    "SBU-NF": "SBU NOFORN", "SBU N": "SBU NOFORN", "SBU/N": "SBU NOFORN", "SBU NOFORN": "SBU NOFORN",
    "LES": "LES", "LES-NF": "LES NOFORN", "LES NOFORN": "LES NOFORN",
    "LOU": "LOU", "LIMITED OFFICIAL USE": "LOU",
    "DS": "LIMDIS", "LIMDIS": "LIMDIS",
    "XD": "EXDIS", "EXDIS": "EXDIS",
    "ND": "NODIS", "NODIS": "NODIS",
    "SSI": "SSI",
    "CUI": "CUI",
    "SI": "SI", "TK": "TK", "HCS": "HCS", "G": "G", "SI-G": "SI-G", "HCS-P": "HCS-P",
    "RD": "RESTRICTED DATA", "FRD": "FORMERLY RESTRICTED DATA", "CNWDI": "CNWDI",
    "RESTRICTED DATA": "RESTRICTED DATA", "FORMERLY RESTRICTED DATA": "FORMERLY RESTRICTED DATA",
    "FGI": "FGI",
    "EFTO": "EFTO",
}
# Controls that only mean something on unclassified information (domain.md §2).
UNCLASSIFIED_ONLY = frozenset({"FOUO", "SBU", "SBU NOFORN", "LES", "LES NOFORN", "LOU", "LIMDIS", "SSI", "CUI"})
# Controls that make information controlled-unclassified (rank 0.5 in the US scheme).
CONTROLLED = frozenset({"FOUO", "SBU", "SBU NOFORN", "LES", "LES NOFORN", "LOU", "SSI", "CUI"})
SCI = frozenset({"SI", "TK", "HCS", "G", "SI-G", "HCS-P"})
ATOMIC = frozenset({"RESTRICTED DATA", "FORMERLY RESTRICTED DATA", "CNWDI"})
# Captions: handling words on a line of their own below a cable banner.
CAPTIONS = ("SIPDIS", "NOFORN", "SENSITIVE", "EXDIS", "NODIS", "LIMDIS", "STADIS", "CHEROKEE", "EFTO",
            "NOCONTRACT", "ORCON", "PROPIN", "SENSITIVE BUT UNCLASSIFIED", "FOR OFFICIAL USE ONLY")

COUNTRY = r"[A-Z]{3}|[A-Z]{2}|[A-Z]+"


@dataclass(frozen=True)
class Level:
    name: str       # as spelled in a banner: "SECRET"
    abbrev: str     # as in a portion mark: "S"
    rank: float
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scheme:
    """An ordered set of levels. Portion marks and banners are read against it."""

    name: str
    levels: tuple[Level, ...]
    controlled_rank: float | None = None  # rank of controlled-unclassified information, if the scheme has it

    def level(self, name: str) -> Level:
        key = name.strip().upper()
        for lv in self.levels:
            if key == lv.name or key == lv.abbrev or key in lv.aliases:
                return lv
        raise KeyError(name)

    def find(self, name: str) -> Level | None:
        try:
            return self.level(name)
        except KeyError:
            return None

    @property
    def lowest(self) -> Level:
        return min(self.levels, key=lambda lv: lv.rank)

    @property
    def highest(self) -> Level:
        return max(self.levels, key=lambda lv: lv.rank)

    @property
    def level_names(self) -> list[str]:
        return [lv.name for lv in sorted(self.levels, key=lambda lv: lv.rank)]


US = Scheme("us", (
    Level("UNCLASSIFIED", "U", 0, ("UNCLAS", "UNCLASSIFIED")),
    Level("CONFIDENTIAL", "C", 1),
    Level("SECRET", "S", 2),
    Level("TOP SECRET", "TS", 3),
), controlled_rank=0.5)
NATO = Scheme("nato", (
    Level("NATO UNCLASSIFIED", "NU", 0),
    Level("NATO RESTRICTED", "NR", 1),
    Level("NATO CONFIDENTIAL", "NC", 2),
    Level("NATO SECRET", "NS", 3),
    Level("COSMIC TOP SECRET", "CTS", 4),
))
UK = Scheme("uk", (
    Level("OFFICIAL", "O", 0, ("OFFICIAL-SENSITIVE", "OFFICIAL SENSITIVE", "OS")),
    Level("SECRET", "S", 1),
    Level("TOP SECRET", "TS", 2),
))
TLP = Scheme("tlp", (
    Level("TLP:CLEAR", "TLP:CLEAR", 0, ("CLEAR", "TLP:WHITE", "WHITE")),
    Level("TLP:GREEN", "TLP:GREEN", 1, ("GREEN",)),
    Level("TLP:AMBER", "TLP:AMBER", 2, ("AMBER",)),
    Level("TLP:AMBER+STRICT", "TLP:AMBER+STRICT", 2.5, ("AMBER+STRICT",)),
    Level("TLP:RED", "TLP:RED", 3, ("RED",)),
))
CUI = Scheme("cui", (
    Level("UNCLASSIFIED", "U", 0),
    Level("CUI", "CUI", 1, ("CONTROLLED UNCLASSIFIED INFORMATION", "CUI//SP", "CUI//BASIC")),
))
SCHEMES: dict[str, Scheme] = {s.name: s for s in (US, NATO, UK, TLP, CUI)}


@dataclass(frozen=True)
class Marking:
    """What a mark or banner says: a level of a scheme and the controls, in banner form."""

    level: str
    controls: tuple[str, ...] = ()
    rel_to: tuple[str, ...] = ()        # countries of REL TO, USA first when present
    flags: tuple[str, ...] = ()         # doubts: "malformed", "unknown control XYZ"
    scheme: str = "us"

    @property
    def banner(self) -> str:
        parts = [self.level]
        controls = list(self.controls)
        if self.rel_to:
            controls.append("REL TO " + ", ".join(self.rel_to))
        if controls:
            parts.append("/".join(controls))
        return "//".join(parts)

    def controls_out(self) -> list[str]:
        out = list(self.controls)
        if self.rel_to:
            out.append("REL TO " + ", ".join(self.rel_to))
        return out


def rank(marking: Marking, scheme: Scheme = US) -> float:
    """Sensitivity of a marking: its level, raised to the controlled rank for SBU/FOUO-type controls."""
    lv = scheme.find(marking.level)
    r = lv.rank if lv else scheme.highest.rank
    if scheme.controlled_rank is not None and r < scheme.controlled_rank and CONTROLLED & set(marking.controls):
        r = scheme.controlled_rank
    if marking.flags and "malformed" in marking.flags:
        r = max(r, scheme.highest.rank)
    return r


# ---------------------------------------------------------------------------------------------- marks
# The inside of a portion mark: upper-case letters, digits and the separators of the register.
MARK_BODY = r"[A-Z/][A-Z0-9 /,+:\-]{0,48}"
MARK_RE = re.compile(r"\((" + MARK_BODY + r")\)")
_LEVEL_TOKENS = {"U": "UNCLASSIFIED", "C": "CONFIDENTIAL", "S": "SECRET", "TS": "TOP SECRET",
                 "UNCLASSIFIED": "UNCLASSIFIED", "CONFIDENTIAL": "CONFIDENTIAL", "SECRET": "SECRET",
                 "TOP SECRET": "TOP SECRET"}
_CONTROLLED_LEVEL_TOKENS = {"SBU": "SBU", "FOUO": "FOUO", "LOU": "LOU", "CUI": "CUI", "LES": "LES",
                            "SBU-NF": "SBU NOFORN", "SBU N": "SBU NOFORN", "SBU NF": "SBU NOFORN",
                            "LES-NF": "LES NOFORN"}
_NATO_TOKENS = {"NU": "NATO UNCLASSIFIED", "NR": "NATO RESTRICTED", "NC": "NATO CONFIDENTIAL",
                "NS": "NATO SECRET", "CTS": "COSMIC TOP SECRET"}


def _split_categories(body: str) -> list[str]:
    # `//` separates categories; State cables use a single `/` between level and control too.
    body = re.sub(r"\s*/\s*/\s*", "//", body.strip())
    out: list[str] = []
    for cat in body.split("//"):
        out.extend(t.strip() for t in cat.split("/"))
    return out


def _read_controls(tokens: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Controls, REL TO countries and unknown tokens from the tokens after the level."""
    controls: list[str] = []
    rel: list[str] = []
    unknown: list[str] = []
    for tok in tokens:
        if not tok:
            continue
        m = re.fullmatch(r"REL(?:\s+TO)?\s+([A-Z ,]+)", tok)
        if m:
            rel.extend(c.strip() for c in m.group(1).split(",") if c.strip())
            continue
        if tok in ("SBU N", "SBU NF"):
            controls.append("SBU NOFORN")
            continue
        if tok == "N" and controls and controls[-1] in ("SBU", "LES"):
            controls[-1] += " NOFORN"
            continue
        fgi = re.fullmatch(r"FGI(?:\s+([A-Z ]+))?", tok)
        if fgi:
            controls.append(tok)
            continue
        if tok.startswith("SAR-") or re.fullmatch(r"(SI|TK|HCS)(-[A-Z0-9]+)*", tok):
            controls.append(tok)
            continue
        name = CONTROL_ALIASES.get(tok)
        if name:
            controls.append(name)
        else:
            unknown.append(tok)
    return controls, rel, unknown


# Country names seen spelled out in legacy REL markings, to their trigraphs.
COUNTRY_NAMES = {"LIBYA": "LBY", "UK": "GBR", "BRITAIN": "GBR", "UNITED KINGDOM": "GBR", "CANADA": "CAN",
                 "AUSTRALIA": "AUS", "NEW ZEALAND": "NZL", "FRANCE": "FRA", "GERMANY": "DEU", "ISRAEL": "ISR",
                 "JAPAN": "JPN", "KOREA": "KOR", "IRAQ": "IRQ", "AFGHANISTAN": "AFG", "PAKISTAN": "PAK",
                 "JORDAN": "JOR", "EGYPT": "EGY", "TURKEY": "TUR", "ITALY": "ITA", "NATO": "NATO", "US": "USA"}


def _rel_list(countries: list[str]) -> tuple[str, ...]:
    seen = list(dict.fromkeys(COUNTRY_NAMES.get(c, c) for c in countries))
    if "USA" in seen:
        seen.remove("USA")
    return ("USA", *seen) if seen or countries else ()


def looks_like_mark(body: str) -> bool:
    """Is `(body)` in the neighbourhood of the marking vocabulary (as opposed to an acronym in brackets)?

    `(S//NF)`, `(S/XYZ)`, `(//NS)`, `(NOFORN)` are; `(A)`, `(B)` (list labels), `(UN)`, `(NATO)` are not.
    """
    tokens = _split_categories(body)
    if not tokens or (len(tokens) == 1 and not tokens[0]):
        return False
    first = tokens[0]
    if body.startswith("//") or "/" in body:
        return True
    if first in _LEVEL_TOKENS or first in _CONTROLLED_LEVEL_TOKENS:
        return True
    if " " in first and first.split()[0] in _LEVEL_TOKENS:   # `(S NF)`: a mark, written wrong
        return True
    return len(first) >= 3 and first in CONTROL_ALIASES


def parse_mark(text: str, scheme: Scheme = US) -> Marking | None:
    """Read a portion mark such as `(S//NF)`, `(C/REL LIBYA)`, `(SBU)`, `(//NS)`.

    Returns None when the text is not a mark at all (`(U.S.-EU)`, `(c)`, `(Iran)`, `(UN)`).
    A mark from the vocabulary's neighbourhood that does not parse is read as the scheme's highest
    level and flagged `malformed`: fail closed.
    """
    m = MARK_RE.fullmatch(text.strip())
    if not m:
        return None
    body = re.sub(r"\b(SBU|LES)\s*[/ -]\s*(?:NOFORN|NF|N)\b", r"\1-NF", m.group(1).strip())
    if not looks_like_mark(body):
        return None
    tokens = _split_categories(body)
    if tokens and tokens[0] == "" and len(tokens) > 1:  # non-US portion: (//NS), (//CTS)
        tok = tokens[1]
        if tok in _NATO_TOKENS:
            ctl, rel, unknown = _read_controls(tokens[2:])
            flags = tuple(f"unknown control {u}" for u in unknown) + (("malformed",) if unknown else ())
            return Marking(_NATO_TOKENS[tok], tuple(ctl), _rel_list(rel), flags, scheme="nato")
        return Marking(scheme.highest.name, (), (), ("malformed", f"unrecognised mark ({body})"),
                       scheme.name)
    first, rest = tokens[0], tokens[1:]
    level: str | None = None
    controls: list[str] = []
    if scheme.name == "us" or scheme.name == "cui":
        if first in _LEVEL_TOKENS:
            level = _LEVEL_TOKENS[first]
        elif first in _CONTROLLED_LEVEL_TOKENS:
            level = "UNCLASSIFIED"
            controls.append(_CONTROLLED_LEVEL_TOKENS[first])
        elif first.startswith("SBU ") and first[4:] in ("NF", "N", "NOFORN"):
            level = "UNCLASSIFIED"
            controls.append("SBU NOFORN")
    else:
        lv = scheme.find(first)
        level = lv.name if lv else None
    if level is None:
        return Marking(scheme.highest.name, (), (), ("malformed", f"unrecognised mark ({body})"), scheme.name)
    ctl, rel, unknown = _read_controls(rest)
    controls.extend(ctl)
    flags: tuple[str, ...] = ()
    if unknown:
        flags = ("malformed", *(f"unknown control {u}" for u in unknown))
    return Marking(level, tuple(dict.fromkeys(controls)), _rel_list(rel), flags, scheme.name)


# -------------------------------------------------------------------------------------------- banners
def _spaced(word: str) -> str:
    return r"\s?".join(re.escape(ch) for ch in word)


_BANNER_LEVELS = [
    ("TOP SECRET", r"T\s?O\s?P\s+S\s?E\s?C\s?R\s?E\s?T"),
    ("CONFIDENTIAL", _spaced("CONFIDENTIAL")),
    ("SECRET", _spaced("SECRET")),
    ("UNCLASSIFIED", r"UNCLASSIFIED|UNCLAS(?:\s+EFTO)?|U\sN\sC\sL\sA\sS(?:\sS\sI\sF\sI\sE\sD)?"),
    ("UNCLASSIFIED", r"LIMITED\s+OFFICIAL\s+USE|SENSITIVE\s+BUT\s+UNCLASSIFIED"),
]
_LEVEL_ALT = "|".join(f"(?:{p})" for _, p in _BANNER_LEVELS)
# A cable banner: the level, an optional SECTION line, the originator and the serial.
CABLE_BANNER_RE = re.compile(
    r"(?P<level>" + _LEVEL_ALT + r")(?P<efto>\s+EFTO)?"
    r"(?:[ \t]+(?P<section>SECTION\s+\d+\s+OF\s+\d+))?"
    r"[ \t]+(?P<post>[A-Z][A-Z .'-]{1,40}?)[ \t]+(?P<serial>\d{2,7})\b",
    re.IGNORECASE,
)
# A CAPCO banner line on its own: SECRET//NOFORN, TOP SECRET//SI//REL TO USA, GBR.
CAPCO_BANNER_RE = re.compile(
    r"^[ \t]*(?P<level>TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|CUI|NATO [A-Z]+|COSMIC TOP SECRET|"
    r"OFFICIAL(?:[- ]SENSITIVE)?|TLP:(?:CLEAR|GREEN|AMBER\+STRICT|AMBER|RED))"
    r"(?P<rest>//[A-Z0-9 ,/\-]+)?[ \t]*$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Banner:
    marking: Marking
    text: str
    start: int
    end: int
    section: str = ""
    reference: str = ""   # "STATE 103113"


def _level_from_banner_word(word: str) -> tuple[str, tuple[str, ...]]:
    w = re.sub(r"\s+", "", word).upper()
    if w.startswith("TOPSECRET"):
        return "TOP SECRET", ()
    if w.startswith("CONFIDENTIAL"):
        return "CONFIDENTIAL", ()
    if w.startswith("SECRET"):
        return "SECRET", ()
    if w.startswith("LIMITEDOFFICIALUSE"):
        return "UNCLASSIFIED", ("LOU",)
    if w.startswith("SENSITIVEBUTUNCLASSIFIED"):
        return "UNCLASSIFIED", ("SBU",)
    if w.endswith("EFTO"):
        return "UNCLASSIFIED", ("EFTO",)
    return "UNCLASSIFIED", ()


def find_cable_banner(text: str, start: int = 0, end: int | None = None) -> Banner | None:
    """The first cable banner (`S E C R E T STATE 103113`, `UNCLAS SECTION 01 OF 03 ADANA 000013`)."""
    for m in CABLE_BANNER_RE.finditer(text, start, len(text) if end is None else end):
        raw_level = m.group("level")
        spaced = " " in raw_level.strip() and "UNCLAS" not in raw_level.upper() \
            and "OFFICIAL" not in raw_level.upper() and "BUT" not in raw_level.upper()
        # Plain words must be upper case or be letter-spaced: `Secret Service 123` is prose.
        if not spaced and raw_level != raw_level.upper():
            continue
        # Letter-spaced in lower case (S e c r e t) is accepted; spelled plainly, the word must start
        # a line or follow routing text glued to it (WASHDCUNCLAS, BES E C R E T).
        level, controls = _level_from_banner_word(raw_level)
        if m.group("efto"):
            controls = (*controls, "EFTO")
        post = m.group("post").strip()
        if post.upper().startswith(("SECTION", "OF ")) or not post.replace(" ", "").isalpha():
            continue
        ref = f"{post.upper()} {int(m.group('serial'))}"
        section = (m.group("section") or "").upper()
        return Banner(Marking(level, controls), m.group(0), m.start(), m.end(), section, ref)
    return None


def find_capco_banner(text: str, start: int = 0, end: int | None = None) -> Banner | None:
    """A banner line such as `SECRET//NOFORN` standing alone on a line."""
    m = CAPCO_BANNER_RE.search(text, start, len(text) if end is None else end)
    if not m:
        return None
    level = m.group("level")
    tokens = _split_categories(m.group("rest") or "")
    ctl, rel, unknown = _read_controls([t for t in tokens if t])
    scheme = "us"
    for s in SCHEMES.values():
        if s.find(level) and s.name != "us":
            scheme = s.name if not US.find(level) else "us"
    flags = ("malformed", *(f"unknown control {u}" for u in unknown)) if unknown else ()
    marking = Marking(level, tuple(ctl), _rel_list(rel), flags, scheme)
    return Banner(marking, m.group(0).strip(), m.start("level"), m.end() if not m.group(0).endswith("\n")
                  else m.end() - 1)


def parse_banner(line: str) -> Marking | None:
    """Read one banner line in any of the accepted forms; None when it is not a banner."""
    b = find_capco_banner(line) or find_cable_banner(line)
    if b:
        return b.marking
    word = line.strip()
    if re.fullmatch(_LEVEL_ALT, word, re.IGNORECASE):
        level, controls = _level_from_banner_word(word)
        return Marking(level, controls)
    return None


def caption_control(word: str) -> str | None:
    """The control a caption line carries (NOFORN, SBU for SENSITIVE, ...); None for SIPDIS and the like."""
    w = word.strip().upper().rstrip(".")
    if w in ("SIPDIS", "STADIS", "CHEROKEE", "NOCONTRACT"):
        return None
    return CONTROL_ALIASES.get(w)


# ------------------------------------------------------------------------------------------- roll-up
def rollup(markings: list[Marking], scheme: Scheme = US) -> Marking:
    """The overall marking of several portions (domain.md §2): highest level, lattice of controls."""
    if not markings:
        return Marking(scheme.lowest.name, scheme=scheme.name)
    top = max(markings, key=lambda m: rank(Marking(m.level, scheme=m.scheme), scheme))
    level = top.level
    lv = scheme.find(level)
    classified = lv is not None and lv.rank > scheme.lowest.rank
    flags = tuple(dict.fromkeys(f for m in markings for f in m.flags))
    controls: list[str] = []
    for m in markings:
        controls.extend(c for c in m.controls if c not in controls)
    noforn = any("NOFORN" in c for c in controls)
    # REL TO lists intersect; a portion with neither REL TO nor NOFORN is releasable to no foreign
    # country by default, which the roll-up shows as NOFORN once any portion is classified.
    rel_sets = [set(m.rel_to) for m in markings if m.rel_to]
    rel: tuple[str, ...] = ()
    if rel_sets and not noforn:
        unmarked_foreign = [m for m in markings if not m.rel_to and rank(m, scheme) > scheme.lowest.rank
                            and not (CONTROLLED & set(m.controls))]
        common = set.intersection(*rel_sets)
        if unmarked_foreign or common <= {"USA"}:
            noforn = True
        else:
            rel = _rel_list(sorted(common))
    if "NODIS" in controls and "EXDIS" in controls:
        controls.remove("EXDIS")
    if "ORCON" in controls and "ORCON-USGOV" in controls:
        controls.remove("ORCON-USGOV")
    if noforn and classified:
        controls = [c for c in controls if "NOFORN" not in c] + ["NOFORN"]
        rel = ()
    if classified:
        controls = [c for c in controls if c not in UNCLASSIFIED_ONLY]
    order = _control_order()
    controls = sorted(dict.fromkeys(controls), key=lambda c: order.get(c.split()[0], 50))
    return Marking(level, tuple(controls), rel, flags, scheme.name)


def _control_order() -> dict[str, int]:
    cats = [["SI", "TK", "HCS", "G", "SI-G", "HCS-P"], ["SAR"], ["RESTRICTED", "FORMERLY", "CNWDI"], ["FGI"],
            ["RSEN", "FOUO", "ORCON", "ORCON-USGOV", "IMCON", "NOFORN", "PROPIN", "RELIDO"],
            ["LIMDIS", "EXDIS", "NODIS", "SBU", "LES", "LOU", "SSI", "CUI", "EFTO"]]
    return {c: i for i, cat in enumerate(cats) for c in cat}

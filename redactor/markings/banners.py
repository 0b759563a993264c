"""Banners: cable banners (`S E C R E T STATE 103113`) and banner lines (`SECRET//NOFORN`, `//GBR SECRET`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from redactor.markings.marking import (
    Marking,
    _in_scheme,
)
from redactor.markings.marks import (
    _US_LEVEL_TOKENS,
    _country,
    _marking,
    _read_controls,
)
from redactor.markings.schemes import (
    CONTROL_ALIASES,
    CUI,
    NATO,
    SCHEMES,
    TLP,
    UK,
    US,
    Scheme,
)


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
# A banner line on its own (`SECRET//NOFORN`, `//GBR SECRET`, `TLP:AMBER`): a candidate, read by _banner_line.
BANNER_LINE_RE = re.compile(r"^[ \t]*(?P<body>(?://[ \t]*)?[A-Za-z][A-Za-z0-9 :+,/\-]{0,150}?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Banner:
    marking: Marking
    text: str
    start: int
    end: int
    section: str = ""
    reference: str = ""  # "STATE 103113"


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
        spaced = (
            " " in raw_level.strip()
            and "UNCLAS" not in raw_level.upper()
            and "OFFICIAL" not in raw_level.upper()
            and "BUT" not in raw_level.upper()
        )
        # Plain words must be upper case or be letter-spaced: `Secret Service 123` is prose.
        if not spaced and raw_level != raw_level.upper():
            continue
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


def _banner_level(head: str, scheme: Scheme, abbreviated: bool) -> tuple[str, str, tuple[str, ...]] | None:
    """(scheme name, level, caveats) of a banner's first category, preferring the reading scheme."""
    if scheme is US and head in US.controlled_levels:  # `CUI//SP-PRVCY` in a US document
        return "us", "UNCLASSIFIED", (US.controlled_levels[head],)
    order = [scheme] + [s for s in (US, CUI, NATO, UK, TLP) if s is not scheme]
    for s in order:
        for lv in s.levels:
            # A banner spells its level out; an alias counts when it cannot be a plain word (`TLP:WHITE`,
            # `UNCLAS`), an abbreviation only before `//` (`S//NF`).
            if (
                head == lv.name
                or head in lv.aliases
                and (":" in head or head == "UNCLAS")
                or abbreviated
                and (head == lv.abbrev or head in lv.aliases)
            ):
                return s.name, lv.name, ()
        if head in s.caveated_levels:
            level, *caveats = s.caveated_levels[head]
            return s.name, level, tuple(caveats)
    if abbreviated and head in _US_LEVEL_TOKENS:
        return "us", _US_LEVEL_TOKENS[head], ()
    if head == "LIMITED OFFICIAL USE":
        return "us", "UNCLASSIFIED", ("LOU",)
    if head == "SENSITIVE BUT UNCLASSIFIED":
        return "us", "UNCLASSIFIED", ("SBU",)
    return None


def _banner_line(line: str, scheme: Scheme = US) -> Marking | None:
    """Read one line as a banner (`SECRET//NOFORN`, `TOP SECRET //NOFORN`, `secret//noforn`, `S//NF`,
    `//GBR SECRET`, `//JOINT SECRET GBR USA//NOFORN`, `//NATO SECRET`, `TLP:AMBER`); None when it is none."""
    s = re.sub(r"[ \t]*//[ \t]*", "//", line.strip())
    if not s or (s != s.upper() and "//" not in s):
        return None  # `Secret` alone in prose is a word, not a banner
    s = re.sub(r"[ \t]+", " ", s.upper())
    if s.startswith("//"):
        tokens = s[2:].split("//")
        head, rest = tokens[0], [t for cat in tokens[1:] for t in cat.split("/")]
        return _foreign_banner(head, rest, scheme)
    head, _, tail = s.partition("//")
    found = _banner_level(head, scheme, abbreviated=bool(tail))
    if found is None:
        return None
    name, level, caveats = found
    reader = SCHEMES[name]
    tokens = [t.strip() for cat in tail.split("//") for t in cat.split("/")] if tail else []
    ctl, rel, doubts = _read_controls(tokens, reader)
    if (
        tail
        and not ctl
        and not rel
        and doubts
        and all(d.startswith("unknown control") for d in doubts)
        and len(tokens) == len(doubts)
    ):
        return None  # `SECRET//WORDS` that name no control is not a banner we can read
    return _marking(level, [*caveats, *ctl], rel, doubts, name)


def _foreign_banner(head: str, rest: list[str], scheme: Scheme) -> Marking | None:
    words = head.split()
    if not words:
        return None
    if words[0] == "JOINT" and len(words) >= 3:
        for n in (2, 1):
            joint = " ".join(words[1 : 1 + n])
            owners = [_country(w) for w in words[1 + n :]]
            if joint in ("TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED") and owners and all(owners):
                ctl, rel, doubts = _read_controls(rest, US)
                # Joint information is releasable to its co-owners, unless it says NOFORN.
                rel = [] if "NOFORN" in ctl else rel + [o for o in owners if o]
                return _marking(joint, ctl, rel, doubts, "us")
        return None
    if head in (lv.name for lv in NATO.levels):
        ctl, rel, doubts = _read_controls(rest, NATO)
        m = _marking(head, ctl, rel, doubts, "nato")
        return m if scheme.name == "nato" else _in_scheme(m, US) if scheme.name == "us" else m
    country = _country(words[0]) if len(words) >= 2 else None
    if country:
        said = " ".join(words[1:])
        national = next((s for s in SCHEMES.values() if s.country == country), None)
        if national is not None and scheme is national:
            found = _banner_level(said, national, abbreviated=True)
            if found is None:
                return None
            _, own, caveats = found
            ctl, rel, doubts = _read_controls(rest, national)
            return _marking(own, [*caveats, *ctl], rel, doubts, national.name)
        level: str | None = (
            said
            if said in ("TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED")
            else US.foreign_equivalents.get(said)
        )
        if level is None and national is not None:
            lv = national.find(said)
            level = lv.us_equivalent if lv else None
        if level is None:
            return None
        ctl, rel, doubts = _read_controls(rest, US)
        return _marking(level, [f"FGI {country}", *ctl], rel, doubts, "us")
    return None


def find_capco_banner(text: str, start: int = 0, end: int | None = None, scheme: Scheme = US) -> Banner | None:
    """A banner line such as `SECRET//NOFORN` or `//GBR SECRET` standing alone on a line."""
    for m in BANNER_LINE_RE.finditer(text, start, len(text) if end is None else end):
        marking = _banner_line(m.group("body"), scheme)
        if marking is not None:
            return Banner(marking, m.group("body"), m.start("body"), m.end("body"))
    return None


def parse_banner(line: str, scheme: Scheme = US) -> Marking | None:
    """Read one banner line in any of the accepted forms; None when it is not a banner."""
    b = find_capco_banner(line, scheme=scheme) or find_cable_banner(line)
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

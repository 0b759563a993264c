"""Classification schemes, portion marks, banners and their roll-up.

A scheme is data: `redactor/schemes/<name>.yaml` holds its ordered levels with their portion abbreviations
and banner spellings, its controls (portion and banner forms, category, how they roll up) and how its foreign
portions are written. This module loads those files into `Scheme` objects and reads marks and banners
against them, following the CAPCO register (the ODNI ISM controlled-value lists) and the legacy State forms
(`(S/NF)`, `(C/REL LIBYA)`, `(SBU)`). Everything here is pure and fast after import: no I/O, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Level:
    name: str       # as spelled in a banner: "SECRET"
    abbrev: str     # as in a portion mark: "S"
    rank: float
    aliases: tuple[str, ...] = ()
    us_equivalent: str | None = None   # the US level this foreign level is protected as


@dataclass(frozen=True)
class Control:
    banner: str                 # banner form: "NOFORN"
    category: str               # sci | sap | aea | fgi | dissem | nonic | cui | legacy
    forms: tuple[str, ...]      # every spelling a mark may use: "NF", "NOFORN"
    unclassified_only: bool = False
    controlled: bool = False
    implies: tuple[str, ...] = ()
    beats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scheme:
    """An ordered set of levels and a register of controls. Portion marks and banners are read against it."""

    name: str
    levels: tuple[Level, ...]
    controlled_rank: float | None = None  # rank of controlled-unclassified information, if the scheme has it
    controls: tuple[Control, ...] = ()
    controlled_levels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    caveated_levels: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)
    foreign_equivalents: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    prefixed: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    category_order: tuple[str, ...] = ()
    country: str = ""          # the trigraph of a national scheme (uk: GBR)

    def __hash__(self) -> int:   # schemes are few and named uniquely; hashing every field would be slow
        return hash(self.name)

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

    def control(self, form: str) -> Control | None:
        return _control_index(self).get(form.strip().upper())

    def control_named(self, banner: str) -> Control | None:
        return next((c for c in self.controls if c.banner == banner), None)


@cache
def _control_index(scheme: Scheme) -> dict[str, Control]:
    return {form: c for c in scheme.controls for form in (*c.forms, c.banner)}


def _load(name: str) -> dict:
    return yaml.safe_load(resources.files("redactor").joinpath("schemes", f"{name}.yaml").read_text("utf-8"))


def load_scheme(name: str) -> Scheme:
    """Build a Scheme from its data file `redactor/schemes/<name>.yaml`."""
    data = _load(name)
    levels = tuple(Level(lv["name"], lv["abbrev"], float(lv["rank"]), tuple(lv.get("aliases", ())),
                         lv.get("us_equivalent")) for lv in data["levels"])
    controls = tuple(Control(c["banner"], c["category"], tuple(c.get("forms", ())),
                             bool(c.get("unclassified_only")), bool(c.get("controlled")),
                             tuple(c.get("implies", ())), tuple(c.get("beats", ()))) for c in data.get("controls", ()))
    return Scheme(data["name"], levels, data.get("controlled_rank"), controls,
                  dict(data.get("controlled_levels", {})),
                  {k: tuple(v) for k, v in data.get("caveated_levels", {}).items()},
                  dict(data.get("foreign_equivalents", {})), dict(data.get("prefixed", {})),
                  tuple(data.get("category_order", ())), data.get("country", ""))


# Every data file but the country list is a scheme: adding a scheme is adding a file.
SCHEMES: dict[str, Scheme] = {
    f.name[:-5]: load_scheme(f.name[:-5]) for f in sorted(resources.files("redactor").joinpath("schemes").iterdir(),
                                                          key=lambda f: f.name)
    if f.name.endswith(".yaml") and f.name != "countries.yaml"}
US, NATO, UK, TLP, CUI = (SCHEMES[n] for n in ("us", "nato", "uk", "tlp", "cui"))

_COUNTRIES = _load("countries")
TRIGRAPHS = frozenset(_COUNTRIES["trigraphs"].split())
TETRAGRAPHS = frozenset(_COUNTRIES["tetragraphs"].split())
COUNTRY_NAMES: dict[str, str] = dict(_COUNTRIES["names"])
COUNTRY_CODES = TRIGRAPHS | TETRAGRAPHS

# Names other modules use, derived from the US scheme's data.
CONTROL_ALIASES: dict[str, str] = {form: c.banner for c in US.controls for form in (*c.forms, c.banner)}
UNCLASSIFIED_ONLY = frozenset(c.banner for c in US.controls if c.unclassified_only)
CONTROLLED = frozenset(c.banner for c in US.controls if c.controlled)
SCI = frozenset(c.banner for c in US.controls if c.category == "sci")
ATOMIC = frozenset(c.banner for c in US.controls if c.category == "aea")
# Captions: handling words on a line of their own below a cable banner.
CAPTIONS = ("SIPDIS", "NOFORN", "SENSITIVE", "EXDIS", "NODIS", "LIMDIS", "STADIS", "CHEROKEE", "EFTO",
            "NOCONTRACT", "ORCON", "PROPIN", "SENSITIVE BUT UNCLASSIFIED", "FOR OFFICIAL USE ONLY")


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


def _in_scheme(marking: Marking, scheme: Scheme) -> Marking:
    """A marking of another scheme as the scheme reads it: a foreign level at its US equivalent, with FGI."""
    if marking.scheme == scheme.name or scheme.name != "us" or marking.scheme in ("us", "cui"):
        return marking
    other = SCHEMES.get(marking.scheme)
    lv = other.find(marking.level) if other else None
    if lv is None or lv.us_equivalent is None:
        return marking
    source = "NATO" if marking.scheme == "nato" else (other.country if other else "")
    fgi = f"FGI {source}".strip()
    return Marking(lv.us_equivalent, (fgi, *marking.controls), marking.rel_to, marking.flags, "us")


@cache
def _controlled(scheme: Scheme) -> frozenset[str]:
    return frozenset(c.banner for c in scheme.controls if c.controlled)


def rank(marking: Marking, scheme: Scheme = US) -> float:
    """Sensitivity of a marking: its level, raised to the controlled rank for SBU/FOUO-type controls."""
    marking = _in_scheme(marking, scheme)
    same = marking.scheme == scheme.name or (marking.scheme in ("us", "cui") and scheme.name in ("us", "cui"))
    lv = scheme.find(marking.level) if same else None
    r = lv.rank if lv else scheme.highest.rank
    if scheme.controlled_rank is not None and r < scheme.controlled_rank and \
            _controlled(scheme) & set(marking.controls):
        r = scheme.controlled_rank
    if "malformed" in marking.flags:
        r = max(r, scheme.highest.rank)
    return r


# ---------------------------------------------------------------------------------------------- marks
# The inside of a portion mark: letters, digits and the separators of the register. Long enough for a
# REL TO list of a dozen countries; case is judged by parse_mark, not here.
MARK_BODY = r"[ \t]?[A-Za-z/][A-Za-z0-9 /,+:\-]{0,158}"
MARK_RE = re.compile(r"\((" + MARK_BODY + r")\)")
_US_LEVEL_TOKENS = {"U": "UNCLASSIFIED", "C": "CONFIDENTIAL", "S": "SECRET", "TS": "TOP SECRET",
                    "UNCLASSIFIED": "UNCLASSIFIED", "UNCLAS": "UNCLASSIFIED", "CONFIDENTIAL": "CONFIDENTIAL",
                    "SECRET": "SECRET", "TOP SECRET": "TOP SECRET"}
_NATO_TOKENS = {**{lv.abbrev: lv.name for lv in NATO.levels}, **{lv.name: lv.name for lv in NATO.levels},
                "R": "NATO RESTRICTED"}
ENTIRE_TEXT_SUFFIX = re.compile(r"[ \t]*-+[ \t]*ENTIRE[ \t]+TEXT\.?$")


def _split_categories(body: str) -> list[str]:
    # `//` separates categories; State cables use a single `/` between level and control too.
    body = re.sub(r"\s*/\s*/\s*", "//", body.strip())
    out: list[str] = []
    for cat in body.split("//"):
        out.extend(t.strip() for t in cat.split("/"))
    return out


def _country(word: str) -> str | None:
    word = word.strip().upper()
    code = COUNTRY_NAMES.get(word, word)
    return code if code in COUNTRY_CODES else None


def _rel_countries(text: str) -> tuple[list[str], list[str]]:
    """The countries of a REL TO list and the words that are no country."""
    codes: list[str] = []
    unknown: list[str] = []
    for piece in (p.strip() for p in text.split(",")):
        if not piece:
            continue
        one = _country(piece)
        if one:
            codes.append(one)
            continue
        for word in piece.split():
            c = _country(word)
            codes.append(c or word)
            if not c:
                unknown.append(word)
    return codes, unknown


def _sci(tok: str, scheme: Scheme) -> bool:
    base = tok.split("-")[0]
    c = scheme.control(base)
    return c is not None and c.category == "sci" and bool(re.fullmatch(r"[A-Z]+(-[A-Z0-9]+)*", tok))


def _read_controls(tokens: list[str], scheme: Scheme = US) -> tuple[list[str], list[str], list[str]]:
    """Controls (banner form), REL TO countries and doubts from the tokens after the level."""
    controls: list[str] = []
    rel: list[str] = []
    doubts: list[str] = []
    queue = [t for t in tokens if t]
    while queue:
        tok = queue.pop(0)
        m = re.fullmatch(r"REL(?:\s+TO)?(?:\s+(?P<list>.+))?", tok)
        if m and tok.startswith("REL"):
            codes, unknown = _rel_countries(m.group("list") or "")
            if not codes:
                doubts.append("REL TO with no country")
            rel.extend(codes)
            doubts.extend(f"unknown country {u} in REL TO" for u in unknown)
            continue
        if tok == "N" and controls and controls[-1] in ("SBU", "LES"):
            controls[-1] += " NOFORN"
            continue
        fgi = re.fullmatch(r"FGI(?:\s+(?P<rest>.+))?", tok)
        if fgi:
            countries: list[str] = []
            words = (fgi.group("rest") or "").split()
            for k, word in enumerate(words):
                code = _country(word) if len(word) in (3, 4) else None
                if code:
                    countries.append(code)
                elif scheme.control(" ".join(words[k:])) or scheme.control(word):
                    # A missing delimiter: `FGI NOFORN` is FGI and NOFORN, never FGI of a country "NOFORN".
                    queue.insert(0, " ".join(words[k:]))
                    break
                else:
                    doubts.append(f"unknown country {word} in FGI")
            controls.append(" ".join(["FGI", *sorted(dict.fromkeys(countries))]))
            continue
        prefix = next((p for p in scheme.prefixed if tok.startswith(p) and len(tok) > len(p)), None)
        if prefix or _sci(tok, scheme):
            controls.append(tok)
            continue
        c = scheme.control(tok)
        if c is not None:
            controls.append(c.banner)
            continue
        words = tok.split()
        if len(words) > 1 and all(scheme.control(w) for w in words):   # `NOFORN ORCON`: a missing `/`
            controls.extend(c.banner for w in words if (c := scheme.control(w)) is not None)
            continue
        doubts.append(f"unknown control {tok}")
    return controls, rel, doubts


def _rel_list(countries: list[str]) -> tuple[str, ...]:
    seen = list(dict.fromkeys(COUNTRY_NAMES.get(c, c) for c in countries))
    if "USA" in seen:
        seen.remove("USA")
    return ("USA", *seen) if seen or countries else ()


def _level_tokens(scheme: Scheme) -> dict[str, str]:
    if scheme.name in ("us", "cui"):
        own = {lv.abbrev: lv.name for lv in scheme.levels} | {lv.name: lv.name for lv in scheme.levels}
        return {**_US_LEVEL_TOKENS, **own} if scheme.name == "us" else {**own, "UNCLAS": "UNCLASSIFIED"}
    out = {}
    for lv in scheme.levels:
        for key in (lv.name, lv.abbrev, *lv.aliases):
            out[key] = lv.name
    return out


def looks_like_mark(body: str, scheme: Scheme = US) -> bool:
    """Is `(body)` in the neighbourhood of the marking vocabulary (as opposed to an acronym in brackets)?

    `(S//NF)`, `(S/XYZ)`, `(//NS)`, `(NOFORN)` are; `(A)`, `(B)` (list labels), `(UN)`, `(NATO)` are not.
    """
    tokens = _split_categories(body)
    if not tokens or (len(tokens) == 1 and not tokens[0]):
        return False
    first = tokens[0]
    if body.startswith("//") or "/" in body:
        return True
    levels = _level_tokens(scheme)
    if first in levels or first in scheme.controlled_levels or first in scheme.caveated_levels:
        return True
    if first in _NATO_TOKENS or first.startswith("TLP:"):
        return True
    if " " in first and first.split()[0] in levels:   # `(S NF)`, `(SECRET REL CANADA)`
        return True
    return len(first) >= 3 and scheme.control(first) is not None and first not in ("NATO",)


def _case(raw: str, scheme: Scheme, fold_case: bool) -> str | None:
    """The body in upper case when its case allows it to be a mark, else None.

    Upper case is a mark; a mixed-case body is one when its level is written in capitals
    (`(S/Rel to Canada)`); an all lower-case body (`(s)`, `(u)`) only where a mark is expected (`fold_case`),
    because elsewhere `(c)` and `(d)` are letters of a reason or a list.
    """
    if raw == raw.upper():
        return raw
    first = re.split(r"[/ ]", raw.strip(), maxsplit=1)[0]
    if first and first == first.upper() and first in _level_tokens(scheme):
        return raw.upper()
    return raw.upper() if fold_case else None


def parse_mark(text: str, scheme: Scheme = US, *, fold_case: bool = False) -> Marking | None:
    """Read a portion mark such as `(S//NF)`, `(C/REL LIBYA)`, `(SBU)`, `(//NS)`, `(TLP:GREEN)`.

    Returns None when the text is not a mark at all (`(U.S.-EU)`, `(c)`, `(Iran)`, `(UN)`); `fold_case`
    accepts lower-case marks (`(s)`) where a portion starts. A mark from the vocabulary's neighbourhood that
    does not parse is read as the scheme's highest level and flagged `malformed`: fail closed.
    """
    return _parse_mark(text.strip(), scheme, fold_case)


@lru_cache(maxsize=8192)
def _parse_mark(text: str, scheme: Scheme, fold_case: bool) -> Marking | None:
    m = MARK_RE.fullmatch(text)
    if not m:
        return None
    body = _case(m.group(1).strip(), scheme, fold_case)
    if body is None:
        return None
    body = ENTIRE_TEXT_SUFFIX.sub("", body)
    body = re.sub(r"\b(SBU|LES)\s*[/ -]\s*(?:NOFORN|NF|N)\b", r"\1-NF", body)
    if scheme is not US and not looks_like_mark(body, scheme) and looks_like_mark(body, US):
        # A US mark in a document of another scheme is a mark all the same (never text to inherit a level);
        # the engine withholds it, as no level of this scheme.
        return _read_body(body, US)
    if not looks_like_mark(body, scheme):
        return None
    marking = _read_body(body, scheme)
    if scheme is not US and "malformed" in marking.flags:
        us = _read_body(body, US)
        if "malformed" not in us.flags:
            return us
    return marking


def _malformed(scheme: Scheme, body: str) -> Marking:
    return Marking(scheme.highest.name, (), (), ("malformed", f"unrecognised mark ({body})"), scheme.name)


def _marking(level: str, controls: list[str], rel: list[str], doubts: list[str], scheme: str) -> Marking:
    # A country we do not know in a REL TO list is noted; it cannot widen a release, only fail to match.
    serious = [d for d in doubts if not (d.startswith("unknown country") and d.endswith("in REL TO"))]
    flags = ("malformed", *doubts) if serious else tuple(doubts)
    return Marking(level, tuple(dict.fromkeys(controls)), _rel_list(rel), flags, scheme)


def _read_body(body: str, scheme: Scheme) -> Marking:
    tokens = _split_categories(body)
    if tokens and tokens[0] == "" and len(tokens) > 1:
        return _read_foreign(tokens[1], tokens[2:], scheme, body)
    first, rest = tokens[0], tokens[1:]
    levels = _level_tokens(scheme)
    if " " in first and first not in levels and first not in scheme.controlled_levels \
            and first not in scheme.caveated_levels and first.split()[0] in levels:
        # `(SECRET REL CANADA)` is a level and a REL list; `(S NF)` is a mark written wrong.
        if not first.split(None, 1)[1].startswith("REL"):
            return _malformed(scheme, body)
        first, rest = first.split()[0], [first.split(None, 1)[1], *rest]
    controls: list[str] = []
    if first in levels:
        level = levels[first]
    elif first in scheme.controlled_levels:
        level = scheme.lowest.name
        controls.append(scheme.controlled_levels[first])
    elif first in scheme.caveated_levels:
        level, *caveats = scheme.caveated_levels[first]
        controls.extend(caveats)
    elif first in _NATO_TOKENS and scheme.name != "nato":
        # `(NR)`, `(NS)` and `(R)` (a RESTRICTED portion, NATO's unless said otherwise) are NATO marks.
        ctl, rel, doubts = _read_controls(rest, NATO)
        return _marking(_NATO_TOKENS[first], ctl, rel, doubts, "nato")
    else:
        return _malformed(scheme, body)
    ctl, rel, doubts = _read_controls(rest, scheme)
    return _marking(level, controls + ctl, rel, doubts, scheme.name)


def _read_foreign(head: str, rest: list[str], scheme: Scheme, body: str) -> Marking:
    """`(//NS)`, `(//GBR S)`, `(//JOINT S GBR USA)`: a non-US portion."""
    if head in _NATO_TOKENS or head.startswith("NATO "):
        level = _NATO_TOKENS.get(head) or _NATO_TOKENS.get(head[5:].strip())
        if level is None and head in ("NATO RESTRICTED", "NATO UNCLASSIFIED"):
            level = head
        if level is None:
            return _malformed(scheme, body)
        ctl, rel, doubts = _read_controls(rest, NATO)
        return _marking(level, ctl, rel, doubts, "nato")
    words = head.split()
    if words and words[0] == "JOINT":
        owners = [w for w in words[2:] if _country(w)]
        level = _US_LEVEL_TOKENS.get(words[1]) if len(words) > 1 else None
        if level is None or len(owners) < 2 or len(owners) != len(words) - 2:
            return _malformed(scheme, body)
        ctl, rel, doubts = _read_controls(rest, US)
        # Joint information is releasable to its co-owners.
        return _marking(level, ctl, rel + owners, doubts, "us")
    if len(words) >= 2 and _country(words[0]):
        country, said = _country(words[0]), " ".join(words[1:])
        national = next((s for s in SCHEMES.values() if s.country == country), None)
        if national is not None and (scheme is national):
            lv = national.find(said) or (national.find(national.caveated_levels[said][0])
                                         if said in national.caveated_levels else None)
            if lv is None:
                return _malformed(scheme, body)
            ctl, rel, doubts = _read_controls(rest, national)
            caveats = list(national.caveated_levels.get(said, ())[1:])
            return _marking(lv.name, caveats + ctl, rel, doubts, national.name)
        level = _US_LEVEL_TOKENS.get(said) or US.foreign_equivalents.get(said)
        if national is not None and level is None:
            lv = national.find(said) or (national.find(national.caveated_levels[said][0])
                                         if said in national.caveated_levels else None)
            level = lv.us_equivalent if lv else None
        if level is None:
            return _malformed(scheme, body)
        ctl, rel, doubts = _read_controls(rest, US)
        return _marking(level, [f"FGI {country}", *ctl], rel, doubts, "us")
    return _malformed(scheme, body)


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
# A banner line on its own (`SECRET//NOFORN`, `//GBR SECRET`, `TLP:AMBER`): a candidate, read by _banner_line.
BANNER_LINE_RE = re.compile(r"^[ \t]*(?P<body>(?://[ \t]*)?[A-Za-z][A-Za-z0-9 :+,/\-]{0,150}?)[ \t]*$",
                            re.MULTILINE)


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
    if scheme is US and head in US.controlled_levels:     # `CUI//SP-PRVCY` in a US document
        return "us", "UNCLASSIFIED", (US.controlled_levels[head],)
    order = [scheme] + [s for s in (US, CUI, NATO, UK, TLP) if s is not scheme]
    for s in order:
        for lv in s.levels:
            # A banner spells its level out; an alias counts when it cannot be a plain word (`TLP:WHITE`,
            # `UNCLAS`), an abbreviation only before `//` (`S//NF`).
            if head == lv.name or head in lv.aliases and (":" in head or head == "UNCLAS") \
                    or abbreviated and (head == lv.abbrev or head in lv.aliases):
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
        return None   # `Secret` alone in prose is a word, not a banner
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
    if tail and not ctl and not rel and doubts and all(d.startswith("unknown control") for d in doubts) \
            and len(tokens) == len(doubts):
        return None   # `SECRET//WORDS` that name no control is not a banner we can read
    return _marking(level, [*caveats, *ctl], rel, doubts, name)


def _foreign_banner(head: str, rest: list[str], scheme: Scheme) -> Marking | None:
    words = head.split()
    if not words:
        return None
    if words[0] == "JOINT" and len(words) >= 3:
        for n in (2, 1):
            joint = " ".join(words[1:1 + n])
            owners = [_country(w) for w in words[1 + n:]]
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
        level: str | None = said if said in ("TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED") else \
            US.foreign_equivalents.get(said)
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


# ------------------------------------------------------------------------------------------- roll-up
def rollup(markings: list[Marking], scheme: Scheme = US) -> Marking:
    """The overall marking of several portions (domain.md §2): highest level, lattice of controls.

    Markings of another scheme are first read as this scheme reads them (a NATO portion in a US document is
    its US equivalent with FGI NATO), so the highest level wins whatever scheme wrote it.
    """
    if not markings:
        return Marking(scheme.lowest.name, scheme=scheme.name)
    markings = [_in_scheme(m, scheme) for m in markings]
    top = max(markings, key=lambda m: rank(Marking(m.level, scheme=m.scheme), scheme))
    level = top.level
    lv = scheme.find(level)
    classified = lv is not None and lv.rank > scheme.lowest.rank
    flags = tuple(dict.fromkeys(f for m in markings for f in m.flags))
    controls: list[str] = []
    for m in markings:
        controls.extend(c for c in m.controls if c not in controls)
    info = {c: ctl for c in controls if (ctl := scheme.control_named(c)) is not None}
    implied = {i for c in controls if c in info for i in info[c].implies}
    noforn = "NOFORN" in controls or "NOFORN" in implied
    # REL TO lists intersect; a portion with neither REL TO nor NOFORN is releasable to no foreign
    # country by default, which the roll-up shows as NOFORN once any portion is classified.
    rel_sets = [set(m.rel_to) for m in markings if m.rel_to]
    rel: tuple[str, ...] = ()
    controlled = {c.banner for c in scheme.controls if c.controlled}
    if rel_sets and not noforn:
        unmarked_foreign = [m for m in markings if not m.rel_to and rank(m, scheme) > scheme.lowest.rank
                            and not (controlled & set(m.controls))]
        common = set.intersection(*rel_sets)
        if unmarked_foreign or common <= {"USA"}:
            noforn = True
        else:
            rel = _rel_list(sorted(common))
    for c in list(controls):
        for beaten in (info[c].beats if c in info else ()):
            if beaten in controls:
                controls.remove(beaten)
    if classified:
        # In a classified banner a control that carries others is replaced by them (LES NOFORN -> LES, NOFORN).
        controls = [i for c in controls for i in ((info[c].implies or (c,)) if c in info else (c,))]
        unclassified_only = {c.banner for c in scheme.controls if c.unclassified_only}
        controls = [c for c in controls if c not in unclassified_only]
        if noforn:
            controls = [c for c in controls if c != "NOFORN"] + ["NOFORN"]
            rel = ()
    controls = _merge_fgi(list(dict.fromkeys(controls)))
    order = {cat: i for i, cat in enumerate(scheme.category_order)}
    position = {c.banner: k for k, c in enumerate(scheme.controls)}

    def key(c: str) -> tuple[int, int]:
        ctl = scheme.control_named(c) or scheme.control(c.split("-")[0]) or scheme.control(c.split()[0])
        cat = ctl.category if ctl else next((v for p, v in scheme.prefixed.items() if c.startswith(p)), "")
        return order.get(cat, 50), position.get(ctl.banner, 0) if ctl else 0

    controls = sorted(controls, key=key)
    return Marking(level, tuple(controls), rel, flags, scheme.name)


def _merge_fgi(controls: list[str]) -> list[str]:
    """FGI is the union of its countries, or bare FGI when any source is concealed."""
    fgi = [c for c in controls if c == "FGI" or c.startswith("FGI ")]
    if len(fgi) <= 1:
        return controls
    countries = sorted({w for c in fgi for w in c.split()[1:]})
    merged = "FGI" if "FGI" in fgi else " ".join(["FGI", *countries])
    out = [c for c in controls if c not in fgi]
    out.insert(controls.index(fgi[0]), merged)
    return out

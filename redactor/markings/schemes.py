"""Schemes as data: `redactor/schemes/<name>.yaml` loaded into typed models (levels, controls, countries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Level:
    name: str  # as spelled in a banner: "SECRET"
    abbrev: str  # as in a portion mark: "S"
    rank: float
    aliases: tuple[str, ...] = ()
    us_equivalent: str | None = None  # the US level this foreign level is protected as


@dataclass(frozen=True)
class Control:
    banner: str  # banner form: "NOFORN"
    category: str  # sci | sap | aea | fgi | dissem | nonic | cui | legacy
    forms: tuple[str, ...]  # every spelling a mark may use: "NF", "NOFORN"
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
    country: str = ""  # the trigraph of a national scheme (uk: GBR)

    def __hash__(self) -> int:  # schemes are few and named uniquely; hashing every field would be slow
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
    levels = tuple(
        Level(lv["name"], lv["abbrev"], float(lv["rank"]), tuple(lv.get("aliases", ())), lv.get("us_equivalent"))
        for lv in data["levels"]
    )
    controls = tuple(
        Control(
            c["banner"],
            c["category"],
            tuple(c.get("forms", ())),
            bool(c.get("unclassified_only")),
            bool(c.get("controlled")),
            tuple(c.get("implies", ())),
            tuple(c.get("beats", ())),
        )
        for c in data.get("controls", ())
    )
    return Scheme(
        data["name"],
        levels,
        data.get("controlled_rank"),
        controls,
        dict(data.get("controlled_levels", {})),
        {k: tuple(v) for k, v in data.get("caveated_levels", {}).items()},
        dict(data.get("foreign_equivalents", {})),
        dict(data.get("prefixed", {})),
        tuple(data.get("category_order", ())),
        data.get("country", ""),
    )


# Every data file but the country list is a scheme: adding a scheme is adding a file.
SCHEMES: dict[str, Scheme] = {
    f.name[:-5]: load_scheme(f.name[:-5])
    for f in sorted(resources.files("redactor").joinpath("schemes").iterdir(), key=lambda f: f.name)
    if f.name.endswith(".yaml") and f.name != "countries.yaml"
}
US, NATO, UK, TLP, CUI = (SCHEMES[n] for n in ("us", "nato", "uk", "tlp", "cui"))

_COUNTRIES = _load("countries")
TRIGRAPHS = frozenset(_COUNTRIES["trigraphs"].split())
TETRAGRAPHS = frozenset(_COUNTRIES["tetragraphs"].split())
COUNTRY_NAMES: dict[str, str] = dict(_COUNTRIES["names"])
COUNTRY_CODES = TRIGRAPHS | TETRAGRAPHS
TETRAGRAPH_MEMBERS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in _COUNTRIES["members"].items()}


def rel_countries(rel_to: tuple[str, ...] | list[str] | set[str]) -> frozenset[str]:
    """The countries a REL TO list names: a country-list tetragraph (FVEY, ACGU, TEYE) as its members; any other
    code (a trigraph, or an organisation such as NATO) as itself."""
    return frozenset(c for code in rel_to for c in TETRAGRAPH_MEMBERS.get(code, {code}))


# Names other modules use, derived from the US scheme's data.
CONTROL_ALIASES: dict[str, str] = {form: c.banner for c in US.controls for form in (*c.forms, c.banner)}
UNCLASSIFIED_ONLY = frozenset(c.banner for c in US.controls if c.unclassified_only)
CONTROLLED = frozenset(c.banner for c in US.controls if c.controlled)
SCI = frozenset(c.banner for c in US.controls if c.category == "sci")
ATOMIC = frozenset(c.banner for c in US.controls if c.category == "aea")
# Captions: handling words on a line of their own below a cable banner.
CAPTIONS = (
    "SIPDIS",
    "NOFORN",
    "SENSITIVE",
    "EXDIS",
    "NODIS",
    "LIMDIS",
    "STADIS",
    "CHEROKEE",
    "EFTO",
    "NOCONTRACT",
    "ORCON",
    "PROPIN",
    "SENSITIVE BUT UNCLASSIFIED",
    "FOR OFFICIAL USE ONLY",
)

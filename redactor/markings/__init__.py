"""Classification schemes, portion marks, banners and their roll-up.

A scheme is data: `redactor/schemes/<name>.yaml` holds its ordered levels with their portion abbreviations
and banner spellings, its controls (portion and banner forms, category, how they roll up) and how its foreign
portions are written. This module loads those files into `Scheme` objects and reads marks and banners
against them, following the CAPCO register (the ODNI ISM controlled-value lists) and the legacy State forms
(`(S/NF)`, `(C/REL LIBYA)`, `(SBU)`). Everything here is pure and fast after import: no I/O, no model.

The package: `schemes.py` loads the data files, `marking.py` is the Marking and its rank, `marks.py` reads portion
marks (`damaged.py` damaged ones inside a line), `banners.py` banners, `rollup.py` the overall marking. Every
name other modules used from the single module `redactor.markings` is still importable from it.
"""

from __future__ import annotations

from redactor.markings.banners import (
    BANNER_LINE_RE,
    CABLE_BANNER_RE,
    Banner,
    caption_control,
    find_cable_banner,
    find_capco_banner,
    parse_banner,
)
from redactor.markings.damaged import read_damaged
from redactor.markings.marking import (
    Marking,
    rank,
)
from redactor.markings.marks import (
    ENTIRE_TEXT_SUFFIX,
    MARK_BODY,
    MARK_RE,
    _parse_mark,
    _read_controls,
    _split_categories,
    looks_like_mark,
    parse_mark,
)
from redactor.markings.rollup import (
    control_order,
    rollup,
)
from redactor.markings.schemes import (
    ATOMIC,
    CAPTIONS,
    CONTROL_ALIASES,
    CONTROLLED,
    COUNTRY_CODES,
    COUNTRY_NAMES,
    CUI,
    NATO,
    SCHEMES,
    SCI,
    TETRAGRAPH_MEMBERS,
    TETRAGRAPHS,
    TLP,
    TRIGRAPHS,
    UK,
    UNCLASSIFIED_ONLY,
    US,
    Control,
    Level,
    Scheme,
    load_scheme,
    rel_countries,
)

__all__ = [
    "CUI",
    "NATO",
    "TLP",
    "UK",
    "US",
    "Level",
    "Control",
    "Scheme",
    "load_scheme",
    "SCHEMES",
    "TRIGRAPHS",
    "TETRAGRAPHS",
    "TETRAGRAPH_MEMBERS",
    "rel_countries",
    "COUNTRY_NAMES",
    "COUNTRY_CODES",
    "CONTROL_ALIASES",
    "UNCLASSIFIED_ONLY",
    "CONTROLLED",
    "SCI",
    "ATOMIC",
    "CAPTIONS",
    "Marking",
    "rank",
    "MARK_BODY",
    "MARK_RE",
    "ENTIRE_TEXT_SUFFIX",
    "_split_categories",
    "_read_controls",
    "looks_like_mark",
    "parse_mark",
    "_parse_mark",
    "read_damaged",
    "CABLE_BANNER_RE",
    "BANNER_LINE_RE",
    "Banner",
    "find_cable_banner",
    "find_capco_banner",
    "parse_banner",
    "caption_control",
    "rollup",
    "control_order",
]

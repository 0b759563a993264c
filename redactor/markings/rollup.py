"""The overall marking of several portions: highest level, lattice of controls (domain.md §2)."""

from __future__ import annotations

from collections.abc import Callable

from redactor.markings.marking import (
    Marking,
    _in_scheme,
    rank,
)
from redactor.markings.marks import (
    _rel_list,
)
from redactor.markings.schemes import (
    US,
    Scheme,
    rel_countries,
)


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
    # A country-list tetragraph (FVEY) is intersected as its members; a list equal to the common set is kept as
    # written (`REL TO USA, FVEY` rolls up as itself).
    rel_sets = [set(rel_countries(m.rel_to)) for m in markings if m.rel_to]
    rel: tuple[str, ...] = ()
    controlled = {c.banner for c in scheme.controls if c.controlled}
    if rel_sets and not noforn:
        unmarked_foreign = [
            m
            for m in markings
            if not m.rel_to and rank(m, scheme) > scheme.lowest.rank and not (controlled & set(m.controls))
        ]
        common = set.intersection(*rel_sets)
        if unmarked_foreign or common <= {"USA"}:
            noforn = True
        else:
            written = [m.rel_to for m in markings if m.rel_to and rel_countries(m.rel_to) == common]
            rel = written[0] if written else _rel_list(sorted(common))
    for c in list(controls):
        for beaten in info[c].beats if c in info else ():
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
    controls = sorted(controls, key=control_order(scheme))
    return Marking(level, tuple(controls), rel, flags, scheme.name)


def control_order(scheme: Scheme) -> Callable[[str], tuple[int, int]]:
    """A sort key putting controls in the scheme's category order (SCI, SAP, AEA, FGI, dissemination...)."""
    order = {cat: i for i, cat in enumerate(scheme.category_order)}
    position = {c.banner: k for k, c in enumerate(scheme.controls)}

    def key(c: str) -> tuple[int, int]:
        ctl = scheme.control_named(c) or scheme.control(c.split("-")[0]) or scheme.control(c.split()[0])
        cat = ctl.category if ctl else next((v for p, v in scheme.prefixed.items() if c.startswith(p)), "")
        return order.get(cat, 50), position.get(ctl.banner, 0) if ctl else 0

    return key


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

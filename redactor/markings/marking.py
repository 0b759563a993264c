"""What a mark or banner says (a Marking), and how sensitive it is in a scheme (rank)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from redactor.markings.schemes import (
    SCHEMES,
    US,
    Scheme,
)


@dataclass(frozen=True)
class Marking:
    """What a mark or banner says: a level of a scheme and the controls, in banner form."""

    level: str
    controls: tuple[str, ...] = ()
    rel_to: tuple[str, ...] = ()  # countries of REL TO, USA first when present
    flags: tuple[str, ...] = ()  # doubts: "malformed", "unknown control XYZ"
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
    if (
        scheme.controlled_rank is not None
        and r < scheme.controlled_rank
        and _controlled(scheme) & set(marking.controls)
    ):
        r = scheme.controlled_rank
    if "malformed" in marking.flags:
        r = max(r, scheme.highest.rank)
    return r

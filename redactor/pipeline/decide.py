"""Decide: a portion and the policy's rules -> release or withhold, with the codes and the reason.

A pure function: it reads the portion, the rules (policy, scheme, the document's declassification line and
reasons, the release date) and two facts found elsewhere (the hidden-text kinds the portion holds and the OCR
confidence of its mark); it changes none of them, and the same inputs give the same Decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from redactor.markings import ATOMIC, CONTROLLED, SCI, Marking, Scheme, rel_countries
from redactor.policy import Policy
from redactor.release import Decl, Document, Portion

# What each control means for an audience when the policy does not say (fail closed: unknown controls
# withhold).
AUDIENCE_CONTROLS: dict[str, dict[str, str]] = {
    "public": {"EFTO": "release", "LIMDIS": "release", "EXDIS": "release"},
    "us": {
        "NOFORN": "release",
        "REL TO": "release",
        "SBU": "release",
        "FOUO": "release",
        "LES": "release",
        "LOU": "release",
        "LIMDIS": "release",
        "EXDIS": "release",
        "PROPIN": "release",
        "EFTO": "release",
        "SBU NOFORN": "release",
        "LES NOFORN": "release",
        "CUI": "release",
        "FGI": "release",
        "SSI": "release",
        "RELIDO": "release",
    },
    "foreign": {"EFTO": "release", "LIMDIS": "release", "RELIDO": "release"},
}
# A portion mark OCR read with less confidence than this (Tesseract's 0-100) is not trusted: withhold, flag.
MARK_CONFIDENCE = 60.0


class Decision(BaseModel):
    """The decision on one portion: the machine's, or a reviewer's (redactor.review) in its place."""

    model_config = ConfigDict(frozen=True)

    decision: str  # release | withhold
    codes: list[str]
    reason: str
    flags: list[str] = Field(default_factory=list)
    declassified: bool = False  # released because its declassify-on date has passed
    proposed_by: str = "machine"
    reviewer: str | None = None
    justification: str | None = None
    authority: str | None = None
    machine: dict[str, Any] | None = None  # what the machine proposed, when a reviewer overrode it


@dataclass(frozen=True)
class Rules:
    """What a decision depends on besides the portion: the policy, its scheme and the document's dates."""

    policy: Policy
    scheme: Scheme
    decl: Decl
    reasons: tuple[str, ...]
    release_date: str

    @classmethod
    def of(cls, policy: Policy, doc: Document, release_date: str | None) -> Rules:
        return cls(policy, policy.scheme_obj, doc.decl, tuple(doc.reasons), release_date or "")


def state_style(reason: str) -> str:
    """`1.4(d)` -> `1.4(D)`, the way State's releases print reasons beside B1."""
    return reason.upper()


def decide(
    portion: Portion, rules: Rules, *, hidden: Sequence[str] = (), mark_confidence: float | None = None
) -> Decision:
    """The policy's decision on a portion's marks, then the hidden-text rule: a portion that holds text the
    page does not show (`hidden`: its kinds) is withheld, its own codes (`codes.hidden`) added to any it has."""
    d = decide_marks(portion, rules, mark_confidence)
    if not hidden:
        return d
    what = ", ".join(hidden)
    flag = f"holds hidden text ({what}): it is never released"
    codes = list(dict.fromkeys(d.codes + list(rules.policy.codes.hidden)))
    if d.decision == "release":
        reason = (
            f"holds text the page does not show ({what}); hidden text is never released (its marks aside: {d.reason})"
        )
    else:
        reason = f"{d.reason}; it also holds text the page does not show ({what})"
    return Decision(decision="withhold", codes=codes, reason=reason, flags=[*d.flags, flag])


def decide_marks(p: Portion, rules: Rules, mark_confidence: float | None = None) -> Decision:
    """The decision the portion's marks alone call for."""
    pol, scheme = rules.policy, rules.scheme
    marking, basis = p.marking, p.basis
    if marking is None:
        default = pol.unmarked_default or scheme.highest.name
        marking = Marking(default, scheme=scheme.name)
        basis = f"no marking in the document: the policy's default {default}"
    flags = list(p.flags)
    if p.mark and mark_confidence is not None and mark_confidence < MARK_CONFIDENCE:
        doubt = f"mark {p.mark} read by OCR with low confidence ({mark_confidence:.0f}%)"
        return _withhold(classified_codes(rules), doubt, [*flags, f"{doubt}: check the page"])
    level = scheme.find(marking.level)
    if level is None or (marking.scheme != scheme.name and scheme.name != "us" and marking.scheme != "us"):
        reason = f"marked {marking.level}, which is not a level of the {scheme.name} scheme"
        return _withhold(list(pol.codes.classified), reason, flags)
    if "malformed" in marking.flags:
        return _withhold(classified_codes(rules), f"unrecognised marking {p.mark}, read as {marking.level}", flags)
    what = f"marked {marking.banner}" if p.source == "explicit" else basis
    declassified = False
    if level.rank > scheme.level(pol.level).rank:
        if not declassified_by_date(marking, rules):
            if eligible(marking, rules):
                flags.append(f"eligible for declassification: declassify-on date {rules.decl.date} has passed")
            codes = (
                classified_codes(rules)
                if p.source == "explicit"
                else list(dict.fromkeys(pol.codes.unmarked + reason_codes(rules)))
            )
            return _withhold(codes, f"{what}, above the release level {pol.level}", flags)
        declassified = True
        flags.append(f"declassify-on date {rules.decl.date} has passed")
    barred = controls_barred(marking, rules)
    if barred:
        control, why = barred
        codes = list(pol.codes.controlled if control in CONTROLLED else pol.codes.dissemination)
        if control not in CONTROLLED and level.rank > scheme.lowest.rank:
            codes = list(dict.fromkeys(codes + reason_codes(rules)))
        return _withhold(codes, f"{what}: {why}", flags)
    if declassified:
        reason = f"{what}, declassified on {rules.decl.date} (the policy releases on a passed declassify-on date)"
        return Decision(decision="release", codes=[], reason=reason, flags=flags, declassified=True)
    reason = f"{what}, at or below the release level {pol.level}"
    return Decision(decision="release", codes=[], reason=reason, flags=flags)


def _withhold(codes: list[str], reason: str, flags: list[str]) -> Decision:
    return Decision(decision="withhold", codes=codes, reason=reason, flags=flags)


def classified_codes(rules: Rules) -> list[str]:
    return list(dict.fromkeys(rules.policy.codes.classified + reason_codes(rules)))


def reason_codes(rules: Rules) -> list[str]:
    if not rules.policy.codes.add_reasons:
        return []
    return [state_style(r) for r in rules.reasons]


def controls_barred(marking: Marking, rules: Rules) -> tuple[str, str] | None:
    """The first control that bars release to this audience, and why."""
    pol = rules.policy
    audience = pol.audience
    key = audience if audience in ("public", "us") else "foreign"
    table = {**AUDIENCE_CONTROLS[key], **pol.controls}
    who = {"public": "the public", "us": "cleared US readers"}.get(audience, f"audience {audience}")
    for c in marking.controls:
        name = "SCI" if c in SCI or c.startswith(("SI-", "TK-", "HCS-")) else c
        name = "SAR" if c.startswith("SAR-") else name
        name = "FGI" if c.startswith("FGI") else name
        rule = table.get(c, table.get(name, "withhold"))
        if c in ATOMIC:
            rule = pol.controls.get(c, "withhold")
        if rule != "release":
            kind = "controlled unclassified" if c in CONTROLLED else "dissemination control"
            return c, f"{c} ({kind}) is not releasable to {who}"
    if marking.rel_to:
        if key == "foreign":
            if audience not in rel_countries(marking.rel_to):  # FVEY is its five members; NATO no country
                return "REL TO", f"REL TO {', '.join(marking.rel_to)} does not include {audience}"
        elif table.get("REL TO", "withhold") != "release":
            return "REL TO", f"REL TO {', '.join(marking.rel_to)} is not releasable to {who}"
    elif key == "foreign":
        lv = rules.scheme.find(marking.level)
        if lv is not None and lv.rank > rules.scheme.lowest.rank and pol.controls.get("NO REL TO") != "release":
            return "NOFORN", f"classified with no REL TO {audience}: not releasable to {who}"
    return None


def eligible(marking: Marking, rules: Rules) -> bool:
    """Whether the document's declassify-on date has passed for this marking (never for atomic or FGI)."""
    decl = rules.decl
    if decl.kind != "date" or not decl.date or not rules.release_date:
        return False
    if set(marking.controls) & ATOMIC or any(c.startswith("FGI") for c in marking.controls):
        return False
    if marking.scheme != "us":
        return False
    return decl.date < rules.release_date


def declassified_by_date(marking: Marking, rules: Rules) -> bool:
    return rules.policy.declassify_on_passed == "release" and eligible(marking, rules)

"""What detection returns: spans of released text with their entity type, score and source."""

from __future__ import annotations

from dataclasses import dataclass, field

SAME_PERSON = "same person"


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    entity_type: str
    score: float
    source: str = "model"   # model | title | given-name | speaker | addressee | signature | tags | propagated | ...
    # The role that makes this person an official acting in that office (`Ambassador`, `signer`), or "".
    # Keyword-only, so that subclasses (review.Masked) keep their positional fields.
    official: str = field(default="", kw_only=True)


def _merge(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings become one span (the union), keeping the highest score and its type. The union is
    an official's name only when every part of it is."""
    findings = sorted(findings, key=lambda f: (f.start, -f.end))
    out: list[Finding] = []
    for f in findings:
        if out and f.start < out[-1].end:
            last = out[-1]
            best = last if last.score >= f.score else f
            official = _official(last.official, f.official)
            out[-1] = Finding(last.start, max(last.end, f.end), best.entity_type, best.score, best.source,
                              official=official)
        else:
            out.append(f)
    return out


def _official(a: str, b: str) -> str:
    """A role stated beside the name wins; "same person" holds only when both parts are an official's."""
    for role in (a, b):
        if role and role != SAME_PERSON:
            return role
    return SAME_PERSON if a and b else ""

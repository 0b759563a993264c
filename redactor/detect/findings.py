"""What detection returns: spans of released text with their entity type, score and source."""

from __future__ import annotations

from dataclasses import dataclass, field

SAME_PERSON = "same person"
# The sources of a list's lines (`recognizers/name_list.py`): a private list's and an elected body's.
LIST_SOURCES = frozenset({"name-list", "elected-list"})


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    entity_type: str
    score: float
    source: str = "model"  # model | title | given-name | speaker | addressee | signature | tags | propagated | ...
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
            same_span = (f.start, f.end) == (last.start, last.end)  # the same mention found twice
            official = _official(last.official, f.official, same_span)
            out[-1] = Finding(
                last.start, max(last.end, f.end), best.entity_type, best.score, best.source, official=official
            )
        else:
            out.append(f)
    return out


def _official(a: str, b: str, same_span: bool) -> str:
    """The union of two spans is an official's name only when both are (`McMullen Sara Mangiaracina` is not:
    a private person's name in it keeps it masked). The same span found twice is an official's when either
    find states a role beside it. A stated role wins over "same person"."""
    if not (a and b) and not same_span:
        return ""
    roles = [r for r in (a, b) if r]
    return next((r for r in roles if r != SAME_PERSON), roles[0] if roles else "")

"""Detect: the released texts (portion bodies, header fields) and the entity findings in each.

Only released text is read: nothing withheld (a withheld signature, a withheld TAGS line) can seed what is
masked or released in it. Every finding belongs to an Owner, whose key makes the span ids of a review file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from redactor.detect import Detector, Finding
from redactor.policy import Policy
from redactor.release import HIDDEN_FIELDS, Document, HeaderField, Portion, ReleasedName

DETECTED_FIELDS = frozenset({"classified_by", "ref", "tags"})
# Fields of codes: searched only for names found elsewhere (TAGS name VIPs: `OVIP RICE CONDOLEEZZA`).
CODE_FIELDS = frozenset({"tags"})


@dataclass(frozen=True)
class Owner:
    """A piece of released text findings belong to: a portion, or a header field."""

    key: str  # `p7`, or the field's name (`ref`, `ref2` for a second REF line)
    portion: str | None

    @property
    def prefix(self) -> str:
        return self.key


@dataclass(frozen=True)
class Piece:
    """One released text: a portion's body after its mark (page-break lines left out), or a header field."""

    item: Portion | HeaderField
    text: str
    owner: Owner

    @property
    def field(self) -> HeaderField | None:
        return self.item if isinstance(self.item, HeaderField) else None

    @property
    def portion(self) -> Portion | None:
        return self.item if isinstance(self.item, Portion) else None


def shown_fields(doc: Document) -> list[HeaderField]:
    """What is shown of the header: routing, TAGS, REF as they are; classification lines (struck)."""
    return [f for f in doc.fields if f.name not in HIDDEN_FIELDS]


def pieces(doc: Document, released: list[Portion], fields: list[HeaderField]) -> list[Piece]:
    """The released texts, portions then header fields, with their owners."""
    out = [Piece(p, portion_text(doc, p), Owner(p.id, p.id)) for p in released]
    seen: dict[str, int] = {}
    for f in fields:
        seen[f.name] = seen.get(f.name, 0) + 1
        key = f.name if seen[f.name] == 1 else f"{f.name}{seen[f.name]}"
        out.append(Piece(f, doc.text[f.start : f.end].strip(), Owner(key, None)))
    return out


def portion_text(doc: Document, p: Portion) -> str:
    """The released body of a portion (after its number and mark), page-break lines left out."""
    text = doc.text
    pieces_ = []
    pos = p.body_start
    for a, b in p.breaks:
        if a >= pos:
            pieces_.append(text[pos:a].rstrip(" \t"))
            pos = b
    pieces_.append(text[pos : p.end])
    body = "".join(pieces_).strip()
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", body)


def find(texts: list[Piece], policy: Policy, detector_for: Callable[[str], Detector]) -> list[list[Finding]]:
    """The findings in each released text. Routing, TAGS, captions and the banner are codes, not prose:
    only portions and the DETECTED_FIELDS are analysed, and TAGS only for names found elsewhere."""
    analysed = [i for i, t in enumerate(texts) if t.field is None or t.field.name in DETECTED_FIELDS]
    codes_only = frozenset(k for k, i in enumerate(analysed) if (f := texts[i].field) and f.name in CODE_FIELDS)
    ent = policy.entities
    findings: list[list[Finding]] = [[] for _ in texts]
    if not analysed or not (ent.types or ent.deny or ent.patterns):
        return findings
    found = detector_for(ent.model).detect(
        [texts[i].text for i in analysed],
        dict(ent.types),
        allow=ent.allow,
        deny=ent.deny,
        patterns=list(ent.patterns),
        propagate=ent.propagate,
        codes_only=codes_only,
    )
    for i, fs in zip(analysed, found, strict=True):
        findings[i] = fs
    return findings


def split_officials(findings: list[list[Finding]], policy: Policy) -> tuple[list[list[Finding]], list[list[Finding]]]:
    """(what is masked, officials' names the policy releases) in each text."""
    if policy.entities.officials != "release":
        return findings, [[] for _ in findings]
    masked = [[f for f in fs if not f.official] for fs in findings]
    return masked, [[f for f in fs if f.official] for fs in findings]


def released_officials(texts: list[Piece], officials: list[list[Finding]]) -> list[ReleasedName]:
    """The officials' names left visible, where each is (the index accounts for them)."""
    out = []
    for t, found in zip(texts, officials, strict=True):
        for f in found:
            out.append(
                ReleasedName(
                    name=t.text[f.start : f.end],
                    role=f.official,
                    portion=t.portion.id if t.portion else None,
                    field=t.field.name if t.field else None,
                )
            )
    return out


def proposal_ids(owners: list[Owner], findings: list[list[Finding]]) -> dict[str, tuple[Owner, Finding]]:
    """The id of every span the machine proposed to mask: its owner and its ordinal there (`p2.e3`).

    Ordinals count what the machine found in released text only, so an id depends on neither the withheld
    text nor the length of what it masks, and means the same span for as long as the fingerprint holds.
    """
    out: dict[str, tuple[Owner, Finding]] = {}
    for owner, fs in zip(owners, findings, strict=True):
        for n, f in enumerate(fs, 1):
            out[f"{owner.prefix}.e{n}"] = (owner, f)
    return out

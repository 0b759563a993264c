"""Compose: decisions and findings -> the Release (blocks, text with offsets, banner, disposition, notes).

Only released text reaches it (the detect step's pieces); a withheld portion becomes one constant
placeholder, a masked span another, so nothing in a Release depends on what it withholds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redactor.detect import Finding
from redactor.index import build_index
from redactor.markings import Marking, rollup
from redactor.pipeline.confidence import Confidence
from redactor.pipeline.decide import Decision
from redactor.pipeline.detect import Piece
from redactor.pipeline.hidden import hidden_note
from redactor.policy import Policy
from redactor.regions import text_offsets
from redactor.release import (
    CLASSIFICATION_FIELDS,
    Block,
    Disposition,
    Document,
    DocumentInfo,
    HeaderField,
    PolicyInfo,
    Portion,
    PortionDecision,
    Redaction,
    Release,
    ReleasedName,
    ReleaseSettings,
    Run,
)
from redactor.review import REVIEWER_TYPE, Masked, Reviewed

ENTITY_PLACEHOLDER = "[{codes}]"
WITHHELD_PLACEHOLDER = "[WITHHELD {codes}]"


@dataclass(frozen=True)
class Facts:
    """What composing reads besides the decisions and the findings."""

    doc: Document
    policy: Policy
    fingerprint: str
    release_date: str
    confidence: Confidence
    hidden_in: Mapping[str, list[str]]  # the hidden-text kinds each portion holds
    hidden_elsewhere: int  # hidden points outside every portion


def compose(
    facts: Facts,
    decisions: Mapping[str, Decision],
    pieces: list[Piece],
    findings: list[list[Finding]],
    span_ids: Mapping[tuple[str, int, int], str],
    officials: list[ReleasedName],
    reviewed: Reviewed,
) -> tuple[Release, dict[str, tuple[int, int]]]:
    """The Release, and where each masked span lies in the document text (redaction id -> start, end: what
    the original-pages layout boxes)."""
    doc, pol = facts.doc, facts.policy
    scheme = pol.scheme_obj
    redactions: list[Redaction] = []
    entity_spans: dict[str, tuple[int, int]] = {}
    runs_for = {
        id(p.item): runs(p, fs, doc, pol, span_ids, redactions, entity_spans)
        for p, fs in zip(pieces, findings, strict=True)
    }
    released = [p.portion for p in pieces if p.portion is not None]
    portions = [portion_decision(p, decisions[p.id], facts.confidence) for p in doc.portions]
    declassified = reviewed.declassified | {pid for pid, d in decisions.items() if d.declassified}
    visible = [
        Marking(pol.level, scheme=scheme.name) if p.id in declassified else p.marking
        for p in released
        if p.marking is not None
    ]
    banner = rollup(visible, scheme) if visible else Marking(scheme.lowest.name)
    if any(p.marking is None for p in released):
        banner = rollup(visible + [Marking(pol.unmarked_default or scheme.highest.name)], scheme)
    codes: list[str] = []
    for d in portions:
        codes.extend(c for c in d.codes if c not in codes)
    for r in redactions:
        codes.extend(c for c in r.codes if c not in codes)
    rel = Release(
        reference=doc.reference or doc.metadata.get("reference_id", ""),
        original_banner=doc.banner.banner if doc.banner else "",
        banner=banner.banner,
        disposition=disposition(released, portions, redactions),
        codes=tuple(codes),
        policy=PolicyInfo(**pol.summary()),
        document=document_info(doc),
        portions=tuple(portions),
        redactions=tuple(redactions),
        blocks=tuple(blocks(doc, decisions, runs_for)),
        settings=settings(pol, facts.release_date, reviewed),
        notes=tuple(notes(facts, portions, reviewed)),
        fingerprint=facts.fingerprint,
        review=tuple(reviewed.log),
        officials=tuple(officials),
    )
    text, offsets = compose_text(rel)
    placed = tuple(
        r.model_copy(update=dict(zip(("start", "end"), offsets.get(r.id, (0, 0)), strict=True))) for r in redactions
    )
    rel = rel.model_copy(update={"text": text, "redactions": placed})
    return rel.model_copy(update={"index": build_index(rel)}), entity_spans


def disposition(released: list[Portion], portions: list[PortionDecision], redactions: list[Redaction]) -> Disposition:
    if not released:
        return Disposition.WITHHELD
    if any(d.decision == "withhold" for d in portions) or redactions:
        return Disposition.PART
    return Disposition.FULL


def runs(
    piece: Piece,
    findings: list[Finding],
    doc: Document,
    policy: Policy,
    span_ids: Mapping[tuple[str, int, int], str],
    redactions: list[Redaction],
    entity_spans: dict[str, tuple[int, int]],
) -> list[Run]:
    """A released text as runs of visible text and placeholders; each masked span is added to
    `redactions`, and where it lies in the document to `entity_spans`."""
    text, key = piece.text, piece.owner
    out: list[Run] = []
    pos = 0
    added = 0
    for f in findings:
        if f.start < pos:
            continue
        if f.start > pos:
            out.append(Run(text=text[pos : f.start]))
        rid = span_ids.get((key.key, f.start, f.end))
        if rid is None:  # a span the reviewer's overrides made: not one a review file can name
            added += 1
            rid = f"{key.prefix}.x{added}"
        red = redaction(rid, piece, f, list(policy.codes.personal))
        redactions.append(red)
        entity_spans[rid] = doc_span(doc, piece, f.start, f.end)
        out.append(Run(text=ENTITY_PLACEHOLDER.format(codes=" ".join(red.codes)), redaction=rid))
        pos = f.end
    if pos < len(text):
        out.append(Run(text=text[pos:]))
    return out


def redaction(rid: str, piece: Piece, f: Finding, personal: list[str]) -> Redaction:
    by_reviewer: dict[str, Any] = {"codes": personal}
    if isinstance(f, Masked):
        by_reviewer = {
            "codes": list(f.codes),
            "proposed_by": "reviewer",
            "reviewer": f.reviewer,
            "justification": f.justification,
            "machine": {"codes": list(f.machine)} if f.machine else None,
        }
    kind = "entity"
    if f.source == "deny" or f.entity_type == REVIEWER_TYPE:
        kind = "term"
    elif f.source == "pattern":
        kind = "pattern"
    return Redaction(
        id=rid,
        portion=piece.portion.id if piece.portion else None,
        kind=kind,
        entity_type=f.entity_type,
        score=f.score,
        field=piece.field.name if piece.field else None,
        **by_reviewer,
    )


def blocks(doc: Document, decisions: Mapping[str, Decision], runs_for: Mapping[int, list[Run]]) -> list[Block]:
    """The release in reading order: shown header fields (classification lines struck) and every portion,
    released with its runs or withheld as one placeholder. `runs_for` is keyed by the id() of the item."""
    out: list[Block] = []
    for kind, _s, _e, item in doc.segments():
        if kind == "field" and id(item) in runs_for:
            assert isinstance(item, HeaderField)  # segments() pairs the kind field with a HeaderField
            shown = runs_for[id(item)]
            if item.name in CLASSIFICATION_FIELDS:
                struck = tuple(r.model_copy(update={"struck": r.redaction is None}) for r in shown)
                out.append(Block(kind="struck", runs=struck, field=item.name))
            else:
                out.append(Block(kind="field", runs=tuple(shown), field=item.name))
        elif kind == "portion":
            assert isinstance(item, Portion)  # and the kind portion with a Portion
            out.append(portion_block(item, decisions[item.id], runs_for))
    return out


def portion_block(p: Portion, d: Decision, runs_for: Mapping[int, list[Run]]) -> Block:
    label = "SUBJECT" if p.kind == "subject" else p.label
    if d.decision == "release":
        return Block(
            kind="portion", runs=tuple(runs_for[id(p)]), portion=p.id, number=p.number, label=label, mark=p.mark or ""
        )
    placeholder = WITHHELD_PLACEHOLDER.format(codes=" ".join(d.codes))
    return Block(
        kind="withheld",
        runs=(Run(text=placeholder),),
        portion=p.id,
        number=p.number,
        label=label,
        mark=p.mark or "",
        codes=tuple(d.codes),
    )


def portion_decision(p: Portion, d: Decision, confidence: Confidence) -> PortionDecision:
    m = p.marking
    return PortionDecision(
        id=p.id,
        number=p.number,
        label=p.label if p.kind != "subject" else "SUBJECT",
        kind=p.kind,
        mark=p.mark,
        level=m.level if m else None,
        controls=tuple(m.controls_out()) if m else (),
        source=p.source,
        decision=d.decision,
        codes=tuple(d.codes),
        reason=d.reason,
        flags=tuple(d.flags),
        proposed_by=d.proposed_by,
        reviewer=d.reviewer,
        justification=d.justification,
        authority=d.authority,
        machine=d.machine,
        confidence=confidence.of(p.start, p.end),
        mark_confidence=confidence.of(p.mark_start, p.body_start) if p.mark else None,
    )


def document_info(doc: Document) -> DocumentInfo:
    banner = doc.banner
    return DocumentInfo.model_validate(
        {
            "reference": doc.reference,
            "banner": {"level": banner.level, "controls": banner.controls_out()} if banner else None,
            "reasons": doc.reasons,
            "declassify_on": doc.decl.date or doc.decl.code or (doc.decl.raw or None),
            "decl": {"kind": doc.decl.kind, "date": doc.decl.date, "code": doc.decl.code},
            "date": doc.date,
            "tags": doc.tags,
            "captions": doc.captions,
            "format": doc.format,
        }
    )


def settings(policy: Policy, release_date: str, reviewed: Reviewed) -> ReleaseSettings:
    r = policy.release
    reviewer, authority = r.reviewer, r.authority
    if reviewed.applied:
        # The person who signs the release is the reviewer whose decisions it carries.
        reviewer = ", ".join(reviewed.reviewers) or reviewer
        authority = "; ".join(a for a in [authority, *reviewed.authorities] if a)
    return ReleaseSettings(
        agency=r.agency,
        case_number=r.case_number,
        doc_number=r.doc_number,
        release_date=release_date,
        reviewer=reviewer,
        authority=authority,
        box=r.box,
        stamp={"full": r.stamp_full, "part": r.stamp_part, "withheld": r.stamp_withheld},
        header=r.header,
        footer=r.footer,
    )


def notes(facts: Facts, portions: list[PortionDecision], reviewed: Reviewed) -> list[str]:
    doc = facts.doc
    out = list(doc.notes)
    if reviewed.applied:
        out.append(f"{len(reviewed.log)} reviewer decision(s) applied (reviewed by {', '.join(reviewed.reviewers)})")
    if doc.hidden:
        held = [p.id for p in portions if p.id in facts.hidden_in]
        out.append(hidden_note(doc, held, facts.hidden_elsewhere))
    flagged = [p for p in portions if p.flags]
    if flagged:
        out.append(f"{len(flagged)} portion(s) flagged for the reviewer")
    if any(p.source == "default" for p in portions):
        out.append("no banner and no marks: portions were decided by the policy's default level")
    if doc.decl.kind == "date" and not facts.release_date:
        out.append(f"declassify-on date {doc.decl.date}: not assessed (no release date given)")
    return out


def doc_span(doc: Document, piece: Piece, start: int, end: int) -> tuple[int, int]:
    """Offsets in the document text of [start, end) of a released text (a portion's body, page-break lines
    left out; a header field's stripped text), its characters matched in order (regions.text_offsets)."""
    offsets = text_offsets(doc, piece.item, piece.text[:end])
    if not offsets or start >= len(offsets):
        fallback = piece.portion.body_start if piece.portion is not None else piece.item.start
        return fallback, fallback
    return offsets[start], offsets[-1] + 1


def compose_text(rel: Release) -> tuple[str, dict[str, tuple[int, int]]]:
    """The plain-text release, and the offsets of each redaction placeholder in it (by redaction id)."""
    out: list[str] = []
    pos = 0
    offsets: dict[str, tuple[int, int]] = {}

    def emit(s: str) -> None:
        nonlocal pos
        out.append(s)
        pos += len(s)

    emit(rel.banner + "\n")
    emit(f"{rel.stamp}" + (f"  {' '.join(rel.codes)}" if rel.codes else "") + "\n\n")
    for b in rel.blocks:
        if b.kind == "struck":
            emit("~~")
        prefix = b.prefix
        if b.kind in ("portion", "withheld") and b.mark:
            prefix += f"~~{b.mark}~~ "
        emit(prefix)
        for r in b.runs:
            start = pos
            emit(r.text)
            if r.redaction:
                offsets[r.redaction] = (start, pos)
        if b.kind == "struck":
            emit("~~")
        emit("\n\n" if b.kind in ("portion", "withheld") else "\n")
    emit(rel.banner + "\n")
    return "".join(out), offsets

"""The reviewer's step: overrides of the machine's proposal, checked, applied deterministically and logged.

A review file is the JSON release (`redactor redact --format json`): every portion has an id (`p1`…`pN`,
document order), every span the machine proposed to mask an id (`p2.e3`: the third in portion p2; `ref.e1` in
a header field) that says nothing of the text it hides, and `release.fingerprint` ties
the file to the document and policy it came from. A reviewer sends back overrides:

    {"fingerprint": "<release.fingerprint of the review file>",
     "reviewer": "J. Smith",
     "authority": "<default authority for declassifying releases, optional>",
     "overrides": [
       {"id": "p7", "action": "withhold", "codes": ["B5"], "justification": "deliberative"},
       {"id": "p2.e3", "action": "release", "justification": "public official"},
       {"id": "p2", "action": "codes", "codes": ["B6", "B7(C)"], "justification": "..."},
       {"id": "p3", "action": "release", "justification": "...", "authority": "E.O. 13526 sec. 3.1"},
       {"action": "mask", "term": "Ollanta Humalla", "codes": ["B6"], "justification": "..."},
       {"action": "release_term", "term": "Sara Mangiaracina", "justification": "..."},
       {"action": "mask_region", "page": 2, "box": [72, 500, 300, 520], "codes": ["B6"], "justification": "..."}]}

- `release` / `withhold` / `codes` take an `id`. A portion may be released, withheld (with `codes`) or have
  its codes changed; a masked span may be released or have its codes changed.
- `mask` masks every whole-word, case-insensitive mention of `term` in the released text (codes default to
  the policy's personal-data codes); `release_term` releases every mention of exactly that term and nothing
  else (other names, and the parts of this one said alone, stay masked). A mask wins over a release.
- Every item needs a `justification` and a reviewer (its own `reviewer` or the top-level one).
- Releasing a portion the policy withholds (above the release level, or under a control) is declassification:
  refused unless the policy sets `reviewer_may_declassify: true`, and then it needs an `authority` (the
  item's or the top-level one), which the release records.
- Ids are valid only with the fingerprint of the release they came from: a file with ids must carry it, and a
  fingerprint that does not match, or an id the document does not have, is rejected. A file of term items
  only may leave the fingerprint out, so one file can serve a whole batch ("always release this name").

Errors name the item (`overrides[3]`) and the problem and never quote a term or any document text.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ConfigDict

from redactor.detect import Finding
from redactor.errors import RedactorError
from redactor.pipeline.decide import Decision
from redactor.pipeline.detect import Owner
from redactor.release import ReviewDecision

ID_ACTIONS = ("release", "withhold", "codes")
TERM_ACTIONS = ("mask", "release_term")
REGION_ACTION = "mask_region"
ACTIONS = (*ID_ACTIONS, *TERM_ACTIONS, REGION_ACTION)
TOP_KEYS = frozenset({"fingerprint", "reviewer", "authority", "overrides"})
ITEM_KEYS = frozenset({"id", "action", "term", "codes", "justification", "reviewer", "authority", "page", "box"})
ID_RE = re.compile(r"[A-Za-z0-9_.@-]{1,80}")
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9().\-/ ]{0,23}")
MAX_TEXT = 2000
MAX_NAME = 200
MAX_ITEMS = 10_000
MAX_PAGE = 100_000
MAX_POINTS = 100_000.0  # a page coordinate beyond this is no page's
DIGEST_CHARS = 6
REVIEWER_TYPE = "REVIEWER_TERM"


class OverrideError(RedactorError):
    """The overrides are malformed or incomplete: the message names the item and what to fix."""

    status = 422
    title = "Invalid overrides"


class StaleOverrides(OverrideError):
    """The overrides were made for another document, policy or run: ids would land on the wrong text."""

    title = "Stale overrides"


class OverrideRefused(OverrideError):
    """The override asks for more than the policy lets a reviewer do."""

    title = "Override refused"


@dataclass(frozen=True)
class Masked(Finding):
    """A masked span the reviewer decided (a masked term, or a machine finding given other codes)."""

    codes: tuple[str, ...] = ()
    reviewer: str = ""
    justification: str = ""
    machine: tuple[str, ...] | None = None  # the codes the machine proposed, if it had masked this span


class Override(BaseModel):
    """One checked item of a review file."""

    model_config = ConfigDict(frozen=True)

    index: int
    action: str
    reviewer: str
    justification: str
    id: str | None = None
    term: str | None = None
    codes: tuple[str, ...] = ()
    authority: str = ""
    page: int = 0  # mask_region: the page (from 1) and the rectangle on it, in PDF points
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    @property
    def where(self) -> str:
        return f"overrides[{self.index}]"


def _text(value: Any, what: str, where: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise OverrideError(f"{where}: {what} is missing; give it as a non-empty string")
    value = value.strip()
    if len(value) > limit:
        raise OverrideError(f"{where}: {what} is longer than {limit} characters")
    return value


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise OverrideError(f'{where}: codes must be a non-empty list of exemption codes, like ["B5"]')
    out: list[str] = []
    for c in value:
        if not isinstance(c, str) or not CODE_RE.fullmatch(c.strip()):
            raise OverrideError(f"{where}: each code must be a short exemption code like B5, B6 or B7(C)")
        if c.strip() not in out:
            out.append(c.strip())
    return tuple(out)


def _region(raw: dict[str, Any], where: str) -> tuple[int, tuple[float, float, float, float]]:
    """The page and rectangle of a `mask_region` item, checked and put in order (x0 < x1, y0 < y1)."""
    page, box = raw.get("page"), raw.get("box")
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        raise OverrideError(f"{where}: action mask_region needs the `page` it is drawn on, a number from 1")
    numbers = box if isinstance(box, list) and len(box) == 4 else []
    if not numbers or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and abs(v) <= MAX_POINTS for v in numbers
    ):
        raise OverrideError(f"{where}: action mask_region needs a `box` [x0, y0, x1, y1] in PDF points")
    x0, y0, x1, y1 = (float(v) for v in numbers)
    x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise OverrideError(f"{where}: the box of mask_region is empty; draw a rectangle at least a point wide")
    return page, (x0, y0, x1, y1)


def term_pattern(term: str) -> re.Pattern[str]:
    """Every whole-word, case-insensitive mention of a term, whatever whitespace (or line break) is inside."""
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _cut(findings: list[Finding], a: int, b: int, text: str) -> tuple[list[Finding], int]:
    """The findings with [a, b) released: pieces outside it stay masked. Also how many findings it touched."""
    out: list[Finding] = []
    touched = 0
    for f in findings:
        if f.end <= a or f.start >= b:
            out.append(f)
            continue
        touched += 1
        for s, e in ((f.start, min(f.end, a)), (max(f.start, b), f.end)):
            piece = text[s:e] if e > s else ""
            lead = len(piece) - len(piece.lstrip(" \t\n,;:()[]/-"))
            trail = len(piece) - len(piece.rstrip(" \t\n,;:()[]/-"))
            s, e = s + lead, e - trail
            if e > s and any(ch.isalnum() for ch in text[s:e]):
                out.append(replace(f, start=s, end=e))
    return out, touched


def _merge(findings: list[Finding], personal: list[str]) -> list[Finding]:
    """Overlapping findings become one span (the union). A span with a reviewer's part is the reviewer's:
    its codes are the reviewer's plus, where the machine had masked part of it, the machine's."""
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if out and f.start < out[-1].end:
            out[-1] = _union(out[-1], f, personal)
        else:
            out.append(f)
    return out


def _union(a: Finding, b: Finding, personal: list[str]) -> Finding:
    start, end = a.start, max(a.end, b.end)
    masks = [x for x in (a, b) if isinstance(x, Masked)]
    if not masks:
        best = a if a.score >= b.score else b
        return Finding(start, end, best.entity_type, best.score, best.source)
    codes: list[str] = []
    for m in masks:
        codes.extend(c for c in m.codes if c not in codes)
    machine = next((m.machine for m in masks if m.machine), None)
    entity_type = next((m.entity_type for m in masks if m.entity_type != REVIEWER_TYPE), masks[0].entity_type)
    if len(masks) == 1:
        other = b if masks[0] is a else a
        machine = tuple(personal)
        entity_type = other.entity_type
        codes.extend(c for c in personal if c not in codes)
    return replace(masks[0], start=start, end=end, entity_type=entity_type, codes=tuple(codes), machine=machine)


def check_batch(data: Any) -> None:
    """Overrides for a batch of documents: terms only, with no fingerprint (ids belong to one document)."""
    if not isinstance(data, dict):
        raise OverrideError("the overrides must be a JSON object")
    if data.get("fingerprint") is not None:
        raise OverrideError("overrides for a batch cannot carry a fingerprint: it ties them to one document")
    items = data.get("overrides", [])
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and item.get("action") not in TERM_ACTIONS:
            raise OverrideError(
                f"overrides[{i}]: a batch takes term overrides only (mask, release_term); "
                "ids belong to one document's review"
            )


class Overrides(BaseModel):
    """The overrides of one request, checked up front (`Overrides.parse`); `apply_decisions` and
    `apply_findings` apply them at the two points of the pipeline where they act."""

    model_config = ConfigDict(frozen=True)

    reviewer: str = ""
    authority: str = ""
    items: tuple[Override, ...] = ()
    portion_items: tuple[Override, ...] = ()  # overrides of a portion's decision, by id
    span_items: tuple[Override, ...] = ()  # overrides of a masked span, by id
    region_items: tuple[Override, ...] = ()  # rectangles drawn on an original page (mask_region)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def reviewers(self) -> list[str]:
        """Who decided, in the order of the file, each once."""
        return list(dict.fromkeys(o.reviewer for o in self.items))

    @classmethod
    def parse(cls, data: Any, *, fingerprint: str, portion_ids: list[str]) -> Overrides:
        """The overrides of a review file, checked against the release they are for (its fingerprint and
        portion ids): malformed, stale or conflicting ones are refused before any work."""
        if not isinstance(data, dict):
            raise OverrideError(
                'the overrides must be a JSON object like {"fingerprint": "...", "reviewer": "...", "overrides": [...]}'
            )
        unknown = sorted(k for k in data if k not in TOP_KEYS)
        if unknown:
            raise OverrideError(
                f"unknown key(s) in the overrides: {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(sorted(TOP_KEYS))}"
            )
        reviewer = data.get("reviewer")
        reviewer = _text(reviewer, "the reviewer", "overrides", MAX_NAME) if reviewer is not None else ""
        authority = data.get("authority")
        authority = _text(authority, "the authority", "overrides", MAX_NAME) if authority else ""
        raw_items = data.get("overrides", [])
        if not isinstance(raw_items, list):
            raise OverrideError("`overrides` must be a list of override objects")
        if len(raw_items) > MAX_ITEMS:
            raise OverrideError(f"more than {MAX_ITEMS} overrides in one request")
        items = [_item(i, raw, reviewer, authority) for i, raw in enumerate(raw_items)]
        _check_conflicts(items)
        given = data.get("fingerprint")
        if given is not None and (not isinstance(given, str) or not hmac.compare_digest(given, fingerprint)):
            raise StaleOverrides(
                "the overrides were made for another document or policy (their fingerprint does "
                "not match this release's): redact the document again and review the new "
                "proposal"
            )
        with_ids = [o for o in items if o.id is not None]
        region_items = [o for o in items if o.action == REGION_ACTION]
        if (with_ids or region_items) and given is None:
            what = "an id" if with_ids else "a region of a page"
            raise StaleOverrides(
                f"{(with_ids or region_items)[0].where}: refers to {what}, but the overrides carry no "
                "fingerprint; ids and regions hold only with the `fingerprint` of the release they came from"
            )
        known = set(portion_ids)
        span_items = [o for o in with_ids if o.id not in known]
        for o in span_items:
            if o.action == "withhold":
                raise OverrideError(
                    f"{o.where}: id {o.id} is not a portion; a masked span is already withheld "
                    "(use `codes` to change its codes, or `mask` for a term)"
                )
        return cls(
            reviewer=reviewer,
            authority=authority,
            items=tuple(items),
            portion_items=tuple(o for o in with_ids if o.id in known),
            span_items=tuple(span_items),
            region_items=tuple(region_items),
        )


# ------------------------------------------------------------------------------------------- parsing
def _item(index: int, raw: Any, top_reviewer: str, top_authority: str) -> Override:
    where = f"overrides[{index}]"
    if not isinstance(raw, dict):
        raise OverrideError(f"{where}: must be an object with an action and a justification")
    unknown = sorted(k for k in raw if k not in ITEM_KEYS)
    if unknown:
        raise OverrideError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(ITEM_KEYS))}"
        )
    action = raw.get("action")
    if action not in ACTIONS:
        raise OverrideError(f"{where}: action must be one of {', '.join(ACTIONS)}")
    justification = _text(raw.get("justification"), "the justification", where)
    reviewer = raw.get("reviewer") if raw.get("reviewer") is not None else top_reviewer
    if not reviewer:
        raise OverrideError(f"{where}: no reviewer; give `reviewer` on the item or at the top level")
    reviewer = _text(reviewer, "the reviewer", where, MAX_NAME)
    authority = raw.get("authority")
    authority = _text(authority, "the authority", where, MAX_NAME) if authority else top_authority
    codes: tuple[str, ...] = ()
    if "codes" in raw or action in ("withhold", "codes"):
        codes = _codes(raw.get("codes"), where)
    if action == REGION_ACTION:
        if "id" in raw or "term" in raw:
            raise OverrideError(f"{where}: action mask_region takes a page and a box, not an id or a term")
        page, box = _region(raw, where)
        return Override(
            index=index, action=action, reviewer=reviewer, justification=justification, codes=codes, page=page, box=box
        )
    if "page" in raw or "box" in raw:
        raise OverrideError(f"{where}: only action mask_region takes a page and a box")
    if action in ID_ACTIONS:
        rid = raw.get("id")
        if not isinstance(rid, str) or not ID_RE.fullmatch(rid):
            raise OverrideError(
                f"{where}: action {action} needs the `id` of a portion (p7) or a masked "
                "span (p2.e3) from the review file"
            )
        if "term" in raw:
            raise OverrideError(f"{where}: action {action} takes an id, not a term")
        return Override(
            index=index,
            action=action,
            reviewer=reviewer,
            justification=justification,
            id=rid,
            codes=codes,
            authority=authority,
        )
    if "id" in raw:
        raise OverrideError(f"{where}: action {action} takes a term, not an id")
    term = raw.get("term")
    if not isinstance(term, str) or len(term.strip()) < 2 or not any(c.isalnum() for c in term):
        raise OverrideError(f"{where}: action {action} needs a `term` of at least two characters")
    if len(term) > MAX_NAME:
        raise OverrideError(f"{where}: the term is longer than {MAX_NAME} characters")
    return Override(
        index=index,
        action=action,
        reviewer=reviewer,
        justification=justification,
        term=" ".join(term.split()),
        codes=codes,
        authority=authority,
    )


def _check_conflicts(items: list[Override]) -> None:
    seen: dict[str, Override] = {}
    for o in items:
        if o.action == REGION_ACTION:
            continue  # rectangles may overlap: each withholds what it touches
        target = f"id:{o.id}" if o.id is not None else f"term:{(o.term or '').casefold()}"
        if target in seen:
            first = seen[target]
            what = f"id {o.id}" if o.id is not None else "the term"
            raise OverrideError(
                f"{o.where}: {what} is already overridden by {first.where}; give one override per id or term"
            )
        seen[target] = o


# ---------------------------------------------------------------------------------- portion decisions
class PortionReview(BaseModel):
    """The decisions after the reviewer's portion overrides, and what they did."""

    model_config = ConfigDict(frozen=True)

    decisions: dict[str, Decision]
    log: tuple[ReviewDecision, ...] = ()
    declassified: frozenset[str] = frozenset()  # portions a reviewer released against the policy
    authorities: tuple[str, ...] = ()  # the authorities cited for that, each once


def apply_decisions(
    overrides: Overrides,
    decisions: Mapping[str, Decision],
    levels: Mapping[str, str | None],
    ceiling: str,
    may_declassify: bool,
) -> PortionReview:
    """The machine's decisions with the portion overrides applied (before entity detection, so released
    portions are analysed and withheld ones not). `decisions` is left as it was."""
    out = dict(decisions)
    log: list[ReviewDecision] = []
    declassified: set[str] = set()
    authorities: list[str] = []
    for o in overrides.portion_items:
        assert o.id is not None  # portion_items hold only overrides with an id
        d = decisions[o.id]
        authority = None
        if o.action == "release" and d.decision == "withhold":
            authority = _declassifying(o, levels, ceiling, may_declassify)
            declassified.add(o.id)
            if authority not in authorities:
                authorities.append(authority)
        new = _overridden(o, d, authority)
        out[o.id] = new
        log.append(
            ReviewDecision(
                item=o.index,
                action=o.action,
                target="portion",
                reviewer=o.reviewer,
                justification=o.justification,
                id=o.id,
                portion=o.id,
                codes=tuple(new.codes),
                machine=new.machine,
                authority=authority,
                count=1,
            )
        )
    return PortionReview(
        decisions=out, log=tuple(log), declassified=frozenset(declassified), authorities=tuple(authorities)
    )


def _declassifying(o: Override, levels: Mapping[str, str | None], ceiling: str, may_declassify: bool) -> str:
    """The authority for releasing a portion the policy withholds, or why the override is refused."""
    if not may_declassify:
        raise OverrideRefused(
            f"{o.where}: portion {o.id} is withheld by the policy (marked "
            f"{levels.get(o.id or '') or 'at an unknown level'} or under a control, release level "
            f"{ceiling}); releasing it is declassification, which this policy does not allow a "
            "reviewer (reviewer_may_declassify: false)"
        )
    if not o.authority:
        raise OverrideError(
            f"{o.where}: releasing portion {o.id}, which the policy withholds, "
            "is declassification: give the `authority` for it"
        )
    return o.authority


def _overridden(o: Override, d: Decision, authority: str | None) -> Decision:
    """The reviewer's decision in place of the machine's `d`, with the machine's kept beside it."""
    machine = {"decision": d.decision, "codes": list(d.codes), "reason": d.reason}
    proposal = f"machine proposed {d.decision}" + (f" {' '.join(d.codes)}" if d.codes else "") + f": {d.reason}"
    if o.action == "release":
        codes: list[str] = []
        if authority:
            reason = f"declassified and released by the reviewer under {authority}: {o.justification} ({proposal})"
        else:
            reason = f"release confirmed by the reviewer: {o.justification} ({proposal})"
    elif o.action == "withhold":
        codes, reason = list(o.codes), f"withheld by the reviewer: {o.justification} ({proposal})"
    else:
        if d.decision != "withhold":
            raise OverrideError(
                f"{o.where}: portion {o.id} is released, so it has no codes to change; "
                "use action withhold with codes to withhold it"
            )
        codes, reason = list(o.codes), f"codes set by the reviewer: {o.justification} ({proposal})"
    return d.model_copy(
        update={
            "decision": "release" if o.action == "release" else "withhold",
            "codes": codes,
            "reason": reason,
            "proposed_by": "reviewer",
            "reviewer": o.reviewer,
            "justification": o.justification,
            "authority": authority,
            "machine": machine,
        }
    )


class Reviewed(BaseModel):
    """What the reviewer's overrides did, for the release's record (empty without overrides)."""

    model_config = ConfigDict(frozen=True)

    log: list[ReviewDecision] = []
    reviewers: list[str] = []
    authorities: list[str] = []
    declassified: frozenset[str] = frozenset()
    applied: bool = False  # there were overrides to apply


def reviewed(overrides: Overrides, portions: PortionReview, spans: list[ReviewDecision]) -> Reviewed:
    """The record of a review: every decision in the order of the file, who decided, on what authority."""
    return Reviewed(
        log=sorted([*portions.log, *spans], key=lambda d: d.item),
        reviewers=overrides.reviewers,
        authorities=list(portions.authorities),
        declassified=portions.declassified,
        applied=True,
    )


# ------------------------------------------------------------------------------------------ entities
def apply_findings(
    overrides: Overrides,
    texts: list[str],
    owners: list[Owner],
    findings: list[list[Finding]],
    proposed: dict[str, tuple[Owner, Finding]],
    personal: list[str],
    regions: Mapping[int, list[list[tuple[int, int]]]] | None = None,
) -> tuple[list[list[Finding]], list[ReviewDecision]]:
    """The findings of the released texts with the span and term overrides applied, in a fixed order:
    codes and releases by id, then released terms, then masked terms and drawn regions (a mask wins); and
    what each did. `proposed` are the spans of the machine's proposal by id (see proposal_ids); `regions`
    the spans of released text each mask_region item touches, per text (see redactor.regions). `findings`
    is left as it was."""
    findings = [list(fs) for fs in findings]
    log = _apply_spans(overrides, texts, owners, findings, proposed, personal)
    terms = [o for o in overrides.items if o.action == "release_term"]
    terms += [o for o in overrides.items if o.action == "mask"]
    for o in terms:
        pattern = term_pattern(o.term or "")
        count = 0
        codes = o.codes or tuple(personal)
        for i, text in enumerate(texts):
            for m in pattern.finditer(text):
                count += 1
                if o.action == "release_term":
                    findings[i], _ = _cut(findings[i], m.start(), m.end(), text)
                else:
                    findings[i].append(
                        Masked(m.start(), m.end(), REVIEWER_TYPE, 1.0, "reviewer", codes, o.reviewer, o.justification)
                    )
            if o.action == "mask":
                findings[i] = _merge(findings[i], personal)
        log.append(
            ReviewDecision(
                item=o.index,
                action=o.action,
                target="term",
                reviewer=o.reviewer,
                justification=o.justification,
                codes=tuple(codes) if o.action == "mask" else (),
                count=count,
            )
        )
    for o in overrides.region_items:
        if regions is None or o.index not in regions:
            raise OverrideError(f"{o.where}: mask_region could not be placed on the document's pages")
        log.append(_mask_region(o, regions[o.index], findings, personal))
    return findings, log


def _mask_region(
    o: Override, spans: list[list[tuple[int, int]]], findings: list[list[Finding]], personal: list[str]
) -> ReviewDecision:
    """Mask the released text under a drawn rectangle (in apply_findings' own copy of `findings`)."""
    codes = o.codes or tuple(personal)
    count = 0
    for i, pieces in enumerate(spans):
        for a, b in pieces:
            findings[i].append(Masked(a, b, REVIEWER_TYPE, 1.0, "reviewer", codes, o.reviewer, o.justification))
            count += 1
        if pieces:
            findings[i] = _merge(findings[i], personal)
    return ReviewDecision(
        item=o.index,
        action=o.action,
        target="region",
        reviewer=o.reviewer,
        justification=o.justification,
        codes=tuple(codes),
        count=count,
        page=o.page,
        box=tuple(o.box),
    )


def _apply_spans(
    overrides: Overrides,
    texts: list[str],
    owners: list[Owner],
    findings: list[list[Finding]],
    proposed: dict[str, tuple[Owner, Finding]],
    personal: list[str],
) -> list[ReviewDecision]:
    """The overrides by span id, applied to `findings` (apply_findings' own copy); what each did."""
    for o in overrides.span_items:
        if o.id not in proposed:
            raise StaleOverrides(
                f"{o.where}: id {o.id} is neither a portion nor a masked span of this "
                "document's review proposal; use the ids of the review file made "
                "with this fingerprint"
            )
    at = {o.key: i for i, o in enumerate(owners)}
    log: list[ReviewDecision] = []
    for o in sorted(overrides.span_items, key=lambda o: (o.action != "codes", o.index)):
        assert o.id is not None  # span_items hold only overrides with an id
        owner, f = proposed[o.id]
        i = at.get(owner.key)
        if i is None:
            raise OverrideError(
                f"{o.where}: the span {o.id} lies in portion {owner.portion}, which "
                "the overrides withhold; drop one of the two"
            )
        if o.action == "codes":
            count = 0
            for k, g in enumerate(findings[i]):
                if g.start < f.end and f.start < g.end:
                    findings[i][k] = Masked(
                        g.start,
                        g.end,
                        g.entity_type,
                        g.score,
                        "reviewer",
                        o.codes,
                        o.reviewer,
                        o.justification,
                        tuple(personal),
                    )
                    count += 1
        else:
            findings[i], count = _cut(findings[i], f.start, f.end, texts[i])
        log.append(
            ReviewDecision(
                item=o.index,
                action=o.action,
                target="redaction",
                reviewer=o.reviewer,
                justification=o.justification,
                id=o.id,
                portion=owner.portion,
                entity_type=f.entity_type,
                codes=tuple(o.codes),
                machine={"entity_type": f.entity_type, "codes": list(personal)},
                count=count,
            )
        )
    return log

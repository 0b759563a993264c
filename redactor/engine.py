"""Redactor: Document + Policy (+ reviewer overrides) -> Release, as the data flow of design.md.

    bytes ──ingest──▶ SourceText ──segment (visible text; hidden only raises)──▶ Document
    Document + Policy ──decide──▶ decisions ──review (portion overrides)──▶ decisions
    released texts ──detect──▶ findings ──review (span and term overrides)──▶ findings
    decisions + findings ──compose──▶ Release (blocks, text with offsets, banner, disposition)

Each step is a module of redactor.pipeline (review is redactor.review); this one only runs them. Withheld
text never enters a Release: only released texts are analysed and composed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from redactor import ingest, settings
from redactor.detect import Detector, get_detector
from redactor.errors import InputError
from redactor.ingest.limits import Deadline, resolve
from redactor.markings import US, Scheme
from redactor.pipeline import detect
from redactor.pipeline.compose import Facts, compose
from redactor.pipeline.confidence import Confidence
from redactor.pipeline.decide import Decision, Rules, decide
from redactor.pipeline.fingerprint import default_key, fingerprint_of, source_of
from redactor.pipeline.hidden import hidden_owners, read_visible
from redactor.pipeline.layout import LAYOUTS, check_layout, check_pages, layout_for
from redactor.policy import Policy, check_date, load
from redactor.release import Document, Portion, Release
from redactor.review import OverrideError, Overrides, Reviewed, apply_decisions, apply_findings, reviewed

__all__ = ["LAYOUTS", "MAX_CHARS", "Redactor", "build", "fingerprint_of", "layout_for"]

MAX_CHARS = 2_000_000


class Redactor:
    """Holds what is costly to build (the detector and its model) for the life of a process."""

    def __init__(
        self,
        *,
        policy_dir: str | None = None,
        detector: Detector | None = None,
        ingest_options: dict | None = None,
        fingerprint_key: bytes | None = None,
    ) -> None:
        self.policy_dir = policy_dir
        self._detector = detector
        # The limits and options of the PDF and DOCX readers: the settings (REDACTOR_MAX_PAGES, REDACTOR_OCR, ...),
        # with the caller's values over them.
        self.ingest_options = {**settings.from_env().ingest_options(), **(ingest_options or {})}
        self.fingerprint_key = fingerprint_key  # None: pipeline.fingerprint.default_key()

    def with_options(self, **options: object) -> Redactor:
        """The same engine (and loaded model) with other reader options, e.g. `ocr=True` for one request (a copy:
        the settings are not read again)."""
        engine = copy.copy(self)
        engine.ingest_options = {**self.ingest_options, **options}
        return engine

    def detector(self, model: str) -> Detector:
        if self._detector is not None:
            return self._detector
        return get_detector(model)

    def warm(self, policy: str | None = None) -> None:
        """Load the model now (before a server forks its workers), not on the first request."""
        pol = load(policy, self.policy_dir)
        if self.fingerprint_key is None:
            default_key()  # before a fork: every worker then shares the key, and review files stay valid
        if pol.entities.types:
            self.detector(pol.entities.model).load()

    def policy(self, policy: str | Policy | None, level: str | None) -> Policy:
        pol = policy if isinstance(policy, Policy) else load(policy, self.policy_dir)
        return pol.with_level(level)

    def fingerprint(self, doc: Document, policy: Policy) -> str:
        """The keyed fingerprint of a document (its text and hidden points) under a policy."""
        return fingerprint_of(source_of(doc), policy, self.fingerprint_key)

    def read(self, data: bytes | str, name: str | None = None, scheme: Scheme | None = None) -> Document:
        """Ingest and segment a document, reading its marks with `scheme` (the policy's; US by default)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        # One time limit covers reading and segmenting (segmenting is linear, but a limit is a limit).
        deadline = Deadline(float(resolve(self.ingest_options)["max_seconds"]))
        source = ingest.read(data, name, limits=self.ingest_options)
        if len(source.text) > MAX_CHARS:
            raise InputError(f"the document has more than {MAX_CHARS} characters of text")
        return read_visible(source, scheme or US, deadline)

    def redact(
        self,
        data: bytes | str,
        *,
        policy: str | Policy | None = None,
        level: str | None = None,
        name: str | None = None,
        overrides: dict | None = None,
        date: str | None = None,
        layout: str | None = None,
    ) -> Release:
        """The release. With `layout="original"` it also carries the upload's own pages with every withheld
        region burned in (`Release.pages`, for the pages renderer); that needs a PDF upload."""
        check_layout(layout)
        pol = self.policy(policy, level)
        date = _checked_date(date)
        doc = self.read(data, name, scheme=pol.scheme_obj)
        check_pages(layout, doc)
        rel, entity_spans = build(
            doc, pol, self.detector, fingerprint=self.fingerprint(doc, pol), date=date, overrides=overrides
        )
        if layout == "original":
            from redactor import original

            raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
            # The rectangles reviewers drew are burned in as drawn, beside the boxes of the words under them.
            drawn = [
                (d.page, (d.box[0], d.box[1], d.box[2], d.box[3]), d.codes, f"r{d.item + 1}")
                for d in rel.review
                if d.target == "region" and d.page is not None and d.box is not None
            ]
            pages = original.pages(raw, doc, rel, entity_spans, self.ingest_options, regions=drawn)
            rel = rel.model_copy(update={"pages": tuple(pages)})
        return rel


def _checked_date(date: str | None) -> str | None:
    if not date:
        return date
    try:
        return check_date(date)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def build(
    doc: Document,
    policy: Policy,
    detector_for: Callable[[str], Detector],
    *,
    fingerprint: str,
    date: str | None = None,
    overrides: dict | None = None,
) -> tuple[Release, dict[str, tuple[int, int]]]:
    """The Release of a read Document, and where each masked span lies in the document text (for the
    original-pages layout). Overrides are checked before any work, so a bad or stale file fails fast."""
    review = (
        None
        if overrides is None
        else Overrides.parse(overrides, fingerprint=fingerprint, portion_ids=[p.id for p in doc.portions])
    )
    release_date = date or policy.release.release_date or ""
    facts = Facts(doc, policy, fingerprint, release_date, Confidence(doc), *hidden_owners(doc))
    machine = _decide(facts)
    decisions, record = machine, Reviewed()
    if review:
        levels = {p.id: p.marking.level if p.marking else None for p in doc.portions}
        by_portion = apply_decisions(review, machine, levels, policy.level, policy.reviewer_may_declassify)
        decisions = by_portion.decisions
    fields = detect.shown_fields(doc)
    pieces = detect.pieces(doc, _released(doc, decisions), fields)
    findings, officials = detect.split_officials(detect.find(pieces, policy, detector_for), policy)
    # Span ids are those of the machine's proposal, so a review file's ids keep their meaning in a release
    # whose overrides changed which portions are analysed.
    proposed, proposal = pieces, findings
    if _released(doc, machine) != _released(doc, decisions):
        proposed = detect.pieces(doc, _released(doc, machine), fields)
        proposal = detect.split_officials(detect.find(proposed, policy, detector_for), policy)[0]
    spans = detect.proposal_ids([p.owner for p in proposed], proposal)
    if review:
        texts, owners = [p.text for p in pieces], [p.owner for p in pieces]
        regions = _region_spans(doc, review, pieces) if review.region_items else None
        findings, by_span = apply_findings(review, texts, owners, findings, spans, list(policy.codes.personal), regions)
        record = reviewed(review, by_portion, by_span)
    span_ids = {(o.key, f.start, f.end): rid for rid, (o, f) in spans.items()}
    return compose(facts, decisions, pieces, findings, span_ids, detect.released_officials(pieces, officials), record)


def _region_spans(
    doc: Document, review: Overrides, pieces: list[detect.Piece]
) -> dict[int, list[list[tuple[int, int]]]]:
    """The released text under each rectangle a reviewer drew (redactor.regions), per released text."""
    from redactor import regions

    pages = len(doc.source.pages) if doc.source is not None else 0
    texts = [(p.text, 0) for p in pieces]
    out: dict[int, list[list[tuple[int, int]]]] = {}
    for o in review.region_items:
        if o.page > pages:
            raise OverrideError(
                f"{o.where}: mask_region names page {o.page}, but the document has {pages} page(s) "
                "(regions are for PDF uploads)"
            )
        out[o.index] = regions.released_spans(doc, o.page, o.box, texts, [p.item for p in pieces])
    return out


def _decide(facts: Facts) -> dict[str, Decision]:
    """The machine's decision on every portion (by id)."""
    doc, confidence = facts.doc, facts.confidence
    rules = Rules.of(facts.policy, doc, facts.release_date)
    return {
        p.id: decide(
            p,
            rules,
            hidden=facts.hidden_in.get(p.id, ()),
            mark_confidence=confidence.of(p.mark_start, p.body_start) if p.mark else None,
        )
        for p in doc.portions
    }


def _released(doc: Document, decisions: dict[str, Decision]) -> list[Portion]:
    return [p for p in doc.portions if decisions[p.id].decision == "release"]

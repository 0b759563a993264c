"""Redactor: Document + Policy (+ reviewer overrides) -> Release.

The engine decides each portion (release or withhold, with codes and a reason), runs entity
detection on what is released (and only that), and composes the release: blocks for the renderers
and the plain text with the offsets of every masked entity. Withheld text never enters a Release.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from redactor import __version__, ingest
from redactor.detect import Detector, Finding, get_detector
from redactor.errors import InputError
from redactor.ingest.limits import Deadline, resolve
from redactor.markings import ATOMIC, CONTROLLED, SCI, US, Marking, Scheme, rollup
from redactor.policy import Policy, check_date, load
from redactor.release import (
    CLASSIFICATION_FIELDS,
    HIDDEN_FIELDS,
    Block,
    Disposition,
    Document,
    HeaderField,
    Portion,
    PortionDecision,
    Redaction,
    Release,
    ReleasedName,
    ReleaseSettings,
    Run,
)
from redactor.review import Masked, Owner, Review, proposal_ids
from redactor.segment import segment

MAX_CHARS = 2_000_000
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
DETECTED_FIELDS = frozenset({"classified_by", "ref", "tags"})
# Fields of codes: searched only for names found elsewhere (TAGS name VIPs: `OVIP RICE CONDOLEEZZA`).
CODE_FIELDS = frozenset({"tags"})
ENTITY_PLACEHOLDER = "[{codes}]"
LAYOUTS = ("typeset", "original")
# A portion mark OCR read with less confidence than this (Tesseract's 0-100) is not trusted: withhold, flag.
MARK_CONFIDENCE = 60.0
WITHHELD_PLACEHOLDER = "[WITHHELD {codes}]"


@dataclass
class _Decision:
    decision: str
    codes: list[str]
    reason: str
    flags: list[str]
    declassified: bool = False  # released because its declassify-on date has passed
    proposed_by: str = "machine"
    reviewer: str | None = None
    justification: str | None = None
    authority: str | None = None
    machine: dict | None = None


def state_style(reason: str) -> str:
    """`1.4(d)` -> `1.4(D)`, the way State's releases print reasons beside B1."""
    return reason.upper()


class Redactor:
    """Holds what is costly to build (the detector and its model) for the life of a process."""

    def __init__(
        self, *, policy_dir: str | None = None, detector: Detector | None = None, ingest_options: dict | None = None
    ) -> None:
        self.policy_dir = policy_dir
        self._detector = detector
        self.ingest_options = ingest_options or {}  # limits and options of the PDF and DOCX readers

    def with_options(self, **options: object) -> Redactor:
        """The same engine (and loaded model) with other reader options, e.g. `ocr=True` for one request."""
        other = Redactor(
            policy_dir=self.policy_dir, detector=self._detector, ingest_options={**self.ingest_options, **options}
        )
        return other

    def detector(self, model: str) -> Detector:
        if self._detector is not None:
            return self._detector
        return get_detector(model)

    def warm(self, policy: str | None = None) -> None:
        """Load the model now (before a server forks its workers), not on the first request."""
        pol = load(policy, self.policy_dir)
        _fingerprint_key()  # before a fork: every worker then shares the key, and review files stay valid
        if pol.entities.types:
            self.detector(pol.entities.model).load()

    def policy(self, policy: str | Policy | None, level: str | None) -> Policy:
        pol = policy if isinstance(policy, Policy) else load(policy, self.policy_dir)
        return pol.with_level(level)

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
        if layout not in (None, *LAYOUTS):
            raise InputError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
        pol = self.policy(policy, level)
        if date:
            try:
                date = check_date(date)
            except ValueError as exc:
                raise InputError(str(exc)) from None
        doc = self.read(data, name, scheme=pol.scheme_obj)
        if layout == "original" and not (doc.source is not None and doc.source.pages):
            raise InputError(
                "layout original needs a PDF upload (its pages are what the release is burned "
                "into); use layout typeset for text, HTML and Word documents"
            )
        # The hidden points are part of what a review file was made for: where they are decides portions.
        fingerprint = fingerprint_of(doc.text + "".join(f"\0{a}:{w}" for a, _, w in doc.hidden), pol)
        build = _Build(doc, pol, self, fingerprint, date, overrides)
        rel = build.release()
        if layout == "original":
            from redactor import original

            if isinstance(data, str):
                data = data.encode("utf-8")
            rel.pages = original.pages(
                bytes(data), doc, rel, build.entity_spans, self.ingest_options, regions=build.regions
            )
        return rel


def layout_for(data: bytes | str, fmt: str, layout: str | None) -> str | None:
    """The layout of a release: as asked for a PDF; else the original pages for a PDF upload released as
    PDF and typeset for anything else. Text has no layout (None); JSON has one only when asked for the
    original pages, whose boxes it then lists (`pages`: where a reviewer draws a `mask_region`)."""
    if fmt != "pdf":
        return "original" if fmt == "json" and layout == "original" else None
    if layout:
        return layout
    return "original" if isinstance(data, bytes | bytearray) and ingest.sniff(bytes(data)) == "pdf" else "typeset"


# -------------------------------------------------------------------------------------------- build
class _Build:
    def __init__(
        self,
        doc: Document,
        policy: Policy,
        redactor: Redactor,
        fingerprint: str,
        date: str | None,
        overrides: dict | None,
    ) -> None:
        self.doc = doc
        self.policy = policy
        self.scheme: Scheme = policy.scheme_obj
        self.redactor = redactor
        self.fingerprint = fingerprint
        self.release_date = date or policy.release.release_date or ""
        self.notes: list[str] = list(doc.notes)
        self.ceiling = self.scheme.level(policy.level)
        self.span_ids: dict[tuple[str, int, int], str] = {}
        # Where each masked span lies in the document text (redaction id -> start, end), for page boxes.
        self.entity_spans: dict[str, tuple[int, int]] = {}
        # The rectangles reviewers drew (page, box, codes, item), burned into the original pages.
        self.regions: list[tuple[int, tuple[float, float, float, float], list[str], str]] = []
        self.confidence = _Confidence(doc)
        self.hidden_in, self.hidden_elsewhere = hidden_owners(doc)
        # Overrides are checked before any work, so a bad or stale file fails fast.
        self.review = (
            None
            if overrides is None
            else Review(overrides, fingerprint=fingerprint, portion_ids=[p.id for p in doc.portions])
        )

    # ------------------------------------------------------------------------------------ decisions
    def decide(self, p: Portion) -> _Decision:
        """The policy's decision on a portion's marks, then the hidden-text rule: a portion that holds text
        the page does not show is withheld (its own codes, `codes.hidden`, added to any it has)."""
        d = self.decide_marks(p)
        kinds = self.hidden_in.get(p.id)
        if not kinds:
            return d
        what = ", ".join(kinds)
        flag = f"holds hidden text ({what}): it is never released"
        codes = list(dict.fromkeys(d.codes + list(self.policy.codes.hidden)))
        if d.decision == "release":
            return _Decision(
                "withhold",
                codes,
                f"holds text the page does not show ({what}); hidden text is "
                f"never released (its marks aside: {d.reason})",
                [*d.flags, flag],
            )
        return _Decision(
            "withhold", codes, f"{d.reason}; it also holds text the page does not show ({what})", [*d.flags, flag]
        )

    def decide_marks(self, p: Portion) -> _Decision:
        pol, scheme = self.policy, self.scheme
        marking = p.marking
        basis = p.basis
        if marking is None:
            default = pol.unmarked_default or scheme.highest.name
            marking = Marking(default, scheme=scheme.name)
            basis = f"no marking in the document: the policy's default {default}"
        flags = list(p.flags)
        mark_conf = self.confidence.of(p.mark_start, p.body_start) if p.mark else None
        if mark_conf is not None and mark_conf < MARK_CONFIDENCE:
            flags.append(f"mark {p.mark} read by OCR with low confidence ({mark_conf:.0f}%): check the page")
            return _Decision(
                "withhold",
                self.classified_codes(),
                f"mark {p.mark} read by OCR with low confidence ({mark_conf:.0f}%)",
                flags,
            )
        level = scheme.find(marking.level)
        if level is None or (marking.scheme != scheme.name and scheme.name != "us" and marking.scheme != "us"):
            return _Decision(
                "withhold",
                list(pol.codes.classified),
                f"marked {marking.level}, which is not a level of the {scheme.name} scheme",
                flags,
            )
        if "malformed" in marking.flags:
            return _Decision(
                "withhold", self.classified_codes(), f"unrecognised marking {p.mark}, read as {marking.level}", flags
            )
        what = self.described(p, basis, marking)
        declassified = False
        if level.rank > self.ceiling.rank:
            if not self.declassified(marking):
                if self.eligible(marking):
                    flags.append(f"eligible for declassification: declassify-on date {self.doc.decl.date} has passed")
                codes = (
                    self.classified_codes()
                    if p.source == "explicit"
                    else list(dict.fromkeys(pol.codes.unmarked + self.reason_codes()))
                )
                return _Decision("withhold", codes, f"{what}, above the release level {pol.level}", flags)
            declassified = True
            flags.append(f"declassify-on date {self.doc.decl.date} has passed")
        barred = self.controls_barred(marking)
        if barred:
            control, why = barred
            codes = pol.codes.controlled if control in CONTROLLED else pol.codes.dissemination
            if control not in CONTROLLED and level.rank > scheme.lowest.rank:
                codes = list(dict.fromkeys(codes + self.reason_codes()))
            return _Decision("withhold", list(codes), f"{what}: {why}", flags)
        if declassified:
            return _Decision(
                "release",
                [],
                f"{what}, declassified on {self.doc.decl.date} (the policy releases on a passed declassify-on date)",
                flags,
                declassified=True,
            )
        return _Decision("release", [], f"{what}, at or below the release level {pol.level}", flags)

    def described(self, p: Portion, basis: str, marking: Marking) -> str:
        if p.source == "explicit":
            return f"marked {marking.banner}"
        return basis

    def classified_codes(self) -> list[str]:
        return list(dict.fromkeys(self.policy.codes.classified + self.reason_codes()))

    def reason_codes(self) -> list[str]:
        if not self.policy.codes.add_reasons:
            return []
        return [state_style(r) for r in self.doc.reasons]

    def controls_barred(self, marking: Marking) -> tuple[str, str] | None:
        """The first control that bars release to this audience, and why."""
        pol = self.policy
        audience = pol.audience
        key = audience if audience in ("public", "us") else "foreign"
        rules = {**AUDIENCE_CONTROLS[key], **pol.controls}
        who = {"public": "the public", "us": "cleared US readers"}.get(audience, f"audience {audience}")
        controls = list(marking.controls)
        for c in controls:
            name = "SCI" if c in SCI or c.startswith(("SI-", "TK-", "HCS-")) else c
            name = "SAR" if c.startswith("SAR-") else name
            name = "FGI" if c.startswith("FGI") else name
            rule = rules.get(c, rules.get(name, "withhold"))
            if c in ATOMIC:
                rule = pol.controls.get(c, "withhold")
            if rule != "release":
                kind = "controlled unclassified" if c in CONTROLLED else "dissemination control"
                return c, f"{c} ({kind}) is not releasable to {who}"
        if marking.rel_to:
            if key == "foreign":
                if audience not in marking.rel_to:
                    return "REL TO", f"REL TO {', '.join(marking.rel_to)} does not include {audience}"
            elif rules.get("REL TO", "withhold") != "release":
                return "REL TO", f"REL TO {', '.join(marking.rel_to)} is not releasable to {who}"
        elif key == "foreign":
            lv = self.scheme.find(marking.level)
            if lv is not None and lv.rank > self.scheme.lowest.rank and pol.controls.get("NO REL TO") != "release":
                return "NOFORN", f"classified with no REL TO {audience}: not releasable to {who}"
        return None

    def eligible(self, marking: Marking) -> bool:
        decl = self.doc.decl
        if decl.kind != "date" or not decl.date or not self.release_date:
            return False
        if set(marking.controls) & ATOMIC or any(c.startswith("FGI") for c in marking.controls):
            return False
        if marking.scheme != "us":
            return False
        return decl.date < self.release_date

    def declassified(self, marking: Marking) -> bool:
        return self.policy.declassify_on_passed == "release" and self.eligible(marking)

    # -------------------------------------------------------------------------------------- release
    def release(self) -> Release:
        doc, pol = self.doc, self.policy
        decisions: dict[str, _Decision] = {p.id: self.decide(p) for p in doc.portions}
        proposed = [p for p in doc.portions if decisions[p.id].decision == "release"]
        self.apply_portion_overrides(decisions)
        released = [p for p in doc.portions if decisions[p.id].decision == "release"]
        # What is shown of the header: routing, TAGS, REF as they are; classification lines struck.
        shown_fields = [f for f in doc.fields if f.name not in HIDDEN_FIELDS]
        texts, findings = self.analyse(released, shown_fields)
        findings, officials = self.split_officials(findings)
        keys = self.owners(released, shown_fields)
        # Span ids are those of the machine's proposal, so a review file's ids keep their meaning in a
        # release whose overrides changed which portions are analysed.
        proposal = (
            findings if proposed == released else self.split_officials(self.analyse(proposed, shown_fields)[1])[0]
        )
        spans = proposal_ids(self.owners(proposed, shown_fields), proposal)
        self.span_ids = {(o.key, f.start, f.end): rid for rid, (o, f) in spans.items()}
        if self.review:
            findings = self.review.apply_findings(
                [t for t, _ in texts],
                keys,
                findings,
                spans,
                list(pol.codes.personal),
                self.region_spans(texts, released, shown_fields),
            )
        runs_for: dict[int, list[Run]] = {}
        redactions: list[Redaction] = []
        owners: list[tuple[str, Portion | HeaderField]] = [("portion", p) for p in released] + [
            ("field", f) for f in shown_fields
        ]
        for i, ((text, _), (kind, owner), key) in enumerate(zip(texts, owners, keys, strict=True)):
            runs_for[i] = self.runs(text, findings[i], kind, owner, key, redactions)
        blocks = self.blocks(decisions, released, shown_fields, runs_for)
        portions_out = [self.portion_decision(p, decisions[p.id]) for p in doc.portions]
        # A portion declassified (by a reviewer or by its date) is shown at the release level, not at its
        # old mark.
        declassified = set(self.review.declassified) if self.review else set()
        declassified |= {pid for pid, d in decisions.items() if d.declassified}
        visible = [
            Marking(pol.level, scheme=self.scheme.name) if p.id in declassified else p.marking
            for p in released
            if p.marking is not None
        ]
        banner = rollup(visible, self.scheme) if visible else Marking(self.scheme.lowest.name)
        if any(p.marking is None for p in released):
            banner = rollup(visible + [Marking(pol.unmarked_default or self.scheme.highest.name)], self.scheme)
        codes: list[str] = []
        for d in portions_out:
            codes.extend(c for c in d.codes if c not in codes)
        for r in redactions:
            codes.extend(c for c in r.codes if c not in codes)
        withheld = [d for d in portions_out if d.decision == "withhold"]
        settings = self.settings()
        if self.review:
            self.notes.append(
                f"{len(self.review.log)} reviewer decision(s) applied (reviewed by {', '.join(self.review.reviewers)})"
            )
        if not released:
            disposition = Disposition.WITHHELD
        elif withheld or redactions:
            disposition = Disposition.PART
        else:
            disposition = Disposition.FULL
        rel = Release(
            reference=doc.reference or doc.metadata.get("reference_id", ""),
            original_banner=doc.banner.banner if doc.banner else "",
            banner=banner.banner,
            disposition=disposition,
            codes=codes,
            policy={**pol.summary(), "source": None},
            document=self.document_info(),
            portions=portions_out,
            redactions=redactions,
            blocks=blocks,
            settings=settings,
            notes=self.collect_notes(portions_out),
            fingerprint=self.fingerprint,
            review=self.review.log if self.review else [],
            officials=self.released_officials(texts, officials, owners),
        )
        del rel.policy["source"]
        rel.text = compose_text(rel)
        return rel

    def region_spans(
        self, texts: list[tuple[str, int]], released: list[Portion], shown_fields: list[HeaderField]
    ) -> dict[int, list[list[tuple[int, int]]]]:
        """The released text under each rectangle a reviewer drew (redactor.regions), per released text;
        each rectangle is also kept (`self.regions`) to be burned into its page."""
        from redactor import regions
        from redactor.review import OverrideError

        assert self.review is not None
        out: dict[int, list[list[tuple[int, int]]]] = {}
        pages = len(self.doc.source.pages) if self.doc.source is not None else 0
        for o in self.review.region_items:
            if o.page > pages:
                raise OverrideError(
                    f"{o.where}: mask_region names page {o.page}, but the document has {pages} page(s) "
                    "(regions are for PDF uploads)"
                )
            out[o.index] = regions.released_spans(self.doc, o.page, o.box, texts, [*released, *shown_fields])
            self.regions.append((o.page, o.box, list(o.codes or self.policy.codes.personal), f"r{o.index + 1}"))
        return out

    def apply_portion_overrides(self, decisions: dict[str, _Decision]) -> None:
        """The reviewer's portion overrides (see redactor.review), before entity detection."""
        if self.review:
            levels = {p.id: p.marking.level if p.marking else None for p in self.doc.portions}
            self.review.apply_decisions(decisions, levels, self.policy.level, self.policy.reviewer_may_declassify)

    def analyse(
        self, released: list[Portion], shown_fields: list[HeaderField]
    ) -> tuple[list[tuple[str, int]], list[list[Finding]]]:
        """The released texts (portions, then header fields) and the entity findings in each."""
        texts = [self.portion_text(p) for p in released] + [self.field_text(f) for f in shown_fields]
        # Routing, TAGS, captions and the banner are codes, not prose: analysing them only adds noise.
        analysed = [i for i, f in enumerate(shown_fields, len(released)) if f.name in DETECTED_FIELDS]
        analysed = list(range(len(released))) + analysed
        codes_only = frozenset(
            k
            for k, i in enumerate(analysed)
            if i >= len(released) and shown_fields[i - len(released)].name in CODE_FIELDS
        )
        found = self.detect([texts[i][0] for i in analysed], codes_only)
        findings: list[list[Finding]] = [[] for _ in texts]
        for i, fs in zip(analysed, found, strict=True):
            findings[i] = fs
        return texts, findings

    @staticmethod
    def owners(released: list[Portion], shown_fields: list[HeaderField]) -> list[Owner]:
        """What span ids are made of: the portion id, or the field name (numbered from its second use)."""
        out = [Owner(p.id, p.id) for p in released]
        seen: dict[str, int] = {}
        for f in shown_fields:
            seen[f.name] = seen.get(f.name, 0) + 1
            out.append(Owner(f.name if seen[f.name] == 1 else f"{f.name}{seen[f.name]}", None))
        return out

    def portion_text(self, p: Portion) -> tuple[str, int]:
        """The released body of a portion (after its number and mark), page-break lines left out."""
        text = self.doc.text
        start = p.body_start
        pieces = []
        pos = start
        for a, b in p.breaks:
            if a >= pos:
                pieces.append(text[pos:a].rstrip(" \t"))
                pos = b
        pieces.append(text[pos : p.end])
        body = "".join(pieces).strip()
        body = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", body)
        return body, start

    def field_text(self, f: HeaderField) -> tuple[str, int]:
        return self.doc.text[f.start : f.end].strip(), f.start

    def split_officials(self, findings: list[list[Finding]]) -> tuple[list[list[Finding]], list[list[Finding]]]:
        """(what is masked, officials' names the policy releases) in each text."""
        if self.policy.entities.officials != "release":
            return findings, [[] for _ in findings]
        masked = [[f for f in fs if not f.official] for fs in findings]
        return masked, [[f for f in fs if f.official] for fs in findings]

    @staticmethod
    def released_officials(
        texts: list[tuple[str, int]], officials: list[list[Finding]], owners: list[tuple[str, Portion | HeaderField]]
    ) -> list[ReleasedName]:
        out = []
        # The kind of each owner is its type: ("portion", a Portion) or ("field", a HeaderField).
        for (text, _), found, (_kind, owner) in zip(texts, officials, owners, strict=True):
            for f in found:
                out.append(
                    ReleasedName(
                        name=text[f.start : f.end],
                        role=f.official,
                        portion=owner.id if isinstance(owner, Portion) else None,
                        field=owner.name if isinstance(owner, HeaderField) else None,
                    )
                )
        return out

    def detect(self, texts: list[str], codes_only: frozenset[int]) -> list[list[Finding]]:
        """Findings in the released texts. Only released text is read: nothing withheld (a withheld
        signature, a withheld TAGS line) can seed what is masked or released in it."""
        ent = self.policy.entities
        if not texts or not (ent.types or ent.deny or ent.patterns):
            return [[] for _ in texts]
        detector = self.redactor.detector(ent.model)
        return detector.detect(
            texts,
            dict(ent.types),
            allow=ent.allow,
            deny=ent.deny,
            patterns=list(ent.patterns),
            propagate=ent.propagate,
            codes_only=codes_only,
        )

    def runs(
        self,
        text: str,
        findings: list[Finding],
        kind: str,
        owner: Portion | HeaderField,
        key: Owner,
        redactions: list[Redaction],
    ) -> list[Run]:
        runs: list[Run] = []
        pos = 0
        added = 0
        codes = list(self.policy.codes.personal)
        for f in findings:
            if f.start < pos:
                continue
            if f.start > pos:
                runs.append(Run(text[pos : f.start]))
            rid = self.span_ids.get((key.key, f.start, f.end))
            if rid is None:  # a span the reviewer's overrides made: not one a review file can name
                added += 1
                rid = f"{key.prefix}.x{added}"
            red = Redaction(
                id=rid,
                portion=owner.id if isinstance(owner, Portion) else None,
                kind="term"
                if f.source == "deny" or f.entity_type == "REVIEWER_TERM"
                else ("pattern" if f.source == "pattern" else "entity"),
                entity_type=f.entity_type,
                codes=codes,
                score=f.score,
                field=owner.name if isinstance(owner, HeaderField) else None,
            )
            if isinstance(f, Masked):
                red.codes, red.proposed_by, red.reviewer, red.justification = (
                    list(f.codes),
                    "reviewer",
                    f.reviewer,
                    f.justification,
                )
                red.machine = {"codes": list(f.machine)} if f.machine else None
            redactions.append(red)
            self.entity_spans[rid] = _doc_span(self.doc, kind, owner, text, f.start, f.end)
            runs.append(Run(ENTITY_PLACEHOLDER.format(codes=" ".join(red.codes)), redaction=rid))
            pos = f.end
        if pos < len(text):
            runs.append(Run(text[pos:]))
        return runs

    def blocks(
        self,
        decisions: dict[str, _Decision],
        released: list[Portion],
        shown_fields: list[HeaderField],
        runs_for: dict[int, list[Run]],
    ) -> list[Block]:
        doc = self.doc
        index = {id(p): i for i, p in enumerate(released)}
        index.update({id(f): len(released) + i for i, f in enumerate(shown_fields)})
        blocks: list[Block] = []
        for kind, _s, _e, item in doc.segments():
            if kind == "field" and id(item) in index:
                assert isinstance(item, HeaderField)  # segments() pairs the kind field with a HeaderField
                f: HeaderField = item
                runs = runs_for[index[id(f)]]
                if f.name in CLASSIFICATION_FIELDS:
                    blocks.append(
                        Block(
                            "struck", [Run(r.text, r.redaction, struck=r.redaction is None) for r in runs], field=f.name
                        )
                    )
                else:
                    blocks.append(Block("field", runs, field=f.name))
            elif kind == "portion":
                assert isinstance(item, Portion)  # and the kind portion with a Portion
                p: Portion = item
                d = decisions[p.id]
                label = "SUBJECT" if p.kind == "subject" else p.label
                if d.decision == "release":
                    blocks.append(
                        Block(
                            "portion",
                            runs_for[index[id(p)]],
                            portion=p.id,
                            number=p.number,
                            label=label,
                            mark=p.mark or "",
                        )
                    )
                else:
                    placeholder = WITHHELD_PLACEHOLDER.format(codes=" ".join(d.codes))
                    blocks.append(
                        Block(
                            "withheld",
                            [Run(placeholder)],
                            portion=p.id,
                            number=p.number,
                            label=label,
                            mark=p.mark or "",
                            codes=list(d.codes),
                        )
                    )
        return blocks

    def portion_decision(self, p: Portion, d: _Decision) -> PortionDecision:
        m = p.marking
        return PortionDecision(
            id=p.id,
            number=p.number,
            label=p.label if p.kind != "subject" else "SUBJECT",
            kind=p.kind,
            mark=p.mark,
            level=m.level if m else None,
            controls=m.controls_out() if m else [],
            source=p.source,
            decision=d.decision,
            codes=d.codes,
            reason=d.reason,
            flags=d.flags,
            proposed_by=d.proposed_by,
            reviewer=d.reviewer,
            justification=d.justification,
            authority=d.authority,
            machine=d.machine,
            confidence=self.confidence.of(p.start, p.end),
            mark_confidence=self.confidence.of(p.mark_start, p.body_start) if p.mark else None,
        )

    def document_info(self) -> dict:
        doc = self.doc
        banner = doc.banner
        info = {
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
        return info

    def settings(self) -> ReleaseSettings:
        r = self.policy.release
        reviewer, authority = r.reviewer, r.authority
        if self.review:
            # The person who signs the release is the reviewer whose decisions it carries.
            reviewer = ", ".join(self.review.reviewers) or reviewer
            authority = "; ".join(a for a in [authority, *self.review.authorities] if a)
        return ReleaseSettings(
            agency=r.agency,
            case_number=r.case_number,
            doc_number=r.doc_number,
            release_date=self.release_date,
            reviewer=reviewer,
            authority=authority,
            box=r.box,
            stamp={"full": r.stamp_full, "part": r.stamp_part, "withheld": r.stamp_withheld},
            header=r.header,
            footer=r.footer,
        )

    def collect_notes(self, portions: list[PortionDecision]) -> list[str]:
        notes = list(self.notes)
        doc = self.doc
        if doc.hidden:
            held = [p.id for p in portions if p.id in self.hidden_in]
            notes.append(
                f"hidden text in the upload: {len(doc.hidden)} span(s) "
                f"({', '.join(sorted({w for _, _, w in doc.hidden}))}); never released: marks are read "
                f"from the visible text, and {len(held)} portion(s) holding it are withheld"
                + (f" ({', '.join(held)})" if held else "")
                + (f"; {self.hidden_elsewhere} span(s) outside any portion left out" if self.hidden_elsewhere else "")
            )
        flagged = [p for p in portions if p.flags]
        if flagged:
            notes.append(f"{len(flagged)} portion(s) flagged for the reviewer")
        if any(p.source == "default" for p in portions):
            notes.append("no banner and no marks: portions were decided by the policy's default level")
        if doc.decl.kind == "date" and not self.release_date:
            notes.append(f"declassify-on date {doc.decl.date}: not assessed (no release date given)")
        return notes


class _Confidence:
    """OCR word confidences (SourceText.confidence) by text span; None for a document not read by OCR."""

    def __init__(self, doc: Document) -> None:
        self.words = list(getattr(doc.source, "confidence", None) or [])

    def of(self, start: int | None, end: int | None) -> float | None:
        if not self.words or start is None or end is None:
            return None
        inside = [c for a, b, c in self.words if a < end and b > start]
        return round(sum(inside) / len(inside), 1) if inside else None


def _doc_span(doc: Document, kind: str, owner: object, body: str, start: int, end: int) -> tuple[int, int]:
    """Offsets in the document text of [start, end) of a released body (a portion's text after its mark,
    page-break lines left out; a header field's stripped text): the body is the document text with some
    whitespace and the break lines removed, so its characters are matched in order."""
    text = doc.text
    if kind == "field":
        f: HeaderField = owner  # type: ignore[assignment]
        lead = len(text[f.start : f.end]) - len(text[f.start : f.end].lstrip())
        return f.start + lead + start, f.start + lead + end
    p: Portion = owner  # type: ignore[assignment]
    skip = sorted(p.breaks)
    pos, out_start, out_end = p.body_start, None, None
    for i, ch in enumerate(body[:end]):
        while pos < p.end:
            br = next((b for a, b in skip if a <= pos < b), None)
            if br is not None:
                pos = br
                continue
            if text[pos] == ch:
                break
            pos += 1
        if i == start:
            out_start = pos
        pos += 1
        out_end = pos
    return (out_start if out_start is not None else p.body_start), (out_end or p.body_start)


# ------------------------------------------------------------------------------------------ hidden text
def read_visible(source: ingest.SourceText, scheme: Scheme = US, deadline: Deadline | None = None) -> Document:
    """Segment what the page shows, and let hidden text only raise levels.

    The Document is built from the reader's visible view (redactor.ingest.visible): hidden characters are not
    in its text, so they can neither form a mark nor break one, nor be released by any path; each is a
    zero-width point in `Document.hidden`. When there is hidden text the whole text is segmented too, and a
    portion whose characters that reading puts at a higher level (a hidden banner, a hidden mark above its
    own) takes the higher level.
    """
    from redactor.ingest.visible import visible_view

    view = visible_view(source)
    doc = segment(view.source, scheme=scheme, deadline=deadline)
    doc.source = view.source  # its character boxes and OCR confidences are aligned with doc.text
    if not doc.hidden:
        return doc
    full = segment(source, scheme=scheme, deadline=deadline)
    raise_levels(doc, full, view.full_offset)
    return doc


def _rank(m: Marking | None) -> float | None:
    if m is None:
        return None
    from redactor.markings import SCHEMES

    scheme = SCHEMES.get(m.scheme)
    level = scheme.find(m.level) if scheme else None
    return level.rank if level else None


def raise_levels(doc: Document, full: Document, full_offset) -> None:
    """Give each portion of `doc` the highest level a portion of `full` covering its text has (never lower).

    Only a level the whole text states counts: a mark, or a banner higher than the visible one. Hidden text
    that the whole reading merely splits off as an unmarked portion (it inherits the banner) says nothing of
    the level; the portion holding it is withheld for the hidden text all the same.
    """
    stated_banner = _rank(full.banner) is not None and (
        _rank(doc.banner) is None or (_rank(full.banner) or 0) > (_rank(doc.banner) or 0)
    )
    starts = [q.start for q in full.portions]
    for p in doc.portions:
        mine = _rank(p.marking)
        if p.marking is None or mine is None or p.end <= p.start:
            continue
        a, b = full_offset(p.start), full_offset(p.end - 1) + 1
        best: Portion | None = None
        i = max(bisect.bisect_right(starts, a) - 1, 0)
        for q in full.portions[i:]:
            if q.start >= b:
                break
            if q.end <= a or q.marking is None or q.marking.scheme != p.marking.scheme:
                continue
            if q.source != "explicit" and not stated_banner:
                continue
            r = _rank(q.marking)
            if r is not None and r > mine and (best is None or r > (_rank(best.marking) or 0)):
                best = q
        if best is not None and best.marking is not None:
            p.marking = best.marking
            p.source = "inherited"
            p.basis = f"read as {best.marking.banner} with the hidden text in (the higher reading is kept)"
            p.flags = [*p.flags, f"level raised by hidden text to {best.marking.level}"]


def hidden_owners(doc: Document) -> tuple[dict[str, list[str]], int]:
    """The hidden-text kinds each portion holds (by portion id), and how many hidden points lie outside
    every portion (in a header line or between portions: not released either way)."""
    out: dict[str, list[str]] = {}
    elsewhere = 0
    portions = sorted(doc.portions, key=lambda p: p.start)
    starts = [p.start for p in portions]
    for pos, _end, why in doc.hidden:
        i = bisect.bisect_right(starts, pos) - 1
        owner = None
        if i >= 0 and pos <= portions[i].end:
            owner = portions[i]
        elif i + 1 < len(portions) and pos == portions[i + 1].start:
            owner = portions[i + 1]
        elif i >= 0 and not any(f.start <= pos <= f.end for f in doc.fields if f.start >= portions[i].end):
            owner = portions[i]  # between two portions: the one before it (it may have ended the paragraph)
        if owner is None:
            elsewhere += 1
            continue
        kinds = out.setdefault(owner.id, [])
        if why not in kinds:
            kinds.append(why)
    return out, elsewhere


def compose_text(rel: Release) -> str:
    """The plain-text release, and the offsets of each redaction placeholder in it."""
    out: list[str] = []
    pos = 0
    by_id = {r.id: r for r in rel.redactions}

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
            if r.redaction:
                red = by_id[r.redaction]
                red.start = pos
                emit(r.text)
                red.end = pos
            else:
                emit(r.text)
        if b.kind == "struck":
            emit("~~")
        emit("\n\n" if b.kind in ("portion", "withheld") else "\n")
    emit(rel.banner + "\n")
    return "".join(out)


def _fingerprint_key() -> bytes:
    """The key of the source fingerprint: REDACTOR_FINGERPRINT_KEY, else one kept in the user's state dir.

    The fingerprint is keyed so that it says nothing of withheld text: a plain hash of the source would let
    anyone holding the release confirm a guess of a short withheld paragraph.
    """
    env = os.environ.get("REDACTOR_FINGERPRINT_KEY")
    if env:
        return env.encode("utf-8")
    global _KEY
    if _KEY is None:
        state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "redactor"
        path = state / "fingerprint.key"
        try:
            if not path.exists():
                state.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(secrets.token_bytes(32))
            _KEY = path.read_bytes()
        except OSError:
            _KEY = secrets.token_bytes(32)  # not writable: fingerprints hold for this process only
    return _KEY


_KEY: bytes | None = None


def fingerprint_of(text: str, policy: Policy) -> str:
    """A keyed fingerprint of the source text and the policy, for telling stale review files apart."""
    # The version is in it because detection may change between versions, and with it what a span id names.
    msg = (
        f"{__version__}\0".encode()
        + text.encode("utf-8")
        + b"\0"
        + policy.model_dump_json(exclude={"source"}).encode("utf-8")
    )
    return hmac.new(_fingerprint_key(), msg, hashlib.sha256).hexdigest()[:32]

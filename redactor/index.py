"""The Vaughn index of a release: one entry per withholding (and per reviewer's reversal of one).

Built from a finished Release only, so it can never repeat withheld content: an entry names where the
withholding is (paragraph), what kind of thing was withheld, its exemption codes, the justification and who
decided. The JSON release carries it; the PDF prints it with the page each entry was drawn on.
"""

from __future__ import annotations

from collections.abc import Sequence

from redactor.release import IndexEntry, PortionDecision, Redaction, Release, ReleasedName, ReviewDecision

ENTITY_WORDS = {
    "PERSON": "Name of a person",
    "EMAIL_ADDRESS": "Email address",
    "PHONE_NUMBER": "Telephone number",
    "US_SSN": "Social security number",
    "IBAN_CODE": "Bank account number",
    "CREDIT_CARD": "Payment card number",
    "LOCATION": "Location",
    "IP_ADDRESS": "IP address",
    "URL": "Web address",
}
FIELD_WORDS = {
    "banner": "Banner",
    "caption": "Caption",
    "eo": "E.O. line",
    "classified_by": "Classified By line",
    "routing": "Routing line",
    "tags": "TAGS line",
    "ref": "REF line",
    "dtg": "Date-time group",
}


# An entry before it is numbered: kind, key, paragraph, withheld, codes, justification, decided by.
_Row = tuple[str, str, str, str, tuple[str, ...], str, str]
_ROW_KEYS = ("kind", "key", "paragraph", "withheld", "codes", "justification", "decided_by")


def decided_by(proposed_by: str, reviewer: str | None) -> str:
    return f"reviewer {reviewer}" if proposed_by == "reviewer" and reviewer else proposed_by


def entity_words(entity_type: str) -> str:
    return ENTITY_WORDS.get(entity_type, entity_type.replace("_", " ").capitalize())


class _Namer:
    """Paragraph names as a reader of the release finds them."""

    def __init__(self, release: Release) -> None:
        self.portions = {p.id: p for p in release.portions}
        self.number_before: dict[str, str] = {}
        last = ""
        for p in release.portions:
            self.number_before[p.id] = last
            last = p.number or last

    def name(self, portion: PortionDecision | None, field: str = "") -> str:
        if portion is None:
            return FIELD_WORDS.get(field, field.replace("_", " ").capitalize() or "Header")
        if portion.label.upper().rstrip(":") == "SUBJECT" or portion.kind == "subject":
            return "Subject"
        name = ".".join(p for p in (portion.number, portion.label if portion.label != "-" else "") if p)
        if name:
            return name
        # An unnumbered portion (a heading, a signature) is located by the paragraph before it.
        before = self.number_before.get(portion.id)
        return f"Unnumbered, after {before}" if before else "Unnumbered, before 1"


def build_index(release: Release) -> tuple[IndexEntry, ...]:
    """The entries in reading order: withheld portions and masks as the blocks show them, then anything the
    release lists that no block shows, then the reviewer's reversals of machine proposals."""
    namer = _Namer(release)
    redactions = {r.id: r for r in release.redactions}
    rows: list[_Row] = []
    seen: set[tuple[str, str]] = set()

    def portion_row(portion: PortionDecision | None, pid: str, codes: Sequence[str]) -> None:
        if ("portion", pid) in seen:
            return
        seen.add(("portion", pid))
        what = "Subject line" if portion and portion.kind == "subject" else "Portion withheld in full"
        rows.append(
            (
                "portion",
                pid,
                namer.name(portion),
                what,
                tuple(portion.codes if portion and portion.codes else codes),
                (portion.justification or portion.reason) if portion else "withheld",
                decided_by(portion.proposed_by, portion.reviewer) if portion else "machine",
            )
        )

    def entity_row(r: Redaction, field: str = "") -> None:
        if ("entity", r.id) in seen:
            return
        seen.add(("entity", r.id))
        rows.append(
            (
                "entity",
                r.id,
                namer.name(namer.portions.get(r.portion or ""), r.field or field),
                entity_words(r.entity_type),
                tuple(r.codes),
                r.justification or "Personal data masked in released text",
                decided_by(r.proposed_by, r.reviewer),
            )
        )

    for block in release.blocks:
        if block.kind == "withheld" and block.portion:
            portion_row(namer.portions.get(block.portion), block.portion, block.codes)
        for run in block.runs:
            if run.redaction and run.redaction in redactions:
                entity_row(redactions[run.redaction], block.field)
    for portion in release.withheld():
        portion_row(portion, portion.id, [])
    for r in release.redactions:
        entity_row(r)
    for entry in release.review:
        row = _review_row(entry, namer)
        if row:
            rows.append(row)
    rows.extend(official_rows(release, namer))
    return tuple(
        IndexEntry.model_validate({"item": n, **dict(zip(_ROW_KEYS, row, strict=True))})
        for n, row in enumerate(rows, 1)
    )


def official_rows(release: Release, namer: _Namer | None = None) -> list[_Row]:
    """One row per official whose name the policy released (first mention, and how many), so the index
    accounts for every name left visible as well as every name masked."""
    namer = namer or _Namer(release)
    first: dict[str, ReleasedName] = {}
    mentions: dict[str, int] = {}
    for o in release.officials:
        first.setdefault(o.name, o)
        mentions[o.name] = mentions.get(o.name, 0) + 1
    rows: list[_Row] = []
    for name, o in first.items():
        count = mentions[name]
        where = namer.name(namer.portions.get(o.portion or ""), o.field or "")
        more = f" ({count} mentions)" if count > 1 else ""
        rows.append(
            (
                "official",
                name,
                where,
                "Name of an official, released",
                (),
                f"{o.role}: acting in an official capacity; {o.disposition}{more}",
                "policy",
            )
        )
    return rows


def _review_row(entry: ReviewDecision, namer: _Namer) -> _Row | None:
    """A reviewer's release against the machine's proposal: the index records every reversal too."""
    machine = entry.machine or {}
    if entry.action == "release" and entry.target == "portion" and machine.get("decision") == "withhold":
        what = "Portion released (proposed: withheld in full)"
    elif entry.action == "release" and entry.target == "redaction":
        what = f"{ENTITY_WORDS.get(entry.entity_type or '', 'Masked text')} released (proposed: masked)"
    elif entry.action == "release_term" and entry.count:
        what = f"Term released at {entry.count} place(s)"
    elif entry.target == "region" and not entry.count:
        # A drawn region over no text (a drawing, a stamp, ink OCR did not read): burned into the original
        # page, with no masked span to stand for it, so the index records it here.
        return (
            "review",
            str(entry.item),
            f"Page {entry.page}" if entry.page else "Whole document",
            "Region of the original page withheld",
            tuple(entry.codes),
            entry.justification,
            decided_by("reviewer", entry.reviewer),
        )
    else:
        return None
    where = namer.portions.get(entry.portion or "")
    paragraph = namer.name(where) if where else "Whole document"
    justification = entry.justification + (f" (authority: {entry.authority})" if entry.authority else "")
    return ("review", str(entry.item), paragraph, what, (), justification, decided_by("reviewer", entry.reviewer))

"""The data model shared by the engine and every renderer.

A Document is what segmenting found (dataclasses: the reading and the hidden-text pass fill them in); a
Release is what the engine decided, as frozen pydantic models: the contract every renderer (text, JSON, PDF,
the web page) reads. A Release holds no withheld text, and once made it cannot be changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from redactor.markings import Marking

# Header field names. Classification lines are shown struck through in a release.
CLASSIFICATION_FIELDS = frozenset({"banner", "caption", "eo", "classified_by"})
# Fields that are never carried into a release (not cable text, or layout only).
HIDDEN_FIELDS = frozenset({"metadata", "page_break"})


def _read_only(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """A mapping of a frozen model that cannot be changed either (a dict field of a frozen model can): its
    lists become tuples."""
    return MappingProxyType({k: tuple(v) if isinstance(v, list) else v for k, v in value.items()})


# A mapping field of a frozen model: read-only once made, written as a JSON object.
ReadOnly = Annotated[Mapping[str, Any], AfterValidator(_read_only), PlainSerializer(dict, return_type=dict[str, Any])]
ReadOnlyText = Annotated[
    Mapping[str, str], AfterValidator(_read_only), PlainSerializer(dict, return_type=dict[str, str])
]


@dataclass
class Decl:
    """The declassification instruction of the `E.O. 12958: DECL:` line, normalised."""

    raw: str = ""
    kind: str = "none"  # date | code | event | none
    date: str | None = None  # ISO date when the line gives one
    code: str | None = None  # 1.6X1, X1, OADR, 25X1, 50X1-HUM, N/A


@dataclass
class HeaderField:
    name: str  # banner, caption, routing, metadata, dtg, eo, tags, ref, classified_by, page_break
    start: int
    end: int
    value: str = ""  # the normalised value (e.g. the TAGS list joined by spaces)


@dataclass
class Portion:
    """A piece of the document that carries (or should carry) its own classification mark."""

    id: str  # p1, p2, ... in document order
    kind: str  # subject | paragraph | subparagraph | bullet | unnumbered
    number: str  # paragraph number as printed ("4"), "" for unnumbered portions
    label: str  # subparagraph label ("A", "a", "-") or "SUBJECT"; "" otherwise
    start: int
    end: int
    body_start: int  # where the text after the number and mark starts
    mark: str | None = None  # the mark as printed, "(C)"; None when unmarked
    mark_start: int | None = None
    marking: Marking | None = None  # None only while the level is unknown (source "default")
    source: str = "explicit"  # explicit | inherited | default
    basis: str = ""  # how the level was known, in words
    parent: str | None = None  # portion id of the paragraph a subparagraph belongs to
    breaks: list[tuple[int, int]] = field(default_factory=list)  # page-break lines inside the portion
    flags: list[str] = field(default_factory=list)
    started_by: str = ""  # the grammar rule (redactor.segment.RULES) that started the portion
    ended_by: str = ""  # the rule that ended it


@dataclass
class Document:
    text: str
    format: str
    fields: list[HeaderField]
    portions: list[Portion]
    banner: Marking | None = None  # as printed, with its captions
    effective_banner: Marking | None = None  # banner raised to the highest mark found (what unmarked text gets)
    reference: str = ""
    section: str = ""
    dtg: str = ""
    date: str | None = None  # origin date, ISO
    decl: Decl = field(default_factory=Decl)
    tags: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    classified_by: str = ""
    reasons: list[str] = field(default_factory=list)  # ["1.4(b)", "1.4(d)"]
    captions: list[str] = field(default_factory=list)
    entire_text: Marking | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    hidden: list[tuple[int, int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: Any = field(default=None, repr=False, compare=False)  # the SourceText (page geometry, OCR)

    def segments(self) -> list[tuple[str, int, int, object | None]]:
        """Every top-level piece in order: ("field"|"portion"|"gap", start, end, item)."""
        items: list[tuple[int, int, str, object]] = [(f.start, f.end, "field", f) for f in self.fields]
        items += [(p.start, p.end, "portion", p) for p in self.portions]
        items.sort(key=lambda t: (t[0], t[1]))
        out: list[tuple[str, int, int, object | None]] = []
        pos = 0
        for start, end, kind, item in items:
            if start > pos:
                out.append(("gap", pos, start, None))
            out.append((kind, start, end, item))
            pos = max(pos, end)
        if pos < len(self.text):
            out.append(("gap", pos, len(self.text), None))
        return out

    def field(self, name: str) -> HeaderField | None:
        return next((f for f in self.fields if f.name == name), None)


# ------------------------------------------------------------------------------------------- release
class Model(BaseModel):
    """A frozen model of the release. Fields may be given by keyword or, in their order, by position."""

    model_config = ConfigDict(frozen=True)

    def __init__(self, *args: Any, **data: Any) -> None:
        if args:
            names = list(type(self).model_fields)
            if len(args) > len(names):
                raise TypeError(f"{type(self).__name__} takes at most {len(names)} positional arguments")
            for name, value in zip(names, args, strict=False):
                if name in data:
                    raise TypeError(f"{type(self).__name__} got {name!r} by position and by keyword")
                data[name] = value
        super().__init__(**data)


class Run(Model):
    """A piece of visible text, or a placeholder standing for a redaction (text is then the label)."""

    text: str
    redaction: str | None = None  # id of the Redaction this placeholder stands for
    struck: bool = False  # superseded classification marking, shown struck through


BULLETS = frozenset({"-", "--", "*", "•"})


def portion_prefix(number: str, label: str) -> str:
    """What stands before a portion's mark, as the document printed it: `4. `, `B. `, `- `, `SUBJECT: `.

    A subparagraph prints its own label, not its parent's number too (`o.`, not `1. o.`). Every renderer
    prints a portion's prefix with this function, so text, PDF and the page agree.
    """
    if label.rstrip(":").upper() == "SUBJECT":
        return "SUBJECT: "
    if label:
        return f"{label} " if label in BULLETS else f"{label}. "
    return f"{number}. " if number else ""


class Prefix(Model):
    """What a portion starts with: its number, its label and its original mark (struck through in a release)."""

    number: str = ""
    label: str = ""
    mark: str | None = None

    @property
    def text(self) -> str:
        """The number or label as printed before the mark (`4. `, `B. `, `SUBJECT: `)."""
        return portion_prefix(self.number, self.label)


class Block(Model):
    """One line or paragraph of the release, in reading order."""

    kind: str  # banner | struck | field | portion | withheld
    runs: tuple[Run, ...]
    portion: str | None = None  # portion id
    number: str = ""
    label: str = ""
    mark: str = ""  # original mark as printed, shown struck through
    codes: tuple[str, ...] = Field(default_factory=tuple)  # for a withheld portion
    field: str = ""  # header field name for field/struck blocks

    @property
    def prefix(self) -> str:
        """The portion's number or label as printed before its mark ("" for other blocks)."""
        return portion_prefix(self.number, self.label) if self.kind in ("portion", "withheld") else ""


class PortionDecision(Model):
    """The decision on one portion, with its reason: what the JSON release lists under `portions`."""

    id: str
    number: str
    label: str
    kind: str
    mark: str | None
    level: str | None
    controls: tuple[str, ...]
    source: str
    decision: str  # release | withhold
    codes: tuple[str, ...]
    reason: str
    flags: tuple[str, ...] = Field(default_factory=tuple)
    proposed_by: str = "machine"
    reviewer: str | None = None
    justification: str | None = None
    authority: str | None = None  # the declassification authority a reviewer cited to release it
    machine: ReadOnly | None = None  # what the machine proposed, when a reviewer overrode it
    confidence: float | None = None  # OCR: mean word confidence of the portion (0-100)
    mark_confidence: float | None = None  # OCR: confidence of the words of its mark

    @property
    def prefix(self) -> Prefix:
        """Number, label and mark together: what every renderer prints before the portion's text."""
        return Prefix(number=self.number, label=self.label, mark=self.mark)


class Redaction(Model):
    """A masked entity (or term) inside released text. Offsets point into Release.text."""

    id: str
    portion: str | None  # portion id, or None for a header field
    kind: str  # entity | term | pattern
    entity_type: str
    codes: tuple[str, ...]
    score: float
    start: int = 0
    end: int = 0
    field: str | None = None
    proposed_by: str = "machine"
    reviewer: str | None = None
    justification: str | None = None
    machine: ReadOnly | None = None  # what the machine proposed, when a reviewer overrode it


class ReviewDecision(Model):
    """One reviewer override as applied, for the audit trail. Never holds a term or any document text."""

    item: int  # index in the overrides file
    action: str  # release | withhold | codes | mask | release_term
    target: str  # portion | redaction | term | region
    reviewer: str
    justification: str
    id: str | None = None  # portion or redaction id
    portion: str | None = None  # the portion the target lies in (None for a term or a header field)
    entity_type: str | None = None
    codes: tuple[str, ...] = Field(default_factory=tuple)
    machine: ReadOnly | None = None  # what the machine had proposed for the target
    authority: str | None = None
    count: int = 0  # spans of released text the override changed
    page: int | None = None  # mask_region: the page and rectangle (PDF points) the reviewer drew
    box: tuple[float, ...] | None = None


class IndexEntry(Model):
    """One entry of the Vaughn index (redactor.index builds them from a finished Release)."""

    item: int  # 1, 2, ... in the order of the release
    kind: str  # portion | entity | review | official
    key: str  # portion id, redaction id, or the override's number in the review file
    paragraph: str  # where: "4", "4.a", "Subject", "Unnumbered, after 3", "Classified By line"
    withheld: str  # what kind of thing, never the thing itself
    codes: tuple[str, ...]
    justification: str
    decided_by: str  # machine, or "reviewer NAME"


class Disposition(StrEnum):
    """What was done with the document as a whole. The value is the canonical name (the JSON contract);
    the words printed on the stamp are the policy's (`ReleaseSettings.stamp[disposition.key]`)."""

    FULL = "RELEASE IN FULL"
    PART = "RELEASE IN PART"
    WITHHELD = "WITHHELD IN FULL"

    @property
    def key(self) -> str:
        return {"RELEASE IN FULL": "full", "RELEASE IN PART": "part", "WITHHELD IN FULL": "withheld"}[self.value]


class ReleasedName(Model):
    """A person's name left visible because the policy releases officials acting in their office (B6 does
    not reach them). It is released text, so naming it here discloses nothing the text does not."""

    name: str
    role: str  # the title or role that makes it an official's (`Ambassador`, `signer`)
    portion: str | None = None
    field: str | None = None
    disposition: str = "official, released by policy"


class ReleaseSettings(Model):
    """What a policy says about the look of the release (agency line, stamp wording, box colour)."""

    agency: str = "Declassified release"
    case_number: str = ""
    doc_number: str = ""
    release_date: str = ""
    reviewer: str = ""
    authority: str = ""
    box: str = "black"
    stamp: ReadOnlyText = Field(
        default_factory=lambda: {"full": "RELEASE IN FULL", "part": "RELEASE IN PART", "withheld": "WITHHELD IN FULL"},
        validate_default=True,
    )
    header: str = ""
    footer: str = ""


class _Open(Model):
    """Other keys may be added to this part of the JSON release."""

    model_config = ConfigDict(frozen=True, extra="allow")


class BannerInfo(_Open):
    level: str
    controls: tuple[str, ...]


class DeclInfo(_Open):
    kind: str = "none"  # date | code | event | none
    date: str | None = None
    code: str | None = None


class DocumentInfo(_Open):
    """What was read from the document's header."""

    reference: str = ""
    banner: BannerInfo | None = None
    reasons: tuple[str, ...] = Field(default_factory=tuple)
    declassify_on: str | None = None
    decl: DeclInfo = Field(default_factory=DeclInfo)
    date: str | None = None
    tags: tuple[str, ...] = Field(default_factory=tuple)
    captions: tuple[str, ...] = Field(default_factory=tuple)
    format: str = ""


class PolicyInfo(_Open):
    """The policy the release was made under (Policy.summary())."""

    name: str
    level: str
    audience: str = ""
    scheme: str = ""
    description: str = ""


class PageBox(Model):
    """A region of an original page, in PDF points from the page's bottom left corner."""

    kind: str  # withheld | entity | region (drawn by a reviewer) | banner | struck
    x0: float
    y0: float
    x1: float
    y1: float
    codes: tuple[str, ...] = Field(default_factory=tuple)
    item: str = ""  # the portion or redaction id it stands for


class PageWord(Model):
    """A released word on an original page, for the release's text layer."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


class ReleasePage(Model):
    """An original page with every withheld region already burned into its pixels.

    `image` (a PIL image) is made by redactor.original: the upload rendered and each withheld box filled
    before the image leaves that module, so a Release still holds nothing withheld.
    """

    number: int
    width: float  # points
    height: float
    image: Any = Field(repr=False, exclude=True)
    boxes: tuple[PageBox, ...] = Field(default_factory=tuple)
    words: tuple[PageWord, ...] = Field(default_factory=tuple)

    def summary(self) -> PageJSON:
        """The page's size and its withheld, masked and drawn boxes (the JSON's `pages`, for the review
        view): places and codes only, never a word or a pixel."""
        boxes = tuple(b for b in self.boxes if b.kind in ("withheld", "entity", "region"))
        return PageJSON(number=self.number, width=self.width, height=self.height, boxes=boxes)


class PageJSON(Model):
    """An original page of a layout=original release in the JSON: its size in points and its boxes (the
    review view draws them over the page's image)."""

    number: int
    width: float
    height: float
    boxes: tuple[PageBox, ...]


class Release(Model):
    """What the engine decided about one document: every renderer reads this, and only this."""

    reference: str
    original_banner: str  # the banner as the document had it (struck through in a release)
    banner: str  # the release's own banner: roll-up of what stays visible
    disposition: Disposition
    codes: tuple[str, ...]
    policy: PolicyInfo
    document: DocumentInfo
    portions: tuple[PortionDecision, ...]
    redactions: tuple[Redaction, ...]
    blocks: tuple[Block, ...]
    settings: ReleaseSettings
    notes: tuple[str, ...] = Field(default_factory=tuple)
    fingerprint: str = ""
    text: str = ""
    review: tuple[ReviewDecision, ...] = Field(default_factory=tuple)
    officials: tuple[ReleasedName, ...] = Field(default_factory=tuple)
    index: tuple[IndexEntry, ...] = Field(default_factory=tuple)  # the Vaughn index (the engine builds it)
    pages: tuple[ReleasePage, ...] = Field(default_factory=tuple, repr=False, exclude=True)  # layout=original

    @property
    def stamp(self) -> str:
        """The disposition in the policy's words, as the stamp prints it."""
        return self.settings.stamp.get(self.disposition.key, self.disposition.value)

    def withheld(self) -> list[PortionDecision]:
        return [p for p in self.portions if p.decision == "withhold"]

    def vaughn_index(self) -> tuple[IndexEntry, ...]:
        """The Vaughn index: the engine's, or, for a release made by hand without one, built from the rest."""
        from redactor.index import build_index  # the index reads a Release: imported here, not at the top

        return self.index or build_index(self)

    def to_json(self) -> ReleaseJSON:
        """The JSON release as a model (its schema is the published one)."""
        return ReleaseJSON(
            document=self.document,
            policy=self.policy,
            release=ReleaseSummary(
                banner=self.banner,
                disposition=self.disposition,
                stamp=self.stamp,
                codes=self.codes,
                fingerprint=self.fingerprint,
                notes=self.notes,
                settings=self.settings,
            ),
            portions=self.portions,
            redactions=self.redactions,
            review=self.review,
            index=self.vaughn_index(),
            officials=self.officials,
            text=self.text,
            pages=tuple(page.summary() for page in self.pages) if self.pages else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON release of design.md (document, policy, release, portions, redactions, index, text)."""
        out = self.to_json().model_dump(mode="json")
        if out["pages"] is None:  # only a release on the original pages has them
            del out["pages"]
        return out


class ReleaseSummary(_Open):
    """The `release` part of the JSON release: what was decided for the document as a whole."""

    banner: str
    disposition: Disposition
    stamp: str
    codes: tuple[str, ...]
    fingerprint: str
    notes: tuple[str, ...]
    settings: ReleaseSettings


class ReleaseJSON(_Open):
    """The JSON release of design.md: every decision with its reason, and never withheld text. Other keys
    (the page's `blocks`) may be added."""

    document: DocumentInfo
    policy: PolicyInfo
    release: ReleaseSummary
    portions: tuple[PortionDecision, ...]
    redactions: tuple[Redaction, ...]
    review: tuple[ReviewDecision, ...]
    index: tuple[IndexEntry, ...]
    officials: tuple[ReleasedName, ...] = Field(default_factory=tuple)
    text: str
    pages: tuple[PageJSON, ...] | None = None  # layout=original only: where each box of the original pages is

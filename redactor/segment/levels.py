"""After reading: the document banner, entire-text marks, reasons, and every unmarked portion's level."""

from __future__ import annotations

import re

from redactor.markings import (
    Banner,
    Marking,
    caption_control,
    rank,
    rollup,
)
from redactor.release import Portion
from redactor.segment.body import inline_mark, inline_tokens
from redactor.segment.header import normalise_reasons
from redactor.segment.rules import (
    ENTIRE_TEXT_RE,
)
from redactor.segment.spans import ReaderState

# A lettered item before `(C)` in a header line: `A)`, `(B)`, `B.`.
LETTERED_ITEM_RE = re.compile(r"(?:\(|\b)[AB][).]")


class LevelResolver(ReaderState):
    """Gives every portion its level, failing closed (domain.md §3)."""

    def finish(self, banner: Banner | None) -> None:
        doc = self.doc
        self._marked_fields_to_portions()
        self.portions.sort(key=lambda p: p.start)
        self.fields.sort(key=lambda f: f.start)
        for i, p in enumerate(self.portions, 1):
            p.id = f"p{i}"
        self._fix_parents()
        # Captions add controls to the banner (NOFORN; SENSITIVE is SBU on an unclassified cable).
        if banner is not None:
            controls = list(banner.marking.controls)
            for cap in doc.captions:
                c = caption_control(cap)
                if c and c not in controls and c not in ("EFTO",):
                    controls.append(c)
            doc.banner = rollup(
                [
                    Marking(
                        banner.marking.level,
                        tuple(controls),
                        banner.marking.rel_to,
                        banner.marking.flags,
                        banner.marking.scheme,
                    )
                ],
                self.scheme,
            )
        for m in ENTIRE_TEXT_RE.finditer(self.text):
            word = m.group("level")
            level = {
                "TS": "TOP SECRET",
                "S": "SECRET",
                "C": "CONFIDENTIAL",
                "U": "UNCLASSIFIED",
                "LIMITED OFFICIAL USE": "UNCLASSIFIED",
            }.get(word, word)
            doc.entire_text = Marking(level, ("LOU",) if word == "LIMITED OFFICIAL USE" else ())
            break
        marks = [p.marking for p in self.portions if p.marking is not None]
        known = [doc.banner] if doc.banner else []
        if doc.entire_text:
            known.append(doc.entire_text)
        if known or marks:
            doc.effective_banner = rollup(known + marks, self.scheme)
            if doc.banner and rank(doc.effective_banner, self.scheme) > rank(doc.banner, self.scheme):
                doc.notes.append(
                    f"a portion is marked {doc.effective_banner.level}, above the banner "
                    f"{doc.banner.level}: unmarked text is protected at the higher level"
                )
        self._classified_by_in_paragraph_one()
        if not doc.reasons:
            found = re.search(r"Classified[ \t]+by\b.{0,400}", self.text, re.IGNORECASE | re.DOTALL)
            if found:
                doc.reasons = normalise_reasons(found.group(0))
        if not doc.date and doc.metadata.get("created"):
            doc.date = doc.metadata["created"][:10]
        self._resolve()
        self._raise_to_inline_marks()
        self._damaged_marks_not_below_what_they_split()

    # Header fields that a mark inside can make classified (the banner and the E.O. line carry none).
    MARKABLE_FIELDS = frozenset({"routing", "ref", "tags", "classified_by", "caption", "dtg"})

    def _marked_fields_to_portions(self) -> None:
        """Fail closed: a header field with a mark inside above the lowest level (`REF: (S) PLAN`, `TAGS:
        PREL (S) ...`, `Classified By: ... (S) ...`) is no header field but a portion at that mark, decided
        like any other."""
        lowest = self.scheme.lowest
        low = Marking(lowest.name, scheme=self.scheme.name)
        kept = []
        for f in self.fields:
            found = None
            if f.name in self.MARKABLE_FIELDS:
                for m in inline_tokens(self.text, f.start, f.end):
                    if m.group("inner").strip() == "C" and LETTERED_ITEM_RE.search(self.text, f.start, m.start()):
                        continue  # `REF: A) ..., (B) ..., (C) ...`: the third reference, not a mark
                    found = inline_mark(self.text, m, self.scheme, low, lowest.rank, self.banner_marking)
                    if found is not None:
                        break
            if found is None:
                kept.append(f)
                continue
            if f.name == "tags":
                self.doc.tags = []  # read from the line, which is now withheld text
            self.portions.append(
                Portion(
                    id="",
                    kind="unnumbered",
                    number="",
                    label="",
                    start=f.start,
                    end=f.end,
                    body_start=f.start,
                    marking=found,
                    source="explicit",
                    basis=f"a {f.name} line that carries the mark {found.banner} inside",
                    flags=[f"header line ({f.name}) with a mark inside: read as a portion at {found.banner}"],
                    started_by="raising-mark-in-line",
                    ended_by="raising-mark-in-line",
                )
            )
        self.fields[:] = kept

    def _raise_to_inline_marks(self) -> None:
        """Fail closed, after every portion has its level: a portion whose text still holds a mark above its
        own (a subject line `SUBJECT: (U) TEST (S) ...`, anything the reading did not split) takes that level."""
        for p in self.portions:
            if p.marking is None:
                continue
            for m in inline_tokens(self.text, max(p.body_start, p.start), p.end):
                found = inline_mark(
                    self.text, m, self.scheme, p.marking, rank(p.marking, self.scheme), self.banner_marking
                )
                if found is not None:
                    p.marking = rollup([p.marking, found], self.scheme)
                    p.flags.append(f"holds the mark {m.group('mark')} inside its text: read at {p.marking.banner}")

    def _damaged_marks_not_below_what_they_split(self) -> None:
        """Fail closed: text after a damaged mark inside a line (`... fine (S-NF) text`) is read at what the mark
        was read as and never below the portion the mark split, and flagged for the reviewer."""
        for p in self.portions:
            before = self.split_from.get(id(p))
            if before is None or p.marking is None:
                continue
            if before.marking is not None:
                p.marking = rollup([p.marking, before.marking], self.scheme)
            p.basis = f"damaged mark {p.mark} inside a line, read as {p.marking.banner}"
            p.flags.append(f"damaged mark {p.mark} inside a line: read as {p.marking.banner}, check the page")

    def _classified_by_in_paragraph_one(self) -> None:
        """The 1990s form `1. (U) CLASSIFIED BY ... REASON: 1.5 (B) AND (D).`: read it; the paragraph stays."""
        doc = self.doc
        first = next((p for p in self.portions if p.kind == "paragraph"), None)
        if doc.classified_by or first is None:
            return
        m = re.compile(r"[ \t]*CLASSIFIED[ \t]+BY\b[ \t]*:?[ \t]*", re.IGNORECASE).match(
            self.text, first.body_start, first.end
        )
        if m:
            doc.classified_by = re.sub(r"\s+", " ", self.text[m.end() : min(first.end, m.end() + 400)]).strip()
            doc.reasons = doc.reasons or normalise_reasons(doc.classified_by)

    def _fix_parents(self) -> None:
        last_para: Portion | None = None
        for p in self.portions:
            if p.kind == "paragraph":
                last_para = p
            elif p.kind in ("subparagraph", "bullet"):
                p.parent = last_para.id if last_para else None
                p.number = last_para.number if last_para else ""

    def _resolve(self) -> None:
        """Give every unmarked portion its level, failing closed (domain.md §3)."""
        doc = self.doc
        by_id = {p.id: p for p in self.portions}
        marked_children: dict[str, list[Portion]] = {}
        for q in self.portions:
            if q.parent and q.marking is not None and q.mark is not None:
                marked_children.setdefault(q.parent, []).append(q)
        for p in self.portions:
            if id(p) in self.near_miss:
                self._resolve_near_miss(p)
                continue
            if p.marking is not None:
                p.source = "explicit"
                p.basis = f"marked {p.mark}"
                if "malformed" in p.marking.flags:
                    p.flags.append(f"unrecognised marking {p.mark}: read as {p.marking.level}")
                continue
            parent = by_id.get(p.parent) if p.parent else None
            if parent is not None and parent.marking is not None and p.kind in ("bullet", "subparagraph"):
                siblings = marked_children.get(p.parent or "", [])
                if all(q.marking == parent.marking for q in siblings):
                    p.marking, p.source = parent.marking, "inherited"
                    p.basis = f"unmarked, inherits {parent.mark} from paragraph {parent.number}"
                    continue
            if doc.entire_text is not None:
                p.marking = rollup([doc.entire_text] + ([doc.banner] if doc.banner else []), self.scheme)
                p.source = "inherited"
                p.basis = f"unmarked, inherits {p.marking.banner} from the entire-text marking"
            elif doc.effective_banner is not None:
                p.marking, p.source = doc.effective_banner, "inherited"
                what = (
                    "the banner"
                    if doc.banner and doc.effective_banner == doc.banner
                    else "the highest marking in the document"
                )
                p.basis = f"unmarked, inherits {doc.effective_banner.banner} from {what}"
            else:
                p.marking, p.source = None, "default"
                p.basis = "no banner and no marks in the document: the policy's default level applies"

    def _resolve_near_miss(self, p: Portion) -> None:
        """A mangled mark is read at the highest level it could mean, and never below what unmarked text gets."""
        could = self.near_miss[id(p)]
        inherited = self.doc.effective_banner
        if inherited is not None and rank(inherited, self.scheme) > rank(could, self.scheme):
            p.marking, p.source = inherited, "inherited"
        else:
            p.marking, p.source = could, "explicit"
        p.basis = f"near-miss mark, read as {p.marking.banner}"

"""Header fields and portions of a marked document (the cable grammar of domain.md §1 and §3).

The segmenter reads the text once, top to bottom. Before the first portion it recognises header
fields (banner, captions, E.O./DECL, TAGS, SUBJECT, REF, Classified By, routing); after it, it splits
the body at paragraph numbers, portion marks and bullets. Anything it cannot place becomes an unmarked
portion, which inherits the banner: nothing is dropped, and doubt withholds.

The reader is in four files: `rules.py` (the one ordered table of what starts and ends a portion or field, with
its patterns), `header.py`, `body.py` and `levels.py` (the steps that apply them); `spans.py` holds their
shared state.
"""

from __future__ import annotations

from redactor.ingest.limits import Deadline
from redactor.ingest.source import SourceText
from redactor.markings import US, Scheme
from redactor.release import Document
from redactor.segment.body import BodyReader, near_miss_marking
from redactor.segment.header import HeaderReader, normalise_decl, normalise_reasons
from redactor.segment.levels import LevelResolver
from redactor.segment.rules import RULE_NAMES, RULES, Rule

__all__ = ["RULES", "RULE_NAMES", "Rule", "near_miss_marking", "normalise_decl", "normalise_reasons", "segment"]


class _Segmenter(HeaderReader, BodyReader, LevelResolver):
    def run(self) -> Document:
        text = self.text
        pos = self.preamble()
        banner = self.find_banner(pos)
        body_from = pos
        if banner:
            if banner.start > pos:
                self.routing(pos, banner.start)
            self.add_field("banner", banner.start, banner.end, banner.marking.banner)
            self.doc.reference = banner.reference
            self.doc.section = banner.section
            body_from = banner.end
            self.banner_marking = banner.marking
        head_end = self.first_portion_start(body_from)
        self.header(body_from, head_end, before_banner=banner is None)
        self.body(head_end, len(text))
        self.finish(banner)
        return self.doc


def segment(source: SourceText | str, scheme: Scheme = US, deadline: Deadline | None = None) -> Document:
    """Split a document into header fields and portions, each portion with its level.

    `scheme` is the scheme marks are read with (the policy's); `deadline`, when given, is checked as the body
    is read and raises TooLarge once it has passed.
    """
    if isinstance(source, str):
        source = SourceText(source, "text")
    return _Segmenter(source, scheme, deadline).run()

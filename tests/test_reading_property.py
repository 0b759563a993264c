"""The reader's invariant as a property: nothing outside a portion that qualifies for release is released.

Hypothesis builds cables in random layouts (wrapped or one paragraph per line, with or without blank lines,
in capitals or not) from blocks: numbered paragraphs marked in several schemes and spellings, bullets,
headings, trailers, signatures, unmarked paragraphs and header fields followed by stray lines. The generator
knows which words lie outside a portion that qualifies under the scheme's policy (US at `public-release`, TLP
at `tlp-green`, NATO at `nato-unclassified`, UK at `uk-official`: a qualifying mark of its own, or one its
bullet inherits): each such word is a unique canary, and no canary may appear in the text release. Marks of the
other schemes appear in every document.
"""

from __future__ import annotations

import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactor.engine import Redactor
from tests.conftest import FakeDetector

# Per scheme: the policy, banners above its release level, marks that qualify and marks that do not.
PROFILES = {
    "us": (
        "public-release",
        ["C O N F I D E N T I A L STATE 000123", "S E C R E T STATE 000123", "SECRET//NOFORN", "CONFIDENTIAL"],
        ["(U)", "(u)"],
        [
            "(C)",
            "(S)",
            "(S//NF)",
            "(c)",
            "(s)",
            "(//NS)",
            "(NR)",
            "(TLP:GREEN)",
            "(//GBR S)",
            "(5)",
            "(S//REL TO USA, AUS, CAN, GBR, NZL, DEU, FRA, ITA, ESP)",
            "( S//NF )",
            "(SECRET/REL CANADA)",
            "(SBU)",
            "(C/REL Libya)",
            "(TS//SI)",
        ],
    ),
    "tlp": (
        "tlp-green",
        ["TLP:AMBER", "TLP:RED"],
        ["(TLP:CLEAR)", "(TLP:GREEN)"],
        ["(TLP:AMBER)", "(TLP:RED)", "(TLP:AMBER+STRICT)", "(U)", "(S//NF)", "(//NS)", "(5)"],
    ),
    "nato": (
        "nato-unclassified",
        ["NATO SECRET", "NATO CONFIDENTIAL", "//NATO SECRET"],
        ["(NU)", "(//NU)"],
        ["(NR)", "(R)", "(NC)", "(NS)", "(CTS)", "(//NS)", "(U)", "(S)", "(TLP:GREEN)"],
    ),
    "uk": (
        "uk-official",
        ["//GBR SECRET", "SECRET", "OFFICIAL-SENSITIVE"],
        ["(OFFICIAL)", "(O)", "(//GBR O)"],
        ["(S)", "(TS)", "(OS)", "(SECRET)", "(U)", "(C)", "(NR)"],
    ),
}
FILLER = "the talks went over every item on the agenda at length with the minister and his staff"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


class Builder:
    def __init__(self, caps: bool, per_line: bool, qualifying: list[str] | None = None) -> None:
        self.caps, self.per_line = caps, per_line
        self.qualifying = qualifying or PROFILES["us"][2]
        self.canaries: list[str] = []
        self.n = 0

    def canary(self) -> str:
        k, word = len(self.canaries), ""
        while True:
            word += LETTERS[k % 26]
            k //= 26
            if not k:
                break
        c = "Qzv" + word + "kanary"
        self.canaries.append(c)
        return c

    def case(self, s: str) -> str:
        return s.upper() if self.caps else s

    def sentence(self, *words: str) -> str:
        body = " ".join([*words, FILLER if self.per_line else "the talks went on"])
        if self.per_line:
            body += ", " + FILLER
        return self.case(body[:1].upper() + body[1:]) + "."

    def lay(self, first: str, text: str) -> str:
        if self.per_line:
            return first + text
        return textwrap.fill(first + text, width=68, break_long_words=False, break_on_hyphens=False)


def paragraph(b: Builder, mark: str, lead: str = "") -> str:
    b.n += 1
    words = () if mark in b.qualifying else (b.canary(), b.canary())
    return b.lay(f"{b.n}. {lead}{mark} ", b.sentence(*words))


def run_on(b: Builder, mark: str) -> str:
    """A (U) paragraph with the next paragraph running on inside its line: `... went on. 3. (S) ...`."""
    b.n += 1
    first = f"{b.n}. {b.qualifying[0]} " + b.sentence()
    b.n += 1
    words = () if mark in b.qualifying else (b.canary(),)
    return b.lay("", f"{first} {b.n}. {mark} {b.sentence(*words)}")


def bullet(b: Builder, parent_qualifies: bool, mark: str | None) -> str:
    if mark is None:
        words = (b.canary(),) if not parent_qualifies else ()
        return b.lay("- ", b.sentence(*words))
    words = () if mark in b.qualifying else (b.canary(),)
    return b.lay(f"- {mark} ", b.sentence(*words))


def blocks(qualifying: list[str], withheld: list[str]):
    marks = st.sampled_from(qualifying + withheld)
    return st.one_of(
        st.tuples(st.just("paragraph"), marks, st.lists(st.one_of(st.none(), marks), max_size=3)),
        st.tuples(st.just("heading")),
        st.tuples(st.just("trailer")),
        st.tuples(st.just("signature")),
        st.tuples(st.just("unmarked")),
        st.tuples(st.just("page-break")),
        st.tuples(st.just("run-on"), st.sampled_from(withheld)),
        st.tuples(st.just("lead-in"), marks),
    )


@st.composite
def cables(draw):
    scheme = draw(st.sampled_from(sorted(PROFILES)))
    policy, banners, qualifying, withheld = PROFILES[scheme]
    caps = draw(st.booleans()) and scheme == "us"  # other schemes' marks are not all capitals
    per_line = draw(st.booleans())
    b = Builder(caps, per_line, qualifying)
    head = [draw(st.sampled_from(banners)), ""]
    if draw(st.booleans()):
        head += ["SIPDIS", ""]
    head.append("E.O. 12958: DECL: 01/01/2030")
    head.append("TAGS: PREL PGOV")
    subject_mark = draw(st.sampled_from(qualifying + withheld + [""]))
    subject_words = "HARBOUR TALKS" if subject_mark in qualifying else f"HARBOUR {b.canary().upper()}"
    head.append(f"SUBJECT: {subject_mark} {subject_words}".replace("  ", " "))
    if draw(st.booleans()):  # a stray sentence straight after the subject
        head.append(b.sentence(b.canary()))
    head.append("")
    reason = draw(st.booleans())
    head.append("Classified By: Ann Jones, Ambassador" + (", reasons 1.4 (b) and (d)" if reason else ""))
    if draw(st.booleans()):  # a stray sentence straight after Classified By
        head.append(b.sentence(b.canary()))
    head.append("")
    if draw(st.booleans()):
        head.append("REF: A. STATE 1234")
        if draw(st.booleans()):
            head.append(b.sentence(b.canary()))
        head.append("")
    body: list[str] = []
    for block in draw(st.lists(blocks(qualifying, withheld), min_size=1, max_size=10)):
        kind = block[0]
        blank = draw(st.booleans()) and not per_line
        if kind == "paragraph":
            mark, bullets = block[1], block[2]
            lines = [paragraph(b, mark)]
            lines += [bullet(b, mark in qualifying, m) for m in bullets]
            text = "\n".join(lines)
        elif kind == "run-on":
            text = run_on(b, block[1])
        elif kind == "lead-in":
            text = paragraph(b, block[1], lead=b.case("Summary: "))
        elif kind == "heading":
            text = b.case(f"Harbour {b.canary()} Questions")
        elif kind == "trailer":
            text = f"Visit Valletta's Classified Website: http://example.invalid/{b.canary()}"
        elif kind == "signature":
            text = b.canary().upper()
        elif kind == "unmarked":
            blank = not per_line  # in wrapped text an unmarked paragraph needs a blank line to be one
            text = b.lay("", b.sentence(b.canary()))
        else:
            text = "STATE 00000123 002 OF 002"
        body.append(("\n\n" if blank else "\n") + text)
    return "\n".join(head) + "\n" + "".join(body).lstrip("\n") + "\n", b.canaries, policy


REDACTOR = Redactor(detector=FakeDetector())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cables())
def test_no_text_outside_a_qualifying_portion_is_released(case):
    text, canaries, policy = case
    rel = REDACTOR.redact(text, policy=policy)
    out = rel.text.lower()
    leaked = [c for c in canaries if c.lower() in out]
    assert not leaked, f"released {leaked}\n--- cable ---\n{text}\n--- release ---\n{rel.text}"


def test_the_generator_releases_what_qualifies():
    """A negative control: the property is not met by withholding everything."""
    b = Builder(caps=False, per_line=False)
    text = "CONFIDENTIAL\n\n" + paragraph(b, "(U)") + "\n" + b.case("Harbour Qzvkanary Questions") + "\n"
    rel = REDACTOR.redact(text, policy="public-release")
    assert "talks went on" in rel.text and "Qzvkanary" not in rel.text

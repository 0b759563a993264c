"""The cable grammar as one ordered table of named rules, and the patterns they use.

Every portion records the names of the rules that started and ended it; `redactor inspect --explain` prints
them. To change how something is read, find its rule in RULES.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from redactor.markings import (
    MARK_RE,
)

# ------------------------------------------------------------------------------------------ patterns
MARK = r"\((?:" + MARK_RE.pattern[3:-3] + r")\)"
# A paragraph number at the start of a line: `1.`, `¶4.`, `4.(C)`; not `2.13.10:` nor `¶2005.`.
NUMBER_RE = re.compile(r"[ \t]*(?:¶[ \t]*)?(?P<num>\d{1,3})\.(?!\d)(?=[ \t(]|[A-Z][a-z]|$)[ \t]*")
PILCROW_RE = re.compile(r"[ \t]*¶")
BLANK_RE = re.compile(r"\n[ \t]*\n")
# What may stand between a paragraph number and its mark: a word or two and a colon (`Summary:`).
LEAD_IN_RE = re.compile(r"(?P<lead>[A-Za-z][A-Za-z /&-]{0,30}:[ \t]*)(?=\()")
# A paragraph number running on inside another paragraph's line: `... the UN. 9. (S) Garcia ...`.
RUN_ON_RE = re.compile(r"(?<=[.!?\"'”’)\]])[ \t]+(?P<num>\d{1,3})\.[ \t]*(?P<mark>" + MARK + r")")
# Run-ons that are split only when they raise the level: a number and mark after anything, or a mark
# after a sentence.
LOOSE_RUN_ON_RE = re.compile(
    r"(?:(?<![\w.])(?:¶[ \t]*)?(?P<num>\d{1,3})\.[ \t]*|(?<=[.!?:;\"”])(?P<after>[ \t]+))(?P<mark>" + MARK + r")"
)
# Any bracketed token inside a line (`at (S) GRANITE`, `fine,(S)`, `"(S) ...`, `[SECRET]`, after a no-break
# space): each is read as a mark, and one that raises the level or adds a control starts what it marks.
# Braces and angle brackets are brackets OCR or retyping put; a mark may wrap onto the next line (`fine (S-` /
# `NF) text`).
INLINE_TOKEN_RE = re.compile(
    r"(?P<mark>[(\[{<](?P<inner>[^()\[\]{}<>\n]{1,80}(?:\n[ \t]*[^()\[\]{}<>\n]{1,40})?)[)\]}>])"
)
# A mark inside a line that lost one bracket (`fine (S//NF text`, `fine S//NF) text`): a level and a control
# between slashes, backslashes or bars; read only when it is a mark with a control (body.read_inline).
_HALF = r"[A-Za-z0-9$§]{1,3}(?:[ \t]*(?:[/\\|]{1,2})[ \t]*[A-Za-z0-9]{2,8}){1,3}"
HALF_OPEN_RE = re.compile(r"(?P<mark>[(\[{](?P<inner>" + _HALF + r")(?![\w/\\|)\]}]))")
HALF_CLOSE_RE = re.compile(r"(?<![\w(\[{/\\|])(?P<mark>(?P<inner>" + _HALF + r")[)\]}])")
# A mark that lost both brackets: a level, `//` and a control in capitals (`fine S//NF text`, `S//NF` starting a
# line, `SECRET//NOFORN`); read only when it is a mark with a control the scheme knows (body.read_inline).
_BARE_CONTROL = r"(?:REL[ \t]+TO[ \t]+[A-Z]{3,4}(?:,[ \t]*[A-Z]{3,4})*|[A-Z0-9]{2,8}(?:[/-][A-Z0-9]{2,8})*)"
BARE_MARK_RE = re.compile(
    r"(?<![\w/\\|(\[{<])(?P<mark>(?P<inner>(?:TS|S|C|U|5|\$|TOP[ \t]+SECRET|SECRET|CONFIDENTIAL)[ \t]*//?[ \t]*"
    + _BARE_CONTROL
    + r"(?:[ \t]*//?[ \t]*"
    + _BARE_CONTROL
    + r")*))(?![\w/\\|)\]}>])"
)
# A TLP label without brackets, the form TLP 2.0 writes (`TLP:RED`, `TLP:AMBER+STRICT`) anywhere in a line.
BARE_TLP_RE = re.compile(
    r"(?<![\w:(\[{<])(?P<mark>(?P<inner>(?i:TLP[ \t]*:[ \t]*(?:CLEAR|WHITE|GREEN|AMBER(?:[ \t]*\+[ \t]*STRICT)?|RED))))"
    # glued to the next word (`TLP:AMBERtext`): the label still ends at its colour (body.read_inline flags it)
    r"(?:(?![\w+:)\]}>])|(?<=[RrDd])(?=[A-Za-z]))"
)
# A level in a circled letter, no brackets (`fine \u24c8 text`): read as the bracketed level (body.read_inline).
CIRCLED_RE = re.compile(r"(?<!\w)(?P<mark>(?P<inner>[\u24b6-\u24cf]{1,2}))(?!\w)")
# What stands before `(C)` when it is no mark: a classification reason's letter (`Reason 1.4 (b), (c) and (d)`,
# `1.5 (C)`), a lettered reference or paragraph (`Ref (C)`, `para (C)`).
# A bare `1.4 (C)` is a reason letter only in a list (`1.4 (B) and (C)`, `1.4 (C) and (D)`, REASON_NEXT_RE) or
# after a reason word: `Section 1.4 (C) text` in a paragraph is a mark (fail closed).
REASON_LIST_RE = re.compile(
    r"(?:\b1\.[45][ \t]*(?:\([A-Ha-h]\)[ \t]*(?:,|and|or|AND|OR|&)?[ \t]*)+"
    r"|(?i:reasons?|classified[ \t]+by\b.*|derived[ \t]+from\b.*|E\.?[ \t]?O\.?[ \t]*1[23]\d{3}\b.*)[ \t:]*"
    r"(?:1\.[45])?[ \t]*(?:\([A-Ha-h]\)[ \t]*(?:,|and|or|AND|OR|&)?[ \t]*)*)$"
)
REASON_AFTER_RE = re.compile(r"\b1\.[45][ \t]*$")
REASON_NEXT_RE = re.compile(r"[ \t]*(?:,|and\b|or\b|&)[ \t]*\(?[A-Ha-h]\)", re.IGNORECASE)
LETTER_REF_RE = re.compile(r"\b(?i:refs?|reftels?|paras?|paragraphs?|subparas?)\.?[ \t]*$")
BULLET_RE = re.compile(
    r"[ \t]*(?P<label>-{1,3}|\*|•|o|[A-Za-z]\.|[ivxIVX]{2,4}\.|\([a-z0-9]{1,3}\)|[a-z0-9]{1,2}\))"
    r"(?:[ \t]+|(?=\())"
)
LINE_MARK_RE = re.compile(r"[ \t]*(?P<mark>" + MARK + r")")
# The quote prefix of an e-mail's quoted line (`> `, `>> `, `> > `): like indentation before a line-start mark.
QUOTE_RE = re.compile(r"[ \t]*>(?:[ \t]*>)*[ \t]?(?=[ \t]*\S)")
# A `|` table row (`| (U) a | (S) b |`): a line that starts with a cell separator and holds another; each cell
# that starts with a mark after its `|` is its own portion at its own mark (TABLE_CELL_RE), like a line start.
TABLE_ROW_RE = re.compile(r"[ \t]*\|(?=[^\n]*\|)[ \t]*")
TABLE_CELL_RE = re.compile(r"\|[ \t]*(?P<mark>" + MARK + r")")
# A mark anywhere in a line, for a space-aligned text table's cells (body.text_table_cells).
CELL_MARK_RE = re.compile(r"(?P<mark>" + MARK + r")")
SEPARATOR_RE = re.compile(r"[ \t]*[-=_*]{3,}[ \t=_*-]*")
# Page-break lines of the cable system: `STATE 00000284 002 OF 002`, `Baku 00000020 002 of 002`.
PAGE_BREAK_RE = re.compile(
    r"\b[A-Z][A-Za-z]+(?:[ \t][A-Z][A-Za-z]+)?[ \t]+0{3,}\d+[ \t]+\d{3}(?:\.\d)?[ \t]+(?:OF|of)[ \t]+\d{3}\b"
    # Older cables: `PAGE 02        VATICA  04444  01 OF 02  130613Z`, and the level repeated on each page.
    r"|PAGE[ \t]+\d{2,3}[ \t]+[A-Z]+[ \t]+\d+(?:[ \t]+\d{2}[ \t]+OF[ \t]+\d{2})?(?:[ \t]+\d{6}Z)?"
    r"|(?:CONFIDENTIAL|SECRET|TOP SECRET|UNCLASSIFIED|LIMITED OFFICIAL USE)"
)
# The CAPCO classification authority block at the foot of a memo.
AUTHORITY_RE = re.compile(
    r"[ \t]*(?P<name>Classified[ \t]+By|Derived[ \t]+From|Declassify[ \t]+On)[ \t]*:", re.IGNORECASE
)
ENTIRE_TEXT_RE = re.compile(
    r"\b(?P<level>TS|S|C|U|TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|LIMITED OFFICIAL USE)"
    r"[ \t]*-+[ \t]*ENTIRE TEXT\b"
)
WIKILEAKS_NOTE_RE = re.compile(
    r"This record is a partial extract of the original cable\.(?:\s*The full text of the original cable is"
    r" not available\.)?"
)

# Header field starters, anywhere in the header zone (cables put several on one line).
FIELD_STARTERS = [
    (
        "eo",
        r"\bE\.?[ \t]?[O0]\.?[ \t]*1[23]\d{3}\b|\bEO[ \t]+1[23]\d{3}\b"
        r"|^[ \t]*DECL(?:ASSIFY[ \t]+ON)?[ \t]*:",
    ),
    # Misspelt labels real cables carry (`TAS:`, `TGS:`, `TAGES:`, `TAG`) count only in capitals at a line start.
    ("tags", r"\bTAGS\b[ \t]*[:;]?|^[ \t]*(?-i:TAGES|TAGS|TAG|TAS|TGS)\b[ \t]*[:;]?"),
    ("subject", r"\bSUBJ(?:ECT)?[ \t]*:|^[ \t]*(?-i:SUBJECT|SUBJ)(?=[ \t]+[A-Z(])"),
    (
        "ref",
        r"(?<![A-Za-z])REFS?(?:ERENCES?)?[ \t]*:|(?<![A-Za-z])REF\(S\)[ \t]*:|(?<![A-Za-z])REFTELS?[ \t]*:"
        r"|^[ \t]*REF[ \t]+(?=[A-Z¶])",
    ),
    ("classified_by", r"\bCLASSIFIED[ \t]+BY\b[ \t]*:?"),
    (
        "caption",
        r"(?<![A-Za-z/])(?:SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|NOCONTRACT)\b"
        r"(?:[ \t]*,[ \t]*(?:SIPDIS|NOFORN|EXDIS|NODIS|LIMDIS|STADIS|NOCONTRACT)\b)*",
    ),
]
FIELD_RE = re.compile("|".join(f"(?P<{n}>{p})" for n, p in FIELD_STARTERS), re.IGNORECASE | re.MULTILINE)
CAPTION_LINE_RE = re.compile(
    r"^[ \t]*(?:SIPDIS|NOFORN|SENSITIVE|EXDIS|NODIS|LIMDIS|STADIS|CHEROKEE|NOCONTRACT|EFTO|"
    r"SENSITIVE BUT UNCLASSIFIED|FOR OFFICIAL USE ONLY)(?:[ \t]*,[ \t]*(?:SIPDIS|NOFORN|EXDIS|NODIS))*"
    r"[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A wrapped TAGS line: a few upper-case codes (`SY, IS`); after a line ending in a comma, lower case too.
TAGS_LINE_RE = re.compile(r"[ \t]*(?:[A-Z]{2,6}[ \t]*,?[ \t]*){1,8}")
TAGS_LOWER_LINE_RE = re.compile(r"[ \t]*(?:[A-Za-z]{2,6}[ \t]*,[ \t]*){0,7}[A-Za-z]{2,6}[ \t]*,?[ \t]*")
# A line that continues a REF list: an optional letter label (`B.`, `B.)`, `(C)`), then a post and serial
# (`09 DAMASCUS 00787`, `STATE 1234`), a date-time group or NOTAL. Post names are capitalised: a sentence
# (`The 2009 budget`) is not a reference.
REF_ITEM = (
    r"(?:\d{2}[ \t]+)?[A-Z][A-Za-z]+(?:[ \t][A-Z][A-Za-z]+){0,2}[ \t]+\d{2,7}\b"
    r"|[^\n]*\b\d{6}Z\b|\(NOTAL\)"
)
REF_LABEL = r"(?:\(?[A-Za-z]\)|[A-Za-z]\.\)?)"
REF_LINE_RE = re.compile(
    r"[ \t]*(?:¶[ \t]*)?(?:" + REF_LABEL + r"[ \t]*)?(?:" + REF_ITEM + r")"
    r"|[ \t]*(?:¶[ \t]*)?" + REF_LABEL + r"[ \t]*$"
)
# After a blank line a REF list goes on only with a lettered item.
REF_AFTER_BLANK_RE = re.compile(r"[ \t]*(?:¶[ \t]*)?" + REF_LABEL + r"[ \t]*(?:" + REF_ITEM + r")")
REASON_RE = re.compile(r"\b1\s?\.\s?[45]\b|\bREASONS?\b", re.IGNORECASE)
# Lines that stand alone whatever the layout: the trailer of an embassy's classified website, a signature.
TRAILER_RE = re.compile(r"Classified[ \t]+Website|^[ \t]*(?:Visit\b.*)?https?://", re.IGNORECASE)
SIGNATURE_LINE_RE = re.compile(r"[ \t]*[A-Z][A-Z'-]{1,}(?:[ \t]+[A-Z][A-Z'-]+){0,2}[ \t]*")
# A near-miss of a mark after a paragraph number: an OCR'd `(5)`, a lost parenthesis `(S The` / `S) The`.
NEAR_MISS_RE = re.compile(
    r"(?P<tok>\((?P<a>[UCST5$08OV]{1,4})\)|\((?P<b>TS|S|C|U)(?=[ \t]+[A-Z])"
    r"|(?P<c>TS|S|C|U)\)(?=[ \t]))"
)
# A long mark wrapped onto the next line: `2. (S//REL TO USA, AUS, CAN,` / `GBR, NZL) text`.
WRAPPED_MARK = r"\([ \t]?[A-Za-z/][A-Za-z0-9 /,+:\-]*\n[ \t]*[A-Za-z0-9 /,+:\-]*\)"
WRAPPED_MARK_RE = re.compile(r"[ \t]*(?P<mark>" + WRAPPED_MARK + r")")
RUN_ON_WRAPPED_RE = re.compile(r"(?<=[.!?\"'”’)\]])[ \t]+(?P<num>\d{1,3})\.[ \t]*(?P<mark>" + WRAPPED_MARK + r")")
RUN_ON_NEAR_RE = re.compile(r"(?<=[.!?\"'”’)\]])[ \t]+(?P<num>\d{1,3})\.[ \t]*(?:" + NEAR_MISS_RE.pattern + ")")
DTG_RE = re.compile(r"^[ \t]*[OPRZ](?:[ \t][OPRZ])?[ \t]+(?P<dtg>\d{6}Z[ \t]+[A-Z]{3}[ \t]+\d{2})[ \t]*$", re.MULTILINE)
ROUTING_RE = re.compile(
    r"^[ \t]*(?:VZCZC|ACTION[ \t]|[OPRZ]{1,2}[ \t]+R[A-Z]{3}|DE[ \t]+R|ZNY|ZNR|FM[ \t]|"
    r"TO[ \t]|INFO[ \t]|R[A-Z]{4,6}/|BT$|#\d)"
)
ALX_PREAMBLE_RE = re.compile(
    r"\A(?P<id>\d{2}[A-Z][A-Z0-9]*\d+)\n[^\n]*\n[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} [\d:]{8} [+-]\d{4} \d{4}\n"
    r"(?P<class>[A-Z/ ]+)\n[^\n]*\n"
)


@dataclass(frozen=True)
class Rule:
    """One rule of the cable grammar: what it looks for, what it starts or ends, and why."""

    name: str
    pattern: re.Pattern[str] | None  # None when the rule is a predicate of the reader (named in `test`)
    effect: str  # starts portion | ends portion | starts field | continues field | skips
    why: str
    test: str = ""  # the reader's method that applies a predicate rule


# The grammar, in the order the reader tries the rules on a line. Every portion records the names of the rules
# that started and ended it (`redactor inspect --explain` prints them); to change how something is read, find
# its rule here.
RULES: tuple[Rule, ...] = (
    # --- the head of the document
    Rule(
        "cablegate-preamble",
        ALX_PREAMBLE_RE,
        "starts field",
        "the five lines a Cablegate scraper puts before the cable are metadata, never text",
    ),
    Rule(
        "cable-banner",
        None,
        "starts field",
        "`S E C R E T STATE 103113`: level, section, post and serial",
        "find_banner",
    ),
    Rule(
        "banner-line",
        None,
        "starts field",
        "`SECRET//NOFORN`, `//GBR SECRET`, `TLP:AMBER` alone on a line, read with the policy's scheme",
        "find_banner",
    ),
    Rule("routing", ROUTING_RE, "starts field", "routing lines before the banner (VZCZC, FM, TO, INFO)"),
    Rule("dtg", DTG_RE, "starts field", "the date-time group gives the origin date"),
    Rule(
        "before-banner",
        None,
        "starts portion",
        "text before the banner that is not routing is text of unknown level: an unmarked portion",
        "routing",
    ),
    Rule(
        "field-starter",
        FIELD_RE,
        "starts field",
        "E.O./DECL, TAGS (and its misspellings), SUBJECT, REF, Classified By, captions; several may share a line",
    ),
    Rule("subject", None, "starts portion", "the subject line is a portion with its own mark", "subject"),
    Rule(
        "tags-continuation",
        TAGS_LINE_RE,
        "continues field",
        "a wrapped TAGS line of codes; lower-case codes only after a line ending in a comma",
    ),
    Rule(
        "ref-continuation",
        REF_LINE_RE,
        "continues field",
        "a REF list goes on with lettered items, posts and serials, DTGs, NOTAL",
    ),
    Rule(
        "ref-after-blank",
        REF_AFTER_BLANK_RE,
        "continues field",
        "after a blank line a REF list goes on only with a lettered item (`B. ANKARA 5678`)",
    ),
    Rule(
        "classified-by-reason",
        REASON_RE,
        "continues field",
        "Classified By takes the next line or two only when they hold the reason; else it ends on its line",
    ),
    Rule(
        "subject-continuation",
        None,
        "continues field",
        "a subject wraps only from a full line that ends no sentence, in its own case, and never over a page "
        "break, separator, label or mark",
        "_continues_subject",
    ),
    Rule(
        "header-gap",
        None,
        "starts portion",
        "anything between header fields that is no field is an unmarked portion (it inherits the banner)",
        "header_gap",
    ),
    Rule(
        "field-after-title",
        FIELD_RE,
        "starts field",
        "`(U) TITLE` / `SUBJECT: (U) ...`: a header field at a line start after a blank line, while the body holds "
        "only marked one-line titles, is read as the header reads it (its own lines only)",
        "field_after_title",
    ),
    Rule("end-of-header-field", None, "ends portion", "a header portion (the subject) ends with its field"),
    Rule("end-of-header-block", None, "ends portion", "an unmarked header block ends at the next field"),
    # --- lines that are never text of a portion
    Rule("separator", SEPARATOR_RE, "ends portion", "`-----`: ends the portion; a heading above it keeps it open"),
    Rule(
        "page-break",
        PAGE_BREAK_RE,
        "skips",
        "`STATE 00000284 002 OF 002`, and the page banners and page numbers a PDF's pages repeat (the reader's "
        "furniture): layout, not text; a sentence goes on across it",
    ),
    Rule(
        "authority-block",
        AUTHORITY_RE,
        "ends portion",
        "a memo's `Classified By:` / `Derived From:` / `Declassify On:` lines are classification lines, not text",
    ),
    Rule("caption-line", CAPTION_LINE_RE, "ends portion", "SIPDIS, NOFORN ... on a line of their own are captions"),
    Rule("wikileaks-note", WIKILEAKS_NOTE_RE, "ends portion", "WikiLeaks' partial-extract note is metadata"),
    # --- what starts a portion at a line start
    Rule(
        "paragraph-number",
        NUMBER_RE,
        "starts portion",
        "`4. (C)`, `4.(C)`, `¶4. Summary: (C)`: a number and a mark (lower case accepted here)",
    ),
    Rule(
        "wrapped-mark",
        WRAPPED_MARK_RE,
        "starts portion",
        "a long mark wrapped onto the next line after a paragraph number is rejoined and read",
    ),
    Rule(
        "near-miss-mark",
        NEAR_MISS_RE,
        "starts portion",
        "`3. (5)`, `3. (S The`, `3. S) The`: a mangled mark after a number is read at the highest level it "
        "could mean, never below the banner, and flagged",
    ),
    Rule(
        "plausible-number",
        NUMBER_RE,
        "starts portion",
        "an unmarked number that follows on from the last paragraph (a pilcrow alone is not enough)",
    ),
    Rule(
        "mark-after-heading",
        LINE_MARK_RE,
        "continues portion",
        "`2. Afghanistan` / `-----` / `(C) The SYG`: the mark on the line after a heading belongs to it",
    ),
    Rule(
        "line-mark",
        LINE_MARK_RE,
        "starts portion",
        "a mark at a line start, after a blank line or a finished sentence (not `see reftel` / `(C) for`)",
    ),
    Rule(
        "quoted-line-mark",
        QUOTE_RE,
        "starts portion",
        "`> (U) ...`, `>> (C) ...`, `> 1. (S) ...`: after a quote prefix (like indentation) a mark, number or bullet "
        "starts a portion as at a line start; an unmarked quoted line continues or starts an unmarked portion",
    ),
    Rule(
        "table-cell-mark",
        TABLE_CELL_RE,
        "starts portion",
        "`| (U) a | (S) b | (U) c |`: in a `|` table row, a cell that starts with a mark after its `|` is its own "
        "portion at its mark (lower too, like a line start); a cell with no mark continues the portion before it; "
        "a `|` in prose (a line that does not start with one) splits nothing",
    ),
    Rule(
        "text-table-cell",
        CELL_MARK_RE,
        "starts portion",
        "a space-aligned table: a line that starts with a mark and holds two or more, beside a line (above or below) "
        "whose marks stand at the same columns, is a row; each mark heads a cell that is its own portion at its "
        "mark, lower too (a mark in mid-line elsewhere only raises)",
    ),
    Rule(
        "section-label",
        BARE_TLP_RE,
        "starts portion",
        "`TLP:CLEAR` alone on its line after a blank line, with text on the very next line, lower than the "
        "document's banner of the policy's scheme: the label of the section below, which is a portion at it "
        "(elsewhere a label alone is a repeated page banner)",
    ),
    Rule("marked-bullet", BULLET_RE, "starts portion", "`- (C)`, `A. (S)`, `ii. (S)`: a bullet or label and a mark"),
    Rule(
        "unmarked-bullet",
        BULLET_RE,
        "starts portion",
        "an unmarked bullet among marked siblings is a portion of its own",
    ),
    Rule("entire-text", ENTIRE_TEXT_RE, "starts portion", "`C - ENTIRE TEXT` marks the whole document"),
    # --- what ends a portion without starting a marked one (the new portion is unmarked: it inherits the banner)
    Rule(
        "blank-line",
        None,
        "ends portion",
        "a blank line ends a portion unless a page break splits a sentence",
        "unmarked_line_rule",
    ),
    Rule(
        "one-paragraph-per-line",
        None,
        "ends portion",
        "where the body is laid out one paragraph per line (long unwrapped lines), a line break ends a portion",
        "one_paragraph_per_line",
    ),
    Rule(
        "trailer",
        TRAILER_RE,
        "ends portion",
        "`Visit ... Classified Website: http...` is its own unmarked portion however the text is laid out",
    ),
    Rule("after-trailer", None, "ends portion", "the line after a trailer is not the trailer's", "own_line"),
    Rule(
        "signature",
        SIGNATURE_LINE_RE,
        "ends portion",
        "one to three capitalised words after a finished sentence (`JONES`) are the signature",
    ),
    Rule(
        "heading",
        None,
        "ends portion",
        "a short line ending no sentence, after a line that ended one and before a line that starts a portion "
        "(or a blank line, separator, page break, trailer, signature or another such line) is a heading",
        "own_line",
    ),
    Rule("unmarked-text", None, "starts portion", "text with no portion open starts an unmarked portion"),
    # --- portions that start inside a line
    Rule(
        "run-on-paragraph",
        RUN_ON_RE,
        "starts portion",
        "`... the UN. 9. (S) Garcia`: the next paragraph number with a mark after a finished sentence",
    ),
    Rule(
        "raising-run-on",
        LOOSE_RUN_ON_RE,
        "starts portion",
        "a number and mark after anything, split only when it does not lower the level",
    ),
    Rule(
        "mark-after-sentence",
        LOOSE_RUN_ON_RE,
        "starts portion",
        "`COMMENT.  (S) text`: a mark after a sentence, split only when it raises the level",
    ),
    Rule(
        "raising-mark-in-line",
        INLINE_TOKEN_RE,
        "starts portion",
        "`The site is at (S) GRANITE`, `fine,(S)`, `[SECRET]`: a mark anywhere inside a line that raises the level "
        "or adds a control governs what follows (not `(C)` as a reason's letter, `1.4 (b), (c)`, or a "
        "lettered reference, `Ref (C)`)",
    ),
    Rule(
        "damaged-mark-in-line",
        INLINE_TOKEN_RE,
        "starts portion",
        "`fine (S-NF) text`, `(5//NF)`, `(S\\NF)`, `(NF)`: a damaged mark inside a line, on strong evidence (a "
        "level or its look-alike, a separator and a known control; or controls only a classified portion "
        "carries), starts a portion at the highest level it could mean, never below the portion it splits, "
        "flagged (not `(CSTC-A)`, `(S-300)`, `(S/P)`)",
    ),
    Rule("end-of-text", None, "ends portion", "the document ends"),
)
RULE_NAMES = frozenset(r.name for r in RULES)

"""WikiLeaks-style HTML cables: the whole cable page, a fragment of it, or `<pre>` text dumps.

The cable's text is the content of its `<pre>` blocks (routing header, then the cable). The metadata
table is kept as untrusted metadata: WikiLeaks' classification can contradict the cable's own banner.
A page with no `<pre>` is read as ordinary HTML: the text of its body, block elements as line breaks.
Text a browser does not show (an element with the `hidden` attribute or an inline style that hides it:
display none, visibility hidden, opacity 0, font size 0, white text) stays in place and is listed in
`SourceText.hidden`, like the PDF and DOCX readers' hidden text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from redactor.ingest.source import SourceText, TextBuilder
from redactor.ingest.text import decode

_BLOCK = {
    "p",
    "div",
    "br",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "pre",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "hr",
}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
HIDDEN_ELEMENT = "hidden element"
_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|opacity\s*:\s*0*(?:\.0*)?\s*(?:;|$)"
    r"|font-size\s*:\s*0*(?:\.\d+)?(?:px|pt|em|rem|%)?\s*(?:;|$)"
    r"|(?<![-\w])color\s*:\s*(?:white|#fff(?:fff)?|rgba?\(\s*255\s*,\s*255\s*,\s*255)"
    r"|rgba\([^)]*,\s*0*(?:\.0*)?\s*\)",
    re.I,
)


def _hides(attrs: list) -> bool:
    for name, value in attrs:
        if name == "hidden":
            return True
        if name == "style" and value and _HIDING_STYLE.search(value):
            return True
    return False


class _CableParser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.pre_depth = 0
        self.skip_depth = 0
        self.pres: list[list[tuple[str, int]]] = []
        self.body: list[tuple[str, int]] = []
        self.cells: list[str] = []
        self.in_cell = False
        self.cell_text: list[str] = []
        self.hidden_offsets: set[int] = set()  # source offsets of data a browser does not show
        self.open: list[tuple[str, bool]] = []  # open elements, whether each hides its content
        self.hiding = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _VOID and len(self.open) < 10_000:
            hides = _hides(attrs)
            self.open.append((tag, hides))
            self.hiding += hides
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
            self.pres.append([])
        elif tag in ("td", "th"):
            self.in_cell = True
            self.cell_text = []
        if tag in _BLOCK and not self.pre_depth:
            self.body.append(("\n", self._offset()))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self.open[-64:]):
            while self.open:
                t, hides = self.open.pop()
                self.hiding -= hides
                if t == tag:
                    break
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        elif tag in ("td", "th") and self.in_cell:
            self.in_cell = False
            self.cells.append(" ".join("".join(self.cell_text).split()))
        if tag in _BLOCK and not self.pre_depth:
            self.body.append(("\n", self._offset()))

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        off = self._offset()
        if self.hiding:
            self.hidden_offsets.add(off)
        if self.pre_depth:
            self.pres[-1].append((data, off))
        else:
            self.body.append((data, off))
            if self.in_cell:
                self.cell_text.append(data)


def read(data: bytes) -> SourceText:
    source = decode(data)
    parser = _CableParser(source)
    parser.feed(source)
    parser.close()
    b = TextBuilder()
    hidden: list[tuple[int, int, str]] = []

    def add(piece: str, off: int) -> None:
        start = b.length
        _add(b, piece, off)
        if off in parser.hidden_offsets and b.length > start:
            hidden.append((start, b.length, HIDDEN_ELEMENT))

    chunks = [c for pre in parser.pres for c in pre] if parser.pres else parser.body
    if parser.pres:
        for i, pre in enumerate(parser.pres):
            if i and b.length:
                b.add("\n", pre[0][1] if pre else 0)
            for piece, off in pre:
                add(piece, off)
    else:
        for piece, off in chunks:
            add(piece, off)
    meta = _metadata(parser.cells)
    notes = (
        [f"hidden text present: {len(hidden)} span(s) ({HIDDEN_ELEMENT}); kept in the text in place"] if hidden else []
    )
    return SourceText(b.text(), "html", b.anchors or [(0, 0)], metadata=meta, hidden=hidden, notes=notes)


def _add(b: TextBuilder, piece: str, off: int) -> None:
    piece = piece.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    b.add(piece, off)


def _metadata(cells: list[str]) -> dict[str, str]:
    # The cable page's table: a header row (Reference ID, Created, Released, Classification, Origin)
    # followed by a row of values.
    names = ["Reference ID", "Created", "Released", "Classification", "Origin"]
    if len(cells) >= 10 and cells[:5] == names:
        return {k.lower().replace(" ", "_"): v for k, v in zip(names, cells[5:10], strict=True)}
    return {}

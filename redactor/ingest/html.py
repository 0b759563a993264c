"""WikiLeaks-style HTML cables: the whole cable page, a fragment of it, or `<pre>` text dumps.

The cable's text is the content of its `<pre>` blocks (routing header, then the cable). The metadata
table is kept as untrusted metadata: WikiLeaks' classification can contradict the cable's own banner.
A page with no `<pre>` is read as ordinary HTML: the text of its body, block elements as line breaks.
"""

from __future__ import annotations

from html.parser import HTMLParser

from redactor.ingest.source import SourceText, TextBuilder
from redactor.ingest.text import decode

_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "blockquote",
          "section", "article", "header", "footer", "hr"}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}


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

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list) -> None:
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
    chunks = [c for pre in parser.pres for c in pre] if parser.pres else parser.body
    if parser.pres:
        for i, pre in enumerate(parser.pres):
            if i and b.length:
                b.add("\n", pre[0][1] if pre else 0)
            for piece, off in pre:
                _add(b, piece, off)
    else:
        for piece, off in chunks:
            _add(b, piece, off)
    meta = _metadata(parser.cells)
    return SourceText(b.text(), "html", b.anchors or [(0, 0)], metadata=meta)


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

"""Plain text: UTF-8 (a BOM is dropped), line ends normalised to \n."""

from __future__ import annotations

import re

from redactor.errors import InputError
from redactor.ingest.source import SourceText, TextBuilder

# Control characters other than tab, newline, carriage return and form feed mark a binary file.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    sample = data[:65536]
    if b"\x00" in sample or len(_BINARY.findall(sample)) > max(8, len(sample) // 100):
        raise InputError("the document is binary, not text (no reader for this kind of file)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the document is not valid UTF-8 text (byte {exc.start})") from None


def normalise(raw: str, builder: TextBuilder, base: int = 0) -> None:
    """Add `raw` to `builder`, turning \r\n and \r into \n and form feeds into blank lines."""
    pos = 0
    for m in re.finditer(r"\r\n?|\f", raw):
        builder.add(raw[pos : m.start()], base + pos)
        builder.add("\n", base + m.start())
        pos = m.end()
    builder.add(raw[pos:], base + pos)


def read(data: bytes) -> SourceText:
    raw = decode(data)
    b = TextBuilder()
    normalise(raw, b)
    return SourceText(b.text(), "text", b.anchors or [(0, 0)])

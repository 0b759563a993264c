"""Readers: bytes of an upload -> SourceText, chosen by content (magic bytes), not by file name.

Each reader lives in its own module and returns the document's text with a map back to the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from redactor.errors import InputError, UnsupportedType
from redactor.ingest.source import SourceText

__all__ = ["SourceText", "read", "sniff", "FORMATS", "READERS", "Reader"]


def sniff(data: bytes) -> str:
    """The format of `data` from its first bytes."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head[:1] == b"<" and _looks_html(data[:65536]):
        return "html"
    return "text"


def _looks_html(data: bytes) -> bool:
    low = data.lower()
    return any(tag in low for tag in (b"<pre", b"<html", b"<body", b"<table", b"<p>", b"<p ", b"<div", b"<br"))


@dataclass(frozen=True)
class Reader:
    """A registered reader: the sniffed type it reads and "module:function", imported on first use.

    `limits` says whether the function takes the ingest limits (PDF and DOCX do). `missing` is the message of
    the UnsupportedType (415) raised when the module cannot be imported in this installation.
    """

    kind: str
    target: str
    limits: bool = False
    missing: str = ""

    def read(self, data: bytes, limits: dict | None) -> SourceText:
        module, _, function = self.target.partition(":")
        try:
            read = getattr(import_module(module), function)
        except ImportError as exc:  # pragma: no cover - the readers ship with the package
            raise UnsupportedType(self.missing or f"{self.kind} uploads are not supported here") from exc
        result: SourceText = read(data, limits=limits) if self.limits else read(data)
        return result


# Keyed by what sniff() answers. A scan is a PDF without a text layer: the PDF reader OCRs it when the
# `ocr` option is on. A type with no reader here is refused (UnsupportedType, 415).
READERS: dict[str, Reader] = {
    "text": Reader("text", "redactor.ingest.text:read"),
    "html": Reader("html", "redactor.ingest.html:read"),
    "pdf": Reader("pdf", "redactor.ingest.pdf:read", True, "PDF uploads are not supported by this installation"),
    "docx": Reader("docx", "redactor.ingest.docx:read", True, "Word uploads are not supported by this installation"),
}
FORMATS = tuple(READERS)


def read(data: bytes, name: str | None = None, *, limits: dict | None = None) -> SourceText:
    """Read an upload. Raises InputError (422) or UnsupportedType (415) with a message for the user."""
    if not isinstance(data, bytes | bytearray):
        raise InputError("the document must be bytes or text")
    if not data.strip():
        raise InputError("the document is empty")
    from redactor.ingest.limits import check_size, resolve

    check_size(bytes(data), resolve(limits))
    fmt = sniff(bytes(data))
    reader = READERS.get(fmt)
    if reader is None:
        raise UnsupportedType(f"unsupported document type {fmt}")
    return reader.read(bytes(data), limits)

"""Readers: bytes of an upload -> SourceText, chosen by content (magic bytes), not by file name.

Each reader lives in its own module and returns the document's text with a map back to the source.
"""

from __future__ import annotations

from redactor.errors import InputError, UnsupportedType
from redactor.ingest.source import SourceText

__all__ = ["SourceText", "read", "sniff", "FORMATS"]

FORMATS = ("text", "html", "pdf", "docx")


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


def read(data: bytes, name: str | None = None, *, limits: dict | None = None) -> SourceText:
    """Read an upload. Raises InputError (422) or UnsupportedType (415) with a message for the user."""
    if not isinstance(data, bytes | bytearray):
        raise InputError("the document must be bytes or text")
    if not data.strip():
        raise InputError("the document is empty")
    from redactor.ingest.limits import check_size, resolve

    check_size(bytes(data), resolve(limits))
    fmt = sniff(bytes(data))
    if fmt == "text":
        from redactor.ingest import text

        return text.read(bytes(data))
    if fmt == "html":
        from redactor.ingest import html

        return html.read(bytes(data))
    if fmt == "pdf":
        try:
            from redactor.ingest import pdf
        except ImportError as exc:  # pragma: no cover - the reader ships with the package
            raise UnsupportedType("PDF uploads are not supported by this installation") from exc
        return pdf.read(bytes(data), limits=limits)
    if fmt == "docx":
        try:
            from redactor.ingest import docx
        except ImportError as exc:  # pragma: no cover
            raise UnsupportedType("Word uploads are not supported by this installation") from exc
        return docx.read(bytes(data), limits=limits)
    raise UnsupportedType(f"unsupported document type {fmt}")

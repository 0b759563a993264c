"""Where a batch's documents come from: a directory or an fsspec URL, listed lazily, and what counts as one.

Listing yields names only (per folder, sorted, so positions are stable between runs); the bytes are read
by the worker that redacts them, never by the client. Whether a file is a document is decided from its
content, never its name: PDF, Word and HTML by their magic bytes (redactor.ingest.sniff); text must be
UTF-8 text and not a Markdown note, a JSON/CSV data file or another kind of file that is not a document.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from redactor.errors import RedactorError

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
# Markdown notes: a heading as the first line, or a table (a row of cells and a |---| rule).
_MD_HEADING = re.compile(r"\A\s*#{1,6}[ \t]+\S")
_MD_RULE = re.compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", re.M)
_MD_FRONT = re.compile(r"\A---\r?\n[\w-]+:.*?\n---\r?\n", re.S)


def is_url(location: str) -> bool:
    return bool(_URL.match(location)) and not location.startswith("file://")


@dataclass(frozen=True)
class Source:
    """One listed file: its position in the listing, its name relative to the root, and where to read it."""

    index: int
    name: str  # relative to the input root, with / separators
    location: str  # a local path or an fsspec URL


def _fs(location: str, storage_options: dict | None):
    try:
        import fsspec
    except ImportError:
        raise RedactorError("reading from a URL needs the batch extra: pip install 'foia-redactor[batch]'") from None
    try:
        fs, path = fsspec.core.url_to_fs(location, **(storage_options or {}))
    except (ImportError, ValueError) as exc:
        raise RedactorError(f"cannot open {location}: {exc}") from None
    return fs, path


def local_path(location: str) -> str | None:
    """The local path of a location (a path or a file:// URL), None for a remote URL."""
    if location.startswith("file://"):
        return location[len("file://") :]
    return None if is_url(location) else location


def check_root(location: str, storage_options: dict | None = None) -> None:
    path = local_path(location)
    if path is not None:
        if not Path(path).is_dir():
            raise RedactorError(f"no such directory: {location}")
        return
    fs, root = _fs(location, storage_options)
    try:
        ok = fs.isdir(root)
    except Exception as exc:  # noqa: BLE001 - any backend error is a message for the user
        raise RedactorError(f"cannot list {location}: {type(exc).__name__}") from None
    if not ok:
        raise RedactorError(f"no such directory: {location}")


def list_sources(location: str, *, recursive: bool = False, storage_options: dict | None = None) -> Iterator[Source]:
    """Every file under location, in a stable order (sorted within each folder, folders after files).

    Hidden files and folders (a leading dot) are left out: they are a run's own state or the system's.
    """
    path = local_path(location)
    index = 0
    if path is not None:
        root = Path(path)
        stack = [root]
        while stack:
            folder = stack.pop()
            with os.scandir(folder) as it:
                entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
            subdirs = []
            for e in entries:
                if e.is_file():
                    index += 1
                    yield Source(index, Path(e.path).relative_to(root).as_posix(), e.path)
                elif recursive and e.is_dir(follow_symlinks=False):
                    subdirs.append(Path(e.path))
            stack.extend(reversed(subdirs))
        return
    fs, root = _fs(location, storage_options)
    root = root.rstrip("/")
    protocol = location.split("://", 1)[0]
    for folder, dirs, files in fs.walk(root, maxdepth=None if recursive else 1, topdown=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
        for name in sorted(f for f in files if not f.startswith(".")):
            full = f"{folder.rstrip('/')}/{name}"
            index += 1
            yield Source(index, full[len(root) :].lstrip("/"), f"{protocol}://{full}")


def read_bytes(location: str, storage_options: dict | None = None) -> bytes:
    path = local_path(location)
    if path is not None:
        return Path(path).read_bytes()
    fs, p = _fs(location, storage_options)
    return fs.cat_file(p)


# --------------------------------------------------------------------------------- what is a document
def classify(data: bytes) -> tuple[str, str]:
    """("document", format) or ("skipped", why), from the content alone."""
    from redactor.ingest import sniff
    from redactor.ingest.text import decode

    if not data.strip():
        return "skipped", "empty file"
    fmt = sniff(data)
    if fmt == "docx":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "skipped", "a damaged zip archive, not a Word document"
        if "word/document.xml" not in names:
            return "skipped", "a zip archive, not a Word document"
        return "document", fmt
    if fmt != "text":
        return "document", fmt
    try:
        text = decode(data)
    except RedactorError:
        return "skipped", "not text (binary data of a kind no reader handles)"
    head = text[:65536]
    if _MD_HEADING.match(head) or _MD_FRONT.match(head) or len(_MD_RULE.findall(head)) >= 1:
        return "skipped", "a Markdown note, not a document"
    stripped = head.lstrip()
    if stripped[:1] in "{[":
        try:
            json.loads(text)
            return "skipped", "a JSON data file, not a document"
        except ValueError:
            pass
    return "document", fmt

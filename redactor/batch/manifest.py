"""manifest.jsonl: one line per input, appended and fsynced as each finishes, so a crash loses no record.

A run that is resumed reads it back: the last line for an input wins (a document redone after its input
changed gets a second line; the run's end compacts the file, atomically, to one line per input).
For an output on a remote store the manifest is kept in a local state folder, appended there, and copied
to the store every few seconds and at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import TextIO

MANIFEST = "manifest.jsonl"
STATE = ".redactor/batch.json"


def state_dir(out: str) -> Path:
    """Where the manifest is appended: the output folder itself, or a local folder for a remote store."""
    from redactor.batch.inputs import local_path

    path = local_path(out)
    if path is not None:
        return Path(path)
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "redactor" / "batches"
    return base / hashlib.sha256(out.encode("utf-8")).hexdigest()[:16]


class Manifest:
    def __init__(self, out: str, storage_options: dict | None = None, sync_every: float = 5.0) -> None:
        from redactor.batch.inputs import local_path

        self.out = out
        self.remote = local_path(out) is None
        self.storage_options = storage_options
        self.dir = state_dir(out)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / MANIFEST
        if self.remote and not self.path.exists():
            self._fetch()
        self._f: TextIO | None = None
        self.sync_every = sync_every
        self._synced = time.monotonic()
        self.lines = 0

    # -- reading
    def _fetch(self) -> None:
        from redactor.batch.inputs import _fs

        fs, root = _fs(self.out, self.storage_options)
        remote = f"{root.rstrip('/')}/{MANIFEST}"
        if fs.exists(remote):
            self.path.write_bytes(fs.cat_file(remote))

    def entries(self) -> dict[str, dict]:
        """The last entry of each input, by input name. A torn last line (a crash mid-write) is ignored."""
        return {e["input"]: e for e in self.iter_entries()}

    # -- writing
    def open(self, fresh: bool) -> None:
        if fresh and self.path.exists():
            self.path.unlink()
        self._repair()
        self._f = self.path.open("a", encoding="utf-8")

    def _repair(self) -> None:
        """A crash can leave a last line without its newline: end it, so the next line starts clean."""
        if self.path.exists() and self.path.stat().st_size:
            with self.path.open("rb+") as f:
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    f.write(b"\n")

    def append(self, entry: dict) -> None:
        assert self._f is not None
        self._f.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        self._f.flush()
        os.fsync(self._f.fileno())
        self.lines += 1
        if self.remote and time.monotonic() - self._synced > self.sync_every:
            self.upload()

    def upload(self) -> None:
        if not self.remote:
            return
        from redactor.batch.inputs import _fs

        fs, root = _fs(self.out, self.storage_options)
        fs.pipe_file(f"{root.rstrip('/')}/{MANIFEST}", self.path.read_bytes())
        self._synced = time.monotonic()

    def iter_entries(self):
        """Every readable line, in file order, one at a time (a torn line is left out)."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                if isinstance(e, dict) and "input" in e:
                    yield e

    def compact(self) -> int:
        """Keep one line per input (the last), atomically (temp file + rename). Returns the lines kept.

        Two passes over the file: the first notes the last line of each input (a name and a number each),
        the second copies those lines, so a million-document manifest is never all in memory.
        """
        if not self.path.exists():
            return 0
        last: dict[str, int] = {}
        with self.path.open(encoding="utf-8") as f:
            for n, line in enumerate(f):
                try:
                    last[json.loads(line)["input"]] = n
                except (ValueError, KeyError, TypeError):
                    continue
        keep = set(last.values())
        del last
        tmp = self.path.with_name(f".{MANIFEST}.tmp")
        with self.path.open(encoding="utf-8") as f, tmp.open("w", encoding="utf-8") as out:
            for n, line in enumerate(f):
                if n in keep:
                    out.write(line if line.endswith("\n") else line + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)
        return len(keep)

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None
        self.upload()


def write_json(out: str, name: str, data: dict, storage_options: dict | None = None) -> None:
    from redactor.batch.worker import write_output

    write_output(
        out, name, (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(), storage_options
    )


def read_json(out: str, name: str, storage_options: dict | None = None) -> dict | None:
    from redactor.batch.inputs import _fs, local_path

    path = local_path(out)
    try:
        if path is not None:
            p = Path(path) / name
            return json.loads(p.read_text(encoding="utf-8")) if p.exists() else None
        fs, root = _fs(out, storage_options)
        remote = f"{root.rstrip('/')}/{name}"
        return json.loads(fs.cat_file(remote)) if fs.exists(remote) else None
    except ValueError:
        return None

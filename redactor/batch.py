"""Batch runs over a directory: one output per input plus manifest.jsonl, locally or on Dask.

Output file names come from the input's position and a digest of its name, never from its content;
a document that fails gets a manifest line with the error and the run goes on.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from redactor.errors import RedactorError

EXTENSIONS = {"pdf": ".pdf", "json": ".json", "text": ".txt"}
_REDACTOR = None


def _redactor(policy_dir: str | None):
    global _REDACTOR
    if _REDACTOR is None:
        from redactor.engine import Redactor

        _REDACTOR = Redactor(policy_dir=policy_dir)
    return _REDACTOR


def redact_one(path: str, out_dir: str, index: int, policy: str | None, level: str | None, fmt: str,
               policy_dir: str | None = None, overrides: dict | None = None) -> dict:
    """Redact one file; returns its manifest entry. Runs in a worker (local process or Dask)."""
    from redactor.render import render

    src = Path(path)
    out_name = f"{index:05d}-{hashlib.sha256(src.name.encode()).hexdigest()[:10]}{EXTENSIONS[fmt]}"
    entry = {"input": src.name, "output": None, "status": "ok"}
    try:
        rel = _redactor(policy_dir).redact(src.read_bytes(), policy=policy, level=level, overrides=overrides)
        (Path(out_dir) / out_name).write_bytes(render(rel, fmt))
        entry.update(output=out_name, reference=rel.reference, banner=rel.banner, disposition=rel.disposition.value,
                     codes=rel.codes, withheld=len(rel.withheld()), masked=len(rel.redactions))
    except RedactorError as exc:
        entry.update(status="error", error=str(exc), kind=type(exc).__name__)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch; no content in the log
        entry.update(status="error", error="internal error", kind=type(exc).__name__)
    return entry


def run_batch(in_dir: str, out_dir: str, *, policy: str | None = None, level: str | None = None,
              fmt: str = "pdf", engine: str = "local", scheduler: str | None = None, workers: int = 1,
              policy_dir: str | None = None, overrides: dict | None = None) -> dict:
    """Redact every file of in_dir; `overrides` (terms only, see redactor.review) apply to each document."""
    src = Path(in_dir)
    if not src.is_dir():
        raise RedactorError(f"no such directory: {in_dir}")
    from redactor.policy import load

    load(policy, policy_dir).with_level(level)  # fail before any work on a bad policy or level
    if overrides is not None:
        from redactor.review import check_batch

        check_batch(overrides)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in src.iterdir() if p.is_file() and not p.name.startswith("."))
    args = [(str(p), str(out), i, policy, level, fmt, policy_dir, overrides) for i, p in enumerate(files, 1)]
    if engine == "dask":
        entries = _run_dask(args, scheduler, workers)
    elif workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            entries = list(pool.map(redact_one, *zip(*args, strict=True))) if args else []
    else:
        entries = [redact_one(*a) for a in args]
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as f:
        for e in entries:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    failed = sum(e["status"] != "ok" for e in entries)
    return {"documents": len(entries), "ok": len(entries) - failed, "failed": failed,
            "manifest": str(out / "manifest.jsonl")}


def _run_dask(args: list[tuple], scheduler: str | None, workers: int) -> list[dict]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise RedactorError("the Dask engine needs the batch extra: pip install 'foia-redactor[batch]'") from None
    if scheduler:
        client = Client(scheduler)
    else:
        client = Client(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                     dashboard_address=None))
    try:
        futures = [client.submit(redact_one, *a, pure=False) for a in args]
        return client.gather(futures)
    finally:
        client.close()

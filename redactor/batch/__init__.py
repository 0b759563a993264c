"""Batch runs: one output per input document plus manifest.jsonl, in this process, a local pool or on Dask.

- Inputs come from a directory or an fsspec URL (`s3://`, `gs://`, `file://`), listed lazily and read by
  the worker that redacts them; only documents are redacted (judged by content, see inputs.classify), the
  rest get a `skipped` line.
- Output names come from the input's position and a digest of its name, never from its content; outputs
  are written atomically, so a task retried after a lost worker rewrites the same file.
- Each document's manifest line is appended and fsynced when it finishes; `resume=True` skips the inputs
  whose content digest and parameters match a finished line. A document that fails gets its error line and
  the run goes on.
- After every document is done, shared paragraphs are harmonised (batch.consistency): withheld anywhere,
  withheld everywhere; the documents concerned are redone with those portions withheld.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from redactor import __version__
from redactor.batch import consistency, worker
from redactor.batch.inputs import check_root, list_sources, local_path
from redactor.batch.manifest import STATE, Manifest, read_json, write_json
from redactor.batch.progress import Progress
from redactor.batch.worker import output_name
from redactor.errors import InputError, RedactorError
from redactor.render import formats

__all__ = ["run_batch", "output_name"]
SUMMARY = ".redactor/summary.json"  # in a hidden folder: a glob for *.json finds only releases
DEFAULT_TIME_LIMIT = 300.0
# The Redactor for runs in this process when none is passed (tests set it; None builds one per config).
_REDACTOR = None


def _params(pol, level: str | None, fmt: str, date: str | None, overrides: dict | None, ocr: bool) -> str:
    """A digest of everything that changes a document's output: a resumed run redoes a document whose
    parameters differ from those its line was made with."""
    blob = json.dumps(
        {
            "version": __version__,
            "policy": pol.model_dump_json(exclude={"source"}),
            "level": level,
            "format": fmt,
            "date": date,
            "overrides": overrides,
            "ocr": bool(ocr),
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _clean_temporaries(out: str) -> None:
    path = local_path(out)
    if path is None:
        return
    for tmp in Path(path).glob(".tmp-*"):
        tmp.unlink(missing_ok=True)  # a half-written output of a run that was stopped


def run_batch(
    in_dir: str,
    out_dir: str,
    *,
    policy: str | None = None,
    level: str | None = None,
    fmt: str = "pdf",
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 1,
    policy_dir: str | None = None,
    overrides: dict | None = None,
    date: str | None = None,
    ocr: bool = False,
    resume: bool = False,
    recursive: bool = False,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    window: int = 0,
    harmonise: bool = True,
    storage_options: dict | None = None,
    progress: bool | None = None,
    client=None,
    redactor=None,
    stream=None,
) -> dict:
    """Redact every document of in_dir into out_dir; `overrides` (terms only) apply to each document.

    `progress`: None shows it when stderr is a terminal or prints a line every few seconds otherwise; False
    is silent. `client`: an existing dask.distributed Client (engine "dask"). `redactor`: the engine to use
    in this process (engine "local" with one worker; tests pass one with a fake detector).
    """
    from redactor.policy import check_date, load

    if fmt not in formats():
        raise RedactorError(f"unknown format {fmt!r}; choose one of: {', '.join(formats())}")
    if engine not in ("local", "dask"):
        raise RedactorError(f"unknown engine {engine!r}; choose local or dask")
    pol = load(policy, policy_dir).with_level(level)  # fail before any work on a bad policy or level
    if date:
        try:
            date = check_date(date)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    if overrides is not None:
        from redactor.review import check_batch

        check_batch(overrides)
    check_root(in_dir, storage_options)
    path = local_path(out_dir)
    if path is not None:
        Path(path).mkdir(parents=True, exist_ok=True)
    _clean_temporaries(out_dir)
    params = _params(pol, level, fmt, date, overrides, ocr)
    state = read_json(out_dir, STATE, storage_options) if resume else None
    salt = (state or {}).get("salt") or secrets.token_hex(16)
    write_json(
        out_dir,
        STATE,
        {
            "version": __version__,
            "input": in_dir,
            "recursive": recursive,
            "policy": pol.name,
            "level": pol.level,
            "format": fmt,
            "date": date,
            "ocr": bool(ocr),
            "params": params,
            "salt": salt,
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
        storage_options,
    )
    config = {
        "out": out_dir,
        "fmt": fmt,
        "policy": policy,
        "level": level,
        "date": date,
        "overrides": overrides,
        "ocr": bool(ocr),
        "policy_dir": policy_dir,
        "storage_options": storage_options,
        "salt": salt,
        "time_limit": time_limit,
        "params": params,
    }
    redactor = redactor if redactor is not None else _REDACTOR
    if redactor is not None:
        worker.install(redactor, config)

    manifest = Manifest(out_dir, storage_options)
    # What a resumed run needs of each finished line (not the whole line: a million of them stay small).
    prior = (
        {
            e["input"]: {k: e.get(k) for k in ("index", "input", "digest", "params", "output", "status", "pages")}
            for e in manifest.iter_entries()
            if e.get("status") in ("ok", "skipped")
        }
        if resume
        else {}
    )
    manifest.open(fresh=not resume)
    total = None
    show = progress if progress is not None else True
    err = stream or sys.stderr
    if show and getattr(err, "isatty", lambda: False)():
        total = sum(1 for _ in list_sources(in_dir, recursive=recursive, storage_options=storage_options))
    bar = Progress(total, stream=err, enabled=show)
    counts: Counter = Counter()
    started = time.monotonic()

    def tasks() -> Iterator[dict]:
        for src in list_sources(in_dir, recursive=recursive, storage_options=storage_options):
            before = prior.get(src.name)
            ok_before = (
                before
                if before and before.get("status") in ("ok", "skipped") and before.get("index") == src.index
                else None
            )
            yield {"index": src.index, "name": src.name, "location": src.location, "prior": ok_before}

    def run(task_iter) -> Iterator[dict]:
        if engine == "dask":
            from redactor.batch.engines import run_dask

            return run_dask(task_iter, config, scheduler=scheduler, workers=workers, window=window, client=client)
        if workers > 1:
            from redactor.batch.engines import run_local

            return run_local(task_iter, config, workers, window or 4 * workers)
        from redactor.batch.engines import run_inline

        return run_inline(task_iter, config)

    harmonised = 0
    cluster = None
    if engine == "dask" and client is None:
        from redactor.batch.engines import dask_client

        client, cluster = dask_client(scheduler, workers, config=config)
        own_client = True
    else:
        own_client = False
    try:
        for entry in run(tasks()):
            if entry.pop("status_now", None) == "resumed":
                counts["resumed"] += 1
            else:
                manifest.append(entry)
            bar.update(entry)
        if harmonise:
            todo = consistency.plan_streaming(manifest.iter_entries)
            if todo:
                index_of = {e["input"]: e["index"] for e in manifest.iter_entries() if e["input"] in todo}
                redo = [
                    {"index": index_of[n], "name": n, "location": _location(in_dir, n), "withhold": w}
                    for n, w in sorted(todo.items(), key=lambda kv: index_of[kv[0]])
                ]
                for entry in run(iter(redo)):
                    manifest.append(entry)
                    harmonised += 1
    finally:
        bar.close()
        manifest.close()
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()
    _clean_temporaries(out_dir)  # what a worker killed mid-write left behind
    lines = manifest.compact()
    manifest.upload()
    # The summary from one pass over the compacted manifest: counters only, nothing per document kept.
    status: Counter = Counter()
    dispositions: Counter = Counter()
    errors: Counter = Counter()
    skipped_why: Counter = Counter()
    pages = 0
    for e in manifest.iter_entries():
        status[e.get("status")] += 1
        if e.get("status") == "ok":
            dispositions[e.get("disposition")] += 1
            pages += e.get("pages") or 0
        elif e.get("status") == "error":
            errors[e.get("kind", "error")] += 1
        elif e.get("status") == "skipped":
            skipped_why[e.get("reason")] += 1
    summary = {
        "documents": sum(status.values()),
        "ok": status.get("ok", 0),
        "failed": status.get("error", 0),
        "skipped": status.get("skipped", 0),
        "resumed": counts["resumed"],
        "redacted": bar.done - counts["resumed"],
        "harmonised": harmonised,
        "dispositions": dict(sorted(dispositions.items())),
        "errors": dict(sorted(errors.items())),
        "skipped_why": dict(sorted(skipped_why.items())),
        "pages": pages,
        "seconds": round(time.monotonic() - started, 2),
        "manifest": str(manifest.path) if local_path(out_dir) is not None else f"{out_dir.rstrip('/')}/manifest.jsonl",
        "manifest_lines": lines,
    }
    write_json(out_dir, SUMMARY, summary, storage_options)
    return summary


def _location(in_dir: str, name: str) -> str:
    path = local_path(in_dir)
    if path is not None:
        return str(Path(path) / name)
    return f"{in_dir.rstrip('/')}/{name}"

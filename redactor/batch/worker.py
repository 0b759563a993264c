"""What runs on a worker (a local process or a Dask worker): one document in, one output and one record out.

Each process builds its Redactor (and loads the spaCy model) once, through `engine()`; a Dask worker plugin
or the local pool's initializer calls `warm()` when the process starts, so no task pays for it. The worker
reads the input itself, decides whether it is a document, redacts and renders it, and writes the output
atomically (a temporary file renamed into place, or one object PUT), so a task retried after a lost worker
writes the same name with the same bytes and never leaves a second or a half-written output.
"""

from __future__ import annotations

import ctypes
import hashlib
import hmac
import json
import os
import re
import threading
import time
from pathlib import Path

from redactor.errors import RedactorError
from redactor.render import extension

_ENGINES: dict[str, object] = {}
_LOCK = threading.Lock()
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
# Paragraphs shorter than this (normalised) are too common ("Comment.") to say two documents share one.
MIN_SHARED_CHARS = 40


class DocumentTimeout(Exception):
    """Raised inside a task that ran past the batch's per-document time limit."""


def engine_key(config: dict) -> str:
    return json.dumps({k: config.get(k) for k in ("policy_dir", "ocr")}, sort_keys=True)


def engine(config: dict):
    """The Redactor of this process for this configuration (built once)."""
    key = engine_key(config)
    with _LOCK:
        if key not in _ENGINES:
            from redactor.engine import Redactor

            # The job's --ocr over the settings' reader limits (Redactor takes those from the environment).
            _ENGINES[key] = Redactor(
                policy_dir=config.get("policy_dir"), ingest_options={"ocr": bool(config.get("ocr"))}
            )
        return _ENGINES[key]


def install(redactor, config: dict) -> None:
    """Use this Redactor for this configuration in this process (tests: a fake detector)."""
    with _LOCK:
        _ENGINES[engine_key(config)] = redactor


def warm(config: dict) -> int:
    """Build the engine and load the policy's model now; returns the process id (for the caller's log)."""
    engine(config).warm(config.get("policy"))
    return os.getpid()


def output_name(index: int, name: str, fmt: str) -> str:
    """From the position and a digest of the name, never from the content."""
    return f"{index:05d}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:10]}{extension(fmt)}"


# ---------------------------------------------------------------------------------------- time limit
def run_with_limit(fn, seconds: float | None):
    """fn() in this thread, interrupted with DocumentTimeout after `seconds` (checked between bytecodes).

    Dask runs tasks in worker threads, where signals cannot reach; the exception is raised asynchronously in
    the task's thread instead. Code inside a C call (a spaCy pass) is interrupted when the call returns.
    """
    if not seconds:
        return fn()
    tid = threading.get_ident()
    state = {"done": False}
    lock = threading.Lock()

    def fire() -> None:
        with lock:
            if not state["done"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(DocumentTimeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        return fn()
    finally:
        with lock:
            state["done"] = True
        timer.cancel()


# -------------------------------------------------------------------------------------------- output
def write_output(out: str, name: str, data: bytes, storage_options: dict | None = None) -> None:
    from redactor.batch.inputs import _fs, local_path

    path = local_path(out)
    if path is None:
        fs, root = _fs(out, storage_options)
        fs.pipe_file(f"{root.rstrip('/')}/{name}", data)  # one PUT: the object appears whole or not at all
        return
    final = Path(path) / name
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".tmp-{final.name}-{os.getpid()}-{threading.get_ident()}"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, final)


def output_exists(out: str, name: str, storage_options: dict | None = None) -> bool:
    from redactor.batch.inputs import _fs, local_path

    path = local_path(out)
    if path is not None:
        return (Path(path) / name).is_file()
    fs, root = _fs(out, storage_options)
    return fs.exists(f"{root.rstrip('/')}/{name}")


# ----------------------------------------------------------------------------------- paragraph keys
def normalise_paragraph(text: str) -> str:
    """What makes two paragraphs "the same": case, whitespace and page-break lines do not count."""
    return re.sub(r"\s+", " ", text).strip().lower()


def paragraph_key(salt: str, text: str) -> str | None:
    norm = normalise_paragraph(text)
    if len(norm) < MIN_SHARED_CHARS:
        return None
    return hmac.new(salt.encode("utf-8"), norm.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


def _portion_source(doc, p) -> str:
    text = doc.text
    pieces, pos = [], p.body_start
    for a, b in p.breaks:
        if a >= pos:
            pieces.append(text[pos:a])
            pos = b
    pieces.append(text[pos : p.end])
    return "".join(pieces)


def paragraphs(doc, rel, salt: str) -> list[dict]:
    """Per portion: a keyed digest of its normalised source text (never the text), its decision and what the
    release shows of it, so a case can find the same paragraph in several documents and compare."""
    shown: dict[str, str] = {}
    for b in rel.blocks:
        if b.portion and b.kind == "portion":
            shown[b.portion] = normalise_paragraph("".join(r.text for r in b.runs))
    decisions = {d.id: d for d in rel.portions}
    out = []
    for p in doc.portions:
        key = paragraph_key(salt, _portion_source(doc, p))
        d = decisions.get(p.id)
        if key is None or d is None:
            continue
        released = shown.get(p.id)
        out.append(
            {
                "id": p.id,
                "key": key,
                "number": p.number,
                "decision": d.decision,
                "codes": list(d.codes),
                "shown": hmac.new(salt.encode(), released.encode(), hashlib.sha256).hexdigest()[:16]
                if released is not None
                else None,
                "by": d.proposed_by,
            }
        )
    return out


# ----------------------------------------------------------------------------------------- one task
def process(task: dict, config: dict) -> dict:
    """Redact one input; returns its manifest entry. Never raises for a bad document."""
    started = time.perf_counter()
    cpu = time.thread_time()
    fmt = config["fmt"]
    name = output_name(task["index"], task["name"], fmt)
    entry: dict = {
        "index": task["index"],
        "input": task["name"],
        "output": None,
        "status": "ok",
        "params": config["params"],
    }
    so = config.get("storage_options")
    try:
        from redactor.batch.inputs import classify, read_bytes

        data = read_bytes(task["location"], so)
        entry["digest"] = hashlib.sha256(data).hexdigest()
        entry["bytes"] = len(data)
        prior = task.get("prior")
        if (
            prior
            and prior.get("digest") == entry["digest"]
            and prior.get("params") == config["params"]
            and _outputs_there(prior.get("output"), config, so)
        ):
            return {**prior, "status_now": "resumed"}
        kind, why = classify(data)
        if kind == "skipped":
            entry.update(status="skipped", reason=why)
            return entry
        entry["format"] = why
        run_with_limit(lambda: _redact(data, task, config, name, entry), config.get("time_limit"))
    except DocumentTimeout:
        if not entry.get("output"):  # (the limit can fire just as a finished document returns)
            entry.update(
                status="error",
                error=f"took longer than the limit of {config.get('time_limit')} s",
                kind="DocumentTimeout",
                output=None,
            )
    except RedactorError as exc:
        entry.update(status="error", error=str(exc), kind=type(exc).__name__, output=None)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch; no content in the log
        entry.update(status="error", error="internal error", kind=type(exc).__name__, output=None)
    entry["seconds"] = round(time.perf_counter() - started, 3)
    entry["cpu_seconds"] = round(time.thread_time() - cpu, 3)
    entry["finished"] = round(time.time(), 3)
    entry["worker"] = os.getpid()
    return entry


def _outputs_there(output: str | None, config: dict, so: dict | None) -> bool:
    if output is None:
        return True
    names = [output] + ([output[:-4] + ".json"] if output.endswith(".pdf") else [])
    return all(output_exists(config["out"], n, so) for n in names)


def process_many(tasks: list[dict], config: dict) -> list[dict]:
    """Several documents in one Dask task: the scheduler's cost per task is then shared among them."""
    return [process(t, config) for t in tasks]


def _overrides(task: dict, config: dict, fingerprint: str) -> dict | None:
    """The batch's term overrides, plus the portions a case must withhold for consistency (see consistency)."""
    base = config.get("overrides")
    withhold = task.get("withhold") or []
    if not withhold:
        return base
    items = list((base or {}).get("overrides", []))
    for w in withhold:
        items.append({"id": w["id"], "action": "withhold", "codes": w["codes"], "justification": w["justification"]})
    return {"fingerprint": fingerprint, "reviewer": "case consistency check", "overrides": items}


def _redact(data: bytes, task: dict, config: dict, name: str, entry: dict) -> None:
    from redactor.engine import build
    from redactor.render import render

    r = engine(config)
    pol = r.policy(config.get("policy"), config.get("level"))
    # Redactor.redact() with the Document kept: it is read once (a PDF's ingest is the costly part), and the
    # batch needs it for the paragraph digests. The date was checked by run_batch.
    doc = r.read(data)
    fingerprint = r.fingerprint(doc, pol)  # as Redactor.redact's: a review file made from either fits both
    rel, _ = build(
        doc,
        pol,
        r.detector,
        fingerprint=fingerprint,
        date=config.get("date"),
        overrides=_overrides(task, config, fingerprint),
    )
    fmt = config["fmt"]
    so = config.get("storage_options")
    pages = None
    if fmt == "pdf":
        from redactor.render import pdf as pdf_render

        renderer = pdf_render._Renderer(rel)
        body = renderer.build()
        pages = len(_PAGE.findall(body))
        index = [
            {
                "item": n,
                "page": i.page or (1 if renderer.placeholder else None),
                "paragraph": i.paragraph,
                "withheld": i.withheld,
                "codes": i.codes,
                "justification": i.justification,
                "decided": i.decided,
                "kind": i.kind,
            }
            for n, i in enumerate(renderer.items, 1)
        ]
        sidecar = {**rel.to_dict(), "index": index, "pages": pages}
        # The JSON twin beside the PDF: what `redactor package` reads (no withheld text, like every release).
        write_output(
            config["out"],
            name[:-4] + ".json",
            (json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
            so,
        )
    else:
        body = render(rel, fmt)
    write_output(config["out"], name, body, so)
    entry.update(
        output=name,
        reference=rel.reference,
        banner=rel.banner,
        disposition=rel.disposition.value,
        codes=rel.codes,
        withheld=len(rel.withheld()),
        masked=len(rel.redactions),
        pages=pages,
        paragraphs=paragraphs(doc, rel, config["salt"]),
    )
    if task.get("withhold"):
        entry["harmonised"] = [w["id"] for w in task["withhold"]]

"""The batch command: inputs by content, crash-safe manifest, resume, time limits, Dask, S3, consistency.

The model is not the point here: documents go through a policy without entity detection (or the fake
detector), so each takes milliseconds.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from redactor.batch import run_batch, worker
from redactor.batch.inputs import classify
from tests.conftest import CORPUS, ROOT, SEED, FakeDetector

NO_ENTITIES = """name: no-entities
description: public release without entity detection (tests)
scheme: us
level: UNCLASSIFIED
audience: public
entities:
  types: {}
"""
CABLE = """UNCLASSIFIED
SUBJECT: (U) TEST CABLE {n}

1. (U) This paragraph is released in every copy of the cable, number {n}.

2. (S) This paragraph is withheld because it is marked SECRET in the original cable.

3. (U) A closing paragraph.
"""


@pytest.fixture
def policy_dir(tmp_path: Path) -> str:
    d = tmp_path / "policies"
    d.mkdir()
    (d / "no-entities.yaml").write_text(NO_ENTITIES, encoding="utf-8")
    return str(d)


@pytest.fixture(autouse=True)
def _pythonpath(monkeypatch):
    """Worker processes (the local pool, Dask) import this tree."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    yield
    worker._ENGINES.clear()


def make_inputs(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"cable-{i:03d}.txt").write_text(CABLE.format(n=i), encoding="utf-8")
    return folder


def lines(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------------------------- what is a document
def test_classify_by_content():
    assert classify(SEED.read_bytes())[0] == "document"
    assert classify(b"%PDF-1.7\n...") == ("document", "pdf")
    assert classify(b"")[0] == "skipped"
    assert classify(b"\x00\x01\x02" * 100) == ("skipped", "not text (binary data of a kind no reader handles)")
    assert classify(b"# Notes\n\nSome notes.\n")[1] == "a Markdown note, not a document"
    assert classify(b"Intro\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")[1] == "a Markdown note, not a document"
    assert classify(b'{"a": 1}')[1] == "a JSON data file, not a document"
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("data.csv", "a,b\n")
    assert classify(buf.getvalue()) == ("skipped", "a zip archive, not a Word document")


@pytest.mark.skipif(not (CORPUS / "MANIFEST.md").is_file(), reason="corpus MANIFEST.md absent")
def test_corpus_manifest_is_not_released_as_a_cable():
    assert classify((CORPUS / "MANIFEST.md").read_bytes())[0] == "skipped"
    for p in sorted(CORPUS.glob("*.txt")):
        assert classify(p.read_bytes())[0] == "document", p.name


def test_only_documents_are_redacted_the_rest_reported(tmp_path, policy_dir):
    src = make_inputs(tmp_path / "in", 2)
    (src / "README.md").write_text("# About this folder\n", encoding="utf-8")
    (src / "SECRET-NAME.bin").write_bytes(b"\x00\x01" * 100)
    (src / "empty.txt").write_bytes(b"")
    (src / ".hidden").write_text("state", encoding="utf-8")
    sub = src / "sub"
    make_inputs(sub, 1)
    out = tmp_path / "out"
    s = run_batch(str(src), str(out), fmt="json", policy="no-entities", policy_dir=policy_dir, progress=False)
    assert (s["documents"], s["ok"], s["skipped"], s["failed"]) == (5, 2, 3, 0)
    assert s["skipped_why"] == {
        "a Markdown note, not a document": 1,
        "empty file": 1,
        "not text (binary data of a kind no reader handles)": 1,
    }
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".json" and p.name[0].isdigit()) == sorted(
        e["output"] for e in lines(out) if e["output"]
    )
    assert all("SECRET-NAME" not in p.name for p in out.iterdir())
    s = run_batch(
        str(src),
        str(tmp_path / "out2"),
        fmt="json",
        policy="no-entities",
        policy_dir=policy_dir,
        recursive=True,
        progress=False,
    )
    assert s["ok"] == 3 and "sub/cable-000.txt" in {e["input"] for e in lines(tmp_path / "out2")}


# ------------------------------------------------------------------------------------------- records
def test_each_line_is_on_disk_when_its_document_finishes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    seen: list[int] = []

    class Watching(FakeDetector):
        def detect(self, texts, *a, **k):
            path = out / "manifest.jsonl"
            seen.append(len(path.read_text().splitlines()) if path.exists() else 0)
            return super().detect(texts, *a, **k)

    from redactor.engine import Redactor

    s = run_batch(
        str(src),
        str(out),
        fmt="text",
        redactor=Redactor(detector=Watching(["Valenzuela"])),
        date="2026-03-01",
        progress=False,
    )
    assert s["ok"] == 3 and s["dispositions"] == {"RELEASE IN PART": 3}
    # one detect call per document: before the n-th, n-1 lines are on disk
    assert seen == [0, 1, 2]
    assert (out / ".redactor" / "summary.json").is_file()


def test_date_and_term_overrides_reach_every_document(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    from redactor.engine import Redactor

    overrides = {
        "reviewer": "J. Smith",
        "overrides": [{"action": "mask", "term": "New York City", "justification": "test"}],
    }
    run_batch(
        str(src),
        str(out),
        fmt="json",
        redactor=Redactor(detector=FakeDetector()),
        date="2026-03-01",
        overrides=overrides,
        progress=False,
    )
    rel = json.loads((out / lines(out)[0]["output"]).read_text())
    assert rel["release"]["settings"]["release_date"] == "2026-03-01"
    assert any(r["kind"] == "term" for r in rel["redactions"])


def test_a_document_has_the_same_fingerprint_in_a_batch_as_alone(tmp_path):
    """A review file is made for a fingerprint: the batch gives a document with hidden text (whose points
    are in the fingerprint) the one Redactor.redact gives it, so a review file made from either fits both."""
    from fixtures_docs import hidden_pdf

    from redactor.engine import Redactor

    data = hidden_pdf({"white": "CANARYWHITE"})
    src = tmp_path / "in"
    src.mkdir()
    (src / "memo.pdf").write_bytes(data)
    out = tmp_path / "out"
    engine = Redactor(detector=FakeDetector())
    run_batch(str(src), str(out), fmt="json", redactor=engine, progress=False)
    rel = json.loads((out / lines(out)[0]["output"]).read_text())
    alone = engine.redact(data)
    assert engine.read(data).hidden, "the document must have hidden text for this test to mean anything"
    assert rel["release"]["fingerprint"] == alone.fingerprint


def test_ocr_is_an_ingest_option_of_the_worker_engine(monkeypatch):
    monkeypatch.setenv("REDACTOR_MAX_PAGES", "7")
    monkeypatch.setattr(worker, "_ENGINES", {})
    config = {"policy_dir": None, "ocr": True}
    assert worker.engine(config).ingest_options["ocr"] is True
    assert worker.engine({"policy_dir": None, "ocr": False}).ingest_options["ocr"] is False
    assert worker.engine(config).ingest_options["max_pages"] == 7  # the other limits from the settings


def test_resume_redoes_only_what_is_not_done(tmp_path, policy_dir):
    src = make_inputs(tmp_path / "in", 4)
    out = tmp_path / "out"
    kw = {"fmt": "json", "policy": "no-entities", "policy_dir": policy_dir, "progress": False}
    run_batch(str(src), str(out), **kw)
    first = {e["input"]: e for e in lines(out)}
    (src / "cable-002.txt").write_text(CABLE.format(n=99), encoding="utf-8")  # changed since
    s = run_batch(str(src), str(out), resume=True, **kw)
    assert (s["resumed"], s["redacted"]) == (3, 1)
    after = {e["input"]: e for e in lines(out)}
    assert len(lines(out)) == 4
    assert after["cable-001.txt"] == first["cable-001.txt"]
    assert after["cable-002.txt"]["digest"] != first["cable-002.txt"]["digest"]
    s = run_batch(str(src), str(out), resume=True, **{**kw, "date": "2026-02-02"})  # other parameters
    assert s["resumed"] == 0 and s["redacted"] == 4


def test_a_document_past_the_time_limit_is_an_error_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-slow.txt").write_bytes(SEED.read_bytes())
    (src / "b-fast.txt").write_bytes(SEED.read_bytes().replace(b"103113", b"103114"))
    out = tmp_path / "out"

    class Slow(FakeDetector):
        slept = False

        def detect(self, texts, *a, **k):
            if not self.slept:
                self.slept = True
                end = time.monotonic() + 5
                while time.monotonic() < end:
                    time.sleep(0.01)
            return super().detect(texts, *a, **k)

    from redactor.engine import Redactor

    s = run_batch(str(src), str(out), fmt="json", redactor=Redactor(detector=Slow()), time_limit=0.5, progress=False)
    assert s["errors"] == {"DocumentTimeout": 1} and s["ok"] == 1
    assert s["seconds"] < 4


def test_progress_lines_when_not_on_a_terminal(tmp_path, policy_dir):
    import io

    src = make_inputs(tmp_path / "in", 2)
    err = io.StringIO()
    run_batch(str(src), str(tmp_path / "out"), fmt="json", policy="no-entities", policy_dir=policy_dir, stream=err)
    assert "batch: 2 documents" in err.getvalue() and "docs/s" in err.getvalue()


# --------------------------------------------------------------------------------- crashes and faults
def test_an_interrupted_local_batch_resumes_without_redoing_finished_documents(tmp_path, policy_dir):
    src = make_inputs(tmp_path / "in", 60)
    out = tmp_path / "out"
    args = [
        sys.executable,
        "-m",
        "redactor.cli",
        "--policy-dir",
        policy_dir,
        "batch",
        str(src),
        str(out),
        "--policy",
        "no-entities",
        "--workers",
        "2",
        "--quiet",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    manifest = out / "manifest.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= 5:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    done = {e["input"]: e for e in lines(out) if e["status"] == "ok"}
    assert 5 <= len(done) < 60, "interrupt came too late to test resuming"
    res = subprocess.run([*args, "--resume"], capture_output=True, timeout=300)
    summary = json.loads(res.stdout)
    assert res.returncode == 0, res.stderr[-2000:]
    assert summary["resumed"] == len(done) and summary["redacted"] == 60 - len(done)
    final = lines(out)
    assert len(final) == 60 and len({e["input"] for e in final}) == 60
    for e in final:
        if e["input"] in done:
            assert e == done[e["input"]]  # the same line: not redone
    assert len([p for p in out.glob("[0-9]*.pdf")]) == 60
    assert not list(out.glob(".tmp-*"))


def test_a_killed_dask_worker_loses_nothing_and_duplicates_nothing(tmp_path, policy_dir):
    distributed = pytest.importorskip("distributed")
    src = make_inputs(tmp_path / "in", 80)
    out = tmp_path / "out"
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1", silence_logs=50
    )
    client = distributed.Client(cluster)
    killed: list[int] = []

    def kill_one() -> None:
        manifest = out / "manifest.jsonl"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if manifest.exists() and len(manifest.read_text().splitlines()) >= 10:
                pids = client.run(os.getpid)
                pid = sorted(pids.values())[0]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.02)

    try:
        t = threading.Thread(target=kill_one, daemon=True)
        t.start()
        # the batch joins the cluster by its address, as `--scheduler ADDRESS` does
        s = run_batch(
            str(src),
            str(out),
            engine="dask",
            scheduler=cluster.scheduler_address,
            fmt="pdf",
            policy="no-entities",
            policy_dir=policy_dir,
            progress=False,
            window=4,
        )
        t.join()
    finally:
        client.close()
        cluster.close()
    assert killed, "no worker was killed"
    entries = lines(out)
    assert s["ok"] == 80 and s["failed"] == 0
    assert len(entries) == 80 and len({e["input"] for e in entries}) == 80
    assert sorted(p.name for p in out.glob("[0-9]*.pdf")) == sorted(e["output"] for e in entries)
    assert not list(out.glob(".tmp-*"))
    assert len({e["worker"] for e in entries}) >= 2


def test_dask_tasks_carry_about_a_second_of_documents():
    from redactor.batch.engines import MAX_CHUNK, chunk_size

    assert chunk_size(None) == 2  # before any document finished: small, so every worker starts at once
    assert [chunk_size(s) for s in (5.0, 1.0, 0.4, 0.1, 0.08, 0.01)] == [1, 1, 2, 10, 12, MAX_CHUNK]


def test_a_closing_dask_worker_freezes_its_objects_so_its_exit_skips_a_collection_over_the_model():
    pytest.importorskip("distributed")
    from redactor.batch.dask_plugin import RedactorPlugin

    assert gc.get_freeze_count() == 0
    try:
        RedactorPlugin({}).teardown(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("size", "remaining", "window", "expected"),
    [(10, 64, 4, 10), (10, 20, 4, 5), (10, 9, 4, 3), (10, 3, 4, 1), (10, 0, 4, 1), (1, 50, 4, 1)],
)
def test_the_last_dask_tasks_are_smaller_so_no_worker_waits_long_for_the_others(size, remaining, window, expected):
    from redactor.batch.engines import tail_chunk

    assert tail_chunk(size, remaining, window) == expected


def test_the_local_dask_cluster_loads_the_model_as_it_starts_without_malloc_trim_or_work_stealing(tmp_path, policy_dir):
    import dask

    from redactor.batch.engines import dask_client

    client, cluster = dask_client(None, 2, config={"policy": "no-entities", "policy_dir": policy_dir, "ocr": False})
    try:
        settings = client.run(
            lambda dask_worker: (
                os.environ.get("MALLOC_TRIM_THRESHOLD_"),
                dask.config.get("distributed.worker.profile.enabled"),
                dask.config.get("distributed.worker.memory.monitor-interval"),
                "redactor-engine" in dask_worker.plugins,  # the engine was built as the worker started
            )
        )
        assert list(settings.values()) == [(None, False, "1s", True)] * 2
        assert "stealing" not in client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.extensions))
        src = make_inputs(tmp_path / "in", 30)
        s = run_batch(
            str(src),
            str(tmp_path / "out"),
            engine="dask",
            client=client,
            policy="no-entities",
            policy_dir=policy_dir,
            fmt="json",
            progress=False,
        )
    finally:
        client.close()
        cluster.close()
    entries = lines(tmp_path / "out")
    assert s["ok"] == 30 and len(entries) == s["documents"] == len({e["input"] for e in entries})


# ------------------------------------------------------------------------------------------------ S3
def test_inputs_from_and_outputs_to_an_s3_compatible_store(tmp_path, policy_dir, monkeypatch):
    pytest.importorskip("s3fs")
    moto_server = pytest.importorskip("moto.server")
    for k, v in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        import s3fs

        port = server._server.port
        so = {"endpoint_url": f"http://127.0.0.1:{port}", "key": "testing", "secret": "testing"}
        fs = s3fs.S3FileSystem(**so)
        fs.mkdir("case-in")
        fs.mkdir("case-out")
        for i in range(3):
            fs.pipe_file(f"case-in/docs/cable-{i}.txt", CABLE.format(n=i).encode())
        fs.pipe_file("case-in/docs/notes.md", b"# notes\n")
        s = run_batch(
            "s3://case-in/docs",
            "s3://case-out/release",
            fmt="pdf",
            policy="no-entities",
            policy_dir=policy_dir,
            storage_options=so,
            progress=False,
            date="2026-04-01",
        )
        assert (s["ok"], s["skipped"]) == (3, 1)
        fs.invalidate_cache()
        names = sorted(p.rsplit("/", 1)[1] for p in fs.ls("case-out/release"))
        assert "manifest.jsonl" in names and fs.exists("case-out/release/.redactor/summary.json")
        assert len([n for n in names if n.endswith(".pdf")]) == 3
        manifest = [json.loads(x) for x in fs.cat_file("case-out/release/manifest.jsonl").splitlines()]
        assert len(manifest) == 4
        assert fs.cat_file(f"case-out/release/{manifest[0]['output']}").startswith(b"%PDF-")
        s = run_batch(
            "s3://case-in/docs",
            "s3://case-out/release",
            fmt="pdf",
            policy="no-entities",
            policy_dir=policy_dir,
            storage_options=so,
            progress=False,
            date="2026-04-01",
            resume=True,
        )
        assert s["resumed"] == 4
    finally:
        server.stop()


# --------------------------------------------------------------------------------------- consistency
def test_a_paragraph_withheld_anywhere_is_withheld_everywhere(tmp_path, policy_dir):
    src = tmp_path / "in"
    src.mkdir()
    original = CABLE.format(n=1)
    (src / "a.txt").write_text(original, encoding="utf-8")
    # the re-transmission marks paragraph 2 (U) by mistake, and wraps it differently
    retrans = original.replace(
        "2. (S) This paragraph is withheld because", "2. (U) This  paragraph is\nwithheld BECAUSE"
    )
    (src / "b.txt").write_text("RETRANSMITTED\n" + retrans, encoding="utf-8")
    out = tmp_path / "out"
    s = run_batch(str(src), str(out), fmt="json", policy="no-entities", policy_dir=policy_dir, progress=False)
    assert s["harmonised"] == 1
    by = {e["input"]: e for e in lines(out)}
    assert by["b.txt"]["harmonised"]
    rel = json.loads((out / by["b.txt"]["output"]).read_text())
    p2 = next(p for p in rel["portions"] if p["number"] == "2")
    assert p2["decision"] == "withhold" and p2["reviewer"] == "case consistency check"
    assert "withheld BECAUSE" not in rel["text"]
    s = run_batch(
        str(src),
        str(tmp_path / "out2"),
        fmt="json",
        policy="no-entities",
        policy_dir=policy_dir,
        progress=False,
        harmonise=False,
    )
    from redactor.batch import consistency

    diffs = consistency.differences(lines(tmp_path / "out2"))
    assert len(diffs) == 1 and diffs[0]["why"] == "released in one document, withheld in another"

"""Batch benchmark: documents/s of the local pool and of Dask, at 1 and 2 workers, and client memory.

    PYTHONPATH=. .venv/bin/python bench/batch.py [--docs 240] [--memory 10000] [--only local,dask] [--workers 1,2]

The set is generated from the corpus cables (cables/ and cables-extra/), varied: re-transmissions with another
routing line and date-time group, re-wrapped copies, and a few files that are not documents. Each run is timed
two ways: wall time (process start, model load and all) and steady throughput, the documents finished after
every worker has done its first two, divided by the time they took. The memory run pushes N small documents
through a policy without entity detection and samples the client's RSS as it goes.

Each run's line also carries what does not depend on the machine's load: the CPU of a document in its task
(median and mean), of the worker processes whole (their start and model load included) and of this process
(the client; for Dask also the scheduler and the nannies), per document; and where the wall time went beside
the steady work: the first task's start (processes and model), the tail (how long the first worker to finish
waited for the last) and the close (after the last document: the cluster's or pool's shutdown, the summary).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH", "")] if p)
CORPUS = [ROOT.parent / "shared" / "corpus" / "cables", ROOT.parent / "shared" / "corpus" / "cables-extra"]
NO_ENTITIES = """name: no-entities
description: public release, no entity detection (benchmarks)
scheme: us
level: UNCLASSIFIED
audience: public
entities:
  types: {}
"""


def corpus() -> list[Path]:
    return sorted(p for d in CORPUS if d.is_dir() for p in d.glob("*.txt"))


def variant(text: str, v: int) -> str:
    """v 0: as is; 1: a re-transmission (another precedence and date-time group); 2: re-wrapped spaces;
    3: upper-cased routing and extra blank lines."""
    if v % 4 == 1:
        text = re.sub(
            r"^([ROPZ]{1,2}) (\d{6}Z)",
            lambda m: f"O {int(m.group(2)[:6]) % 280000 + 10000:06d}Z",
            text,
            count=1,
            flags=re.M,
        )
        return text.replace("\n", "\nRETRANSMITTED\n", 1)
    if v % 4 == 2:
        return re.sub(r"(?<=\S) (?=\S)", "  ", text, count=200)
    if v % 4 == 3:
        return re.sub(r"\n\n", "\n\n\n", text)
    return text


def make_set(dest: Path, n: int) -> Path:
    files = corpus()
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        src = files[i % len(files)]
        v = i // len(files)
        (dest / f"{i:05d}-{src.stem}-v{v}.txt").write_text(
            variant(src.read_text(encoding="utf-8"), v), encoding="utf-8"
        )
    (dest / "README.md").write_text("# Notes on this set\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    (dest / "scan.bin").write_bytes(bytes(range(256)) * 8)
    return dest


def steady(out: Path, workers: int) -> tuple[float, int]:
    """Documents per second after each worker has finished its first two, from the manifest's timestamps."""
    times = sorted(
        json.loads(x)["finished"] for x in (out / "manifest.jsonl").read_text().splitlines() if '"finished"' in x
    )
    k = 2 * workers
    if len(times) <= k + 1:
        return 0.0, len(times)
    return (len(times) - 1 - k) / (times[-1] - times[k]), len(times)


class CpuSampler:
    """The CPU of this process's threads and of every process below it, sampled until stop(): worker
    processes exit with the run, so their last sample is what they spent."""

    def __init__(self, every: float = 0.25) -> None:
        import psutil

        self.me = psutil.Process()
        self.every = every
        self.children: dict[int, tuple[str, float]] = {}
        self.start_threads = self._threads()
        self._sample()  # what a process still alive from an earlier run had spent is not this run's
        self.before = {pid: cpu for pid, (_, cpu) in self.children.items()}
        self._stop = threading.Event()
        self._th = threading.Thread(target=self._loop, daemon=True)
        self._th.start()

    def _threads(self) -> dict[int, float]:
        return {t.id: t.user_time + t.system_time for t in self.me.threads()}

    def _sample(self) -> None:
        import psutil

        for c in self.me.children(recursive=True):
            try:
                with c.oneshot():
                    t = c.cpu_times()
                    cmd = " ".join(c.cmdline())
                self.children[c.pid] = (cmd, t.user + t.system)
            except psutil.Error:
                pass

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def stop(self) -> dict:
        self._sample()
        self._stop.set()
        self._th.join()
        sampler = self._th.native_id
        end = self._threads()
        own = {k: v - self.start_threads.get(k, 0.0) for k, v in end.items() if k != sampler}
        return {
            "own_s": sum(own.values()),
            "own_threads_s": sorted((round(v, 2) for v in own.values() if v > 0.05), reverse=True),
            "children": {pid: cpu - self.before.get(pid, 0.0) for pid, (_, cpu) in self.children.items()},
        }


def run(src: Path, engine: str, workers: int, fmt: str, policy: str | None, policy_dir: str | None) -> dict:
    import statistics

    from redactor.batch import run_batch

    out = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    t = time.perf_counter()
    t_epoch = time.time()
    sampler = CpuSampler()
    own_cpu = time.process_time()  # this process: the client, and for Dask the LocalCluster's scheduler
    s = run_batch(
        str(src),
        str(out),
        engine=engine,
        workers=workers,
        fmt=fmt,
        policy=policy,
        policy_dir=policy_dir,
        date="2026-01-15",
        progress=False,
        harmonise=False,
    )
    wall = time.perf_counter() - t
    own_cpu = time.process_time() - own_cpu
    cpus = sampler.stop()
    rate, n = steady(out, workers)
    entries = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    ok = [e for e in entries if e.get("status") == "ok"]
    cpu = [e["cpu_seconds"] for e in ok]
    task = [e["seconds"] for e in ok]
    busy = _busy(entries)
    first = min(e["finished"] - e["seconds"] for e in ok) - t_epoch
    last = max(e["finished"] for e in ok) - t_epoch
    pids = {e["worker"] for e in ok}
    ends = [max(e["finished"] for e in ok if e["worker"] == pid) for pid in pids]
    worker_proc = sum(c for pid, c in cpus["children"].items() if pid in pids)
    other = sum(c for pid, c in cpus["children"].items() if pid not in pids)
    shutil.rmtree(out, ignore_errors=True)
    n_ok = max(1, len(ok))
    return {
        "engine": engine,
        "workers": workers,
        "documents": s["ok"],
        "wall_s": round(wall, 1),
        "wall_docs_s": round(s["ok"] / wall, 2),
        "steady_docs_s": round(rate, 2),
        "pages": s["pages"],
        "worker_cpu_ms_per_doc": round(1000 * statistics.median(cpu), 1),
        "task_wall_over_cpu": round(sum(task) / sum(cpu), 2),
        "client_cpu_ms_per_doc": round(1000 * own_cpu / max(1, s["ok"]), 1),
        "worker_busy": busy,
        # where the CPU went, per document: the task thread (mean, what throughput depends on), the worker
        # processes whole (startup and model load included), this process (client, and for Dask the
        # scheduler and the nannies) and any other process below it
        "task_cpu_ms_per_doc_mean": round(1000 * sum(cpu) / n_ok, 1),
        "worker_process_cpu_ms_per_doc": round(1000 * worker_proc / n_ok, 1) if pids - {os.getpid()} else None,
        "other_process_cpu_ms_per_doc": round(1000 * other / n_ok, 1),
        "client_threads_cpu_s": cpus["own_threads_s"],
        "first_task_start_s": round(first, 2),
        "last_task_end_s": round(last, 2),
        "tail_s": round(max(ends) - min(ends), 2),  # how long the first worker done waited for the last
        "close_s": round(wall - last, 2),
    }


def _busy(entries: list[dict]) -> float:
    """The share of each worker's time between its first task's start and its last task's end spent in a
    task (averaged over the workers): what is missing is time a worker waited for its next task."""
    spans: dict[int, list[tuple[float, float]]] = {}
    for e in entries:
        if e.get("finished") and e.get("worker"):
            spans.setdefault(e["worker"], []).append((e["finished"] - e["seconds"], e["finished"]))
    shares = []
    for times in spans.values():
        first, last = min(a for a, _ in times), max(b for _, b in times)
        if last > first:
            shares.append(sum(b - a for a, b in times) / (last - first))
    return round(sum(shares) / len(shares), 3) if shares else 0.0


def memory(n: int, engine: str, workers: int) -> dict:
    """Client RSS while n small documents go through (no entity detection, JSON outputs)."""
    import psutil

    from redactor.batch import run_batch

    tmp = Path(tempfile.mkdtemp(prefix="bench-mem-"))
    src = tmp / "in"
    src.mkdir()
    small = (ROOT / "examples" / "seed-09STATE103113.txt").read_text(encoding="utf-8")[:1500]
    for i in range(n):
        (src / f"{i:06d}.txt").write_text(small.replace("103113", f"{i:06d}"), encoding="utf-8")
    (tmp / "pol").mkdir()
    (tmp / "pol" / "no-entities.yaml").write_text(NO_ENTITIES, encoding="utf-8")
    proc = psutil.Process()
    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    t0 = time.perf_counter()

    def sample() -> None:
        while not stop.is_set():
            lines = 0
            m = tmp / "out" / "manifest.jsonl"
            if m.exists():
                with m.open("rb") as f:
                    lines = sum(1 for _ in f)
            samples.append((lines, proc.memory_info().rss / 2**20))
            stop.wait(2.0)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    s = run_batch(
        str(src),
        str(tmp / "out"),
        engine=engine,
        workers=workers,
        fmt="json",
        policy="no-entities",
        policy_dir=str(tmp / "pol"),
        progress=False,
        harmonise=False,
    )
    samples.append((n, proc.memory_info().rss / 2**20))  # after the run's end (compaction, summary)
    stop.set()
    th.join()
    wall = time.perf_counter() - t0
    shutil.rmtree(tmp, ignore_errors=True)
    after = [rss for lines, rss in samples if lines >= n * 0.1]
    shown = samples[:: max(1, len(samples) // 8)] + samples[-1:]
    return {
        "engine": engine,
        "workers": workers,
        "documents": s["ok"],
        "wall_s": round(wall, 1),
        "rss_mb_at_documents": {f"{int(lines)}": round(rss, 1) for lines, rss in shown},
        "rss_mb_max_after_10pct": round(max(after), 1) if after else None,
        "rss_growth_mb_after_10pct": round(max(after) - min(after), 1) if after else None,
    }


def _process_cpu() -> float:
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def diagnose(src: Path) -> None:
    """Why Dask was slow: per-document CPU and the time a task waits, for process and thread workers and with
    the workers' profiler on and off. A task's wall time over its CPU time shows waiting (for the GIL, when
    threads share a process; for the cores, when the machine is busy)."""
    import statistics

    from distributed import Client, LocalCluster

    from redactor.batch import run_batch

    setups = [
        ("local pool, 2 processes", {"engine": "local", "workers": 2}, None),
        ("Dask, 2 processes x 1 thread, profiler off", None, {"n_workers": 2, "threads_per_worker": 1}),
        ("Dask, 2 processes x 1 thread, profiler on", None, {"n_workers": 2, "threads_per_worker": 1, "profile": True}),
        ("Dask, 1 process x 2 threads", None, {"n_workers": 1, "threads_per_worker": 2}),
    ]
    for name, kw, cluster_kw in setups:
        out = Path(tempfile.mkdtemp(prefix="bench-why-"))
        cluster = client = None
        if cluster_kw is not None:
            import dask

            profile = cluster_kw.pop("profile", False)
            with dask.config.set({"distributed.worker.profile.enabled": profile}):
                cluster = LocalCluster(
                    processes=True, dashboard_address=None, host="127.0.0.1", silence_logs=40, **cluster_kw
                )
            client = Client(cluster)
            kw = {"engine": "dask", "client": client}
        if client is not None:  # the model loads before the clock, as in a long batch
            from redactor.batch.engines import _plugin

            client.register_plugin(_plugin({"policy": None, "policy_dir": None, "ocr": False}))
            before = sum(client.run(_process_cpu).values())
        t = time.perf_counter()
        run_batch(str(src), str(out), progress=False, harmonise=False, **kw)
        wall = time.perf_counter() - t
        workers_cpu = None
        if client is not None:
            workers_cpu = sum(client.run(_process_cpu).values()) - before
            client.close()
            cluster.close()
        es = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
        ok = [e for e in es if e.get("status") == "ok"]
        cpu = sum(e["cpu_seconds"] for e in ok)
        in_task = sum(e["seconds"] for e in ok)
        print(
            json.dumps(
                {
                    "setup": name,
                    "wall_s": round(wall, 1),
                    "cpu_per_doc_ms": round(1000 * statistics.median(e["cpu_seconds"] for e in ok), 1),
                    "task_wall_over_cpu": round(in_task / cpu, 2),
                    # a Dask worker's own work (event loop, heartbeats) beside its tasks
                    "worker_process_cpu_over_task_cpu": round(workers_cpu / cpu, 2) if workers_cpu else None,
                    "load": round(os.getloadavg()[0], 1),
                }
            ),
            flush=True,
        )
        shutil.rmtree(out, ignore_errors=True)


def interleave(src: Path, rounds: int, fmt: str, policy: str | None, policy_dir: str | None) -> None:
    """Local 2 and Dask 2 taken in turns, so a shared machine's load falls on both alike: each run's figures,
    then the medians and the ratio of each round."""
    import statistics

    runs: dict[str, list[dict]] = {"local": [], "dask": []}
    for _ in range(rounds):
        for engine in ("local", "dask"):
            r = run(src, engine, 2, fmt, policy, policy_dir)
            r["load"] = round(os.getloadavg()[0], 1)
            runs[engine].append(r)
            print(json.dumps(r), flush=True)
    for k in ("wall_docs_s", "steady_docs_s"):
        ratios = [a[k] / b[k] for a, b in zip(runs["local"], runs["dask"], strict=True) if b[k]]
        local = statistics.median(r[k] for r in runs["local"])
        dask = statistics.median(r[k] for r in runs["dask"])
        print(
            f"{k}: local 2 median {local:.2f}, Dask 2 median {dask:.2f}, local / Dask per round "
            f"{' '.join(f'{x:.2f}' for x in ratios)} (median {statistics.median(ratios):.2f})",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=240)
    ap.add_argument("--memory", type=int, default=0, help="documents in the memory run (0: skip it)")
    ap.add_argument("--only", default="local,dask")
    ap.add_argument("--workers", default="1,2", help="the worker counts to run, e.g. 2")
    ap.add_argument("--format", default="pdf")
    ap.add_argument("--no-model", action="store_true", help="a policy without entity detection")
    ap.add_argument("--memory-engine", default="local")
    ap.add_argument("--diagnose", action="store_true", help="why Dask was slow (see diagnose())")
    ap.add_argument(
        "--interleave", type=int, default=0, help="N rounds of local 2 then Dask 2 (A B A B: the same load for both)"
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-set-"))
    src = make_set(tmp / "in", args.docs)
    policy = policy_dir = None
    if args.no_model:
        (tmp / "pol").mkdir()
        (tmp / "pol" / "no-entities.yaml").write_text(NO_ENTITIES, encoding="utf-8")
        policy, policy_dir = "no-entities", str(tmp / "pol")
    print(
        f"# {args.docs} documents, format {args.format}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    if args.diagnose:
        diagnose(src)
        return
    if args.interleave:
        interleave(src, args.interleave, args.format, policy, policy_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    results = []
    for engine in args.only.split(","):
        for workers in (int(w) for w in args.workers.split(",")):
            r = run(src, engine, workers, args.format, policy, policy_dir)
            r["load"] = round(os.getloadavg()[0], 1)
            results.append(r)
            print(json.dumps(r), flush=True)
    by = {(r["engine"], r["workers"]): r for r in results}
    for engine in args.only.split(","):
        if (engine, 1) in by and (engine, 2) in by:
            for k in ("wall_docs_s", "steady_docs_s"):
                a, b = by[(engine, 1)][k], by[(engine, 2)][k]
                print(f"{engine}: 2 workers / 1 worker ({k}) = {b / a:.2f}" if a else "", flush=True)
    if ("local", 2) in by and ("dask", 2) in by:
        for k in ("wall_docs_s", "steady_docs_s"):
            a, b = by[("local", 2)][k], by[("dask", 2)][k]
            print(f"local 2 / dask 2 ({k}) = {a / b:.2f}" if b else "", flush=True)
    if args.memory:
        for engine in args.memory_engine.split(","):
            print(json.dumps(memory(args.memory, engine, 2)), flush=True)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

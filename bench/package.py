"""Case package benchmark: time and peak memory of `build_package` as the package grows.

    PYTHONPATH=. .venv/bin/python bench/package.py [--pages 2000,10000]

A batch of the corpus cables (cables/ and cables-extra/, PDF releases at a policy without entity detection)
is run once; its releases are then copied under new names, with their manifest lines, until the batch
holds the pages asked for. Each package is built in a fresh process, which reports its peak RSS (the
kernel's high-water mark), its RSS sampled as the pages are written, and the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def make_batch(dest: Path, pages: int) -> Path:
    """A batch output folder with at least `pages` pages of releases (copies of one real batch's releases)."""
    from batch import NO_ENTITIES, corpus

    from redactor.batch import run_batch
    from redactor.batch.worker import output_name

    src = dest / "in"
    src.mkdir(parents=True)
    for p in corpus():
        shutil.copyfile(p, src / p.name)
    (dest / "pol").mkdir()
    (dest / "pol" / "no-entities.yaml").write_text(NO_ENTITIES, encoding="utf-8")
    out = dest / "out"
    run_batch(
        str(src),
        str(out),
        fmt="pdf",
        policy="no-entities",
        policy_dir=str(dest / "pol"),
        date="2026-05-01",
        progress=False,
    )
    lines = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    ok = [e for e in lines if e.get("status") == "ok"]
    total = sum(e["pages"] for e in ok)
    index = len(lines)
    with (out / "manifest.jsonl").open("a", encoding="utf-8") as f:
        copy = 1
        while total < pages:
            for e in ok:
                name = f"copy{copy}/{e['input']}"
                output = output_name(index, name, "pdf")
                shutil.copyfile(out / e["output"], out / output)
                shutil.copyfile((out / e["output"]).with_suffix(".json"), (out / output).with_suffix(".json"))
                f.write(json.dumps({**e, "index": index, "input": name, "output": output}) + "\n")
                index += 1
                total += e["pages"]
                if total >= pages:
                    break
            copy += 1
    return out


def child(batch: str, case: str) -> None:
    """Build one package in this process; print its time, pages and memory as JSON."""
    import psutil

    from redactor.package import build_package

    proc = psutil.Process()
    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append(proc.memory_info().rss / 2**20)
            stop.wait(0.5)

    before = proc.memory_info().rss / 2**20
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    t = time.perf_counter()
    report = build_package(batch, case, bates_prefix="F-2026-0001-", case_number="F-2026-0001")
    wall = time.perf_counter() - t
    stop.set()
    th.join()
    shown = samples[:: max(1, len(samples) // 6)] + samples[-1:]
    print(
        json.dumps(
            {
                "pages": report["summary"]["pages"],
                "documents": report["summary"]["documents"],
                "index_entries": report["summary"]["index_entries"],
                "wall_s": round(wall, 1),
                "pages_s": round(report["summary"]["pages"] / wall, 1),
                "rss_mb_before": round(before, 1),
                "rss_mb_sampled": [round(x, 1) for x in shown],
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "pdf_mb": round(os.path.getsize(case) / 2**20, 1),
            }
        ),
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", default="2000,10000")
    ap.add_argument("--child", nargs=2, metavar=("BATCH", "CASE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"# {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", flush=True)
    for pages in (int(p) for p in args.pages.split(",")):
        tmp = Path(tempfile.mkdtemp(prefix="bench-package-"))
        try:
            out = make_batch(tmp, pages)
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
            cmd = [sys.executable, __file__, "--child", str(out), str(tmp / "case.pdf")]
            subprocess.run(cmd, check=True, env=env)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"# load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()

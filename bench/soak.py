"""Soak test of the real server: N clients for T minutes, mixed formats, 10% hostile inputs.

    python bench/soak.py                       # 20 clients, 10 minutes, with 1 and then 2 workers
    python bench/soak.py --minutes 2 --workers 2

Starts `redactor serve` on a free loopback port for each worker count, sends the seed cable as text, HTML,
DOCX and PDF asking for text, JSON or PDF answers, and one request in ten hostile (garbage, unknown
parameter, deep JSON, a body over the limit, a DOCX zip bomb) that must get its 4xx. Reports requests,
answers by status, unexpected answers (any 5xx, a 4xx to a good request, a 2xx to a hostile one),
latency p50/p95/p99, and the RSS of every server process every 30 s. Goals: no unexpected answer, every
worker's RSS within 1.3x of its first sample, and 2 workers at least 1.8x the throughput of 1.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-09STATE103113.txt"
MAX_UPLOAD = 10 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    for para in text.split("\n\n"):
        d.add_paragraph(para)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _multipart(parts: list[tuple[str, str | None, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'.encode()
            + (f'; filename="{filename}"\r\nContent-Type: application/octet-stream'.encode() if filename else b"")
            + b"\r\n\r\n"
            + data
            + b"\r\n"
            for name, filename, data in parts
        )
        + f"--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


class Inputs:
    """The request mix: (label, body, content type, query, expected status class)."""

    def __init__(self, base: str) -> None:
        seed = SEED.read_text()
        self.documents = {
            "text": SEED.read_bytes(),
            "html": b"<html><body><pre>"
            + seed.replace("&", "&amp;").replace("<", "&lt;").encode()
            + b"</pre></body></html>",
            "docx": _docx(seed),
        }
        # A PDF input: the service's own typeset release of the seed, a real text-layer PDF.
        body, ctype = _multipart([("file", "seed.txt", self.documents["text"])])
        req = urllib.request.Request(
            base + "/v1/redact?format=pdf", data=body, method="POST", headers={"Content-Type": ctype}
        )
        with urllib.request.urlopen(req, timeout=120) as resp:
            self.documents["pdf"] = resp.read()
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("word/document.xml", b"<w:document/>")
            z.writestr("word/media/image1.png", b"\0" * 20_000_000)
        self.hostile = {
            "garbage": (random.Random(1).randbytes(50_000), "application/octet-stream", ""),
            "unknown-parameter": (b"1. (U) Hi.", "text/plain", "?debug=1"),
            "deep-json": (b'{"text": "x", "overrides": ' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json", ""),
            "docx-zip-bomb": (bomb.getvalue(), "application/octet-stream", ""),
        }

    def pick(self, rng: random.Random) -> tuple[str, bytes, str, str, bool]:
        if rng.random() < 0.10:
            label = rng.choice(sorted(self.hostile))
            body, ctype, query = self.hostile[label]
            return "hostile:" + label, body, ctype, query, False
        kind = rng.choice(sorted(self.documents))
        fmt = rng.choice(("text", "json", "pdf"))
        body, ctype = _multipart([("file", f"seed.{kind}", self.documents[kind])])
        return f"{kind}->{fmt}", body, ctype, f"?format={fmt}", True


def _send(base: str, body: bytes, ctype: str, query: str) -> int:
    req = urllib.request.Request(base + "/v1/redact" + query, data=body, method="POST", headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=180) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as err:
        err.read()
        return err.code
    except OSError:
        return 0  # reset or refused: counted as unexpected


def _send_oversized(base: str) -> int:
    """A declared body over the limit, of which only the headers are sent: the answer must come at once."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            b"POST /v1/redact HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: %d\r\n\r\n" % (MAX_UPLOAD + 1)
        )
        data = sock.recv(4096)
    try:
        return int(data.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return sorted(out)


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of `pids` so far (clock ticks of /proc/PID/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _percentile(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))], 3)


def soak(base: str, master: int, clients: int, seconds: float, rss_every: float) -> dict:
    inputs = Inputs(base)
    lock = threading.Lock()
    statuses: Counter[int] = Counter()
    unexpected: Counter[str] = Counter()
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        rng = random.Random(i)
        while time.monotonic() < stop:
            if rng.random() < 0.02:
                label, good, started = "hostile:oversized", False, time.monotonic()
                status = _send_oversized(base)
            else:
                label, body, ctype, query, good = inputs.pick(rng)
                started = time.monotonic()
                status = _send(base, body, ctype, query)
            elapsed = time.monotonic() - started
            bad = status == 0 or status >= 500 or (good and status != 200) or (not good and not 400 <= status < 500)
            with lock:
                statuses[status] += 1
                if good:
                    latencies.append(elapsed)
                if bad:
                    unexpected[f"{label}:{status}"] += 1

    # Warm-up before the clock and the first RSS sample: every worker has read each kind of input once, so
    # "start" is a worker that has served, not one whose copy-on-write pages are still the master's.
    warm = [
        threading.Thread(target=_send, args=(base, *_multipart([("file", f"seed.{kind}", data)]), f"?format={fmt}"))
        for kind, data in inputs.documents.items()
        for fmt in ("text", "json", "pdf")
        for _ in range(2)
    ]
    for t in warm:
        t.start()
    for t in warm:
        t.join(timeout=300)
    stop = time.monotonic() + seconds
    rss: list[dict] = []
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    cpu_before = _cpu_seconds(_children(master))
    for t in threads:
        t.start()
    while time.monotonic() < stop:
        workers = _children(master)
        rss.append(
            {
                "t": round(time.monotonic() - started),
                "master": _rss_mb(master),
                "workers": {str(p): _rss_mb(p) for p in workers},
            }
        )
        time.sleep(min(rss_every, max(stop - time.monotonic(), 0.1)))
    cpu = _cpu_seconds(_children(master)) - cpu_before  # a worker recycled meanwhile is not counted
    for t in threads:
        t.join(timeout=200)
    elapsed = time.monotonic() - started
    # A worker recycled by max_requests starts afresh: each pid is held to its own first sample.
    first: dict[str, float] = {}
    growth = 1.0
    for sample in rss:
        for pid, mb in sample["workers"].items():
            if mb is None:
                continue
            first.setdefault(pid, mb)
            growth = max(growth, mb / first[pid])
    total = sum(statuses.values())
    return {
        "clients": clients,
        "seconds": round(elapsed),
        "requests": total,
        "throughput_rps": round(len(latencies) / elapsed, 2),
        # How many cores the workers actually got: on a shared machine this, not --workers, bounds scaling.
        "worker_cpu_cores": round(cpu / elapsed, 2),
        "cpu_s_per_release": round(cpu / max(len(latencies), 1), 3),
        "statuses": dict(sorted(statuses.items())),
        "unexpected": dict(unexpected),
        "p50_s": _percentile(latencies, 0.50),
        "p95_s": _percentile(latencies, 0.95),
        "p99_s": _percentile(latencies, 0.99),
        "worker_rss_growth": round(growth, 2),
        "rss_mb": rss,
    }


def start(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["REDACTOR_LOG_LEVEL"] = "WARNING"
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "redactor"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--workers", default="1,2", help="worker counts to run, one soak each (default 1,2)")
    ap.add_argument("--rss-every", type=float, default=30.0, help="seconds between RSS samples")
    ap.add_argument("--out", default=None, help="also write the results as JSON here")
    args = ap.parse_args()
    results = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        proc, base = start(workers)
        try:
            results[workers] = soak(base, proc.pid, args.clients, args.minutes * 60, args.rss_every)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        summary = {k: v for k, v in results[workers].items() if k != "rss_mb"}
        print(json.dumps({"workers": workers, **summary}), flush=True)
        for sample in results[workers]["rss_mb"]:
            print("  rss", json.dumps(sample), flush=True)
    goals = {
        "no_unexpected": all(not r["unexpected"] for r in results.values()),
        "rss_within_1.3x": all(r["worker_rss_growth"] <= 1.3 for r in results.values()),
    }
    if 1 in results and 2 in results and results[1]["throughput_rps"]:
        ratio = results[2]["throughput_rps"] / results[1]["throughput_rps"]
        goals["two_workers_ratio"] = round(ratio, 2)
        goals["two_workers_1.8x"] = ratio >= 1.8
    print(json.dumps({"goals": goals}))
    if args.out:
        Path(args.out).write_text(json.dumps({"results": results, "goals": goals}, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Slow clients against a running server: do /healthz and a release of the seed still answer?

    python bench/slow_clients.py --url http://127.0.0.1:8000 --clients 20 --seconds 30

Half the clients send their request headers one byte a second, half send complete headers and then a
body one byte a second; meanwhile /healthz and a text release of the seed are timed once a second.
Prints one JSON line: the probes' worst and median latency and how many failed. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

SEED = Path(__file__).resolve().parent.parent / "examples" / "seed-09STATE103113.txt"


def _slow(host: str, port: int, seconds: float, body: bool, stop: threading.Event) -> None:
    try:
        sock = socket.create_connection((host, port), timeout=5)
    except OSError:
        return
    head = b"POST /v1/redact HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
    trickle = b"UNCLASSIFIED " * 10000
    try:
        if body:
            sock.sendall(head)
        else:
            trickle = head
        end = time.monotonic() + seconds
        i = 0
        while time.monotonic() < end and not stop.is_set() and i < len(trickle):
            sock.sendall(trickle[i : i + 1])
            i += 1
            stop.wait(1.0)
    except OSError:
        pass  # the server may close a client that is too slow: that is its right
    finally:
        sock.close()


def seed_request(base: str) -> urllib.request.Request:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="seed.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\n"
        ).encode()
        + SEED.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return urllib.request.Request(
        base + "/v1/redact?format=text",
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )


def _probe(make, timeout: float) -> float | None:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(make(), timeout=timeout) as resp:
            resp.read()
            if resp.status != 200:
                return None
    except OSError:
        return None
    return time.monotonic() - started


def measure(base: str, clients: int = 20, seconds: float = 30.0, probe_timeout: float = 10.0) -> dict:
    url = urlsplit(base)
    stop = threading.Event()
    threads = [
        threading.Thread(target=_slow, args=(url.hostname, url.port, seconds, i % 2 == 1, stop), daemon=True)
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    time.sleep(1.0)  # let every slow client connect and start trickling
    health: list[float | None] = []
    release: list[float | None] = []
    end = time.monotonic() + seconds - 1.0
    while time.monotonic() < end:
        health.append(_probe(lambda: urllib.request.Request(base + "/healthz"), probe_timeout))
        release.append(_probe(lambda: seed_request(base), probe_timeout))
        time.sleep(1.0)
    stop.set()
    for t in threads:
        t.join(timeout=5)

    def summary(xs: list[float | None]) -> dict:
        ok = [x for x in xs if x is not None]
        return {
            "probes": len(xs),
            "failed": len(xs) - len(ok),
            "max_s": round(max(ok), 3) if ok else None,
            "median_s": round(statistics.median(ok), 3) if ok else None,
        }

    return {"clients": clients, "seconds": seconds, "healthz": summary(health), "release": summary(release)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    print(json.dumps(measure(args.url, args.clients, args.seconds)))


if __name__ == "__main__":
    main()

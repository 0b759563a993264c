"""The real server (`redactor serve`, gunicorn, 2 workers) on a free loopback port, for the hostile matrix.

`Server.raw()` speaks bytes over a socket (so a test can send what no HTTP library would), `Server.post()`
uploads a multipart file; both time the answer. `Server.log_since()` is what the server logged since a
mark, so each case checks its own log lines.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180
MAX_UPLOAD = 2 * 1024 * 1024
# Strings that must never leave the server: in file names, document text, part names.
CANARIES = ("CANARY-FILENAME-Z3", "CANARY-DOCTEXT-K8", "CANARY-PARTNAME-7Q", "CANARY-HEADER-W2")
# What an answer or log line must never show of the server's insides.
INTERNALS = ("Traceback", "/redactor/", '.py"', "site-packages", str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> dict:
        return json.loads(self.body)


def parse_response(data: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1]) if lines and lines[0].startswith("HTTP/") else 0
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


@dataclass
class Server:
    base: str
    port: int
    log: Path
    proc: subprocess.Popen

    def raw(self, request: bytes, timeout: float = 30.0, chunk: int = 65536) -> Answer:
        """Send `request` as is and read until the server closes (or answers in full)."""
        started = time.monotonic()
        data = b""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            if not request:
                return Answer(0, {}, b"", time.monotonic() - started)
            try:
                # No half-close after sending: a server may take EOF as the client leaving.
                for i in range(0, len(request), chunk):
                    sock.sendall(request[i : i + chunk])
            except OSError:
                pass  # the server may answer and close before the request is all sent (413)
            try:
                while True:
                    piece = sock.recv(65536)
                    if not piece:
                        break
                    data += piece
                    status, headers, body = parse_response(data)
                    if "content-length" in headers and len(body) >= int(headers["content-length"]):
                        break
            except OSError:
                pass
        status, headers, body = parse_response(data)
        return Answer(status, headers, body, time.monotonic() - started)

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None, timeout: float = 60.0
    ) -> Answer:
        req = urllib.request.Request(
            self.base + path, data=body if method != "GET" else None, method=method, headers=headers or {}
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return Answer(
                    resp.status,
                    {k.lower(): v for k, v in resp.headers.items()},
                    resp.read(),
                    time.monotonic() - started,
                )
        except urllib.error.HTTPError as err:
            return Answer(
                err.code, {k.lower(): v for k, v in err.headers.items()}, err.read(), time.monotonic() - started
            )

    def post(
        self, parts: list[tuple[str, str | None, str | None, bytes]], query: str = "", timeout: float = 60.0
    ) -> Answer:
        """A multipart POST to /v1/redact: parts are (name, filename, content type, bytes)."""
        boundary = uuid.uuid4().hex
        out = []
        for name, filename, ctype, data in parts:
            disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
            head = f"--{boundary}\r\nContent-Disposition: {disp}\r\n"
            if ctype:
                head += f"Content-Type: {ctype}\r\n"
            out.append(head.encode() + b"\r\n" + data + b"\r\n")
        body = b"".join(out) + f"--{boundary}--\r\n".encode()
        return self.request(
            "POST", "/v1/redact" + query, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout
        )

    def healthy(self) -> bool:
        try:
            return self.request("GET", "/healthz", timeout=5).status == 200
        except OSError:
            return False

    def mark(self) -> int:
        return self.log.stat().st_size

    def log_since(self, mark: int) -> str:
        time.sleep(0.2)  # a worker writes its line just after answering
        with open(self.log, "rb") as f:
            f.seek(mark)
            return f.read().decode("utf-8", "replace")


def start_server(tmp: Path, workers: int = 2, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    log = tmp / "server.log"
    environ = dict(os.environ)
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environ.get("PYTHONPATH")]))
    environ.update({"REDACTOR_MAX_UPLOAD": str(MAX_UPLOAD), **(env or {})})
    script = Path(sys.executable).parent / "redactor"
    command = [str(script), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, env=environ
        )
    server = Server(f"http://127.0.0.1:{port}", port, log, proc)
    deadline = time.monotonic() + START_TIMEOUT
    while not server.healthy():
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(f"server not healthy after {START_TIMEOUT}s:\n{log.read_text()[-3000:]}")
        time.sleep(0.25)
    return server


def stop_server(server: Server) -> int:
    server.proc.terminate()
    try:
        return server.proc.wait(timeout=45)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        return server.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("hostile"))
    try:
        yield srv
    finally:
        code = stop_server(srv)
    assert code == 0, srv.log.read_text()[-3000:]


def assert_problem(answer: Answer, statuses: tuple[int, ...]) -> dict:
    assert answer.status in statuses, (answer.status, answer.body[:300])
    assert answer.headers.get("content-type") == "application/problem+json", answer.headers
    body = answer.json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == answer.status
    return body


def assert_nothing_leaks(text: str, *, also: tuple[str, ...] = ()) -> None:
    for needle in (*CANARIES, *INTERNALS, *also):
        assert needle not in text, f"{needle!r} leaked: ...{text[max(text.find(needle) - 200, 0) :][:400]}"

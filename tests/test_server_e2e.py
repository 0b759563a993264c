"""End to end: the real server (`redactor serve`, gunicorn) on a free loopback port, the seed over HTTP."""

from __future__ import annotations

import io
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
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.server, pytest.mark.model]

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-09STATE103113.txt"
START_TIMEOUT = 120  # the model loads before the workers fork
# Text of withheld paragraphs: it must leave the server neither in a release nor in its log.
WITHHELD = ("Shining Path", "night vision goggles", "Brazilian Embassy")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_command(port: int) -> list[str]:
    script = Path(sys.executable).parent / "redactor"
    try:
        from redactor import cli  # noqa: F401  (the console script needs it)
    except ImportError:
        return [sys.executable, "-c", f"from redactor.serve import run; run('127.0.0.1', {port}, 1)"]
    return [str(script), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]


def server_env() -> dict[str, str]:
    # The package under test is this checkout, whatever the virtualenv's install points at.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def get(url: str, timeout: float = 5) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def post_file(url: str, data: bytes, fields: dict[str, str], timeout: float = 120) -> tuple[int, dict, bytes]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="seed.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "stderr.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            server_command(port),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=server_env(),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if get(base + "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server not healthy after {START_TIMEOUT}s:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    # gunicorn stops its workers and exits 0 on SIGTERM.
    assert proc.returncode == 0, log.read_text()[-3000:]


def test_health_policies_and_page(server) -> None:
    base, _ = server
    status, headers, body = get(base + "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, _, body = get(base + "/v1/policies")
    assert status == 200 and "public-release" in [p["name"] for p in json.loads(body)["policies"]]
    status, headers, body = get(base + "/")
    assert status == 200 and b"app.js" in body
    assert "default-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("fmt", ["text", "json", "pdf"])
def test_seed_over_http(server, fmt: str) -> None:
    base, _ = server
    status, headers, body = post_file(
        base + f"/v1/redact?format={fmt}", SEED.read_bytes(), {"policy": "public-release"}
    )
    assert status == 200, body[:500]
    assert headers["Cache-Control"] == "no-store"
    if fmt == "pdf":
        assert headers["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(body))
        text = "".join(page.extract_text() for page in reader.pages)
    elif fmt == "json":
        release = json.loads(body)
        assert release["release"]["disposition"] == "RELEASE IN PART"
        withheld = {p["number"] for p in release["portions"] if p["decision"] == "withhold"}
        assert {"3", "4", "5", "6", "8", "10", "11"} <= withheld
        text = release["text"]
    else:
        assert headers["Content-Type"].startswith("text/plain")
        text = body.decode()
    assert "UNCLASSIFIED" in text
    for phrase in WITHHELD:
        assert phrase not in text


def test_errors_over_http(server) -> None:
    base, _ = server
    status, headers, body = post_file(base + "/v1/redact", SEED.read_bytes(), {"policy": "nope"})
    assert status == 404 and headers["Content-Type"] == "application/problem+json"
    status, _, body = post_file(base + "/v1/redact", SEED.read_bytes(), {"level": "MEGA"})
    assert status == 422 and json.loads(body)["title"] == "Unknown level"


def test_server_log_is_json_lines_without_document_text(server) -> None:
    base, log = server
    post_file(base + "/v1/redact?format=json", SEED.read_bytes(), {})
    time.sleep(0.2)  # the worker writes its line after answering
    lines = [ln for ln in log.read_text().splitlines() if ln.startswith("{")]
    requests = [json.loads(ln) for ln in lines if '"event": "request"' in ln]
    assert any(r["route"] == "/v1/redact" and r["status"] == 200 and r["withheld"] >= 7 for r in requests)
    text = log.read_text()
    for phrase in WITHHELD + ("Garcia Belaunde", "seed.txt"):
        assert phrase not in text


def post_parts(url: str, parts: list[tuple[str, str, str, bytes]], timeout: float = 120) -> tuple[int, bytes]:
    """A multipart POST of file parts: (name, filename, content type, bytes)."""
    boundary = uuid.uuid4().hex
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"; filename="{f}"\r\n'
        f"Content-Type: {t}\r\n\r\n".encode()
        + d
        + b"\r\n"
        for n, f, t, d in parts
    )
    body += f"--{boundary}--\r\n".encode()
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_overrides_as_a_file_part_are_honoured_and_a_forged_fingerprint_refused(server) -> None:
    base, _ = server
    status, _, body = post_file(base + "/v1/redact?format=json", SEED.read_bytes(), {})
    release = json.loads(body)
    released = next(p for p in release["portions"] if p["decision"] == "release" and p["number"])
    overrides = {
        "fingerprint": release["release"]["fingerprint"],
        "reviewer": "T. Est",
        "overrides": [{"id": released["id"], "action": "withhold", "codes": ["B5"], "justification": "deliberative"}],
    }
    seed = ("file", "seed.txt", "text/plain", SEED.read_bytes())
    part = ("overrides", "overrides.json", "application/json", json.dumps(overrides).encode())
    status, body = post_parts(base + "/v1/redact?format=json", [seed, part])
    assert status == 200, body[:300]
    after = {p["id"]: p for p in json.loads(body)["portions"]}
    assert after[released["id"]]["decision"] == "withhold"
    forged = dict(overrides, fingerprint="0" * len(overrides["fingerprint"]))
    part = ("overrides", "overrides.json", "application/json", json.dumps(forged).encode())
    status, body = post_parts(base + "/v1/redact?format=json", [seed, part])
    assert 400 <= status < 500 and json.loads(body)["status"] == status

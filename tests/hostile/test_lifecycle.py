"""Start and stop: unusable settings refuse to start; SIGTERM under load answers what is queued."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, start_server

pytestmark = [pytest.mark.server]

SEED = ROOT / "examples" / "seed-09STATE103113.txt"


@pytest.mark.parametrize(
    "env",
    [
        {"REDACTOR_API_KEYS": ""},
        {"REDACTOR_API_KEYS": ","},
        {"REDACTOR_API_KEYS": " , "},
        {"REDACTOR_MAX_UPLOAD": "0"},
        {"REDACTOR_DEFAULT_POLICY": "no-such-policy"},
        {"REDACTOR_LOG_LEVEL": "LOUD"},
    ],
)
def test_unusable_settings_refuse_to_start(env: dict[str, str]) -> None:
    environ = {
        **os.environ,
        **env,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    script = Path(sys.executable).parent / "redactor"
    proc = subprocess.run(
        [str(script), "serve", "--host", "127.0.0.1", "--port", "1"],
        env=environ,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode != 0
    err = proc.stderr.decode()
    assert next(iter(env)) in err and "Traceback" not in err, err


def test_zero_workers_refuse_to_start() -> None:
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    script = Path(sys.executable).parent / "redactor"
    proc = subprocess.run(
        [str(script), "serve", "--workers", "0"],
        env=environ,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode != 0 and b"--workers" in proc.stderr and b"Traceback" not in proc.stderr


@pytest.mark.model
def test_sigterm_under_load_answers_every_queued_request(tmp_path) -> None:
    server = start_server(tmp_path, workers=1)
    body = SEED.read_bytes()
    results: list[int | str] = []

    def client() -> None:
        req = urllib.request.Request(
            server.base + "/v1/redact?format=text", data=body, method="POST", headers={"Content-Type": "text/plain"}
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                resp.read()
                results.append(resp.status)
        except Exception as exc:  # noqa: BLE001 - a reset or refusal is what this test looks for
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=client) for _ in range(16)]
    for t in threads:
        t.start()
        time.sleep(0.01)
    time.sleep(0.2)
    server.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(timeout=90)
    code = server.proc.wait(timeout=60)
    assert results == [200] * 16, results
    assert code == 0

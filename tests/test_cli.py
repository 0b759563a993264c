"""The `redactor` command: exit codes, one-line errors, inspect JSON, batch."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from redactor import cli
from tests.conftest import SEED


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redactor.cli", *args], input=stdin, capture_output=True, timeout=120)


def test_inspect_prints_the_segmentation(capsys):
    assert cli.main(["inspect", str(SEED)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"]["banner"] == {"level": "SECRET", "controls": []}
    assert data["document"]["reference"] == "STATE 103113"
    numbered = [(p["number"], p["level"], p["mark"], p["source"]) for p in data["portions"] if p["kind"] == "paragraph"]
    assert numbered[8] == ("9", "SECRET", "(S)", "explicit")
    assert {"number", "kind", "mark", "level", "controls", "source"} <= set(data["portions"][0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["redact", "no-such-file.txt"], "no such file"),
        (["redact", str(SEED), "--policy", "nope"], "unknown policy 'nope'"),
        (["redact", str(SEED), "--level", "ULTRA"], "unknown level 'ULTRA'"),
    ],
)
def test_errors_are_one_line_and_non_zero(args, message):
    proc = run(*args)
    assert proc.returncode != 0
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and message in err
    assert "Traceback" not in err


def test_bad_format_is_refused():
    proc = run("redact", str(SEED), "--format", "docx")
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr.decode()


def test_binary_input_is_a_clear_error():
    proc = run("redact", "-", stdin=b"\x00\x01\x02binary\xff" * 50)
    assert proc.returncode != 0
    assert "binary" in proc.stderr.decode()


def test_policies_lists_the_shipped_ones(capsys):
    assert cli.main(["policies"]) == 0
    out = capsys.readouterr().out
    assert "public-release" in out and "partner-gbr-secret" in out


@pytest.mark.model
def test_redact_text_and_json_to_stdout():
    proc = run("redact", str(SEED))
    assert proc.returncode == 0
    text = proc.stdout.decode()
    assert text.startswith("UNCLASSIFIED\nRELEASE IN PART")
    proc = run("redact", "-", "--format", "json", "--level", "CONFIDENTIAL", stdin=SEED.read_bytes())
    data = json.loads(proc.stdout)
    assert data["release"]["banner"] == "CONFIDENTIAL"


def test_batch_writes_one_output_per_input_and_a_manifest(tmp_path):
    from redactor import batch
    from redactor.engine import Redactor
    from tests.conftest import FakeDetector

    src = tmp_path / "in"
    src.mkdir()
    (src / "seed.txt").write_bytes(SEED.read_bytes())
    (src / "SECRET-NAME-IN-FILENAME.bin").write_bytes(b"\x00\x01" * 100)
    out = tmp_path / "out"
    summary = batch.run_batch(
        str(src), str(out), fmt="json", redactor=Redactor(detector=FakeDetector()), progress=False
    )
    assert summary["documents"] == 2 and summary["skipped"] == 1 and summary["failed"] == 0
    lines = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    ok = [x for x in lines if x["status"] == "ok"][0]
    assert ok["disposition"] == "RELEASE IN PART"
    assert (out / ok["output"]).is_file()
    assert all("SECRET-NAME" not in p.name for p in out.iterdir())

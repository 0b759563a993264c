"""One settings model: every REDACTOR_* variable declared once and read by the CLI, HTTP and the readers."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from redactor import cli, settings
from redactor.ingest.limits import DEFAULTS
from redactor.web import create_app
from redactor.web.settings import SETTINGS, from_env

ROOT = Path(__file__).resolve().parent.parent


def test_every_variable_the_package_reads_is_declared_in_the_model():
    used = set()
    for path in (ROOT / "redactor").rglob("*.py"):
        used |= set(re.findall(r"REDACTOR_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8")))
    used -= {"REDACTOR_ENGINE"}  # a Flask config key for tests and embedders (an engine object), not a variable
    declared = {settings.env_name(f) for f in settings.fields()}
    assert used <= declared, used - declared


def test_every_setting_has_a_type_a_default_a_description_and_a_group():
    for name, info in settings.Settings.model_fields.items():
        assert info.annotation is not None and info.description, name
        assert (info.json_schema_extra or {}).get("group") in settings.GROUPS, name


def test_the_readme_table_is_generated_from_the_model():
    proc = subprocess.run([sys.executable, "scripts/settings_table.py", "--check"], cwd=ROOT, capture_output=True)
    assert proc.returncode == 0, proc.stdout.decode()
    assert settings.markdown_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_mapping_is_read_alone_and_the_environment_otherwise(monkeypatch):
    monkeypatch.setenv("REDACTOR_MAX_PAGES", "7")
    assert settings.from_env().max_pages == 7
    assert settings.from_env({}).max_pages == 500
    got = settings.from_env(
        {"REDACTOR_MAX_UPLOAD": "5M", "REDACTOR_OCR": "yes", "REDACTOR_API_KEYS": "key-one-1,key-2-two"}
    )
    assert (got.max_upload, got.ocr, got.api_keys) == (5 * 1024 * 1024, True, ("key-one-1", "key-2-two"))


@pytest.mark.parametrize(
    "env",
    [
        {"REDACTOR_MAX_PAGES": "many"},
        {"REDACTOR_WORKERS": "0"},
        {"REDACTOR_OCR": "perhaps"},
        {"REDACTOR_API_KEYS": ","},
    ],
)
def test_a_bad_value_names_its_variable(env):
    with pytest.raises(ValueError, match=f"^{next(iter(env))}: "):
        settings.from_env(env)


def test_the_fingerprint_key_is_a_secret_never_printed():
    got = settings.from_env({"REDACTOR_FINGERPRINT_KEY": "CANARY-KEY-123456"})
    assert "CANARY" not in repr(got) and "CANARY" not in str(got)
    assert got.fingerprint_key is not None and got.fingerprint_key.get_secret_value() == "CANARY-KEY-123456"


def test_the_readers_limits_are_the_models():
    assert DEFAULTS == {**settings.from_env({}).group("ingest"), **settings.from_env({}).group("ocr")}
    assert settings.from_env({"REDACTOR_MAX_PAGES": "3"}).ingest_options()["max_pages"] == 3


def test_the_cli_defaults_and_help_come_from_the_model(capsys):
    env = {"REDACTOR_DEFAULT_POLICY": "partner-gbr-secret", "REDACTOR_BATCH_WORKERS": "3", "REDACTOR_OCR": "1"}
    parser = cli.build_parser(settings.from_env(env))
    args = parser.parse_args(["redact", "x.txt"])
    assert (args.policy, args.ocr) == ("partner-gbr-secret", True)
    assert parser.parse_args(["redact", "x.txt", "--no-ocr"]).ocr is False
    batch = parser.parse_args(["batch", "in", "out"])
    assert (batch.workers, batch.time_limit, batch.policy) == (3, 300.0, "partner-gbr-secret")
    with pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for field in settings.fields():
        assert settings.env_name(field) in shown


def test_the_cli_refuses_a_bad_variable_in_one_line():
    proc = subprocess.run(
        [sys.executable, "-m", "redactor.cli", "policies"],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "REDACTOR_BATCH_WORKERS": "none"},
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.decode().strip().count("\n") == 0 and "REDACTOR_BATCH_WORKERS" in proc.stderr.decode()


def test_the_service_config_is_the_model_and_hands_the_limits_to_its_engine():
    assert [s.name for s in SETTINGS] == [settings.env_name(f) for f in settings.fields()]
    assert from_env({"REDACTOR_WORK_SECONDS": "9"})["REDACTOR_WORK_SECONDS"] == 9.0
    app = create_app({**from_env({}), "REDACTOR_MAX_PAGES": 3, "REDACTOR_OCR": True})
    engine = app.extensions["redactor"]
    assert engine.ingest_options["max_pages"] == 3 and engine.ingest_options["ocr"] is True


def test_the_python_api_takes_the_reader_limits_from_the_settings(monkeypatch) -> None:
    from redactor.engine import Redactor

    monkeypatch.setenv("REDACTOR_MAX_PAGES", "3")
    monkeypatch.setenv("REDACTOR_OCR", "true")
    assert Redactor().ingest_options == settings.from_env().ingest_options()
    assert Redactor().ingest_options["max_pages"] == 3 and Redactor().ingest_options["ocr"] is True
    given = Redactor(ingest_options={"max_pages": 5}).ingest_options
    assert given["max_pages"] == 5 and given["ocr"] is True  # the caller's values over the settings


def test_the_served_app_takes_its_body_and_work_deadlines_from_the_model() -> None:
    from redactor.serve import build
    from tests.test_web import FakeRedactor

    config = {
        **from_env({"REDACTOR_BODY_SECONDS": "7", "REDACTOR_WORK_SECONDS": "9"}),
        "REDACTOR_ENGINE": FakeRedactor(),
    }
    front = build(config)
    assert (front.limits.body_seconds, front.limits.work_seconds) == (7.0, 9.0)
    assert front.limits.max_body == settings.default("max_upload")

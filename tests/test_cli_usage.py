"""The command line as a new user meets it: clear one-line errors before any work, help with defaults."""

from __future__ import annotations

import shutil

import pytest

from redactor import cli
from tests.conftest import ROOT, SEED

EXTRA_POLICY = """name: site-secret
description: A site's own policy.
scheme: us
level: SECRET
audience: us
"""


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda tmp: ["redact", str(SEED), "-o", str(tmp)], "is a directory: give a file name"),
        (lambda tmp: ["redact", str(SEED), "-o", str(tmp / "missing" / "out.txt")], "does not exist"),
        (lambda tmp: ["redact", str(tmp)], "use `redactor batch"),
    ],
)
def test_bad_paths_are_one_line_errors(tmp_path, capsys, make_args, message) -> None:
    assert cli.main(make_args(tmp_path)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_policy_dir_works_in_any_position(tmp_path, capsys, where: str) -> None:
    (tmp_path / "site-secret.yaml").write_text(EXTRA_POLICY)
    args = ["policies"]
    args = ["--policy-dir", str(tmp_path), *args] if where == "before" else [*args, "--policy-dir", str(tmp_path)]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "site-secret" in out and "public-release" in out


def test_every_option_has_help_and_its_default(capsys) -> None:
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, sub in commands.items():
        for action in sub._actions:
            if action.dest in ("help",):
                continue
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
        text = " ".join(sub.format_help().split()).replace("- ", "-")
        assert "(default: None)" not in text
        if name == "redact":
            assert "(default: public-release)" in text and "(default: text)" in text


def test_serve_without_the_server_extra_names_it(monkeypatch, capsys) -> None:
    import builtins

    real_import = builtins.__import__

    def no_server(name, *args, **kwargs):
        if name == "redactor.serve":
            raise ImportError("No module named 'gunicorn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_server)
    assert cli.main(["serve"]) == 2
    assert "pip install 'foia-redactor[server]'" in capsys.readouterr().err


def test_no_install_hint_names_the_wrong_distribution() -> None:
    hits = []
    for path in [*(ROOT / "redactor").rglob("*.py"), ROOT / "README.md", *(ROOT / "examples").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        if "install 'redactor[" in text or 'install "redactor[' in text or "install redactor" in text:
            hits.append(str(path.relative_to(ROOT)))
    assert hits == []


def test_shipped_policies_are_package_data() -> None:
    from redactor import policy

    shipped = {p.name for p in policy.PACKAGED_POLICIES.iterdir() if p.name.endswith(".yaml")}
    assert "public-release.yaml" in shipped
    assert shutil.os.path.realpath(ROOT / "policies") == str((ROOT / "redactor" / "policies").resolve())

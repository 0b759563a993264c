"""The project as a whole: the public API, the package layout, CI's inputs."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys

import pytest

import redactor
from tests.conftest import CORPUS, ROOT


def test_corpus_is_present_in_ci() -> None:
    assert CORPUS.is_dir() or not os.environ.get("CI"), f"CI runs without the corpus at {CORPUS}"


def test_public_api_names_resolve() -> None:
    assert set(redactor.__all__) == {"__version__", "render", "FORMATS", *redactor._EXPORTS}
    importlib.import_module("redactor.render.pdf")  # loading the subpackage must not rebind the function
    assert callable(redactor.render) and redactor.render.__name__ == "render"
    for name in redactor.__all__:
        assert getattr(redactor, name) is not None, name
    with pytest.raises(AttributeError):
        redactor.no_such_name  # noqa: B018


@pytest.mark.parametrize("module", ["redactor", "redactor.detect.engine"])
def test_import_is_cheap(module: str) -> None:
    # `import redactor` must not load the model, Presidio or Flask: the CLI imports it for --version; the
    # detector defers Presidio to its first detection (`Detector.load`).
    code = (
        f"import sys, {module}; print(sorted(m for m in ('spacy', 'presidio_analyzer', 'flask') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _readme_python_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_python_example_runs(tmp_path, monkeypatch, fake_redactor) -> None:
    blocks = _readme_python_blocks()
    assert blocks, "README's Python API section has no python example"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cable.txt").write_bytes((ROOT / "examples" / "seed-09STATE103113.txt").read_bytes())
    # The example's Redactor() is the real one; the fake detector keeps this test free of the model.
    monkeypatch.setattr(redactor, "Redactor", lambda **kw: fake_redactor(["Tom Shannon"]))
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    assert (tmp_path / "release.pdf").read_bytes().startswith(b"%PDF-")


def test_no_machine_paths_in_the_tree() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    offenders = []
    for name in tracked.split():
        path = ROOT / name
        if path.is_symlink() or path.suffix in {".png", ".pdf", ".ttf"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if re.search(r"[/]work[/](?:shared|main)\b|[/]root[/]", text):
            offenders.append(name)
    assert offenders == []

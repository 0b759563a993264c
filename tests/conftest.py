"""Shared fixtures. Unit tests never load spaCy; tests marked `model` do, once per process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "cables"
SEED = ROOT / "examples" / "seed-09STATE103113.txt"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


# A developer without ../shared skips the corpus tests; CI never does: there they fail, so a run that lost
# the corpus cannot pass by testing less.
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir() and not os.environ.get("CI"), reason="../shared/corpus is absent")


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="session")
def redactor():
    """One real Redactor for the session (the model loads on first use)."""
    from redactor.engine import Redactor

    return Redactor()


class FakeDetector:
    """Finds the words of a fixed list, so engine tests run without spaCy."""

    def __init__(self, names: list[str] | None = None) -> None:
        self.names = names or []
        self.calls: list[list[str]] = []

    def load(self) -> None:
        return None

    def detect(
        self, texts, entities, *, allow=(), deny=(), patterns=(), propagate=True, names=(), codes_only=frozenset()
    ):
        import re

        from redactor.detect import Finding, _merge

        self.calls.append(list(texts))
        out = []
        for t in texts:
            found = []
            for n in self.names + list(deny):
                if n.lower() in {a.lower() for a in allow}:
                    continue
                for m in re.finditer(re.escape(n), t):
                    found.append(Finding(m.start(), m.end(), "PERSON", 0.9))
            out.append(_merge(found))
        return out


@pytest.fixture
def fake_redactor():
    from redactor.engine import Redactor

    def make(names: list[str] | None = None) -> Redactor:
        return Redactor(detector=FakeDetector(names))

    return make


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from what the engine and renderers produce now (then review the diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))

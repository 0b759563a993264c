"""Every corpus cable through the engine at public-release: nothing above UNCLASSIFIED is released."""

from __future__ import annotations

import pytest

from redactor.markings import US, rank
from redactor.render import render
from tests.conftest import CORPUS, corpus_files, needs_corpus


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_public_release_releases_nothing_above_unclassified(fake_redactor, path):
    r = fake_redactor()
    rel = r.redact(path.read_bytes(), policy="public-release")
    doc = r.read(path.read_bytes())
    by_id = {p.id: p for p in doc.portions}
    text = rel.text
    for d in rel.portions:
        p = by_id[d.id]
        body = doc.text[p.body_start : p.end].strip()
        if d.decision == "release":
            assert p.marking is not None and rank(p.marking, US) == 0, f"{d.id} released at {p.marking}"
        else:
            # No withheld sentence of any length reaches the text or JSON output.
            for line in body.splitlines():
                line = line.strip()
                if len(line) >= 25 and not _also_released(line, doc, rel):
                    assert line not in text
                    assert line not in render(rel, "json").decode()
    assert rel.banner.startswith("UNCLASSIFIED")


def _also_released(line, doc, rel) -> bool:
    released = {d.id for d in rel.portions if d.decision == "release"}
    return any(line in doc.text[p.start : p.end] for p in doc.portions if p.id in released)


@needs_corpus
def test_corpus_counts():
    """The figures the README quotes: portions released and withheld over the corpus at public-release."""
    from redactor.engine import Redactor
    from tests.conftest import FakeDetector

    r = Redactor(detector=FakeDetector())
    released = withheld = numbered_released = numbered_withheld = 0
    for path in sorted(CORPUS.glob("*.txt")):
        rel = r.redact(path.read_bytes())
        for d in rel.portions:
            if d.decision == "release":
                released += 1
                numbered_released += d.kind == "paragraph"
            else:
                withheld += 1
                numbered_withheld += d.kind == "paragraph"
    print(
        f"\ncorpus at public-release: {released} portions released, {withheld} withheld; "
        f"numbered paragraphs {numbered_released} released, {numbered_withheld} withheld"
    )
    assert released > 0 and withheld > 0

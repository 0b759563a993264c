"""Digests of every output the engine makes on the corpus, to show a refactoring changed none of them.

    python scripts/snapshot.py save digests.json    # before the change
    python scripts/snapshot.py check digests.json   # after it: lists what differs, exit 1 if anything does

Each cable of ../shared/corpus/cables and cables-extra and each example is redacted under two policies and
rendered as text, JSON and PDF; so are a few PDF and Word uploads made by the test fixtures (one on its
original pages, one with hidden text, one scan read by OCR) and the seed with reviewer overrides. The key of
the fingerprint and the release date are fixed, so the same code gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DATE = "2026-12-01"
POLICIES = ("public-release", "partner-gbr-secret")
FORMATS = ("text", "json", "pdf")

os.environ["REDACTOR_FINGERPRINT_KEY"] = "snapshot-key"
sys.path.insert(0, str(ROOT / "tests"))

from redactor import render  # noqa: E402
from redactor.engine import Redactor  # noqa: E402


def documents() -> Iterator[tuple[str, bytes]]:
    for folder in (CORPUS / "cables", CORPUS / "cables-extra", ROOT / "examples"):
        if not folder.is_dir():
            raise SystemExit(f"{folder} is missing: the snapshot needs the corpus")
        for path in sorted(folder.glob("*.txt")):
            yield f"{folder.name}/{path.name}", path.read_bytes()


def uploads() -> Iterator[tuple[str, bytes]]:
    import fixtures_docs as fx

    seed = fx.seed_text()
    yield "upload/seed.pdf", fx.text_pdf(seed)
    yield "upload/seed.docx", fx.text_docx(seed, header="UNCLASSIFIED", footer="UNCLASSIFIED")
    yield "upload/hidden.pdf", fx.hidden_pdf({"white": "CANARY-WHITE", "covered": "CANARY-COVERED"})
    yield "upload/hidden.docx", fx.hidden_docx({"hidden_run": "CANARY-VANISH", "deleted": "CANARY-DELETED"})


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def overrides(proposal) -> dict:
    """Every kind of override on the seed: withhold, codes, release by id, release_term and mask."""
    released = [p for p in proposal.portions if p.decision == "release" and p.number]
    withheld = [p for p in proposal.portions if p.decision == "withhold"]
    return {
        "fingerprint": proposal.fingerprint,
        "reviewer": "Snapshot Reviewer",
        "overrides": [
            {"id": released[-1].id, "action": "withhold", "codes": ["B5"], "justification": "deliberative"},
            {"id": withheld[0].id, "action": "codes", "codes": ["B1", "B3"], "justification": "statute"},
            {"id": proposal.redactions[0].id, "action": "release", "justification": "public official"},
            {"action": "release_term", "term": "Sara Mangiaracina", "justification": "notetaker"},
            {"action": "mask", "term": "New York", "codes": ["B6"], "justification": "location"},
        ],
    }


def snapshot() -> dict[str, str]:
    engine = Redactor()
    out: dict[str, str] = {}

    def add(name: str, release) -> None:
        for fmt in FORMATS:
            out[f"{name} {fmt}"] = digest(render(release, fmt))

    for name, data in documents():
        for policy in POLICIES:
            add(f"{name} {policy}", engine.redact(data, policy=policy, date=DATE, name=name))
    for name, data in uploads():
        for policy in POLICIES:
            add(f"{name} {policy}", engine.redact(data, policy=policy, date=DATE, name=name))
    pdf = dict(uploads())["upload/seed.pdf"]
    original = engine.redact(pdf, policy="public-release", date=DATE, name="seed.pdf", layout="original")
    out["upload/seed.pdf original pdf"] = digest(render(original, "pdf"))
    out["upload/seed.pdf original json"] = digest(render(original, "json"))
    seed = (ROOT / "examples" / "seed-09STATE103113.txt").read_bytes()
    proposal = engine.redact(seed, date=DATE)
    add("review/seed public-release", engine.redact(seed, date=DATE, overrides=overrides(proposal)))
    import fixtures_docs as fx

    scan = engine.with_options(ocr=True).redact(fx.scanned_pdf(), date=DATE, name="scan.pdf", layout="original")
    out["upload/scan.pdf ocr original pdf"] = digest(render(scan, "pdf"))
    out["upload/scan.pdf ocr json"] = digest(render(scan, "json"))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("save", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    path = Path(argv[2])
    got = snapshot()
    if argv[1] == "save":
        path.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
        print(f"{len(got)} outputs saved to {path}")
        return 0
    want = json.loads(path.read_text())
    differ = sorted(k for k in want.keys() | got.keys() if want.get(k) != got.get(k))
    for key in differ:
        print(f"differs: {key}")
    print(f"{len(want)} outputs compared, {len(want) - len(differ)} identical, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

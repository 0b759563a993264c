"""Ingest time per page for PDF and DOCX uploads, beside the redaction time of the seed cable.

Run: .venv/bin/python bench/bench_ingest.py [--repeat N] [--no-engine]
The corpus cables (../shared/corpus/cables) and the seed are typeset as PDF (reportlab, Courier 10) and
DOCX (python-docx) in memory; each is read `--repeat` times and the best time is kept.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from fixtures_docs import SEED, corpus_texts, seed_text, text_docx, text_pdf  # noqa: E402

from redactor.ingest import read  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-engine", action="store_true", help="skip the redaction timing (loads spaCy)")
    args = ap.parse_args()

    texts = {"seed": seed_text(), **corpus_texts(100)}
    pdfs = {k: text_pdf(t) for k, t in texts.items()}
    docxs = {k: text_docx(t) for k, t in texts.items()}
    pdf_pages = sum(int(read(d).metadata["pages"]) for d in pdfs.values())
    pdf_time = sum(best(lambda d=d: read(d), args.repeat) for d in pdfs.values())
    docx_time = sum(best(lambda d=d: read(d), args.repeat) for d in docxs.values())
    # A DOCX has no pages of its own: count the pages the same text fills as PDF.
    print(f"documents: {len(texts)} ({pdf_pages} pages as PDF)")
    print(f"PDF  ingest: {1000 * pdf_time / pdf_pages:7.2f} ms/page  ({1000 * pdf_time / len(texts):.1f} ms/doc)")
    print(f"DOCX ingest: {1000 * docx_time / pdf_pages:7.2f} ms/page  ({1000 * docx_time / len(texts):.1f} ms/doc)")

    seed_pdf, seed_docx = pdfs["seed"], docxs["seed"]
    pages = int(read(seed_pdf).metadata["pages"])
    print(
        f"seed ({pages} pages): ingest PDF {1000 * best(lambda: read(seed_pdf), args.repeat):.1f} ms, "
        f"DOCX {1000 * best(lambda: read(seed_docx), args.repeat):.1f} ms, "
        f"text {1000 * best(lambda: read(SEED.read_bytes()), args.repeat):.1f} ms"
    )
    if args.no_engine:
        return
    from redactor.engine import Redactor

    r = Redactor()
    t0 = time.perf_counter()
    r.redact(SEED.read_bytes(), policy="public-release")
    print(f"seed redaction, first call (model load): {time.perf_counter() - t0:.2f} s")
    for label, data in (("text", SEED.read_bytes()), ("PDF", seed_pdf), ("DOCX", seed_docx)):
        t = best(lambda data=data: r.redact(data, policy="public-release"), args.repeat)
        print(f"seed redaction from {label:4}: {1000 * t:7.1f} ms ({1000 * t / pages:.1f} ms/page)")


if __name__ == "__main__":
    main()

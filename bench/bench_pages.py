"""How fast a release on the original pages is made, for a text PDF and for a scan read by OCR.

    .venv/bin/python bench/bench_pages.py [--repeat 3] [--fake-detector]

For each document, the median time (time.perf_counter, --repeat runs) of each stage: engine.redact
(reading, with OCR for the scan, segmenting, deciding, detection), burning (rasterising every page with
pypdfium2 and filling the boxes: what layout="original" adds to redact), and writing the PDF (the pages
renderer; the typeset renderer for comparison). Pages per second of the whole burned-in release and of
the re-typeset one, the share of the burned-in release's time spent on its pages (burning + its PDF),
and how many times the typeset release's time it takes. The spaCy model is loaded once, outside the timed region;
--fake-detector uses the tests' word-list detector instead. Also times the two rasterisers that were
considered, pypdfium2 (in process) and poppler's pdftoppm (a subprocess), on the text PDF.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from fixtures_docs import seed_text, text_pdf  # noqa: E402
from test_pages import memo_pdf, scan_of  # noqa: E402

from redactor import original  # noqa: E402
from redactor.engine import Redactor  # noqa: E402
from redactor.ingest.ocr import render_page  # noqa: E402
from redactor.render import pages as pages_renderer  # noqa: E402
from redactor.render import pdf as pdf_renderer  # noqa: E402


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rasterisers(data: bytes, pages: int, repeat: int) -> None:
    print(f"\nRasterising the memo ({pages} pages), pages per second, median of {repeat}")
    print(f"{'dpi':>5}{'pypdfium2':>12}{'pdftoppm':>11}")
    for dpi in (150, 300):
        pdfium = median_seconds(lambda dpi=dpi: [render_page(data, n, dpi) for n in range(1, pages + 1)], repeat)
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "in.pdf"
            src.write_bytes(data)
            poppler = median_seconds(
                lambda dpi=dpi, src=src, tmp=tmp: subprocess.run(
                    ["pdftoppm", "-r", str(dpi), "-gray", str(src), str(Path(tmp) / "p")], check=True
                ),
                repeat,
            )
        print(f"{dpi:>5}{pages / pdfium:>12.1f}{pages / poppler:>11.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fake-detector", action="store_true")
    args = parser.parse_args(argv)

    detector = None
    if args.fake_detector:
        from conftest import FakeDetector

        detector = FakeDetector(["Alder Quint", "Mangiaracina", "Shannon"])
    text_engine = Redactor(detector=detector)
    ocr_engine = Redactor(detector=detector, ingest_options={"ocr": True})
    memo = memo_pdf()
    docs = [
        ("memo, text PDF", memo, text_engine),
        ("seed cable, text PDF", text_pdf(seed_text()), text_engine),
        ("memo, scan (OCR)", scan_of(memo), ocr_engine),
    ]
    text_engine.redact(seed_text(), policy="public-release")  # load the model before timing

    print(f"Releases on the original pages, median of {args.repeat} runs per stage (time.perf_counter)")
    print(
        f"{'document':<22}{'pages':>6}{'redact s':>10}{'burn s':>8}{'PDF s':>7}{'original':>10}{'typeset':>9}"
        f"{'pages share':>13}{'vs typeset':>12}"
    )
    print(f"{'':<22}{'':>6}{'':>10}{'':>8}{'':>7}{'pages/s':>10}{'pages/s':>9}")
    for name, data, engine in docs:
        rel = engine.redact(data, policy="public-release", layout="original")
        pages = len(rel.pages)
        doc = engine.read(data)

        def redact(data=data, engine=engine):
            return engine.redact(data, policy="public-release")

        def burn(data=data, engine=engine, doc=doc, rel=rel):
            # The stage layout="original" adds to engine.redact: rasterise every page and burn the boxes.
            return original.pages(data, doc, rel, {}, engine.ingest_options)

        t_redact = median_seconds(redact, args.repeat)
        t_burn = median_seconds(burn, args.repeat)
        t_pages_pdf = median_seconds(lambda rel=rel: pages_renderer.render(rel), args.repeat)
        t_typeset_pdf = median_seconds(lambda rel=rel: pdf_renderer.render(rel), args.repeat)
        t_original = t_redact + t_burn + t_pages_pdf
        t_typeset = t_redact + t_typeset_pdf
        share = (t_burn + t_pages_pdf) / t_original
        print(
            f"{name:<22}{pages:>6}{t_redact:>10.2f}{t_burn:>8.2f}{t_pages_pdf:>7.2f}{pages / t_original:>10.1f}"
            f"{pages / t_typeset:>9.1f}{share:>12.0%}{t_original / t_typeset:>11.2f}x"
        )
    rasterisers(memo, 2, args.repeat)


if __name__ == "__main__":
    main()

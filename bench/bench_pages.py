"""How fast a release on the original pages is made, for a text PDF and for a scan read by OCR.

    .venv/bin/python bench/bench_pages.py [--repeat 3] [--fake-detector]

For each document: pages per second of the whole burned-in release (engine.redact with
layout="original" + render: reading, segmenting, detection, rasterising, burning, writing the PDF), the
same for the re-typeset release (layout "typeset"), and the share of the burned-in release's time that
is not the typeset pipeline's (rasterising, burning and the image PDF; for the scan also OCR). Median
of --repeat runs (time.perf_counter). The spaCy model is loaded once, outside the timed region;
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

from redactor.engine import Redactor  # noqa: E402
from redactor.ingest.ocr import render_page  # noqa: E402
from redactor.render import render  # noqa: E402


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
            poppler = median_seconds(lambda dpi=dpi, src=src, tmp=tmp: subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-gray", str(src), str(Path(tmp) / "p")], check=True), repeat)
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
    docs = [("memo, text PDF", memo, text_engine), ("seed cable, text PDF", text_pdf(seed_text()), text_engine),
            ("memo, scan (OCR)", scan_of(memo), ocr_engine)]
    text_engine.redact(seed_text(), policy="public-release")      # load the model before timing

    print(f"Releases on the original pages, median of {args.repeat} runs (time.perf_counter)")
    print(f"{'document':<24}{'pages':>6}{'original s':>12}{'pages/s':>9}{'typeset s':>11}{'pages/s':>9}"
          f"{'extra share':>13}")
    for name, data, engine in docs:
        pages = len(engine.redact(data, policy="public-release", layout="original").pages)

        def original(data=data, engine=engine) -> bytes:
            return render(engine.redact(data, policy="public-release", layout="original"), "pdf")

        def typeset(data=data, engine=engine) -> bytes:
            return render(engine.redact(data, policy="public-release", layout="typeset"), "pdf", "typeset")

        t_original = median_seconds(original, args.repeat)
        t_typeset = median_seconds(typeset, args.repeat)
        share = max(t_original - t_typeset, 0.0) / t_original
        print(f"{name:<24}{pages:>6}{t_original:>12.2f}{pages / t_original:>9.1f}{t_typeset:>11.2f}"
              f"{pages / t_typeset:>9.1f}{share:>12.0%}")
    rasterisers(memo, 2, args.repeat)


if __name__ == "__main__":
    main()

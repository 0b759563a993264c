"""How fast the PDF release renders, and what share of a whole redaction it takes.

    .venv/bin/python bench/bench_pdf.py [--repeat 7] [--corpus ../shared/corpus/cables ...]

Prints pages per second for the seed cable's release and for synthetic long releases (median of
--repeat runs, time.perf_counter), and the PDF's share of engine.redact + render for the seed. With
--corpus, the PDF renderer's share of a PDF release (redact + render) for every cable of each folder and for
the whole folder, in CPU time of this process (time.process_time: on a shared machine it moves less with
the load than the wall clock does), beside the floor: what a bare reportlab document of as many pages in the
same two fonts costs (`reportlab_floor`), and the share that alone would take. Loads the spaCy model once
(the engine's detector), outside the timed region.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from redactor.engine import Redactor
from redactor.render import pdf

SEED = Path(__file__).resolve().parent.parent / "examples" / "seed-09STATE103113.txt"
PARAGRAPH = (
    "Garcia Belaunde noted that the incident resulted from the lack of adequate information about "
    "the seriousness of social discontent, and that the dialogue was having a salutary effect. "
)


def median_seconds(work: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        start = clock()
        work()
        times.append(clock() - start)
    return statistics.median(times)


def corpus_share(redactor: Redactor, folder: Path, repeat: int) -> None:
    """The renderer's share of each PDF release of the folder's cables, and of all of them together.

    Each run times one render and one redaction back to back, so both see the same load of the machine;
    a cable's share is the median of its runs' shares, its times the medians of its runs' times."""
    print(f"\nPDF share of a PDF release, {folder}, median of {repeat} runs (CPU time, time.process_time)")
    head = f"{'cable':<24}{'pages':>6}{'render ms':>11}{'redact ms':>11}{'PDF share':>11}"
    print(head + f"{'floor ms':>10}{'floor share':>13}")
    shares, total_render, total_redact = [], 0.0, 0.0
    for path in sorted(folder.glob("*.txt")):
        data = path.read_bytes()
        release = redactor.redact(data, policy="public-release")
        pages = len(PdfReader(io.BytesIO(pdf.render(release))).pages)
        runs = []
        for _ in range(repeat):
            start = time.process_time()
            pdf.render(release)
            middle = time.process_time()
            redactor.redact(data, policy="public-release")
            runs.append((middle - start, time.process_time() - middle))
        render_s = statistics.median(r for r, _ in runs)
        redact_s = statistics.median(d for _, d in runs)
        share = statistics.median(r / (r + d) for r, d in runs)
        shares.append(share)
        total_render, total_redact = total_render + render_s, total_redact + redact_s
        floor_s = median_seconds(lambda n=pages: reportlab_floor(n), repeat, time.process_time)
        floor_share = floor_s / (floor_s + redact_s)
        print(
            f"{path.stem:<24}{pages:>6}{render_s * 1000:>11.1f}{redact_s * 1000:>11.1f}{share:>11.0%}"
            f"{floor_s * 1000:>10.1f}{floor_share:>13.0%}"
        )
    if shares:
        whole = total_render / (total_render + total_redact)
        print(f"{len(shares)} cables: {min(shares):.0%}-{max(shares):.0%} each, {whole:.0%} of the whole folder's time")


def reportlab_floor(pages: int) -> bytes:
    """The least a reportlab PDF of `pages` pages in the release's two embedded fonts costs: one short line
    in each font per page, nothing laid out (what any reportlab renderer of such a release pays at least)."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, pageCompression=1, initialFontName=pdf.FONT)
    for _ in range(pages):
        canvas.setFont(pdf.FONT_BOLD, 11)
        canvas.drawString(72, 740, "UNCLASSIFIED")
        canvas.setFont(pdf.FONT, 10)
        canvas.drawString(72, 720, "Page")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def synthetic_cable(paragraphs: int) -> bytes:
    """A long cable: mostly released paragraphs with names to mask, every fourth one withheld."""
    lines = [
        "S E C R E T STATE 654321",
        "",
        "E.O. 12958: DECL: 09/25/2029",
        "TAGS: PREL PGOV",
        "",
        "Classified By: Ambassador John Smith. Reason 1.4 (d)",
        "",
    ]
    for n in range(1, paragraphs + 1):
        mark = "(C)" if n % 4 == 0 else "(U)"
        lines += [f"{n}. {mark} Ambassador Maria Lopez met Minister Jose Garcia. {PARAGRAPH * 3}", ""]
    return "\n".join(lines).encode()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--corpus", type=Path, nargs="*", default=[], help="folders of .txt cables: the share on each cable"
    )
    args = parser.parse_args(argv)

    redactor = Redactor()
    seed = SEED.read_bytes()
    redactor.redact(seed, policy="public-release")  # load the model before timing
    pdf.render(redactor.redact(seed, policy="public-release"))

    print(f"PDF rendering, median of {args.repeat} runs (time.perf_counter)")
    print(f"{'document':<28}{'pages':>6}{'render ms':>11}{'pages/s':>9}{'redact ms':>11}{'PDF share':>11}")
    for name, data in [
        ("seed STATE 103113", seed),
        ("synthetic, 40 paragraphs", synthetic_cable(40)),
        ("synthetic, 200 paragraphs", synthetic_cable(200)),
    ]:
        release = redactor.redact(data, policy="public-release")
        pages = len(PdfReader(io.BytesIO(pdf.render(release))).pages)
        render_s = median_seconds(lambda r=release: pdf.render(r), args.repeat)
        redact_s = median_seconds(lambda d=data: redactor.redact(d, policy="public-release"), args.repeat)
        share = render_s / (redact_s + render_s)
        print(
            f"{name:<28}{pages:>6}{render_s * 1000:>11.1f}{pages / render_s:>9.0f}{redact_s * 1000:>11.1f}"
            f"{share:>11.0%}"
        )
    for folder in args.corpus:
        corpus_share(redactor, folder, args.repeat)


if __name__ == "__main__":
    main()

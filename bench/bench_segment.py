"""Segmenting cost per KB at 1 MB against 8 KB, for a list-heavy and a prose cable (goal: at most 1.2x).

The list-heavy cable has numbered paragraphs each holding marked and unmarked bullets (the layout that used
to cost 55x more per KB at 1 MB); the prose cable has long wrapped paragraphs. Best of several runs, in
process CPU time (the machine may be shared: wall time then measures the neighbours), each with a cold cache
of parsed marks.

    .venv/bin/python bench/bench_segment.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HEAD = (
    "C O N F I D E N T I A L STATE 000001\n\nSIPDIS\n\nE.O. 12958: DECL: 01/01/2030\nTAGS: PREL PGOV\n"
    "SUBJECT: (U) A LONG CABLE\n\nClassified By: An Officer, reasons 1.4 (b) and (d)\n\n"
)
PROSE_LINE = "the delegation went over every item on the agenda at length and in detail with the minister"


def list_paragraph(k: int) -> str:
    bullets = "\n".join(
        f"- ({'C' if j % 2 else 'U'}) point {j} of paragraph {k} on the agenda\n- an unmarked point {j} that follows it"
        for j in range(6)
    )
    return f"{k}. (C) Paragraph {k} has these points:\n{bullets}"


def prose_paragraph(k: int) -> str:
    lines = "\n".join(f"{PROSE_LINE}, line {j}," for j in range(8))
    return f"{k}. ({'S' if k % 3 == 0 else 'U'}) In paragraph {k} {lines} and ended there."


def cable(make, size: int) -> str:
    parts, total, k = [], len(HEAD), 1
    while total < size:
        p = make(k % 999 + 1)  # numbers cycle, as in a long compilation of cables
        parts.append(p)
        total += len(p) + 2
        k += 1
    return HEAD + "\n\n".join(parts) + "\n"


def per_kb(text: str, repeat: int) -> float:
    from redactor import markings
    from redactor.segment import segment

    best = float("inf")
    for _ in range(repeat):
        markings._parse_mark.cache_clear()  # every run starts cold, small or large
        gc.collect()
        t = time.process_time()
        segment(text)
        best = min(best, time.process_time() - t)
    return best * 1000 / (len(text) / 1024)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print("| cable | ms per KB at 8 KB | ms per KB at 1 MB | 1 MB total | ratio |")
    print("|---|---:|---:|---:|---:|")
    for name, make in (("list-heavy", list_paragraph), ("prose", prose_paragraph)):
        small, large = cable(make, 8 * 1024), cable(make, 1024 * 1024)
        a, b = per_kb(small, args.repeat * 4), per_kb(large, args.repeat)
        print(f"| {name} | {a:.3f} | {b:.3f} | {b * len(large) / 1024 / 1000:.2f} s | {b / a:.2f} |")


if __name__ == "__main__":
    main()

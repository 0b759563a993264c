"""Render page 1 of the seed cable's PDF release to PNG, to see what a reader of the release sees.

    .venv/bin/python examples/render_page.py [--date 2015-12-31] [--dpi 100] [-o examples/seed-release-page1.png]

Needs poppler's `pdftoppm` (Debian: apt-get install poppler-utils) and the spaCy model the engine uses.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from redactor.engine import Redactor
from redactor.render import pdf

HERE = Path(__file__).resolve().parent
SEED = HERE / "seed-09STATE103113.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=SEED, help="the cable to release (default: the seed)")
    parser.add_argument("--policy", default="public-release")
    parser.add_argument("--date", default="2015-12-31",
                        help="release date printed on the page (fixed, so the picture is reproducible)")
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("-o", "--output", type=Path, default=HERE / "seed-release-page1.png")
    parser.add_argument("--pdf", type=Path, help="also keep the whole PDF here")
    args = parser.parse_args(argv)

    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: install poppler-utils", file=sys.stderr)
        return 1
    release = Redactor().redact(args.input.read_bytes(), policy=args.policy, date=args.date)
    data = pdf.render(release)
    if args.pdf:
        args.pdf.write_bytes(data)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "release.pdf"
        source.write_bytes(data)
        # -singlefile writes exactly <prefix>.png for the one page asked for.
        subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", str(args.dpi), "-png", "-singlefile",
                        str(source), str(Path(tmp) / "page")], check=True)
        shutil.copyfile(Path(tmp) / "page.png", args.output)
    print(f"{args.output}: page 1 of {release.reference or 'the release'} ({release.disposition}), "
          f"{args.output.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

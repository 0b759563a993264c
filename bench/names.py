"""Name-mention recall: the share of personal-name mentions masked in released text.

Ground truth is a hand-made list of the surnames (and given names) of the people each cable mentions;
every case-insensitive whole-word occurrence of one of them in a portion's text is a mention. The whole
cable is released (a policy with the ceiling at TOP SECRET for a cleared US audience, PERSON masked),
so every mention is in released text. Each cable is also run in ALL CAPS, as old cables are.

    .venv/bin/python bench/names.py
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "cables"

PEOPLE = {
    "seed-09STATE103113.txt": ["Shannon", "Burns", "McMullen", "Mangiaracina", "Belaunde", "Valdivieso", "Chavez",
                               "Zelaya", "Humalla", "Micheletti", "Rodas", "Arias", "Clinton"],
    "06PARTO9.txt": ["Rice", "Condoleezza", "Berri", "Nabih", "Chacon", "Feltman", "Abrams", "Welch", "Salloukh",
                     "Hamdan", "Lahoud", "Jumblatt", "Sfeir", "Hariri", "Doran", "Werner", "Singh"],
    "08LONDON1939.txt": ["Brown", "Salmond", "Cameron", "Curran", "Mills", "Blair", "Fabricant", "Mason"],
    "72TEHRAN1164.txt": ["Azimi", "Toufanian", "Heck"],
    "09ASHGABAT218.txt": ["Miles"],
}


def mentions(text: str, names: list[str]) -> int:
    return sum(len(re.findall(r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", text, re.IGNORECASE))
               for n in names)


def main() -> None:
    from redactor.engine import Redactor
    from redactor.ingest import read
    from redactor.policy import load
    from redactor.segment import segment

    pol = load("public-release").model_copy(update={"level": "TOP SECRET", "audience": "us"})
    redactor = Redactor()
    total = masked = 0
    print(f"{'cable':28} {'case':7} {'mentions':>8} {'masked':>7} {'recall':>7}")
    for name, people in PEOPLE.items():
        path = CORPUS / name if (CORPUS / name).exists() else ROOT / "examples" / name
        if not path.exists():
            continue
        raw = read(path.read_bytes()).text
        for case, text in (("as is", raw), ("ALLCAPS", raw.upper())):
            doc = segment(text)
            portion_text = " ".join(text[p.start:p.end] for p in doc.portions)
            shown = " ".join(text[f.start:f.end] for f in doc.fields if f.name in ("classified_by", "ref"))
            n = mentions(portion_text + " " + shown, people)
            rel = redactor.redact(text.encode(), policy=pol)
            left = mentions(rel.text, people)
            total += n
            masked += n - left
            print(f"{name:28} {case:7} {n:8d} {n - left:7d} {(n - left) / max(n, 1):7.1%}")
    print(f"{'all':28} {'':7} {total:8d} {masked:7d} {masked / max(total, 1):7.1%}")


if __name__ == "__main__":
    main()

"""Rows of the session-18 adversarial pass that still leak a withheld canary (not collected: no `test_` name).

Each is a mark inside a line that the readers take for prose. Ten of the pass's 13 rows are fixed (now
tests/test_attack_s18_reading.py: `(5//XYZ)`, `(T S)`, `(S.)`, `(FGI)`, bare `S/NF`, `TLP:AMBERtext`, lower-case
`(s)` and `(c)`, `Ⓢ`, Greek `(Σ)`). These three stay open because every fix found would read ordinary cable text
as a mark as well (the over-withholding bar is 98% of releasable paragraphs):

- `(S/XYZ)`: a level, one slash and a word no scheme knows. State office symbols are written the same way
  (`(S/CT)`, `(S/ES)`, `(S/SECC)`, `(S/WCI)`, `(S/GAC)`: corpus cables; `(S/CRS)`, `(S/TIP)`, `(S/SRAP)`, ...), an
  open set, so only `//` or a known control after the slash (`(S/NF)`, `(C/REL LIBYA)`) is taken as evidence.
- `(T5)` (in a partner release): a look-alike level and no control; `(T5)` is a vertebra, a grade, a model as
  often, and a look-alike alone is never read (`(5)`, `(N5)`).
- `(SNF)`: a level glued to its control; in cables it is spent nuclear fuel (`spent nuclear fuel (SNF)`).

Run `python -m tests.known_leaks_s18` to print which rows still leak.
"""

from __future__ import annotations

TS = "TOP SECRET\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine "
GBR = "SECRET//REL TO USA, GBR\n\nSUBJECT: (S//REL TO USA, GBR) TEST\n\n1. (S//REL TO USA, GBR) The weather is fine "
TAIL = " CANARY is the source.\n"

KNOWN_LEAKS: dict[str, tuple[str, str]] = {
    "single-slash-unknown-control": (TS + "(S/XYZ)" + TAIL, "public-release"),
    "look-alike-TS-partner": (GBR + "(T5)" + TAIL, "partner-gbr-secret"),
    "level-glued-to-control": (TS + "(SNF)" + TAIL, "public-release"),
}


def still_leaking() -> list[str]:
    from redactor.engine import Redactor
    from redactor.render import render
    from tests.conftest import FakeDetector

    engine = Redactor(detector=FakeDetector([]))
    found = []
    for name, (doc, policy) in KNOWN_LEAKS.items():
        rel = engine.redact(doc, policy=policy, date="2026-01-15")
        if any("CANARY" in render(rel, fmt).decode() for fmt in ("text", "json")):
            found.append(name)
    return found


if __name__ == "__main__":
    leaking = still_leaking()
    print(f"{len(leaking)} of {len(KNOWN_LEAKS)} rows leak:", ", ".join(leaking))

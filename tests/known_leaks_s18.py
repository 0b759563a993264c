"""Rows of the session-18 adversarial pass that still leak a withheld canary (not collected: no `test_` name).

Each is a mark inside a line that the readers take for prose. None is fixed because every fix found would read
ordinary cable text as a mark as well (the over-withholding bar is 98% of releasable paragraphs):

- `(S/XYZ)`: a level, one slash and a word no scheme knows. State office symbols are written the same way
  (`(S/CT)`, `(S/ES)`, `(S/SECC)`, `(S/WCI)`, `(S/GAC)`: corpus cables), so only `//` is taken as evidence.
- `(5//XYZ)`, `(T5)`: a look-alike level and no known control; `(5//6)` and `(T5)` (a model or grade) are
  prose as often (a damaged mark counts only with a control the scheme knows).
- `(T S)`, `(S.)`, `(SNF)`: a level spaced out, with a full stop, or glued to its control; short initials in
  brackets (`(S.)` after a name, `(SNF)` a facility) are prose as often.
- `(FGI)` alone: how a cable spells out "foreign government information (FGI)".
- `S/NF` without brackets and with one slash (State's portion style): a bare single-slash pair is an office
  symbol as often (`S/CT Deputy Director`); `S//NF` without brackets is read (tests/test_attack_s18_reading.py).
- `TLP:AMBERCANARY`: a bare TLP label glued to the next word is no label the regex can bound.
- `(s)`, `(c)`: one lower-case letter is a list label or a plural (`officer(s)`, `1.4 (c)`), by design
  (/work/shared/docs/domain.md: only a closed vocabulary in upper case is a mark).
- `Ⓢ`, `(Σ)`: no bracket, or a letter that is no look-alike of a level letter.

Run `python -m tests.known_leaks_s18` to print which rows still leak.
"""

from __future__ import annotations

TS = "TOP SECRET\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine "
GBR = "SECRET//REL TO USA, GBR\n\nSUBJECT: (S//REL TO USA, GBR) TEST\n\n1. (S//REL TO USA, GBR) The weather is fine "
TLP = "TLP:RED\n\nSUBJECT: (TLP:GREEN) TEST\n\n1. (TLP:GREEN) The weather is fine "
TAIL = " CANARY is the source.\n"

KNOWN_LEAKS: dict[str, tuple[str, str]] = {
    "single-slash-unknown-control": (TS + "(S/XYZ)" + TAIL, "public-release"),
    "look-alike-level-unknown-control": (TS + "(5//XYZ)" + TAIL, "public-release"),
    "look-alike-TS-partner": (GBR + "(T5)" + TAIL, "partner-gbr-secret"),
    "spaced-TS": (TS + "(T S)" + TAIL, "public-release"),
    "level-with-full-stop": (TS + "(S.)" + TAIL, "public-release"),
    "level-glued-to-control": (TS + "(SNF)" + TAIL, "public-release"),
    "FGI-alone": (TS + "(FGI)" + TAIL, "public-release"),
    "bare-single-slash-S/NF": (TS + "S/NF" + TAIL, "public-release"),
    "bare-tlp-glued": (TLP + "TLP:AMBER" + TAIL.lstrip(), "tlp-green"),
    "lower-case-s": (TS + "(s)" + TAIL, "public-release"),
    "lower-case-c": (TS + "(c)" + TAIL, "public-release"),
    "circled-S": (TS + "\u24c8" + TAIL, "public-release"),
    "greek-sigma": (TS + "(\u03a3)" + TAIL, "public-release"),
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

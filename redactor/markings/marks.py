"""Portion marks: `(S//NF)`, `(C/REL LIBYA)`, `(//GBR S)`, `(TLP:GREEN)`, read with a scheme."""

from __future__ import annotations

import re
from functools import lru_cache

from redactor.markings.marking import (
    Marking,
)
from redactor.markings.schemes import (
    COUNTRY_CODES,
    COUNTRY_NAMES,
    NATO,
    SCHEMES,
    US,
    Scheme,
)

# The inside of a portion mark: letters, digits and the separators of the register. Long enough for a
# REL TO list of a dozen countries; case is judged by parse_mark, not here.
MARK_BODY = r"[ \t]?[A-Za-z/][A-Za-z0-9 /,+:\-]{0,158}"
MARK_RE = re.compile(r"\((" + MARK_BODY + r")\)")
_US_LEVEL_TOKENS = {
    "U": "UNCLASSIFIED",
    "C": "CONFIDENTIAL",
    "S": "SECRET",
    "TS": "TOP SECRET",
    "UNCLASSIFIED": "UNCLASSIFIED",
    "UNCLAS": "UNCLASSIFIED",
    "CONFIDENTIAL": "CONFIDENTIAL",
    "SECRET": "SECRET",
    "TOP SECRET": "TOP SECRET",
}
_NATO_TOKENS = {
    **{lv.abbrev: lv.name for lv in NATO.levels},
    **{lv.name: lv.name for lv in NATO.levels},
    "R": "NATO RESTRICTED",
}
ENTIRE_TEXT_SUFFIX = re.compile(r"[ \t]*-+[ \t]*ENTIRE[ \t]+TEXT\.?$")


def _split_categories(body: str) -> list[str]:
    # `//` separates categories; State cables use a single `/` between level and control too.
    body = re.sub(r"\s*/\s*/\s*", "//", body.strip())
    out: list[str] = []
    for cat in body.split("//"):
        out.extend(t.strip() for t in cat.split("/"))
    return out


def _country(word: str) -> str | None:
    word = word.strip().upper()
    code = COUNTRY_NAMES.get(word, word)
    return code if code in COUNTRY_CODES else None


def _rel_countries(text: str) -> tuple[list[str], list[str]]:
    """The countries of a REL TO list and the words that are no country."""
    codes: list[str] = []
    unknown: list[str] = []
    for piece in (p.strip() for p in text.split(",")):
        if not piece:
            continue
        one = _country(piece)
        if one:
            codes.append(one)
            continue
        for word in piece.split():
            c = _country(word)
            codes.append(c or word)
            if not c:
                unknown.append(word)
    return codes, unknown


def _sci(tok: str, scheme: Scheme) -> bool:
    base = tok.split("-")[0]
    c = scheme.control(base)
    return c is not None and c.category == "sci" and bool(re.fullmatch(r"[A-Z]+(-[A-Z0-9]+)*", tok))


def _read_controls(tokens: list[str], scheme: Scheme = US) -> tuple[list[str], list[str], list[str]]:
    """Controls (banner form), REL TO countries and doubts from the tokens after the level."""
    controls: list[str] = []
    rel: list[str] = []
    doubts: list[str] = []
    queue = [t for t in tokens if t]
    while queue:
        tok = queue.pop(0)
        m = re.fullmatch(r"REL(?:\s+TO)?(?:\s+(?P<list>.+))?", tok)
        if m and tok.startswith("REL"):
            codes, unknown = _rel_countries(m.group("list") or "")
            if not codes:
                doubts.append("REL TO with no country")
            rel.extend(codes)
            doubts.extend(f"unknown country {u} in REL TO" for u in unknown)
            continue
        if tok == "N" and controls and controls[-1] in ("SBU", "LES"):
            controls[-1] += " NOFORN"
            continue
        fgi = re.fullmatch(r"FGI(?:\s+(?P<rest>.+))?", tok)
        if fgi:
            countries: list[str] = []
            words = (fgi.group("rest") or "").split()
            for k, word in enumerate(words):
                code = _country(word) if len(word) in (3, 4) else None
                if code:
                    countries.append(code)
                elif scheme.control(" ".join(words[k:])) or scheme.control(word):
                    # A missing delimiter: `FGI NOFORN` is FGI and NOFORN, never FGI of a country "NOFORN".
                    queue.insert(0, " ".join(words[k:]))
                    break
                else:
                    doubts.append(f"unknown country {word} in FGI")
            controls.append(" ".join(["FGI", *sorted(dict.fromkeys(countries))]))
            continue
        prefix = next((p for p in scheme.prefixed if tok.startswith(p) and len(tok) > len(p)), None)
        if prefix or _sci(tok, scheme):
            controls.append(tok)
            continue
        c = scheme.control(tok)
        if c is not None:
            controls.append(c.banner)
            continue
        words = tok.split()
        if len(words) > 1 and all(scheme.control(w) for w in words):  # `NOFORN ORCON`: a missing `/`
            controls.extend(c.banner for w in words if (c := scheme.control(w)) is not None)
            continue
        doubts.append(f"unknown control {tok}")
    return controls, rel, doubts


def _rel_list(countries: list[str]) -> tuple[str, ...]:
    seen = list(dict.fromkeys(COUNTRY_NAMES.get(c, c) for c in countries))
    if "USA" in seen:
        seen.remove("USA")
    return ("USA", *seen) if seen or countries else ()


def _level_tokens(scheme: Scheme) -> dict[str, str]:
    if scheme.name in ("us", "cui"):
        own = {lv.abbrev: lv.name for lv in scheme.levels} | {lv.name: lv.name for lv in scheme.levels}
        return {**_US_LEVEL_TOKENS, **own} if scheme.name == "us" else {**own, "UNCLAS": "UNCLASSIFIED"}
    out = {}
    for lv in scheme.levels:
        for key in (lv.name, lv.abbrev, *lv.aliases):
            out[key] = lv.name
    return out


def looks_like_mark(body: str, scheme: Scheme = US) -> bool:
    """Is `(body)` in the neighbourhood of the marking vocabulary (as opposed to an acronym in brackets)?

    `(S//NF)`, `(S/XYZ)`, `(//NS)`, `(NOFORN)` are; `(A)`, `(B)` (list labels), `(UN)`, `(NATO)` are not.
    """
    tokens = _split_categories(body)
    if not tokens or (len(tokens) == 1 and not tokens[0]):
        return False
    first = tokens[0]
    if body.startswith("//") or "/" in body:
        return True
    levels = _level_tokens(scheme)
    if first in levels or first in scheme.controlled_levels or first in scheme.caveated_levels:
        return True
    if first in _NATO_TOKENS or first.startswith("TLP:"):
        return True
    if " " in first and first.split()[0] in levels:  # `(S NF)`, `(SECRET REL CANADA)`
        return True
    return len(first) >= 3 and scheme.control(first) is not None and first not in ("NATO",)


def _case(raw: str, scheme: Scheme, fold_case: bool) -> str | None:
    """The body in upper case when its case allows it to be a mark, else None.

    Upper case is a mark; a mixed-case body is one when its level is written in capitals
    (`(S/Rel to Canada)`); an all lower-case body (`(s)`, `(u)`) only where a mark is expected (`fold_case`),
    because elsewhere `(c)` and `(d)` are letters of a reason or a list.
    """
    if raw == raw.upper():
        return raw
    first = re.split(r"[/ ]", raw.strip(), maxsplit=1)[0]
    if first and first == first.upper() and first in _level_tokens(scheme):
        return raw.upper()
    return raw.upper() if fold_case else None


def parse_mark(text: str, scheme: Scheme = US, *, fold_case: bool = False) -> Marking | None:
    """Read a portion mark such as `(S//NF)`, `(C/REL LIBYA)`, `(SBU)`, `(//NS)`, `(TLP:GREEN)`.

    Returns None when the text is not a mark at all (`(U.S.-EU)`, `(c)`, `(Iran)`, `(UN)`); `fold_case`
    accepts lower-case marks (`(s)`) where a portion starts. A mark from the vocabulary's neighbourhood that
    does not parse is read as the scheme's highest level and flagged `malformed`: fail closed.
    """
    return _parse_mark(text.strip(), scheme, fold_case)


@lru_cache(maxsize=8192)
def _parse_mark(text: str, scheme: Scheme, fold_case: bool) -> Marking | None:
    m = MARK_RE.fullmatch(text)
    if not m:
        return None
    body = _case(m.group(1).strip(), scheme, fold_case)
    if body is None:
        return None
    body = ENTIRE_TEXT_SUFFIX.sub("", body)
    body = re.sub(r"\b(SBU|LES)\s*[/ -]\s*(?:NOFORN|NF|N)\b", r"\1-NF", body)
    if scheme is not US and not looks_like_mark(body, scheme) and looks_like_mark(body, US):
        # A US mark in a document of another scheme is a mark all the same (never text to inherit a level);
        # the engine withholds it, as no level of this scheme.
        return _read_body(body, US)
    if not looks_like_mark(body, scheme):
        return None
    marking = _read_body(body, scheme)
    if scheme is not US and "malformed" in marking.flags:
        us = _read_body(body, US)
        if "malformed" not in us.flags:
            return us
    return marking


def _malformed(scheme: Scheme, body: str) -> Marking:
    return Marking(scheme.highest.name, (), (), ("malformed", f"unrecognised mark ({body})"), scheme.name)


def _marking(level: str, controls: list[str], rel: list[str], doubts: list[str], scheme: str) -> Marking:
    # A country we do not know in a REL TO list is noted; it cannot widen a release, only fail to match.
    serious = [d for d in doubts if not (d.startswith("unknown country") and d.endswith("in REL TO"))]
    flags = ("malformed", *doubts) if serious else tuple(doubts)
    return Marking(level, tuple(dict.fromkeys(controls)), _rel_list(rel), flags, scheme)


def _read_body(body: str, scheme: Scheme) -> Marking:
    tokens = _split_categories(body)
    if tokens and tokens[0] == "" and len(tokens) > 1:
        return _read_foreign(tokens[1], tokens[2:], scheme, body)
    first, rest = tokens[0], tokens[1:]
    levels = _level_tokens(scheme)
    if (
        " " in first
        and first not in levels
        and first not in scheme.controlled_levels
        and first not in scheme.caveated_levels
        and first.split()[0] in levels
    ):
        # `(SECRET REL CANADA)` is a level and a REL list; `(S NF)` is a mark written wrong.
        if not first.split(None, 1)[1].startswith("REL"):
            return _malformed(scheme, body)
        first, rest = first.split()[0], [first.split(None, 1)[1], *rest]
    controls: list[str] = []
    if first in levels:
        level = levels[first]
    elif first in scheme.controlled_levels:
        level = scheme.lowest.name
        controls.append(scheme.controlled_levels[first])
    elif first in scheme.caveated_levels:
        level, *caveats = scheme.caveated_levels[first]
        controls.extend(caveats)
    elif first in _NATO_TOKENS and scheme.name != "nato":
        # `(NR)`, `(NS)` and `(R)` (a RESTRICTED portion, NATO's unless said otherwise) are NATO marks.
        ctl, rel, doubts = _read_controls(rest, NATO)
        return _marking(_NATO_TOKENS[first], ctl, rel, doubts, "nato")
    else:
        return _malformed(scheme, body)
    ctl, rel, doubts = _read_controls(rest, scheme)
    return _marking(level, controls + ctl, rel, doubts, scheme.name)


def _read_foreign(head: str, rest: list[str], scheme: Scheme, body: str) -> Marking:
    """`(//NS)`, `(//GBR S)`, `(//JOINT S GBR USA)`: a non-US portion."""
    if head in _NATO_TOKENS or head.startswith("NATO "):
        level = _NATO_TOKENS.get(head) or _NATO_TOKENS.get(head[5:].strip())
        if level is None and head in ("NATO RESTRICTED", "NATO UNCLASSIFIED"):
            level = head
        if level is None:
            return _malformed(scheme, body)
        ctl, rel, doubts = _read_controls(rest, NATO)
        return _marking(level, ctl, rel, doubts, "nato")
    words = head.split()
    if words and words[0] == "JOINT":
        owners = [w for w in words[2:] if _country(w)]
        level = _US_LEVEL_TOKENS.get(words[1]) if len(words) > 1 else None
        if level is None or len(owners) < 2 or len(owners) != len(words) - 2:
            return _malformed(scheme, body)
        ctl, rel, doubts = _read_controls(rest, US)
        # Joint information is releasable to its co-owners.
        return _marking(level, ctl, rel + owners, doubts, "us")
    if len(words) >= 2 and _country(words[0]):
        country, said = _country(words[0]), " ".join(words[1:])
        national = next((s for s in SCHEMES.values() if s.country == country), None)
        if national is not None and (scheme is national):
            lv = national.find(said) or (
                national.find(national.caveated_levels[said][0]) if said in national.caveated_levels else None
            )
            if lv is None:
                return _malformed(scheme, body)
            ctl, rel, doubts = _read_controls(rest, national)
            caveats = list(national.caveated_levels.get(said, ())[1:])
            return _marking(lv.name, caveats + ctl, rel, doubts, national.name)
        level = _US_LEVEL_TOKENS.get(said) or US.foreign_equivalents.get(said)
        if national is not None and level is None:
            lv = national.find(said) or (
                national.find(national.caveated_levels[said][0]) if said in national.caveated_levels else None
            )
            level = lv.us_equivalent if lv else None
        if level is None:
            return _malformed(scheme, body)
        ctl, rel, doubts = _read_controls(rest, US)
        return _marking(level, [f"FGI {country}", *ctl], rel, doubts, "us")
    return _malformed(scheme, body)

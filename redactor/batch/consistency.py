"""The same paragraph gets the same decision everywhere in a case.

Each document's manifest entry lists its portions by a keyed digest of their normalised text (case,
whitespace and page-break lines do not count), never the text. Two documents share a paragraph when the
digests match: a cable and its re-transmission, a paragraph quoted whole in a later cable.

**The batch harmonises, failing closed**: a paragraph withheld in any document of the case is withheld in every
document that has it, with the union of the codes, and the Vaughn index says it was withheld for consistency
(decided by "case consistency check"). What harmonising cannot settle is reported for a second look
(`differences`): the same paragraph released in several documents but shown differently (one masks a name the
other does not), or withheld under different codes. The package lists both.
"""

from __future__ import annotations

from collections import defaultdict

JUSTIFICATION = "withheld for consistency: the same paragraph is withheld in another document of this case ({where})"


def groups(entries: list[dict]) -> dict[str, list[tuple[dict, dict]]]:
    """Paragraph digest -> [(entry, paragraph)] for the digests found in more than one place."""
    by_key: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for e in entries:
        if e.get("status") != "ok":
            continue
        for p in e.get("paragraphs") or []:
            by_key[p["key"]].append((e, p))
    return {k: v for k, v in by_key.items() if len(v) > 1}


def plan(entries: list[dict]) -> dict[str, list[dict]]:
    """input name -> the portions to withhold there so that every shared paragraph is treated alike."""
    todo: dict[str, list[dict]] = defaultdict(list)
    for members in groups(entries).values():
        withheld = [(e, p) for e, p in members if p["decision"] == "withhold"]
        if not withheld:
            continue
        codes: list[str] = []
        for _, p in withheld:
            codes.extend(c for c in p["codes"] if c not in codes)
        where = ", ".join(sorted({_where(e, p) for e, p in withheld}))[:300]
        for e, p in members:
            if p["decision"] == "release":
                todo[e["input"]].append(
                    {"id": p["id"], "codes": codes or ["B1"], "justification": JUSTIFICATION.format(where=where)}
                )
    return dict(todo)


def _where(e: dict, p: dict) -> str:
    ref = e.get("reference") or e["input"]
    return f"{ref} para {p['number']}" if p.get("number") else ref


def differences(entries: list[dict]) -> list[dict]:
    """Shared paragraphs whose treatment still differs: for the reviewer's second look."""
    out = []
    for key, members in sorted(groups(entries).items()):
        decisions = {p["decision"] for _, p in members}
        shown = {p["shown"] for _, p in members if p["decision"] == "release"}
        codes = {tuple(p["codes"]) for _, p in members if p["decision"] == "withhold"}
        harmonised = any(p["id"] in (e.get("harmonised") or []) for e, p in members)
        why = []
        if len(decisions) > 1:
            why.append("released in one document, withheld in another")
        if len(shown) > 1:
            why.append("released with different masking")
        if len(codes) > 1:
            why.append("withheld under different codes")
        if why or harmonised:
            out.append(
                {
                    "paragraph": key[:12],
                    "why": "; ".join(why) or "withheld everywhere for consistency",
                    "harmonised": harmonised,
                    "places": [
                        {
                            "input": e["input"],
                            "output": e.get("output"),
                            "reference": e.get("reference"),
                            "portion": p["id"],
                            "number": p.get("number", ""),
                            "decision": p["decision"],
                            "codes": p["codes"],
                            "decided_by": p.get("by", "machine"),
                        }
                        for e, p in members
                    ],
                }
            )
    return out


def shared_count(entries) -> int:
    return len(groups(list(entries)))


def plan_streaming(read) -> dict[str, list[dict]]:
    """plan() over a manifest read twice (`read()` yields its entries), holding per distinct paragraph only a
    few bytes: the first pass finds the paragraphs withheld somewhere and released somewhere else, the second
    collects the portions to withhold. Memory grows with the paragraphs in conflict, not with the documents."""
    withheld: dict[str, list[str]] = {}
    released: set[str] = set()
    where: dict[str, str] = {}
    for e in read():
        if e.get("status") != "ok":
            continue
        for p in e.get("paragraphs") or []:
            if p["decision"] == "withhold":
                codes = withheld.setdefault(p["key"], [])
                codes.extend(c for c in p["codes"] if c not in codes)
                where.setdefault(p["key"], _where(e, p))
            else:
                released.add(p["key"])
    conflict = released & set(withheld)
    del released
    todo: dict[str, list[dict]] = defaultdict(list)
    if not conflict:
        return {}
    for e in read():
        if e.get("status") != "ok":
            continue
        for p in e.get("paragraphs") or []:
            if p["key"] in conflict and p["decision"] == "release":
                todo[e["input"]].append(
                    {
                        "id": p["id"],
                        "codes": withheld[p["key"]] or ["B1"],
                        "justification": JUSTIFICATION.format(where=where[p["key"]]),
                    }
                )
    return dict(todo)

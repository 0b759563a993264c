"""The pipeline's steps as pure functions: the decider (a table of cases) and the reviewer's apply functions."""

from __future__ import annotations

import copy

import pydantic
import pytest

from redactor.detect import Finding
from redactor.markings import parse_mark
from redactor.pipeline.decide import Decision, Rules, decide
from redactor.pipeline.detect import Owner, proposal_ids
from redactor.policy import Policy, load
from redactor.release import Decl, Portion
from redactor.review import Masked, OverrideRefused, Overrides, apply_decisions, apply_findings

DATE = "2026-12-01"
PASSED = Decl(raw="E.O. 12958: DECL: 01/01/2010", kind="date", date="2010-01-01")


def portion(mark: str | None, *, source: str = "explicit", flags: tuple[str, ...] = ()) -> Portion:
    marking = parse_mark(mark) if mark else None
    return Portion(
        id="p4",
        kind="paragraph",
        number="4",
        label="",
        start=0,
        end=40,
        body_start=8 if mark else 3,
        mark=mark,
        mark_start=3 if mark else None,
        marking=marking,
        source=source if mark else "default",
        basis="" if mark else "no marking",
        flags=list(flags),
    )


def rules(policy: str | Policy, *, decl: Decl | None = None, reasons: tuple[str, ...] = ("1.4(d)",)) -> Rules:
    pol = policy if isinstance(policy, Policy) else load(policy)
    return Rules(pol, pol.scheme_obj, decl or Decl(), reasons, DATE)


def releasing_on_date() -> Policy:
    return load("public-release").model_copy(update={"declassify_on_passed": "release"})


# mark, policy, extra decide() arguments, rules' decl -> decision, codes, words of the reason
CASES = [
    ("(U)", "public-release", {}, None, "release", [], "at or below the release level UNCLASSIFIED"),
    ("(C)", "public-release", {}, None, "withhold", ["B1", "1.4(D)"], "above the release level UNCLASSIFIED"),
    ("(S//NF)", "public-release", {}, None, "withhold", ["B1", "1.4(D)"], "marked SECRET//NOFORN"),
    ("(C//NF)", "cleared-us-confidential", {}, None, "release", [], "at or below the release level CONFIDENTIAL"),
    ("(S)", "cleared-us-confidential", {}, None, "withhold", ["B1", "1.4(D)"], "above the release level"),
    ("(S//REL TO USA, GBR)", "partner-gbr-secret", {}, None, "release", [], "at or below the release level SECRET"),
    ("(S//NF)", "partner-gbr-secret", {}, None, "withhold", None, "NOFORN"),
    ("(S//REL TO USA, AUS)", "partner-gbr-secret", {}, None, "withhold", None, "does not include GBR"),
    ("(SBU)", "public-release", {}, None, "withhold", ["B5"], "not releasable to the public"),
    (None, "public-release", {}, None, "withhold", ["B1", "1.4(D)"], "the policy's default TOP SECRET"),
    ("(U)", "public-release", {"hidden": ("white",)}, None, "withhold", ["HIDDEN"], "does not show (white)"),
    ("(C)", "public-release", {"hidden": ("covered",)}, None, "withhold", ["B1", "1.4(D)", "HIDDEN"], "also holds"),
    ("(U)", "public-release", {"mark_confidence": 41.0}, None, "withhold", ["B1", "1.4(D)"], "low confidence (41%)"),
    ("(U)", "public-release", {"mark_confidence": 95.0}, None, "release", [], "at or below"),
    ("(C)", "public-release", {}, PASSED, "withhold", ["B1", "1.4(D)"], "above the release level"),
    ("(C)", releasing_on_date(), {}, PASSED, "release", [], "declassified on 2010-01-01"),
]


@pytest.mark.parametrize(("mark", "policy", "extra", "decl", "decision", "codes", "reason"), CASES)
def test_decider_table(mark, policy, extra, decl, decision, codes, reason) -> None:
    p = portion(mark)
    r = rules(policy, decl=decl)
    before = copy.deepcopy(p)
    d = decide(p, r, **extra)
    assert d.decision == decision
    if codes is not None:
        assert d.codes == codes
    assert reason in d.reason
    # Pure: the same inputs give the same decision, and the inputs are left as they were.
    assert decide(p, r, **extra) == d
    assert p == before and r == rules(policy, decl=decl)


def test_decider_flags_what_a_reviewer_should_see() -> None:
    low = decide(portion("(U)", flags=("odd spacing",)), rules("public-release"), mark_confidence=30.0)
    assert low.flags[0] == "odd spacing" and "check the page" in low.flags[1]
    eligible = decide(portion("(C)"), rules("public-release", decl=PASSED))
    assert any("eligible for declassification" in f for f in eligible.flags)
    released = decide(portion("(C)"), rules(releasing_on_date(), decl=PASSED))
    assert released.declassified and not eligible.declassified


def test_reasons_are_added_only_when_the_policy_says() -> None:
    pol = load("public-release")
    without = pol.model_copy(update={"codes": pol.codes.model_copy(update={"add_reasons": False})})
    assert decide(portion("(C)"), rules(without)).codes == ["B1"]
    assert decide(portion("(C)"), rules(pol, reasons=())).codes == ["B1"]


def test_a_decision_is_frozen() -> None:
    d = decide(portion("(S)"), rules("public-release"))
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        d.decision = "release"


# -------------------------------------------------------------------------------------------- review
REVIEWER = "J. Smith"


def overrides(*items: dict, fingerprint: str | None = "f1") -> Overrides:
    data = {"reviewer": REVIEWER, "overrides": list(items)}
    if fingerprint:
        data["fingerprint"] = fingerprint
    return Overrides.parse(data, fingerprint="f1", portion_ids=["p1", "p2", "p3"])


def machine_decisions() -> dict[str, Decision]:
    return {
        "p1": Decision(decision="release", codes=[], reason="marked UNCLASSIFIED"),
        "p2": Decision(decision="withhold", codes=["B1"], reason="marked SECRET"),
        "p3": Decision(decision="withhold", codes=["B1"], reason="marked CONFIDENTIAL"),
    }


def test_apply_decisions_is_pure() -> None:
    review = overrides(
        {"id": "p1", "action": "withhold", "codes": ["B5"], "justification": "deliberative"},
        {"id": "p2", "action": "codes", "codes": ["B1", "B3"], "justification": "statute"},
        {"id": "p3", "action": "release", "justification": "declassified", "authority": "E.O. 13526 sec. 3.1"},
    )
    machine = machine_decisions()
    before = copy.deepcopy(machine)
    args = (review, machine, {"p1": "UNCLASSIFIED", "p2": "SECRET", "p3": "CONFIDENTIAL"}, "UNCLASSIFIED", True)
    out = apply_decisions(*args)
    assert machine == before
    assert apply_decisions(*args) == out
    p1, p2, p3 = (out.decisions[k] for k in ("p1", "p2", "p3"))
    assert (p1.decision, p1.codes, p1.proposed_by, p1.reviewer) == ("withhold", ["B5"], "reviewer", REVIEWER)
    assert p1.machine == {"decision": "release", "codes": [], "reason": "marked UNCLASSIFIED"}
    assert (p2.decision, p2.codes) == ("withhold", ["B1", "B3"])
    assert (p3.decision, p3.codes, p3.authority) == ("release", [], "E.O. 13526 sec. 3.1")
    assert out.declassified == {"p3"} and out.authorities == ("E.O. 13526 sec. 3.1",)
    assert [e.item for e in out.log] == [0, 1, 2] and {e.target for e in out.log} == {"portion"}


def test_apply_decisions_refuses_declassification_the_policy_does_not_allow() -> None:
    review = overrides({"id": "p2", "action": "release", "justification": "x", "authority": "y"})
    machine = machine_decisions()
    with pytest.raises(OverrideRefused, match="reviewer_may_declassify: false"):
        apply_decisions(review, machine, {"p2": "SECRET"}, "UNCLASSIFIED", False)
    assert machine == machine_decisions()


TEXT = "Met Sara Mangiaracina and Tom Shannon in Lima."


def test_apply_findings_is_pure() -> None:
    owners = [Owner("p1", "p1")]
    findings = [[Finding(4, 21, "PERSON", 0.9), Finding(26, 37, "PERSON", 0.85)]]
    proposed = proposal_ids(owners, findings)
    assert set(proposed) == {"p1.e1", "p1.e2"}
    review = overrides(
        {"id": "p1.e1", "action": "release", "justification": "notetaker acting officially"},
        {"id": "p1.e2", "action": "codes", "codes": ["B6", "B7(C)"], "justification": "law enforcement"},
        {"action": "mask", "term": "Lima", "codes": ["B6"], "justification": "where"},
    )
    before = copy.deepcopy(findings)
    args = (review, [TEXT], owners, findings, proposed, ["B6"])
    out, log = apply_findings(*args)
    assert findings == before
    assert apply_findings(*args) == (out, log)
    spans = [(TEXT[f.start : f.end], f.codes if isinstance(f, Masked) else None) for f in out[0]]
    assert spans == [("Tom Shannon", ("B6", "B7(C)")), ("Lima", ("B6",))]
    assert [(e.item, e.action, e.count) for e in log] == [(1, "codes", 1), (0, "release", 1), (2, "mask", 1)]


def test_a_term_file_needs_no_fingerprint_but_ids_do() -> None:
    terms = overrides({"action": "release_term", "term": "Tom Shannon", "justification": "x"}, fingerprint=None)
    assert not terms.portion_items and not terms.span_items and terms.reviewers == [REVIEWER]
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        terms.reviewer = "someone else"

"""What the attack tables of the name rules share (`test_attack_name_lists.py`, `test_attack_names_s20.py`): a
document of one portion, the rows as test parameters (a row in `known` is a strict xfail with why), and the
three checks, each on a full release (ceiling TOP SECRET)."""

from __future__ import annotations

import re

import pytest


def doc(body: str) -> bytes:
    return f"UNCLASSIFIED\n\n1. (U) {body}\n".encode()


def params(rows: list, known: dict[str, str]) -> list:
    """Each (id, *values) row as a test parameter; one still failing is a strict xfail with its reason."""
    return [
        pytest.param(*row[1:], id=row[0], marks=[pytest.mark.xfail(strict=True, reason=known[row[0]])])
        if row[0] in known
        else pytest.param(*row[1:], id=row[0])
        for row in rows
    ]


def visible(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text) is not None


def assert_not_released(redactor, body: str, names: list[str]) -> None:
    """No word of a private person's name is released under `public-release` (as an official's)."""
    text = redactor.redact(doc(body), policy="public-release", level="TOP SECRET").text
    shown = [n for n in names if visible(text, n)]
    assert not shown, f"released as officials: {shown}\n{text}"


def assert_masked_whole(redactor, body: str, names: list[str], past_colon: bool = False) -> None:
    """No part of a private person's name is visible under the strict policy (`past_colon`: after the
    introduction, which may share a word, `PARLIAMENT`)."""
    text = redactor.redact(doc(body), policy="public-release-strict", level="TOP SECRET").text
    shown_in = text[text.index(":") + 1 :] if past_colon else text
    shown = [n for n in names if visible(shown_in, n)]
    assert not shown, f"left visible: {shown}\n{text}"


def assert_kept(redactor, body: str, keep: list[str]) -> None:
    """Words that are no person's name stay under the strict policy."""
    text = redactor.redact(doc(body), policy="public-release-strict", level="TOP SECRET").text
    masked = [k for k in keep if k not in text]
    assert not masked, f"masked: {masked}\n{text}"

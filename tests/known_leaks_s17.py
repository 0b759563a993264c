"""Open leaks found by the adversarial pass of stop 17, not yet fixed: reproductions, not part of the suite
(pytest collects test_*.py only). Run `pytest tests/known_leaks_s17.py`: every row fails (damaged marks in
mid-line), as README "Known limits" says. The fixed rows of the same pass are tests/test_attack_s17.py,
whose helpers these use; when a row here is fixed, move it there.
"""

from __future__ import annotations

import pytest

from tests.test_attack_s17 import assert_no_canary, engine, outputs

__all__ = ["engine"]  # the module-scoped fixture, shared with tests/test_attack_s17.py


@pytest.mark.parametrize("mark", ["(S-NF)", "(5//NF)", "(S\\\\NF)", "(NF)"])
def test_damaged_mark_in_mid_line(engine, mark) -> None:
    doc = "TOP SECRET\n\nSUBJECT: (U) TEST\n\n1. (U) The weather is fine " + mark + " CANARY is the source.\n"
    assert_no_canary(outputs(engine, doc))

"""Name masking on text written for this test (not from the corpus): places, organisations and words that
look like names must stay; private persons must be masked at every mention, in ordinary case and in
capitals. Runs the real model (marker `model`)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model

BODY = """UNCLAS SECTION 01 OF 01 TBILISI 000456

SUBJECT: (U) REGIONAL TRADE FAIR

1. (U) The Embassy attended the regional trade fair in Kutaisi on May 4. Exhibitors came from Armenia,
Azerbaijan and Turkey; the Labour Party and the Chamber of Commerce sent delegations. PermRep staff
joined by video. The financial press covered the opening interview at length.

2. (U) A local shopkeeper, Nino Beridze, told poloff that sales had doubled since the road opened.
Beridze said her cousin Giorgi Lomidze now drives a truck to Batumi twice a week. Lomidze asked not to be
named in any report.

3. (U) Comment: Kunming and Chengdu traders were also present. Red Square and Freedom Square were
mentioned as models for the new market hall. XXXXXXXXXXXX said the hall would open in June. End comment.
"""

KEEP = [
    "Embassy",
    "Kutaisi",
    "Armenia",
    "Azerbaijan",
    "Turkey",
    "Labour Party",
    "Chamber of Commerce",
    "PermRep",
    "financial",
    "interview",
    "Batumi",
    "Kunming",
    "Chengdu",
    "Freedom Square",
    "XXXXXXXXXXXX",
    "Red Square",
    "trade fair",
]
MASK = ["Nino Beridze", "Beridze", "Giorgi Lomidze", "Lomidze"]


@pytest.mark.parametrize("caps", [False, True], ids=["as is", "capitals"])
def test_private_persons_masked_places_and_words_kept(redactor, caps: bool) -> None:
    doc = BODY.upper() if caps else BODY
    rel = redactor.redact(doc.encode(), policy="public-release")
    text = rel.text
    for word in KEEP:
        assert (word.upper() if caps else word) in text, f"{word} was masked"
    for name in MASK:
        assert (name.upper() if caps else name) not in text, f"{name} was released"

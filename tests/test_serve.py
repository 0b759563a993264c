"""`redactor serve` builds the app and warms the model before it listens."""

from __future__ import annotations

from redactor.serve import build
from redactor.web.settings import SETTINGS


class Warmable:
    def __init__(self) -> None:
        self.warmed: list[str | None] = []

    def warm(self, policy: str | None = None) -> None:
        self.warmed.append(policy)


def test_serve_warms_the_configured_default_policy() -> None:
    engine = Warmable()
    config = {
        **{s.name: s.default for s in SETTINGS},
        "REDACTOR_ENGINE": engine,
        "REDACTOR_DEFAULT_POLICY": "cleared-us-confidential",
    }
    build(config)
    assert engine.warmed == ["cleared-us-confidential"]

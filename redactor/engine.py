"""Redactor: Document + Policy (+ reviewer overrides) -> Release.

(Interface first; the decision logic lands in the next commit.)
"""

from __future__ import annotations

from redactor.policy import Policy
from redactor.release import Release


class Redactor:
    """Holds what is costly to build (the detector and its model) for the life of a process."""

    def __init__(self, *, policy_dir: str | None = None, detector: object | None = None) -> None:
        self.policy_dir = policy_dir
        self._detector = detector

    def redact(self, data: bytes | str, *, policy: str | Policy | None = None, level: str | None = None,
               name: str | None = None, overrides: dict | None = None) -> Release:
        raise NotImplementedError

"""The release as plain text (Release.text, composed by the engine)."""

from __future__ import annotations

from redactor.release import Release


def render(release: Release) -> bytes:
    return release.text.encode("utf-8")

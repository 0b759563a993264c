"""The release as JSON: the contract of design.md. Holds no withheld text, because a Release holds none."""

from __future__ import annotations

import json

from redactor.release import Release


def render(release: Release) -> bytes:
    return (json.dumps(release.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

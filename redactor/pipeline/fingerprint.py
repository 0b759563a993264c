"""The source fingerprint: a keyed digest of the document and the policy, for telling stale review files apart.

It is keyed so that it says nothing of withheld text: a plain hash of the source would let anyone holding the
release confirm a guess of a short withheld paragraph. The key is an argument; without one it is the
`fingerprint_key` setting (redactor/settings.py, REDACTOR_FINGERPRINT_KEY), else a key kept in the user's state
directory (`default_key`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from redactor import __version__, settings
from redactor.policy import Policy
from redactor.release import Document

_KEY: bytes | None = None


def default_key() -> bytes:
    """The `fingerprint_key` setting, else the key in `$XDG_STATE_HOME/redactor/fingerprint.key` (made once),
    else one for this process only when that is not writable.

    The setting is read at each call, not once: a process that sets it after building its engine is heard."""
    configured = settings.from_env().fingerprint_key
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value().encode("utf-8")
    global _KEY
    if _KEY is None:
        state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "redactor"
        path = state / "fingerprint.key"
        try:
            if not path.exists():
                state.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(secrets.token_bytes(32))
            _KEY = path.read_bytes()
        except OSError:
            _KEY = secrets.token_bytes(32)  # not writable: fingerprints hold for this process only
    return _KEY


def source_of(doc: Document) -> str:
    """What a review file is made for: the text, and the hidden points (where they are decides portions)."""
    return doc.text + "".join(f"\0{a}:{w}" for a, _, w in doc.hidden)


def fingerprint_of(text: str, policy: Policy, key: bytes | None = None) -> str:
    """A keyed fingerprint of the source text and the policy (`key`: default_key() when not given)."""
    # The version is in it because detection may change between versions, and with it what a span id names.
    msg = (
        f"{__version__}\0".encode()
        + text.encode("utf-8")
        + b"\0"
        + policy.model_dump_json(exclude={"source"}).encode("utf-8")
    )
    return hmac.new(key if key is not None else default_key(), msg, hashlib.sha256).hexdigest()[:32]

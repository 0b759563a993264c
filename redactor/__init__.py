"""redactor: classification-aware redaction of marked government documents.

The public API, for programs that release documents without the CLI or the HTTP service::

    from redactor import Redactor, render

    redactor = Redactor()                       # holds the model: build one per process
    release = redactor.redact(data, policy="public-release", date="2026-12-01")
    pdf = render(release, "pdf")                # or "text", "json"

`load_policy(name_or_path)` reads and validates a policy; `parse_mark` and `parse_banner` read one
classification mark or banner line; the Release models are the contract every renderer reads. Names are
imported on first use, so `import redactor` stays cheap (the model loads only when a release needs it).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS = {
    "Redactor": "redactor.engine",
    "load_policy": "redactor.policy",
    "Policy": "redactor.policy",
    "Release": "redactor.release",
    "PortionDecision": "redactor.release",
    "Redaction": "redactor.release",
    "Block": "redactor.release",
    "Run": "redactor.release",
    "ReviewDecision": "redactor.release",
    "ReleaseSettings": "redactor.release",
    "Document": "redactor.release",
    "Portion": "redactor.release",
    "Marking": "redactor.markings",
    "parse_mark": "redactor.markings",
    "parse_banner": "redactor.markings",
    "rollup": "redactor.markings",
    "RedactorError": "redactor.errors",
    "InputError": "redactor.errors",
    "PolicyError": "redactor.errors",
    "UnknownPolicy": "redactor.errors",
    "UnknownLevel": "redactor.errors",
    "UnsupportedType": "redactor.errors",
    "TooLarge": "redactor.errors",
}
_RENAMED = {"load_policy": "load"}

__all__ = [
    "__version__",
    "Redactor",
    "load_policy",
    "Policy",
    "render",
    "FORMATS",
    "Release",
    "PortionDecision",
    "Redaction",
    "Block",
    "Run",
    "ReviewDecision",
    "ReleaseSettings",
    "Document",
    "Portion",
    "Marking",
    "parse_mark",
    "parse_banner",
    "rollup",
    "RedactorError",
    "InputError",
    "PolicyError",
    "UnknownPolicy",
    "UnknownLevel",
    "UnsupportedType",
    "TooLarge",
]

# `render` is both a function of the API and the subpackage that defines it. Importing it here, once,
# binds the name to the function for good: a later `import redactor.render` finds the module loaded and
# leaves the package attribute alone. (The subpackage imports only the Release models: it is cheap.)
from redactor.render import FORMATS, render  # noqa: E402

if TYPE_CHECKING:
    from redactor.engine import Redactor
    from redactor.errors import (
        InputError,
        PolicyError,
        RedactorError,
        TooLarge,
        UnknownLevel,
        UnknownPolicy,
        UnsupportedType,
    )
    from redactor.markings import Marking, parse_banner, parse_mark, rollup
    from redactor.policy import Policy
    from redactor.policy import load as load_policy
    from redactor.release import (
        Block,
        Document,
        Portion,
        PortionDecision,
        Redaction,
        Release,
        ReleaseSettings,
        ReviewDecision,
        Run,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'redactor' has no attribute {name!r}")
    value = getattr(import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

"""The Flask service: `create_app(config)` builds the app and its one Redactor for the process.

Settings come from the environment (see settings.py) unless `config` gives them; `config` may also hand in
an engine as `REDACTOR_ENGINE` (tests pass a fake one, so they never load spaCy).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from flask import Flask, Request, Response, request

from redactor import policy
from redactor.web import logs, problems
from redactor.web.settings import from_env, ingest_options

# default-src 'self' with no inline script or style; the page downloads releases through blob: URLs,
# which are navigations and need no CSP source.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class InMemoryRequest(Request):
    """Uploads stay in memory: Werkzeug would spill files over 500 KB to a temporary file on disk.
    The request size is capped by MAX_CONTENT_LENGTH, so memory is bounded too."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        return io.BytesIO()


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.path.startswith("/static/"):
        # Releases, errors and the page: nothing of a request is kept by a browser or a proxy.
        response.headers["Cache-Control"] = "no-store"
    return response


def _check_policies(policy_dir: str | None, default: str) -> None:
    """Fail at start, naming the setting, rather than answer every request with 404."""
    if policy_dir and not Path(policy_dir).is_dir():
        raise ValueError(f"REDACTOR_POLICY_DIR: {policy_dir} is not a directory")
    known = policy.available(policy_dir)
    if default not in known:
        raise ValueError(
            f"REDACTOR_DEFAULT_POLICY: no policy named {default!r}; known: {', '.join(sorted(known)) or 'none'}"
        )


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.request_class = InMemoryRequest
    settings = from_env()
    settings.update(config or {})
    app.config.update(settings)
    max_upload = app.config["REDACTOR_MAX_UPLOAD"]
    # The endpoint takes a document and a handful of parameters: a form of many parts is a flood.
    app.config.update(
        MAX_CONTENT_LENGTH=max_upload, MAX_FORM_MEMORY_SIZE=max_upload, MAX_FORM_PARTS=64, JSON_SORT_KEYS=False
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]

    _check_policies(app.config["REDACTOR_POLICY_DIR"], app.config["REDACTOR_DEFAULT_POLICY"])

    engine = app.config.get("REDACTOR_ENGINE")
    if engine is None:
        from redactor.engine import Redactor  # the engine pulls in Presidio; only when it is really needed

        engine = Redactor(policy_dir=app.config["REDACTOR_POLICY_DIR"], ingest_options=ingest_options(app.config))
    app.extensions["redactor"] = engine

    logs.init_app(app)
    problems.init_app(app)
    app.after_request(_security_headers)

    from redactor.web import api, page

    app.register_blueprint(api.v1)
    app.register_blueprint(api.service)
    app.register_blueprint(page.bp)
    return app

"""Errors as RFC 9457 `application/problem+json`: {type, title, status, detail}.

Every failure of a request ends here, so this is where the no-leak rules are enforced: no stack trace
and no exception text of unexpected errors ever reaches a client or the log; the uploaded file name is
scrubbed from details.
"""

from __future__ import annotations

import logging
import traceback

from flask import Flask, Response, current_app, g, json, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from redactor.errors import RedactorError

log = logging.getLogger("redactor.web")

PROBLEM_TYPE = "about:blank"
MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """An HTTP error raised by the web layer itself (no input, bad parameter, missing API key)."""

    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers or {}


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    body = {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail}
    request_id = g.get("request_id")
    if request_id:
        body["request_id"] = request_id
    resp = Response(json.dumps(body) + "\n", status=status, mimetype=MEDIA_TYPE)
    resp.headers.update(headers or {})
    return resp


def _scrub(detail: str) -> str:
    """The detail without the uploaded file name, which a client chose and which may itself be sensitive."""
    for name in g.get("upload_names", ()):
        if name:
            detail = detail.replace(name, "the uploaded file")
    return detail


def _redactor_error(exc: RedactorError) -> Response:
    g.error = type(exc).__name__
    return problem(exc.status, exc.title, _scrub(str(exc)) or exc.title)


def _web_problem(exc: Problem) -> Response:
    g.error = "Problem"
    return problem(exc.status, exc.title, _scrub(exc.detail), exc.headers)


def _http_error(exc: HTTPException) -> Response:
    # Werkzeug's descriptions are fixed text about the request, never its body.
    g.error = type(exc).__name__
    headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
    return problem(exc.code or 500, exc.name, exc.description or exc.name, headers)


def _too_large(exc: RequestEntityTooLarge) -> Response:
    g.error = "RequestEntityTooLarge"
    limit = current_app.config["REDACTOR_MAX_UPLOAD"]
    size = request.content_length
    if size is not None and size <= limit:
        # Within the byte limit, so Werkzeug's form parser refused the number of parts.
        parts = current_app.config["MAX_FORM_PARTS"]
        return problem(
            413,
            "Too many parts",
            f"the form has more than {parts} parts; this endpoint takes a document and a few parameters",
        )
    return problem(
        413,
        "Request too large",
        f"the request is larger than this service's limit of {limit} bytes "
        f"({limit / 1048576:.1f} MB, REDACTOR_MAX_UPLOAD)",
    )


def _unexpected(exc: Exception) -> Response:
    # The message and the traceback's source lines may quote the document; log where it failed only.
    frames = [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc.__traceback__)]
    log.error(
        json.dumps(
            {
                "event": "unhandled_error",
                "request_id": g.get("request_id"),
                "error": type(exc).__name__,
                "where": frames[-5:],
            }
        )
    )
    g.error = type(exc).__name__
    return problem(
        500,
        "Internal Server Error",
        "The server failed to process the request. Quote the request id when reporting it.",
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(RedactorError, _redactor_error)
    app.register_error_handler(Problem, _web_problem)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)

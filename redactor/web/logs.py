"""One structured JSON line per request, on the `redactor.web` logger.

Only facts about the request are logged: id, method, route pattern (not the raw path), status, duration,
sizes, and what the views put on `g` after validating it (policy name, level, format, counts). Never
document text, found names, file names or parameters as the client sent them.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("redactor.web")

# A client's X-Request-ID is reused (so a gateway can correlate) only when it is plainly an id.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Facts a view may record on g for the log line; anything else on g is not logged.
_FIELDS = ("policy", "level", "format", "disposition", "withheld", "masked", "error")


class JsonLines(logging.Formatter):
    """Messages that are already JSON pass through; others are wrapped so every line parses."""

    def format(self, record: logging.LogRecord) -> str:
        msg = record.getMessage()
        if msg.startswith("{"):
            return msg
        return json.dumps({"event": "log", "level": record.levelname, "logger": record.name, "message": msg})


def configure(level: str) -> None:
    """Send `redactor.web` to stderr as JSON lines once per process (gunicorn forks inherit it)."""
    log.setLevel(level)
    if not any(getattr(h, "_redactor", False) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines())
        handler._redactor = True  # type: ignore[attr-defined]
        log.addHandler(handler)
    # Our handler writes the line; propagating too would print it twice under a root handler.
    log.propagate = False


def _start() -> None:
    g.started = time.perf_counter()
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    line = {
        "event": "request",
        "request_id": g.get("request_id"),
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
        "request_bytes": request.content_length or 0,
        "response_bytes": response.calculate_content_length() or 0,
    }
    line.update({k: g.get(k) for k in _FIELDS if g.get(k) is not None})
    log.info(json.dumps(line))
    return response


def init_app(app: Flask) -> None:
    configure(app.config["REDACTOR_LOG_LEVEL"])
    app.before_request(_start)
    app.after_request(_finish)

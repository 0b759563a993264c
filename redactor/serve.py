"""`redactor serve`: the Flask app under gunicorn, the production server, safe without a proxy in front.

Gunicorn's asyncio worker reads every connection; `redactor.web.front` buffers each whole request before a
thread runs the app, so slow clients (slow headers, slow bodies, many idle connections) cost a coroutine
and never hold the threads that redact (see the README: why this setup, and the measurements). The app,
its Redactor and the spaCy model are built in the master before the workers fork (preload_app), so
workers share the model's memory copy-on-write and the first request is not slow.

What this module adds to gunicorn's worker: gunicorn's own error answers (malformed request line, header
fields too large) are problem+json like every other error; headers that have not arrived within
HEADER_SECONDS end the connection with a 408; and on SIGTERM the connections already queued on the
listening socket are accepted and answered before the worker stops, instead of being reset.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import select
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.asgi import protocol as asgi_protocol
from gunicorn.workers import gasgi

from redactor.web import create_app
from redactor.web.front import BufferedWSGI, Limits, problem_bytes
from redactor.web.settings import from_env

# gunicorn's heartbeat: a worker whose event loop stops answering this long is killed and replaced.
TIMEOUT = 120
GRACEFUL_TIMEOUT = 30
HEADER_SECONDS = 30.0
# How long a stopping worker keeps accepting what is already queued on the listening socket.
DRAIN_SECONDS = 5.0

log = logging.getLogger("redactor.web")

_DETAILS = {
    400: "the request is not valid HTTP/1.1",
    408: f"the request headers did not arrive within {HEADER_SECONDS:g} seconds",
    414: "the request line is longer than this service accepts",
    431: "the request's header fields are too large or too many",
    501: "the request uses a transfer coding or method this service does not implement",
}


class ProblemProtocol(asgi_protocol.ASGIProtocol):
    """gunicorn's HTTP/1 protocol with problem+json errors and a deadline for the request headers."""

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._header_timer = self.worker.loop.call_later(HEADER_SECONDS, self._headers_late)

    def _on_headers_complete(self) -> Any:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        return super()._on_headers_complete()

    def _headers_late(self) -> None:
        self._header_timer = None
        if not self._closed and self.req_count <= 1 and self._current_request is None:
            self._send_error_response(408, "")
            self._close_transport()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def _send_error_response(self, status: int, message: str, extra_headers: Any = ()) -> None:
        # gunicorn's message may quote the request line or a header: only a fixed detail goes out.
        title = asgi_protocol._REASON_PHRASES.get(status, "Bad Request")
        body = problem_bytes(status, title, _DETAILS.get(status, title))
        extra = "".join(f"{name}: {value}\r\n" for name, value in extra_headers)
        head = (
            f"HTTP/1.1 {status} {title}\r\nContent-Type: application/problem+json\r\n"
            f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n{extra}Connection: close\r\n\r\n"
        )
        self._safe_write(head.encode("latin-1"))
        self._safe_write(body)
        log.info(json.dumps({"event": "request", "status": status, "error": title, "by": "server"}))


class Worker(gasgi.ASGIWorker):
    """gunicorn's asyncio worker serving `BufferedWSGI` with ProblemProtocol, draining on SIGTERM."""

    stuck = False

    def init_process(self) -> None:
        # The stock worker builds its protocol by this module-level name; this process serves ours.
        gasgi.ASGIProtocol = ProblemProtocol
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        if isinstance(self.asgi, BufferedWSGI):
            self.asgi.on_stuck = self._recycle

    def _recycle(self) -> None:
        self.stuck = True
        self.alive = False

    async def _shutdown(self) -> None:
        deadline = self.loop.time() + DRAIN_SECONDS
        while self.loop.time() < deadline and any(_pending(s) for s in self.sockets):
            await asyncio.sleep(0.05)
        await super()._shutdown()

    def run(self) -> None:
        super().run()
        if self.stuck or (isinstance(self.asgi, BufferedWSGI) and self.asgi.running):
            # A redaction thread that passed its time cannot be joined; leave without waiting for it.
            logging.shutdown()
            os._exit(0)


def _pending(listener: Any) -> bool:
    """Whether a connection waits in the listening socket's accept queue."""
    try:
        return bool(select.select([listener.sock], [], [], 0)[0])
    except (OSError, ValueError):
        return False


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any], app: BufferedWSGI) -> None:
        self.options = options
        self.application = app
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> BufferedWSGI:
        return self.application


def build(config: dict[str, Any] | None = None) -> BufferedWSGI:
    """The app behind its front, the model loaded: a bad setting fails here, before anything listens."""
    app = create_app(config)
    warm = getattr(app.extensions["redactor"], "warm", None)
    if callable(warm):
        warm(app.config["REDACTOR_DEFAULT_POLICY"])  # the policy requests get when they name none
    limits = Limits(
        max_body=app.config["REDACTOR_MAX_UPLOAD"],
        body_seconds=app.config["REDACTOR_BODY_SECONDS"],
        work_seconds=app.config["REDACTOR_WORK_SECONDS"],
    )
    return BufferedWSGI(app, limits)


def options(host: str, port: int, workers: int) -> dict[str, Any]:
    """gunicorn settings: our own JSON request log replaces the access log."""
    if workers < 1:
        raise ValueError(f"--workers must be at least 1, not {workers}")
    if not 0 < port < 65536:
        raise ValueError(f"--port must be between 1 and 65535, not {port}")
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "redactor.serve.Worker",
        "worker_connections": 1000,
        "asgi_loop": "asyncio",
        "preload_app": True,
        "timeout": TIMEOUT,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": from_env()["REDACTOR_LOG_LEVEL"].lower(),
        # A worker recycles after many requests so a slow leak in a parser cannot grow without bound.
        "max_requests": 1000,
        "max_requests_jitter": 100,
        "proc_name": "redactor",
        # gunicorn's control socket lives at one path per user ($HOME/.gunicorn), so two servers would
        # fight over it, and a read-only container has no home to write to. We do not use it.
        "control_socket_disable": True,
    }


def run(host: str = "127.0.0.1", port: int = 8000, workers: int = 2, policy_dir: str | None = None) -> None:
    """Serve until SIGTERM/SIGINT. `policy_dir` overrides REDACTOR_POLICY_DIR. Unusable settings fail
    here, before anything listens."""
    config: dict[str, Any] = {}
    if policy_dir:
        config["REDACTOR_POLICY_DIR"] = policy_dir
    opts = options(host, port, workers)
    _Server(opts, build(config)).run()

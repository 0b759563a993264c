"""The front between gunicorn's asyncio worker and the Flask app: whole requests, bounded work.

A slow client costs a coroutine here, never one of the threads that run the app: the request is read
in full on the event loop (its body counted against REDACTOR_MAX_UPLOAD as it arrives, chunked or sized,
within a time limit) and only then handed, as a plain WSGI environ with an exact Content-Length, to a
small thread pool. Redactions run in their own pool of one thread per worker process (spaCy is CPU-bound
and holds the GIL), so health checks, the page and the policy list never wait behind a release. Errors
the front makes itself are problem+json, like the app's.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from redactor.web import SECURITY_HEADERS

log = logging.getLogger("redactor.web")
SECURITY = tuple((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items())

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class Limits:
    """How much of a worker one request may take, and for how long."""

    max_body: int
    body_seconds: float = 60.0  # the whole body must arrive within this
    work_seconds: float = 150.0  # a request's work past this answers 503 and the worker is recycled
    heavy_threads: int = 1  # concurrent redactions per worker process
    light_threads: int = 4  # concurrent other requests (health, page, policies, static files)
    max_queued: int = 32  # redactions waiting per worker before 503 Retry-After


def problem_bytes(status: int, title: str, detail: str, request_id: str | None = None) -> bytes:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if request_id:
        body["request_id"] = request_id
    return (json.dumps(body) + "\n").encode()


class BufferedWSGI:
    """An ASGI application that buffers each request and runs `app` (WSGI) on a bounded thread pool."""

    def __init__(self, app: WSGIApp, limits: Limits, on_stuck: Callable[[], None] | None = None) -> None:
        self.app = app
        self.limits = limits
        self.on_stuck = on_stuck
        self.heavy = ThreadPoolExecutor(limits.heavy_threads, thread_name_prefix="redact")
        self.light = ThreadPoolExecutor(limits.light_threads, thread_name_prefix="light")
        self.queued = 0  # redactions waiting or running, answered or not yet
        self.running = 0  # calls still running in a thread, even after their answer was given up on

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        # anything else (websocket) is not served: returning without accepting closes it

    async def _lifespan(self, receive: Callable, send: Callable) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _problem(
        self, send: Callable, status: int, title: str, detail: str, headers: tuple[tuple[bytes, bytes], ...] = ()
    ) -> None:
        request_id = uuid.uuid4().hex
        body = problem_bytes(status, title, detail, request_id)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                    *SECURITY,
                    (b"x-request-id", request_id.encode()),
                    (b"connection", b"close"),
                    *headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
        log.info(
            json.dumps({"event": "request", "request_id": request_id, "status": status, "error": title, "by": "front"})
        )

    async def _body(self, scope: dict[str, Any], receive: Callable, send: Callable) -> bytes | None:
        """The whole body, or None after answering 413/408/400 (the app never sees such a request)."""
        limit = self.limits.max_body
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await self._problem(send, 400, "Bad request", "Content-Length must be a number of bytes")
                return None
            if int(declared) > limit:
                await self._too_large(send)
                return None
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.limits.body_seconds
        while True:
            remaining = deadline - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(remaining, 0.001))
            except TimeoutError:
                await self._problem(
                    send,
                    408,
                    "Request timeout",
                    f"the request body did not arrive within {self.limits.body_seconds:g} seconds",
                )
                return None
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(send)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _done(self, _future: Any) -> None:
        self.running -= 1

    async def _too_large(self, send: Callable) -> None:
        limit = self.limits.max_body
        await self._problem(
            send,
            413,
            "Request too large",
            f"the request is larger than this service's limit of {limit} bytes "
            f"({limit / 1048576:.1f} MB, REDACTOR_MAX_UPLOAD)",
        )

    async def _http(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        body = await self._body(scope, receive, send)
        if body is None:
            return
        heavy = scope["method"] == "POST"  # only POST /v1/redact does real work
        if heavy and self.queued >= self.limits.max_queued:
            await self._problem(
                send,
                503,
                "Service busy",
                "too many documents are waiting on this worker; retry shortly",
                ((b"retry-after", b"5"),),
            )
            return
        environ = _environ(scope, body)
        loop = asyncio.get_running_loop()
        pool = self.heavy if heavy else self.light
        self.queued += heavy
        future = loop.run_in_executor(pool, _call, self.app, environ)
        self.running += 1
        future.add_done_callback(self._done)
        try:
            status, headers, content = await asyncio.wait_for(asyncio.shield(future), timeout=self.limits.work_seconds)
        except asyncio.CancelledError:
            future.cancel()  # the client left: work not yet started is dropped
            raise
        except TimeoutError:
            # A thread cannot be stopped: answer, and let gunicorn replace this worker once it drains.
            await self._problem(
                send,
                503,
                "Took too long",
                f"the document was not finished within {self.limits.work_seconds:g} seconds; split it or retry later",
            )
            if self.on_stuck:
                self.on_stuck()
            return
        except Exception as exc:  # noqa: BLE001 - the app answers its own errors; this is the last net
            log.error(json.dumps({"event": "unhandled_error", "error": type(exc).__name__, "by": "front"}))
            await self._problem(send, 500, "Internal Server Error", "The server failed to process the request.")
            return
        finally:
            self.queued -= heavy
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


def _environ(scope: dict[str, Any], body: bytes) -> dict[str, Any]:
    server = scope.get("server") or ("127.0.0.1", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": scope["path"].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": str(client[0]),
        "REMOTE_PORT": str(client[1]),
        # The body is complete: its exact length replaces any chunked framing.
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for key, value in scope["headers"]:
        name = key.decode("latin-1").upper().replace("-", "_")
        text = value.decode("latin-1")
        if name in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
            continue
        if name == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = text
            continue
        name = "HTTP_" + name
        environ[name] = f"{environ[name]},{text}" if name in environ else text
    return environ


def _call(app: WSGIApp, environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run the WSGI app to the end; answers are bounded (a release), so they are buffered too."""
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
        started["status"] = int(status.split(" ", 1)[0])
        started["headers"] = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        return lambda data: None

    result = app(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if callable(close):
            close()
    return started["status"], started["headers"], content

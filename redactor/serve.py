"""`redactor serve`: the Flask app under gunicorn, the production WSGI server.

The app, its Redactor and the spaCy model are built in the master before the workers fork
(preload_app), so workers share the model's memory copy-on-write and the first request is not slow.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from redactor.web import create_app
from redactor.web.settings import from_env

# A large PDF through Presidio can take a while on one CPU; past this a worker is stuck and replaced.
TIMEOUT = 120
GRACEFUL_TIMEOUT = 30


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any], config: dict[str, Any]) -> None:
        self.options = options
        self.app_config = config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        app = create_app(self.app_config)
        warm = getattr(app.extensions["redactor"], "warm", None)
        if callable(warm):
            warm()
        return app


def options(host: str, port: int, workers: int) -> dict[str, Any]:
    """gunicorn settings: our own JSON request log replaces the access log."""
    return {
        "bind": f"{host}:{port}",
        "workers": max(1, workers),
        "worker_class": "sync",
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
    """Serve until SIGTERM/SIGINT. `policy_dir` overrides REDACTOR_POLICY_DIR."""
    config: dict[str, Any] = {}
    if policy_dir:
        config["REDACTOR_POLICY_DIR"] = policy_dir
    _Server(options(host, port, workers), config).run()

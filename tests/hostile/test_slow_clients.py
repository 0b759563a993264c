"""Slow clients cannot stop the service: 20 connections trickling headers or bodies for 30 s while
/healthz and a release of the seed each answer within 2 s (bench/slow_clients.py does the measuring)."""

from __future__ import annotations

import importlib.util

import pytest
from conftest import ROOT, Server

pytestmark = [pytest.mark.server, pytest.mark.model]


def _bench():
    spec = importlib.util.spec_from_file_location("slow_clients", ROOT / "bench" / "slow_clients.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_twenty_slow_clients_for_thirty_seconds(server: Server) -> None:
    result = _bench().measure(server.base, clients=20, seconds=30, probe_timeout=5)
    print(result)
    for probe in ("healthz", "release"):
        assert result[probe]["probes"] >= 10, result
        assert result[probe]["failed"] == 0, result
        assert result[probe]["max_s"] < 2.0, result

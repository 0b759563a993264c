"""Property-based requests generated from the live server's /openapi.json (Schemathesis): no 5xx, and every
answer conforms to the published schema (status documented, content type and body as described).

One built-in check is left out: "schema-valid data is accepted". A schema cannot say which `level` names a
chosen policy has, or that a document is readable, so a schema-valid request may rightly be a 404 or 422.

Schemathesis' pytest plugin loads a schema at collection time; the server starts in a fixture, so the
operations are walked here with Schemathesis' strategies and Hypothesis directly."""

from __future__ import annotations

import pytest
import schemathesis
from conftest import Server
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = [pytest.mark.server, pytest.mark.model]

# Bounded so the whole suite stays within minutes: the operations are few and the body is one document.
MAX_EXAMPLES = 30


def test_api_conforms_to_its_schema(server: Server) -> None:
    schema = schemathesis.openapi.from_url(server.base + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4
    for operation in operations:

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case) -> None:
            case.call_and_validate(base_url=server.base, timeout=60, excluded_checks=[positive_data_acceptance])

        check()
    assert server.healthy()

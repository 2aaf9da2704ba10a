"""schemathesis against /openapi.json in-process: no 5xx, responses match their schemas."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from nightleaf.services import open_context  # noqa: E402
from nightleaf.simulate import simulate_journal  # noqa: E402
from nightleaf.web.app import create_app  # noqa: E402

NOW = datetime.fromisoformat("2026-11-24T21:00:00-05:00")


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app's OpenAPI schema, served in-process over a journal of 30 simulated nights."""
    ctx = open_context(f"sqlite:///{tmp_path_factory.mktemp('schema') / 'j.db'}", clock=lambda: NOW)
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(30, seed=3))
    # the in-process ASGI client calls itself "testserver"; a real server answers only its own names
    app = create_app(context=ctx, allowed_hosts=("127.0.0.1", "testserver"))
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    ctx.store.dispose()


CHECKS = [checks.not_a_server_error, checks.response_schema_conformance,
          checks.status_code_conformance, checks.content_type_conformance]


def test_api_conforms_to_its_schema(api_schema: Any) -> None:
    """Every operation, 12 generated requests each; all failures are reported together.

    (``schemathesis.pytest.from_fixture`` would give one test per operation, but schemathesis
    4.32 reads ``request.node._nodeid``, which pytest 9.2 no longer has.)
    """
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        try:
            check()
        except Exception as exc:  # collected, and all reported below
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:2000]
    assert not failures, "\n\n".join(f"{label}\n{why}" for label, why in failures.items())

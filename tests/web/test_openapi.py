"""schemathesis against /openapi.json in-process: no 5xx, responses match their schemas."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from nightleaf.services import open_context  # noqa: E402
from nightleaf.simulate import simulate_journal  # noqa: E402
from nightleaf.web.app import create_app  # noqa: E402

NOW = datetime.fromisoformat("2026-11-24T21:00:00-05:00")
_tmp = Path(__import__("tempfile").mkdtemp(prefix="nightleaf-schema-"))
_ctx = open_context(f"sqlite:///{_tmp / 'j.db'}", clock=lambda: NOW)
with _ctx.tx() as _repo:
    _repo.save_journal(simulate_journal(30, seed=3))
# the in-process ASGI client calls itself "testserver"; a real server answers only its own names
APP = create_app(context=_ctx, allowed_hosts=("127.0.0.1", "testserver"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(checks=[checks.not_a_server_error, checks.response_schema_conformance,
                                   checks.status_code_conformance,
                                   checks.content_type_conformance])

"""A web app on a fresh journal, with the clock pinned, and a client that passes the CSRF check."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette's TestClient deprecation names httpx2; not ours
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from nightleaf.services import open_context
from nightleaf.services.context import Context
from nightleaf.web.app import create_app
from tests.support.web import post

NOW = datetime.fromisoformat("2026-11-24T21:00:00+01:00")


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    return open_context(f"sqlite:///{tmp_path / 'j.db'}", clock=lambda: NOW)


@pytest.fixture
def client(ctx: Context) -> Iterator[TestClient]:
    with TestClient(create_app(context=ctx), base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
def profiled(client: TestClient) -> TestClient:
    r = post(client, "/settings/profile", {"tz": "Europe/Berlin", "region": "DE",
                                          "bedtime": "23:00", "lead": "60", "wake": "07:00"})
    assert r.status_code == 303, r.text
    return client


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium, one per test module (:mod:`tests.support.browser`)."""
    from tests.support.browser import chromium

    with chromium() as b:
        yield b

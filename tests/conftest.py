"""Shared fixtures: journals on SQLite and on a real PostgreSQL, a pinned clock."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from nightleaf.cli.main import main
from nightleaf.services import Context
from nightleaf.store import open_store
from tests.support.common import Clock, Result
from tests.support.db import ENGINES, fresh_pg_db


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    url = os.environ.get("NIGHTLEAF_TEST_PG_URL")
    if url:
        yield url
        return
    from tests.support.pgserver import PgServer

    server = PgServer().start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty journal URL on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'journal.db'}"
    return fresh_pg_db(request.getfixturevalue("pg_admin_url"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'journal.db'}"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(sqlite_url: str, clock: Clock) -> Iterator[Context]:
    c = Context(store=open_store(sqlite_url), clock=clock)
    yield c
    c.store.dispose()


@pytest.fixture
def any_ctx(db_url: str, clock: Clock) -> Iterator[Context]:
    """A context on SQLite and on PostgreSQL (parametrized)."""
    c = Context(store=open_store(db_url), clock=clock)
    yield c
    c.store.dispose()


@pytest.fixture
def cli_db_url(sqlite_url: str) -> str:
    """The journal the ``cli`` fixture runs on (a conftest may override it, e.g. with db_url)."""
    return sqlite_url


@pytest.fixture
def cli(cli_db_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run the CLI in-process on a fresh journal, with the clock pinned."""
    monkeypatch.setenv("NIGHTLEAF_DATABASE_URL", cli_db_url)
    monkeypatch.setenv("NIGHTLEAF_NOW", "2026-11-24T21:00:00+01:00")
    monkeypatch.setenv("COLUMNS", "160")

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        cap = capsys.readouterr()
        return Result(code, cap.out, cap.err)

    return run

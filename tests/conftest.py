"""Shared fixtures: journals on SQLite and on a real PostgreSQL, a pinned clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nightleaf.cli.main import main
from nightleaf.services import Context
from nightleaf.store import open_store
from tests.support.common import Clock, Result


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


def _fresh_pg_db(admin_url: str) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    eng = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty journal URL on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'journal.db'}"
    return _fresh_pg_db(request.getfixturevalue("pg_admin_url"))


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
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run the CLI in-process on a fresh journal, with the clock pinned."""
    monkeypatch.setenv("NIGHTLEAF_DATABASE_URL", f"sqlite:///{tmp_path / 'journal.db'}")
    monkeypatch.setenv("NIGHTLEAF_NOW", "2026-11-24T21:00:00+01:00")
    monkeypatch.setenv("COLUMNS", "160")

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        cap = capsys.readouterr()
        return Result(code, cap.out, cap.err)

    return run

"""The store's engine options for server mode: psycopg's prepared statements switched off from
the URL (PgBouncer), and read-only report transactions (on a replica when one is attached)."""

from __future__ import annotations

import re
import socket
import threading

import pytest
from sqlalchemy.engine import make_url

from nightleaf.errors import ConfigError
from nightleaf.model.entities import Medicine
from nightleaf.services import Context
from nightleaf.store import db, open_store
from nightleaf.store.db import _psycopg_args, make_engine


@pytest.mark.parametrize(("query", "expected"), [("none", None), ("off", None), ("0", 0),
                                                 ("12", 12)])
def test_prepare_threshold_leaves_the_url_for_psycopg(query: str, expected: int | None) -> None:
    url, args = _psycopg_args(make_url(
        f"postgresql+psycopg://u@h:6432/db?prepare_threshold={query}&sslmode=disable"))
    assert args == {"prepare_threshold": expected}
    assert dict(url.query) == {"sslmode": "disable"}  # libpq keeps what it knows


def test_without_the_parameter_psycopg_keeps_its_default() -> None:
    url, args = _psycopg_args(make_url("postgresql+psycopg://u@h/db"))
    assert args == {} and not url.query


def test_a_bad_prepare_threshold_is_one_line() -> None:
    with pytest.raises(ConfigError, match="prepare_threshold='soon'.*prepare_threshold=none"):
        make_engine("postgresql://u@h/db?prepare_threshold=soon")


def test_a_server_that_never_answers_times_out_instead_of_hanging(monkeypatch) -> None:
    """A listening socket that never speaks (a replica stuck at start-up, a firewall that
    swallows packets): libpq would wait for ever, and ``/readyz`` with it. The engine gives libpq
    a connect timeout unless the URL sets one."""
    monkeypatch.setattr(db, "CONNECT_TIMEOUT_S", 1)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        engine = make_engine(f"postgresql://u@127.0.0.1:{silent.getsockname()[1]}/db",
                             pre_ping=False)
        errors: list[BaseException] = []

        def connect() -> None:
            try:
                engine.connect().close()
            except Exception as exc:
                errors.append(exc)

        worker = threading.Thread(target=connect, daemon=True)
        worker.start()
        worker.join(15)  # without the timeout libpq is still waiting here
        assert not worker.is_alive(), "the connection attempt hung"
        assert errors and re.search("(?i)timeout|timed out", str(errors[0]))
        engine.dispose()


def test_a_reader_context_reads_in_its_own_transaction_and_audits_afterwards(tmp_path) -> None:
    """Without a replica (SQLite here), a report reads the primary; the audit hook runs after the
    read, in a transaction of its own (on the primary, never on a read-only replica)."""
    store = open_store(f"sqlite:///{tmp_path / 'j.db'}")
    seen: list[bool] = []
    try:
        ctx = Context(store=store)
        with ctx.tx() as repo:
            repo.add(Medicine(name="sertraline"))
        hooked = Context(store=store, on_commit=lambda repo: seen.append(
            repo.conn.in_transaction()))
        reader = hooked.reader()
        assert reader.read_only and not hooked.read_only
        with reader.tx() as repo:
            assert [m.name for m in repo.all(Medicine)] == ["sertraline"]
            assert seen == []  # not yet: the hook runs after the read transaction
        assert seen == [True]
        assert store.read_engine is None
    finally:
        store.dispose()


def test_a_replica_must_be_postgresql(tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'j.db'}")
    try:
        with pytest.raises(ConfigError, match="read replica needs PostgreSQL"):
            store.attach_reader(f"sqlite:///{tmp_path / 'r.db'}")
    finally:
        store.dispose()


def test_serve_read_db_is_for_server_mode_only(cli) -> None:  # type: ignore[no-untyped-def]
    from tests.support.server import free_port

    r = cli("serve", "--port", str(free_port()), "--read-db", "postgresql://u@127.0.0.1:1/db")
    assert r.code == 2
    assert r.err.strip().splitlines()[-1].endswith(
        "--read-db is for server mode (--multi-user) on PostgreSQL")

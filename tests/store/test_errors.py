"""The store raises the project's own errors: the shells never see SQLAlchemy's."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from nightleaf.errors import Busy, Conflict, NightleafError, StoreError, StoreUnavailable
from nightleaf.model.entities import Medicine, Product
from nightleaf.services import Context
from nightleaf.store import db


@contextmanager
def write_lock(url: str) -> Iterator[None]:
    """Another program holding SQLite's write lock (``BEGIN IMMEDIATE``) for the block."""
    conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 50)


def _count(ctx: Context, cls: type) -> int:
    with ctx.tx() as repo:
        return len(repo.all(cls))


@pytest.mark.usefixtures("short_wait")
def test_a_locked_sqlite_journal_raises_busy_and_saves_nothing(sqlite_url: str, clock: object
                                                              ) -> None:
    from nightleaf.store import open_store

    ctx = Context(store=open_store(sqlite_url), clock=clock)  # type: ignore[arg-type]
    try:
        with write_lock(sqlite_url), pytest.raises(Busy) as info, ctx.tx() as repo:
            repo.add(Medicine(name="sertraline"))
        assert info.value.status_code == 503 and info.value.retry_after > 0
        assert "busy" in info.value.message and "\n" not in info.value.message
        assert not isinstance(info.value.__cause__, NightleafError)  # the driver's, kept for logs
        assert _count(ctx, Medicine) == 0
    finally:
        ctx.store.dispose()


def test_a_constraint_violation_is_a_conflict_and_rolls_back(any_ctx: Context) -> None:
    with any_ctx.tx() as repo:
        repo.add(Product(name="Red Bali"))
    with pytest.raises(Conflict, match="nothing was saved") as info, any_ctx.tx() as repo:
        repo.add(Medicine(name="written first, then rolled back"))
        repo.add(Product(name="Red Bali"))  # bypasses the friendly name check: the UNIQUE
    assert info.value.status_code == 409
    assert _count(any_ctx, Medicine) == 0 and _count(any_ctx, Product) == 1


def test_project_errors_raised_inside_a_transaction_pass_through(ctx: Context) -> None:
    with pytest.raises(Conflict, match="already exists"), ctx.tx() as repo:
        repo.add_product(Product(name="A"))
        repo.add_product(Product(name="A"))
    assert _count(ctx, Product) == 0


class _PgError(Exception):
    def __init__(self, msg: str, sqlstate: str) -> None:
        super().__init__(msg)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("exc", "kind", "words"), [
    (IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed: product.name")),
     Conflict, "UNIQUE constraint failed: product.name"),
    (OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked")),
     Busy, "busy"),
    (OperationalError("UPDATE", {}, _PgError("deadlock detected", "40P01")), Busy, "busy"),
    (OperationalError("SELECT", {}, _PgError("canceling statement due to lock timeout",
                                             "55P03")), Busy, "busy"),
    (OperationalError("SELECT", {}, _PgError("connection refused\nIs the server running?",
                                             "08001")), StoreUnavailable, "cannot be reached"),
    (ProgrammingError("SELECT", {}, sqlite3.ProgrammingError("no such table: x")),
     StoreError, "no such table: x"),
])
def test_translate_maps_driver_errors_to_one_line(exc: Exception, kind: type, words: str) -> None:
    err = db.translate(exc)  # type: ignore[arg-type]
    assert type(err) is kind
    assert words in err.message and "\n" not in err.message
    assert "nothing was saved" in err.message.lower()


@pytest.mark.usefixtures("short_wait")
def test_opening_a_locked_journal_is_busy_not_a_crash(tmp_path: Path) -> None:
    from nightleaf.store import open_store

    url = f"sqlite:///{tmp_path / 'j.db'}"
    open_store(url).dispose()
    with write_lock(url):  # the schema is current, so opening only reads: it works meanwhile
        open_store(url).dispose()
    fresh = f"sqlite:///{tmp_path / 'new.db'}"
    sqlite3.connect(tmp_path / "new.db").close()  # an empty file another program is writing
    with write_lock(fresh), pytest.raises(Busy, match="is busy") as info:
        open_store(fresh)  # creating the schema must write
    assert "\n" not in info.value.message

"""Revision 0007 (the person key everywhere) upgrades a populated journal with every row intact,
on SQLite and PostgreSQL; afterwards new rows still get fresh ids, and a row can no longer point
at another person's row."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, insert, select, text

from nightleaf.errors import Conflict
from nightleaf.model import entities as e
from nightleaf.model.units import Amount
from nightleaf.simulate import simulate_journal
from nightleaf.store import db, open_store
from nightleaf.store import tables as t
from nightleaf.store.server import ShareRow, server_tx
from tests.support.io_helpers import sample_episodes

#: person 2's ids are moved by this much before they go into a 0006 journal, where ids were
#: unique table-wide (after 0007 two people may both have an intake 1 on SQLite)
SHIFT = 1_000_000
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (but Alembic's), as plain dicts in a stable order."""
    md = MetaData()
    md.reflect(engine)
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in md.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(r) for r in conn.execute(select(table)).mappings()]
            out[table.name] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True,
                                                                    default=str))
    return out


def _seed(url: str) -> None:
    """Two people's journals at head: a simulated month each with wearable episodes and their
    stages, rows numbered by the store, a share, an import job and audit rows."""
    store = open_store(url)
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(t.person).values(id=2, name="two", created_at=NOW))
        for pid, seed in ((1, 3), (2, 4)):
            j = simulate_journal(30, seed=seed)
            eps = sample_episodes()
            j.episodes = [*eps, dataclasses.replace(
                eps[0], external_id="watch:2026-11-01", start=eps[0].start + timedelta(days=1),
                end=eps[0].end + timedelta(days=1), night=date(2026, 11, 1))]
            with store.tx(pid) as repo:
                repo.save_journal(j)
                # rows the store numbers itself (no id given)
                repo.add(e.Note(at=NOW, tz="UTC", night=date(2026, 11, 23), text=f"p{pid}"))
                repo.add_intake(e.Intake(at=NOW, tz="UTC", night=date(2026, 11, 23),
                                         amount=Amount(2.0, "g"), product_id=1, batch_id=1))
                repo.put_import_job({
                    "id": f"job{pid}", "filename": "export.zip", "format": "apple_health",
                    "state": "done", "bytes_read": 10, "total_bytes": 10, "nights_found": 2,
                    "error": None, "status_code": 200, "result": "{}", "created_at": NOW,
                    "updated_at": NOW})
            with server_tx(store, pid) as srv:
                srv.add_share(ShareRow(
                    person_id=pid, id=f"share{pid}", token_hash=f"{pid:064d}", scope="report",
                    period_start=None, period_end=None, label="GP", expires_at=NOW,
                    max_uses=None, uses=0, revoked_at=None, created_at=NOW))
                srv.append_audit(person_id=pid, at=NOW, actor_id=None, action="read",
                                 obj="journal", count=1, via="cli", share_id=None, ip=None,
                                 outcome="ok")
    finally:
        store.dispose()


def _shift_person_2(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Person 2's row ids and the references to them, moved by ``SHIFT``."""
    person_tables = {table.name for table in t.PERSON_TABLES}
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table_rows in rows.items():
        table = t.metadata.tables[name]
        cols = [fk.parent.name for fk in table.foreign_keys
                if fk.column.table.name in person_tables and fk.parent.name != "person_id"]
        if name in person_tables and "id" in table.c and table.c.id.identity is not None:
            cols.append("id")
        out[name] = [{k: (v + SHIFT if k in cols and v is not None and r.get("person_id") == 2
                          else v) for k, v in r.items()} for r in table_rows]
        out[name].sort(key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return out


@pytest.fixture
def source_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'source.db'}"


def _expected(source_url: str) -> dict[str, list[dict[str, Any]]]:
    _seed(source_url)
    src = open_store(source_url, create=False)
    try:
        return _shift_person_2(_rows(src.engine))
    finally:
        src.dispose()


def _fill_0006(engine: Engine, expected: dict[str, list[dict[str, Any]]]) -> None:
    """A 0006 journal holding ``expected`` (without what 0007 adds)."""
    db.migrate(engine, "0006")
    old = MetaData()
    old.reflect(engine)
    assert "person_id" not in old.tables["sleep_stage"].c and "share_token" not in old.tables
    with engine.begin() as conn:
        for table in old.sorted_tables:
            if table.name in expected and expected[table.name]:
                conn.execute(insert(table), [{k: v for k, v in r.items() if k in table.c}
                                             for r in expected[table.name]])


def test_0007_keeps_every_row_of_a_populated_journal(db_url: str, source_url: str) -> None:
    expected = _expected(source_url)
    assert len(expected["sleep_stage"]) == 4 * 14 and len(expected["share_token"]) == 2
    assert {r["person_id"] for r in expected["intake"]} == {1, 2}

    engine = db.make_engine(db_url)
    try:
        _fill_0006(engine, expected)
        db.migrate(engine)  # 0006 -> 0007
        assert _rows(engine) == expected
    finally:
        engine.dispose()

    store = open_store(db_url)
    try:
        for pid in (1, 2):  # new rows still get fresh ids on the upgraded journal
            with store.tx(pid) as repo:
                before = {n.id for n in repo.all(e.Note)}
                note = repo.add(e.Note(at=NOW, tz="UTC", night=date(2026, 11, 24), text="new"))
                ep = dataclasses.replace(sample_episodes()[0], external_id="watch:new",
                                         night=date(2026, 11, 2))
                assert repo.upsert_episodes([ep]) == (1, 0, 0)
            assert note.id not in before and note.id is not None
            with store.tx(pid) as repo:
                got = {x.external_id: x for x in repo.episodes()}["watch:new"]
                assert len(got.stages) == 14
    finally:
        store.dispose()


def test_a_row_cannot_point_at_another_persons_row(db_url: str) -> None:
    """The composite foreign keys: person 2's intake naming person 1's product is refused (the
    single-column key of 0006 accepted it), and deleting a product keeps its intakes."""
    store = open_store(db_url)
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(t.person).values(id=2, name=None, created_at=NOW))
        with store.tx(1) as repo:
            product = repo.add_product(e.Product(name="Red", vein="red", form="powder"))
            batch = repo.add(e.Batch(product_id=product.id, lot="L1"))  # type: ignore[arg-type]
            mine = repo.add_intake(e.Intake(at=NOW, tz="UTC", night=date(2026, 11, 23),
                                            amount=Amount(1.0, "g"), product_id=product.id,
                                            batch_id=batch.id))
        with pytest.raises(Conflict), store.tx(2) as repo:
            repo.add_intake(e.Intake(at=NOW, tz="UTC", night=date(2026, 11, 23),
                                     amount=Amount(1.0, "g"), product_id=product.id))
        with store.tx(2) as repo:
            assert repo.intakes() == []
        with store.tx(1) as repo:
            repo.delete(e.Product, product.id)  # type: ignore[arg-type]
            kept = repo.intake(mine.id)  # type: ignore[arg-type]
            assert (kept.product_id, kept.batch_id) == (None, None)
            assert repo.all(e.Batch) == []
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM product")).scalar_one() == 0
    finally:
        store.dispose()


def test_an_id_beyond_the_column_is_not_found_not_an_error(db_url: str) -> None:
    """PostgreSQL's INTEGER id stops at 2**31 - 1; a larger one (the API accepts up to 2**62)
    is a 404 like any unknown id, not "integer out of range" (a 500), on both engines."""
    from nightleaf.errors import NotFound

    store = open_store(db_url)
    huge = 23_288_221_509_098
    try:
        with store.tx(1) as repo:
            for call in (lambda: repo.get(e.RoutineItem, huge), lambda: repo.intake(huge),
                         lambda: repo.delete(e.Note, huge), lambda: repo.delete_intake(huge),
                         lambda: repo.update(e.Note(at=NOW, tz="UTC", night=date(2026, 1, 1),
                                                    text="x", id=huge))):
                with pytest.raises(NotFound):
                    call()
    finally:
        store.dispose()


#: row-level security as 0006's ``server init`` left it (the policies of that revision)
_RLS_0006 = [
    *[stmt.format(n=n) for n in (
        "profile", "medicine", "condition", "product", "batch", "intake", "substance",
        "sleep_entry", "sleep_episode", "pain", "symptom", "routine_item", "routine_check",
        "note", "experiment", "experiment_night", "share", "follow", "audit", "import_job")
      for stmt in (
        'ALTER TABLE "{n}" ENABLE ROW LEVEL SECURITY', 'ALTER TABLE "{n}" FORCE ROW LEVEL SECURITY',
        "CREATE POLICY by_person ON \"{n}\" USING (person_id = NULLIF(current_setting("
        "'nightleaf.person_id', true), '')::int)")],
    "ALTER TABLE sleep_stage ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE sleep_stage FORCE ROW LEVEL SECURITY",
    "CREATE POLICY by_person ON sleep_stage USING (EXISTS (SELECT 1 FROM sleep_episode e "
    "WHERE e.id = sleep_stage.episode_id))",
]


@pytest.mark.pg
def test_0007_upgrades_a_server_journal_under_forced_rls_as_its_owner(
        pg_admin_url: str, source_url: str) -> None:
    """A server-mode journal: row-level security is FORCEd, so its owner (not a superuser) sees
    no rows without a person set. The upgrade moves data (stages' person, share tokens, the id
    sequences) and must see every row anyway, then ``server init``'s policies come back."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from nightleaf.store.db import Store
    from nightleaf.store.rls import upgrade_locked
    from tests.support.db import fresh_pg_db

    expected = _expected(source_url)
    url = fresh_pg_db(pg_admin_url)
    owner = f"owner_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {owner} LOGIN NOSUPERUSER CREATEROLE"))
        conn.execute(text(f"ALTER DATABASE \"{make_url(url).database}\" OWNER TO {owner}"))
    owner_url = make_url(url).set(username=owner).render_as_string(hide_password=False)
    engine = db.make_engine(owner_url)
    try:
        _fill_0006(engine, expected)
        with engine.begin() as conn:
            for stmt in _RLS_0006:
                conn.execute(text(stmt))
            assert conn.execute(text("SELECT count(*) FROM sleep_stage")).scalar_one() == 0
        assert upgrade_locked(Store(engine)) is True
        with engine.connect() as conn:
            forced = conn.execute(text(
                "SELECT count(*) FROM pg_class WHERE relname = ANY(:n) AND relforcerowsecurity"),
                {"n": [tb.name for tb in (*t.PERSON_TABLES, t.share_token)]}).scalar_one()
        assert forced == len(t.PERSON_TABLES) + 1
        assert _rows(admin) == expected  # read as the superuser, who bypasses RLS
        store = Store(engine)
        store.set_person = True
        with store.tx(1) as repo:  # the sequences continue after the largest id
            assert repo.add(e.Note(at=NOW, tz="UTC", night=date(2026, 11, 24), text="n")).id
    finally:
        engine.dispose()
        admin.dispose()

"""The store on SQLite and on a real PostgreSQL: same behaviour, all-or-nothing writes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from nightleaf.errors import Conflict
from nightleaf.model.entities import Intake, Product, SleepEntry, SleepEpisode, StageSegment
from nightleaf.model.units import parse_amount
from nightleaf.simulate import simulate_journal
from nightleaf.store import open_store
from nightleaf.store.repo import Repo


def test_a_generated_journal_round_trips_exactly(db_url: str) -> None:
    store = open_store(db_url)
    journal = simulate_journal(60, seed=7)
    with store.tx(1) as repo:
        repo.save_journal(journal)
    with store.tx(1) as repo:
        assert repo.load_journal() == journal
    store.dispose()


def test_a_failed_transaction_writes_nothing(db_url: str) -> None:
    store = open_store(db_url)
    with pytest.raises(Conflict), store.tx(1) as repo:
        repo.add_product(Product(name="Red Bali"))
        repo.add_product(Product(name="red bali"))  # same name: the whole unit fails
    with store.tx(1) as repo:
        assert repo.all(Product) == []
    store.dispose()


def test_instants_come_back_as_the_same_utc_instant(db_url: str) -> None:
    store = open_store(db_url)
    at = datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)
    with store.tx(1) as repo:
        saved = repo.add_intake(Intake(at=at, tz="America/New_York", amount=parse_amount("2g"),
                                       night=date(2026, 3, 7)))
    with store.tx(1) as repo:
        (got,) = repo.intakes()
    assert got == saved and got.at == at and got.at.tzinfo is UTC
    store.dispose()


def test_episodes_upsert_is_idempotent(db_url: str) -> None:
    store = open_store(db_url)
    t0 = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
    ep = SleepEpisode(source="fitbit", external_id="123", start=t0,
                      end=t0.replace(hour=23), tz="UTC", night=date(2026, 11, 20),
                      tst_minutes=50, stages=[StageSegment(t0, t0.replace(hour=23), "light")])
    with store.tx(1) as repo:
        assert repo.upsert_episodes([ep]) == (1, 0, 0)
    with store.tx(1) as repo:
        assert repo.upsert_episodes([ep]) == (0, 0, 1)
        assert repo.upsert_episodes([dataclasses.replace(ep, tst_minutes=55)]) == (0, 1, 0)
    with store.tx(1) as repo:
        (got,) = repo.episodes()
    assert got.tst_minutes == 55 and len(got.stages) == 1
    store.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.dispose()


def test_reopening_an_existing_journal_keeps_it(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    with store.tx(1) as repo:
        repo.add_product(Product(name="Kept"))
    store.dispose()
    store = open_store(sqlite_url)
    with store.tx(1) as repo:
        assert [p.name for p in repo.all(Product)] == ["Kept"]
    store.dispose()


def test_bulk_reads_give_the_same_instants_as_single_reads(db_url: str) -> None:
    store = open_store(db_url)
    with store.tx(1) as repo:
        repo.save_journal(simulate_journal(30, seed=3))
    with store.tx(1) as repo:
        entries = repo.all(SleepEntry)
        assert entries and all(repo.sleep_entry(s.night) == s for s in entries)
        assert all(s.into_bed is None or s.into_bed.tzinfo is UTC for s in entries)
    store.dispose()


def test_sqlite_text_the_fast_parser_refuses_is_read_as_the_type_decorator_reads_it(
    sqlite_url: str,
) -> None:
    store = open_store(sqlite_url)
    with store.tx(1) as repo:
        repo.save_journal(simulate_journal(30, seed=3))
    with store.tx(1) as repo:
        # written by something else, with an offset: the bulk path falls back to SQLAlchemy's
        # own SQLite parser and gives what a single-row read (through UTCDateTime) gives
        repo.conn.execute(text("UPDATE sleep_entry SET into_bed = '2026-03-01 21:05:06+01:00'"))
        bulk = repo.all(SleepEntry)
        single = [repo.sleep_entry(s.night) for s in bulk]
    assert bulk == single
    assert {s.into_bed for s in bulk} == {datetime(2026, 3, 1, 21, 5, 6, tzinfo=UTC)}
    store.dispose()


def test_a_repo_has_no_default_person(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'j.db'}")
    with store.engine.connect() as conn, pytest.raises(TypeError):
        Repo(conn)  # type: ignore[call-arg]
    with pytest.raises(TypeError), store.tx():  # type: ignore[call-arg]
        pass
    store.dispose()


def test_the_context_scopes_the_store_to_its_person(tmp_path: Path) -> None:
    from nightleaf.services import open_context
    from nightleaf.services.inputs import ProductInput
    from nightleaf.services.products import add_product, list_products

    ctx = open_context(f"sqlite:///{tmp_path / 'j.db'}")
    other = dataclasses.replace(ctx, person_id=2)
    with ctx.tx() as repo:
        assert repo.person_id == 1
    with other.tx() as repo:
        assert repo.person_id == 2
    add_product(ctx, ProductInput("Red Bali"))
    assert [v.product.name for v in list_products(ctx)] == ["Red Bali"]
    assert list_products(other) == []
    ctx.store.dispose()


def _oura(**stage_minutes: float | None) -> SleepEpisode:
    t0 = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
    return SleepEpisode(source="oura", external_id="p1", start=t0, end=t0.replace(hour=23),
                        tz="UTC", night=date(2026, 11, 20), device="Oura", tst_minutes=50,
                        stages=[StageSegment(t0, t0.replace(hour=23), "light")], **stage_minutes)


def test_the_files_stage_minutes_are_stored_and_fill_in_an_older_row(db_url: str) -> None:
    """Migration 0005: an episode imported before it has null stage minutes; importing the file
    again fills them in (counted as updated), and once stored they come back exactly."""
    store = open_store(db_url)
    exact = {"deep_minutes": 12.25, "light_minutes": 30.5, "rem_minutes": 7.25,
             "awake_minutes": 10.0}
    with store.tx(1) as repo:
        assert repo.upsert_episodes([_oura()]) == (1, 0, 0)
        (old,) = repo.episodes()
        assert (old.deep_minutes, old.light_minutes, old.rem_minutes, old.awake_minutes) == \
            (None, None, None, None)
        assert repo.upsert_episodes([_oura(**exact)]) == (0, 1, 0)
        assert repo.upsert_episodes([_oura(**exact)]) == (0, 0, 1)
    with store.tx(1) as repo:
        (got,) = repo.episodes(with_stages=False)
    assert {k: getattr(got, k) for k in exact} == exact
    store.dispose()


def test_migration_0005_keeps_existing_episodes_with_null_stage_minutes(tmp_path: Path) -> None:
    """A journal at 0004 with an episode upgrades to 0005: the row stays, the new columns are
    null; and 0005 downgrades cleanly."""
    from alembic import command
    from alembic.config import Config

    from nightleaf.store import db

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = db.make_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
        conn.execute(text("INSERT INTO person (id, name, created_at) "
                          "VALUES (1, 'me', '2026-11-01 00:00:00.000000')"))
        conn.execute(text(
            "INSERT INTO sleep_episode (person_id, source, external_id, start, \"end\", tz, "
            "night, tst_minutes, is_nap) VALUES (1, 'oura', 'p1', '2026-11-20 22:00:00.000000', "
            "'2026-11-20 23:00:00.000000', 'UTC', '2026-11-20', 50, 0)"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        row = conn.execute(text("SELECT tst_minutes, deep_minutes, light_minutes, rem_minutes, "
                                "awake_minutes FROM sleep_episode")).one()
        assert tuple(row) == (50.0, None, None, None, None)
        command.downgrade(cfg, "0004")
        cols = {r[1] for r in conn.execute(text("PRAGMA table_info(sleep_episode)"))}
        assert "deep_minutes" not in cols and "tst_minutes" in cols
    engine.dispose()

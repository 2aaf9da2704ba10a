"""The prebuilt reads of ``Repo`` (statements built once, the person and the nights given at
execution): every window shape reads exactly the rows a filter of the whole journal keeps, for
the right person only, on SQLite and on PostgreSQL; and the fast paths that turn rows into
records give what the slow ones gave."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightleaf.errors import NotFound
from nightleaf.model import entities as e
from nightleaf.model.units import Amount
from nightleaf.simulate import simulate_journal
from nightleaf.store import open_store
from nightleaf.store.repo import INTAKE_FIELD_ORDER, _intake, _utc_values
from nightleaf.store.tables import UTCDateTime

LAST = date(2026, 11, 23)
#: (first, last) pairs: both ends, only one, neither, an empty window, one night
WINDOWS = [(LAST - timedelta(days=20), LAST - timedelta(days=5)), (LAST - timedelta(days=9), None),
           (None, LAST - timedelta(days=30)), (None, None), (LAST, LAST - timedelta(days=1)),
           (LAST - timedelta(days=3), LAST - timedelta(days=3))]
NIGHTLY = (e.SleepEntry, e.PainRating, e.Symptom, e.Substance)


def _inside(items: list[Any], first: date | None, last: date | None) -> list[Any]:
    return [x for x in items if (first is None or x.night >= first)
            and (last is None or x.night <= last)]


def _no_person(items: list[Any]) -> list[Any]:
    return [dataclasses.replace(x, person_id=1) for x in items]


def test_every_window_shape_reads_the_rows_inside_it_for_that_person_only(db_url: str) -> None:
    store = open_store(db_url)
    try:
        mine = simulate_journal(60, seed=3, last_night=LAST)
        other = simulate_journal(60, seed=4, last_night=LAST)
        with store.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO person (id, created_at) VALUES "
                                 "(2, '2026-01-01 00:00:00')")
        with store.tx(1) as repo:
            repo.save_journal(mine)
        with store.tx(2) as repo:
            repo.save_journal(other)
        with store.tx(1) as repo:
            whole = repo.load_journal()
            assert whole == mine  # the unwindowed reads (first = last = None)
            for first, last in WINDOWS:
                assert repo.intakes(first=first, last=last) == \
                    _inside(whole.intakes, first, last)
                assert repo.episodes(first=first, last=last) == \
                    _inside(whole.episodes, first, last)
                for cls in NIGHTLY:
                    assert repo.all(cls, first=first, last=last) == \
                        _inside(repo.all(cls), first, last), (cls.__name__, first, last)
            # tables without nights ignore the window, as before
            assert repo.all(e.Medicine, first=LAST, last=LAST) == whole.medicines
        with store.tx(2) as repo:  # the same prebuilt statements, another person's rows
            assert _no_person(repo.intakes(first=LAST - timedelta(days=9))) == \
                _no_person(_inside(other.intakes, LAST - timedelta(days=9), None))
            assert _no_person(repo.all(e.Product)) == _no_person(other.products)
            p = repo.profile()
            assert p is not None and p.tz == other.profile.tz
    finally:
        store.dispose()


def test_single_row_reads_find_the_persons_row_and_no_one_elses(db_url: str) -> None:
    store = open_store(db_url)
    try:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO person (id, created_at) VALUES "
                                 "(2, '2026-01-01 00:00:00')")
        journal = simulate_journal(10, seed=5, last_night=LAST)
        with store.tx(1) as repo:
            repo.save_journal(journal)
        with store.tx(1) as repo:
            intake = repo.intakes()[0]
            product = repo.all(e.Product)[0]
            entry = repo.all(e.SleepEntry)[-1]
            assert repo.intake(intake.id or 0) == intake
            assert repo.intake(intake.id or 0, for_update=True) == intake
            assert repo.get(e.Product, product.id or 0) == product
            assert repo.get(e.Product, product.id or 0, for_update=True) == product
            assert repo.sleep_entry(entry.night) == entry
            assert repo.batches_of(product.id or 0) == \
                [b for b in repo.all(e.Batch) if b.product_id == product.id]
            assert repo.product_by_name(product.name.upper()) == product
        with store.tx(2) as repo:
            with pytest.raises(NotFound):
                repo.intake(intake.id or 0)
            with pytest.raises(NotFound):
                repo.get(e.Product, product.id or 0)
            assert repo.sleep_entry(entry.night) is None
            assert repo.batches_of(product.id or 0) == []
            assert repo.product_by_name(product.name) is None
            assert repo.profile() is None
    finally:
        store.dispose()


# -- turning rows into records ----------------------------------------------------------------
def test_intakes_are_built_in_the_field_order_the_row_reader_assumes() -> None:
    assert tuple(f.name for f in dataclasses.fields(e.Intake)) == INTAKE_FIELD_ORDER


@given(st.datetimes(), st.integers(0, 1))
def test_naive_instants_become_the_same_aware_utc_instants_as_the_type_decorator_makes(
        v: datetime, fold: int) -> None:
    v = v.replace(fold=fold)
    (got,) = _utc_values([v], False, None)
    want = UTCDateTime().process_result_value(v, None)  # type: ignore[arg-type]
    assert got == want and got.tzinfo is UTC and got.fold == v.fold
    assert (got.year, got.month, got.day, got.hour, got.minute, got.second,
            got.microsecond) == (v.year, v.month, v.day, v.hour, v.minute, v.second,
                                 v.microsecond)
    assert _utc_values([None, v], False, None) == (None, got)


def test_equal_amounts_share_one_record_but_keep_their_types() -> None:
    row = (7, 1, datetime(2026, 3, 1, 20, tzinfo=UTC), "UTC", date(2026, 3, 1), 3.0, "g", None,
           None, None, None, None, None)
    a, b = _intake(row), _intake(row)
    assert a == b and a.amount is b.amount and a.amount == Amount(3.0, "g")
    as_int = _intake((*row[:5], 3, *row[6:]))
    assert type(as_int.amount.value) is int and type(a.amount.value) is float

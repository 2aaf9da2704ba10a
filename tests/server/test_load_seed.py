"""bench/server_load.py's seeding: COPY of simulated journals, one per person, ids renumbered."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest
from bench.server_load import ZONES, seed
from sqlalchemy import text

from nightleaf.simulate import simulate_journal
from nightleaf.store import open_store
from nightleaf.store.db import migrate
from tests.support.db import fresh_pg_db

pytestmark = pytest.mark.pg

LAST = date(2026, 11, 23)
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def _plain(items: list[Any], drop: tuple[str, ...] = ("id", "person_id")) -> list[dict[str, Any]]:
    return [{k: v for k, v in dataclasses.asdict(x).items() if k not in drop} for x in items]


def test_each_person_gets_a_simulated_journal_with_their_own_ids(pg_admin_url: str) -> None:
    url = fresh_pg_db(pg_admin_url)
    store = open_store(url, create=False)
    try:
        migrate(store.engine)
        info = seed(url, 5, 12, last_night=LAST, password_hash="$argon2id$x", now=NOW,
                    templates=2)
        assert info.rows["profile"] == 5 and info.rows["person+account"] == 10
        for p in (1, 2, 5):
            k = (p - 1) % 2
            want = simulate_journal(12, seed=1000 + k, last_night=LAST, tz=ZONES[k],
                                    use_rate=0.45 + 0.1 * k)
            with store.tx(p) as repo:
                got = repo.load_journal()
            assert got.profile is not None and got.profile.tz == want.profile.tz
            assert _plain(got.sleep) == _plain(want.sleep) and got.sleep
            assert _plain(got.pain) == _plain(want.pain)
            assert [(i.at, i.amount, i.night) for i in got.intakes] == \
                [(i.at, i.amount, i.night) for i in want.intakes]
            mine = {x.id for x in got.products}
            assert len(mine) == len(want.products)
            assert all(i.product_id in mine for i in got.intakes if i.product_id)
            assert all(b.product_id in mine for b in got.batches)
        with store.engine.begin() as conn:
            emails = conn.execute(text("SELECT email FROM account ORDER BY id")).scalars().all()
            assert emails == [f"person{p}@bench.invalid" for p in range(1, 6)]
            # the sequences were moved past the explicit ids: a new product gets a free id
            new = conn.execute(text("INSERT INTO product (person_id, name, vein, form) VALUES "
                                    "(1, 'new', 'red', 'powder') RETURNING id")).scalar_one()
            assert new > 5 * 2
    finally:
        store.dispose()

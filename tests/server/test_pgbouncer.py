"""PgBouncer in transaction mode between the app and PostgreSQL: 100 parallel requests that
alternate between people (reads and writes) through a real ``serve --multi-user`` with two
workers. Each answer holds only the asker's rows, nothing fails, and PostgreSQL sees at most the
pool's few server connections, so transactions of different people really shared them.

This is what ``SET LOCAL`` (``set_config(..., true)``) per transaction buys: a session-level
``SET`` would follow the server connection to the next client. psycopg's automatic prepared
statements are off (``?prepare_threshold=none``), as PgBouncer 1.18 needs."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import create_engine, text

from nightleaf.store.db import make_engine
from nightleaf.store.rls import app_role_url
from tests.support.multi_server import add_people, signed_in, start_multi_user
from tests.support.pgserver import PgBouncer, create_database
from tests.support.server import free_port

pytestmark = pytest.mark.pg
PEOPLE = ("ana@example.org", "ben@example.org", "cai@example.org", "dee@example.org")
REQUESTS = 100


@dataclass
class Pooled:
    base: str
    owner_url: str
    bouncer: PgBouncer
    pooled_app_url: str


@pytest.fixture(scope="module")
def pooled(pg_admin_url: str, server_template: str) -> Iterator[Pooled]:
    owner_url = create_database(pg_admin_url, server_template)
    add_people(owner_url, PEOPLE)
    try:
        bouncer = PgBouncer(pg_admin_url).start()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    port = free_port()
    app_url = bouncer.url(app_role_url(owner_url))
    try:
        server = start_multi_user(app_url, port, ["--workers", "2"])
    except Exception:
        print(bouncer.log())
        bouncer.stop()
        raise
    try:
        yield Pooled(f"http://127.0.0.1:{port}", owner_url, bouncer, app_url)
    finally:
        server.stop()
        print(f"--- serve ---\n{server.output()}\n--- pgbouncer ---\n{bouncer.log()}")
        bouncer.stop()


def _tag(email: str) -> str:
    return email.split("@")[0]


def test_100_parallel_requests_alternating_people_through_pgbouncer(pooled: Pooled) -> None:
    clients = {e: signed_in(pooled.base, e) for e in PEOPLE}
    for e, c in clients.items():  # each journal starts with one medicine of its own
        assert c.post("/api/medicines", json={"name": f"{_tag(e)}-0"}).status_code == 201

    def one(i: int) -> tuple[str, int, list[str]]:
        email = PEOPLE[i % len(PEOPLE)]
        c = clients[email]
        if i % 3 == 0:  # a write, then the read below sees it
            r = c.post("/api/medicines", json={"name": f"{_tag(email)}-{i}"})
            if r.status_code != 201:
                return email, r.status_code, [r.text]
        r = c.get("/api/medicines")
        names = [m["medicine"]["name"] for m in r.json()["medicines"]] if r.status_code == 200 else [r.text]
        return email, r.status_code, names

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        answers = list(pool.map(one, range(REQUESTS)))
    for c in clients.values():
        c.close()

    errors = [(e, s, n) for e, s, n in answers if s != 200]
    assert errors == []
    cross = [(e, n) for e, _, n in answers if any(not x.startswith(_tag(e) + "-") for x in n)]
    assert cross == []
    assert all(f"{_tag(e)}-0" in n for e, _, n in answers)  # never an empty (unset) answer
    seen = {e: {x for who, _, n in answers if who == e for x in n} for e in PEOPLE}
    for i in range(0, REQUESTS, 3):  # every write is in its author's journal
        email = PEOPLE[i % len(PEOPLE)]
        assert f"{_tag(email)}-{i}" in seen[email]


def test_the_pool_multiplexes_and_no_setting_outlives_its_transaction(pooled: Pooled) -> None:
    owner = create_engine(pooled.owner_url)
    with owner.connect() as conn:
        backends = conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = 'nightleaf_app' "
            "AND datname = current_database()")).scalar_one()
        total = conn.execute(text("SELECT count(*) FROM medicine")).scalar_one()
    owner.dispose()
    # two workers' SQLAlchemy pools hold up to 30 client connections; PgBouncer gave them 8
    assert 1 <= backends <= 8
    assert total >= len(PEOPLE)
    # through the same pool, a transaction that sets no person sees no one's rows, although
    # its server connection served people's transactions a moment ago
    eng = make_engine(pooled.pooled_app_url)
    try:
        for _ in range(20):
            with eng.begin() as conn:
                assert conn.execute(text("SELECT count(*) FROM medicine")).scalar_one() == 0
                assert conn.execute(text(
                    "SELECT current_setting('nightleaf.person_id', true)")).scalar() in (None, "")
    finally:
        eng.dispose()


def test_prepared_statements_are_off_behind_the_pooler(pooled: Pooled) -> None:
    """The URL's ``prepare_threshold=none`` reaches psycopg (a query run many times on one
    connection is never prepared on the server)."""
    eng = make_engine(pooled.pooled_app_url)
    try:
        with eng.connect() as conn:
            assert conn.connection.driver_connection.prepare_threshold is None  # type: ignore[union-attr]
            for _ in range(10):
                conn.execute(text("SELECT 1")).scalar_one()
    finally:
        eng.dispose()
    with httpx.Client(base_url=pooled.base) as c:
        assert c.get("/readyz").status_code == 200

"""A streaming read replica for reports: a real replica made with ``pg_basebackup -R`` from a
throwaway primary (both on loopback), and ``serve --multi-user --read-db REPLICA``.

Replay on the replica is paused to make the replica visibly behind: then a report (the page's
document, the PDF, a share link's report) still shows the replica's older journal while writes
land on the primary and are read back from it; and a share link revoked on the primary is refused
at once, although the paused replica still holds it unrevoked (the link check reads the
primary). Once replay resumes, reports catch up."""

from __future__ import annotations

import glob
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from sqlalchemy import create_engine, text

from nightleaf.services import Context
from nightleaf.services.accounts import init_server, open_server_store
from nightleaf.simulate import simulate_journal
from nightleaf.store.rls import app_role_url
from tests.support.multi_server import add_people, signed_in, start_multi_user
from tests.support.pgserver import PgReplica, PgServer, create_database
from tests.support.server import free_port

pytestmark = pytest.mark.pg
EMAIL = "ana@example.org"
NOW = "2026-11-24T21:00:00-05:00"  # the simulated journal's zone, the evening after its last night
NEW = "zolpidem-added-on-the-primary"


@dataclass
class Pair:
    base: str
    owner_url: str
    replica_owner_url: str
    replica: PgReplica


def _sql(url: str, sql: str) -> object:
    eng = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        eng.dispose()


def _caught_up(pair: Pair, timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary has written."""
    target = _sql(pair.owner_url, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _sql(pair.replica_owner_url,
                f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up in time")


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    if shutil.which("pg_basebackup") is None and not glob.glob(
            "/usr/lib/postgresql/*/bin/pg_basebackup"):
        pytest.skip("pg_basebackup is missing (Debian: postgresql)")
    primary = PgServer().start()  # its own server: a base backup copies the whole cluster
    replica = None
    server = None
    try:
        owner_url = create_database(primary.url)
        init_server(owner_url).dispose()
        (account,) = add_people(owner_url, [EMAIL])
        store = open_server_store(owner_url)
        store.set_person = True
        assert account.person_id is not None
        with Context(store=store, person_id=account.person_id).tx() as repo:
            repo.save_journal(simulate_journal(30, seed=15, last_night=date(2026, 11, 23)))
        store.dispose()
        replica = PgReplica(primary).start()
        replica_owner_url = owner_url.replace(f":{primary.port}/", f":{replica.port}/")
        assert _sql(replica_owner_url, "SELECT pg_is_in_recovery()") is True
        port = free_port()
        server = start_multi_user(app_role_url(owner_url), port,
                                  ["--read-db", app_role_url(replica_owner_url)],
                                  {"NIGHTLEAF_NOW": NOW})
        p = Pair(f"http://127.0.0.1:{port}", owner_url, replica_owner_url, replica)
        _caught_up(p)
        yield p
    finally:
        if server is not None:
            server.stop()
            print(f"--- serve ---\n{server.output()[-4000:]}")
        if replica is not None:
            replica.stop()
        primary.stop()


@pytest.fixture
def paused(pair: Pair) -> Iterator[Pair]:
    """The replica with replay paused (it keeps receiving WAL but applies none of it)."""
    _caught_up(pair)
    _sql(pair.replica_owner_url, "SELECT pg_wal_replay_pause()")
    try:
        yield pair
    finally:
        _sql(pair.replica_owner_url, "SELECT pg_wal_replay_resume()")
        _caught_up(pair)


def _pdf_text(pdf: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing (Debian: poppler-utils)")
    f = tmp_path / "report.pdf"
    f.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(f), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def test_reports_read_the_replica_and_writes_go_to_the_primary(paused: Pair, tmp_path) -> None:
    with closing(signed_in(paused.base, EMAIL)) as c:
        assert c.post("/api/medicines", json={"name": NEW}).status_code == 201
        # the write is on the primary, and what is not a report reads it back from there
        names = [m["medicine"]["name"] for m in c.get("/api/medicines").json()["medicines"]]
        assert NEW in names and "sertraline" in names
        # the report's document and its PDF come from the (paused) replica: no new medicine
        view = c.get("/report/view")
        assert view.status_code == 200, view.text[:300]
        assert "sertraline" in view.text and NEW not in view.text
        pdf = c.get("/report.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        words = _pdf_text(pdf.content, tmp_path)
        assert "sertraline" in words and NEW not in words
        # every report read still left its audit row, on the primary
        log = c.get("/api/audit").json()
        objs = {(r["action"], r["object"]) for r in log["entries"]}
        assert {("read", "/report/view"), ("read", "/report.pdf")} <= objs
        assert log["chain_intact"] is True
    _sql(paused.replica_owner_url, "SELECT pg_wal_replay_resume()")
    _caught_up(paused)
    with closing(signed_in(paused.base, EMAIL)) as c:
        assert NEW in c.get("/report/view").text


def test_a_revoked_share_link_is_refused_at_once_though_the_replica_lags(paused: Pair) -> None:
    _sql(paused.replica_owner_url, "SELECT pg_wal_replay_resume()")  # the share must reach it
    with closing(signed_in(paused.base, EMAIL)) as c:
        r = c.post("/api/shares", json={"scope": "report", "days": 14, "label": "dr"})
        assert r.status_code == 201, r.text
        share, link = r.json()["id"], r.json()["url"]
        _caught_up(paused)
        _sql(paused.replica_owner_url, "SELECT pg_wal_replay_pause()")
        late = NEW + "-after-the-share"
        assert c.post("/api/medicines", json={"name": late}).status_code == 201
        with httpx.Client(base_url=paused.base) as clinician:
            first = clinician.get(link)  # the link's report reads the (paused) replica
            assert first.status_code == 200, first.text[:300]
            assert "sertraline" in first.text and late not in first.text
            unknown = clinician.get("/s/" + "x" * 43 + "/report")
            assert unknown.status_code != 200
            assert c.request("DELETE", f"/api/shares/{share}",
                             headers={"Content-Type": "application/json"}).status_code == 204
            # the paused replica still has the share unrevoked; the check reads the primary
            still = _sql(paused.replica_owner_url,
                         f"SELECT revoked_at IS NULL FROM share WHERE id = '{share}'")
            assert still is True
            again = clinician.get(link)
            assert (again.status_code, again.text) == (unknown.status_code, unknown.text)


def test_the_replica_refuses_writes_and_filters_by_person(pair: Pair) -> None:
    """The replica is a real hot standby, and row-level security holds there too."""
    eng = create_engine(app_role_url(pair.replica_owner_url))
    try:
        with eng.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM medicine")).scalar_one() == 0
            with pytest.raises(Exception, match="read-only transaction"):
                conn.execute(text("INSERT INTO person (name, created_at) VALUES (NULL, now())"))
    finally:
        eng.dispose()


def test_with_the_replica_down_reports_fail_in_one_line_and_the_rest_works(pair: Pair) -> None:
    """Runs last: it stops the replica. ``/readyz`` checks the replica too and says which
    database failed, without its address."""
    with closing(signed_in(pair.base, EMAIL)) as c:
        ready = httpx.get(pair.base + "/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready",
                                "checks": {"primary": "ok", "replica": "ok"}}
        pair.replica.halt()
        down = httpx.get(pair.base + "/readyz")
        assert down.status_code == 503
        assert down.json() == {"status": "not ready", "failed": ["replica"],
                               "checks": {"primary": "ok", "replica": "unreachable"}}
        assert str(pair.replica.port) not in down.text and "127.0.0.1" not in down.text
        r = c.get("/report/view")
        assert r.status_code == 503 and "cannot be reached" in r.text
        assert "Traceback" not in r.text and "psycopg" not in r.text
        # the driver's detail (where the database lives) is for the operator's log, not the page
        assert f"port {pair.replica.port}" not in r.text and "Connection refused" not in r.text
        assert c.get("/api/medicines").status_code == 200
        assert c.post("/api/medicines", json={"name": "still writable"}).status_code == 201

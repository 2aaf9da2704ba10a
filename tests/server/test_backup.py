"""Backups: a pg_dump / pg_restore round trip keeps every person's data, the audit chain and
row-level security (after ``server init`` on the restored database)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from nightleaf.services import audit
from nightleaf.services.accounts import init_server
from nightleaf.store.rls import app_role_url
from tests.support.common import Clock
from tests.support.db import fresh_pg_db
from tests.support.pgserver import _bindir
from tests.support.server_mode import add, server_client, sign_in

pytestmark = pytest.mark.pg


def _libpq(url: str) -> str:
    u = make_url(url)
    return f"postgresql://{u.username}@{u.host}:{u.port}/{u.database}"


def test_pg_dump_round_trip(app_url, server_url, pg_admin_url, tmp_path: Path) -> None:
    bindir = _bindir()
    if bindir is None or not (bindir / "pg_dump").exists():
        pytest.skip("pg_dump not installed")
    with server_client(app_url, Clock()) as c:
        a = add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        assert c.post("/api/medicines", json={"name": "sertraline"}).status_code == 201
        before = audit.full_chain(c.app.state.ctx.store, a.person_id or 0)  # type: ignore[attr-defined]
    dump = tmp_path / "nightleaf.dump"
    subprocess.run([str(bindir / "pg_dump"), "--format=custom", "--file", str(dump),
                    _libpq(server_url)], check=True, timeout=120)
    restored = fresh_pg_db(pg_admin_url)
    subprocess.run([str(bindir / "pg_restore"), "--no-owner", "--dbname", _libpq(restored),
                    str(dump)], check=True, timeout=120)
    init_server(restored).dispose()
    with server_client(app_role_url(restored), Clock()) as c:
        sign_in(c, "ana@example.org")
        meds = c.get("/api/medicines").json()["medicines"]
        assert [m["medicine"]["name"] for m in meds] == ["sertraline"]
        after = audit.full_chain(c.app.state.ctx.store, a.person_id or 0)  # type: ignore[attr-defined]
        assert after[-len(before):] == before and audit.verify_chain(after) is None
        add(c, "ben@example.org")
        sign_in(c, "ben@example.org")
        assert c.get("/api/medicines").json()["medicines"] == []  # RLS holds after restore

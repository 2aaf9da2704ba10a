"""Store errors reach the web as the project's own: a locked journal is 503 + Retry-After."""

from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient

from nightleaf.services.context import Context
from nightleaf.store import db


def _db_file(ctx: Context) -> str:
    return str(ctx.store.engine.url.database)


def test_a_write_to_a_locked_journal_is_503_with_retry_after(
        client: TestClient, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    ctx.store.engine.dispose()  # new connections pick up the short wait
    other = sqlite3.connect(_db_file(ctx), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        r = client.post("/api/medicines", json={"name": "sertraline"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.status_code == 503, r.text
    assert int(r.headers["Retry-After"]) > 0
    body = r.json()
    assert "busy" in body["error"] and "\n" not in body["error"]
    assert client.get("/api/medicines").json()["medicines"] == []  # nothing was saved
    assert client.post("/api/medicines", json={"name": "sertraline"}).status_code == 201


def test_a_constraint_violation_is_409_in_one_line(client: TestClient, ctx: Context) -> None:
    raw = sqlite3.connect(_db_file(ctx))  # a stricter schema than the service checks
    raw.execute("CREATE UNIQUE INDEX one_medicine ON medicine (person_id, name)")
    raw.commit()
    raw.close()
    assert client.post("/api/medicines", json={"name": "sertraline"}).status_code == 201
    r = client.post("/api/medicines", json={"name": "sertraline"})
    assert r.status_code == 409, r.text
    assert "UNIQUE constraint failed" in r.json()["error"]
    assert "nothing was saved" in r.json()["error"]
    assert len(client.get("/api/medicines").json()["medicines"]) == 1

"""A write that waits past SQLite's busy timeout behind a long import is a clear 503 with
Retry-After (not 400 "database is locked"), and the import itself finishes."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nightleaf.services.context import Context
from nightleaf.store import db
from nightleaf.store.repo import Repo
from tests.support.common import REAL, SHARED
from tests.support.web import token

SAA = "sleep-as-android/ckondek_SleepPhase_Polar_sleep-export.csv"


def test_a_write_behind_a_long_import_is_503_with_retry_after(
        client: TestClient, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the real samples are read in place, never copied")
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 100)
    ctx.store.engine.dispose()  # new connections pick up the short wait
    writing, release = threading.Event(), threading.Event()
    original = Repo.upsert_episodes

    def slow(self: Repo, episodes: Any) -> tuple[int, int, int]:
        out = original(self, episodes)  # written, the transaction still open: a long import
        writing.set()
        release.wait(10)
        return out

    monkeypatch.setattr(Repo, "upsert_episodes", slow)
    tok = token(client, "/import")
    r = client.post("/api/imports", params={"filename": "polar.csv"},
                    content=(REAL / SAA).read_bytes(),
                    headers={"X-CSRF-Token": tok, "Content-Type": "application/octet-stream"})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    assert writing.wait(20)
    try:
        w = client.post("/api/medicines", json={"name": "sertraline"})
    finally:
        release.set()
    assert w.status_code == 503, w.text
    assert int(w.headers["Retry-After"]) > 0 and "\n" not in w.json()["error"]
    for _ in range(200):
        state = client.get(f"/api/imports/{job}").json()
        if state["state"] in ("done", "failed"):
            break
        writing.wait(0.05)
    assert state["state"] == "done" and state["result"]["added"] > 0
    assert client.post("/api/medicines", json={"name": "sertraline"}).status_code == 201

"""Wearable uploads in server mode: into the signed-in person's journal only, the job visible to
them alone (404 for anyone else), every step audited."""

from __future__ import annotations

import json
import time

import pytest

from nightleaf.services import audit
from nightleaf.web.security import CSRF_COOKIE
from tests.support.common import Clock
from tests.support.server_mode import add, server_client, sign_in

pytestmark = pytest.mark.pg
CSRF = "k" * 43


def _oura() -> bytes:
    night = {"day": "2026-11-22", "bedtime_start": "2026-11-21T23:10:00+01:00",
             "bedtime_end": "2026-11-22T06:50:00+01:00", "total_sleep_duration": 25200,
             "type": "long_sleep", "id": "oura-1"}
    return json.dumps({"data": [night]}).encode()


def test_an_upload_lands_in_the_signed_in_persons_journal_only(app_url) -> None:
    clock = Clock()
    with server_client(app_url, clock) as ana, server_client(app_url, clock) as ben:
        a = add(ana, "ana@example.org")
        b = add(ana, "ben@example.org")
        for c, who in ((ana, "ana"), (ben, "ben")):
            assert sign_in(c, f"{who}@example.org").status_code == 200
            c.put("/api/profile", json={"tz": "Europe/Berlin", "region": "DE"})
            c.cookies.set(CSRF_COOKIE, CSRF)
        r = ana.post("/api/imports?format=oura&filename=sleep.json", content=_oura(),
                     headers={"X-CSRF-Token": CSRF})
        assert r.status_code == 202, r.text
        job = r.json()["id"]
        for _ in range(200):  # the import runs in a thread of the app
            state = ana.get(f"/api/imports/{job}").json()
            if state["state"] in ("done", "failed"):
                break
            time.sleep(0.05)
        assert state["state"] == "done" and state["result"]["added"] == 1, state
        # Ben cannot see the job, in the API or on the page, and has no night of Ana's
        r = ben.get(f"/api/imports/{job}")
        assert r.status_code == 404 and r.json()["error"] == f"no import {job!r}"
        assert ben.get(f"/import?job={job}").status_code == 404
        assert len(ana.get("/api/export").json()["episodes"]) == 1
        assert ben.get("/api/export").json()["episodes"] == []
        week = "/api/nights?first=2026-11-20&last=2026-11-23"
        assert [n["wearable_episodes"] for n in ana.get(week).json()["nights"]] == [1]
        assert ben.get(week).json()["nights"] == []
        # Ana's audit trail has the upload's writes and the polls' reads; Ben's has his refusal
        store = ana.app.state.ctx.store  # type: ignore[attr-defined]
        rows = audit.full_chain(store, a.person_id or 0)
        assert {("write", "/api/imports")} <= {(r.action, r.object) for r in rows}
        assert ("read", f"/api/imports/{job}") in {(r.action, r.object) for r in rows}
        theirs = audit.full_chain(store, b.person_id or 0)
        assert ("denied", f"/api/imports/{job}") in {(r.outcome, r.object) for r in theirs}
        assert audit.verify_chain(rows) is None

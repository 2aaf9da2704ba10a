"""Clinician share links (scope, expiry, max uses, revocation, hashed token) and follows."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from tests.support.common import Clock
from tests.support.server_mode import add, server_client, sign_in

pytestmark = pytest.mark.pg
JSON = {"Content-Type": "application/json"}


def _link(client, **body):
    r = client.post("/api/shares", json={"scope": "journal", **body})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_link_is_a_long_random_token_stored_only_as_its_hash(app_url, server_url) -> None:
    with server_client(app_url, Clock()) as ana:
        add(ana, "ana@example.org")
        sign_in(ana, "ana@example.org")
        made = _link(ana, label="Dr Weiss")
        assert len(made["token"]) >= 43  # 32 bytes of secrets.token_urlsafe: 256 bits
        assert made["expires_at"].startswith(
            (Clock().now + timedelta(days=14)).astimezone().strftime("%Y-%m-%d")[:4])
        listed = ana.get("/api/shares").json()
        assert [s["id"] for s in listed] == [made["id"]] and "token" not in listed[0]
    eng = create_engine(server_url)
    with eng.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM share")).scalar_one()
    eng.dispose()
    assert stored == hashlib.sha256(made["token"].encode()).hexdigest()
    assert made["token"] not in stored


def test_links_work_in_scope_and_are_refused_after_expiry_uses_or_revocation(app_url) -> None:
    clock = Clock()
    with server_client(app_url, clock) as ana, server_client(app_url, clock) as doctor:
        add(ana, "ana@example.org")
        sign_in(ana, "ana@example.org")
        ana.put("/api/profile", json={"tz": "Europe/Berlin", "region": "DE"})
        journal = _link(ana)
        r = doctor.get(journal["url"])
        assert r.status_code == 200 and "nights" in r.json()
        assert r.headers["referrer-policy"] == "no-referrer"
        # wrong scope: a journal link does not open the report
        assert doctor.get(f"/s/{journal['token']}/report").status_code == 401
        # a share is read-only: nothing under /s/ writes
        assert doctor.post(journal["url"], json={}).status_code in (401, 405)
        # a share is not a session: it cannot mint links
        assert doctor.post("/api/shares", json={"scope": "journal"}).status_code == 401
        once = _link(ana, max_uses=1)
        assert doctor.get(once["url"]).status_code == 200
        assert doctor.get(once["url"]).status_code == 401
        assert ana.request("DELETE", f"/api/shares/{journal['id']}",
                           headers=JSON).status_code == 204
        assert doctor.get(journal["url"]).status_code == 401  # immediately
        short = _link(ana, days=1)
        clock.now += timedelta(days=1)
        r = doctor.get(short["url"])
        assert r.status_code == 401 and "not valid" in r.text
        assert doctor.get("/s/made-up-token/nights").status_code == 401
        sign_in(ana, "ana@example.org")  # a day later her session has timed out
        assert ana.post("/api/pain", json={"nrs": "4", "at": "2026-11-23T22:00:00+01:00"}
                        ).status_code == 201
        report = _link(ana, scope="report")
        r = doctor.get(report["url"])
        assert r.status_code == 200, re.findall(r"role=\"alert\">([^<]*)", r.text)
        log = ana.get("/api/audit").json()["entries"]
        via_share = [e for e in log if e["via"] == "share"]
        assert via_share and all(journal["token"] not in e["object"] for e in log)


def test_a_clinician_follows_read_only_until_the_person_ends_it(app_url) -> None:
    clock = Clock()
    with server_client(app_url, clock) as ana, server_client(app_url, clock) as dr, \
            server_client(app_url, clock) as other:
        a = add(ana, "ana@example.org")
        d = add(ana, "dr@example.org", role="clinician")
        add(ana, "dr2@example.org", role="clinician")
        sign_in(ana, "ana@example.org")
        sign_in(dr, "dr@example.org")
        sign_in(other, "dr2@example.org")
        ana.put("/api/profile", json={"tz": "Europe/Berlin", "region": "DE"})
        url = f"/api/people/{a.person_id}/nights"
        assert dr.get(url).status_code == 404  # not invited yet
        r = ana.post("/api/follows", json={"email": "dr@example.org"})
        assert r.status_code == 201
        assert dr.get(url).status_code == 200
        assert other.get(url).status_code == 404  # another clinician
        r = dr.get("/api/medicines")  # a clinician has no journal: one line, not Ana's
        assert r.status_code == 403 and "no journal of its own" in r.json()["error"]
        assert dr.post("/api/shares", json={"scope": "journal"}).status_code == 403
        assert ana.request("DELETE", f"/api/follows/{d.id}", headers=JSON).status_code == 204
        assert dr.get(url).status_code == 404

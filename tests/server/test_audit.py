"""Audit: every read and write of a person's data, failed sign-ins and refusals; append-only with
a hash chain; a failed audit write fails the request; every route is covered."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from nightleaf.services import audit
from tests.support.common import Clock
from tests.support.server_mode import add, server_client, sign_in

pytestmark = pytest.mark.pg
JSON = {"Content-Type": "application/json"}


def _owner(url: str, sql: str) -> None:
    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(text(sql))
    eng.dispose()


def test_reads_writes_failed_sign_ins_and_refusals_are_logged_in_a_chain(app_url) -> None:
    clock = Clock()
    with server_client(app_url, clock) as ana, server_client(app_url, clock) as ben:
        a = add(ana, "ana@example.org")
        add(ben, "ben@example.org")
        assert sign_in(ana, "ana@example.org", "not the password at all").status_code == 401
        sign_in(ana, "ana@example.org")
        sign_in(ben, "ben@example.org")
        med = ana.post("/api/medicines", json={"name": "sertraline"}).json()["id"]
        ana.get("/api/medicines")
        assert ben.request("DELETE", f"/api/medicines/{med}", headers=JSON).status_code == 404
        log = ana.get("/api/audit").json()
        assert log["chain_intact"] is True
        rows = [(e["action"], e["object"], e["via"], e["outcome"]) for e in log["entries"]]
        assert ("sign_in", "account", "anonymous", "failed") in rows
        assert ("sign_in", "session", "session", "ok") in rows
        assert ("write", "/api/medicines", "session", "ok") in rows
        assert ("read", "/api/medicines", "session", "ok") in rows
        assert all(e["actor_id"] in (a.id,) for e in log["entries"])
        assert all(e["ip"] for e in log["entries"])
        # Ben's refused attempt is in Ben's log, and says nothing of Ana's medicine
        bens = ben.get("/api/audit").json()["entries"]
        assert ("write", f"/api/medicines/{med}", "denied") in [
            (e["action"], e["object"], e["outcome"]) for e in bens]
        page = ana.get("/audit")
        assert page.status_code == 200 and "intact" in page.text


def test_anonymous_refusals_and_unknown_sign_ins_are_logged_under_nobody(app_url,
                                                                        server_url) -> None:
    with server_client(app_url, Clock()) as c:
        assert c.get("/api/nights").status_code == 401
        assert sign_in(c, "nobody@example.org").status_code == 401
    eng = create_engine(server_url)
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT action, object, outcome FROM audit WHERE person_id = 0 "
                                 "ORDER BY seq")).all()
    eng.dispose()
    assert ("read", "/api/nights", "denied") in rows
    assert ("sign_in", "unknown account", "failed") in rows


def test_the_app_cannot_change_or_delete_audit_rows_and_tampering_breaks_the_chain(
        app_url, server_url) -> None:
    with server_client(app_url, Clock()) as c:
        a = add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        c.get("/api/medicines")
        store = c.app.state.ctx.store  # type: ignore[attr-defined]
        with store.engine.begin() as conn:
            conn.execute(text("SELECT set_config('nightleaf.person_id', :p, true)"),
                         {"p": str(a.person_id)})
            for sql in ("UPDATE audit SET outcome = 'ok'", "DELETE FROM audit"):
                with pytest.raises(Exception, match="permission denied"), conn.begin_nested():
                    conn.execute(text(sql))
        assert audit.verify_chain(audit.full_chain(store, a.person_id or 0)) is None
        _owner(server_url, "UPDATE audit SET object = '/elsewhere' WHERE seq = 2 "
                           f"AND person_id = {a.person_id}")
        assert audit.verify_chain(audit.full_chain(store, a.person_id or 0)) == 2
        assert c.get("/api/audit").json()["chain_intact"] is False


def test_if_the_audit_row_cannot_be_written_the_request_fails_and_saves_nothing(
        app_url, server_url) -> None:
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        _owner(server_url, "REVOKE INSERT ON audit FROM nightleaf_app")
        try:
            r = c.post("/api/medicines", json={"name": "sertraline"})
            assert r.status_code >= 500
        finally:
            _owner(server_url, "GRANT INSERT ON audit TO nightleaf_app")
        assert c.get("/api/medicines").json()["medicines"] == []


#: GET routes that read no person's data (knowledge base, the audit log itself, sign-in)
NOT_PERSON_DATA = {"/api/session", "/api/sessions", "/api/audit",
                   "/api/interactions"}  # the knowledge base on names given in the query


def test_every_get_route_that_reads_a_persons_data_writes_an_audit_row(app_url) -> None:
    """Diffs the app's routes against the routes that left an audit row."""
    with server_client(app_url, Clock()) as c:
        a = add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        c.put("/api/profile", json={"tz": "Europe/Berlin", "region": "DE"})
        store = c.app.state.ctx.store  # type: ignore[attr-defined]
        paths = c.app.openapi()["paths"]  # type: ignore[attr-defined]
        routes = sorted(p for p, ops in paths.items()
                        if "get" in ops and p.startswith("/api/") and p not in NOT_PERSON_DATA)
        assert len(routes) >= 10
        unaudited = []
        for path in routes:
            url = re.sub(r"\{night\}", "2026-11-24", path)
            url = re.sub(r"\{[^}]+\}", "1", url)
            before = len(audit.full_chain(store, a.person_id or 0))
            r = c.get(url, params={"name": "sertraline", "q": "sertraline"})
            after = len(audit.full_chain(store, a.person_id or 0))
            assert r.status_code < 500, (path, r.text)
            if after == before:
                unaudited.append((path, r.status_code))
        assert unaudited == []

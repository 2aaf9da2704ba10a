"""Isolation, twice: the request's person in the service layer, and PostgreSQL row-level security
underneath it (tested alone, with the service-layer filter bypassed)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from nightleaf.errors import StoreError
from nightleaf.model.entities import Medicine
from nightleaf.services import accounts as acc
from nightleaf.services.accounts import open_server_store
from nightleaf.store.rls import person_tables
from nightleaf.store.server import server_tx
from tests.support.common import Clock
from tests.support.server_mode import PASSWORD, add, server_client, sign_in

pytestmark = pytest.mark.pg
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


def test_the_app_role_has_no_bypassrls_and_every_person_table_forces_rls(server_url) -> None:
    eng = create_engine(server_url)
    with eng.connect() as conn:
        role = conn.execute(text("SELECT rolbypassrls, rolsuper FROM pg_roles "
                                 "WHERE rolname = 'nightleaf_app'")).one()
        flags = dict(conn.execute(text(
            "SELECT relname, relrowsecurity AND relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(:names)"), {"names": [*person_tables(), "sleep_stage"]}).all())
    eng.dispose()
    assert tuple(role) == (False, False)
    assert set(flags) == {*person_tables(), "sleep_stage"} and all(flags.values())


def test_rls_alone_hides_and_refuses_another_persons_rows(app_url, server_url) -> None:
    store = open_server_store(app_url)
    store.set_person = True
    try:
        a = acc.add_user(store, "a@example.org", PASSWORD, role="person", now=NOW)
        b = acc.add_user(store, "b@example.org", PASSWORD, role="person", now=NOW)
        assert a.person_id and b.person_id
        with store.tx(b.person_id) as repo:
            repo.add(Medicine(name="b's own medicine"))
        # the setting says A; the repository is (wrongly) built for B: a service-layer bug
        with server_tx(store, a.person_id) as srv:
            leaky = srv.journal(b.person_id)
            assert leaky.all(Medicine) == []
            assert leaky.conn.execute(text("SELECT count(*) FROM medicine")).scalar_one() == 0
        with pytest.raises(StoreError), server_tx(store, a.person_id) as srv:
            srv.journal(b.person_id).add(Medicine(name="planted in b's journal"))
        # a transaction that never says whose data it works on sees nothing
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM medicine")).scalar_one() == 0
        with store.tx(b.person_id) as repo:
            assert [m.name for m in repo.all(Medicine)] == ["b's own medicine"]
    finally:
        store.dispose()
    owner = create_engine(server_url)  # the superuser (control): the row is really there
    with owner.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM medicine")).scalar_one() == 1
    owner.dispose()


def test_another_persons_entry_is_404_never_403(app_url) -> None:
    clock = Clock()
    with server_client(app_url, clock) as ana, server_client(app_url, clock) as ben:
        add(ana, "ana@example.org")
        add(ben, "ben@example.org")
        sign_in(ana, "ana@example.org")
        sign_in(ben, "ben@example.org")
        r = ana.post("/api/medicines", json={"name": "sertraline"})
        assert r.status_code == 201, r.text
        med_id = r.json()["id"]
        assert _names(ana) == ["sertraline"]
        assert ben.get("/api/medicines").json()["medicines"] == []
        r = ben.request("DELETE", f"/api/medicines/{med_id}",
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 404
        assert "sertraline" not in r.text
        assert _names(ana) == ["sertraline"]


def _names(client) -> list[str]:
    return [m["medicine"]["name"] for m in client.get("/api/medicines").json()["medicines"]]

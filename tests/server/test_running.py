"""Running it: health and readiness, the guarded upgrade on start, request logs without health
data or tokens."""

from __future__ import annotations

import json
import logging
import threading

import pytest
from sqlalchemy import create_engine, text

from nightleaf.errors import ConfigError
from nightleaf.services.accounts import open_server_store
from nightleaf.services.server import open_server_context, upgrade_on_start
from nightleaf.store.db import head_revision
from nightleaf.store.rls import upgrade_locked
from tests.support.common import Clock
from tests.support.db import fresh_pg_db
from tests.support.server_mode import add, server_client, sign_in

pytestmark = pytest.mark.pg


def _owner(url: str, sql: str) -> None:
    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(text(sql))
    eng.dispose()


def test_healthz_and_readyz(app_url, server_url) -> None:
    with server_client(app_url, Clock()) as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        assert c.get("/readyz").json() == {"status": "ready", "checks": {"primary": "ok"}}
        _owner(server_url, "UPDATE alembic_version SET version_num = '0001'")
        r = c.get("/readyz")
        assert r.status_code == 503
        assert r.json() == {"status": "not ready", "failed": ["primary"],
                            "checks": {"primary": "schema not current"}}


def test_workers_starting_together_upgrade_once(pg_admin_url) -> None:
    url = fresh_pg_db(pg_admin_url)
    results: list[bool] = []
    errors: list[BaseException] = []

    def start() -> None:
        store = open_server_store(url)
        try:
            results.append(upgrade_locked(store))
        except BaseException as exc:
            errors.append(exc)
        finally:
            store.dispose()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(results) == [False, False, False, True]
    store = open_server_store(url)
    assert store.schema_version() == head_revision()
    store.dispose()


def test_the_app_role_refuses_to_serve_an_old_schema_without_a_migrate_url(
        app_url, server_url, monkeypatch) -> None:
    monkeypatch.delenv("NIGHTLEAF_MIGRATE_URL", raising=False)
    _owner(server_url, "UPDATE alembic_version SET version_num = '0001'")
    ctx = open_server_context(app_url)
    try:
        with pytest.raises(ConfigError, match="server init"):
            upgrade_on_start(ctx.store)
    finally:
        ctx.store.dispose()


def test_request_logs_are_json_lines_without_tokens_queries_or_health_data(app_url,
                                                                          caplog) -> None:
    caplog.set_level(logging.INFO, logger="nightleaf.server")
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        c.post("/api/medicines", json={"name": "sertraline"})
        c.get("/api/interactions", params={"name": "sertraline"})
        c.put("/api/profile", json={"tz": "Europe/Berlin", "region": "DE"})
        token = c.post("/api/shares", json={"scope": "journal"}).json()["token"]
        c.get(f"/s/{token}/nights")
    lines = [r.getMessage() for r in caplog.records if r.name == "nightleaf.server"]
    assert len(lines) >= 5
    records = [json.loads(line) for line in lines]
    assert {"event", "method", "path", "status", "ms"} <= set(records[0])
    text_ = "\n".join(lines)
    assert token not in text_ and "sertraline" not in text_ and "violet" not in text_
    assert any(r["path"] == "/s/<token>/nights" and r["status"] == 200 for r in records)

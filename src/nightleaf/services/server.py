"""Opening server mode's context: PostgreSQL, schema up to date, the person set per transaction."""

from __future__ import annotations

import os

from nightleaf.config import database_url, read_database_url
from nightleaf.errors import ConfigError
from nightleaf.services.accounts import open_server_store
from nightleaf.services.context import Context, clock_from_env
from nightleaf.store import Store
from nightleaf.store.rls import ready, upgrade_locked


def open_server_context(url: str | None = None, read_url: str | None = None) -> Context:
    """The app-wide context of server mode: person 0 (nobody), whose transactions row-level
    security shows nothing; each request replaces it with the signed-in person's. With a read
    replica (``read_url``, else NIGHTLEAF_READ_DATABASE_URL) reports read from it."""
    store = open_server_store(database_url(url))
    store.set_person = True
    replica = read_database_url(read_url)
    if replica:
        try:
            store.attach_reader(replica)
        except Exception:
            store.dispose()
            raise
    clock = clock_from_env()
    return Context(store=store, clock=clock, person_id=0) if clock else Context(
        store=store, person_id=0)


def upgrade_on_start(app_store: Store) -> None:
    """Before serving: with NIGHTLEAF_MIGRATE_URL (the tables' owner) set, upgrade the schema
    under an advisory lock (workers do not race); without it, refuse to serve an out-of-date
    schema (the app role may not change tables)."""
    owner_url = os.environ.get("NIGHTLEAF_MIGRATE_URL")
    if owner_url:
        owner = open_server_store(owner_url)
        try:
            upgrade_locked(owner)
        finally:
            owner.dispose()
    if not ready(app_store):
        raise ConfigError("the server database is not at the current schema: run `nightleaf "
                          "server init --db OWNER_URL` (or set NIGHTLEAF_MIGRATE_URL)")


def is_ready(store: Store) -> bool:
    return ready(store)


def readiness(store: Store) -> dict[str, str]:
    """``/readyz``'s checks: the primary and, when reports read a replica (``--read-db``), the
    replica, each ``"ok"``, ``"unreachable"`` or ``"schema not current"`` (a replica still
    replaying an upgrade). Ready only when all are ok. No address, role or driver detail: the
    answer is public."""
    from nightleaf.store.db import head_revision

    head = head_revision()
    checks = {"primary": _schema_check(store, head, replica=False)}
    if store.read_engine is not None:
        checks["replica"] = _schema_check(store, head, replica=True)
    return checks


def _schema_check(store: Store, head: str, *, replica: bool) -> str:
    try:
        version = store.schema_version(replica=replica)
    except Exception:  # refused, lost, timed out: not ready, whatever the driver says
        return "unreachable"
    return "ok" if version == head else "schema not current"

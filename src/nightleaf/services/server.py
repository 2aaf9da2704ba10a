"""Opening server mode's context: PostgreSQL, schema up to date, the person set per transaction."""

from __future__ import annotations

from nightleaf.config import database_url
from nightleaf.services.accounts import open_server_store
from nightleaf.services.context import Context, clock_from_env


def open_server_context(url: str | None = None) -> Context:
    """The app-wide context of server mode: person 0 (nobody), whose transactions row-level
    security shows nothing; each request replaces it with the signed-in person's."""
    store = open_server_store(database_url(url))
    store.set_person = True
    clock = clock_from_env()
    return Context(store=store, clock=clock, person_id=0) if clock else Context(
        store=store, person_id=0)

"""A real ``nightleaf serve --multi-user`` child process (uvicorn, real sockets) for the tests of
the pieces around it: Caddy in front, PgBouncer and a read replica behind."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import httpx

from nightleaf.services import accounts as acc
from nightleaf.services.accounts import open_server_store
from tests.support.server import SRC, Server, wait_ready
from tests.support.server_mode import PASSWORD


def start_multi_user(db_url: str, port: int, args: Sequence[str] = (),
                     env_extra: dict[str, str] | None = None) -> Server:
    """``nightleaf --db DB_URL serve --multi-user --port PORT ARGS``; returns once /readyz says
    the database answers."""
    pythonpath = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": pythonpath}
    env.pop("NIGHTLEAF_READ_DATABASE_URL", None)
    env.update(env_extra or {})
    server = Server([sys.executable, "-m", "nightleaf", "--db", db_url, "serve", "--multi-user",
                     "--port", str(port), *args], env)
    return wait_ready(server, f"http://127.0.0.1:{port}/readyz")


def add_people(owner_url: str, emails: Sequence[str], role: str = "person") -> list[acc.Account]:
    """Accounts made as ``nightleaf server add-user`` does (on the owner's connection)."""
    from datetime import UTC, datetime

    store = open_server_store(owner_url)
    try:
        return [acc.add_user(store, e, PASSWORD, role=role, now=datetime.now(UTC))
                for e in emails]
    finally:
        store.dispose()


def signed_in(base: str, email: str, **client_args: object) -> httpx.Client:
    """An httpx client holding ``email``'s session cookie."""
    client = httpx.Client(base_url=base, timeout=30, **client_args)  # type: ignore[arg-type]
    r = client.post("/api/session", json={"email": email, "password": PASSWORD})
    if r.status_code != 200:
        client.close()
        raise AssertionError(f"sign-in of {email} failed: {r.status_code} {r.text}")
    return client

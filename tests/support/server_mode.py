"""Server-mode helpers: a multi-user app with a settable clock, accounts, a signed-in client."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

with warnings.catch_warnings():  # starlette's TestClient deprecation names httpx2; not ours
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from nightleaf.services import accounts as acc
from nightleaf.services.server import open_server_context
from nightleaf.web.app import create_app
from tests.support.common import Clock

PASSWORD = "violet lamp under the stairs"


@contextmanager
def server_client(url: str, clock: Clock, *, https: bool = False,
                  address: str = "testclient") -> Iterator[TestClient]:
    """A multi-user app on ``url`` (the app role's) with ``clock``, and a client whose requests
    come from ``address``."""
    ctx = open_server_context(url)
    ctx.clock = clock
    app = create_app(context=ctx, multi_user=True, allowed_hosts=("localhost",))
    base = "https://localhost" if https else "http://localhost"
    try:
        with TestClient(app, base_url=base, client=(address, 50000)) as client:
            yield client
    finally:
        ctx.store.dispose()


def add(client: TestClient, email: str, role: str = "person") -> acc.Account:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    return acc.add_user(ctx.store, email, PASSWORD, role=role, now=ctx.now())


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/api/session", json={"email": email, "password": password})

"""Server-mode fixtures: a PostgreSQL database set up by ``server init`` once, copied per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from nightleaf.services.accounts import init_server

pytestmark = pytest.mark.pg


def _create(admin_url: str, template: str | None = None) -> str:
    name = f"s_{uuid.uuid4().hex[:12]}"
    eng = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template
                                                         else "")))
    eng.dispose()
    return name


@pytest.fixture(scope="session")
def server_template(pg_admin_url: str) -> str:
    """A database after ``nightleaf server init`` (migrations, RLS, the app role)."""
    name = _create(pg_admin_url)
    store = init_server(pg_admin_url.rsplit("/", 1)[0] + "/" + name)
    store.dispose()
    return name


@pytest.fixture
def server_url(pg_admin_url: str, server_template: str) -> Iterator[str]:
    """A fresh server database (owner's URL), copied from the template in a few milliseconds."""
    yield pg_admin_url.rsplit("/", 1)[0] + "/" + _create(pg_admin_url, server_template)


@pytest.fixture
def app_url(server_url: str) -> str:
    """The same database as the web app's role ``nightleaf_app`` (no superuser, no BYPASSRLS:
    the test server's own user is a superuser, which row-level security never filters)."""
    from nightleaf.store.rls import app_role_url

    return app_role_url(server_url)


@pytest.fixture(scope="module")
def module_app_url(pg_admin_url: str, server_template: str) -> str:
    """One server database (as the app's role) for a whole module: for tests that share a world
    of accounts and objects, such as the authorization matrix."""
    from nightleaf.store.rls import app_role_url

    return app_role_url(pg_admin_url.rsplit("/", 1)[0] + "/" + _create(pg_admin_url,
                                                                       server_template))

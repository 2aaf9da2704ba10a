"""Every services test runs on SQLite and on a real PostgreSQL.

``ctx`` (and the journal under the ``cli`` fixture) are parametrized over both engines here;
``any_ctx`` already is. The PostgreSQL cases carry the ``pg`` marker (the server starts itself).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nightleaf.services import Context
from nightleaf.store import open_store
from tests.support.common import Clock


@pytest.fixture
def ctx(db_url: str, clock: Clock) -> Iterator[Context]:
    c = Context(store=open_store(db_url), clock=clock)
    yield c
    c.store.dispose()


@pytest.fixture
def cli_db_url(db_url: str) -> str:
    return db_url

"""Fresh journals on each engine: SQLite files and throwaway PostgreSQL databases."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

#: parametrize a fixture with these to run its tests on SQLite and on PostgreSQL (marker ``pg``)
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


def fresh_pg_db(admin_url: str) -> str:
    """The URL of a new, empty database on the test session's PostgreSQL server."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    eng = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name

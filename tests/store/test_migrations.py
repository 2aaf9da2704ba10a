"""The Alembic migrations build exactly ``tables.py``, on both engines, and the head is never stale."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Identity, inspect

from nightleaf.store import db, open_store
from nightleaf.store.tables import metadata


def _identity_on_sqlite(diff: Any) -> str | None:
    """The table of a difference that only says "tables.py has an identity column here":
    SQLite has none (SQLAlchemy creates a plain ``INTEGER NOT NULL`` there and the store numbers
    the rows itself, ``repo.next_id``), yet Alembic reports the metadata's ``Identity()`` as a
    default the database lacks. Anything else is a real difference (None)."""
    if isinstance(diff, list) and len(diff) == 1:
        diff = diff[0]
    if (isinstance(diff, tuple) and diff[0] == "modify_default" and diff[3] == "id"
            and diff[5] is None and isinstance(diff[6], Identity)):
        return str(diff[2])
    return None


def test_upgrade_head_builds_exactly_the_tables_in_tables_py(db_url: str) -> None:
    store = open_store(db_url)  # upgrade head on a fresh journal
    try:
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True})
            diffs = compare_metadata(ctx, metadata)
        assert store.schema_version() == db.head_revision()
    finally:
        store.dispose()
    if store.dialect == "sqlite":
        # exactly the identity columns of tables.py, and nothing else, are left out
        identity = {table.name for table in metadata.sorted_tables
                    if "id" in table.c and table.c.id.identity is not None}
        assert identity, "tables.py has no identity column left: drop this allowance"
        assert {_identity_on_sqlite(d) for d in diffs} == identity, diffs
        diffs = [d for d in diffs if _identity_on_sqlite(d) is None]
    assert diffs == [], f"migrations and tables.py differ; make a revision (docs/development.md): {diffs}"


def test_compare_notices_a_table_the_migrations_lack(sqlite_url: str) -> None:
    """The check above can fail: a table only in the metadata is reported as a difference."""
    from sqlalchemy import Column, Integer, MetaData, Table

    more = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(more)
    Table("only_in_tables_py", more, Column("id", Integer, primary_key=True))
    store = open_store(sqlite_url)
    try:
        with store.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), more)
    finally:
        store.dispose()
    assert [d[0] for d in diffs] == ["add_table"]
    assert diffs[0][1].name == "only_in_tables_py"


@pytest.fixture
def migrations_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the package's migrations that a test may add a revision to."""
    copy = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(db, "MIGRATIONS", copy)
    monkeypatch.setenv("NIGHTLEAF_HOME", str(tmp_path / "home"))  # the head cache goes here
    yield copy


def test_a_new_revision_upgrades_existing_journals_without_editing_a_constant(
        sqlite_url: str, migrations_copy: Path) -> None:
    first = open_store(sqlite_url)
    old_head = first.schema_version()
    first.dispose()
    (migrations_copy / "versions" / "9999_add_a_column.py").write_text(textwrap.dedent(f'''
        """add a column (test only)"""
        import sqlalchemy as sa
        from alembic import op

        revision = "9999"
        down_revision = "{old_head}"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            with op.batch_alter_table("note") as batch:
                batch.add_column(sa.Column("mood", sa.Integer(), nullable=True))


        def downgrade() -> None:
            with op.batch_alter_table("note") as batch:
                batch.drop_column("mood")
    '''))
    assert db.head_revision() == "9999"  # a new file is a new key: Alembic is asked again
    store = open_store(sqlite_url)
    try:
        assert store.schema_version() == "9999"
        assert "mood" in {c["name"] for c in inspect(store.engine).get_columns("note")}
    finally:
        store.dispose()


def test_a_journal_at_head_opens_without_importing_alembic(tmp_path: Path) -> None:
    """The head is remembered (keyed by the revision files), so start-up skips Alembic."""
    url = f"sqlite:///{tmp_path / 'j.db'}"
    script = (
        "import sys\n"
        "from nightleaf.store import open_store\n"
        f"open_store({url!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    env = {**os.environ, "NIGHTLEAF_HOME": str(tmp_path / "home")}
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                           timeout=120, check=True).stdout.strip() for _ in range(2)]
    assert runs == ["True", "False"]  # created and migrated first; then only the cached head
    cache = json.loads((tmp_path / "home" / "cache" / "migration-head.json").read_text())
    assert cache["head"] == db.head_revision()

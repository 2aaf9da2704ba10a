"""Alembic environment: runs on the connection handed over by nightleaf.store.db.migrate."""

from alembic import context

from nightleaf.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic's own CLI is used
    from sqlalchemy import create_engine

    from nightleaf.config import database_url

    connection = create_engine(database_url()).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

"""Persistence: the only place SQL lives (SQLAlchemy 2 Core + Alembic)."""

from nightleaf.store.db import Store, open_store

__all__ = ["Store", "open_store"]

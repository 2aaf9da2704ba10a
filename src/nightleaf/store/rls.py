"""PostgreSQL row-level security for server mode (``nightleaf server init``).

Every table holding a person's rows (``tables.PERSON_TABLES``, ``sleep_stage`` included: it has
its own ``person_id`` since revision 0007) gets ``ENABLE`` and ``FORCE ROW LEVEL SECURITY``
(FORCE: the tables' owner is filtered too) and one policy: the row's ``person_id`` equals the
transaction's ``nightleaf.person_id`` setting. An unset or empty setting matches nothing, so a
job that forgot to say whose data it works on sees nothing. ``share`` and ``share_token`` also
show the one row whose token hash the transaction's ``nightleaf.share_hash`` setting names (a
share link is opened before anyone knows whose it is). The app's login role ``nightleaf_app``
has no BYPASSRLS and no UPDATE or DELETE on ``audit``.

Not filtered: ``person`` (a number and an optional name), ``account`` and ``session`` (read before
anyone is signed in; the service layer scopes them by account)."""

from __future__ import annotations

from sqlalchemy import text

from nightleaf.store import tables as t
from nightleaf.store.db import Store
from nightleaf.store.server import APP_ROLE, PERSON_GUC, SHARE_GUC

_ME = f"NULLIF(current_setting('{PERSON_GUC}', true), '')::int"


def person_tables() -> list[str]:
    """The tables filtered by ``person_id`` (the journal's and server mode's own)."""
    return [table.name for table in (*t.PERSON_TABLES, t.share_token)]


def enable_row_security(store: Store) -> None:
    """Idempotent: policies are dropped and made again, the role is made when missing."""
    with store.engine.begin() as conn:
        for name in person_tables():
            conn.execute(text(f'ALTER TABLE "{name}" ENABLE ROW LEVEL SECURITY'))
            conn.execute(text(f'ALTER TABLE "{name}" FORCE ROW LEVEL SECURITY'))
            conn.execute(text(f'DROP POLICY IF EXISTS by_person ON "{name}"'))
            conn.execute(text(f'CREATE POLICY by_person ON "{name}" USING (person_id = {_ME}) '
                              f"WITH CHECK (person_id = {_ME})"))
        for name in (t.share.name, t.share_token.name):
            conn.execute(text(f"DROP POLICY by_person ON {name}"))
            conn.execute(text(
                f"CREATE POLICY by_person ON {name} USING (person_id = {_ME} OR token_hash = "
                f"current_setting('{SHARE_GUC}', true)) WITH CHECK (person_id = {_ME})"))
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                              {"r": APP_ROLE}).first()
        if not exists:
            conn.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS "
                              "NOCREATEROLE NOCREATEDB"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}"))
        conn.execute(text("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                          f"TO {APP_ROLE}"))
        conn.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM {APP_ROLE}"))
        conn.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {APP_ROLE}"))
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}"))


def app_role_url(url: str) -> str:
    """``url`` with the app role as its user (tests, and docs' example)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=APP_ROLE).render_as_string(hide_password=False)


def current_person_rows(store: Store, table: str) -> int:
    """How many rows of ``table`` the current role sees with no person set (tests: none)."""
    with store.engine.begin() as conn:
        return int(conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())  # noqa: S608


#: the advisory lock key pair that serialises schema upgrades between workers and replicas
UPGRADE_LOCK = (7215, 0)


def upgrade_locked(store: Store) -> bool:
    """Upgrade the schema (and re-apply row-level security) unless it is at head, holding a
    PostgreSQL advisory lock so several workers starting at once do not race: the first
    upgrades, the others wait and then find nothing to do. Returns whether this call upgraded."""
    from nightleaf.store.db import head_revision, migrate

    with store.engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:a, :b)"),
                     {"a": UPGRADE_LOCK[0], "b": UPGRADE_LOCK[1]})
        conn.commit()
        try:
            if store.schema_version() == head_revision():
                return False
            migrate(store.engine)
            enable_row_security(store)
            return True
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"),
                         {"a": UPGRADE_LOCK[0], "b": UPGRADE_LOCK[1]})
            conn.commit()


def ready(store: Store) -> bool:
    """The database answers and its schema is at head."""
    from nightleaf.store.db import head_revision

    try:
        return store.schema_version() == head_revision()
    except Exception:
        return False

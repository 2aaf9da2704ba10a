"""Engines, migrations and transactions.

SQLite runs in WAL mode with foreign keys on. PostgreSQL is selected by a
``postgresql+psycopg://`` URL. The same Alembic migrations serve both.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.pool import QueuePool

from nightleaf.errors import Busy, ConfigError, Conflict, StoreError, StoreUnavailable
from nightleaf.store import tables as t

if TYPE_CHECKING:
    from nightleaf.store.repo import Repo

MIGRATIONS = Path(__file__).parent / "migrations"
#: how long a SQLite write waits for another writer's lock before it fails as :class:`Busy`
SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_MS)}")
    cur.close()


#: server mode (no pre-ping): pooled connections older than this are replaced at checkout, so
#: one the server or a proxy dropped after a quiet spell is rarely handed out at all
SERVER_POOL_RECYCLE_S = 300
#: server mode's pool per worker: each in-flight signed-in request holds one connection for its
#: whole life (:class:`HeldTx`), so it is larger than SQLAlchemy's 5 + 10
SERVER_POOL_SIZE, SERVER_POOL_OVERFLOW = 10, 15
#: connections of the pool never taken by held transactions: for transactions of their own
#: (sign-ins, a refusal's audit row, a second transaction of a request that holds one)
HELD_SPARE = 4


#: seconds libpq waits to connect (TCP and start-up) unless the URL says ``?connect_timeout=N``:
#: a server that never answers is "unreachable" in ``/readyz`` and a 503, not a hung request
CONNECT_TIMEOUT_S = 5


def make_engine(url: str, *, pre_ping: bool = True) -> Engine:
    """The engine for ``url``. ``pre_ping=False`` (server mode) skips the round trip that checks
    every pooled connection at checkout: connections are recycled after
    :data:`SERVER_POOL_RECYCLE_S`, and a connection found dead at a transaction's first statement
    is replaced and that statement retried once (:func:`begin_primed`); a dead connection later in
    a transaction is :class:`StoreUnavailable` (503)."""
    if url.startswith(("postgres://", "postgres+psycopg://")):  # Heroku-style, libpq's short name
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"cannot read the database URL {url!r}: use sqlite:///path/journal.db or "
            "postgresql://user@host:port/dbname"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        parsed, connect_args = _psycopg_args(parsed)
        if "connect_timeout" not in parsed.query:  # libpq waits for ever by default: /readyz
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S  # and requests would hang
        if pre_ping:
            return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
        return create_engine(parsed, pool_pre_ping=False, pool_recycle=SERVER_POOL_RECYCLE_S,
                             pool_size=SERVER_POOL_SIZE, max_overflow=SERVER_POOL_OVERFLOW,
                             connect_args=connect_args)
    raise ConfigError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")


def _psycopg_args(parsed: URL) -> tuple[URL, dict[str, Any]]:
    """Take ``prepare_threshold`` out of the URL's query (libpq does not know it) and hand it to
    psycopg: ``?prepare_threshold=none`` turns psycopg's automatic server-side prepared
    statements off, as PgBouncer in transaction mode needs (before 1.21 it cannot follow a
    prepared statement from one server connection to the next)."""
    query = dict(parsed.query)
    raw = query.pop("prepare_threshold", None)
    if raw is None:
        return parsed, {}
    value = raw[-1] if isinstance(raw, tuple) else raw
    if value.strip().lower() in ("none", "off", "false"):
        threshold: int | None = None
    elif value.strip().isascii() and value.strip().isdigit():
        threshold = int(value)
    else:
        raise ConfigError(f"prepare_threshold={value!r} in the database URL is neither a number "
                          "nor 'none'; use ?prepare_threshold=none behind PgBouncer")
    return parsed.set(query=query), {"prepare_threshold": threshold}


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (Alembic ``upgrade``; the newest by default).

    SQLite: foreign keys are off while the migrations run (SQLite's own procedure for schema
    changes): batch mode rebuilds a table by copying it and dropping the old one, and with
    foreign keys on that DROP deletes the children of every row first (``ON DELETE CASCADE``,
    e.g. an episode's stages). ``PRAGMA foreign_key_check`` then runs before the commit and a
    violation rolls the whole upgrade back. The pragma cannot change inside a transaction, so it
    is set on the connection before the transaction begins.
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()  # ends SQLAlchemy's autobegun (empty) transaction
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite:
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if bad:
                        raise StoreError(
                            f"the upgrade to {revision} would leave {len(bad)} rows pointing at "
                            f"rows that do not exist (first: {tuple(bad[0])}); nothing was "
                            "changed")
        finally:
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def head_revision() -> str:
    """The newest migration, as Alembic's script directory says: there is no constant to bump.

    Importing Alembic loads Mako and the DDL of every dialect, which a command that finds its
    journal up to date does not need, so the answer is remembered in a small file keyed by the
    revision files' names, sizes and times; a new or edited revision changes the key and Alembic
    is asked again.
    """
    key = _revisions_key()
    cached = _read_head_cache()
    if cached.get("key") == key and isinstance(cached.get("head"), str):
        return str(cached["head"])
    head = _head_from_alembic(key)
    _write_head_cache({"key": key, "head": head})
    return head


@cache
def _head_from_alembic(key: str) -> str:  # noqa: ARG001 - the key makes the cache entry
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    if head is None:  # pragma: no cover - the package always ships its migrations
        raise ConfigError(f"no migrations found in {MIGRATIONS}")
    return head


def _revisions_key() -> str:
    files = sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns)
                   for f in (MIGRATIONS / "versions").glob("*.py"))
    return json.dumps([str(MIGRATIONS), files])


def _head_cache_file() -> Path:
    home = os.environ.get("NIGHTLEAF_HOME")
    if home:
        return Path(home) / "cache" / "migration-head.json"
    from platformdirs import user_cache_dir

    base = Path(user_cache_dir("nightleaf", False))
    return base / "migration-head.json"


def _read_head_cache() -> dict[str, Any]:
    try:
        data = json.loads(_head_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_head_cache(data: dict[str, str]) -> None:
    """Best effort: a cache that cannot be written only means asking Alembic next time."""
    path = _head_cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


#: PostgreSQL SQLSTATEs that mean "someone else holds the lock; try again"
_PG_BUSY = frozenset({"40001", "40P01", "55P03", "57014"})  # serialization, deadlock, lock, timeout
#: SQLite's messages for the same (the write lock outlived ``busy_timeout``)
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own first line (without SQLAlchemy's SQL echo and background link)."""
    orig = getattr(exc, "orig", None)
    text_ = str(orig if orig is not None else exc).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__


def translate(exc: SQLAlchemyError) -> StoreError | Conflict:
    """The project's error for a SQLAlchemy/DBAPI error: one line, saying nothing was saved.

    * a UNIQUE/foreign-key/NOT NULL/CHECK violation -> :class:`Conflict` (409)
    * a lock held too long (SQLite "database is locked"; PostgreSQL lock timeout, deadlock,
      serialization failure) -> :class:`Busy` (503, try again)
    * a refused or lost connection -> :class:`StoreUnavailable` (503)
    * anything else -> :class:`StoreError` (500)
    """
    reason = _reason(exc)
    low = reason.lower()
    if isinstance(exc, IntegrityError):
        return Conflict(f"that conflicts with what the journal holds ({reason}); nothing was "
                        "saved")
    pgcode = getattr(getattr(exc, "orig", None), "sqlstate", None) or getattr(
        getattr(exc, "orig", None), "pgcode", None)
    if pgcode in _PG_BUSY or any(m in low for m in _SQLITE_BUSY):
        return Busy("the journal is busy: another program is writing to it. Nothing was saved; "
                    "try again in a moment")
    if isinstance(exc, DBAPIError) and (exc.connection_invalidated or _lost(low)):
        return StoreUnavailable(f"the journal database cannot be reached ({reason}); nothing "
                                "was saved. Check that it is running, then try again")
    return StoreError(f"the journal database refused the change ({reason}); nothing was saved")


def _lost(low: str) -> bool:
    return any(m in low for m in ("connection refused", "server closed the connection",
                                  "terminating connection", "could not connect",
                                  "connection is closed", "unable to open database file",
                                  "disk i/o error"))


class Store:
    """A journal database. Use :meth:`tx` for one all-or-nothing unit of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: server mode: set ``nightleaf.person_id`` (``SET LOCAL``) at the start of each
        #: transaction, which PostgreSQL row-level security reads
        self.set_person = False
        #: server mode with a streaming replica: the engine that read-only report transactions
        #: use (:meth:`read_tx`); ``None`` reads the primary
        self.read_engine: Engine | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def held_limit(self) -> int:
        """How many :class:`HeldTx` (one per in-flight server-mode request) may be open at once:
        the pool's connections less :data:`HELD_SPARE`, so a request that holds one can always
        get another, and requests waiting for a connection never hold the threads that the
        holders need to finish (the web gate waits for a slot before it takes a connection)."""
        pool = self.engine.pool
        size = pool.size() if isinstance(pool, QueuePool) else 1
        overflow = max(0, int(getattr(pool, "_max_overflow", 0)))
        return max(1, size + overflow - HELD_SPARE)

    def schema_version(self, *, replica: bool = False) -> str | None:
        """The schema's Alembic revision (None: no schema). ``replica``: as the read replica
        has it (:meth:`attach_reader`; the primary when none is attached). Raises SQLAlchemy's
        error when the database cannot be reached."""
        engine = (self.read_engine or self.engine) if replica else self.engine
        with engine.connect() as conn:
            try:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except SQLAlchemyError:
                return None

    def ensure_schema(self) -> None:
        if self.schema_version() != head_revision():
            migrate(self.engine)
        with self.engine.begin() as conn:
            if conn.execute(select(t.person.c.id).where(t.person.c.id == 1)).first() is None:
                conn.execute(t.person.insert().values(id=1, name=None,
                                                      created_at=datetime.now(UTC)))

    def _prime_person(self, person_id: int) -> Callable[[Connection], None] | None:
        if not self.set_person:
            return None

        def prime(conn: Connection) -> None:
            conn.execute(text("SELECT set_config('nightleaf.person_id', :v, true)"),
                         {"v": str(int(person_id))})
        return prime

    @contextmanager
    def tx(self, person_id: int) -> Iterator[Repo]:
        """A repository of ``person_id``'s journal bound to one transaction: committed on
        success, rolled back on error. There is no default person.

        A database error (inside the block or at commit) is rolled back and raised as the
        project's own error (:func:`translate`): callers never see SQLAlchemy's."""
        from nightleaf.store.repo import Repo

        with transaction(self.engine, self._prime_person(person_id)) as conn:
            yield Repo(conn, person_id)

    @contextmanager
    def read_tx(self, person_id: int) -> Iterator[Repo]:
        """A read-only transaction on ``person_id``'s journal, on the read replica when one is
        attached (:meth:`attach_reader`), else on the primary. Row-level security works the same
        way there (the replica is a copy of the primary, policies and roles included). A
        replica lags the primary by a moment: use this for reports, never for a check that must
        see the latest write (share links, sessions)."""
        from nightleaf.store.repo import Repo

        engine = self.read_engine or self.engine
        person = self._prime_person(person_id)

        def prime(conn: Connection) -> None:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SET TRANSACTION READ ONLY"))
            if person is not None:
                person(conn)

        with transaction(engine, prime) as conn:
            yield Repo(conn, person_id)

    def hold(self, prime: Callable[[Connection], None] | None = None) -> HeldTx:
        """A transaction on the primary held open until :meth:`HeldTx.commit` or
        :meth:`HeldTx.rollback` (server mode: one per web request)."""
        return HeldTx(self, prime)

    def attach_reader(self, url: str, *, pre_ping: bool = True) -> None:
        """Read reports from the PostgreSQL at ``url`` (a streaming replica of this store)."""
        engine = make_engine(url, pre_ping=pre_ping)
        if engine.dialect.name != "postgresql" or self.dialect != "postgresql":
            engine.dispose()
            raise ConfigError("a read replica needs PostgreSQL for both the database and the "
                              "replica (postgresql+psycopg://user@host/db)")
        try:
            with engine.connect():
                pass
        except OperationalError as exc:
            engine.dispose()
            raise ConfigError(f"cannot reach the read replica at {_safe(url)}: {_reason(exc)}"
                              ) from None
        self.read_engine = engine

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not None:
            self.read_engine.dispose()


def begin_primed(engine: Engine, prime: Callable[[Connection], None] | None = None
                 ) -> Connection:
    """A pooled connection in a new transaction whose first statements (``prime``: the person's
    setting, ``SET TRANSACTION READ ONLY``, a session look-up) have run. Without a pre-ping
    (server mode) a connection the server closed while it sat in the pool fails at that first
    statement: it is dropped (SQLAlchemy then also replaces the pool's older connections) and
    the transaction begun again once on a new connection -- nothing was done yet, so retrying is
    safe. Raises SQLAlchemy's error; callers translate it."""
    for attempt in (1, 2):
        conn = engine.connect()
        try:
            conn.begin()
            if prime is not None:
                prime(conn)
        except DBAPIError as exc:
            conn.close()
            if attempt == 2 or not exc.connection_invalidated:
                raise
            continue
        except BaseException:
            conn.close()
            raise
        return conn
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def transaction(engine: Engine, prime: Callable[[Connection], None] | None = None
                ) -> Iterator[Connection]:
    """``engine.begin()`` with :func:`begin_primed`'s retry: committed when the block ends,
    rolled back when it raises; SQLAlchemy's errors come out as the project's (:func:`translate`).
    """
    try:
        conn = begin_primed(engine, prime)
        try:
            yield conn
            conn.commit()
        finally:
            conn.close()  # rolls back what was not committed
    except SQLAlchemyError as exc:
        raise translate(exc) from exc


class HeldTx:
    """One transaction on the primary held across the parts of a server-mode web request: the
    session look-up, every ``ctx.tx()`` block of the route, and its audit row, with one
    ``BEGIN`` and one ``COMMIT`` instead of one of each per part.

    :meth:`part` lends the transaction to one block at a time (``None`` when it is closed or
    lent out already: the caller then opens a transaction of its own). A block that raises rolls
    back and closes the whole transaction: everything the request did in it is undone, so the
    "nothing was saved" of an error answer holds. Thread-safe: the parts of one request may run
    in different threads, one after the other."""

    def __init__(self, store: Store, prime: Callable[[Connection], None] | None = None) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        try:
            self._conn = begin_primed(store.engine, prime)
        except SQLAlchemyError as exc:
            raise translate(exc) from exc

    @property
    def open(self) -> bool:
        return self._conn is not None

    @contextmanager
    def part(self, *, wait: bool = False) -> Iterator[Connection | None]:
        """The held connection for one block, or ``None`` (closed, or in use by another block;
        ``wait``: wait for that block instead). Errors inside the block roll everything back
        and come out as the project's own."""
        if not self._lock.acquire(blocking=wait):
            yield None
            return
        try:
            conn = self._conn
            if conn is None:
                yield None
                return
            try:
                yield conn
            except BaseException as exc:
                self._close()
                if isinstance(exc, SQLAlchemyError):
                    raise translate(exc) from exc
                raise
        finally:
            self._lock.release()

    def commit(self) -> None:
        """Commit and close (waits for a block still running). A failed commit is rolled back
        and raised as the project's error."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            try:
                conn.commit()
            except SQLAlchemyError as exc:
                raise translate(exc) from exc
            finally:
                conn.close()

    def rollback(self) -> None:
        """Roll back and close, if still open (waits for a block still running)."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()  # rolls back
            except SQLAlchemyError:
                pass


def open_store(url: str, *, create: bool = True, pre_ping: bool = True) -> Store:
    """Open (and by default create or migrate) the journal at ``url`` (``pre_ping``: see
    :func:`make_engine`)."""
    store = Store(make_engine(url, pre_ping=pre_ping))
    try:
        if create:
            store.ensure_schema()
        else:
            with store.engine.connect():
                pass
    except OperationalError as exc:
        store.dispose()
        err = translate(exc)
        if isinstance(err, Busy):
            raise Busy(f"the journal at {_safe(url)} is busy: another program is writing to it; "
                       "try again in a moment") from None
        raise ConfigError(f"cannot open the journal at {_safe(url)}: {_reason(exc)}") from None
    except SQLAlchemyError as exc:
        store.dispose()
        raise translate(exc) from None
    return store


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable URL>"

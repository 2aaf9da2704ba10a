"""Server mode's SQL: accounts, sessions, shares, follows, the audit chain, row-level security.

Everything here runs inside :func:`server_tx`, one transaction that first sets the PostgreSQL
setting ``nightleaf.person_id`` with ``set_config(..., true)`` (``SET LOCAL``): the setting dies
with the transaction, so a PgBouncer in transaction mode never leaks one person's setting into
another's transaction. Row-level security (:func:`enable_row_security`) filters every person
table by that setting.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from nightleaf.errors import ConfigError, Conflict
from nightleaf.store import tables as t
from nightleaf.store.db import HeldTx, Store, transaction
from nightleaf.store.repo import Repo

#: the GUC that row-level security reads; 0 means "no person" (sign-in, health checks)
PERSON_GUC = "nightleaf.person_id"
#: the GUC that lets a transaction see the one share a presented token names
SHARE_GUC = "nightleaf.share_hash"
#: the role the web app connects as in server mode: no BYPASSRLS, not the tables' owner
APP_ROLE = "nightleaf_app"
GENESIS = "0" * 64


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    password_hash: str
    role: str
    person_id: int | None
    created_at: datetime
    password_changed_at: datetime


@dataclass(frozen=True)
class SessionRow:
    id_hash: str
    account_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    ip: str | None
    user_agent: str | None


@dataclass(frozen=True)
class ShareRow:
    person_id: int
    id: str
    token_hash: str
    scope: str
    period_start: date | None
    period_end: date | None
    label: str | None
    expires_at: datetime
    max_uses: int | None
    uses: int
    revoked_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class AuditRow:
    person_id: int
    seq: int
    at: datetime
    actor_id: int | None
    action: str
    object: str
    count: int
    via: str
    share_id: str | None
    ip: str | None
    outcome: str
    prev_hash: str
    hash: str


def audit_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous row's hash and this row's fields (canonical JSON)."""
    body = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


#: built once: the first statement of every signed-in request
_SESSION_ACCOUNT = (select(t.session, t.account)
                    .join(t.account, t.account.c.id == t.session.c.account_id)
                    .where(t.session.c.id_hash == bindparam("id_hash")))


#: the audit chain's two statements per appended row, built once
_AUDIT_LAST = (select(t.audit.c.seq, t.audit.c.hash)
               .where(t.audit.c.person_id == bindparam("person_id_1"))
               .order_by(t.audit.c.seq.desc()).limit(1))
_AUDIT_INSERT = insert(t.audit)


class ServerRepo:
    """Server-mode reads and writes on one transaction; ``person_id`` is the GUC's person."""

    def __init__(self, conn: Connection, person_id: int) -> None:
        self.conn = conn
        self.person_id = person_id

    def journal(self, person_id: int | None = None) -> Repo:
        """The journal repository on this transaction (another person id only in RLS tests)."""
        return Repo(self.conn, self.person_id if person_id is None else person_id)

    # -- accounts ---------------------------------------------------------------------------------
    def new_person(self, now: datetime) -> int:
        pid = self.conn.execute(insert(t.person).values(name=None, created_at=now)
                                ).inserted_primary_key
        assert pid is not None
        return int(pid[0])

    def add_account(self, *, email: str, password_hash: str, role: str, person_id: int | None,
                    now: datetime) -> int:
        try:
            with self.conn.begin_nested():
                res = self.conn.execute(insert(t.account).values(
                    email=email, password_hash=password_hash, role=role, person_id=person_id,
                    created_at=now, password_changed_at=now))
        except IntegrityError:
            raise Conflict(f"an account for {email} already exists; nothing was saved",
                           field="email") from None
        key = res.inserted_primary_key
        assert key is not None
        return int(key[0])

    def account_by_email(self, email: str) -> Account | None:
        row = self.conn.execute(select(t.account).where(t.account.c.email == email)).first()
        return Account(**row._mapping) if row else None

    def account(self, account_id: int) -> Account | None:
        row = self.conn.execute(select(t.account).where(t.account.c.id == account_id)).first()
        return Account(**row._mapping) if row else None

    def set_password(self, account_id: int, password_hash: str, now: datetime) -> None:
        self.conn.execute(update(t.account).where(t.account.c.id == account_id).values(
            password_hash=password_hash, password_changed_at=now))

    # -- sessions ---------------------------------------------------------------------------------
    def add_session(self, *, id_hash: str, account_id: int, now: datetime, expires_at: datetime,
                    ip: str | None, user_agent: str | None) -> None:
        self.conn.execute(insert(t.session).values(
            id_hash=id_hash, account_id=account_id, created_at=now, last_seen_at=now,
            expires_at=expires_at, revoked_at=None, ip=ip,
            user_agent=(user_agent or "")[:300] or None))

    def session(self, id_hash: str) -> SessionRow | None:
        row = self.conn.execute(select(t.session).where(t.session.c.id_hash == id_hash)).first()
        return SessionRow(**row._mapping) if row else None

    def session_account(self, id_hash: str) -> tuple[SessionRow, Account] | None:
        """The session with this hash and its account, in one statement (every signed-in
        request starts with it)."""
        row = self.conn.execute(_SESSION_ACCOUNT, {"id_hash": id_hash}).first()
        if row is None:
            return None
        n = len(t.session.c)
        return (SessionRow(**{c.name: v for c, v in zip(t.session.c, row[:n], strict=True)}),
                Account(**{c.name: v for c, v in zip(t.account.c, row[n:], strict=True)}))

    def touch_session(self, id_hash: str, now: datetime) -> None:
        self.conn.execute(update(t.session).where(t.session.c.id_hash == id_hash)
                          .values(last_seen_at=now))

    def revoke_session(self, id_hash: str, now: datetime) -> bool:
        res = self.conn.execute(update(t.session).where(and_(
            t.session.c.id_hash == id_hash, t.session.c.revoked_at.is_(None)))
            .values(revoked_at=now))
        return bool(res.rowcount)

    def revoke_sessions(self, account_id: int, now: datetime, *,
                        keep: str | None = None) -> int:
        cond = and_(t.session.c.account_id == account_id, t.session.c.revoked_at.is_(None))
        if keep is not None:
            cond = and_(cond, t.session.c.id_hash != keep)
        return int(self.conn.execute(update(t.session).where(cond)
                                     .values(revoked_at=now)).rowcount)

    def sessions(self, account_id: int, now: datetime) -> list[SessionRow]:
        rows = self.conn.execute(select(t.session).where(and_(
            t.session.c.account_id == account_id, t.session.c.revoked_at.is_(None),
            t.session.c.expires_at > now)).order_by(t.session.c.created_at.desc()))
        return [SessionRow(**r._mapping) for r in rows]

    # -- shares and follows -----------------------------------------------------------------------
    def add_share(self, row: ShareRow) -> None:
        """The share, and its token hash in ``share_token`` (whose link a hash is: the lookup a
        share link starts with, before anyone knows the person)."""
        self.conn.execute(insert(t.share).values(**row.__dict__))
        self.conn.execute(insert(t.share_token).values(
            token_hash=row.token_hash, person_id=row.person_id, share_id=row.id))

    def shares(self) -> list[ShareRow]:
        rows = self.conn.execute(select(t.share).where(t.share.c.person_id == self.person_id)
                                 .order_by(t.share.c.created_at.desc()))
        return [ShareRow(**r._mapping) for r in rows]

    def share_by_hash(self, digest: str) -> ShareRow | None:
        """The share with this token hash: ``share_token`` names its person and id, then the
        share is read by its key ``(person_id, id)`` (one shard under Citus). Row-level security
        shows both rows only when the transaction's ``nightleaf.share_hash`` setting names the
        hash (see :func:`share_tx`)."""
        key = self.conn.execute(select(t.share_token.c.person_id, t.share_token.c.share_id)
                                .where(t.share_token.c.token_hash == digest)).first()
        if key is None:
            return None
        row = self.conn.execute(select(t.share).where(
            t.share.c.person_id == key.person_id, t.share.c.id == key.share_id,
            t.share.c.token_hash == digest)).first()
        return ShareRow(**row._mapping) if row else None

    def use_share(self, person_id: int, share_id: str) -> None:
        self.conn.execute(update(t.share).where(and_(
            t.share.c.person_id == person_id, t.share.c.id == share_id))
            .values(uses=t.share.c.uses + 1))

    def revoke_share(self, share_id: str, now: datetime) -> bool:
        res = self.conn.execute(update(t.share).where(and_(
            t.share.c.person_id == self.person_id, t.share.c.id == share_id,
            t.share.c.revoked_at.is_(None))).values(revoked_at=now))
        return bool(res.rowcount)

    def follow(self, clinician_id: int, now: datetime) -> None:
        found = self.conn.execute(select(t.follow.c.clinician_id).where(and_(
            t.follow.c.person_id == self.person_id, t.follow.c.clinician_id == clinician_id))
        ).first()
        if found:
            self.conn.execute(update(t.follow).where(and_(
                t.follow.c.person_id == self.person_id, t.follow.c.clinician_id == clinician_id))
                .values(created_at=now, revoked_at=None))
        else:
            self.conn.execute(insert(t.follow).values(person_id=self.person_id,
                                                      clinician_id=clinician_id, created_at=now,
                                                      revoked_at=None))

    def end_follow(self, clinician_id: int, now: datetime) -> bool:
        res = self.conn.execute(update(t.follow).where(and_(
            t.follow.c.person_id == self.person_id, t.follow.c.clinician_id == clinician_id,
            t.follow.c.revoked_at.is_(None))).values(revoked_at=now))
        return bool(res.rowcount)

    def follows(self) -> list[tuple[int, str, datetime]]:
        rows = self.conn.execute(
            select(t.follow.c.clinician_id, t.account.c.email, t.follow.c.created_at)
            .join(t.account, t.account.c.id == t.follow.c.clinician_id)
            .where(t.follow.c.person_id == self.person_id, t.follow.c.revoked_at.is_(None)))
        return [(int(r[0]), str(r[1]), r[2]) for r in rows]

    def is_followed_by(self, clinician_id: int) -> bool:
        return self.conn.execute(select(t.follow.c.person_id).where(and_(
            t.follow.c.person_id == self.person_id, t.follow.c.clinician_id == clinician_id,
            t.follow.c.revoked_at.is_(None)))).first() is not None

    # -- audit ------------------------------------------------------------------------------------
    def append_audit(self, *, person_id: int, at: datetime, actor_id: int | None, action: str,
                     obj: str, count: int, via: str, share_id: str | None, ip: str | None,
                     outcome: str) -> AuditRow:
        """Append one row to ``person_id``'s chain. A transaction-scoped advisory lock on the
        person orders concurrent appends, so the chain never forks."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(text("SELECT pg_advisory_xact_lock(7215, :p)"), {"p": person_id})
        last = self.conn.execute(_AUDIT_LAST, {"person_id_1": person_id}).first()
        seq, prev = (int(last.seq) + 1, str(last.hash)) if last else (1, GENESIS)
        at = at.astimezone(UTC)  # hashed as stored
        fields: dict[str, Any] = {
            "person_id": person_id, "seq": seq, "at": at.isoformat(), "actor_id": actor_id,
            "action": action, "object": obj[:200], "count": count, "via": via,
            "share_id": share_id, "ip": ip, "outcome": outcome}
        digest = audit_hash(prev, fields)
        values = {**fields, "at": at, "prev_hash": prev, "hash": digest}
        self.conn.execute(_AUDIT_INSERT, values)
        return AuditRow(**values)

    def audit_rows(self, person_id: int, *, limit: int = 200) -> list[AuditRow]:
        rows = self.conn.execute(select(t.audit).where(t.audit.c.person_id == person_id)
                                 .order_by(t.audit.c.seq.desc()).limit(limit))
        return [AuditRow(**r._mapping) for r in rows]

    def sign_ins_since(self, person_id: int, since: datetime, *, actor_id: int | None = None,
                       ip: str | None = None,
                       limit: int = 500) -> list[tuple[datetime, str, str | None]]:
        """``(at, outcome, ip)`` of the sign-in attempts in ``person_id``'s audit rows since
        ``since``, newest first: of account ``actor_id`` (None: of no account, i.e. unknown
        emails) and, when given, from address ``ip``. The shared record sign-in backoff counts
        (every worker writes these rows, so every worker sees all of them)."""
        c = t.audit.c
        cond = [c.person_id == person_id, c.action == "sign_in", c.at >= since,
                c.actor_id == actor_id if actor_id is not None else c.actor_id.is_(None)]
        if ip is not None:
            cond.append(c.ip == ip)
        rows = self.conn.execute(select(c.at, c.outcome, c.ip).where(and_(*cond))
                                 .order_by(c.seq.desc()).limit(limit))
        return [(r.at, r.outcome, r.ip) for r in rows]

    def audit_count(self, person_id: int) -> int:
        return int(self.conn.execute(select(func.count()).select_from(t.audit)
                                     .where(t.audit.c.person_id == person_id)).scalar_one())


def prime_person(person_id: int) -> Callable[[Connection], None]:
    """The first statement of a server-mode transaction: ``nightleaf.person_id`` (``SET LOCAL``)."""
    def prime(conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT set_config(:k, :v, true)"),
                         {"k": PERSON_GUC, "v": str(int(person_id))})
    return prime


def hold_session(store: Store, id_hash: str
                 ) -> tuple[HeldTx, tuple[SessionRow, Account] | None]:
    """A held transaction (:class:`~nightleaf.store.db.HeldTx`) whose first statement looked up
    the session with this hash and its account (``session`` and ``account`` are not filtered by
    person, so no person setting comes first)."""
    found: list[tuple[SessionRow, Account] | None] = []

    def look_up(conn: Connection) -> None:
        found[:] = [ServerRepo(conn, 0).session_account(id_hash)]

    held = store.hold(look_up)
    return held, found[0] if found else None


@contextmanager
def server_tx(store: Store, person_id: int) -> Iterator[ServerRepo]:
    """One transaction as ``person_id`` (0: nobody yet). On PostgreSQL the person is set with
    ``set_config('nightleaf.person_id', ..., true)`` first, which row-level security reads."""
    with transaction(store.engine, prime_person(person_id)) as conn:
        yield ServerRepo(conn, person_id)


def require_postgresql(store: Store) -> None:
    if store.dialect != "postgresql":
        raise ConfigError("server mode needs PostgreSQL (postgresql+psycopg://user@host/db); "
                          "SQLite serves one person on this machine only")


@contextmanager
def share_tx(store: Store, digest: str) -> Iterator[ServerRepo]:
    """A transaction that may see exactly the share whose token hashes to ``digest`` (and no
    person's data): the share policy also matches ``nightleaf.share_hash``."""
    def prime(conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT set_config(:k, '0', true), set_config(:s, :v, true)"),
                         {"k": PERSON_GUC, "s": SHARE_GUC, "v": digest})

    with transaction(store.engine, prime) as conn:
        yield ServerRepo(conn, 0)

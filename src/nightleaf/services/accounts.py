"""Server mode's accounts and sessions: passwords (pwdlib + Argon2id), sign-in, timeouts.

Session ids are 256-bit ``secrets`` tokens; only their SHA-256 is stored, so a copy of the
database hands out no live session. Every sign-in makes a new id (no fixation), sign-out and a
password change end sessions server-side, and each session has an idle and an absolute timeout.
"""

from __future__ import annotations

import gzip
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from nightleaf.errors import ConfigError, InputError, NightleafError, NotFound
from nightleaf.services.audit import Actor, record
from nightleaf.store import Store, open_store
from nightleaf.store.db import migrate
from nightleaf.store.server import Account as Account  # re-exported for the web
from nightleaf.store.server import (
    SessionRow,
    hold_session,
    prime_person,
    require_postgresql,
    server_tx,
)
from nightleaf.store.tables import ROLES

if TYPE_CHECKING:
    from pwdlib import PasswordHash

    from nightleaf.store.db import HeldTx

MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing a megabyte per request would be a cheap denial of service
IDLE_TIMEOUT = timedelta(minutes=60)
ABSOLUTE_TIMEOUT = timedelta(hours=24)
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt.gz"
#: the object of the row a failed sign-in on a known account also leaves in person 0's audit
#: chain (which account is in that account's own row): the per-address backoff counts these
#: with the failures on unknown emails, across every worker
KNOWN_ACCOUNT = "known account"


class NotSignedIn(NightleafError):
    """No valid session (or share link): sign in again."""

    status_code = 401


class Refused(NightleafError):
    status_code = 403


@cache
def _hasher() -> PasswordHash:
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    return PasswordHash((Argon2Hasher(),))


@cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so timing does not tell who has an account."""
    return _hasher().hash(secrets.token_urlsafe(16))


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip().lower() for line in fh if line.strip())


def check_password(password: str, *, email: str | None = None) -> None:
    """Refuse a password that is too short, too long, common, or the email itself."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password needs at least {MIN_PASSWORD} characters; a phrase of a "
                         "few words is easy to remember", field="password", code="too_short")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"the password may have at most {MAX_PASSWORD} characters",
                         field="password", code="too_long")
    low = password.lower()
    if low in common_passwords() or (email and low == email.lower()):
        raise InputError("that password is on a list of common, breached passwords; choose "
                         "another", field="password", code="common")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    if len(password) > MAX_PASSWORD:
        return False
    return bool(_hasher().verify(password, password_hash))


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in email) or len(email) > 320:
        raise InputError(f"{raw.strip()!r} is not an email address", field="email",
                         code="invalid")
    return email


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- setting up the server -----------------------------------------------------------------------
def open_server_store(url: str) -> Store:
    """The server's database, refusing SQLite with one line (before creating anything)."""
    if url.strip().lower().startswith("sqlite"):
        raise ConfigError("server mode needs PostgreSQL (postgresql+psycopg://user@host/db); "
                          "SQLite serves one person on this machine only")
    store = open_store(url, create=False, pre_ping=False)
    require_postgresql(store)
    return store


def init_server(url: str) -> Store:
    """Bring the server database to the newest schema (``nightleaf server init``)."""
    from nightleaf.store.rls import enable_row_security

    store = open_server_store(url)
    migrate(store.engine)
    enable_row_security(store)
    return store


def add_user(store: Store, email: str, password: str, *, role: str, now: datetime) -> Account:
    """A new account; a ``person`` gets their own (empty) journal."""
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}", field="role")
    email = normalize_email(email)
    check_password(password, email=email)
    hashed = hash_password(password)
    with server_tx(store, 0) as srv:
        person_id = srv.new_person(now) if role == "person" else None
        account_id = srv.add_account(email=email, password_hash=hashed, role=role,
                                     person_id=person_id, now=now)
        acc = srv.account(account_id)
    assert acc is not None
    return acc


def reset_password(store: Store, email: str, password: str, *, now: datetime) -> int:
    """An administrator sets a new password; every session of that account ends. Returns how
    many sessions ended."""
    email = normalize_email(email)
    check_password(password, email=email)
    hashed = hash_password(password)
    with server_tx(store, 0) as srv:
        acc = srv.account_by_email(email)
        if acc is None:
            raise NotFound(f"no account for {email}", field="email")
        srv.set_password(acc.id, hashed, now)
        return srv.revoke_sessions(acc.id, now)


def change_password(store: Store, account_id: int, current: str, new: str, *, now: datetime,
                    keep_session: str | None) -> int:
    """The signed-in person changes their password; their *other* sessions end."""
    with server_tx(store, 0) as srv:
        acc = srv.account(account_id)
    if acc is None or not verify_password(current, acc.password_hash):
        raise InputError("the current password is not right; nothing was changed",
                         field="current_password", code="wrong")
    check_password(new, email=acc.email)
    hashed = hash_password(new)
    with server_tx(store, 0) as srv:
        srv.set_password(acc.id, hashed, now)
        return srv.revoke_sessions(acc.id, now, keep=keep_session)


# -- sessions ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignedIn:
    account: Account
    session_hash: str


def sign_in(store: Store, email: str, password: str, *, now: datetime, ip: str | None,
            user_agent: str | None) -> tuple[str, Account]:
    """A brand-new session token for a right email and password (``NotSignedIn`` otherwise,
    with the same words whether the email or the password was wrong)."""
    try:
        email = normalize_email(email)
    except InputError:
        email = ""
    with server_tx(store, 0) as srv:
        acc = srv.account_by_email(email) if email else None
    ok = verify_password(password, acc.password_hash if acc else _dummy_hash())
    if acc is None or not ok:
        record(store, acc.person_id or 0 if acc else 0,
               Actor(acc.id if acc else None, "anonymous", ip), action="sign_in",
               obj="account" if acc else "unknown account", outcome="failed", at=now)
        if acc is not None:  # and in nobody's chain, which every worker counts per address
            record(store, 0, Actor(None, "anonymous", ip), action="sign_in",
                   obj=KNOWN_ACCOUNT, outcome="failed", at=now)
        raise NotSignedIn("that email and password do not match an account")
    token = secrets.token_urlsafe(32)
    with server_tx(store, acc.person_id or 0) as srv:
        srv.add_session(id_hash=token_hash(token), account_id=acc.id, now=now,
                        expires_at=now + ABSOLUTE_TIMEOUT, ip=ip, user_agent=user_agent)
        srv.append_audit(person_id=acc.person_id or 0, at=now, actor_id=acc.id,
                         action="sign_in", obj="session", count=0, via="session", share_id=None,
                         ip=ip, outcome="ok")
    return token, acc


def resolve_session(store: Store, token: str | None, *, now: datetime) -> SignedIn | None:
    """The account behind a session cookie, or None (unknown, revoked, idle or past its end)."""
    if not token or len(token) > 200:
        return None
    digest = token_hash(token)
    with server_tx(store, 0) as srv:
        row = srv.session(digest)
        if row is None or not session_alive(row, now):
            return None
        acc = srv.account(row.account_id)
        if acc is None:
            return None
        if now - row.last_seen_at > timedelta(seconds=30):  # spare a write per request
            srv.touch_session(digest, now)
    return SignedIn(acc, digest)


@dataclass(frozen=True)
class OpenedRequest:
    """What :func:`open_request` found: the signed-in account (None: nobody), the request's
    held transaction (a person's account only) and the session's ``last_seen_at`` update to
    make once that transaction has ended (None: not due)."""

    signed: SignedIn | None
    held: HeldTx | None = None
    touch: Callable[[], None] | None = None


def open_request(store: Store, token: str | None, *, now: datetime) -> OpenedRequest:
    """The start of a signed-in web request: the account behind the session cookie (as
    :func:`resolve_session`) and, when it keeps a journal, the request's transaction, left open
    with ``nightleaf.person_id`` set to that person, for the route's reads and writes and the
    audit row (see :class:`nightleaf.services.context.RequestTx`). The session look-up is that
    transaction's first statement (``session`` and ``account`` are not filtered by person), so a
    request costs one ``BEGIN`` and one ``COMMIT``.

    The session's ``last_seen_at`` (updated at most every 30 s) is left to the caller, for
    after the held transaction: a request that ends its own session (sign-out, revoking it)
    updates that row in another transaction, which must not wait for the held one."""
    if not token or len(token) > 200:
        return OpenedRequest(None)
    digest = token_hash(token)
    held, pair = hold_session(store, digest)
    try:
        if pair is None or not session_alive(pair[0], now):
            held.rollback()
            return OpenedRequest(None)
        row, acc = pair
        touch = None
        if now - row.last_seen_at > timedelta(seconds=30):  # spare a write per request
            def touch() -> None:
                with server_tx(store, 0) as srv:
                    srv.touch_session(digest, now)
        signed = SignedIn(acc, digest)
        if not acc.person_id:
            held.commit()
            if touch is not None:
                touch()
            return OpenedRequest(signed)
        with held.part() as conn:
            assert conn is not None  # nobody else has it yet
            prime_person(acc.person_id)(conn)
        return OpenedRequest(signed, held, touch)
    except BaseException:
        held.rollback()
        raise


def session_alive(row: SessionRow, now: datetime) -> bool:
    return (row.revoked_at is None and now < row.expires_at
            and now - row.last_seen_at < IDLE_TIMEOUT)


def sign_out(store: Store, session_hash: str, *, now: datetime) -> None:
    with server_tx(store, 0) as srv:
        srv.revoke_session(session_hash, now)


def list_sessions(store: Store, account_id: int, *, now: datetime) -> list[SessionRow]:
    with server_tx(store, 0) as srv:
        return [s for s in srv.sessions(account_id, now) if session_alive(s, now)]


def revoke_session(store: Store, account_id: int, session_id: str, *, now: datetime) -> None:
    """End one of the account's own sessions, named by its public id (the hash's first 16)."""
    with server_tx(store, 0) as srv:
        for s in srv.sessions(account_id, now):
            if s.id_hash[:16] == session_id:
                srv.revoke_session(s.id_hash, now)
                return
    raise NotFound(f"no session {session_id!r} of yours is open")

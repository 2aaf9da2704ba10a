"""The context of a use case: which journal, which person, and what time it is."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from nightleaf.config import database_url
from nightleaf.errors import InputError, NightleafError
from nightleaf.model.entities import Profile
from nightleaf.store import Store, open_store
from nightleaf.store.repo import Repo

if TYPE_CHECKING:
    from nightleaf.store.db import HeldTx


log = logging.getLogger("nightleaf.server")


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    store: Store
    clock: Callable[[], datetime] = field(default=_utcnow)
    person_id: int = 1
    #: server mode: called with the repository at the end of every transaction, before commit
    #: (the audit row goes into the same transaction: if it cannot be written, nothing is)
    on_commit: Callable[[Repo], None] | None = None
    #: reports: read in read-only transactions, from the read replica when the store has one
    #: (:meth:`reader`)
    read_only: bool = False

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def tx(self) -> Iterator[Repo]:
        """One transaction on this person's journal (``Store.tx`` scoped to ``person_id``).

        In a server-mode request (:class:`RequestTx`) the block joins the request's
        transaction instead, and the request writes one audit row for all its blocks, just
        before it answers."""
        shared = _REQUEST.get()
        if shared is not None and not shared.serves(self):
            shared = None
        if self.read_only:
            with self.store.read_tx(self.person_id) as repo:
                yield repo
            if shared is not None and shared.owe():  # written with the request's commit
                return
            if self.on_commit is not None:  # the audit row: on the primary, before answering
                with self.store.tx(self.person_id) as primary:
                    self.on_commit(primary)
            return
        if shared is not None:
            with shared.held.part() as conn:
                if conn is not None:
                    yield Repo(conn, self.person_id)
                    shared.owe()
                    return
            # closed (a block failed, or the request has answered) or lent out: a transaction
            # of its own, with its own audit row, as outside a request
        with self.store.tx(self.person_id) as repo:
            yield repo
            if self.on_commit is not None:
                self.on_commit(repo)

    def reader(self) -> Context:
        """This context for a report: read-only transactions, on the store's read replica when
        it has one (a moment behind the primary). The audit hook still writes on the primary."""
        return replace(self, read_only=True)

    def profile(self) -> Profile:
        """The saved profile, or a default one (system zone) when none is saved yet."""
        with self.tx() as repo:
            p = repo.profile()
        return p if p is not None else default_profile()

    def has_profile(self) -> bool:
        with self.tx() as repo:
            return repo.profile() is not None


@dataclass(eq=False)
class RequestTx:
    """The transaction of one signed-in server-mode web request
    (:func:`nightleaf.services.accounts.open_request` opens it with the session look-up;
    :class:`nightleaf.web.auth.SessionGate` makes it current with :func:`in_request` and calls
    :meth:`finish` just before the answer leaves).

    Every ``ctx.tx()`` block of the request's context joins it: one ``BEGIN``, one person
    setting and one ``COMMIT`` per request instead of one of each per block, and **one audit
    row** per request (actor, person, read or write by the method, the path), appended in the
    same transaction just before the commit. The audit contract holds as before: a request that
    read or wrote the person's data leaves its row, and if the row (or the commit) cannot be
    written, :meth:`finish` raises, nothing the request did is kept and the answer is an error.

    A block that raises rolls the whole request back (its earlier blocks too: an error answer's
    "nothing was saved" holds); later blocks then run in transactions of their own, each with its
    audit row, as do blocks after the answer (a streamed body) and blocks in other threads
    (background jobs: they do not see this request's context variable)."""

    held: HeldTx
    person_id: int
    #: the request context's ``on_commit`` hook (its audit row)
    audit: Callable[[Repo], None]
    #: the session's ``last_seen_at`` update, made after the transaction (see ``open_request``)
    touch: Callable[[], None] | None = None
    #: a block read or wrote the person's data: the audit row is due
    owed: bool = False
    finished: bool = False

    def serves(self, ctx: Context) -> bool:
        return (ctx.store is self.held.store and ctx.person_id == self.person_id
                and ctx.on_commit is self.audit)

    def owe(self) -> bool:
        """Note that the audit row is due; False when the request has answered already (the
        caller then writes its own row)."""
        if self.finished:
            return False
        self.owed = True
        return True

    def finish(self, refused: Callable[[Repo], None] | None = None) -> None:
        """Before answering: the audit row when due (and ``refused``, the row of a refusal),
        then commit. When a failing block has rolled the transaction back, the rows get a
        transaction of their own. Raises the store's error if a row or the commit fails (the
        transaction is then rolled back)."""
        self.finished = True
        rows = ([self.audit] if self.owed else []) + ([refused] if refused else [])
        wrote = False
        with self.held.part(wait=True) as conn:
            if conn is not None:
                repo = Repo(conn, self.person_id)
                for row in rows:
                    row(repo)
                wrote = True
        if wrote:
            self.held.commit()
        else:
            for row in rows:
                with self.held.store.tx(self.person_id) as repo:
                    row(repo)
        self._touch()

    def abandon(self) -> None:
        """The request ended without an answer passing the gate (an unexpected error): roll
        back whatever is still open."""
        self.finished = True
        self.held.rollback()
        self._touch()

    def _touch(self) -> None:
        touch, self.touch = self.touch, None
        if touch is None:
            return
        try:
            touch()
        except NightleafError:  # the next request tries again; the answer does not depend on it
            log.warning("could not update a session's last use", exc_info=True)


_REQUEST: ContextVar[RequestTx | None] = ContextVar("nightleaf_request_tx", default=None)


@contextmanager
def in_request(rt: RequestTx) -> Iterator[RequestTx]:
    """Make ``rt`` the current request's transaction (a context variable: the request's task
    and the threads its sync routes run in see it; threads it starts do not)."""
    token = _REQUEST.set(rt)
    try:
        yield rt
    finally:
        _REQUEST.reset(token)


def clock_from_env() -> Callable[[], datetime] | None:
    """``NIGHTLEAF_NOW`` (an ISO 8601 instant with offset) pins the clock, for scripts and tests."""
    raw = os.environ.get("NIGHTLEAF_NOW")
    if not raw:
        return None
    try:
        pinned = datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(f"NIGHTLEAF_NOW={raw!r} is not an ISO 8601 instant") from None
    if pinned.tzinfo is None:
        raise InputError("NIGHTLEAF_NOW needs a UTC offset, e.g. 2026-11-24T21:30:00+01:00")
    fixed = pinned.astimezone(UTC)
    return lambda: fixed


def open_context(url: str | None = None, *, clock: Callable[[], datetime] | None = None) -> Context:
    """Open the journal (``url``, else NIGHTLEAF_DATABASE_URL, else the default SQLite file)."""
    pinned = clock or clock_from_env()
    store = open_store(database_url(url))
    return Context(store=store, clock=pinned or _utcnow)


def system_zone() -> str:
    """The machine's IANA zone (TZ, then /etc/localtime), or UTC when it cannot be told."""
    from zoneinfo import ZoneInfo

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = Path("/etc/localtime").resolve()
        if "zoneinfo" in target.parts:
            candidates.append("/".join(target.parts[target.parts.index("zoneinfo") + 1:]))
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text().strip())
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                ZoneInfo(name)
                return name
            except (ValueError, KeyError, OSError):
                continue
    return "UTC"


def default_profile() -> Profile:
    return Profile(tz=system_zone())

"""The context of a use case: which journal, which person, and what time it is."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from nightleaf.config import database_url
from nightleaf.errors import InputError
from nightleaf.model.entities import Profile
from nightleaf.store import Store, open_store
from nightleaf.store.repo import Repo


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
        """One transaction on this person's journal (``Store.tx`` scoped to ``person_id``)."""
        if self.read_only:
            with self.store.read_tx(self.person_id) as repo:
                yield repo
            if self.on_commit is not None:  # the audit row: on the primary, before answering
                with self.store.tx(self.person_id) as primary:
                    self.on_commit(primary)
            return
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

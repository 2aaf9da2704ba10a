"""Throttling for server mode: sign-in backoff and a per-address rate limit (429 + Retry-After).

Sign-in failures are counted per (account, address), per address, and per account from all
addresses. Past a free allowance each further failure doubles the wait, up to a cap; the cap of
the account-wide counter is short (a minute), so someone failing on purpose against a person's
email from many addresses slows that account down but can never lock its owner out. A success
clears the (account, address) counter.

:class:`SignInThrottle` counts in the process. Server mode uses :class:`SharedSignInThrottle`,
which also counts from the audit trail: every failed sign-in already leaves a row there,
written by whichever worker answered, so every worker of every machine sees the same failures
and the backoff holds across them, with no table of its own. A failure on a known account leaves
its row in the account's person's chain (counted per account and per (account, address)) and a
second one, naming no account, in person 0's chain, where failures on unknown emails go too: the
per-address count over person 0's rows therefore covers every account, known or not, across
workers. (Row-level security keeps each person's rows apart, so the per-address count could not
be read from the persons' own chains.)
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from nightleaf.errors import InputError, NightleafError
from nightleaf.store import Store


class TooManyRequests(NightleafError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class _Count:
    failures: int = 0
    until: float = 0.0
    last: float = 0.0


@dataclass
class Backoff:
    """Exponential backoff after ``free`` failures: 1 s, 2 s, 4 s ... up to ``cap`` seconds."""

    free: int
    cap: float
    forget_after: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    _counts: dict[str, _Count] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, key: str) -> float:
        with self._lock:
            c = self._counts.get(key)
            now = self.clock()
            if c is None or now - c.last > self.forget_after:
                return 0.0
            return max(0.0, c.until - now)

    def fail(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            c = self._counts.get(key)
            if c is None or now - c.last > self.forget_after:
                c = self._counts[key] = _Count()
            c.failures += 1
            c.last = now
            extra = c.failures - self.free
            if extra > 0:
                c.until = now + min(self.cap, 2.0 ** (extra - 1))
            if len(self._counts) > 100_000:  # bounded memory under a flood of addresses
                self._counts.pop(next(iter(self._counts)))

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


@dataclass
class SignInThrottle:
    pair: Backoff = field(default_factory=lambda: Backoff(free=5, cap=900))
    address: Backoff = field(default_factory=lambda: Backoff(free=20, cap=900))
    account: Backoff = field(default_factory=lambda: Backoff(free=20, cap=60))

    def check(self, email: str, ip: str | None) -> None:
        e, a = email.strip().lower(), ip or "?"
        wait = max(self.pair.wait(f"{e}|{a}"), self.address.wait(a), self.account.wait(e))
        if wait > 0:
            raise TooManyRequests("too many sign-in attempts; wait a moment and try again",
                                  retry_after=max(1, math.ceil(wait)))

    def failed(self, email: str, ip: str | None) -> None:
        e, a = email.strip().lower(), ip or "?"
        self.pair.fail(f"{e}|{a}")
        self.address.fail(a)
        self.account.fail(e)

    def succeeded(self, email: str, ip: str | None) -> None:
        self.pair.clear(f"{email.strip().lower()}|{ip or '?'}")


def wait_after(failures: list[datetime], now: datetime, *, free: int, cap: float) -> float:
    """Seconds still to wait after ``failures`` (newest first), as :class:`Backoff` counts: the
    newest failure, the ``n``-th, holds the next attempt for ``min(cap, 2 ** (n - free - 1))``."""
    extra = len(failures) - free
    if extra <= 0:
        return 0.0
    until = failures[0] + timedelta(seconds=min(cap, 2.0 ** (extra - 1)))
    return max(0.0, (until - now).total_seconds())


@dataclass
class SharedSignInThrottle:
    """The sign-in backoff of server mode: this worker's counters, and the failures every worker
    recorded in the audit trail in the last hour (the larger wait wins). Limits as in
    :class:`SignInThrottle`: (account, address) 5 free then up to 15 min; account from anywhere
    20 free then at most a minute (an attacker cannot lock the owner out); per address, over
    all accounts known or not, 20 free then up to 15 min (it holds back only that address). A
    success clears the (account, address) count."""

    store: Store
    clock: Callable[[], datetime]
    local: SignInThrottle = field(default_factory=SignInThrottle)
    window: timedelta = timedelta(hours=1)

    def shared_wait(self, email: str, ip: str | None) -> float:
        from nightleaf.services.accounts import normalize_email
        from nightleaf.store.server import server_tx

        now = self.clock()
        since = now - self.window
        try:
            address = normalize_email(email)
        except InputError:
            address = ""
        with server_tx(self.store, 0) as srv:
            account = srv.account_by_email(address) if address else None
            # person 0's rows: failures on unknown emails, and on known accounts (no account
            # named), from this address, whichever worker recorded them
            rows = srv.sign_ins_since(0, since, ip=ip)
        by_address = wait_after([at for at, outcome, _ in rows if outcome == "failed"], now,
                                free=self.local.address.free, cap=self.local.address.cap)
        if account is None:
            return by_address
        with server_tx(self.store, account.person_id or 0) as srv:
            rows = srv.sign_ins_since(account.person_id or 0, since, actor_id=account.id)
        failed = [at for at, outcome, _ in rows if outcome == "failed"]
        pair: list[datetime] = []
        for at, outcome, where in rows:  # newest first: the failures since the last success
            if where == ip:
                if outcome == "ok":
                    break
                pair.append(at)
        return max(by_address,
                   wait_after(failed, now, free=self.local.account.free,
                              cap=self.local.account.cap),
                   wait_after(pair, now, free=self.local.pair.free, cap=self.local.pair.cap))

    def check(self, email: str, ip: str | None) -> None:
        self.local.check(email, ip)
        wait = self.shared_wait(email, ip)
        if wait > 0:
            raise TooManyRequests("too many sign-in attempts; wait a moment and try again",
                                  retry_after=max(1, math.ceil(wait)))

    def failed(self, email: str, ip: str | None) -> None:
        self.local.failed(email, ip)  # (the audit row is the sign-in's own)

    def succeeded(self, email: str, ip: str | None) -> None:
        self.local.succeeded(email, ip)


@dataclass
class RateLimit:
    """At most ``per_minute`` requests per key in any sliding minute (a token bucket)."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, key: str) -> None:
        rate = self.per_minute / 60.0
        with self._lock:
            now = self.clock()
            tokens, then = self._buckets.get(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - then) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                raise TooManyRequests("too many requests for share links; wait a moment",
                                      retry_after=max(1, math.ceil((1.0 - tokens) / rate)))
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 100_000:
                self._buckets.pop(next(iter(self._buckets)))

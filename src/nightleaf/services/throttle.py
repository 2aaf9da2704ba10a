"""Throttling for server mode: sign-in backoff and a per-address rate limit (429 + Retry-After).

Sign-in failures are counted per (account, address), per address, and per account from all
addresses. Past a free allowance each further failure doubles the wait, up to a cap; the cap of
the account-wide counter is short (a minute), so someone failing on purpose against a person's
email from many addresses slows that account down but can never lock its owner out. A success
clears the (account, address) counter. Counters live in the process (one per worker): with
several workers the limits are per worker; docs/server.md says how to share them.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nightleaf.errors import NightleafError


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

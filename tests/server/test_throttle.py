"""Throttling: sign-in backoff per account and address (429 + Retry-After) with no lockout of
the account's owner; share links rate-limited per address."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightleaf.services.throttle import Backoff, RateLimit, SignInThrottle, TooManyRequests
from tests.support.common import Clock
from tests.support.server_mode import PASSWORD, add, server_client, sign_in


class Tick:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _throttle(tick: Tick) -> SignInThrottle:
    return SignInThrottle(pair=Backoff(5, 900, clock=tick), address=Backoff(20, 900, clock=tick),
                          account=Backoff(20, 60, clock=tick))


def test_backoff_doubles_after_the_free_failures_and_a_success_clears_it() -> None:
    tick = Tick()
    th = _throttle(tick)
    for _ in range(5):
        th.check("ana@example.org", "10.0.0.1")
        th.failed("ana@example.org", "10.0.0.1")
    th.check("ana@example.org", "10.0.0.1")  # 5 free failures: no wait yet
    th.failed("ana@example.org", "10.0.0.1")
    with pytest.raises(TooManyRequests) as info:
        th.check("ana@example.org", "10.0.0.1")
    assert info.value.retry_after == 1 and info.value.status_code == 429
    tick.t += 1
    th.failed("ana@example.org", "10.0.0.1")
    with pytest.raises(TooManyRequests) as info:
        th.check("ana@example.org", "10.0.0.1")
    assert info.value.retry_after == 2
    th.check("ana@example.org", "10.0.0.2")  # the owner elsewhere is not held up
    tick.t += 2
    th.succeeded("ana@example.org", "10.0.0.1")
    th.check("ana@example.org", "10.0.0.1")


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=50))
def test_an_attacker_on_many_addresses_delays_the_owner_at_most_a_minute(failures: int,
                                                                        addresses: int) -> None:
    tick = Tick()
    th = _throttle(tick)
    for i in range(failures):
        th.failed("ana@example.org", f"10.1.{i % addresses}.1")
    try:
        th.check("ana@example.org", "192.168.1.5")
    except TooManyRequests as exc:
        assert exc.retry_after <= 60
    tick.t += 61
    th.check("ana@example.org", "192.168.1.5")


def test_rate_limit_refills() -> None:
    tick = Tick()
    rl = RateLimit(per_minute=3, clock=tick)
    for _ in range(3):
        rl.hit("a")
    with pytest.raises(TooManyRequests) as info:
        rl.hit("a")
    assert info.value.retry_after == 20
    rl.hit("b")
    tick.t += 20
    rl.hit("a")


@pytest.mark.pg
def test_the_web_sign_in_answers_429_with_retry_after(app_url) -> None:
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        codes = [sign_in(c, "ana@example.org", "wrong password number x").status_code
                 for _ in range(7)]
        assert codes[:6] == [401] * 6 and codes[6] == 429
        r = sign_in(c, "ana@example.org", PASSWORD)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        codes = [c.get("/s/not-a-real-token/nights").status_code for _ in range(31)]
        assert codes[:30] == [401] * 30 and codes[30] == 429

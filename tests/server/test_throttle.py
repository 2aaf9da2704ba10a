"""Throttling: sign-in backoff per account and address (429 + Retry-After) with no lockout of
the account's owner; share links rate-limited per address."""

from __future__ import annotations

from datetime import timedelta

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


@pytest.mark.pg
def test_the_backoff_holds_across_two_app_instances_on_one_database(app_url) -> None:
    """Two workers (two apps, each with its own in-process counters) share the failures through
    the audit trail: three wrong passwords on each are six for the account from that address."""
    clock = Clock()
    with server_client(app_url, clock) as one, server_client(app_url, clock) as two:
        add(one, "ana@example.org")
        wrong = "wrong password number x"
        codes = [sign_in(c, "ana@example.org", wrong).status_code
                 for c in (one, two, one, two, one, two)]
        assert codes == [401] * 6
        for c in (one, two):  # either worker: the 7th attempt waits, even with the right one
            r = sign_in(c, "ana@example.org", PASSWORD)
            assert r.status_code == 429 and int(r.headers["retry-after"]) == 1
        clock.now += timedelta(seconds=1)
        assert sign_in(two, "ana@example.org", PASSWORD).status_code == 200  # clears the pair
        assert sign_in(one, "ana@example.org", wrong).status_code == 401
        # unknown emails count per address, shared too (20 free, the 21st failure holds the next);
        # an hour on, the failures on Ana's account above (which count per address too) are past
        clock.now += timedelta(hours=1, seconds=1)
        for i in range(21):
            c = (one, two)[i % 2]
            assert sign_in(c, f"nobody{i}@example.org", wrong).status_code == 401
        assert sign_in(one, "nobody-else@example.org", wrong).status_code == 429
        assert sign_in(two, "nobody-else@example.org", wrong).status_code == 429


@pytest.mark.pg
def test_an_attacker_elsewhere_holds_the_owner_for_a_minute_at_most(app_url) -> None:
    """Failures from many addresses (recorded by any worker) slow the account down, never lock
    it: the account-wide wait is capped at 60 s."""
    from nightleaf.services import audit
    from nightleaf.services.throttle import SharedSignInThrottle

    clock = Clock()
    with server_client(app_url, clock) as c:
        a = add(c, "ana@example.org")
        store = c.app.state.ctx.store  # type: ignore[attr-defined]
        for i in range(300):  # as sign_in records them, from 300 addresses
            audit.record(store, a.person_id or 0, audit.Actor(a.id, "anonymous", f"10.9.{i}.1"),
                         action="sign_in", obj="account", outcome="failed", at=clock())
        shared = SharedSignInThrottle(store, clock)
        with pytest.raises(TooManyRequests) as info:
            shared.check("ana@example.org", "192.168.1.5")
        assert info.value.retry_after == 60
        clock.now += timedelta(seconds=61)
        shared.check("ana@example.org", "192.168.1.5")


@pytest.mark.pg
def test_the_per_address_backoff_over_known_accounts_holds_across_two_app_instances(
        app_url) -> None:
    """One address trying one wrong password on each of 21 known accounts, spread over two
    workers (two apps with their own in-process counters): no account has failed more than
    once, yet the address is held back on both workers (20 free, the 21st failure holds the
    next attempt), with 429 and Retry-After. The accounts' owners, elsewhere, sign in: the
    attacker's failures hold back the attacker's address, not the victims' accounts."""
    clock = Clock()
    emails = [f"p{i}@example.org" for i in range(22)]
    with server_client(app_url, clock, address="203.0.113.7") as one, \
            server_client(app_url, clock, address="203.0.113.7") as two, \
            server_client(app_url, clock, address="198.51.100.4") as owner:
        for e in emails:
            add(one, e)
        wrong = "wrong password number x"
        for i, e in enumerate(emails[:21]):
            assert sign_in((one, two)[i % 2], e, wrong).status_code == 401, i
        for c in (one, two):  # either worker, any account, even with the right password
            r = sign_in(c, emails[21], PASSWORD)
            assert r.status_code == 429, r.text
            assert int(r.headers["retry-after"]) >= 1
        for e in (emails[0], emails[21]):  # no lockout of the accounts themselves
            assert sign_in(owner, e, PASSWORD).status_code == 200
        clock.now += timedelta(seconds=2)  # the 21st failure held the address for 1 s
        assert sign_in(one, emails[21], PASSWORD).status_code == 200


@pytest.mark.pg
def test_the_per_address_backoff_over_known_accounts_holds_across_two_uvicorn_workers(
        server_url, app_url) -> None:
    """The same through ``serve --multi-user --workers 2`` (each request a new connection, so
    the kernel hands them to either worker): after 21 failures on 21 different known accounts,
    every further attempt from that address is 429, whichever worker answers."""
    import httpx

    from tests.support.multi_server import add_people, start_multi_user
    from tests.support.server import free_port

    emails = [f"w{i}@example.org" for i in range(22)]
    add_people(server_url, emails)
    port = free_port()
    server = start_multi_user(app_url, port, ["--workers", "2"])
    base = f"http://127.0.0.1:{port}"
    try:
        for e in emails[:21]:
            r = httpx.post(base + "/api/session", timeout=30,
                           json={"email": e, "password": "wrong password number x"})
            assert r.status_code == 401, r.text
        answers = [httpx.post(base + "/api/session", timeout=30,
                              json={"email": emails[21], "password": PASSWORD})
                   for _ in range(6)]
        assert [a.status_code for a in answers] == [429] * 6
        assert all(int(a.headers["retry-after"]) >= 1 for a in answers)
    finally:
        server.stop()

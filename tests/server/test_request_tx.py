"""One transaction per signed-in request (``RequestTx``): the session look-up, every
``ctx.tx()`` block and one audit row, committed just before the answer; what happens when a
block fails, after the answer, in another thread; and a pooled connection the server dropped
(no pre-ping in server mode) is replaced, never a 500."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, event, text

from nightleaf.errors import NotFound
from nightleaf.model.entities import Medicine
from nightleaf.services import accounts as acc
from nightleaf.services import audit
from nightleaf.services.context import Context, RequestTx, in_request
from nightleaf.services.server import open_server_context
from tests.support.common import Clock
from tests.support.server_mode import PASSWORD, add, server_client, sign_in

pytestmark = pytest.mark.pg


@contextmanager
def counting_transactions(store: object) -> Iterator[list[int]]:
    """How many transactions the store's engine begins inside the block."""
    begun = [0]

    def on_begin(_conn: object) -> None:
        begun[0] += 1

    engine = store.engine  # type: ignore[attr-defined]
    event.listen(engine, "begin", on_begin)
    try:
        yield begun
    finally:
        event.remove(engine, "begin", on_begin)


def test_a_signed_in_request_is_one_transaction_with_one_audit_row(app_url) -> None:
    with server_client(app_url, Clock()) as c:
        a = add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        assert c.put("/api/profile", json={"tz": "Europe/Berlin", "region": "DE"}
                     ).status_code == 200
        assert c.post("/api/medicines", json={"name": "sertraline"}).status_code == 201
        store = c.app.state.ctx.store  # type: ignore[attr-defined]
        for method, path, body, code in (("GET", "/api/dashboard", None, 200),
                                         ("GET", "/api/medicines", None, 200),
                                         ("POST", "/api/intakes", {"amount": "3g"}, 201)):
            before = len(audit.full_chain(store, a.person_id or 0))
            with counting_transactions(store) as begun:
                r = c.request(method, path, json=body)
            assert r.status_code == code, r.text
            assert begun[0] == 1, (path, begun[0])  # the profile and window reads included
            chain = audit.full_chain(store, a.person_id or 0)  # newest first
            assert len(chain) == before + 1, path
            newest = chain[0]
            assert (newest.action, newest.object, newest.outcome) == (
                audit.action_of(method), path, "ok")
        assert c.get("/api/audit").json()["chain_intact"] is True


def _opened(url: str) -> tuple[Context, str, int]:
    """A server context, and a session token of a person's account on it."""
    ctx = open_server_context(url)
    ctx.clock = Clock()
    account = acc.add_user(ctx.store, "ana@example.org", PASSWORD, role="person", now=ctx.now())
    token, _ = acc.sign_in(ctx.store, "ana@example.org", PASSWORD, now=ctx.now(), ip=None,
                           user_agent=None)
    assert account.person_id is not None
    return ctx, token, account.person_id


def _request(base: Context, token: str) -> tuple[Context, RequestTx]:
    opened = acc.open_request(base.store, token, now=base.now())
    assert opened.signed is not None and opened.held is not None
    person = opened.signed.account.person_id or 0
    hook = audit.writer(audit.Actor(opened.signed.account.id, "session", None), method="POST",
                        obj="/test", clock=base.now)
    return replace(base, person_id=person, on_commit=hook), RequestTx(opened.held, person, hook)


def _names(ctx: Context) -> list[str]:
    bare = replace(ctx, on_commit=None)
    with bare.tx() as repo:
        return sorted(m.name for m in repo.all(Medicine))


def test_blocks_share_the_transaction_and_a_failing_block_undoes_the_request(app_url) -> None:
    base, token, person = _opened(app_url)
    try:
        ctx, rt = _request(base, token)
        with in_request(rt):
            with ctx.tx() as repo:
                repo.add(Medicine(name="kept-until-the-failure"))
            with ctx.tx() as repo:  # the same transaction: sees the uncommitted row
                assert [m.name for m in repo.all(Medicine)] == ["kept-until-the-failure"]
            with pytest.raises(NotFound), ctx.tx() as repo:
                repo.get(Medicine, 10**6)
            assert not rt.held.open
            with ctx.tx() as repo:  # after the failure: a transaction (and audit row) of its own
                repo.add(Medicine(name="saved-on-its-own"))
            rt.finish()
        # the failure took the first write with it; the owed row of the earlier blocks is written
        assert _names(ctx) == ["saved-on-its-own"]
        rows = audit.full_chain(base.store, person)
        assert [(r.action, r.object, r.outcome) for r in rows[:2]] == [
            ("write", "/test", "ok"), ("write", "/test", "ok")]
        assert audit.verify_chain(rows) is None
    finally:
        base.store.dispose()


def test_after_the_answer_and_in_other_threads_blocks_have_their_own_transactions(
        app_url) -> None:
    base, token, person = _opened(app_url)
    try:
        ctx, rt = _request(base, token)
        seen: list[bool] = []
        with in_request(rt):
            with ctx.tx() as repo:
                repo.add(Medicine(name="in-the-request"))

            def elsewhere() -> None:  # a thread the request starts: no context variable
                with counting_transactions(base.store) as begun, ctx.tx() as repo:
                    seen.append(any(m.name == "in-the-request" for m in repo.all(Medicine)))
                seen.append(begun[0] == 1)

            t = threading.Thread(target=elsewhere)
            t.start()
            t.join(timeout=30)
            rt.finish()
            assert not rt.held.open
            chain = len(audit.full_chain(base.store, person))
            with ctx.tx() as repo:  # a streamed body, after the answer: its own row
                repo.add(Medicine(name="after-the-answer"))
            assert len(audit.full_chain(base.store, person)) == chain + 1
        assert seen == [False, True]  # its own transaction, which cannot see uncommitted rows
        assert _names(ctx) == ["after-the-answer", "in-the-request"]
    finally:
        base.store.dispose()


def test_an_unrecorded_read_shows_nothing(app_url, server_url) -> None:
    """The audit row is written as the answer leaves; if it cannot be, the answer is a one-line
    error and the person's data in the route's answer is dropped."""
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        assert c.post("/api/medicines", json={"name": "sertraline"}).status_code == 201
        _owner(server_url, "REVOKE INSERT ON audit FROM nightleaf_app")
        try:
            r = c.get("/api/medicines")
        finally:
            _owner(server_url, "GRANT INSERT ON audit TO nightleaf_app")
        assert r.status_code == 500
        assert "sertraline" not in r.text and "audit" in r.json()["error"]
        assert c.get("/api/medicines").status_code == 200


def _owner(url: str, sql: str) -> None:
    eng = create_engine(url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(sql))
    eng.dispose()


def test_pooled_connections_the_server_dropped_are_replaced_not_a_500(app_url,
                                                                      server_url) -> None:
    """Server mode checks no connection at checkout (no pre-ping): a connection terminated
    while it sat in the pool fails at its transaction's first statement, is replaced and the
    statement retried, so signed-in reads, writes and sign-ins all still succeed."""
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        store = c.app.state.ctx.store  # type: ignore[attr-defined]
        assert store.engine.pool._pre_ping is False
        for attempt in range(3):
            assert c.get("/api/medicines").status_code == 200
            _owner(server_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE usename = 'nightleaf_app'")
            assert c.get("/api/medicines").status_code == 200, attempt
            _owner(server_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE usename = 'nightleaf_app'")
            r = c.post("/api/medicines", json={"name": f"after-{attempt}"})
            assert r.status_code == 201, r.text
            _owner(server_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE usename = 'nightleaf_app'")
            assert sign_in(c, "ana@example.org").status_code == 200
        names = [m["medicine"]["name"] for m in c.get("/api/medicines").json()["medicines"]]
        assert sorted(names) == ["after-0", "after-1", "after-2"]


def test_a_connection_lost_inside_a_transaction_is_a_clean_503(app_url, server_url) -> None:
    """Past the first statement nothing is retried (the work is not known to be undone twice):
    the request fails as 503 with one line, and nothing is kept."""
    base, token, _ = _opened(app_url)
    try:
        ctx, rt = _request(base, token)
        with in_request(rt):
            with ctx.tx() as repo:
                repo.add(Medicine(name="lost-with-the-connection"))
            _owner(server_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE usename = 'nightleaf_app'")
            from nightleaf.errors import StoreUnavailable

            with pytest.raises(StoreUnavailable):
                rt.finish()
        assert _names(ctx) == []
    finally:
        base.store.dispose()


def test_a_database_failure_at_the_session_look_up_is_a_one_line_503(app_url, monkeypatch
                                                                      ) -> None:
    """The session look-up runs in the gate, before the app's error handlers: it answers the
    failure itself, as they would (503, Retry-After, no driver detail)."""
    from nightleaf.errors import StoreUnavailable

    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        sign_in(c, "ana@example.org")

        def down(*_a: object, **_k: object) -> object:
            raise StoreUnavailable("the journal database cannot be reached (connection to "
                                   "server at 10.1.2.3, port 5432 failed)")

        monkeypatch.setattr(acc, "open_request", down)
        r = c.get("/api/medicines")
        assert r.status_code == 503 and r.headers["retry-after"] == "5"
        assert "cannot be reached" in r.json()["error"] and "10.1.2.3" not in r.text
        monkeypatch.undo()
        assert c.get("/api/medicines").status_code == 200

"""Sessions (ASVS V3): new id at sign-in, server-side sign-out, timeouts, cookie flags, pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nightleaf.services.accounts import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT
from tests.support.common import Clock
from tests.support.server_mode import add, server_client, sign_in
from tests.support.web import token

pytestmark = pytest.mark.pg


def test_nothing_but_sign_in_is_reachable_without_a_session(app_url) -> None:
    with server_client(app_url, Clock()) as c:
        assert c.get("/api/nights").status_code == 401
        assert c.get("/api/session").status_code == 401
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/sign-in"
        assert c.get("/sign-in").status_code == 200
        assert c.get("/healthz").status_code == 200


def test_sign_in_sets_a_new_httponly_lax_cookie_each_time_and_refuses_wrong_passwords(
        app_url) -> None:
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        assert sign_in(c, "ana@example.org", "wrong password here").status_code == 401
        assert sign_in(c, "nobody@example.org").status_code == 401
        r = sign_in(c, "ana@example.org")
        assert r.status_code == 200 and r.json()["email"] == "ana@example.org"
        cookie = r.headers["set-cookie"]
        assert "nl_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie  # plain HTTP here
        first = c.cookies["nl_session"]
        assert c.get("/api/session").json()["email"] == "ana@example.org"
        # a fixed (attacker-chosen or old) id is never adopted: signing in again makes a new one
        sign_in(c, "ana@example.org")
        second = c.cookies["nl_session"]
        assert second != first
        c.cookies.clear()
        c.cookies.set("nl_session", first)
        assert c.get("/api/session").status_code == 401  # the old one ended with the new sign-in


def test_cookie_is_secure_over_https(app_url) -> None:
    with server_client(app_url, Clock(), https=True) as c:
        add(c, "ana@example.org")
        r = sign_in(c, "ana@example.org")
        assert "Secure" in r.headers["set-cookie"]


def test_sign_in_takes_json_only(app_url) -> None:
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        r = c.post("/api/session", data={"email": "ana@example.org", "password": "x" * 20})
        assert r.status_code == 415 and "JSON" in r.json()["error"]
        assert "nl_session" not in c.cookies


def test_sign_out_ends_the_session_on_the_server(app_url) -> None:
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        stolen = c.cookies["nl_session"]
        assert c.delete("/api/session").status_code == 204
        c.cookies.set("nl_session", stolen)  # a copy kept elsewhere no longer works
        assert c.get("/api/session").status_code == 401


def test_idle_and_absolute_timeouts(app_url) -> None:
    clock = Clock()
    start = clock.now
    with server_client(app_url, clock) as c:
        add(c, "ana@example.org")
        sign_in(c, "ana@example.org")
        clock.now = start + IDLE_TIMEOUT - timedelta(minutes=1)
        assert c.get("/api/session").status_code == 200  # activity moves the idle limit
        clock.now += IDLE_TIMEOUT - timedelta(minutes=1)
        assert c.get("/api/session").status_code == 200
        clock.now += IDLE_TIMEOUT + timedelta(seconds=1)
        assert c.get("/api/session").status_code == 401  # idle too long
        sign_in(c, "ana@example.org")
        t0 = clock.now
        while clock.now < t0 + ABSOLUTE_TIMEOUT - IDLE_TIMEOUT:
            clock.now += IDLE_TIMEOUT / 2
            assert c.get("/api/session").status_code == 200
        clock.now = t0 + ABSOLUTE_TIMEOUT
        assert c.get("/api/session").status_code == 401  # however active, it ends


def test_password_change_ends_the_other_sessions_and_sessions_can_be_listed_and_ended(
        app_url) -> None:
    clock = Clock()
    with server_client(app_url, clock) as phone, server_client(app_url, clock) as laptop:
        add(phone, "ana@example.org")
        sign_in(phone, "ana@example.org")
        sign_in(laptop, "ana@example.org")
        listed = phone.get("/api/sessions").json()
        assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
        r = phone.post("/api/password", json={"current_password": "violet lamp under the stairs",
                                              "new_password": "a fresh and long phrase"})
        assert r.status_code == 200 and r.json() == {"ended": 1}
        assert laptop.get("/api/session").status_code == 401
        assert phone.get("/api/session").status_code == 200
        sign_in(laptop, "ana@example.org", "a fresh and long phrase")
        other = next(s["id"] for s in phone.get("/api/sessions").json() if not s["current"])
        page = phone.get("/sessions")
        assert page.status_code == 200 and other in page.text
        r = phone.post(f"/sessions/{other}/end", data={"csrf": token(phone, "/sessions")},
                       follow_redirects=False)
        assert r.status_code == 303
        assert laptop.get("/api/session").status_code == 401
        # without the CSRF token the form post is refused
        r = phone.post("/sign-out", follow_redirects=False)
        assert r.status_code == 403 and phone.get("/api/session").status_code == 200


def test_sign_in_form_with_csrf(app_url) -> None:
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        tok = token(c, "/sign-in")
        r = c.post("/sign-in", data={"csrf": tok, "email": "ana@example.org",
                                     "password": "violet lamp under the stairs"},
                   follow_redirects=False)
        assert r.status_code == 303 and "nl_session" in c.cookies
        assert c.get("/api/session").status_code == 200


def test_pages_in_server_mode_do_not_promise_the_journal_stays_on_this_machine(app_url) -> None:
    """The footer of the single-person app says the journal stays on this machine; on a server
    that would be untrue, so it says where the journal is kept instead."""
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        assert sign_in(c, "ana@example.org").status_code == 200
        body = c.get("/").text
        assert "Your journal is kept on this server, under your account." in body
        assert "stays on this machine" not in body

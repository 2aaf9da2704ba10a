"""Accounts: ``server init`` / ``add-user`` / ``reset-password``, Argon2 hashes, password rules."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from nightleaf.errors import InputError
from nightleaf.services import accounts as acc
from nightleaf.services.accounts import open_server_store

pytestmark = pytest.mark.pg
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
GOOD = "violet lamp under the stairs"


def _stdin(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(value + "\n"))


def _accounts(url: str) -> list[tuple[str, str, str, int | None]]:
    eng = create_engine(url)
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT email, role, password_hash, person_id FROM account "
                                 "ORDER BY id")).all()
    eng.dispose()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_server_init_refuses_sqlite_in_one_line_and_creates_nothing(cli, tmp_path) -> None:
    target = tmp_path / "j.db"
    r = cli("server", "init", "--db", f"sqlite:///{target}")
    assert r.code == 2
    assert "needs PostgreSQL" in r.err and len(r.err.strip().splitlines()) == 1
    assert not target.exists()


def test_add_user_stores_an_argon2id_hash_and_gives_a_person_a_journal(
        cli, server_url, monkeypatch) -> None:
    _stdin(monkeypatch, GOOD)
    r = cli("server", "add-user", "Ana@Example.org", "--db", server_url, "--password-stdin")
    assert r.code == 0, r.err
    _stdin(monkeypatch, GOOD + " too")
    r = cli("server", "add-user", "dr@example.org", "--db", server_url, "--password-stdin",
            "--role", "clinician")
    assert r.code == 0, r.err
    rows = _accounts(server_url)
    assert [(e, role) for e, role, _, _ in rows] == [("ana@example.org", "person"),
                                                      ("dr@example.org", "clinician")]
    assert rows[0][2].startswith("$argon2id$") and GOOD not in rows[0][2]
    assert rows[0][3] is not None and rows[1][3] is None


@pytest.mark.parametrize(("password", "words"), [
    ("short one", "at least 12"),
    ("qwerty123456", "common"),          # on the bundled breached list
    ("ana@example.org", "common"),       # the email itself
])
def test_add_user_refuses_a_weak_password_and_writes_nothing(
        cli, server_url, monkeypatch, password, words) -> None:
    _stdin(monkeypatch, password)
    r = cli("server", "add-user", "ana@example.org", "--db", server_url, "--password-stdin")
    assert r.code == 2 and words in r.err and len(r.err.strip().splitlines()) == 1
    assert _accounts(server_url) == []


def test_add_user_needs_password_stdin_and_refuses_a_duplicate(cli, server_url,
                                                               monkeypatch) -> None:
    r = cli("server", "add-user", "ana@example.org", "--db", server_url)
    assert r.code == 2 and "--password-stdin" in r.err
    _stdin(monkeypatch, GOOD)
    assert cli("server", "add-user", "ana@example.org", "--db", server_url,
               "--password-stdin").code == 0
    _stdin(monkeypatch, GOOD)
    r = cli("server", "add-user", "ANA@example.org", "--db", server_url, "--password-stdin")
    assert r.code == 2 and "already exists" in r.err
    assert len(_accounts(server_url)) == 1


def test_common_list_is_bundled_and_large() -> None:
    common = acc.common_passwords()
    assert len(common) > 9000 and "123456" in common and "dragon" in common


def test_admin_reset_sets_a_new_password_and_ends_every_session(cli, server_url,
                                                                monkeypatch) -> None:
    store = open_server_store(server_url)
    try:
        acc.add_user(store, "ana@example.org", GOOD, role="person", now=NOW)
        token, _ = acc.sign_in(store, "ana@example.org", GOOD, now=NOW, ip=None, user_agent=None)
        _stdin(monkeypatch, "a brand new lantern phrase")
        r = cli("server", "reset-password", "ana@example.org", "--db", server_url,
                "--password-stdin")
        assert r.code == 0 and "1 session(s) ended" in r.out
        assert acc.resolve_session(store, token, now=NOW) is None
        with pytest.raises(acc.NotSignedIn):
            acc.sign_in(store, "ana@example.org", GOOD, now=NOW, ip=None, user_agent=None)
        acc.sign_in(store, "ana@example.org", "a brand new lantern phrase", now=NOW, ip=None,
                    user_agent=None)
    finally:
        store.dispose()


def test_password_change_keeps_this_session_and_ends_the_others(server_url) -> None:
    store = open_server_store(server_url)
    try:
        a = acc.add_user(store, "ana@example.org", GOOD, role="person", now=NOW)
        phone, _ = acc.sign_in(store, a.email, GOOD, now=NOW, ip=None, user_agent="phone")
        laptop, _ = acc.sign_in(store, a.email, GOOD, now=NOW, ip=None, user_agent="laptop")
        here = acc.resolve_session(store, phone, now=NOW)
        assert here is not None
        with pytest.raises(InputError, match="current password"):
            acc.change_password(store, a.id, "not it at all", "another good phrase here",
                                now=NOW, keep_session=here.session_hash)
        ended = acc.change_password(store, a.id, GOOD, "another good phrase here",
                                    now=NOW + timedelta(minutes=1),
                                    keep_session=here.session_hash)
        assert ended == 1
        later = NOW + timedelta(minutes=2)
        assert acc.resolve_session(store, phone, now=later) is not None
        assert acc.resolve_session(store, laptop, now=later) is None
    finally:
        store.dispose()

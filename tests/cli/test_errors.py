"""The CLI turns the store's errors into one line on stderr and exit code 2."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.common import Result


def test_an_integrity_conflict_is_one_line_and_exit_2(cli: Callable[..., Result],
                                                       tmp_path: Path) -> None:
    assert cli("med", "add", "sertraline").code == 0
    raw = sqlite3.connect(tmp_path / "journal.db")  # a stricter schema than the service checks
    raw.execute("CREATE UNIQUE INDEX one_medicine ON medicine (person_id, name)")
    raw.commit()
    raw.close()
    r = cli("med", "add", "sertraline")
    assert r.code == 2
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert lines[0].startswith("error:") and "UNIQUE constraint failed" in lines[0]
    assert "nothing was saved" in lines[0] and "Traceback" not in r.err
    assert [m["name"] for m in json.loads(cli("med", "list", "--json").out)] == ["sertraline"]


def test_a_locked_journal_is_one_line_and_exit_2(cli: Callable[..., Result], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from nightleaf.store import db

    assert cli("med", "list").code == 0  # creates the journal
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(tmp_path / "journal.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        r = cli("med", "add", "sertraline")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.code == 2
    assert r.err.strip().count("\n") == 0 and "busy" in r.err, r.err

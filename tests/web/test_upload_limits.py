"""Uploads have size limits (configurable) and import jobs outlive a restart.

- a wearable export, the journal backup (restore) and any other body stop at their limit with
  HTTP 413 and one line, whether the size is declared (Content-Length) or only streamed;
  nothing is written;
- an import's status is kept in the journal: a new app on the same journal (a restart) still
  answers ``/api/imports/{id}``, and a job that was running when the server stopped says so.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nightleaf.services.context import Context
from nightleaf.web.app import create_app
from nightleaf.web.import_jobs import INTERRUPTED
from tests.support.common import REAL, SHARED
from tests.support.web import token

MB = 1024 * 1024
SAA = "sleep-as-android/ckondek_SleepPhase_Polar_sleep-export.csv"


def _rows(ctx: Context) -> int:
    with ctx.tx() as repo:
        return len(repo.episodes()) + len(repo.intakes())


@pytest.fixture(autouse=True)
def _private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads go to this test's own temp folder, so leftovers of other runs on the machine
    cannot be mistaken for this test's."""
    own = tmp_path / "tmp"
    own.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own))


def _leftovers() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob("nightleaf-upload-*"))


def _chunks(n: int) -> Iterator[bytes]:
    for _ in range(n):
        yield b"x" * (256 * 1024)


def test_a_wearable_export_over_the_limit_is_refused_with_413(
        client: TestClient, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIGHTLEAF_MAX_UPLOAD_MB", "1")
    before = set(_leftovers())
    tok = token(client, "/import")
    headers = {"X-CSRF-Token": tok, "Content-Type": "application/octet-stream"}
    r = client.post("/api/imports", params={"filename": "big.csv"}, content=b"x" * (2 * MB),
                    headers=headers)
    assert r.status_code == 413
    assert r.json()["error"] == ("the wearable export is larger than the limit of 1 MB; "
                                 "nothing was saved")
    # no Content-Length: the body is refused at the chunk that crosses the limit
    r = client.post("/api/imports", params={"filename": "big.csv"}, content=_chunks(12),
                    headers=headers)
    assert r.status_code == 413 and "\n" not in r.json()["error"]
    # the page's form (multipart): a page with the one line, not a traceback
    r = client.post(f"/import?csrf={tok}", data={"format": ""},
                    files={"file": ("big.csv", b"x" * (2 * MB))}, follow_redirects=False)
    assert r.status_code == 413 and "larger than the limit of 1 MB" in r.text
    assert _rows(ctx) == 0 and set(_leftovers()) <= before


def test_the_journal_restore_over_its_limit_is_refused_with_413(
        profiled: TestClient, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIGHTLEAF_MAX_RESTORE_MB", "1")
    tok = token(profiled, "/settings")
    body = b'{"format": "nightleaf-journal", "pad": "' + b"x" * (2 * MB) + b'"}'
    r = profiled.post("/settings/import", data={"csrf": tok, "replace": "yes"},
                      files={"file": ("journal.json", body)}, follow_redirects=False)
    assert r.status_code == 413
    assert "journal backup is larger than the limit of 1 MB; nothing was saved" in r.text
    with ctx.tx() as repo:
        assert repo.profile().tz == "Europe/Berlin"  # nothing replaced


def test_any_other_body_is_capped(client: TestClient) -> None:
    tok = token(client, "/tonight")
    r = client.post("/api/intakes", content=b"{" + b" " * (3 * MB) + b"}",
                    headers={"X-CSRF-Token": tok, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"].startswith("the request body is larger than the limit of 2 MB")


def test_import_status_survives_a_restart(client: TestClient, ctx: Context) -> None:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the real samples are read in place, never copied")
    tok = token(client, "/import")
    r = client.post("/api/imports", params={"filename": "polar.csv", "wait": "true"},
                    content=(REAL / SAA).read_bytes(),
                    headers={"X-CSRF-Token": tok, "Content-Type": "application/octet-stream"})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["state"] == "done" and done["result"]["episodes"] > 0
    with TestClient(create_app(context=ctx), base_url="http://127.0.0.1") as restarted:
        again = restarted.get(f"/api/imports/{done['id']}")
        assert again.status_code == 200
        assert again.json() == done
        page = restarted.get(f"/import?job={done['id']}")
        assert page.status_code == 200


def test_a_job_running_when_the_server_stopped_is_reported_as_failed(ctx: Context) -> None:
    now = datetime.now(UTC)
    row: dict[str, Any] = {"id": "abc123", "filename": "export.zip", "format": None,
                           "state": "running", "bytes_read": 10, "total_bytes": 100,
                           "nights_found": 3, "error": None, "status_code": 200,
                           "result": None, "created_at": now, "updated_at": now}
    with ctx.tx() as repo:
        repo.put_import_job(row)
    with TestClient(create_app(context=ctx), base_url="http://127.0.0.1") as restarted:
        j = restarted.get("/api/imports/abc123").json()
        assert (j["state"], j["error"], j["nights_found"]) == ("failed", INTERRUPTED, 3)
        assert restarted.get("/api/imports/nope").status_code == 404


def test_a_limit_that_is_not_a_size_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from nightleaf.errors import ConfigError
    from nightleaf.web.uploads import MB as ONE_MB
    from nightleaf.web.uploads import limits

    monkeypatch.setenv("NIGHTLEAF_MAX_RESTORE_MB", "12")
    assert limits().restore == 12 * ONE_MB
    monkeypatch.setenv("NIGHTLEAF_MAX_UPLOAD_MB", "³")
    with pytest.raises(ConfigError, match=r"^NIGHTLEAF_MAX_UPLOAD_MB='³' is not a size in MB"):
        limits()

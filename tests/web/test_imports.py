"""Importing a wearable export through the web: the page (no JavaScript), ``/api/imports`` (what
the page's script uses), CSRF, bad files, idempotency, and memory that stays flat while a body
far larger than any buffer streams to disk.

The real samples are read in place from ``../shared/fixtures/real`` (never copied).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nightleaf.services.context import Context
from tests.support.common import REAL, SHARED
from tests.support.web import token

SAA = "sleep-as-android/ckondek_SleepPhase_Polar_sleep-export.csv"
FITBIT = "fitbit/redSlug_webapi_v1.2_sleep_2019-11_2020-01.json"


@pytest.fixture
def real() -> Path:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the real samples are read in place, never copied")
    return REAL


def episodes(ctx: Context) -> int:
    with ctx.tx() as repo:
        return len(repo.episodes())


@pytest.fixture(autouse=True)
def _private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads go to this test's own temp folder, so leftovers of other runs on the machine
    cannot be mistaken for this test's."""
    own = tmp_path / "tmp"
    own.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own))


def leftovers() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob("nightleaf-upload-*"))


def upload_page(client: Any, path: Path, fmt: str = "", name: str | None = None) -> Any:
    """The no-JavaScript form: multipart to ``/import?csrf=...``."""
    tok = token(client, "/import")
    return client.post(f"/import?csrf={tok}", data={"format": fmt},
                       files={"file": (name or path.name, path.read_bytes())},
                       follow_redirects=False)


def upload_api(client: Any, body: bytes, name: str, **params: str) -> Any:
    tok = token(client, "/import")
    return client.post("/api/imports", params={"filename": name, **params}, content=body,
                       headers={"X-CSRF-Token": tok, "Content-Type": "application/octet-stream"})


def test_settings_links_to_the_import_page(profiled) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/import"' in profiled.get("/settings").text
    r = profiled.get("/import")
    assert r.status_code == 200
    assert 'type="file"' in r.text and "Sleep as Android" in r.text
    assert "/static/import.js" in r.text


def test_page_imports_sleep_as_android_and_shows_the_result(profiled, ctx, real) -> None:  # type: ignore[no-untyped-def]
    r = upload_page(profiled, real / SAA)
    assert r.status_code == 303, r.text[-600:]
    page = profiled.get(r.headers["location"])
    status = re.search(r'role="status">(.*?)</p>', page.text, re.S)
    assert status and "15 sleep episodes over 15 nights, 2017-05-19 to 2017-06-14" in status[1]
    assert re.search(r"<dt>Added</dt><dd><b>15</b>", page.text)
    assert episodes(ctx) == 15
    assert leftovers() == []


def test_reupload_adds_nothing(profiled, ctx, real) -> None:  # type: ignore[no-untyped-def]
    assert upload_page(profiled, real / SAA).status_code == 303
    again = upload_page(profiled, real / SAA)
    page = profiled.get(again.headers["location"]).text
    assert re.search(r"<dt>Added</dt><dd><b>0</b>", page)
    assert re.search(r"<dt>Already in the journal</dt><dd><b>15</b>", page)
    assert episodes(ctx) == 15


def test_api_imports_a_fitbit_export_and_reports_progress(profiled, ctx, real) -> None:  # type: ignore[no-untyped-def]
    body = (real / FITBIT).read_bytes()
    r = upload_api(profiled, body, "sleep-2019-11.json", format="fitbit")
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    deadline = time.monotonic() + 30
    while (job := profiled.get(f"/api/imports/{job_id}").json())["state"] not in ("done",
                                                                                  "failed"):
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
    assert job["state"] == "done", job
    assert job["bytes_read"] == job["total_bytes"] == len(body)
    res = job["result"]
    assert res["format"] == "fitbit" and res["added"] == res["episodes"] == episodes(ctx) > 10
    assert job["nights_found"] == res["nights"] > 10  # the reader counts nights as it goes
    # the same file again, waiting for the answer: nothing new
    again = upload_api(profiled, body, "sleep-2019-11.json", wait="true")
    assert again.status_code == 200
    assert again.json()["result"]["added"] == 0
    assert again.json()["result"]["skipped"] == res["episodes"]
    assert leftovers() == []


def test_random_bytes_give_a_message_beside_the_field_and_write_nothing(profiled, ctx,  # type: ignore[no-untyped-def]
                                                                        tmp_path) -> None:
    junk = tmp_path / "mystery.bin"
    junk.write_bytes(bytes(range(256)) * 400)
    r = upload_page(profiled, junk)
    assert r.status_code == 422
    err = re.search(r'id="e-file" class="field-error" role="alert">(.*?)</p>', r.text, re.S)
    assert err and err[1].startswith("mystery.bin: not a sleep export")
    assert "nightleaf-upload-" not in r.text  # the message names the person's file, not ours
    api = upload_api(profiled, junk.read_bytes(), "mystery.bin", wait="true")
    assert api.status_code == 422 and api.json()["field"] == "file"
    assert api.json()["error"].startswith("mystery.bin:")
    # a named format that does not fit: the reader's own message, still nothing written
    wrong = upload_page(profiled, junk, fmt="oura")
    assert wrong.status_code == 422 and "mystery.bin" in wrong.text
    assert episodes(ctx) == 0
    assert leftovers() == []


def test_missing_file_and_unknown_format_are_shown_beside_their_fields(profiled) -> None:  # type: ignore[no-untyped-def]
    tok = token(profiled, "/import")
    r = profiled.post(f"/import?csrf={tok}", data={"format": ""},
                      files={"file": ("", b"")})
    assert r.status_code == 422 and "choose a sleep export" in r.text
    r = profiled.post(f"/import?csrf={tok}", data={"format": "garmin"},
                      files={"file": ("a.csv", b"x")})
    assert r.status_code == 422
    assert re.search(r'id="e-format" class="field-error" role="alert">unknown format', r.text)
    assert profiled.post("/api/imports?format=garmin", content=b"x",
                         headers={"X-CSRF-Token": tok}).status_code == 422
    assert leftovers() == []


def test_csrf_is_refused_without_the_token(profiled, ctx, real) -> None:  # type: ignore[no-untyped-def]
    body = (real / SAA).read_bytes()
    page = profiled.post("/import", files={"file": ("sleep-export.csv", body)},
                         data={"csrf": "forged-" + "x" * 40})
    assert page.status_code == 403 and "nothing was saved" in page.text
    for headers in ({"Content-Type": "application/octet-stream"},
                    {"Content-Type": "text/csv"}, {"X-CSRF-Token": "wrong" * 10}):
        api = profiled.post("/api/imports", content=body, headers=headers)
        assert api.status_code == 403, headers
    assert episodes(ctx) == 0
    assert leftovers() == []


def test_unknown_job_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/imports/nope").status_code == 404
    assert client.get("/import?job=nope").status_code == 404


def test_imports_are_in_the_openapi_document(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/openapi.json").json()["paths"]
    post = paths["/api/imports"]["post"]
    assert "application/octet-stream" in post["requestBody"]["content"]
    assert "202" in post["responses"] and "403" in post["responses"]
    assert "get" in paths["/api/imports/{job_id}"]


# ------------------------------------------------------------------ memory stays flat

CHUNK = 64 << 10
TOKEN = "t" * 43


def _call(app: Any, path: str, query: str, content_type: str, chunks: Iterator[bytes]
          ) -> tuple[int, bytes]:
    """One request straight into the ASGI app, its body fed chunk by chunk as a server would
    (TestClient would build the whole body in memory first)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", content_type.encode()),
                         (b"cookie", f"nl_csrf={TOKEN}".encode()),
                         (b"x-csrf-token", TOKEN.encode())],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
    out: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        chunk = next(chunks, None)
        return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

    async def send(msg: dict[str, Any]) -> None:
        if msg["type"] == "http.response.start":
            out["status"] = msg["status"]
        elif msg["type"] == "http.response.body":
            out["body"] += msg.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return out["status"], out["body"]


def _file_chunks(path: Path, head: bytes = b"", tail: bytes = b"") -> Iterator[bytes]:
    yield head
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk
    yield tail


@pytest.fixture(scope="module")
def big_export(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    from bench.synth_apple_health import generate
    return generate(tmp_path_factory.mktemp("big") / "export.xml", size_bytes=40_000_000,
                    nights=30, seed=5)


@pytest.mark.parametrize("how", ["raw", "multipart"])
def test_a_large_upload_streams_to_disk_with_flat_memory(profiled, ctx, big_export, how) -> None:  # type: ignore[no-untyped-def]
    """40 MB through each route, import included: the traced peak stays a small fraction of
    the file (a buffered body would be at least its size; python-multipart's default keeps
    1 MiB in memory, Starlette's UploadFile spools the first 1 MiB)."""
    app = profiled.app
    size = big_export.stat().st_size
    if how == "raw":
        args = ("/api/imports", "filename=export.xml&wait=true", "application/octet-stream",
                _file_chunks(big_export))
    else:
        b = "nightleafboundary"
        head = (f"--{b}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\n\r\n"
                f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"export.xml\"\r\nContent-Type: text/xml\r\n\r\n").encode()
        args = ("/import", f"csrf={TOKEN}", f"multipart/form-data; boundary={b}",
                _file_chunks(big_export, head, f"\r\n--{b}--\r\n".encode()))
    tracemalloc.start()
    try:
        status, body = _call(app, *args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status in (200, 303), body[-800:]
    assert episodes(ctx) == 30
    print(f"{how}: {size / 1e6:.0f} MB uploaded and imported, traced peak {peak / 1e6:.1f} MB")
    assert peak < size / 8, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB upload"
    assert leftovers() == []

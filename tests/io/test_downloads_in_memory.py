"""Exporters and renderers return bytes: no service and no route writes a temporary file.

Every ``tempfile`` entry point is made to fail and ``TMPDIR`` points at an empty folder; each
export must still work and that folder must stay empty.
"""

from __future__ import annotations

import io
import json
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from nightleaf.services import Context
from nightleaf.services import export as export_svc
from nightleaf.services import plan as plan_svc
from nightleaf.services import report as report_svc
from nightleaf.services import transfer as transfer_svc
from nightleaf.simulate import simulate_journal

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture
def no_tempfiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    import matplotlib  # its font cache and config are settled before the trap is set

    matplotlib.get_cachedir()
    spool = tmp_path / "tmp"
    spool.mkdir()

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a temporary file was made for a download")

    for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile",
                 "SpooledTemporaryFile", "TemporaryDirectory"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setenv("TMPDIR", str(spool))
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    monkeypatch.chdir(spool)
    yield spool
    assert list(spool.iterdir()) == []


@pytest.fixture
def filled(ctx: Context) -> Context:
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(21, seed=5))
    return ctx


@pytest.mark.usefixtures("no_tempfiles")
def test_every_export_is_bytes_with_a_name_and_a_type(filled: Context) -> None:
    fhir = export_svc.export_fhir(filled).download
    assert fhir.media_type == "application/fhir+json" and fhir.filename.endswith(".json")
    assert json.loads(fhir.content)["resourceType"] == "Bundle"

    csvs = export_svc.export_csv(filled)
    with zipfile.ZipFile(io.BytesIO(csvs.download.content)) as zf:
        names = zf.namelist()
    assert "README.txt" in names and "intakes.csv" in names
    assert set(csvs.counts) == set(names) - {"README.txt"}
    assert csvs.download.filename.endswith(".zip")

    backup, counts = transfer_svc.export_json(filled)
    assert json.loads(backup.content)["format"] == "nightleaf-journal"
    assert counts["intakes"] == len(json.loads(backup.content)["intakes"])

    cal = plan_svc.reminders_calendar(filled).download
    assert cal.content.startswith(b"BEGIN:VCALENDAR") and cal.media_type == "text/calendar"

    pdf = report_svc.render_report(filled, "2026-11-10", "2026-11-23")
    assert pdf.download.content.startswith(b"%PDF-") and pdf.pages
    html = report_svc.render_report(filled, "2026-11-10", "2026-11-23", fmt="html")
    assert html.download.content.startswith(b"<!doctype html>") and html.pages is None


@pytest.mark.usefixtures("no_tempfiles")
def test_web_downloads_stream_the_bytes(filled: Context) -> None:
    from nightleaf.web.app import create_app

    with TestClient(create_app(context=filled), base_url="http://127.0.0.1") as client:
        r = client.get("/settings/export.json")
        assert r.status_code == 200 and r.json()["format"] == "nightleaf-journal"
        assert r.headers["content-disposition"].startswith(
            'attachment; filename="nightleaf-journal-2026-11-24.json"')
        ics = client.get("/settings/reminders.ics")
        assert ics.status_code == 200 and ics.content.startswith(b"BEGIN:VCALENDAR")
        assert "nightleaf-reminders.ics" in ics.headers["content-disposition"]
        pdf = client.get("/report.pdf?from=2026-11-10&to=2026-11-23")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert "nightleaf-report-2026-11-10-to-2026-11-23.pdf" in pdf.headers[
            "content-disposition"]

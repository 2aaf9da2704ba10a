"""Report, dashboard and settings views: the report cache, phone layout hooks, no-JS dashboard,
exports, the install files."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from datetime import date

import pytest

from nightleaf.services.context import Context
from nightleaf.simulate import simulate_journal
from nightleaf.web.pages import report as report_page


@pytest.fixture
def seeded(client, ctx: Context):  # type: ignore[no-untyped-def]
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(60, seed=3))  # nights up to 2026-11-23
    return client


def test_the_report_renders_once_per_journal_state(seeded, ctx: Context, monkeypatch) -> None:
    import nightleaf.io.report as io_report

    calls = []
    real = io_report.render_report_html
    monkeypatch.setattr(io_report, "render_report_html",
                        lambda d: calls.append(d) or real(d))
    report_page.CACHE.items.clear()
    q = "/report/view?from=2026-11-01&to=2026-11-23"
    first = seeded.get(q).text
    assert seeded.get(q).text == first and len(calls) == 1
    with ctx.tx() as repo:  # a change the report shows is a new key
        repo.delete_intake(repo.intakes(first=date(2026, 11, 20))[0].id)
    assert seeded.get(q).status_code == 200 and len(calls) == 2
    assert seeded.get(q + "&no_name=1").status_code == 200 and len(calls) == 3


def test_the_report_page_offers_a_page_of_its_own_for_phones(seeded) -> None:
    r = seeded.get("/report")
    assert 'class="report-open"' in r.text and 'href="/report/view?from=' in r.text
    assert "Preparing the report" in r.text


def test_the_dashboard_without_javascript_shows_drawn_charts_and_a_weekly_table(seeded) -> None:
    r = seeded.get("/dashboard?days=28&last=2026-11-23")
    assert r.status_code == 200
    svgs = re.findall(r'<svg class="fallback"[^>]*aria-label="([^"]+)"', r.text)
    assert len(svgs) == 6 and all("7-night means" in s for s in svgs)
    assert re.search(r'<path d="M[\d.]+ [\d.]+ L', r.text)  # a drawn line, not an empty box
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>', r.text.split('id="h-weeks"')[1])
    assert rows[0] == "Tue 17 Nov – Mon 23 Nov" and len(rows) == 4


def test_the_dashboard_data_name_each_night_and_carry_the_7_night_mean(seeded) -> None:
    r = seeded.get("/dashboard?days=14&last=2026-11-23")
    data = json.loads(html.unescape(re.search(r"data-series='([^']+)'", r.text).group(1)))
    assert data["label"][-1] == "Mon 23 Nov" and data["label"][0] == "Tue 10 Nov"
    known = [v for v in data["tst_h"][-7:] if v is not None]
    assert len(known) >= 4
    assert data["tst_h_7"][-1] == pytest.approx(sum(known) / len(known), abs=0.01)
    week = seeded.get("/dashboard?days=14&last=2026-11-23&view=week").text
    wdata = json.loads(html.unescape(re.search(r"data-series='([^']+)'", week).group(1)))
    assert wdata["label"] == ["Tue 10 Nov – Mon 16 Nov", "Tue 17 Nov – Mon 23 Nov"]
    assert 'data-view="week"' in week


def test_settings_offers_csv_and_fhir_downloads(seeded) -> None:
    page = seeded.get("/settings").text
    assert 'href="/settings/export.csv.zip"' in page and 'href="/settings/export.fhir.json"' in page
    z = seeded.get("/settings/export.csv.zip")
    assert z.status_code == 200 and z.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    assert "nightly_metrics.csv" in names and "README.txt" in names
    f = seeded.get("/settings/export.fhir.json")
    assert f.status_code == 200 and "attachment" in f.headers["content-disposition"]
    bundle = f.json()
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) > 10


def test_an_empty_journal_export_is_one_clear_line(client) -> None:
    r = client.get("/settings/export.csv.zip")
    assert r.status_code == 404 and "nothing to export yet" in r.text
    assert "Traceback" not in r.text


def test_the_app_can_be_installed_with_a_manifest_icons_and_a_shell_worker(client) -> None:
    from PIL import Image

    m = client.get("/manifest.webmanifest")
    assert m.status_code == 200 and m.headers["content-type"].startswith("application/manifest")
    manifest = m.json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/tonight"
    for icon in manifest["icons"]:
        r = client.get(icon["src"])
        assert r.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            w, h = Image.open(io.BytesIO(r.content)).size
            assert f"{w}x{h}" == icon["sizes"] and len(r.content) < 20_000
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and "javascript" in sw.headers["content-type"]
    assert "script-src 'self'" in sw.headers["content-security-policy"]
    # the worker caches the shell only: no page and no /api answer is ever put in its cache
    cached = re.search(r"var FILES = \[([^\]]+)\]", sw.text).group(1)
    assert all(f.strip().strip('"').startswith("/static/") for f in cached.split(","))
    assert "journal is unreachable" in client.get("/static/offline.html").text


def test_the_weekly_view_leaves_out_a_leftover_part_week(seeded) -> None:
    week = seeded.get("/dashboard?days=15&last=2026-11-23&view=week").text
    data = json.loads(html.unescape(re.search(r"data-series='([^']+)'", week).group(1)))
    assert data["label"] == ["Tue 10 Nov – Mon 16 Nov", "Tue 17 Nov – Mon 23 Nov"]
    assert len(data["x"]) == len(data["tst_h"]) == 2

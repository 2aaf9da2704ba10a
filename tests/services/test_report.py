"""The clinician report: built for a generated 90-night journal, rendered, and looked at.

The PDF is rendered to PNG with poppler's ``pdftoppm``; every page and every chart must carry
ink (pixel variance), and the text layer (pypdf) must carry the key figures.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader

from nightleaf.errors import InputError, NotFound
from nightleaf.io import report as render
from nightleaf.services import Context, journal
from nightleaf.services import report as svc
from nightleaf.services.inputs import PainInput, ProfileInput
from nightleaf.simulate import simulate_journal
from nightleaf.store import open_store
from tests.support.common import NOW, Result
from tests.support.db import ENGINES, fresh_pg_db

FIRST, LAST = "2026-08-26", "2026-11-23"  # the 90 nights simulate_journal(90) generates


@pytest.fixture(scope="module", params=ENGINES)
def ctx90(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    os.environ.setdefault("MPLCONFIGDIR", str(tmp_path_factory.mktemp("mpl")))
    url = (f"sqlite:///{tmp_path_factory.mktemp('j') / 'journal.db'}" if request.param == "sqlite"
           else fresh_pg_db(request.getfixturevalue("pg_admin_url")))
    c = Context(store=open_store(url), clock=lambda: NOW)
    j = simulate_journal(90, seed=42)
    assert j.profile is not None
    j.profile.name = "Alex Example"
    with c.tx() as repo:
        repo.save_journal(j)
    yield c
    c.store.dispose()


@pytest.fixture(scope="module")
def data(ctx90: Context) -> svc.ReportData:
    return svc.build_report(ctx90, FIRST, LAST, show_name=False)


@pytest.fixture(scope="module")
def pdf(data: svc.ReportData, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    content = render.render_report_pdf(data)
    out.write_bytes(content)
    return out, content.pages


def _variance(img: Image.Image) -> float:
    return max(ImageStat.Stat(img.convert("L")).var)


def test_the_report_gathers_the_shared_metrics(data: svc.ReportData) -> None:
    w = data.window
    assert (data.first_night, data.last_night, data.days) == (date(2026, 8, 26),
                                                              date(2026, 11, 23), 90)
    assert w.intake.nights_with_use == sum(1 for r in w.nights if r.used)
    assert data.halves is not None and data.halves[0].days + data.halves[1].days == 90
    assert data.person == "name not shown"
    assert any(s.kind == "withdrawal" for s in data.symptoms)
    assert data.findings, "the generated journal (sertraline, withdrawal signs) has findings"
    assert all(f.sources for f in data.findings)
    assert any("chance" in s for s in data.summary)  # uncertainty is stated plainly


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_pdf_pages_render_with_ink_and_carry_the_key_figures(
        data: svc.ReportData, pdf: tuple[Path, int], tmp_path: Path) -> None:
    path, pages = pdf
    assert 2 <= pages <= 5  # 4, plus up to one for the self-experiment section (issue 12)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == pages
    for p in pngs:
        assert _variance(Image.open(p)) > 100, f"{p.name} looks blank"

    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    flat = " ".join(text.split())
    w = data.window
    tst = w.diary["tst_minutes"].mean
    assert tst is not None
    for needle in (
        f"{w.intake.nights_with_use} of 90",
        f"{w.intake.mean_nights_per_week:.1f}",
        f"{tst / 60:.1f} (n={w.diary['tst_minutes'].n})",
        f"{w.pain['evening_nrs'].mean:.1f} (n=90)",
        "Safety findings", "Side effects and withdrawal signs", "sertraline",
        "chronic low back pain", "RB-24-07", "1.45 %",
        f"page 1 of {pages}", f"page {pages} of {pages}", "generated 2026-11-24",
        "name not shown",
    ):
        assert needle in flat, needle
    assert "Alex Example" not in flat


def test_every_chart_in_the_pdf_has_ink(pdf: tuple[Path, int]) -> None:
    reader = PdfReader(str(pdf[0]))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == len(render.CHARTS)
    for img in images:
        assert _variance(Image.open(io.BytesIO(img.data))) > 50


def test_the_name_is_shown_only_when_wanted(ctx90: Context) -> None:
    assert svc.build_report(ctx90, FIRST, LAST, show_name=True).person == "Alex Example"
    assert b"Alex Example" not in render.render_report_html(
        svc.build_report(ctx90, FIRST, LAST, show_name=False))


def test_html_is_self_contained_and_shows_the_same_tables(data: svc.ReportData) -> None:
    html = render.render_report_html(data).decode()
    assert html.startswith("<!doctype html>")
    assert html.count('src="data:image/png;base64,') == len(render.CHARTS)
    assert "<script" not in html and "http://cdn" not in html and "https://cdn" not in html
    for key, t in render.report_tables(data).items():
        if key != "identity":  # shown untitled under the heading, as in the PDF
            assert t.title.replace("'", "&#39;") in html, key
    assert f"{data.window.intake.nights_with_use} of 90" in html
    assert all(s.url in html for f in data.findings for s in f.sources if s.url)


def test_html_escapes_what_the_person_typed(ctx: Context) -> None:
    journal.init_journal(ctx, ProfileInput(tz="Europe/Berlin"))
    journal.add_medicine(ctx, "<script>alert(1)</script>")
    journal.log_pain(ctx, PainInput("6", context="evening", at="2026-11-23 21:00"))
    html = render.render_report_html(svc.build_report(ctx, "2026-11-20", "2026-11-23")).decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_a_period_with_nothing_logged_is_a_clear_message(ctx90: Context) -> None:
    with pytest.raises(NotFound, match="nothing was logged between 2025-01-01 and 2025-01-31"):
        svc.build_report(ctx90, "2025-01-01", "2025-01-31")


def test_a_journal_without_a_profile_is_a_clear_message(ctx: Context) -> None:
    with pytest.raises(NotFound, match="no profile yet"):
        svc.build_report(ctx, None, None)


def test_a_reversed_period_is_an_input_error(ctx90: Context) -> None:
    with pytest.raises(InputError, match="starts"):
        svc.build_report(ctx90, LAST, FIRST)


def test_a_short_period_still_renders(ctx90: Context) -> None:
    r = svc.render_report(ctx90, "2026-11-20", "2026-11-23")
    assert r.pages is not None and 2 <= r.pages <= 5  # + the self-experiment section
    assert r.download.content.startswith(b"%PDF-")
    assert r.download.filename == "nightleaf-report-2026-11-20-to-2026-11-23.pdf"
    d = svc.build_report(ctx90, "2026-11-20", "2026-11-23")
    assert d.halves is None  # too few nights to compare halves, so no half columns


def test_cli_report_writes_pdf_and_html(cli: Callable[..., Result], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    assert cli("init", "--tz", "Europe/Berlin").code == 0
    assert cli("log", "pain", "6", "--context", "evening", "--at", "2026-11-23 21:00").code == 0
    r = cli("report", "--from", "2026-11-20", "--to", "2026-11-23", "--out",
            str(tmp_path / "r.pdf"), "--no-name")
    assert r.code == 0, r.err
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    r = cli("report", "--from", "2026-11-20", "--to", "2026-11-23", "--out",
            str(tmp_path / "r.html"))
    assert r.code == 0 and "<table" in (tmp_path / "r.html").read_text()


def test_cli_messages_are_one_line_and_exit_2(cli: Callable[..., Result], tmp_path: Path) -> None:
    r = cli("report", "--out", str(tmp_path / "r.pdf"))
    assert r.code == 2 and "run `nightleaf init` first" in r.err and "Traceback" not in r.err
    assert not (tmp_path / "r.pdf").exists()
    cli("init", "--tz", "Europe/Berlin")
    r = cli("report", "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(tmp_path / "r.pdf"))
    assert r.code == 2 and "nothing is logged yet" in r.err
    r = cli("report", "--out", str(tmp_path / "r.docx"))
    assert r.code == 2 and ".pdf or .html" in r.err
    r = cli("export", "fhir", "--out", str(tmp_path / "b.json"))
    assert r.code == 2 and "journal is empty" in r.err
    cli("log", "pain", "3", "--at", "20:00")
    r = cli("report", "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(tmp_path / "r.pdf"))
    assert r.code == 2 and "nothing was logged between 2026-01-01 and 2026-01-31" in r.err


def test_device_sleep_is_shown_apart_from_the_diary_in_report_and_fhir(ctx: Context) -> None:
    from nightleaf.io import fhir
    from nightleaf.services import export
    from tests.support.io_helpers import sample_episodes

    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(20, seed=3, last_night=date(2026, 11, 10)))
        repo.upsert_episodes(sample_episodes())  # night of 31 Oct, 360 min
    d = svc.build_report(ctx, "2026-10-22", "2026-11-10")
    rows = {r[0]: r[1] for r in render.report_tables(d)["sleep"].rows}
    assert rows["Total sleep time, apple_health (device), h (mean)"] == "6.0 (n=1)"
    bundle = fhir.build_bundle(export.load_journal(ctx), nightly={})
    device = [o for o in fhir.resources_of(bundle, "Observation") if "device" in o]
    assert [o["valueQuantity"]["value"] for o in device] == [360]

"""End to end in headless Debian Chromium against a real ``nightleaf serve`` on a free port.

A new user sets the profile, adds a product and batch and a medicine that draws a warning,
ticks tonight's routine, logs an intake and sees the warning *before* saving, logs the morning
and opens the dashboard, whose charts are drawn with data points. Every page is screenshotted
to ``artifacts/screenshots/`` (desktop and phone widths).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import free_port, start_server

pytestmark = pytest.mark.e2e
playwright = pytest.importorskip("playwright.sync_api")
SHOTS = Path(__file__).parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    proc = start_server(tmp_path / "e2e.db", port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.stop()
        # captured, so pytest shows it only when the test failed
        print(f"--- nightleaf serve output ---\n{proc.output()}")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_new_user_evening_to_morning_to_dashboard(browser, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    offsite: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server) else offsite.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of 422"
            not in m.text else None)  # 422: the deliberate typing mistake below

    page.goto(server + "/")
    shot(page, "01-home-new-user")
    # profile, with a typing mistake first: the message sits beside the field, input is kept
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Time zone").fill("Europe/Berlln")
    page.get_by_label("Region").fill("DE")
    page.get_by_label("Target bedtime").fill("23:00")
    page.get_by_role("button", name="Save profile").click()
    assert "unknown time zone" in page.locator("#e-tz").inner_text()
    assert page.get_by_label("Region").input_value() == "DE"
    shot(page, "02-settings-error")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Save profile").click()
    # the first profile leads on to medicines, the first safety check and the law
    assert page.get_by_role("heading", name="Your journal is ready").is_visible()
    assert page.get_by_role("heading", name="Your first safety check").is_visible()
    assert "Germany" in page.content()
    shot(page, "03-welcome")

    # product and batch
    page.get_by_role("link", name="Products").click()
    page.get_by_role("textbox", name="Name", exact=True).fill("Red Bali")
    page.get_by_role("button", name="Add product").click()
    page.get_by_label("Lot / batch code").fill("RB-24-07")
    page.get_by_label("Mitragynine, % of dry weight").fill("1.4")
    page.get_by_label("7-hydroxymitragynine (7-OH), % of dry weight").fill("0.02")
    page.get_by_label("Heavy metals").select_option("pass")
    page.get_by_role("button", name="Add batch").click()
    assert "RB-24-07" in page.content()
    shot(page, "04-products")

    # a medicine that draws a warning
    page.get_by_role("link", name="Medicines & conditions").click()
    page.get_by_role("textbox", name="Medicine", exact=True).fill("zolpidem")
    page.get_by_role("button", name="Add medicine").click()
    assert page.locator(".finding.sev-warning, .finding.sev-danger").count() >= 1
    page.get_by_role("textbox", name="Condition", exact=True).fill("sleep apnea")
    page.get_by_role("button", name="Add condition").click()
    shot(page, "05-medicines-conditions")

    # tonight: tick the routine, check an intake (the warning shows before saving), save it
    page.get_by_role("link", name="Tonight").click()
    page.get_by_label("Dim the lights").check()
    playwright.expect(page.locator("[data-status]")).to_have_text("Saved")
    intake = page.locator("#intake")
    intake.get_by_role("textbox", name="Amount").fill("3g")
    intake.get_by_label("Time", exact=True).fill("20:30")
    intake.get_by_label("Product").select_option(label="Red Bali")
    shot(page, "06-tonight")
    page.get_by_role("button", name="Check before saving").click()
    assert page.get_by_role("heading", name="Check before saving").is_visible()
    assert "zolpidem" in page.locator(".findings").inner_text().lower()
    assert page.locator(".finding.sev-warning, .finding.sev-danger").count() >= 1
    shot(page, "07-intake-check-before-saving")
    page.get_by_role("button", name="Save this intake").click()
    assert page.get_by_role("status").first.inner_text() == "Intake saved."  # after a 303
    assert "zolpidem" in page.locator(".findings").inner_text().lower()
    shot(page, "08-intake-saved")
    page.goto(server + "/tonight")
    assert page.get_by_label("Dim the lights").is_checked()
    page.locator("#substances").get_by_label("Kind").select_option("alcohol")
    page.locator("#substances").get_by_label("Amount").fill("1")
    page.get_by_role("button", name="Log substance").click()
    shot(page, "09-tonight-after")

    # the morning (of last night)
    page.get_by_role("link", name="Morning").click()
    page.get_by_label("Got into bed").fill("22:40")
    page.get_by_label("Tried to fall asleep").fill("23:00")
    page.get_by_label("Minutes to fall asleep").fill("25")
    page.get_by_label("Times woken during the night").fill("2")
    page.get_by_label("Minutes awake in total during those awakenings").fill("20")
    page.get_by_label("Final awakening").fill("06:45")
    page.get_by_label("Got out of bed").fill("07:05")
    page.get_by_label("Sleep quality").select_option("3")
    page.get_by_label("Pain now, 0 (none) to 10 (worst imaginable)").fill("4")
    page.get_by_role("button", name="Save the morning").click()
    assert "Saved the night of" in page.get_by_role("status").inner_text()
    shot(page, "10-morning-saved")

    page.get_by_role("link", name="Journal").click()
    assert page.locator("table.calendar td.has").count() >= 2
    shot(page, "11-journal")
    page.get_by_role("link", name="Safety & legal").click()
    assert "Germany" in page.content()
    shot(page, "12-safety-legal")

    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_selector("[data-chart] canvas")
    charts = page.locator("[data-chart]")
    assert charts.count() == 6
    assert page.locator("[data-chart] canvas").count() == 6
    drawn = int(page.locator("[data-chart='sleep']").get_attribute("data-drawn") or 0)
    assert drawn >= 1
    shot(page, "13-dashboard-new-user")

    # the report of the default period: shown in the app, and as a PDF download
    page.get_by_role("link", name="Report", exact=True).click()
    frame = page.frame_locator("iframe.report-frame")
    frame.locator("img").first.wait_for()
    assert frame.locator("h1, h2").count() >= 1
    assert frame.locator("img").count() >= 1
    with page.expect_download() as dl:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / dl.value.suggested_filename
    dl.value.save_as(pdf)
    assert pdf.name.endswith(".pdf") and pdf.read_bytes().startswith(b"%PDF")
    shot(page, "13b-report")
    page.fill("#f-from", "2026-12-01")
    page.get_by_role("button", name="Show").click()
    assert "after it ends" in page.locator("#e-from").inner_text()
    shot(page, "13c-report-bad-period")
    assert offsite == [], offsite
    assert errors == [], errors

    # a phone-sized screen
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    mp = phone.new_page()
    for path, name in (("/tonight", "m-tonight"), ("/morning", "m-morning"),
                       ("/journal", "m-journal")):
        mp.goto(server + path)
        shot(mp, name)
    phone.close()
    ctx.close()


def test_dashboard_draws_a_year_of_simulated_nights(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from nightleaf.services import open_context
    from nightleaf.simulate import simulate_journal

    db = tmp_path / "sim.db"
    ctx = open_context(f"sqlite:///{db}")
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(400, seed=7))
    ctx.store.dispose()
    port = free_port()
    proc = start_server(db, port, {"NIGHTLEAF_NOW": "2026-11-24T21:00:00-05:00"})
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/dashboard?days=90")
        page.wait_for_selector("[data-chart] canvas")
        for name in ("sleep", "sol", "pain", "intake", "regularity", "withwithout"):
            n = int(page.locator(f"[data-chart='{name}']").get_attribute("data-drawn") or 0)
            assert n > 20, name
        shot(page, "14-dashboard-90-nights")
        page.goto(f"http://127.0.0.1:{port}/dashboard?days=365")
        page.wait_for_selector("[data-chart] canvas")
        shot(page, "15-dashboard-1-year")
        for path, name in (("/journal", "16-journal-simulated"), ("/", "17-home-simulated"),
                           ("/products", "18-products-simulated"),
                           ("/health", "19-health-simulated"),
                           ("/safety", "20-safety-simulated"), ("/settings", "21-settings")):
            page.goto(f"http://127.0.0.1:{port}{path}")
            shot(page, name)
        page.close()
    finally:
        proc.stop()
        print(f"--- nightleaf serve output ---\n{proc.output()}")


def test_import_a_wearable_export_with_progress(browser, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Settings → Import: a large synthetic Apple Health export (progress shows while it
    uploads), a real Sleep as Android sample read in place, and random bytes (the message sits
    beside the file input)."""
    from bench.synth_apple_health import generate

    from tests.support.common import REAL, SHARED

    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the real samples are read in place, never copied")
    big = generate(tmp_path / "export.xml", size_bytes=80_000_000, nights=45, seed=11)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of 422"
            not in m.text else None)  # 422: the random bytes below
    page.goto(server + "/settings")
    page.get_by_role("link", name="Import a wearable export").click()
    shot(page, "22-import")

    page.set_input_files("#f-file", str(big))
    page.get_by_role("button", name="Import").click()
    playwright.expect(page.locator("[data-progress]")).to_be_visible()
    shot(page, "23-import-progress")
    playwright.expect(page.get_by_role("status")).to_contain_text("over 45 nights", timeout=60_000)
    assert page.locator("dl.stats").inner_text().split()[:2] == ["Added", "45"]

    page.set_input_files("#f-file", str(REAL / "sleep-as-android"
                                       / "ckondek_SleepPhase_Polar_sleep-export.csv"))
    page.get_by_label("Format").select_option("sleep-as-android")
    page.get_by_role("button", name="Import").click()
    playwright.expect(page.get_by_role("status")).to_contain_text("over 15 nights", timeout=30_000)
    shot(page, "24-import-result")

    junk = tmp_path / "mystery.bin"
    junk.write_bytes(bytes(range(256)) * 64)
    page.set_input_files("#f-file", str(junk))
    page.get_by_label("Format").select_option("")
    page.get_by_role("button", name="Import").click()
    playwright.expect(page.locator("#e-file")).to_contain_text("mystery.bin: not a sleep export")
    shot(page, "25-import-bad-file")
    assert errors == [], errors
    page.close()

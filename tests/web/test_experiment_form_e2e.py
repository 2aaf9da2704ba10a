"""The self-experiment form in headless Debian Chromium at 390×844 and 1366×900: the person picks
a wearable source for the sleep figures and "30%" for the pain MID, and the plan page shows both
in words; no sideways scroll on a phone. Screenshots go to
``artifacts/screenshots/experiment-form-*.png``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from nightleaf.model.entities import SleepEpisode
from nightleaf.services import open_context
from nightleaf.simulate import simulate_journal
from tests.support.server import free_port, start_server

pytestmark = pytest.mark.e2e
playwright = pytest.importorskip("playwright.sync_api")
SHOTS = Path(__file__).parents[2] / "artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}
NOW = "2026-11-24T12:00:00-05:00"
LAST = date(2026, 11, 23)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """90 simulated nights (with morning pain ratings) and two weeks of Fitbit nights."""
    db = tmp_path / "j.db"
    ctx = open_context(f"sqlite:///{db}")
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(90, seed=3, last_night=LAST))
        eps = []
        for k in range(14):
            night = LAST - timedelta(days=k)
            start = datetime(night.year, night.month, night.day, 4, tzinfo=UTC)
            eps.append(SleepEpisode("fitbit", f"fb-{k}", start, start + timedelta(hours=8),
                                    "America/New_York", night, tst_minutes=430))
        repo.upsert_episodes(eps)
    ctx.store.dispose()
    port = free_port()
    proc = start_server(db, port, {"NIGHTLEAF_NOW": NOW})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.stop()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_wearable_source_and_a_30_percent_pain_mid_set_from_the_form(
        browser, server, size) -> None:  # type: ignore[no-untyped-def]
    width, height = SIZES[size]
    ctx = browser.new_context(viewport={"width": width, "height": height},
                              service_workers="block")
    page = ctx.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + "/experiments")
    source = page.locator("#f-source")
    assert source.locator("option").all_inner_texts() == ["sleep diary", "fitbit (wearable)"]
    page.fill("#f-name", "earlier intake")
    page.select_option("#f-compare", "timing")
    page.fill("#f-a", "60")
    page.fill("#f-b", "120")
    page.select_option("#f-outcome", "pain")
    page.select_option("#f-source", "fitbit")
    page.fill("#f-mid", "30%")
    page.fill("#f-start", "2026-11-26")
    page.fill("#f-seed", "7")
    page.locator("#f-source").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"experiment-form-{size}.png"), full_page=True)
    page.get_by_role("button", name="Fix the plan").click()
    page.wait_for_url("**/experiments/*")
    plan = page.locator("#h-plan").locator("xpath=..").inner_text()
    assert "fitbit (wearable)" in plan
    assert "points (30 % of your usual " in plan
    page.screenshot(path=str(SHOTS / f"experiment-plan-{size}.png"), full_page=True)
    sideways = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert size != "phone" or sideways <= 0
    # a bad choice shows its one line beside the field, and nothing is saved
    page.goto(server + "/experiments")
    page.fill("#f-name", "too soon")
    page.fill("#f-a", "60")
    page.fill("#f-b", "120")
    page.select_option("#f-outcome", "tst")
    page.fill("#f-mid", "30%")
    page.fill("#f-start", "2027-03-01")
    page.get_by_role("button", name="Fix the plan").click()
    err = page.locator(".field.has-error").filter(has=page.locator("#f-mid"))
    assert "only for the pain outcome" in err.inner_text()
    page.screenshot(path=str(SHOTS / f"experiment-form-error-{size}.png"), full_page=True)
    assert "too soon" not in page.locator("#h-list").locator("xpath=..").inner_text()
    ctx.close()

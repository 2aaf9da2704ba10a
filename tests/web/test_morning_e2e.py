"""The morning loop and the views in Debian's Chromium at 390×844 and 1366×900: saving twice keeps
one pain rating, a reload adds nothing, the form works without JavaScript, the dashboard draws
without JavaScript, and offline the installed shell says the journal is unreachable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest

from tests.support.server import free_port, start_server

pytestmark = pytest.mark.e2e
playwright = pytest.importorskip("playwright.sync_api")
SHOTS = Path(__file__).parents[2] / "artifacts" / "screenshots" / "morning"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
NOW = "2026-11-24T21:00:00+01:00"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    from nightleaf.services import open_context
    from nightleaf.simulate import simulate_journal

    db = tmp_path / "m.db"
    ctx = open_context(f"sqlite:///{db}", clock=lambda: datetime.fromisoformat(NOW))
    with ctx.tx() as repo:  # a profile and 60 nights up to 2026-11-20; the 23rd is empty
        repo.save_journal(simulate_journal(60, seed=5, last_night=date(2026, 11, 20)))
    port = free_port()
    proc = start_server(db, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.stop()


def _pains(server: str, night: str = "2026-11-23") -> list[tuple[str, int]]:
    return [(p["context"], p["nrs"]) for p in
            httpx.get(f"{server}/api/nights/{night}").json()["pain"]]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_the_morning_saved_twice_and_reloaded_keeps_one_pain_rating(
        browser, server, size, js) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport=SIZES[size], java_script_enabled=js,
                              service_workers="block")
    page = ctx.new_page()
    page.goto(server + "/morning?night=2026-11-23")
    assert page.get_by_label("Got into bed").input_value() == "23:00"  # from the plan
    page.get_by_label("Pain now, 0 (none) to 10 (worst imaginable)").fill("6")
    if not page.locator("#f-sym-side_effect-nausea").is_visible():
        page.locator("summary", has_text="Side effects this morning").click()  # open the list
    page.locator("#f-sym-side_effect-nausea").select_option("2")
    page.get_by_role("button", name="Save the morning").click()
    assert "Saved the night of Mon 23 Nov 2026" in page.get_by_role("status").inner_text()
    # the page shows what is saved; save again with another rating, then reload twice
    assert page.get_by_label("Pain now, 0 (none) to 10 (worst imaginable)").input_value() == "6"
    assert page.locator("#f-sym-side_effect-nausea").input_value() == "2"
    page.get_by_label("Pain now, 0 (none) to 10 (worst imaginable)").fill("4")
    # the save must have answered before the reload (a reload during it raced: "Not attached to
    # an active page", or a save the reload cut off)
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.get_by_role("button", name="Save the morning").click()
    page.wait_for_load_state()
    page.reload()
    page.reload()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"morning-saved-{size}-{'js' if js else 'nojs'}.png"),
                    full_page=True)
    assert _pains(server) == [("morning", 4)]
    ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_dashboard_without_javascript_draws_svg_lines(browser, server, size) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport=SIZES[size], java_script_enabled=False)
    page = ctx.new_page()
    page.goto(server + "/dashboard?days=28&last=2026-11-20")
    svgs = page.locator("svg.fallback")
    assert svgs.count() == 6
    box = svgs.first.bounding_box()
    assert box is not None and box["height"] > 100 and box["width"] > 200
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"dashboard-nojs-{size}.png"), full_page=True)
    ctx.close()


def test_the_dashboard_hover_label_names_the_night(browser, server) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport=SIZES["desktop"])
    page = ctx.new_page()
    page.goto(server + "/dashboard?days=14&last=2026-11-20")
    chart = page.locator("[data-chart=sol] .u-over")
    chart.wait_for()
    box = chart.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    legend = page.locator("[data-chart=sol] .u-legend").inner_text()
    assert "Fri 20 Nov" in legend and "pm" not in legend
    ctx.close()


def test_offline_the_installed_shell_says_the_journal_is_unreachable(browser, server) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport=SIZES["phone"])
    page = ctx.new_page()
    page.goto(server + "/tonight")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null || "
                           "navigator.serviceWorker.ready")
    page.reload()  # now controlled by the worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    ctx.set_offline(True)
    page.goto(server + "/tonight")
    assert "The journal is unreachable" in page.locator("h1").inner_text()
    assert page.locator("main").inner_text().count("Tonight") == 0  # no stale plan shown
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "offline-phone.png"), full_page=True)
    ctx.set_offline(False)
    ctx.close()

"""The evening loop in headless Debian Chromium at 390×844 and 1366×900 on a year of data: a planned
intake checked before it is taken, DANGER visible without a click, a reload after a save adds
nothing, a medicine removed with confirm and undo, no horizontal scroll, and the intake form, the
check and the findings with JavaScript off. Screenshots go to ``artifacts/screenshots/evening-*``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from nightleaf.services import open_context
from nightleaf.simulate import simulate_journal
from tests.support.server import free_port, start_server

pytestmark = pytest.mark.e2e
playwright = pytest.importorskip("playwright.sync_api")
SHOTS = Path(__file__).parents[2] / "artifacts" / "screenshots"
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}
NOW = "2026-11-24T21:30:00-05:00"  # 21:30 in New York, the simulated journal's zone


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("evening") / "year.db"
    ctx = open_context(f"sqlite:///{db}")
    with ctx.tx() as repo:  # a year of nights up to last night
        repo.save_journal(simulate_journal(365, seed=14, last_night=date(2026, 11, 23)))
    port = free_port()
    proc = start_server(db, port, {"NIGHTLEAF_NOW": NOW})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.stop()
        print(f"--- nightleaf serve output ---\n{proc.output()}")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"evening-{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{page.url} scrolls sideways by {wide}px"


def height(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.body.scrollHeight"))


def intakes_tonight(page, server: str) -> int:  # type: ignore[no-untyped-def]
    return len(page.request.get(server + "/api/nights/2026-11-24").json()["intakes"])


@pytest.mark.parametrize("size", list(SIZES))
def test_the_evening_on_a_year_of_data(browser, server, size) -> None:  # type: ignore[no-untyped-def]
    w, h = SIZES[size]
    ctx = browser.new_context(viewport={"width": w, "height": h})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # a drink after kratom tonight: a DANGER finding
    api = page.request
    page.goto(server + "/tonight")
    assert api.post(server + "/api/intakes", data={"amount": "3g", "at": "20:00"}).ok
    assert api.post(server + "/api/substances", data={"kind": "alcohol", "amount": "2",
                                                      "at": "20:30"}).ok
    page.goto(server + "/tonight")
    # DANGER without a click: the summary and the open danger finding are on screen
    summary = page.locator(".sev-top .sev-summary")
    assert summary.locator(".badge.sev-danger").is_visible()
    assert page.locator(".finding.sev-danger").first.locator("p").first.is_visible()
    # tonight's plan, the summary and the intake form on the first screen
    form_top = page.locator("#intake").bounding_box()
    assert page.locator("#h-plan").bounding_box()["y"] < h
    assert form_top is not None and form_top["y"] < h, f"intake form starts at {form_top}"
    no_horizontal_scroll(page)
    print(f"{size}: /tonight body.scrollHeight = {height(page)}")
    shot(page, f"tonight-{size}")

    # a planned intake, checked before it is taken
    before = intakes_tonight(page, server)
    form = page.locator("#intake")
    form.get_by_role("textbox", name="Amount").fill("2g")
    form.get_by_role("textbox", name="Time").fill("21:45")
    form.get_by_role("button", name="Check before saving").click()
    assert page.get_by_role("heading", name="Planned intake, checked").is_visible()
    assert page.locator(".badge.sev-danger").first.is_visible()
    assert "terminal" not in page.content() and "--at" not in page.content()
    no_horizontal_scroll(page)
    print(f"{size}: /tonight/check body.scrollHeight = {height(page)}")
    shot(page, f"check-planned-{size}")
    assert intakes_tonight(page, server) == before
    page.get_by_role("link", name="Change it").click()  # the values come back
    assert page.locator("#intake").get_by_role("textbox", name="Amount").input_value() == "2g"
    assert page.locator("#intake").get_by_role("textbox", name="Time").input_value() == "21:45"

    # a bad amount: the message beside the field, and the focus on it
    form = page.locator("#intake")
    form.get_by_role("textbox", name="Amount").fill("3 spoons")
    form.get_by_role("textbox", name="Time").fill("21:10")
    form.get_by_role("button", name="Check before saving").click()
    assert page.locator("#e-amount").is_visible()
    assert page.evaluate("document.activeElement.id") == "f-amount"
    shot(page, f"intake-error-{size}")

    # what has happened is saved; a reload adds nothing
    form = page.locator("#intake")
    form.get_by_role("textbox", name="Amount").fill("1g")
    form.get_by_role("textbox", name="Time").fill("21:10")
    form.get_by_role("button", name="Check before saving").click()
    shot(page, f"check-{size}")
    page.get_by_role("button", name="Save this intake").click()
    assert page.get_by_role("status").first.inner_text() == "Intake saved."
    assert page.locator(".badge.sev-danger").first.is_visible()
    shot(page, f"intake-saved-{size}")
    page.reload()
    page.reload()
    assert intakes_tonight(page, server) == before + 1

    # a medicine: edit, remove (asks first), undo
    med = {"phone": "tramadol", "desktop": "codeine"}[size]
    page.goto(server + "/health")
    page.locator("#f-name").fill(med)
    page.get_by_role("button", name="Add medicine").click()
    assert page.get_by_role("status").first.inner_text() == "Medicine added."
    no_horizontal_scroll(page)
    shot(page, f"health-{size}")
    page.get_by_role("link", name=f"Remove {med}").click()
    assert page.get_by_role("heading", name=f"Remove {med}?").is_visible()
    shot(page, f"medicine-remove-{size}")
    page.get_by_role("button", name="Remove it").click()
    assert page.get_by_role("link", name=f"Remove {med}").count() == 0
    shot(page, f"medicine-removed-{size}")
    page.get_by_role("button", name="Undo").click()
    assert page.get_by_role("link", name=f"Remove {med}").count() == 1
    page.get_by_role("link", name=f"Edit {med}").click()
    shot(page, f"medicine-edit-{size}")
    page.get_by_label("Dose as you take it (optional)").fill("50 mg")
    page.get_by_role("button", name="Save").click()
    assert f"{med} · 50 mg" in page.locator("main").inner_text()

    for path in ("/", "/products", "/safety", "/journal"):
        page.goto(server + path)
        no_horizontal_scroll(page)
        shot(page, f"{path.strip('/') or 'home'}-{size}")
    assert errors == []
    ctx.close()


def test_intake_check_and_findings_work_without_javascript(browser, server) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(server + "/tonight")
    before = intakes_tonight(page, server)
    form = page.locator("#intake")
    form.get_by_role("textbox", name="Amount").fill("2g")
    form.get_by_role("textbox", name="Time").fill("21:50")
    form.get_by_role("button", name="Check before saving").click()
    assert page.get_by_role("heading", name="Planned intake, checked").is_visible()
    # danger findings open without a click, with JavaScript off too
    page.locator(".finding.sev-danger").first.locator("p").first.wait_for(state="visible")
    page.get_by_role("link", name="Change it").click()
    form = page.locator("#intake")
    form.get_by_role("textbox", name="Time").fill("21:20")
    form.get_by_role("button", name="Check before saving").click()
    page.get_by_role("button", name="Save this intake").click()
    assert page.get_by_role("status").first.inner_text() == "Intake saved."
    page.reload()
    assert intakes_tonight(page, server) == before + 1
    shot(page, "nojs-intake-saved-phone")
    ctx.close()

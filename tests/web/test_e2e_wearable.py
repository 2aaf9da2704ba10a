"""End to end at 390×844 in Debian's Chromium: an imported wearable night is visible on its night
page, beside (not mixed into) the diary, labelled by its source, without horizontal scroll."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.common import REAL, SHARED
from tests.support.server import free_port, start_server

pytestmark = pytest.mark.e2e
playwright = pytest.importorskip("playwright.sync_api")
SAA = "sleep-as-android/ckondek_SleepPhase_Polar_sleep-export.csv"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    proc = start_server(tmp_path / "e2e.db", port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.stop()
        print(f"--- nightleaf serve output ---\n{proc.output()}")


def test_an_imported_night_is_visible_on_its_night_page_on_a_phone(browser, server) -> None:  # type: ignore[no-untyped-def]
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the real samples are read in place, never copied")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/import")
    page.set_input_files("#f-file", str(REAL / SAA))
    page.get_by_label("Format").select_option("sleep-as-android")
    page.get_by_role("button", name="Import").click()
    playwright.expect(page.get_by_role("status")).to_contain_text("over 15 nights", timeout=30_000)

    nights = page.request.get(server + "/api/nights?first=2007-01-01&days=7320").json()["nights"]
    night = next(n for n in nights if n["wearable"])
    w = night["wearable"][0]
    assert w["source"] == "sleep_as_android" and w["tst_minutes"] is not None
    page.goto(f"{server}/journal/night/{night['night']}")
    block = page.get_by_role("region", name="Wearable sleep")
    playwright.expect(block).to_be_visible()
    playwright.expect(block).to_contain_text("Sleep as android")
    playwright.expect(block).to_contain_text(f"{w['tst_minutes'] / 60:.1f}".rstrip("0").rstrip("."))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    month = night["night"][:7]
    page.goto(f"{server}/journal?month={month}")
    day = int(night["night"][8:])
    link = page.locator(f'a[href="/journal/night/{night["night"]}"]').first
    playwright.expect(link).to_have_attribute("aria-label", playwright_re(r"sleep as android"))
    assert str(day) in link.inner_text()
    assert errors == [], errors
    phone.close()


def playwright_re(pattern: str):  # type: ignore[no-untyped-def]
    import re
    return re.compile(pattern)

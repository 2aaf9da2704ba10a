"""Every page with a year of data in Debian's Chromium at 390×844 and 1366×900: axe-core finds no
serious or critical violation, and no page scrolls sideways on a phone. Screenshots of each page
at both sizes go to ``artifacts/screenshots/axe/``.

axe-core comes from npm into a temporary folder at test time (skipped, with a message, when npm
or the registry is unavailable); it is injected into pages opened with the CSP bypassed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.support.server import free_port, start_server

pytestmark = pytest.mark.e2e
playwright = pytest.importorskip("playwright.sync_api")
SHOTS = Path(__file__).parents[2] / "artifacts" / "screenshots" / "axe"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
NOW = "2026-11-24T21:00:00+01:00"
PAGES = ("/", "/tonight", "/morning", "/morning?night=2026-11-20", "/journal",
         "/journal/night/2026-11-20", "/dashboard", "/dashboard?days=365",
         "/dashboard?days=365&view=week", "/report", "/report/view", "/products", "/health",
         "/safety", "/settings", "/import", "/experiments", "/experiments/1", "/welcome",
         "/static/offline.html")


@pytest.fixture(scope="module")
def axe_js(tmp_path_factory: pytest.TempPathFactory) -> str:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is missing (Debian: apt-get install npm), so axe-core cannot be fetched")
    d = tmp_path_factory.mktemp("axe")
    r = subprocess.run([npm, "install", "--prefix", str(d), "--no-audit", "--no-fund",
                        "axe-core@4"], capture_output=True, text=True, timeout=300, check=False)
    js = d / "node_modules" / "axe-core" / "axe.min.js"
    if r.returncode != 0 or not js.exists():
        pytest.skip(f"npm could not install axe-core: {r.stderr.strip()[-300:]}")
    return js.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def year_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from nightleaf.services import open_context
    from nightleaf.simulate import simulate_journal

    db = tmp_path_factory.mktemp("year") / "year.db"
    ctx = open_context(f"sqlite:///{db}", clock=lambda: datetime.fromisoformat(NOW))
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(365, seed=11))
    port = free_port()
    proc = start_server(db, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.stop()


def _axe(page, axe_js: str) -> list[dict]:  # type: ignore[no-untyped-def]
    page.add_script_tag(content=axe_js)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_has_no_serious_axe_violation_and_no_sideways_scroll(
        browser, year_server, axe_js, size) -> None:  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport=SIZES[size], bypass_csp=True, service_workers="block")
    page = ctx.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for path in PAGES:
        resp = page.goto(year_server + path)
        assert resp is not None and resp.status == 200, (path, resp and resp.status)
        page.wait_for_load_state("load")
        name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "home"
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
        for v in _axe(page, axe_js):
            problems.append(f"{path} [{size}] {v['id']} ({v['impact']}): {v['nodes']}")
        sideways = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if size == "phone" and sideways > 0:
            problems.append(f"{path} [phone] scrolls sideways by {sideways}px")
    ctx.close()
    assert not problems, "\n".join(problems)

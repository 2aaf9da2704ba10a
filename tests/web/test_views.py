"""Report, dashboard and settings views: the report cache, phone layout hooks, no-JS dashboard,
exports, the install files."""

from __future__ import annotations

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

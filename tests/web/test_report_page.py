"""``/report``: choose a period, view the HTML report in the app, download the PDF."""

from __future__ import annotations

import re

import pytest

from nightleaf.services.context import Context
from nightleaf.simulate import simulate_journal
from nightleaf.web.security import REPORT_CSP


@pytest.fixture
def seeded(client, ctx: Context):  # type: ignore[no-untyped-def]
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(40, seed=7))  # nights up to 2026-11-23
    return client


def test_without_a_profile_the_page_says_what_to_do(client) -> None:
    r = client.get("/report")
    assert r.status_code == 404
    assert "no profile yet" in r.text and "<iframe" not in r.text


def test_default_period_is_the_summary_window_and_the_report_is_framed(seeded) -> None:
    r = seeded.get("/report")
    assert r.status_code == 200, r.text[-600:]
    assert 'value="2026-10-27"' in r.text and 'value="2026-11-23"' in r.text  # 28 nights
    assert '<iframe class="report-frame" src="/report/view?from=2026-10-27&amp;to=2026-11-23"' \
        in r.text
    assert 'href="/report.pdf?from=2026-10-27&amp;to=2026-11-23"' in r.text
    assert 'aria-current="page"' in r.text and ">Report<" in r.text


def test_report_view_is_a_scriptless_document_only_this_app_may_frame(seeded) -> None:
    r = seeded.get("/report/view?from=2026-11-01&to=2026-11-23")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == REPORT_CSP
    assert "script-src" not in REPORT_CSP and "sandbox" in REPORT_CSP
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert "<script" not in r.text and 'src="data:image/png;base64,' in r.text
    assert "2026-11-01" in r.text or "01 Nov 2026" in r.text or "1 Nov 2026" in r.text
    # every other response keeps the strict policy, even if a route tried to set another
    assert seeded.get("/report").headers["x-frame-options"] == "DENY"


def test_pdf_downloads_as_a_file(seeded) -> None:
    r = seeded.get("/report.pdf?from=2026-11-01&to=2026-11-23&no_name=1")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    disp = r.headers["content-disposition"]
    assert disp.startswith("attachment") and "nightleaf-report-2026-11-01-to-2026-11-23.pdf" in disp


@pytest.mark.parametrize(("query", "field", "message"), [
    ("from=2026-13-01&to=2026-11-23", "from", "cannot read the night '2026-13-01'"),
    ("from=2026-11-01&to=yesterday-ish", "to", "cannot read the night"),
    ("from=2026-11-20&to=2026-11-01", "from", "starts (2026-11-20) after it ends"),
])
def test_a_bad_period_is_shown_beside_its_field_and_kept(seeded, query, field, message) -> None:
    r = seeded.get(f"/report?{query}")
    assert r.status_code == 422
    err = re.search(rf'<p id="e-{field}" class="field-error" role="alert">([^<]*)</p>', r.text)
    assert err and message in err.group(1).replace("&#39;", "'"), r.text[-1500:]
    typed = dict(p.split("=") for p in query.split("&"))
    assert f'value="{typed[field]}"' in r.text and "<iframe" not in r.text


def test_an_empty_period_gives_the_services_message(seeded) -> None:
    r = seeded.get("/report?from=2020-01-01&to=2020-01-20")
    assert r.status_code == 404
    assert "nothing was logged between 2020-01-01 and 2020-01-20" in r.text
    assert "<iframe" not in r.text
    assert seeded.get("/report.pdf?from=2020-01-01&to=2020-01-20").status_code == 404

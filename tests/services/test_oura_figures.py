"""Issue 13: the real Oura samples, imported into the journal (SQLite and PostgreSQL), give
the file's own figures in the nightly rows every view reads (``nights --json``)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from nightleaf.services import Context
from nightleaf.services.imports import import_wearable
from nightleaf.services.nights import list_nights
from tests.support.common import real_fixture

V1 = ("oura", "themontypython_oura_api_v1_sleep_2023-01_2023-02.json")


def test_nightly_rows_show_the_oura_files_own_figures(ctx: Context) -> None:
    with ctx.tx() as repo:
        p = ctx.profile()
        p.tz = "America/Los_Angeles"
        repo.save_profile(p)
    path = real_fixture(*V1)
    assert import_wearable(ctx, path).added == 39
    raw = {p["summary_date"]: p for p in json.loads(path.read_text())["sleep"]}
    rows = list_nights(ctx, date(2023, 1, 1), date(2023, 2, 8))
    seen = 0
    for row in rows:
        (w,) = row.wearable
        p = raw[row.night.isoformat()]  # v1's summary_date names the night as nightleaf does
        assert w.source == "oura"
        assert w.tst_minutes == pytest.approx(p["total"] / 60, abs=0.05)
        assert w.sol_minutes == pytest.approx(p["onset_latency"] / 60, abs=0.05)
        assert w.tib_minutes == pytest.approx(p["duration"] / 60, abs=0.05)
        assert {k: w.stage_minutes[k] for k in ("deep", "light", "rem", "awake")} == \
            pytest.approx({"deep": p["deep"] / 60, "light": p["light"] / 60,
                           "rem": p["rem"] / 60, "awake": p["awake"] / 60}, abs=0.05)
        seen += 1
    assert seen == 39
    # importing the file again changes nothing: the stored figures are the file's
    again = import_wearable(ctx, path)
    assert (again.added, again.updated, again.skipped) == (0, 0, 39)

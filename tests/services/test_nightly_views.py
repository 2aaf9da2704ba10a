"""One source of nightly figures: ``nights`` (CLI ``--json``), ``summary``, the dashboard and the
report agree night by night on the same journal, wearable nights and repeated ratings included."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, time, timedelta
from typing import Any

import pytest

from nightleaf.model.clock import resolve_local
from nightleaf.model.entities import PainRating, SleepEpisode, StageSegment
from nightleaf.services import Context
from nightleaf.services import report as report_svc
from nightleaf.services import summary as summary_svc
from nightleaf.simulate import simulate_journal
from nightleaf.web import dashboard
from tests.support.common import Result

LAST = date(2026, 11, 23)
DAYS = 40
FIRST = LAST - timedelta(days=DAYS - 1)
TZ = "America/New_York"


def _episode(source: str, night: date, bed: int, asleep_min: int, k: int) -> SleepEpisode:
    start = resolve_local(night, time(23, 0), TZ).astimezone(UTC)
    start += timedelta(minutes=bed)
    a = start + timedelta(minutes=10 + k % 7)
    b = a + timedelta(minutes=asleep_min)
    return SleepEpisode(
        source=source, external_id=f"{source}-{night}", start=start,
        end=b + timedelta(minutes=15), tz=TZ, night=night, id=(1000 if source == "oura" else 2000) + k,
        stages=[StageSegment(start, a, "awake"), StageSegment(a, a + timedelta(minutes=120), "light"),
                StageSegment(a + timedelta(minutes=120), a + timedelta(minutes=140), "awake"),
                StageSegment(a + timedelta(minutes=140), b, "deep"),
                StageSegment(b, b + timedelta(minutes=15), "awake")])


def _seed(ctx: Context) -> None:
    j = simulate_journal(DAYS, seed=11)
    # wearable nights from two sources (some nights with both, some with only one)
    for k in range(0, DAYS, 2):
        j.episodes.append(_episode("oura", FIRST + timedelta(days=k), 5 * k % 40, 380 + k, k))
    for k in range(1, DAYS, 3):
        j.episodes.append(_episode("fitbit", FIRST + timedelta(days=k), 10, 400 - k, k))
    # a night with two morning ratings and two evening ratings: the last of each wins
    night = LAST - timedelta(days=3)
    for hh, nrs, context in ((20, 7, "evening"), (22, 4, "evening")):
        j.pain.append(PainRating(resolve_local(night, time(hh, 0),
                                               TZ), TZ, night, nrs, context, id=90000 + hh))
    nxt = night + timedelta(days=1)
    for hh, nrs in ((7, 2), (9, 8)):
        j.pain.append(PainRating(resolve_local(nxt, time(hh, 0),
                                               TZ), TZ, night, nrs, "morning", id=91000 + hh))
    with ctx.tx() as repo:
        repo.save_journal(j)


def _by_night(rows: Any) -> dict[date, Any]:
    return {r.night: r for r in rows}


def test_nights_summary_dashboard_and_report_agree_night_by_night(
        ctx: Context, cli: Callable[..., Result]) -> None:
    _seed(ctx)
    r = cli("nights", "--from", FIRST.isoformat(), "--to", LAST.isoformat(), "--json")
    assert r.code == 0, r.err
    nights = {date.fromisoformat(n["night"]): n for n in json.loads(r.out)["nights"]}
    summ = _by_night(summary_svc.summarise(ctx, days=DAYS, last=LAST.isoformat()).nights)
    dash_s = summary_svc.dashboard_summary(ctx, days=DAYS, last=LAST.isoformat())
    series = dashboard.series(dash_s)
    dash = _by_night(dash_s.nights)
    rep = _by_night(report_svc.build_report(ctx, FIRST.isoformat(), LAST.isoformat()).window.nights)
    assert len(summ) == len(dash) == len(rep) == DAYS

    checked_wearable = checked_pain = 0
    for k, n in enumerate(FIRST + timedelta(days=i) for i in range(DAYS)):
        s, d, p = summ[n], dash[n], rep[n]
        assert s == d == p, n  # the same figures, wearable nights, pain and symptoms included
        row = nights.get(n)
        if row is None:  # `nights` leaves out a night with nothing recorded, and only that
            assert not s.recorded
            continue
        grams = s.intake.total_grams if s.intake else 0.0
        assert row["grams"] == pytest.approx(grams, abs=1e-3)
        assert series["grams"][k] == (None if s.intake is None else pytest.approx(grams, abs=0.01))
        tst = s.diary.tst_minutes if s.diary else None
        assert row["tst_minutes"] == (None if tst is None else pytest.approx(tst))
        assert series["tst_h"][k] == (None if tst is None else pytest.approx(tst / 60, abs=0.01))
        assert row["pain_evening"] == (s.pain.evening_nrs if s.pain else None)
        assert row["pain_morning"] == (s.pain.morning_nrs if s.pain else None)
        assert series["pain_morning"][k] == row["pain_morning"]
        assert [w["source"] for w in row["wearable"]] == [m.source for m in s.wearable]
        for w, m in zip(row["wearable"], s.wearable, strict=True):
            for key in ("tib_minutes", "tst_minutes", "sol_minutes", "waso_minutes", "se_percent"):
                assert w[key] == pytest.approx(getattr(m, key), abs=0.05), (n, key)
            assert series["wearable"][m.source]["tst_h"][k] == pytest.approx(m.tst_minutes / 60,
                                                                           abs=0.01)
            checked_wearable += 1
        if row["pain_morning"] is not None:
            checked_pain += 1
    assert checked_wearable >= DAYS // 2 + DAYS // 3 - 1 and checked_pain > 5
    # the repeated ratings: the last evening and the last morning rating of the night
    odd = nights[LAST - timedelta(days=3)]
    assert (odd["pain_evening"], odd["pain_morning"]) == (4, 8)
    # an episode's own figures, from its stages: 10+ min to fall asleep, 20 min awake inside
    w = nights[FIRST]["wearable"][0]
    assert (w["source"], w["sol_minutes"], w["waso_minutes"]) == ("oura", 10.0, 20.0)
    assert w["tst_minutes"] == 380 - 20 and w["tib_minutes"] == 10 + 380 + 15


def test_the_nights_table_shows_wearable_sleep_by_source(
        ctx: Context, cli: Callable[..., Result]) -> None:
    _seed(ctx)
    r = cli("nights", "--from", FIRST.isoformat(), "--to", (FIRST + timedelta(days=1)).isoformat())
    assert r.code == 0, r.err
    assert "oura: 6 h / " in r.out  # 360 min asleep on the first night
    assert "fitbit:" in r.out


def test_the_chart_columns_read_only_the_nightly_rows(ctx: Context) -> None:
    """``/api/dashboard`` builds its columns from ``dashboard_nights`` (no means, regularity or
    comparisons): the same columns as from the whole dashboard summary, wearable sources
    included — also a source whose only episode in the window is a nap."""
    from nightleaf.model.plain import to_plain

    _seed(ctx)
    nap = _episode("apple_health", LAST - timedelta(days=5), 0, 60, 3)
    with ctx.tx() as repo:
        repo.upsert_episodes([SleepEpisode(**{**nap.__dict__, "is_nap": True, "id": None})])
    full = summary_svc.dashboard_summary(ctx, days=DAYS, last=LAST.isoformat())
    rows = summary_svc.dashboard_nights(ctx, days=DAYS, last=LAST.isoformat())
    assert rows.wearable == tuple(full.wearable) == ("apple_health", "fitbit", "oura")
    assert (rows.first_night, rows.last_night, rows.tz) == (full.first_night, full.last_night,
                                                            full.tz)
    assert rows.nights == full.nights
    assert json.dumps(to_plain(dashboard.series(rows))) == \
        json.dumps(to_plain(dashboard.series(full)))


def test_api_dashboard_columns_come_out_the_same_from_the_lean_read(ctx: Context) -> None:
    """``/api/dashboard`` builds its columns from ``dashboard_nights`` (no means, regularity or
    comparisons): the same columns, wearable sources included, as from ``dashboard_summary``."""
    _seed(ctx)
    for days, last in ((DAYS, LAST.isoformat()), (7, (LAST - timedelta(days=5)).isoformat())):
        full = summary_svc.dashboard_summary(ctx, days=days, last=last)
        lean = summary_svc.dashboard_nights(ctx, days=days, last=last)
        assert (lean.first_night, lean.last_night, lean.tz, lean.nights) == \
            (full.first_night, full.last_night, full.tz, full.nights)
        assert lean.wearable == tuple(sorted(full.wearable)) and lean.wearable
        assert dashboard.series(lean) == dashboard.series(full)

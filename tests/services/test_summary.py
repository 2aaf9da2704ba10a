"""``summarise``: a 90-night generated journal, loaded from the store."""

from __future__ import annotations

from datetime import date, timedelta
from statistics import fmean

import pytest

from nightleaf.errors import InputError
from nightleaf.model.clock import minutes_between
from nightleaf.services import Context
from nightleaf.services import summary as svc
from nightleaf.simulate import simulate_journal
from nightleaf.stats.compare import NOT_ENOUGH

LAST = date(2026, 11, 23)  # the generator's last night; the pinned clock's last night


def _seed(ctx: Context, nights: int = 90, **kw: float) -> None:
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(nights, seed=7, **kw))


def test_window_ends_on_the_last_complete_night(ctx: Context) -> None:
    _seed(ctx, 10)
    assert svc.summary_window(ctx, 28) == (LAST - timedelta(days=27), LAST)
    assert svc.summary_window(ctx, 7, "2026-11-10") == (date(2026, 11, 4), date(2026, 11, 10))
    with pytest.raises(InputError, match="^days must be between"):
        svc.summary_window(ctx, 0)


def test_ninety_night_summary_matches_the_journal(ctx: Context) -> None:
    _seed(ctx)
    j = simulate_journal(90, seed=7)
    s = svc.summarise(ctx, days=90)
    assert (s.first_night, s.last_night, s.days) == (LAST - timedelta(days=89), LAST, 90)
    assert s.diary["tst_minutes"].n == len(j.sleep)
    used = {i.night for i in j.intakes}
    assert s.intake.nights_with_use == len(used)

    # recompute the with/without TST difference straight from the raw diary items
    tst = {e.night: minutes_between(e.tried_to_sleep, e.final_awakening) - e.sol_minutes
           - e.waso_minutes for e in j.sleep}
    with_k = [v for n, v in tst.items() if n in used]
    without = [v for n, v in tst.items() if n not in used]
    c = next(c for c in s.comparisons
             if c.group == "nights with kratom" and c.metric == "tst_minutes")
    assert (c.status, c.n_group, c.n_reference) == ("ok", len(with_k), len(without))
    assert c.difference == pytest.approx(fmean(with_k) - fmean(without))
    assert c.ci_low < c.difference < c.ci_high
    assert c.note == "observational, not proof of cause"
    assert s.regularity[0].source == "diary" and s.regularity[0].sri.sri is not None


def test_groups_under_five_nights_say_not_enough_data(ctx: Context) -> None:
    _seed(ctx)
    s = svc.summarise(ctx, days=90)
    late = [c for c in s.comparisons if "180 min or more" in c.group]
    assert late and all(c.status == NOT_ENOUGH and c.difference is None for c in late)
    for c in s.comparisons:
        assert (c.status == NOT_ENOUGH) == (min(c.n_group, c.n_reference) < 5)


def test_rare_use_gives_not_enough_data_for_every_comparison(ctx: Context) -> None:
    _seed(ctx, 28, use_rate=0.05)
    s = svc.summarise(ctx, days=28)
    assert s.intake.nights_with_use < 5
    assert all(c.status == NOT_ENOUGH for c in s.comparisons)


def test_summary_json_is_plain(ctx: Context) -> None:
    import json

    _seed(ctx, 28)
    data = json.loads(json.dumps(svc.summary_json(svc.summarise(ctx)), allow_nan=False))
    assert data["days"] == 28 and len(data["nights"]) == 28
    assert data["regularity"][0]["sri"]["rule"] == "skip-missing-pairs, pooled"


def test_device_episodes_are_summarised_apart_from_the_diary(any_ctx: Context) -> None:
    """Also on PostgreSQL: stages come back from the store and stay labelled by source."""
    from tests.support.io_helpers import sample_episodes

    _seed(any_ctx, 40)
    with any_ctx.tx() as repo:
        repo.upsert_episodes(sample_episodes())
    s = svc.summarise(any_ctx, days=40)
    night = next(r for r in s.nights if r.night == date(2026, 10, 31))  # the fall-back night
    (device,) = night.wearable
    assert device.source == "apple_health"
    assert (device.tib_minutes, device.tst_minutes, device.nwak) == (420, 360, 3)
    assert device.stage_minutes == {"light": 120, "deep": 120, "rem": 90, "awake": 90}
    assert night.diary is None or night.diary.source == "diary"
    assert s.wearable["apple_health"]["tst_minutes"].n == 1
    assert s.diary["tst_minutes"].n == len([r for r in s.nights if r.diary])
    reg = {r.source: r for r in s.regularity}
    assert reg["apple_health"].sri.sri is None  # one night is not enough for an SRI
    assert reg["diary"].sri.sri is not None


def test_ten_year_window_is_accepted(ctx: Context) -> None:
    _seed(ctx, 30)
    assert svc.MAX_DAYS >= 3653
    s = svc.summarise(ctx, days=3653)
    assert (s.first_night, s.last_night, s.days) == (LAST - timedelta(days=3652), LAST, 3653)
    assert len(s.nights) == 3653
    month = svc.summarise(ctx, days=30).diary["tst_minutes"]
    tst = s.diary["tst_minutes"]
    assert (tst.n, tst.mean, tst.missing) == (month.n, month.mean, 3653 - month.n) and tst.n > 20
    with pytest.raises(InputError, match="^days must be between"):
        svc.summary_window(ctx, svc.MAX_DAYS + 1)


def test_dashboard_summary_is_the_summary_without_what_the_dashboard_does_not_show(
    ctx: Context,
) -> None:
    _seed(ctx)
    full = svc.summarise(ctx, days=60)
    lean = svc.dashboard_summary(ctx, days=60)
    assert [(r.night, r.diary, r.intake, r.pain) for r in lean.nights] == \
        [(r.night, r.diary, r.intake, r.pain) for r in full.nights]
    assert (lean.diary, lean.pain, lean.regularity[0]) == \
        (full.diary, full.pain, full.regularity[0])
    assert lean.comparisons == tuple(
        c for c in full.comparisons if c.group == "nights with kratom")

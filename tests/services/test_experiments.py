"""The experiments service on both engines: the plan and its stored schedule, adherence derived
from the journal, the stop, and arm parsing that only ever raises the project's input error."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightleaf.errors import InputError, NightleafError
from nightleaf.model import clock as wall
from nightleaf.model.entities import Intake, PainRating, Profile, SleepEntry, SleepEpisode
from nightleaf.model.units import make_amount
from nightleaf.services import Context
from nightleaf.services import experiments as svc
from nightleaf.services.inputs import ExperimentInput
from nightleaf.stats import experiment as sx
from tests.support.common import Clock

START = date(2026, 12, 1)


def _profile(ctx: Context) -> None:
    with ctx.tx() as repo:
        repo.save_profile(Profile(tz="Europe/Berlin", target_bedtime=time(23, 0),
                                  lead_minutes=60, max_grams_per_night=4.0))


def test_the_stored_schedule_is_the_seeds_and_adherence_comes_from_the_journal(
        ctx: Context, clock: Clock) -> None:
    _profile(ctx)
    v = svc.create(ctx, ExperimentInput(name="amount", compare="amount", a="2", b="3 g",
                                        start=START.isoformat(), seed="5", pairs="1"))
    expected = sx.schedule(START, 7, 1, 3, 5)
    assert [(n["night"], n["arm"], n["washout"]) for n in v.schedule] == \
        [(s.night, s.arm, s.washout) for s in expected]
    tz = "Europe/Berlin"
    with ctx.tx() as repo:  # the arm's amount on the first night, a different one on the second
        for k, grams in ((0, None), (1, 9.9)):
            sn = expected[k]
            g = (2.0 if sn.arm == "A" else 3.0) if grams is None else 1.0
            at = wall.night_time(sn.night, time(22, 0), tz)
            repo.add_intakes([Intake(at=at, tz=tz, amount=make_amount(g, "g"), night=sn.night,
                                     person_id=1)])
    clock.now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    view, nights, adh = svc.progress(ctx, v.id)
    assert [n.adherent for n in nights[:3]] == [True, False, None]
    assert (adh.nights, adh.matched, adh.not_matched) == (2, 1, 1)
    assert view.adherence == adh
    stopped = svc.stop(ctx, str(v.id), "  too hard  ")
    assert stopped.status == "stopped" and stopped.stopped_reason == "too hard"
    with pytest.raises(InputError, match="already stopped"):
        svc.stop(ctx, v.id, "again")
    with ctx.tx() as repo:
        assert svc.experiment_arms(repo, START, START + timedelta(days=20)) == {
            expected[0].night: expected[0].arm, expected[1].night: expected[1].arm,
            expected[2].night: expected[2].arm}


def test_a_stop_needs_a_reason_and_writes_nothing_without_one(ctx: Context) -> None:
    _profile(ctx)
    v = svc.create(ctx, ExperimentInput(name="t", compare="timing", a="30", b="90",
                                        start=START.isoformat(), seed="1"))
    with pytest.raises(InputError, match="say why"):
        svc.stop(ctx, v.id, "   ")
    assert svc.show(ctx, v.id).status == "planned"


@settings(max_examples=150, deadline=None)
@given(compare=st.sampled_from(sx.COMPARE_KINDS), a=st.text(max_size=12),
       b=st.text(max_size=12), pairs=st.text(max_size=4), mid=st.text(max_size=6))
def test_any_typed_plan_is_saved_or_refused_with_the_projects_error(
        compare: str, a: str, b: str, pairs: str, mid: str) -> None:
    from nightleaf.store import open_store

    ctx = Context(store=open_store("sqlite://"), clock=Clock())
    _profile(ctx)
    try:
        v = svc.create(ctx, ExperimentInput(name="x", compare=compare, a=a, b=b, pairs=pairs,
                                            mid=mid, start="2026-12-01", seed="1"))
    except NightleafError:
        assert svc.list_experiments(ctx) == []
    else:
        assert len(v.schedule) == 2 * v.period * v.pairs
        if compare == "amount":
            assert max(float(v.a), float(v.b)) <= 4.0  # never above the person's ceiling
    finally:
        ctx.store.dispose()


def test_the_nights_view_names_each_experiment_nights_arm(ctx: Context) -> None:
    from nightleaf.services import nights as nights_svc

    _profile(ctx)
    v = svc.create(ctx, ExperimentInput(name="timing", compare="timing", a="30", b="90",
                                        start=START.isoformat(), seed="3", pairs="1"))
    rows = nights_svc.list_nights(ctx, START - timedelta(days=1), START + timedelta(days=14),
                                  include_empty=True)
    arms = {r.night: r.experiment_arm for r in rows}
    expected = {n["night"]: n["arm"] for n in v.schedule}
    assert {n: a for n, a in arms.items() if a is not None} == expected
    assert arms[START - timedelta(days=1)] is None


# -- the outcome's source: the diary or one wearable source, never mixed -------------------------
def _utc_profile(ctx: Context) -> None:
    with ctx.tx() as repo:
        repo.save_profile(Profile(tz="UTC", target_bedtime=time(23, 0), lead_minutes=60))


def _episode(source: str, night: date, tst: float, *, sol: float | None = 15.0,
             waso: float | None = 10.0) -> SleepEpisode:
    start = datetime.combine(night, time(23, 0), tzinfo=UTC)
    return SleepEpisode(source=source, external_id=f"{source}-{night}", start=start,
                        end=start + timedelta(minutes=tst + 40), tz="UTC", night=night,
                        tst_minutes=tst, sol_minutes=sol, waso_minutes=waso)


def _diary(night: date, tst: float) -> SleepEntry:
    tried = datetime.combine(night, time(23, 0), tzinfo=UTC)
    final = tried + timedelta(minutes=15 + 10 + tst)
    return SleepEntry(night=night, tz="UTC", into_bed=tried - timedelta(minutes=10),
                      tried_to_sleep=tried, sol_minutes=15, awakenings=1, waso_minutes=10,
                      final_awakening=final, out_of_bed=final + timedelta(minutes=10))


def _baseline_fitbit(ctx: Context, nights: int = 14) -> None:
    today = wall.tonight(ctx.now(), "UTC")
    with ctx.tx() as repo:
        repo.upsert_episodes([_episode("fitbit", today - timedelta(days=k), 430)
                              for k in range(1, nights + 1)])


def test_a_wearable_outcome_reads_that_source_only_and_covers_a_known_effect(
        ctx: Context, clock: Clock) -> None:
    """Fitbit's TST is 40 min longer on B nights; the diary says the opposite (60 min shorter):
    the plan's source alone is analysed, and its interval covers the true 40."""
    import random

    _utc_profile(ctx)
    _baseline_fitbit(ctx)
    v = svc.create(ctx, ExperimentInput(name="later", compare="timing", a="60", b="120",
                                        period="7", pairs="2", washout="2", seed="11",
                                        start=START.isoformat(), source="Fitbit"))
    assert v.source == "fitbit" and v.source_text == "fitbit (wearable)"
    rng = random.Random(5)
    truth: dict[date, float] = {}
    with ctx.tx() as repo:
        for n in v.schedule:
            b = n["arm"] == "B"
            truth[n["night"]] = tst = round(420 + (40 if b else 0) + rng.gauss(0, 12), 1)
            repo.upsert_episodes([_episode("fitbit", n["night"], tst),
                                  _episode("oura", n["night"], 400)])  # another source: unused
            repo.add(_diary(n["night"], 420 - (60 if b else 0)))
    clock.now = datetime.combine(v.end + timedelta(days=1), time(12), tzinfo=UTC)
    _, nights, _ = svc.progress(ctx, v.id)
    assert {n.night: n.outcome for n in nights} == truth
    res = svc.result(ctx, v.id)
    assert res["final"] is True
    assert (res["source"], res["source_text"]) == ("fitbit", "fitbit (wearable)")
    tst = res["outcomes"][0]
    assert (tst["metric"], tst["source"], tst["n_nights"]) == ("tst", "fitbit", 20)
    lo, hi = tst["interval"]
    assert lo <= 40 <= hi and lo > 0
    assert tst["verdict"] == sx.BETTER_MID
    by_metric = {o["metric"]: o for o in res["outcomes"]}
    assert by_metric["pain"]["source"] == "morning rating"
    assert by_metric["sol"]["effect"] == pytest.approx(0, abs=1e-6)  # fitbit's SOL: always 15


def test_the_diary_stays_the_default_and_ignores_wearable_nights(
        ctx: Context, clock: Clock) -> None:
    _utc_profile(ctx)
    _baseline_fitbit(ctx)
    v = svc.create(ctx, ExperimentInput(name="d", compare="timing", a="60", b="120",
                                        pairs="1", washout="2", seed="3",
                                        start=START.isoformat()))
    assert (v.source, v.source_text) == ("diary", "sleep diary")
    first = v.schedule[0]["night"]
    with ctx.tx() as repo:
        repo.upsert_episodes([_episode("fitbit", first, 300)])
        repo.add(_diary(first, 410))
    clock.now = datetime.combine(first + timedelta(days=1), time(12), tzinfo=UTC)
    _, nights, _ = svc.progress(ctx, v.id)
    assert nights[0].outcome == 410


@pytest.mark.parametrize(("source", "outcome", "message"), [
    ("garmin", "tst", "your journal has no nights from 'garmin'; the sources with nights are "
     "diary, fitbit, sleep_as_android"),
    ("sleep-as-android", "sol", "sleep_as_android gives no SOL on any night of your journal"),
])
def test_a_source_without_nights_or_without_the_metric_is_refused_and_nothing_written(
        ctx: Context, source: str, outcome: str, message: str) -> None:
    _utc_profile(ctx)
    _baseline_fitbit(ctx)
    today = wall.tonight(ctx.now(), "UTC")
    with ctx.tx() as repo:  # TST only: no SOL, no stages to derive it from
        repo.upsert_episodes([_episode("sleep_as_android", today - timedelta(days=k), 400,
                                       sol=None, waso=None) for k in range(1, 4)])
    with pytest.raises(InputError) as info:
        svc.create(ctx, ExperimentInput(name="x", compare="timing", a="60", b="120",
                                        outcome=outcome, source=source, seed="1",
                                        start=START.isoformat()))
    assert info.value.errors[0].field == "source"
    assert message in info.value.message
    assert svc.list_experiments(ctx) == []
    assert svc.outcome_sources(ctx) == ["diary", "fitbit", "sleep_as_android"]


# -- the pain MID as 30 % of the usual morning pain -----------------------------------------------
def _morning(ctx: Context, ratings: dict[int, int]) -> None:
    """Morning ratings on the nights ``days`` before tonight (UTC profile)."""
    today = wall.tonight(ctx.now(), "UTC")
    with ctx.tx() as repo:
        for days, nrs in ratings.items():
            night = today - timedelta(days=days)
            repo.add(PainRating(at=datetime.combine(night + timedelta(days=1), time(8),
                                                    tzinfo=UTC),
                                tz="UTC", night=night, nrs=nrs, context="morning"))


def test_a_30_percent_pain_mid_is_fixed_in_points_from_the_usual_morning_pain(
        ctx: Context) -> None:
    _utc_profile(ctx)
    # 8 nights in the window (mean 7.0); a rating 29 nights back is outside it
    _morning(ctx, {1: 6, 2: 8, 3: 7, 5: 7, 9: 6, 14: 8, 20: 7, 28: 7, 29: 0})
    v = svc.create(ctx, ExperimentInput(name="pain", compare="timing", a="60", b="120",
                                        outcome="pain", mid=" 30 % ", seed="1",
                                        start=START.isoformat()))
    assert (v.mid, v.mid_usual) == (2.1, 7.0)
    assert v.mid_text == "2.1 points (30 % of your usual 7.0)"
    shown = svc.show(ctx, v.id)
    assert (shown.mid, shown.mid_usual, shown.mid_text) == (2.1, 7.0, v.mid_text)
    res = svc.result(ctx, v.id)
    assert (res["mid"], res["mid_usual"]) == (2.1, 7.0)
    assert res["outcomes"][0]["mid"] == 2.1
    # a MID in points keeps no usual rating
    w = svc.create(ctx, ExperimentInput(name="p2", compare="timing", a="60", b="120",
                                        outcome="pain", mid="2", seed="1",
                                        start=(v.end + timedelta(days=1)).isoformat()))
    assert (w.mid, w.mid_usual, w.mid_text) == (2.0, None, "2 points")


@pytest.mark.parametrize(("ratings", "outcome", "mid", "message"), [
    ({k: 7 for k in range(1, 7)}, "pain", "30%", "at least 7 morning ratings on the 28 nights "
     "before tonight (you have 6)"),
    ({k: 7 for k in range(23, 40)}, "pain", "30%", "(you have 6)"),  # 23..28 in the window
    ({k: 1 for k in range(1, 10)}, "pain", "30%", "(1.0 over the last 28 nights) is less than "
     "half a point"),
    ({k: 7 for k in range(1, 10)}, "pain", "50%", "a MID in percent is 30% of your usual"),
    ({k: 7 for k in range(1, 10)}, "tst", "30%", "a MID in percent is only for the pain outcome"),
])
def test_a_bad_percent_mid_is_one_clear_error_on_mid_and_writes_nothing(
        ctx: Context, ratings: dict[int, int], outcome: str, mid: str, message: str) -> None:
    _utc_profile(ctx)
    _morning(ctx, ratings)
    with pytest.raises(InputError) as info:
        svc.create(ctx, ExperimentInput(name="x", compare="timing", a="60", b="120",
                                        outcome=outcome, mid=mid, seed="1",
                                        start=START.isoformat()))
    assert [e.field for e in info.value.errors] == ["mid"]
    assert message in info.value.message
    assert svc.list_experiments(ctx) == []


def test_the_json_backup_keeps_the_source_and_the_usual_pain_and_old_backups_mean_diary(
        ctx: Context) -> None:
    import json

    from nightleaf.io.journal_json import journal_from_dict, journal_to_dict
    from nightleaf.store import open_store

    _utc_profile(ctx)
    _baseline_fitbit(ctx)
    _morning(ctx, {k: 6 for k in range(1, 9)})
    svc.create(ctx, ExperimentInput(name="p", compare="timing", a="60", b="120",
                                    outcome="pain", mid="30%", source="fitbit", seed="2",
                                    start=START.isoformat()))
    with ctx.tx() as repo:
        journal = repo.load_journal()
    data = json.loads(json.dumps(journal_to_dict(journal), default=str))
    assert {k: data["experiments"][0][k] for k in ("source", "mid", "mid_usual")} == {
        "source": "fitbit", "mid": 1.8, "mid_usual": 6.0}
    back = journal_from_dict(data)
    assert back.experiments == journal.experiments
    other = Context(store=open_store("sqlite://"), clock=Clock())
    try:
        with other.tx() as repo:
            repo.save_journal(back)
        with other.tx() as repo:
            assert repo.load_journal().experiments == journal.experiments
    finally:
        other.store.dispose()
    for key in ("source", "mid_usual"):  # a backup written before revision 0006
        del data["experiments"][0][key]
    old = journal_from_dict(data).experiments[0]
    assert (old.source, old.mid_usual, old.mid) == ("diary", None, 1.8)


def test_a_metric_the_source_gives_only_through_its_stages_is_accepted(ctx: Context) -> None:
    """Oura-like nights with stages but no SOL field: SOL comes from the stages, so SOL from
    that source is a valid plan (the stages are read for the check)."""
    from nightleaf.model.entities import StageSegment

    _utc_profile(ctx)
    today = wall.tonight(ctx.now(), "UTC")
    eps = []
    for k in range(1, 4):
        night = today - timedelta(days=k)
        ep = _episode("oura", night, 400, sol=None, waso=None)
        asleep = ep.start + timedelta(minutes=25)
        ep.stages = [StageSegment(ep.start, asleep, "awake"),
                     StageSegment(asleep, ep.end, "light")]
        eps.append(ep)
    with ctx.tx() as repo:
        repo.upsert_episodes(eps)
    v = svc.create(ctx, ExperimentInput(name="sol", compare="timing", a="60", b="120",
                                        outcome="sol", source="oura", seed="1",
                                        start=START.isoformat()))
    assert (v.outcome, v.source) == ("sol", "oura")


def test_a_plan_registered_with_an_earlier_analysis_says_the_result_uses_the_current_one(
        ctx: Context) -> None:
    """The analysis was recalibrated after the first plans were registered (wash-out nights
    now inform the noise; the AR(1) reference prior on rho): such a plan's result says so."""
    from sqlalchemy import update

    from nightleaf.store import tables as t

    _profile(ctx)
    v = svc.create(ctx, ExperimentInput(name="timing", compare="timing", a="60", b="120",
                                        start=START.isoformat(), seed="3", pairs="1"))
    res = svc.result(ctx, v.id)
    assert res["analysis"] == svc.ANALYSIS and res["analysis_note"] is None
    old = ("AR(1) GLS, rho integrated over a grid, flat priors; as assigned, wash-out nights "
           "excluded; per-protocol and carry-over sensitivity lines")
    with ctx.tx() as repo:
        repo.conn.execute(update(t.experiment).where(t.experiment.c.id == v.id)
                          .values(analysis=old))
    res = svc.result(ctx, v.id)
    assert res["analysis"] == svc.ANALYSIS
    assert res["analysis_note"] == (f"registered with an earlier analysis ({old}); this result "
                                    "uses the current, calibrated one")

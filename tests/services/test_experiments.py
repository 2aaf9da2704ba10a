"""The experiments service on both engines: the plan and its stored schedule, adherence derived
from the journal, the stop, and arm parsing that only ever raises the project's input error."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightleaf.errors import InputError, NightleafError
from nightleaf.model import clock as wall
from nightleaf.model.entities import Intake, Profile
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

"""The faster nightly calculators give exactly what the straightforward ones gave (issue 13).

``tests/support/nightly_reference.py`` keeps the code as it was before the speed work. Each
property compares ``repr`` of both results, so every float must be the same to the last bit and
an ``int`` may not turn into a ``float`` (the JSON would differ). The generated journals have
daylight-saving nights (New York, London, Lord Howe's half-hour shift), missing nights, several
intakes and ratings a night (equal instants too), naps and several wearable intervals a night.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nightleaf.model.entities import Intake, PainRating, Profile, SleepEntry, SleepEpisode, Symptom
from nightleaf.model.units import Amount
from nightleaf.pain.nrs import night_pain
from nightleaf.sleep.regularity import circular_mean_minutes, window_regularity
from nightleaf.stats.compare import compare
from nightleaf.stats.intake import night_intakes
from nightleaf.stats.window import OUTCOMES, _comparisons
from tests.support import nightly_reference as ref

ZONES = ("UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe")
#: first nights a few days before a clock change in some of the zones
STARTS = (date(2026, 3, 4), date(2026, 3, 25), date(2026, 10, 22), date(2026, 10, 29),
          date(2026, 4, 1), date(2026, 6, 10))
SLOW = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _at(first: date, night: int, minutes: int, seconds: int = 0) -> datetime:
    """An instant ``minutes`` after 12:00 UTC on the day of night ``night``."""
    return (datetime.combine(first + timedelta(days=night), datetime.min.time(), UTC)
            + timedelta(hours=12, minutes=minutes, seconds=seconds))


@st.composite
def journals(draw: Any, max_nights: int = 21) -> dict[str, Any]:
    first = draw(st.sampled_from(STARTS))
    days = draw(st.integers(1, max_nights))
    tz = draw(st.sampled_from(ZONES))
    nights = st.integers(-2, days + 1)  # a few records outside the window too
    intakes = [
        Intake(_at(first, n, m), tz,
               draw(st.sampled_from([Amount(v, "g"), Amount(v * 1000, "mg"),
                                     Amount(2, "capsule", capsule_mg=v * 500),
                                     Amount(2, "capsule")])),  # no capsule size: grams unknown
               first + timedelta(days=n),
               product_id=draw(st.sampled_from([None, 1, 2, 3])),
               mitragynine_mg=draw(st.one_of(st.none(), st.floats(0, 80, allow_nan=False))))
        for n, m, v in draw(st.lists(st.tuples(nights, st.integers(0, 40).map(lambda k: k * 15),
                                               st.floats(0.1, 8, allow_nan=False)),
                                     max_size=3 * days))
    ]
    pain = [
        PainRating(_at(first, n, m), tz, first + timedelta(days=n), nrs, ctx, *peg)
        for n, m, nrs, ctx, peg in draw(st.lists(st.tuples(
            nights, st.integers(0, 6).map(lambda k: k * 180), st.integers(0, 10),
            st.sampled_from(["evening", "morning", "other"]),
            st.one_of(st.just((None, None, None)),
                      st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10)),
                      st.tuples(st.integers(0, 10), st.none(), st.integers(0, 10)))),
            max_size=3 * days))
    ]
    entries = []
    for n in sorted(set(draw(st.lists(st.integers(-1, days), max_size=days + 2)))):
        tried = draw(st.integers(540, 800))  # 21:00 .. 01:20 UTC
        sol = draw(st.one_of(st.none(), st.integers(0, 120), st.floats(0, 90, allow_nan=False)))
        waso = draw(st.one_of(st.none(), st.integers(0, 200)))
        length = draw(st.integers(-30, 700))  # negative: times out of order
        entries.append(SleepEntry(
            night=first + timedelta(days=n), tz=tz,
            into_bed=_at(first, n, tried - draw(st.integers(0, 60))),
            tried_to_sleep=_at(first, n, tried, draw(st.integers(0, 59))),
            sol_minutes=sol, awakenings=draw(st.one_of(st.none(), st.integers(0, 5))),
            waso_minutes=waso, final_awakening=_at(first, n, tried + length),
            out_of_bed=draw(st.one_of(st.none(), st.just(_at(first, n, tried + length + 30)))),
            quality=draw(st.one_of(st.none(), st.integers(1, 5))),
            nap_minutes=draw(st.one_of(st.none(), st.integers(0, 90)))))
    episodes = [
        SleepEpisode(src, f"{src}-{k}", _at(first, n, s), _at(first, n, s + length), tz,
                     first + timedelta(days=n), tst_minutes=float(length) * 0.9, is_nap=nap)
        for k, (src, n, s, length, nap) in enumerate(draw(st.lists(st.tuples(
            st.sampled_from(["fitbit", "oura"]), nights, st.integers(480, 900),
            st.integers(20, 600), st.booleans()), max_size=2 * days)))
    ]
    symptoms = [Symptom(_at(first, n, 600), tz, first + timedelta(days=n), kind, name, sev)
                for n, kind, name, sev in draw(st.lists(st.tuples(
                    nights, st.sampled_from(["side_effect", "withdrawal"]),
                    st.sampled_from(["nausea", "itch"]), st.integers(0, 4)), max_size=days))]
    work = draw(st.sampled_from([("mon", "tue", "wed", "thu", "fri"), ("sat", "sun"), ()]))
    return {"first": first, "last": first + timedelta(days=days - 1),
            "profile": Profile(tz=tz, work_days=work), "intakes": intakes, "pain": pain,
            "entries": entries, "episodes": episodes, "symptoms": symptoms}


def _rows(j: dict[str, Any], module: Any) -> Any:
    return module.nightly(first_night=j["first"], last_night=j["last"], profile=j["profile"],
                          entries=j["entries"], episodes=j["episodes"], intakes=j["intakes"],
                          pain=j["pain"], symptoms=j["symptoms"])


@SLOW
@given(journals())
def test_nightly_rows_are_the_same(j: dict[str, Any]) -> None:
    import nightleaf.stats.nightly as new

    assert repr(_rows(j, new)) == repr(_rows(j, ref))


@SLOW
@given(journals(), st.booleans())
def test_night_intakes_are_the_same(j: dict[str, Any], with_tried: bool) -> None:
    tried = {e.night: e.tried_to_sleep for e in j["entries"]} if with_tried else None
    assert repr(night_intakes(j["intakes"], tried)) == repr(ref.night_intakes(j["intakes"], tried))


@SLOW
@given(journals())
def test_night_pain_is_the_same(j: dict[str, Any]) -> None:
    assert repr(night_pain(j["pain"])) == repr(ref.night_pain(j["pain"]))


def test_night_pain_refuses_what_it_refused() -> None:
    n = date(2026, 3, 1)
    bad_peg = [PainRating(_at(n, 0, 0), "UTC", n, 4, "evening", 11, 2, 3)]
    for fn in (night_pain, ref.night_pain):
        with pytest.raises(Exception, match="PEG pain must be between 0 and 10"):
            fn(bad_peg)


@SLOW
@given(journals(), st.booleans())
def test_window_regularity_is_the_same(j: dict[str, Any], wearable: bool) -> None:
    from nightleaf.sleep.diary import diary_metrics
    from nightleaf.sleep.regularity import (
        episode_intervals,
        main_sleep_times,
        metrics_intervals,
    )

    first, last, profile = j["first"], j["last"], j["profile"]
    if wearable:  # several intervals a night, naps included, timing from the main episode
        mine = [e for e in j["episodes"] if e.source == "fitbit"]
        args = (episode_intervals(mine), first, last, profile)
        kw: dict[str, Any] = {"source": "fitbit", "timing": main_sleep_times(mine)}
    else:
        ms = [diary_metrics(e) for e in j["entries"]]
        args = (metrics_intervals(ms), first, last, profile)
        kw = {"source": "diary",
              "lights_out": [m.tried_to_sleep for m in ms if m.tried_to_sleep is not None]}
    assert repr(window_regularity(*args, **kw)) == repr(ref.window_regularity(*args, **kw))
    if wearable:  # timing left to the default: earliest start, latest end of the intervals
        kw.pop("timing")
        assert repr(window_regularity(*args, **kw)) == repr(ref.window_regularity(*args, **kw))


@given(st.lists(st.one_of(st.floats(0, 1439.99, allow_nan=False),
                          st.integers(0, 1439).map(float)), min_size=1, max_size=50))
def test_circular_mean_is_scipys(values: list[float]) -> None:
    assert repr(circular_mean_minutes(values)) == repr(ref.circular_mean_minutes(values))


VALUES = st.lists(st.one_of(st.none(), st.integers(0, 10), st.floats(0, 600, allow_nan=False),
                            st.sampled_from([7.0, 7])), max_size=40)


@settings(deadline=None, max_examples=80)
@given(VALUES, VALUES, st.booleans())
def test_compare_is_the_same(a: list[Any], b: list[Any], timed: bool) -> None:
    kw: dict[str, Any] = {}
    if timed:  # the two groups' nights interleaved, none in both
        kw = {"group_nights": [2 * k for k in range(len(a))],
              "reference_nights": [2 * k + 1 for k in range(len(b))]}
    assert repr(compare("m", a, b, **kw)) == repr(ref.compare("m", a, b, **kw))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(journals(max_nights=45), st.booleans())
def test_comparisons_are_the_same(j: dict[str, Any], detail: bool) -> None:
    import nightleaf.stats.nightly as new

    rows = _rows(j, new)
    names = {1: "Red", 2: "Green"}  # product 3 has no name: "#3"
    assert repr(_comparisons(rows, names, OUTCOMES, detail=detail)) == \
        repr(ref._comparisons(rows, names, OUTCOMES, detail=detail))


POINTS = st.integers(0, 60).flatmap(lambda n: st.tuples(
    st.lists(st.integers(1_500_000_000, 1_900_000_000), min_size=n, max_size=n, unique=True)
    .map(sorted),
    st.lists(st.lists(st.one_of(st.none(), st.integers(0, 10),
                                st.floats(-50, 1000, allow_nan=False)), min_size=n, max_size=n),
             min_size=1, max_size=3)))


@given(POINTS, st.one_of(st.none(), st.just((0.0, 10.0))))
def test_sparkline_paths_are_the_same(points: Any, rng: Any) -> None:
    from nightleaf.web.dashboard import sparkline

    xs, columns = points
    lines = [(vals, "#000", f"line {k}") for k, vals in enumerate(columns)]
    lo, hi = rng if rng else (None, None)
    assert sparkline(xs, lines, lo, hi) == ref.sparkline(xs, lines, lo, hi)


@SLOW
@given(journals())
def test_diary_metrics_objects_are_what_the_constructor_builds(j: dict[str, Any]) -> None:
    """``diary_metrics`` builds its ``NightMetrics`` without the frozen dataclass's __init__;
    the objects equal (and print as) those of the constructor, each with its own dict."""
    import dataclasses

    from nightleaf.sleep.diary import NightMetrics, diary_metrics

    made = [diary_metrics(e) for e in j["entries"]]
    for m in made:
        built = NightMetrics(**{f.name: getattr(m, f.name) for f in dataclasses.fields(m)})
        assert m == built and repr(m) == repr(built) and hash(repr(m)) == hash(repr(built))
        assert vars(m) == vars(built)
    assert len({id(m.stage_minutes) for m in made}) == len(made)


def test_fast_metrics_refuse_what_the_constructor_refuses() -> None:
    from nightleaf.sleep.diary import _metrics

    with pytest.raises(TypeError):
        _metrics(night=date(2026, 3, 1))  # no source
    with pytest.raises(TypeError):
        _metrics(night=date(2026, 3, 1), source="diary", colour="blue")
    m = _metrics(night=date(2026, 3, 1), source="diary")
    with pytest.raises(AttributeError):  # still frozen
        m.source = "x"  # type: ignore[misc]

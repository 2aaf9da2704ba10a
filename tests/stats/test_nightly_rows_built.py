"""The nightly rows are built without the frozen dataclasses' ``__init__`` (issue 13,
h13-nightly): each ``Night``, ``NightIntake`` and ``NightPain`` equals, prints as and hashes
like the one its constructor builds, and stays frozen; ``night_pain``'s one pass refuses what
the sorted walk refused, with the same message, whatever the order of the bad ratings.

``tests/stats/test_vectorised_same.py`` checks the rows' figures against the code before the
speed work; this module checks the objects themselves.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightleaf.errors import InputError
from nightleaf.model.entities import Intake, PainRating, Profile
from nightleaf.model.units import Amount
from nightleaf.pain.nrs import NightPain, night_pain
from nightleaf.stats.intake import NightIntake, night_intakes
from nightleaf.stats.nightly import Night, nightly
from tests.support import h13_nightly_reference as before
from tests.support import nightly_reference as ref

FIRST = date(2026, 3, 6)  # New York's clock change is in the night of 2026-03-07


def _same_object(made: Any, cls: type) -> None:
    built = cls(**{f.name: getattr(made, f.name) for f in dataclasses.fields(cls)})
    assert type(made) is cls
    assert made == built and repr(made) == repr(built) and hash(made) == hash(built)
    assert vars(made) == vars(built)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.night = FIRST


def _at(night: int, minutes: int) -> datetime:
    return datetime(2026, 3, 6, 22, 0, tzinfo=UTC) + timedelta(days=night, minutes=minutes)


RATINGS = st.lists(st.tuples(
    st.integers(0, 4), st.integers(0, 3).map(lambda k: k * 240), st.integers(0, 10),
    st.sampled_from(["evening", "morning", "other"]),
    st.one_of(st.just((None, None, None)), st.tuples(*[st.integers(0, 10)] * 3),
              st.tuples(st.integers(0, 10), st.none(), st.integers(0, 10)))), max_size=15)


def _ratings(drawn: list[Any]) -> list[PainRating]:
    return [PainRating(_at(n, m), "America/New_York", FIRST + timedelta(days=n), nrs, ctx, *peg)
            for n, m, nrs, ctx, peg in drawn]


@settings(max_examples=150, deadline=None)
@given(RATINGS, st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3),
                                   st.floats(0.5, 6, allow_nan=False),
                                   st.sampled_from([None, 1, 2])), max_size=12))
def test_rows_are_the_objects_their_constructors_build(drawn: list[Any],
                                                       doses: list[Any]) -> None:
    pain = _ratings(drawn)
    intakes = [Intake(_at(n, 30 * k), "America/New_York", Amount(g, "g"),
                      FIRST + timedelta(days=n), product_id=p) for n, k, g, p in doses]
    rows = nightly(first_night=FIRST, last_night=FIRST + timedelta(days=4),
                   profile=Profile(tz="America/New_York"), intakes=intakes, pain=pain)
    assert [r.night for r in rows] == [FIRST + timedelta(days=k) for k in range(5)]
    for row in rows:
        _same_object(row, Night)
        if row.intake is not None:
            _same_object(row.intake, NightIntake)
        if row.pain is not None:
            _same_object(row.pain, NightPain)
    assert repr(night_pain(pain)) == repr(ref.night_pain(pain))
    assert repr(night_intakes(intakes)) == repr(ref.night_intakes(intakes))


BAD = st.sampled_from([
    ("nrs", 11), ("nrs", -1), ("peg_pain", 11), ("peg_enjoyment", -2), ("peg_activity", 12),
    ("peg_pain", float("nan")),
])


@settings(max_examples=150, deadline=None)
@given(RATINGS.filter(bool), st.lists(st.tuples(st.integers(0, 30), BAD), min_size=1,
                                      max_size=3))
def test_bad_ratings_are_refused_as_before(drawn: list[Any], faults: list[Any]) -> None:
    """An NRS out of range is refused first (the first one in input order); otherwise the
    first PEG item out of range in the nights' order and time order, as the sorted walk did."""
    ratings = _ratings(drawn)
    for where, (name, value) in faults:
        r = ratings[where % len(ratings)]
        if name.startswith("peg"):  # a PEG item is checked only when all three are given
            r.peg_pain, r.peg_enjoyment, r.peg_activity = 5, 5, 5
        setattr(r, name, value)
    with pytest.raises(InputError) as want:
        ref.night_pain(ratings)
    with pytest.raises(InputError) as got:
        night_pain(ratings)
    assert str(got.value) == str(want.value)
    with pytest.raises(InputError) as from_generator:
        night_pain(r for r in ratings)
    assert str(from_generator.value) == str(want.value)


NIGHT_SETS = st.tuples(st.integers(0, 40), st.integers(-3, 45),
                       st.sets(st.integers(-10, 60), max_size=50))


@settings(max_examples=300, deadline=None)
@given(NIGHT_SETS)
def test_streaks_and_weeks_are_what_they_were(drawn: Any) -> None:
    from nightleaf.stats.intake import nights_per_week, use_streaks

    start, length, offsets = drawn
    first = FIRST + timedelta(days=start)
    last = first + timedelta(days=length)  # length < 0: an empty window
    used = {FIRST + timedelta(days=k) for k in offsets}
    assert use_streaks(used, first, last) == before.use_streaks(used, first, last)
    assert nights_per_week(used, first, last) == before.nights_per_week(used, first, last)


@settings(max_examples=150, deadline=None)
@given(RATINGS, st.integers(-2, 3), st.integers(-1, 20))
def test_weekly_pain_is_what_it_was(drawn: list[Any], start: int, length: int) -> None:
    from nightleaf.pain.nrs import weekly_pain

    nights = night_pain(_ratings(drawn))
    first = FIRST + timedelta(days=start)
    last = first + timedelta(days=length)
    assert repr(weekly_pain(nights, first, last)) == repr(before.weekly_pain(nights, first, last))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.tuples(st.integers(), st.none() | st.floats())),
                max_size=20), st.integers(0, 3))
def test_columns_are_the_fields_of_each_record(records: list[Any], k: int) -> None:
    from collections import namedtuple

    from nightleaf.stats.window import _columns

    rec = namedtuple("rec", "a b")
    rs = [None if r is None else rec(*r) for r in records]
    names = ("a", "b", "a")[:k]
    got = _columns(rs, names)
    assert list(got) == list(dict.fromkeys(names))
    for name in names:
        want = [None if r is None else getattr(r, name) for r in rs]
        assert repr(got[name]) == repr(want)


@pytest.mark.parametrize("seed", [1, 42])
@pytest.mark.parametrize("detail", [True, False])
def test_window_figures_are_those_of_the_rows_taken_one_by_one(seed: int, detail: bool) -> None:
    """``summarise_window`` takes each metric's column once for its describes and its
    comparisons: the same figures as taking them row by row, as before (wearable nights too)."""
    from nightleaf.stats.describe import describe
    from nightleaf.stats.window import (
        OUTCOMES,
        PAIN_METRICS,
        SLEEP_METRICS,
        WEARABLE_METRICS,
        _comparisons,
        summarise_window,
    )
    from tests.support.journal_factory import journal

    products, entries, episodes, intakes, pain = journal(FIRST, 150, seed=seed)
    last = FIRST + timedelta(days=149)
    s = summarise_window(first_night=FIRST, last_night=last, profile=Profile(tz="America/New_York"),
                         entries=entries, episodes=episodes, intakes=intakes, pain=pain,
                         products=products, detail=detail)
    rows = s.nights
    assert s.diary == {k: describe([getattr(r.diary, k) if r.diary else None for r in rows])
                       for k in SLEEP_METRICS}
    assert s.pain == {k: describe([getattr(r.pain, k) if r.pain else None for r in rows])
                      for k in PAIN_METRICS}
    assert set(s.wearable) == {"oura"}
    per = [next((m for m in r.wearable if m.source == "oura"), None) for r in rows]
    assert s.wearable["oura"] == {k: describe([getattr(m, k) if m else None for m in per])
                                  for k in WEARABLE_METRICS}
    names = {p.id: p.label or p.name for p in products if p.id is not None}
    assert repr(s.comparisons) == repr(tuple(_comparisons(rows, names, OUTCOMES, detail=detail)))
    used = {r.night for r in rows if r.used}
    assert (s.intake.current_streak, s.intake.longest_streak) == before.use_streaks(used, FIRST,
                                                                                    last)
    if detail:
        assert [tuple(vars(w).values()) for w in s.intake.weeks] == \
            before.nights_per_week(used, FIRST, last)
        pain_by_night = {r.night: r.pain for r in rows if r.pain is not None}
        assert repr(list(s.pain_weeks)) == repr(before.weekly_pain(pain_by_night, FIRST, last))

"""The dashboard's chart columns: each night's local noon as Unix seconds."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from nightleaf.errors import InputError
from nightleaf.model import clock
from nightleaf.web.dashboard import _noon_seconds

ZONES = ("America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago",
         "Asia/Tehran", "Pacific/Apia", "UTC")


@pytest.mark.parametrize("tz", ZONES)
def test_noon_seconds_is_resolve_local_noon_on_every_night_of_several_years(tz: str) -> None:
    z = clock.zone(tz)
    for k in range(0, 366 * 6, 1):
        night = date(2008, 1, 1) + timedelta(days=k)
        try:
            want = int(clock.resolve_local(night, time(12), tz).timestamp())
        except InputError:  # a skipped noon: raised the same way
            with pytest.raises(InputError, match="does not exist"):
                _noon_seconds(night, z, tz)
        else:
            assert _noon_seconds(night, z, tz) == want


def test_a_skipped_noon_is_an_input_error_as_in_resolve_local() -> None:
    # Samoa skipped 30 December 2011 (it moved across the date line)
    tz = "Pacific/Apia"
    with pytest.raises(InputError, match="does not exist"):
        _noon_seconds(date(2011, 12, 30), clock.zone(tz), tz)


@pytest.mark.parametrize("tz", ZONES)
def test_noon_column_is_noon_seconds_night_by_night(tz: str) -> None:
    from nightleaf.web.dashboard import _noon_column

    z = clock.zone(tz)
    nights = [date(2008, 1, 1) + timedelta(days=k) for k in range(366 * 6)]
    if tz == "Pacific/Apia":  # the skipped day raises in both (checked above)
        nights.remove(date(2011, 12, 30))
    assert _noon_column(nights, z, tz) == [_noon_seconds(n, z, tz) for n in nights]


@pytest.mark.parametrize("tz", ZONES)
def test_clock_column_is_clock_hours_instant_by_instant(tz: str) -> None:
    from datetime import UTC, datetime, timezone

    from nightleaf.web.dashboard import _clock_column, _clock_hours

    z = clock.zone(tz)
    start = datetime(2010, 3, 1, tzinfo=UTC)
    instants = [start + timedelta(minutes=37 * k) for k in range(20_000)]
    instants += [None, datetime(2011, 3, 27, 1, 30, tzinfo=timezone(timedelta(hours=2)))]
    assert _clock_column(instants, z) == [_clock_hours(i, z) for i in instants]


def test_chart_json_is_json_dumps_with_non_ascii_labels() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from nightleaf.web.dashboard import chart_json
    from tests.support.plain_reference import reference_chart_json

    column = st.lists(st.none() | st.integers(-(2**53), 2**53)
                      | st.floats(-1e6, 1e6).map(lambda v: round(v, 2)) | st.text(), max_size=8)
    cols = st.dictionaries(st.text(max_size=6), column | st.dictionaries(
        st.text(max_size=6), st.dictionaries(st.text(max_size=3), column, max_size=2),
        max_size=2), max_size=5)

    @settings(max_examples=300, deadline=None)
    @given(cols)
    def check(c: dict[str, object]) -> None:
        assert chart_json(c) == reference_chart_json(c)

    check()
    label = "Tue 11 Nov – Mon 17 Nov 😴 é \x7f \u2028"
    assert chart_json({"label": [label]}) == reference_chart_json({"label": [label]})


def test_fallbacks_with_repeated_values_are_the_reference_sparklines() -> None:
    """Each distinct value's y is formatted once and the x texts are shared between charts:
    the paths are still those of the point-by-point reference."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from nightleaf.web.dashboard import FALLBACKS, fallbacks
    from tests.support import nightly_reference as ref

    value = st.one_of(st.none(), st.sampled_from([0, 1, 1.0, 2.5, 7.25, -0.0, 0.0, 11.0, 3]),
                      st.floats(-50, 1000, allow_nan=False))
    columns = {c for _, lines, _ in FALLBACKS for c, _, _ in lines}

    @settings(max_examples=150, deadline=None)
    @given(st.integers(0, 40).flatmap(lambda n: st.tuples(
        st.lists(st.integers(1_500_000_000, 1_900_000_000), min_size=n, max_size=n,
                 unique=True).map(sorted),
        st.fixed_dictionaries({c: st.lists(value, min_size=n, max_size=n) for c in columns}))))
    def check(points: tuple[list[int], dict[str, list[float | None]]]) -> None:
        xs, cols = points
        got = fallbacks({"x": xs, **cols})
        for chart, lines, rng in FALLBACKS:
            lo, hi = rng if rng else (None, None)
            assert got[chart] == ref.sparkline(
                xs, [(cols[c], color, label) for c, color, label in lines], lo, hi)

    check()


def test_round_column_is_python_round_value_by_value() -> None:
    """Vectorised rounding gives Python's round exactly (repr: -0.0 and NaN too), including
    ties (k + 0.5) / 10**d, values near them, big values, infinities and ints."""
    import math

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from nightleaf.web.dashboard import round_column

    def near_ties(d: int) -> st.SearchStrategy[float]:
        return st.tuples(st.integers(-(10**7), 10**7), st.integers(-3, 3)).map(
            lambda t: math.nextafter((t[0] + 0.5) / 10**d, math.inf) if t[1] > 0 else
            math.nextafter((t[0] + 0.5) / 10**d, -math.inf) if t[1] < 0 else
            (t[0] + 0.5) / 10**d)

    @settings(max_examples=300, deadline=None)
    @given(st.integers(1, 3).flatmap(lambda d: st.tuples(st.just(d), st.lists(st.one_of(
        st.none(), st.floats(), st.floats(-1e4, 1e4), st.integers(-(10**6), 10**6),
        near_ties(d), st.sampled_from([-0.0, 0.0, 1e9, 1e15, 2.675, 0.125, 0.285])),
        min_size=0, max_size=120))))
    def check(case: tuple[int, list[float | None]]) -> None:
        d, values = case
        want = [None if v is None else round(float(v), d) for v in values]
        assert [repr(v) for v in round_column(values, d)] == [repr(v) for v in want]

    check()


def test_the_page_s_parts_are_what_the_code_before_made() -> None:
    """Chart JSON, server-drawn charts and weekly table of random windows (DST nights
    included), both views: the same as the column building before the issue 13 speed work
    (kept in tests/support/dashboard_reference.py)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from nightleaf.model.entities import Profile
    from nightleaf.stats.window import summarise_window
    from nightleaf.web.pages.dashboard import _shown
    from tests.support import dashboard_reference as ref
    from tests.support.journal_factory import journal
    from tests.support.sleep_helpers import NY

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(seed=st.integers(0, 10_000), nights=st.integers(1, 400),
           first=st.dates(date(2024, 1, 1), date(2026, 6, 1)), use_rate=st.floats(0, 1),
           diary_rate=st.floats(0, 1), wearable_rate=st.floats(0, 1),
           view=st.sampled_from(["night", "week"]))
    def check(seed: int, nights: int, first: date, use_rate: float, diary_rate: float,
              wearable_rate: float, view: str) -> None:
        products, entries, episodes, intakes, pain = journal(
            first, nights, seed=seed, use_rate=use_rate, diary_rate=diary_rate,
            wearable_rate=wearable_rate)
        s = summarise_window(first_night=first, last_night=first + timedelta(days=nights - 1),
                             profile=Profile(tz=NY), entries=entries, episodes=episodes,
                             intakes=intakes, pain=pain, products=products, detail=False)
        got, want = _shown(s, view), ref.shown_parts(s, view)
        assert {k: got[k] for k in want} == want

    check()


def test_weekly_rows_from_the_week_view_or_from_the_columns_are_the_same() -> None:
    from nightleaf.model.entities import Profile
    from nightleaf.stats.window import summarise_window
    from nightleaf.web.dashboard import series, weekly_rows, with_views
    from tests.support.journal_factory import journal
    from tests.support.sleep_helpers import NY

    first = date(2025, 10, 1)
    products, entries, episodes, intakes, pain = journal(first, 100, seed=7)
    s = summarise_window(first_night=first, last_night=first + timedelta(days=99),
                         profile=Profile(tz=NY), entries=entries, episodes=episodes,
                         intakes=intakes, pain=pain, products=products)
    cols = series(s)
    rows = weekly_rows(s, cols)
    assert len(rows) == 14 and rows == weekly_rows(s, cols, with_views(s, cols, "week"))

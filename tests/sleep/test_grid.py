"""The vectorised sleep/wake grid equals the plain minute-by-minute construction it replaced."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nightleaf.sleep.regularity import MINUTES_PER_DAY, _wall_minutes_from_noon, sleep_wake_grid

FIRST = date(2026, 3, 1)  # spans the US spring-forward night (March 8) and the EU one (March 29)


def reference_grid(intervals: dict[date, list[tuple[datetime, datetime]]], first: date,
                   last: date, tz: str) -> np.ndarray:
    n = (last - first).days + 1
    grid = np.full((n, MINUTES_PER_DAY), np.nan)
    for night in intervals:
        i = (night - first).days
        if 0 <= i < n:
            grid[i] = 0.0
    flat = grid.reshape(-1)
    for night, spans in intervals.items():
        i = (night - first).days
        if not 0 <= i < n:
            continue
        for start, end in spans:
            lo = max(0, int(round(_wall_minutes_from_noon(start, night, tz))) + i * MINUTES_PER_DAY)
            hi = min(flat.size, int(round(_wall_minutes_from_noon(end, night, tz)))
                     + i * MINUTES_PER_DAY)
            if hi > lo:
                seg = flat[lo:hi]
                seg[~np.isnan(seg)] = 1.0
    return grid


span = st.tuples(st.integers(-3 * 1440, 3 * 1440), st.integers(-600, 2000), st.integers(0, 59))
nights = st.dictionaries(
    st.integers(-3, 40), st.lists(span, min_size=0, max_size=4), max_size=30
)


@settings(max_examples=150, deadline=None)
@given(nights, st.sampled_from(["UTC", "America/New_York", "Europe/Berlin",
                                "Australia/Lord_Howe"]), st.integers(0, 40))
def test_grid_matches_the_minute_by_minute_reference(
    raw: dict[int, list[tuple[int, int, int]]], tz: str, length: int
) -> None:
    intervals: dict[date, list[tuple[datetime, datetime]]] = {}
    for k, spans in raw.items():
        night = FIRST + timedelta(days=k)
        noon_utc = datetime(night.year, night.month, night.day, 12, tzinfo=UTC)
        intervals[night] = [
            (noon_utc + timedelta(minutes=a, seconds=sec),
             noon_utc + timedelta(minutes=a + d, seconds=sec))
            for a, d, sec in spans
        ]
    last = FIRST + timedelta(days=length)
    got = sleep_wake_grid(intervals, FIRST, last, tz)
    want = reference_grid(intervals, FIRST, last, tz)
    np.testing.assert_array_equal(got, want)


@settings(max_examples=150, deadline=None)
@given(nights, st.sampled_from(["UTC", "America/New_York"]), st.integers(0, 40),
       st.integers(2, 8))
def test_window_sri_matches_sleep_regularity_index_of_the_grid(
    raw: dict[int, list[tuple[int, int, int]]], tz: str, length: int, min_days: int
) -> None:
    from nightleaf.sleep.regularity import _sleep_mask, _sri_pooled, sleep_regularity_index

    intervals = {
        FIRST + timedelta(days=k): [
            (datetime(2026, 3, 1, 12, tzinfo=UTC) + timedelta(days=k, minutes=a, seconds=sec),
             datetime(2026, 3, 1, 12, tzinfo=UTC) + timedelta(days=k, minutes=a + d, seconds=sec))
            for a, d, sec in spans
        ]
        for k, spans in raw.items()
    }
    last = FIRST + timedelta(days=length)
    want = sleep_regularity_index(
        sleep_wake_grid(intervals, FIRST, last, tz).reshape(-1), min_days=min_days
    )
    assert _sri_pooled(*_sleep_mask(intervals, FIRST, last, tz), min_days=min_days) == want

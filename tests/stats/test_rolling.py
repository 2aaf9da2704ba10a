"""Trailing 7-night means and weekly blocks against a direct computation."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from nightleaf.stats.rolling import block_means, rolling_mean

VALUES = st.lists(st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)), max_size=60)


def _mean(xs: list[float | None], min_n: int) -> float | None:
    known = [x for x in xs if x is not None]
    return sum(known) / len(known) if len(known) >= min_n else None


def _close(a: list[float | None], b: list[float | None]) -> bool:
    return len(a) == len(b) and all(
        (x is None and y is None) or (x is not None and y is not None
                                      and math.isclose(x, y, abs_tol=1e-9))
        for x, y in zip(a, b, strict=True))


@given(VALUES, st.integers(1, 10), st.integers(1, 10))
def test_rolling_mean_is_the_mean_of_each_trailing_window(values, window, min_n) -> None:
    want = [_mean(values[max(0, i - window + 1):i + 1], min_n) for i in range(len(values))]
    assert _close(rolling_mean(values, window, min_n), want)


@given(VALUES, st.integers(1, 10))
def test_blocks_end_with_the_last_night_and_cover_every_night(values, size) -> None:
    got = block_means(values, size)
    assert len(got) == math.ceil(len(values) / size)
    if values:
        assert _close(got[-1:], [_mean(values[-size:], 1)])

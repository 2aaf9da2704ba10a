"""describe(): the SD agrees with the standard library's exact ``statistics.stdev``."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightleaf.stats.describe import describe

values = st.lists(
    st.one_of(st.none(), st.floats(-2000, 2000, allow_nan=False), st.integers(0, 1440)),
    max_size=60,
)


@given(values)
def test_sd_matches_statistics_stdev(xs: list[float | int | None]) -> None:
    known = [float(v) for v in xs if v is not None]
    d = describe(xs)
    if len(known) < 2:
        assert d.sd is None
    else:
        assert d.sd == pytest.approx(statistics.stdev(known), rel=1e-9, abs=1e-9)

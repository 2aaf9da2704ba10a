"""describe(): the SD agrees with the standard library's exact ``statistics.stdev``, and the
array path for long series gives the plain-Python results bit for bit."""

from __future__ import annotations

import math
import statistics
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightleaf.stats.describe import ARRAY_FROM, Describe, describe

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


def _plain_describe(values: list[Any]) -> Describe:
    """describe() as it was before the array path (issue 13): plain Python and statistics."""
    known = [float(v) for v in values if v is not None]
    missing = len(values) - len(known)
    if not known:
        return Describe(0, missing, None, None, None, None, None)
    return Describe(len(known), missing, statistics.fmean(known), float(statistics.median(known)),
                    float(np.std(known, ddof=1)) if len(known) >= 2 else None,
                    min(known), max(known))


def _outcome(fn: Any, values: list[Any]) -> str:
    """repr of the result, or the exception's type and text: both must match exactly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # np.std of inf (either path)
        try:
            return repr(fn(values))
        except Exception as e:
            return f"{type(e).__name__}: {e}"


# long lists (the array path starts at ARRAY_FROM values) with repeats, signed zeros, and now
# and then a NaN or an infinity
odd = st.sampled_from([0.0, -0.0, 0, math.nan, math.inf, -math.inf, 7, 7.0])
long_values = st.lists(
    st.one_of(st.none(), st.floats(-2000, 2000, allow_nan=False), st.integers(-5, 1440),
              st.sampled_from([420.0, 0.5, -0.0, 0.0]), odd),
    min_size=0, max_size=3 * ARRAY_FROM,
)


@settings(max_examples=400, deadline=None)
@given(long_values)
def test_describe_is_the_plain_python_result_bit_for_bit(xs: list[Any]) -> None:
    assert _outcome(describe, xs) == _outcome(_plain_describe, xs)


@given(st.lists(st.sampled_from([0.0, -0.0, 1.0, -1.0]), min_size=ARRAY_FROM, max_size=80))
def test_signed_zeros_keep_the_plain_results_sign(xs: list[float]) -> None:
    assert _outcome(describe, xs) == _outcome(_plain_describe, xs)

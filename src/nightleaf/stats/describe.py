"""Descriptive summaries of one metric over a window.

>>> s = describe([420.0, 390.0, None, 450.0])
>>> (s.n, s.missing, s.mean, s.median)
(3, 1, 420.0, 420.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, median

import numpy as np


@dataclass(frozen=True)
class Describe:
    n: int  # nights with a known value
    missing: int  # nights in the window without one
    mean: float | None
    median: float | None
    sd: float | None  # sample SD (n - 1)
    minimum: float | None
    maximum: float | None


def describe(values: Sequence[float | int | None]) -> Describe:
    known = [float(v) for v in values if v is not None]
    missing = len(values) - len(known)
    if not known:
        return Describe(0, missing, None, None, None, None, None)
    return Describe(
        n=len(known),
        missing=missing,
        mean=fmean(known),
        median=float(median(known)),
        sd=_sd(known),
        minimum=min(known),
        maximum=max(known),
    )


def _sd(known: list[float]) -> float | None:
    """Sample SD (n - 1), two-pass in numpy: within a few ulps of ``statistics.stdev`` (which sums
    exact fractions, about 2 ms for 3,650 nights against 30 us here).

    >>> _sd([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    2.138089935299395
    """
    if len(known) < 2:
        return None
    return float(np.std(known, ddof=1))

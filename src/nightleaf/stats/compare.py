"""Descriptive two-group comparisons: observational, not proof of cause.

Difference = mean(group) - mean(reference). When the nights' positions in time are given (what
:mod:`nightleaf.stats.window` does), the 95% interval is **AR(1)-adjusted**: nights next to each
other are alike, and kratom use comes in streaks, so a night-level (Welch) interval is far too
narrow — on simulated people with no true effect, streaky use and rho = 0.5, 15.5% of Welch's 95%
intervals exclude zero (issue 12). Here the difference of the two means is a linear contrast
``c'y`` of the observed nights, and under AR(1) errors its sampling variance is exactly
``s2 * c' R(rho) c`` with ``R[i, j] = rho**|t_i - t_j|`` over the observed nights (missing nights
are gaps, kept exact). ``rho`` and ``s2`` are not known: they are integrated out over their
posterior from the REML-type marginal likelihood of the AR(1) regression ``y = a + b*group + u``
(flat priors, ``p(s2) ∝ 1/s2``, uniform on :data:`nightleaf.stats.ar1.RHO_GRID`), which gives a
mixture of Student t's with ``n - 2`` degrees of freedom, all centred on the difference of the
means; the interval is that mixture's central 95%. See :mod:`nightleaf.stats.ar1`.

Why this and not a moving-block bootstrap: with 28 nights and streaks of several nights there
are too few blocks for the bootstrap to be calibrated (Lahiri, *Resampling Methods for Dependent
Data*, 2003, ch. 3: block bootstrap variance estimators need many blocks), while the AR(1) model
is what n-of-1 analyses already assume (nof1ins' AR(1) model; Prais & Winsten 1954 for the exact
first observation; statsmodels' ``GLSAR``, which fits the same model by iterated feasible GLS).
Calibration on simulated people: ``bench/observational_calibration.py``, table in
docs/benchmarks.md (false-difference rate <= 6% for rho in {0, 0.3, 0.6}, random or streaky use,
28 and 90 nights).

Without positions (a caller with two bare lists) the interval is the 95% Welch t interval
(unequal variances, Welch-Satterthwaite degrees of freedom): the arithmetic of scipy's
``ttest_ind(equal_var=False).confidence_interval`` step for step, with the t quantile from
``scipy.special.stdtrit``; it assumes independent nights. Welch BL. *The generalization of
"Student's" problem when several different population variances are involved.* Biometrika
1947;34:28-35.

The person chose when to take kratom, so these intervals describe this journal; they do not show
what kratom causes. With fewer than :data:`MIN_NIGHTS` nights in either group the result is "not
enough data" and carries no number.

>>> c = compare("tst_minutes", [400, 420, 410, 430, 440], [380, 390, 385, 400, 395],
...             group="with kratom", reference="without kratom")
>>> (c.status, c.n_group, c.n_reference, c.difference)
('ok', 5, 5, 30.0)
>>> compare("tst_minutes", [400, 420], [380, 390, 385, 400, 395]).status
'not enough data'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

MIN_NIGHTS = 5
OK = "ok"
NOT_ENOUGH = "not enough data"
METHOD_AR1 = "AR(1)-adjusted interval, 95% (nights in time order, rho integrated out)"
METHOD_WELCH = "Welch t interval, 95% (assumes independent nights)"
METHOD = METHOD_AR1
NOTE = "observational, not proof of cause"


@dataclass(frozen=True)
class Comparison:
    metric: str
    group: str
    reference: str
    status: str  # "ok" or "not enough data"
    n_group: int
    n_reference: int
    mean_group: float | None = None
    mean_reference: float | None = None
    difference: float | None = None  # group - reference
    ci_low: float | None = None
    ci_high: float | None = None
    method: str = METHOD
    note: str = NOTE
    message: str | None = None


def _positions(nights: Sequence[date | int]) -> list[int]:
    if all(type(n) is int for n in nights):
        return list(nights)  # type: ignore[arg-type]
    return [n.toordinal() if isinstance(n, date) else int(n) for n in nights]


def compare(
    metric: str,
    group_values: Sequence[float | int | None],
    reference_values: Sequence[float | int | None],
    *,
    group: str = "group",
    reference: str = "reference",
    confidence: float = 0.95,
    group_nights: Sequence[date | int] | None = None,
    reference_nights: Sequence[date | int] | None = None,
) -> Comparison:
    """Compare one metric between two sets of nights (``None`` values are dropped).

    ``group_nights``/``reference_nights`` (dates or integer day numbers, one per value) place
    each value in time; with both given the interval is AR(1)-adjusted, otherwise it is Welch's.
    A night may not be in both groups.
    """
    if group_nights is not None and reference_nights is not None:
        if len(group_nights) != len(group_values) or len(reference_nights) != len(reference_values):
            raise ValueError("one night per value is needed to place the values in time")
        ga = [(t, float(v)) for t, v in zip(_positions(group_nights), group_values, strict=True)
              if v is not None]
        rb = [(t, float(v)) for t, v in zip(_positions(reference_nights), reference_values,
                                            strict=True) if v is not None]
        return compare_arrays(
            metric,
            np.array([v for _, v in ga], dtype=float), np.array([v for _, v in rb], dtype=float),
            group=group, reference=reference, confidence=confidence,
            group_nights=np.array([t for t, _ in ga], dtype=np.int64),
            reference_nights=np.array([t for t, _ in rb], dtype=np.int64))
    return compare_arrays(
        metric,
        np.array([float(v) for v in group_values if v is not None], dtype=float),
        np.array([float(v) for v in reference_values if v is not None], dtype=float),
        group=group, reference=reference, confidence=confidence)


def compare_arrays(
    metric: str,
    a: np.ndarray,
    b: np.ndarray,
    *,
    group: str = "group",
    reference: str = "reference",
    confidence: float = 0.95,
    group_nights: np.ndarray | None = None,
    reference_nights: np.ndarray | None = None,
) -> Comparison:
    """:func:`compare` of values already known (float arrays, nothing missing) and, for the
    AR(1) interval, their integer day numbers (int64 arrays of the same lengths): the same
    result, without building lists (the window summary compares many groups of 3,653 nights)."""
    timed = group_nights is not None and reference_nights is not None
    na, nb = int(a.size), int(b.size)
    if na < MIN_NIGHTS or nb < MIN_NIGHTS:
        return Comparison(
            metric, group, reference, NOT_ENOUGH, na, nb,
            method=METHOD_AR1 if timed else METHOD_WELCH,
            message=(
                f"not enough data: needs at least {MIN_NIGHTS} nights in each group "
                f"(has {na} and {nb})"
            ),
        )
    # statistics.fmean(x) is math.fsum(x) / len(x): the same exactly rounded means
    ma, mb = math.fsum(a.tolist()) / na, math.fsum(b.tolist()) / nb
    diff = ma - mb
    method = METHOD_AR1 if timed else METHOD_WELCH
    if np.var(a) == 0 and np.var(b) == 0:
        return Comparison(
            metric, group, reference, OK, na, nb, ma, mb, diff, method=method,
            message="no night-to-night variation in either group; no interval",
        )
    if group_nights is not None and reference_nights is not None:
        low, high = _ar1_interval(group_nights, a, reference_nights, b, confidence)
    else:
        low, high = welch_interval(a, b, confidence)
    return Comparison(metric, group, reference, OK, na, nb, ma, mb, diff, low, high,
                      method=method)


def ar1_interval(
    group: Sequence[tuple[int, float]],
    reference: Sequence[tuple[int, float]],
    confidence: float = 0.95,
) -> tuple[float, float]:
    """AR(1)-adjusted interval for mean(group) - mean(reference) from ``(position, value)`` pairs.

    >>> g = [(t, 400.0 + (t % 3)) for t in range(0, 20, 2)]
    >>> r = [(t, 390.0 + (t % 4)) for t in range(1, 20, 2)]
    >>> lo, hi = ar1_interval(g, r)
    >>> lo < 401.0 - 391.4 < hi
    True
    """
    return _ar1_interval(
        np.array([t for t, _ in group], dtype=np.int64), np.array([v for _, v in group], dtype=float),
        np.array([t for t, _ in reference], dtype=np.int64),
        np.array([v for _, v in reference], dtype=float), confidence)


def _ar1_interval(
    group_pos: np.ndarray, group_y: np.ndarray, ref_pos: np.ndarray, ref_y: np.ndarray,
    confidence: float,
) -> tuple[float, float]:
    from nightleaf.stats.ar1 import TMixture, fit, quadratic_form_ar1

    pos = np.concatenate([group_pos, ref_pos]).astype(np.int64, copy=False)
    y = np.concatenate([group_y, ref_y]).astype(float, copy=False)
    g = np.zeros(pos.size)
    g[: group_pos.size] = 1.0
    order = np.argsort(pos, kind="stable")
    pos, y, g = pos[order], y[order], g[order]
    if np.any(np.diff(pos) == 0):
        raise ValueError("a night cannot be in both groups, nor twice in one")
    n_g, n_r = g.sum(), g.size - g.sum()
    f = fit(y, np.column_stack([np.ones_like(g), g]), pos)
    c = np.where(g == 1.0, 1.0 / n_g, -1.0 / n_r)
    var = f.s2 * quadratic_form_ar1(c, pos, f.rho)
    diff = float(y[g == 1.0].mean() - y[g == 0.0].mean())
    mix = TMixture(f.weights, np.full(f.rho.size, diff), np.sqrt(var), float(f.df))
    return mix.interval(confidence)


def welch_interval(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Two-sided Welch t interval for mean(a) - mean(b), as scipy's ``ttest_ind(a, b,
    equal_var=False).confidence_interval(confidence)`` computes it (scipy 1.17
    ``_stats_py``: ``_var``, ``_unequal_var_ttest_denom``, ``_t_confidence_interval``).

    >>> import numpy as np
    >>> [round(x, 3) for x in welch_interval(np.array([1.0, 2, 3, 4]), np.array([2.0, 4, 6]))]
    [-5.542, 2.542]
    """
    n1, n2 = a.size, b.size
    m1, m2 = float(a.mean()), float(b.mean())
    v1 = float(np.mean((a - m1) ** 2)) * (n1 / (n1 - 1))
    v2 = float(np.mean((b - m2) ** 2)) * (n2 / (n2 - 1))
    vn1, vn2 = v1 / n1, v2 / n2
    den = vn1**2 / (n1 - 1) + vn2**2 / (n2 - 1)
    df = (vn1 + vn2) ** 2 / den if den else 1.0  # both variances 0: any df gives a 0-width interval
    se = math.sqrt(vn1 + vn2)
    tail = (1.0 - confidence) / 2
    from scipy.special import stdtrit

    q_low, q_high = stdtrit(df, np.array([tail, 1.0 - tail]))
    estimate = m1 - m2
    return float(q_low * se + estimate), float(q_high * se + estimate)

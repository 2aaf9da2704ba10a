"""Descriptive two-group comparisons: observational, not proof of cause.

Difference = mean(group) - mean(reference), with a 95% Welch t interval (unequal variances,
Welch-Satterthwaite degrees of freedom): the arithmetic of scipy's ``ttest_ind(equal_var=False)
.confidence_interval`` step for step, with the t quantile from ``scipy.special.stdtrit`` (what
``scipy.stats.t.ppf`` calls). Calling ``ttest_ind`` itself cost about 1 ms of argument handling
per comparison, and a summary makes 35 of them; tests check the two agree. Welch BL. *The
generalization of "Student's" problem when several different population variances are
involved.* Biometrika 1947;34:28-35.

Nights are not independent (habits, weekdays, tolerance), and the person chose when to take
kratom, so these intervals describe this journal; they do not show what kratom causes. With
fewer than :data:`MIN_NIGHTS` nights in either group the result is "not enough data" and carries
no number.

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
from statistics import fmean

import numpy as np
from scipy.special import stdtrit

MIN_NIGHTS = 5
OK = "ok"
NOT_ENOUGH = "not enough data"
METHOD = "Welch t interval, 95%"
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


def compare(
    metric: str,
    group_values: Sequence[float | int | None],
    reference_values: Sequence[float | int | None],
    *,
    group: str = "group",
    reference: str = "reference",
    confidence: float = 0.95,
) -> Comparison:
    """Compare one metric between two sets of nights (``None`` values are dropped)."""
    a = [float(v) for v in group_values if v is not None]
    b = [float(v) for v in reference_values if v is not None]
    if len(a) < MIN_NIGHTS or len(b) < MIN_NIGHTS:
        return Comparison(
            metric, group, reference, NOT_ENOUGH, len(a), len(b),
            message=(
                f"not enough data: needs at least {MIN_NIGHTS} nights in each group "
                f"(has {len(a)} and {len(b)})"
            ),
        )
    ma, mb = fmean(a), fmean(b)
    diff = ma - mb
    xa, xb = np.asarray(a), np.asarray(b)
    if np.var(xa) == 0 and np.var(xb) == 0:
        return Comparison(
            metric, group, reference, OK, len(a), len(b), ma, mb, diff,
            message="no night-to-night variation in either group; no interval",
        )
    low, high = welch_interval(xa, xb, confidence)
    return Comparison(metric, group, reference, OK, len(a), len(b), ma, mb, diff, low, high)


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
    q_low, q_high = stdtrit(df, np.array([tail, 1.0 - tail]))
    estimate = m1 - m2
    return float(q_low * se + estimate), float(q_high * se + estimate)

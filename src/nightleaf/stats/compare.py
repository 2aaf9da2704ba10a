"""Descriptive two-group comparisons: observational, not proof of cause.

Difference = mean(group) - mean(reference), with a 95% Welch t interval (unequal variances,
Welch-Satterthwaite degrees of freedom; scipy ``ttest_ind(equal_var=False)
.confidence_interval``). Welch BL. *The generalization of "Student's" problem when several
different population variances are involved.* Biometrika 1947;34:28-35.

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

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

import numpy as np
from scipy import stats

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
    if np.var(a) == 0 and np.var(b) == 0:
        return Comparison(
            metric, group, reference, OK, len(a), len(b), ma, mb, diff,
            message="no night-to-night variation in either group; no interval",
        )
    res = stats.ttest_ind(a, b, equal_var=False)
    ci = res.confidence_interval(confidence_level=confidence)
    return Comparison(
        metric, group, reference, OK, len(a), len(b), ma, mb, diff,
        float(ci.low), float(ci.high),
    )

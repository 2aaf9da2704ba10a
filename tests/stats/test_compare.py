"""Descriptive comparisons: n, difference, 95% Welch interval, "not enough data"."""

from __future__ import annotations

import math
from statistics import fmean, variance

import pytest
from scipy.stats import t

from nightleaf.stats.compare import MIN_NIGHTS, NOT_ENOUGH, NOTE, compare
from nightleaf.stats.describe import describe


def test_welch_interval_matches_the_formula() -> None:
    a = [400, 420, 410, 430, 440, 380]
    b = [380, 390, 385, 400, 395, 350, 372]
    c = compare("tst_minutes", a, b, group="with", reference="without")
    va, vb, na, nb = variance(a) / len(a), variance(b) / len(b), len(a), len(b)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    diff = fmean(a) - fmean(b)
    half = t.ppf(0.975, df) * se
    assert (c.n_group, c.n_reference) == (6, 7)
    assert c.difference == pytest.approx(diff)
    assert (c.ci_low, c.ci_high) == (pytest.approx(diff - half), pytest.approx(diff + half))
    assert c.note == NOTE == "observational, not proof of cause"
    assert "Welch" in c.method


@pytest.mark.parametrize(("na", "nb"), [(4, 10), (10, 4), (0, 0), (MIN_NIGHTS - 1, MIN_NIGHTS)])
def test_fewer_than_five_nights_in_a_group_gives_no_number(na: int, nb: int) -> None:
    c = compare("se_percent", [80.0 + i for i in range(na)], [85.0 + i for i in range(nb)])
    assert c.status == NOT_ENOUGH
    assert c.difference is None and c.ci_low is None and c.mean_group is None
    assert (c.n_group, c.n_reference) == (na, nb)
    assert "not enough data" in c.message


def test_unknown_values_do_not_count_as_nights() -> None:
    c = compare("sol_minutes", [10, 20, None, 30, 40, None], [5, 6, 7, 8, 9])
    assert c.status == NOT_ENOUGH and c.n_group == 4


def test_no_variation_gives_a_difference_without_an_interval() -> None:
    c = compare("quality", [3] * 6, [4] * 6)
    assert c.status == "ok" and c.difference == -1 and c.ci_low is None


def test_describe_counts_missing_nights() -> None:
    d = describe([1, None, 3, None])
    assert (d.n, d.missing, d.mean, d.median, d.minimum, d.maximum) == (2, 2, 2.0, 2.0, 1.0, 3.0)
    assert describe([None]).mean is None


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning")  # scipy, exact 0 var
def test_welch_interval_matches_scipy_ttest_ind(seed: int) -> None:
    import numpy as np
    from scipy import stats

    from nightleaf.stats.compare import welch_interval

    rng = np.random.default_rng(seed)
    n1, n2 = (int(n) for n in rng.integers(2, 300, size=2))
    a = rng.normal(400, rng.uniform(0.5, 80), n1).round(int(rng.integers(0, 3)))
    b = np.full(n2, 3.0) if seed % 5 == 0 else rng.normal(380, rng.uniform(0.5, 80), n2)
    ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(confidence_level=0.95)
    low, high = welch_interval(a, b)
    assert low == pytest.approx(float(ci.low), rel=1e-12, abs=1e-9)
    assert high == pytest.approx(float(ci.high), rel=1e-12, abs=1e-9)

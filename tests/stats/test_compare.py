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


# --- the AR(1)-adjusted interval (what the window summary uses) -----------------------------------

def _streaky_journal(seed: int, nights: int = 60, rho: float = 0.7):
    import numpy as np

    rng = np.random.default_rng(seed)
    u = np.empty(nights)
    u[0] = rng.normal()
    for k in range(1, nights):
        u[k] = rho * u[k - 1] + math.sqrt(1 - rho**2) * rng.normal()
    used = (np.arange(nights) // 6) % 2 == 1  # six-night streaks
    y = 400 + 45 * u
    days = np.arange(nights)
    return y, used, days


def test_positions_give_the_ar1_interval_around_the_difference_of_the_means() -> None:
    y, used, days = _streaky_journal(1)
    c = compare("tst_minutes", y[used].tolist(), y[~used].tolist(),
                group_nights=days[used].tolist(), reference_nights=days[~used].tolist())
    w = compare("tst_minutes", y[used].tolist(), y[~used].tolist())
    assert c.status == "ok" and c.method.startswith("AR(1)") and "Welch" in w.method
    assert c.difference == pytest.approx(fmean(y[used]) - fmean(y[~used]))
    assert c.ci_low < c.difference < c.ci_high
    # streaks of correlated nights carry less information than independent nights
    assert (c.ci_high - c.ci_low) > 1.25 * (w.ci_high - w.ci_low)
    assert c.note == NOTE


def test_dates_and_day_numbers_place_nights_alike_and_missing_values_are_gaps() -> None:
    from datetime import date, timedelta

    y, used, days = _streaky_journal(2, nights=40)
    vals = y.tolist()
    vals[3] = None  # a missing night
    first = date(2026, 3, 1)
    g = [vals[d] for d in days[used]]
    r = [vals[d] for d in days[~used]]
    by_day = compare("tst_minutes", g, r, group_nights=days[used].tolist(),
                     reference_nights=days[~used].tolist())
    by_date = compare("tst_minutes", g, r,
                      group_nights=[first + timedelta(days=int(d)) for d in days[used]],
                      reference_nights=[first + timedelta(days=int(d)) for d in days[~used]])
    assert (by_day.ci_low, by_day.ci_high) == (by_date.ci_low, by_date.ci_high)
    assert by_day.n_group + by_day.n_reference == 39


def test_a_night_in_both_groups_or_a_missing_position_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="both groups"):
        compare("sol_minutes", [1.0, 2, 3, 4, 5], [2.0, 3, 4, 5, 6],
                group_nights=[0, 1, 2, 3, 4], reference_nights=[4, 5, 6, 7, 8])
    with pytest.raises(ValueError, match="one night per value"):
        compare("sol_minutes", [1.0, 2, 3, 4, 5], [2.0, 3, 4, 5, 6],
                group_nights=[0, 1, 2], reference_nights=[5, 6, 7, 8, 9])


def test_thin_data_still_says_not_enough_data_with_positions() -> None:
    c = compare("se_percent", [80.0, 81, 82, 83], [85.0] * 9, group_nights=range(4),
                reference_nights=range(4, 13))
    assert c.status == NOT_ENOUGH and c.difference is None and c.method.startswith("AR(1)")


@pytest.mark.slow
def test_small_observational_calibration_run() -> None:
    """300 people, streaky use, rho 0.6, 28 nights: goal <= 6%; the band adds 3 binomial SE
    (sqrt(0.06 * 0.94 / 300) = 1.4 points), so <= 10.1%. The old Welch interval gives ~16%."""
    from nightleaf.stats.calibration import observational_cell

    s = observational_cell(28, 0.6, "streaky", 300, seed=5)
    assert s.compared > 250
    assert s.rate <= 0.06 + 3 * math.sqrt(0.06 * 0.94 / s.compared)


def test_the_new_modules_docstring_examples_run() -> None:
    import doctest
    import importlib

    for name in ("nightleaf.stats.ar1", "nightleaf.stats.experiment", "nightleaf.stats.compare"):
        result = doctest.testmod(importlib.import_module(name))
        assert result.failed == 0

"""The AR(1) engine after the speed work of issue 13 gives what it gave before.

``tests/support/ar1_reference.py`` keeps :func:`fit` (whitening every night for every rho) and
:meth:`TMixture.quantile` (Newton steps) as they were. The new :func:`fit` works from sums over
the nights (one set per distinct gap) and must be the same estimator: on random gapped series
with 1-3 regressors, both grids, both priors, exact and conditional likelihoods, long series
(the coarse pass) included, the rho grid is the same and the weights, estimates, scales and
intervals agree to 1e-9 (relative to the quantity, or to its posterior scale where the quantity
may be near zero). Floating-point sums in another order cannot agree to the last bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import stdtr

from nightleaf.stats import ar1
from nightleaf.stats.ar1 import COARSE_ABOVE, REFERENCE_GRID, RHO_GRID, TMixture, reference_prior
from tests.support import ar1_reference as ref

RTOL = 1e-9
TAILS = [0.025, 0.975]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def series(draw: Any) -> dict[str, Any]:
    """A gapped series ``y = level + effects + AR(1)``: most gaps one night, some longer."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    p = draw(st.integers(1, 3))
    long = draw(st.integers(0, 9)) == 0  # one in ten above COARSE_ABOVE nights
    n = int(rng.integers(COARSE_ABOVE + 1, 1300)) if long else int(rng.integers(p + 3, 200))
    big_gaps = draw(st.sampled_from([1, 3, 8, 40, 200]))  # 200: many distinct gaps
    gaps = np.where(rng.random(n - 1) < draw(st.sampled_from([0.0, 0.1, 0.4])),
                    rng.integers(1, big_gaps + 1, n - 1), 1)
    pos = 730_000 + np.r_[0, np.cumsum(gaps)]
    group = rng.random(n) < rng.uniform(0.2, 0.8)
    group[:2] = [True, False]
    trend = (pos - pos[0]) / max(1, int(pos[-1] - pos[0])) - 0.5
    X = np.column_stack([np.ones(n), group, trend])[:, :p]
    rho = draw(st.sampled_from([-0.6, 0.0, 0.3, 0.7, 0.95]))
    u = np.empty(n)
    u[0] = rng.normal()
    for k in range(1, n):
        phi = rho ** int(gaps[k - 1])
        u[k] = phi * u[k - 1] + np.sqrt(1 - phi * phi) * rng.normal()
    level = draw(st.sampled_from([0.0, 7.0, 420.0, -3000.0]))
    # level / scale up to 6,000 (sleep minutes vary by 10-60 around 420): beyond about 1e4 the
    # old fit's own rounding exceeds 1e-9 (see the long-double test below)
    scale = draw(st.sampled_from([0.5, 1.0, 40.0]))
    y = level + X[:, 1:] @ rng.normal(0, scale, p - 1) + scale * u
    grid = draw(st.sampled_from([RHO_GRID, REFERENCE_GRID]))
    return {"y": y, "X": X, "pos": pos, "rho": grid,
            "rho_prior": draw(st.sampled_from([None, reference_prior(grid)])),
            "conditional": draw(st.booleans())}


def _same_fit(new: ar1.AR1Fit, old: ar1.AR1Fit) -> None:
    assert (new.n, new.p, new.df) == (old.n, old.p, old.df)
    np.testing.assert_array_equal(new.rho, old.rho)
    # weights: each to 1e-9 of itself where it counts (above the pruning threshold), and no
    # weight moves by more than 1e-9 of the largest
    big = old.weights > ar1.PRUNE * old.weights.max()
    np.testing.assert_allclose(new.weights[big], old.weights[big], rtol=RTOL)
    np.testing.assert_allclose(new.weights, old.weights, rtol=0, atol=RTOL * old.weights.max())
    np.testing.assert_allclose(new.s2, old.s2, rtol=RTOL)
    sd = np.sqrt(np.einsum("gjj->gj", old.cov_unscaled) * old.s2[:, None])  # posterior scale
    assert np.all(np.abs(new.coef - old.coef) <= RTOL * (np.abs(old.coef) + sd))
    norm = np.abs(old.cov_unscaled).max(axis=(1, 2))[:, None, None]
    assert np.all(np.abs(new.cov_unscaled - old.cov_unscaled) <= RTOL * norm)
    for j in range(old.p):
        a, b = new.coefficient(j), old.coefficient(j)
        np.testing.assert_allclose(a.scale, b.scale, rtol=RTOL)
        # quantiles converged to rounding, so that only the fits can differ
        (lo_a, hi_a), (lo_b, hi_b) = a.quantile(TAILS, tol=1e-12), b.quantile(TAILS, tol=1e-12)
        width = hi_b - lo_b
        assert abs(lo_a - lo_b) <= RTOL * width and abs(hi_a - hi_b) <= RTOL * width


@SETTINGS
@given(series())
def test_fit_is_the_same_estimator(s: dict[str, Any]) -> None:
    if s["conditional"] and s["y"].size - 1 <= s["X"].shape[1]:
        with pytest.raises(ValueError, match="more nights"):
            ar1.fit(s["y"], s["X"], s["pos"], conditional=True)
        return
    kw = {k: s[k] for k in ("rho", "rho_prior", "conditional")}
    _same_fit(ar1.fit(s["y"], s["X"], s["pos"], **kw), ref.fit(s["y"], s["X"], s["pos"], **kw))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series())
def test_fit_is_the_same_when_the_gaps_are_summed_one_product_each(s: dict[str, Any]) -> None:
    """The other way of summing per gap (many distinct gaps, or a design too wide for one
    product of outer products) gives the same fit."""
    if s["conditional"] and s["y"].size - 1 <= s["X"].shape[1]:
        return
    kw = {k: s[k] for k in ("rho", "rho_prior", "conditional")}
    saved = ar1._OUTER_MAX
    ar1._OUTER_MAX = 0  # forces the other branch
    try:
        new = ar1.fit(s["y"], s["X"], s["pos"], **kw)
    finally:
        ar1._OUTER_MAX = saved
    _same_fit(new, ref.fit(s["y"], s["X"], s["pos"], **kw))


@pytest.mark.parametrize("p", [1, 2, 3])
def test_a_singular_design_is_refused_as_before(p: int) -> None:
    """Two equal columns (or a zero one): numpy's "Singular matrix", whatever p."""
    y = np.arange(12.0) % 5
    X = np.column_stack([np.ones(12), np.ones(12), np.arange(12.0)])[:, :p]
    if p == 1:
        X = np.zeros((12, 1))
    for f in (ar1.fit, ref.fit):
        with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
            f(y, X, np.arange(12))


@st.composite
def mixtures(draw: Any) -> TMixture:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    g = draw(st.integers(1, 80))
    w = rng.dirichlet(np.full(g, draw(st.sampled_from([0.05, 1.0, 5.0]))))
    loc = 400 + rng.normal(0, draw(st.sampled_from([0.0, 0.1, 3.0, 50.0])), g)
    scale = rng.uniform(0.5, 30) * np.exp(rng.normal(0, draw(st.sampled_from([0.01, 0.3, 1.0])), g))
    return TMixture(w, loc, scale, float(draw(st.sampled_from([1, 2, 5, 30, 363, 3651]))))


QS = np.array([1e-6, 0.025, 0.3, 0.975, 1 - 1e-6])


@settings(max_examples=300, deadline=None)
@given(mixtures())
def test_quantiles_agree_with_the_old_ones_to_their_tolerance(m: TMixture) -> None:
    """The old quantiles were converged to ``tol`` (1e-6) times the smallest component scale,
    or as far as the CDF's rounding (a few 1e-16 in probability) lets x be known where the
    density is tiny (far tails of few degrees of freedom)."""
    new, old = m.quantile(QS), ref.quantile(m, QS)
    rounding = 4 * np.finfo(float).eps / m.pdf(old)
    assert np.all(np.abs(new - old) <= 1e-6 * m.scale.min() + 1e-12 * np.abs(old) + rounding)


@settings(max_examples=300, deadline=None)
@given(mixtures(), st.sampled_from([1e-6, 1e-12]))
def test_quantiles_invert_the_cdf_to_their_tolerance(m: TMixture, tol: float) -> None:
    """Each quantile x has F(x - e) <= q <= F(x + e) for e = ``tol`` times the smallest scale
    (and a few ulps of x: 1e-12 asks for about all that double precision gives)."""
    q = np.r_[QS, 0.5]
    x = m.quantile(q, tol=tol)
    e = tol * m.scale.min() + 8 * np.spacing(np.abs(x))

    def cdf(v: np.ndarray) -> np.ndarray:
        return np.asarray(stdtr(m.df, (v[:, None] - m.loc) / m.scale) @ m.weights)

    slack = 4e-12  # the CDF's own accuracy: scipy's stdtr(1, z) moves in steps of ~1e-12
    assert np.all(cdf(x - e) <= q + slack) and np.all(q - slack <= cdf(x + e))


def test_the_median_of_a_symmetric_mixture_asked_with_other_quantiles() -> None:
    """Every component has the same median: that quantile needs no iterations, and the others
    asked with it are still refined (they were returned unrefined when asked together)."""
    m = TMixture(np.array([0.3, 0.7]), np.array([5.0, 5.0]), np.array([1.0, 4.0]), 8.0)
    lo, mid, hi = m.quantile([0.025, 0.5, 0.975])
    assert mid == 5.0
    alone = m.quantile([0.025, 0.975])
    assert (lo, hi) == (pytest.approx(alone[0], rel=1e-12), pytest.approx(alone[1], rel=1e-12))
    assert float(m.cdf(hi)) == pytest.approx(0.975, abs=1e-12)


def _gls_long_double(y: np.ndarray, X: np.ndarray, pos: np.ndarray, rho: float) -> tuple[Any, Any]:
    """GLS given rho (intercept and group): both coefficients and the residual SS, whitening
    every night in long double (64-bit mantissa on x86-64)."""
    ld = np.longdouble
    r = ld(rho)
    phi = r ** np.diff(pos).astype(ld)
    s = 1 / np.sqrt(1 - phi * phi)
    Z = np.column_stack([X, y]).astype(ld)
    W = np.empty_like(Z)
    W[0] = Z[0]
    W[1:] = (Z[1:] - phi[:, None] * Z[:-1]) * s[:, None]
    C = W.T @ W
    a, b, d = C[0, 0], C[0, 1], C[1, 1]
    coef = np.array([d * C[0, 2] - b * C[1, 2], a * C[1, 2] - b * C[0, 2]]) / (a * d - b * b)
    res = W[:, 2] - W[:, :2] @ coef
    return coef, res @ res


@pytest.mark.skipif(np.finfo(np.longdouble).eps >= 1e-18, reason="long double is double here")
@pytest.mark.parametrize("level", [420.0, -3000.0])
def test_a_large_level_is_fitted_closer_to_long_double_than_before(level: float) -> None:
    """A level up to 60,000 times the night-to-night SD: the old fit's rounding reaches 1e-10 to
    a few 1e-9 of the coefficients' posterior scale; the new one (which takes the least-squares
    level out of y before summing) stays below 1e-10."""
    rng = np.random.default_rng(3)
    n = 1165
    gaps = np.where(rng.random(n - 1) < 0.1, rng.integers(1, 9, n - 1), 1)
    pos = 730_000 + np.r_[0, np.cumsum(gaps)]
    g = (rng.random(n) < 0.5).astype(float)
    X = np.column_stack([np.ones(n), g])
    y = level + 0.05 * (0.02 * g + rng.normal(size=n))
    grid = np.array([-0.3, 0.5, 0.95])
    new = ar1.fit(y, X, pos, rho=grid, rho_prior=np.ones(3))
    old = ref.fit(y, X, pos, rho=grid, rho_prior=np.ones(3))
    err_new, err_old = [], []
    for k, r in enumerate(grid):
        b, ss = _gls_long_double(y, X, pos, float(r))
        sd = np.sqrt(np.diag(old.cov_unscaled[k]) * old.s2[k])
        err_new += (np.abs(new.coef[k] - b) / sd).tolist()
        err_old += (np.abs(old.coef[k] - b) / sd).tolist()
        assert float(abs(new.s2[k] * (n - 2) / ss - 1)) < 1e-13
    assert max(err_new) < 1e-10 < max(err_old)

"""The AR(1) regression engine against statsmodels (GLS, GLSAR) and against brute force."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from scipy import stats

from nightleaf.stats.ar1 import RHO_GRID, TMixture, fit, quadratic_form_ar1


def _design(rng: np.random.Generator, n: int, span: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pos = np.sort(rng.choice(span, n, replace=False))
    X = np.column_stack([np.ones(n), rng.integers(0, 2, n), pos / span - 0.5])
    y = 30 + 5 * X[:, 1] + rng.normal(0, 10, n)
    return y, X, pos


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("rho", [-0.2, 0.0, 0.4, 0.9])
def test_gls_given_rho_matches_statsmodels_gls_with_the_exact_covariance_of_gapped_nights(
    seed: int, rho: float
) -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    y, X, pos = _design(rng, 40, 70)  # 30 of 70 nights missing
    f = fit(y, X, pos, rho=np.array([rho]))
    sigma = rho ** np.abs(pos[:, None] - pos[None, :]).astype(float)
    ref = sm.GLS(y, X, sigma=sigma).fit()
    np.testing.assert_allclose(f.coef[0], ref.params, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(np.sqrt(np.diag(f.cov_unscaled[0]) * f.s2[0]), ref.bse, rtol=1e-9)
    # the posterior of a coefficient given rho is Student t(n - p) around GLS, scale = GLS's SE
    post = f.coefficient(1)
    lo, hi = post.interval(0.95)
    ci = ref.conf_int(0.05)[1]
    assert (lo, hi) == (pytest.approx(ci[0], rel=1e-6), pytest.approx(ci[1], rel=1e-6))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("rho", [0.0, 0.3, 0.7])
def test_conditional_fit_matches_statsmodels_glsar_for_a_fixed_rho(seed: int, rho: float) -> None:
    from statsmodels.regression.linear_model import GLSAR

    rng = np.random.default_rng(100 + seed)
    n = 60
    pos = np.arange(n)
    X = np.column_stack([np.ones(n), rng.integers(0, 2, n), pos / n - 0.5])
    y = 30 + 5 * X[:, 1] + rng.normal(0, 10, n)
    ref = GLSAR(y, X, rho=rho).fit()
    f = fit(y, X, pos, rho=np.array([rho]), conditional=True)
    np.testing.assert_allclose(f.coef[0], ref.params, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(np.sqrt(np.diag(f.cov_unscaled[0]) * f.s2[0]), ref.bse, rtol=1e-9)


def test_rho_posterior_concentrates_where_glsar_iterates_to() -> None:
    from statsmodels.regression.linear_model import GLSAR

    rng = np.random.default_rng(7)
    n, rho = 400, 0.6
    u = np.empty(n)
    u[0] = rng.normal()
    for t in range(1, n):
        u[t] = rho * u[t - 1] + np.sqrt(1 - rho**2) * rng.normal()
    X = np.column_stack([np.ones(n), (np.arange(n) // 7) % 2])
    y = 10 + 2 * X[:, 1] + 5 * u
    ref = GLSAR(y, X, rho=1).iterative_fit(maxiter=50)
    f = fit(y, X, np.arange(n))
    assert f.rho_mean() == pytest.approx(float(ref.model.rho[0]), abs=0.03)
    assert f.coefficient(1).mean() == pytest.approx(float(ref.params[1]), abs=0.05 * 5)


def test_rho_weights_are_the_marginal_likelihood_computed_by_brute_force() -> None:
    """p(y | rho) ∝ |R|^-1/2 |X'R^-1X|^-1/2 S2^-(n-p)/2 with dense matrices."""
    rng = np.random.default_rng(3)
    y, X, pos = _design(rng, 25, 40)
    f = fit(y, X, pos)
    n, p = X.shape
    logs = []
    for r in RHO_GRID:
        R = r ** np.abs(pos[:, None] - pos[None, :]).astype(float)
        Ri = np.linalg.inv(R)
        xtx = X.T @ Ri @ X
        b = np.linalg.solve(xtx, X.T @ Ri @ y)
        e = y - X @ b
        logs.append(-0.5 * np.linalg.slogdet(R)[1] - 0.5 * np.linalg.slogdet(xtx)[1]
                    - 0.5 * (n - p) * np.log(e @ Ri @ e))
    w = np.exp(np.array(logs) - max(logs))
    np.testing.assert_allclose(f.weights, w / w.sum(), rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_quadratic_form_matches_the_dense_matrix(seed: int) -> None:
    rng = np.random.default_rng(seed)
    span = int(rng.integers(5, 600))
    n = int(rng.integers(2, span + 1))
    pos = np.sort(rng.choice(span, n, replace=False)) + 1000
    c = rng.normal(size=n)
    rho = np.array([-0.3, 0.0, 0.5, 0.95])
    got = quadratic_form_ar1(c, pos, rho)
    d = np.abs(pos[:, None] - pos[None, :]).astype(float)
    want = [c @ (r**d) @ c for r in rho]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


def test_a_one_component_mixture_is_scipys_student_t() -> None:
    m = TMixture(np.array([1.0]), np.array([3.0]), np.array([2.0]), 9.0)
    t = stats.t(9, loc=3, scale=2)
    assert m.cdf(1.0) == pytest.approx(t.cdf(1.0), rel=1e-12)
    assert m.sf(8.0) == pytest.approx(t.sf(8.0), rel=1e-10)
    assert m.pdf(2.0) == pytest.approx(t.pdf(2.0), rel=1e-12)
    np.testing.assert_allclose(m.interval(0.95), t.interval(0.95), rtol=1e-9)


def test_mixture_quantiles_invert_the_mixture_cdf() -> None:
    m = TMixture(np.array([0.2, 0.5, 0.3]), np.array([-5.0, 0.0, 12.0]),
                 np.array([1.0, 3.0, 0.5]), 6.0)
    q = np.array([1e-6, 0.025, 0.2, 0.5, 0.8, 0.975, 1 - 1e-6])
    np.testing.assert_allclose(m.cdf(m.quantile(q)), q, rtol=1e-6, atol=1e-12)
    draws = np.concatenate([
        stats.t(6, loc=lo, scale=s).rvs(size=int(200_000 * w), random_state=i)
        for i, (w, lo, s) in enumerate(zip(m.weights, m.loc, m.scale, strict=True))
    ])
    assert m.mean() == pytest.approx(draws.mean(), abs=0.05)


def test_fit_refuses_bad_inputs() -> None:
    X = np.column_stack([np.ones(4), [0, 1, 0, 1]])
    with pytest.raises(ValueError, match="increasing"):
        fit([1.0, 2, 3, 4], X, [0, 2, 2, 3])
    with pytest.raises(ValueError, match="more nights"):
        fit([1.0, 2], X[:2], [0, 1])


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
def test_long_series_coarse_pass_keeps_all_the_posterior_mass(rho: float) -> None:
    """Above COARSE_ABOVE nights the full grid is evaluated only where rho's posterior is; the
    answer equals the full-grid one (forced by passing a flat rho_prior)."""
    from nightleaf.stats.ar1 import COARSE_ABOVE

    rng = np.random.default_rng(int(rho * 10))
    n = COARSE_ABOVE + 200
    u = np.empty(n)
    u[0] = rng.normal()
    for t in range(1, n):
        u[t] = rho * u[t - 1] + np.sqrt(1 - rho**2) * rng.normal()
    pos = np.sort(rng.choice(n + 100, n, replace=False))
    X = np.column_stack([np.ones(n), rng.integers(0, 2, n)])
    y = 3 + 45 * u
    quick = fit(y, X, pos)
    full = fit(y, X, pos, rho_prior=np.ones(RHO_GRID.size))
    assert quick.rho.size < RHO_GRID.size
    a, b = quick.coefficient(1), full.coefficient(1)
    np.testing.assert_allclose(a.interval(), b.interval(), rtol=1e-9)
    assert float(a.cdf(0.0)) == pytest.approx(float(b.cdf(0.0)), abs=1e-12)


# --- the self-experiments' model: reference prior on rho, free levels for wash-out runs ---------

def test_reference_prior_is_berger_yangs_on_the_symmetric_grid() -> None:
    from nightleaf.stats.ar1 import REFERENCE_GRID, reference_prior

    w = reference_prior(REFERENCE_GRID)
    assert w.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(w * np.sqrt(1 - REFERENCE_GRID**2), w[38], rtol=1e-12)  # ∝ (1-r²)^-½
    assert REFERENCE_GRID[38] == 0.0 and np.allclose(REFERENCE_GRID, -REFERENCE_GRID[::-1])
    np.testing.assert_allclose(np.diff(REFERENCE_GRID), 0.025)
    with pytest.raises(ValueError, match="stationary"):
        reference_prior(np.array([0.5, 1.0]))


def test_rho_weights_with_the_reference_prior_are_prior_times_marginal_likelihood() -> None:
    from nightleaf.stats.ar1 import REFERENCE_GRID, reference_prior

    rng = np.random.default_rng(5)
    y, X, pos = _design(rng, 30, 45)
    prior = reference_prior(REFERENCE_GRID)
    f = fit(y, X, pos, rho=REFERENCE_GRID, rho_prior=prior)
    n, p = X.shape
    logs = []
    for r in REFERENCE_GRID:
        Ri = np.linalg.inv(r ** np.abs(pos[:, None] - pos[None, :]).astype(float))
        xtx = X.T @ Ri @ X
        e = y - X @ np.linalg.solve(xtx, X.T @ Ri @ y)
        logs.append(0.5 * np.linalg.slogdet(Ri)[1] - 0.5 * np.linalg.slogdet(xtx)[1]
                    - 0.5 * (n - p) * np.log(e @ Ri @ e))
    w = np.exp(np.array(logs) - max(logs)) * prior
    np.testing.assert_allclose(f.weights, w / w.sum(), rtol=1e-7, atol=1e-12)


def test_a_night_with_its_own_free_level_is_the_same_as_no_night() -> None:
    """The restricted likelihood with a flat prior on a night's own level equals the likelihood
    without that night (|R| |X'R^-1X| and the residual SS are unchanged), so a wash-out run with
    one observed night adds nothing — exactly."""
    rng = np.random.default_rng(11)
    y, X, pos = _design(rng, 30, 50)
    k = 12
    own = np.zeros((30, 1))
    own[k] = 1.0
    with_it = fit(y, np.hstack([X, own]), pos)
    keep = np.arange(30) != k
    without = fit(y[keep], X[keep], pos[keep])
    assert with_it.df == without.df
    np.testing.assert_allclose(with_it.weights, without.weights, rtol=1e-8, atol=1e-14)
    a, b = with_it.coefficient(1), without.coefficient(1)
    np.testing.assert_allclose(a.loc, b.loc, rtol=1e-8)
    np.testing.assert_allclose(a.scale, b.scale, rtol=1e-8)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("rho", [0.0, 0.5, 0.8])
def test_experiment_design_with_wash_out_levels_matches_statsmodels_glsar(seed: int, rho: float) -> None:
    """The self-experiment's primary design (arm, trend and one level per wash-out run) on 56
    consecutive nights: the conditional fit for a fixed rho is statsmodels' GLSAR."""
    from statsmodels.regression.linear_model import GLSAR

    from nightleaf.stats.experiment import design_matrix, schedule

    plan = schedule(date(2027, 1, 4), 7, 4, 3, seed=seed)
    n = len(plan)
    z = np.array([sn.arm == "B" for sn in plan], dtype=float)
    run = np.array([k // 7 if sn.washout else -1 for k, sn in enumerate(plan)])
    X = design_matrix(z, np.arange(n) / (n - 1) - 0.5, run)
    assert X.shape == (56, 11)
    rng = np.random.default_rng(seed)
    y = 30 + 10 * z + rng.normal(0, 10, n)
    ref = GLSAR(y, X, rho=rho).fit()
    f = fit(y, X, np.arange(n), rho=np.array([rho]), conditional=True)
    np.testing.assert_allclose(f.coef[0], ref.params, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(np.sqrt(np.diag(f.cov_unscaled[0]) * f.s2[0]), ref.bse, rtol=1e-8)

"""The AR(1) engine's fit and mixture quantiles as they were before the sufficient-statistics
rewrite (issue 13, branch h13-fits), kept as they were apart from names and docstrings: ``tests/stats/
test_ar1_same.py`` checks that the new :func:`nightleaf.stats.ar1.fit` and
:meth:`nightleaf.stats.ar1.TMixture.quantile` give the same answers as these. Not used by the
application.
"""
# ruff: noqa

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nightleaf.stats.ar1 import (
    COARSE_ABOVE, COARSE_DROP, COARSE_STEP, RHO_GRID, AR1Fit, TMixture,
)


def quantile(mix: TMixture, q: Sequence[float] | np.ndarray, *, tol: float = 1e-6) -> np.ndarray:
    """Quantiles of the mixture, all ``q`` at once: Newton steps on the CDF, kept inside a
    bracket that shrinks every step (bisection when a step would leave it). Converged when
    a step is below ``tol`` times the smallest component scale."""
    from scipy.special import stdtrit

    q = np.atleast_1d(np.asarray(q, dtype=float))
    # each quantile lies between the smallest and largest component quantile
    comp = mix.loc[None, :] + mix.scale[None, :] * stdtrit(mix.df, q[:, None])
    lo, hi = comp.min(axis=1), comp.max(axis=1)
    x = comp @ mix.weights
    resolution = tol * float(np.min(mix.scale))
    if not np.all(hi - lo > resolution):
        return np.asarray(x)
    for _ in range(100):
        f = mix.cdf(x) - q
        lo = np.where(f < 0, x, lo)
        hi = np.where(f > 0, x, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            nxt = x - f / mix.pdf(x)
        outside = ~np.isfinite(nxt) | (nxt <= lo) | (nxt >= hi)
        nxt = np.where(outside, 0.5 * (lo + hi), nxt)
        done = np.max(np.abs(nxt - x)) < resolution or np.max(hi - lo) < resolution
        x = nxt
        if done:
            break
    return np.asarray(x)


def interval(mix: TMixture, level: float = 0.95) -> tuple[float, float]:
    tail = (1.0 - level) / 2
    lo, hi = quantile(mix, [tail, 1.0 - tail])
    return float(lo), float(hi)


def _whiten_columns(
    values: np.ndarray, positions: np.ndarray, rho: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`whiten` laid out (G, k, n): each whitened column contiguous in memory."""
    gaps = np.diff(positions)  # (n-1,)
    # powers and scales for the few distinct gaps only (mostly 1), then gathered: (G, n-1)
    distinct, which = np.unique(gaps, return_inverse=True)
    phi_d = np.power(rho[:, None], distinct[None, :].astype(float))
    one_minus_d = 1.0 - phi_d * phi_d
    inv_scale_d = 1.0 / np.sqrt(one_minus_d)
    phi = phi_d[:, which]
    inv_scale = inv_scale_d[:, which]
    cols = np.ascontiguousarray(values.T)  # (k, n)
    out = np.empty((rho.size,) + cols.shape)
    out[:, :, 0] = cols[:, 0]
    body = out[:, :, 1:]
    np.multiply(phi[:, None, :], cols[None, :, :-1], out=body)
    np.subtract(cols[None, :, 1:], body, out=body)
    body *= inv_scale[:, None, :]
    counts = np.bincount(which, minlength=distinct.size).astype(float)
    return out, np.log(one_minus_d) @ counts


def fit(
    y: Sequence[float] | np.ndarray,
    X: np.ndarray,
    positions: Sequence[int] | np.ndarray,
    *,
    rho: np.ndarray = RHO_GRID,
    rho_prior: np.ndarray | None = None,
    conditional: bool = False,
) -> AR1Fit:
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    pos = np.asarray(positions, dtype=np.int64)
    n, p = X.shape
    if y.shape != (n,) or pos.shape != (n,):
        raise ValueError("y, X and positions must describe the same nights")
    if n <= p:
        raise ValueError(f"needs more nights ({n}) than coefficients ({p})")
    if n > 1 and np.any(np.diff(pos) <= 0):
        raise ValueError("positions must be strictly increasing")
    rho = np.asarray(rho, dtype=float)
    Z = np.column_stack([X, y])
    if n > COARSE_ABOVE and rho_prior is None and rho.size > 2 * COARSE_STEP and not conditional:
        idx = np.unique(np.r_[np.arange(0, rho.size, COARSE_STEP), rho.size - 1])
        *_, ll = _gls(Z, pos, rho[idx], p, y, conditional)
        good = np.flatnonzero(ll >= ll.max() - COARSE_DROP)
        lo, hi = idx[max(int(good.min()) - 1, 0)], idx[min(int(good.max()) + 1, idx.size - 1)]
        rho = rho[lo:hi + 1]
    coef, cov, ss, n_used, loglik = _gls(Z, pos, rho, p, y, conditional)
    if rho_prior is not None:
        loglik = loglik + np.log(np.asarray(rho_prior, dtype=float))
    w = np.exp(loglik - loglik.max())
    w /= w.sum()
    return AR1Fit(rho, w, coef, cov, ss / (n_used - p), n_used, p)


def _gls(
    Z: np.ndarray, pos: np.ndarray, rho: np.ndarray, p: int, y: np.ndarray, conditional: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray]:
    W, logdet = _whiten_columns(Z, pos, rho)  # (G, p+1, n)
    n = Z.shape[0]
    if conditional:
        W = W[:, :, 1:]
        n -= 1
        if n <= p:
            raise ValueError(f"needs more nights ({n + 1}) than coefficients + 1 ({p + 1})")
    Xw, yw = W[:, :p, :], W[:, p, :]
    cross = np.matmul(W, W.transpose(0, 2, 1))  # (G, p+1, p+1): X'X, X'y in one product
    xtx = cross[:, :p, :p]
    cov = np.linalg.inv(xtx)
    coef = np.matmul(cov, cross[:, :p, p:])[:, :, 0]
    resid = yw - np.matmul(coef[:, None, :], Xw)[:, 0, :]
    ss = np.square(resid).sum(axis=1)
    ss = np.maximum(ss, np.finfo(float).tiny * max(1.0, float(np.dot(y, y))))
    _, logdet_xtx = np.linalg.slogdet(xtx)
    loglik = -0.5 * logdet - 0.5 * logdet_xtx - 0.5 * (n - p) * np.log(ss)
    return coef, cov, ss, n, loglik

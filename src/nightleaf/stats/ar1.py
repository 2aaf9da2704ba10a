"""Regression with AR(1) errors on nights that may have gaps, with rho integrated out.

The model, for the nights observed at integer positions ``t_1 < t_2 < ... < t_n`` (a night's
position is its number of days after any fixed first night):

    y = X b + u,    u ~ N(0, s2 * R(rho)),    R(rho)[i, j] = rho ** |t_i - t_j|

``s2`` is the marginal (not the innovation) variance. Missing nights are simply absent: an AR(1)
process observed at irregular integer times is still Markov, with lag-``d`` coefficient
``rho ** d``, so the exact likelihood of the observed nights is kept (no imputation, no
"closing up" of gaps). The whitening that turns ``R`` into the identity is elementwise:

    z_1 = y_1,    z_k = (y_k - rho**d_k * y_{k-1}) / sqrt(1 - rho**(2 d_k)),   d_k = t_k - t_{k-1}

and ``log det R = sum_k log(1 - rho**(2 d_k))``. With the gap ``d_k = 1`` everywhere this is
the Prais-Winsten transformation of the full (exact) AR(1) likelihood.

Priors: flat on ``b``, ``p(s2) ∝ 1/s2``, and on ``rho`` a prior given on the points of its grid
(:func:`fit`'s default: uniform on :data:`RHO_GRID`; the self-experiments use
:data:`REFERENCE_GRID` with :func:`reference_prior`, see below). Given
``rho`` the posterior of ``b`` is a multivariate Student t with ``n - p`` degrees of freedom,
centred on the GLS estimate, scale ``S2/(n-p) * (X' R^-1 X)^-1`` (``S2`` the GLS residual sum of
squares) — the standard conjugate result for the normal linear model (Gelman et al., *Bayesian
Data Analysis*, 3rd ed., section 14.2; Zellner, *An Introduction to Bayesian Inference in
Econometrics*, 1971, ch. 4 for AR errors). Integrating ``b`` and ``s2`` out leaves the
REML-type marginal likelihood of ``rho``

    p(y | rho) ∝ |R|^-1/2 |X' R^-1 X|^-1/2 S2^-(n-p)/2

so the posterior of any linear contrast ``c'b`` is a finite mixture of Student t's with weights
``∝ p(y | rho_g)``: its CDF, quantiles and tail probabilities are computed from that mixture
exactly (no MCMC). :class:`TMixture` holds it.

**rho's reference prior.** With a few dozen nights rho is weakly identified, and a uniform prior
on a grid that stops at -0.3 pulls its posterior toward the middle of the grid: intervals for
``b`` came out too wide when nights are independent and too narrow when they are strongly
correlated (docs/benchmarks.md, "Self-experiments: calibration"). :func:`reference_prior` is the
reference (and Jeffreys) prior of the stationary AR(1) coefficient, ``π(rho) ∝ (1 - rho²)^-1/2``
on ``|rho| < 1`` (Berger JO, Yang R-Y, *Noninformative priors and Bayesian testing for the AR(1)
model*, Econometric Theory 1994;10(3-4):461-482; also the Jeffreys prior for rho given the
marginal variance, e.g. Yang R, Berger JO, *A catalog of noninformative priors*, 1998, section
"AR(1)"), evaluated on :data:`REFERENCE_GRID`, which is symmetric about 0 so the grid's ends do
not push rho either way. It is a proper prior (its mass on the grid sums to one after
normalisation), so the posterior is too.

Pure numpy; scipy's special functions are imported inside the functions that need them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: rho's grid: 51 points over [-0.3, 0.95] (the reference sketch's grid; nights are positively
#: correlated in practice, and the upper end keeps near-unit-root series honest)
RHO_GRID = np.linspace(-0.3, 0.95, 51)
#: the self-experiments' grid for rho: 77 points over [-0.95, 0.95], the same 0.025 spacing as
#: RHO_GRID, symmetric so that neither end of the grid pulls rho's posterior
REFERENCE_GRID = np.linspace(-0.95, 0.95, 77)
#: grid points whose posterior weight is below this share of the largest are dropped from the
#: mixture (their total mass is < 51e-12, far below any probability shown)
PRUNE = 1e-12
#: above this many nights (longer than any self-experiment) :func:`fit` locates rho's posterior on
#: every COARSE_STEP-th grid point before evaluating the full grid there
COARSE_ABOVE = 400
COARSE_STEP = 5
COARSE_DROP = 30.0


@dataclass(frozen=True)
class TMixture:
    """A mixture of Student t distributions: ``sum_g w_g * t_df(loc_g, scale_g)``."""

    weights: np.ndarray
    loc: np.ndarray
    scale: np.ndarray
    df: float

    def cdf(self, x: float | np.ndarray) -> np.ndarray:
        from scipy.special import stdtr

        x = np.asarray(x, dtype=float)
        z = (x[..., None] - self.loc) / self.scale
        return np.asarray(stdtr(self.df, z) @ self.weights)

    def sf(self, x: float | np.ndarray) -> np.ndarray:
        """P(value > x), accurate in the upper tail."""
        from scipy.special import stdtr

        x = np.asarray(x, dtype=float)
        z = (self.loc - x[..., None]) / self.scale
        return np.asarray(stdtr(self.df, z) @ self.weights)

    def mean(self) -> float:
        return float(self.weights @ self.loc)

    def pdf(self, x: float | np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        nu = self.df
        const = math.exp(math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2)) / math.sqrt(nu * math.pi)
        z = (x[..., None] - self.loc) / self.scale
        dens = const * np.power(1.0 + z * z / nu, -(nu + 1) / 2) / self.scale
        return np.asarray(dens @ self.weights)

    def quantile(self, q: Sequence[float] | np.ndarray, *, tol: float = 1e-6) -> np.ndarray:
        """Quantiles of the mixture, all ``q`` at once: Newton steps on the CDF, kept inside a
        bracket that shrinks every step (bisection when a step would leave it). Converged when
        a step is below ``tol`` times the smallest component scale."""
        from scipy.special import stdtrit

        q = np.atleast_1d(np.asarray(q, dtype=float))
        # each quantile lies between the smallest and largest component quantile
        comp = self.loc[None, :] + self.scale[None, :] * stdtrit(self.df, q[:, None])
        lo, hi = comp.min(axis=1), comp.max(axis=1)
        x = comp @ self.weights
        resolution = tol * float(np.min(self.scale))
        if not np.all(hi - lo > resolution):
            return np.asarray(x)
        for _ in range(100):
            f = self.cdf(x) - q
            lo = np.where(f < 0, x, lo)
            hi = np.where(f > 0, x, hi)
            with np.errstate(divide="ignore", invalid="ignore"):
                nxt = x - f / self.pdf(x)
            outside = ~np.isfinite(nxt) | (nxt <= lo) | (nxt >= hi)
            nxt = np.where(outside, 0.5 * (lo + hi), nxt)
            done = np.max(np.abs(nxt - x)) < resolution or np.max(hi - lo) < resolution
            x = nxt
            if done:
                break
        return np.asarray(x)

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        tail = (1.0 - level) / 2
        lo, hi = self.quantile([tail, 1.0 - tail])
        return float(lo), float(hi)


@dataclass(frozen=True)
class AR1Fit:
    """The GLS fit at every grid point and the posterior weights of ``rho``."""

    rho: np.ndarray  # (G,)
    weights: np.ndarray  # (G,) posterior of rho on the grid, sums to 1
    coef: np.ndarray  # (G, p) GLS estimates given rho
    cov_unscaled: np.ndarray  # (G, p, p) (X' R^-1 X)^-1
    s2: np.ndarray  # (G,) S2 / (n - p): the posterior scale of the marginal variance
    n: int
    p: int

    @property
    def df(self) -> int:
        return self.n - self.p

    def contrast(self, c: Sequence[float] | np.ndarray) -> TMixture:
        """Posterior of ``c' b``: a Student t mixture over the grid."""
        c = np.asarray(c, dtype=float)
        keep = self.weights > PRUNE * self.weights.max()
        w = self.weights[keep] / self.weights[keep].sum()
        loc = self.coef[keep] @ c
        var = (self.cov_unscaled[keep] @ c) @ c * self.s2[keep]
        return TMixture(w, loc, np.sqrt(var), float(self.df))

    def coefficient(self, j: int) -> TMixture:
        c = np.zeros(self.p)
        c[j] = 1.0
        return self.contrast(c)

    def rho_mean(self) -> float:
        return float(self.weights @ self.rho)


def reference_prior(rho: np.ndarray) -> np.ndarray:
    """The reference (Berger-Yang 1994) prior of a stationary AR(1) coefficient on grid points,
    ``∝ (1 - rho²)^-1/2``, normalised to sum to one over the points given.

    >>> w = reference_prior(np.array([-0.6, 0.0, 0.6]))
    >>> [round(float(v), 4) for v in w / w[1]]
    [1.25, 1.0, 1.25]
    """
    rho = np.asarray(rho, dtype=float)
    if np.any(np.abs(rho) >= 1.0):
        raise ValueError("the reference prior needs |rho| < 1 (a stationary AR(1))")
    w = 1.0 / np.sqrt(1.0 - rho * rho)
    return np.asarray(w / w.sum())


def whiten(
    values: np.ndarray, positions: np.ndarray, rho: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Whiten columns of ``values`` (n, k) for every ``rho`` (G,): returns (G, n, k) and the
    log-determinant of ``R`` per ``rho`` (G,)."""
    out, logdet = _whiten_columns(values, positions, rho)
    return out.transpose(0, 2, 1), logdet


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
    """Fit ``y = X b + AR(1)`` on the observed ``positions`` (strictly increasing integers).

    Needs ``n > p`` and a full-rank design; the caller checks that there are enough nights.
    ``conditional=True`` drops the first night's row after whitening (the Cochrane-Orcutt
    likelihood conditional on the first night, what statsmodels' ``GLSAR`` fits); the default
    keeps it (exact likelihood).
    """
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
        # a long series: rho's posterior is sharp, so find its region on every 5th grid point
        # first and evaluate the full grid only there (the points left out have posterior weight
        # below exp(-COARSE_DROP) relative to the best coarse point)
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
    """GLS given each rho: coefficients, (X'R^-1X)^-1, residual SS, nights used, log p(y|rho)."""
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


@lru_cache(maxsize=8)
def _lag_powers(span: int, grid: tuple[float, ...]) -> np.ndarray:
    rho = np.asarray(grid)
    return np.asarray(np.power(rho[:, None], np.arange(span)[None, :]))  # (G, span); 0**0 == 1


def quadratic_form_ar1(c: np.ndarray, positions: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """``c' R(rho) c`` for every ``rho``, with ``R[i, j] = rho**|t_i - t_j|``.

    Placed on the integer timeline, ``c' R c = A(0) + 2 sum_k rho**k A(k)`` where ``A`` is the
    autocorrelation of the (zero-filled) contrast sequence — one correlation, then a (G, T)
    matrix product, instead of a dense T x T matrix per grid point.
    """
    pos = np.asarray(positions, dtype=np.int64)
    span = int(pos[-1] - pos[0]) + 1
    line = np.zeros(span)
    line[pos - pos[0]] = c
    if span > 256:
        size = 1 << int(np.ceil(np.log2(2 * span)))
        f = np.fft.rfft(line, size)
        acf = np.fft.irfft(f * np.conj(f), size)[:span]
    else:
        acf = np.correlate(line, line, mode="full")[span - 1:]
    weights = np.full(span, 2.0)
    weights[0] = 1.0
    # lags beyond which every |rho|**k < 1e-18 add nothing in double precision
    top = float(np.max(np.abs(rho)))
    if top == 0.0:
        lags = 1
    elif top >= 1.0:
        lags = span
    else:
        lags = min(span, int(np.ceil(-18 / np.log10(top))) + 1)
    powers = _lag_powers(lags, tuple(float(r) for r in rho))
    return np.asarray(powers @ (acf[:lags] * weights[:lags]))

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
        """Quantiles of the mixture: Halley steps on the CDF (the density and its slope come
        with each CDF evaluation), kept inside a bracket that shrinks every step, with a
        bisection instead when a step would leave the bracket or is not at most half the step
        before (rtsafe's safeguard, Press et al., *Numerical Recipes*, 3rd ed., 9.4: a mixture
        with two modes can make Halley or Newton steps swing across a flat stretch). A quantile
        is done when its Halley step is below ``tol`` times the smallest component scale (the
        error left after it is of the order of its cube) or when its bracket is that narrow.

        The mixture is evaluated for all quantiles still moving at once; the bookkeeping of
        each (a few numbers) is plain Python, cheaper than numpy calls on arrays of two."""
        from scipy.special import stdtr, stdtrit

        qs = np.atleast_1d(np.asarray(q, dtype=float))
        loc, scale, w, nu = self.loc, self.scale, self.weights, self.df
        # each quantile lies between the smallest and largest component quantile
        comp = loc[None, :] + scale[None, :] * stdtrit(nu, qs[:, None])
        start = comp @ w
        x, lo, hi = start.tolist(), comp.min(axis=1).tolist(), comp.max(axis=1).tolist()
        resolution = tol * float(np.min(scale))
        # a quantile whose bracket is already that narrow is known (e.g. every component has
        # the same quantile there); the others are refined
        moving = [i for i in range(qs.size) if hi[i] - lo[i] > resolution]
        if not moving:
            return np.asarray(start)
        target = qs.tolist()
        last = [b - a for a, b in zip(lo, hi, strict=True)]  # the step before
        const = math.exp(math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2)) / math.sqrt(nu * math.pi)
        inv_scale = 1.0 / scale
        dens_scale = const * inv_scale
        power = -(nu + 1) / 2
        for _ in range(200):
            z = (np.array([x[i] for i in moving])[:, None] - loc) * inv_scale
            zz = z * z
            dens = dens_scale * np.power(1.0 + zz / nu, power)  # (Q, G) component densities
            cdf = (stdtr(nu, z) @ w).tolist()
            d1 = (dens @ w).tolist()
            slope = ((dens * z * inv_scale / (nu + zz)) @ w).tolist()  # times -(nu + 1)
            still = []
            for i, f, g1, g2 in zip(moving, cdf, d1, slope, strict=True):
                xi = x[i]
                f -= target[i]
                if f < 0:
                    lo[i] = xi
                elif f > 0:
                    hi[i] = xi
                den = 2.0 * g1 * g1 + f * g2 * (nu + 1)
                nxt = xi - 2.0 * f * g1 / den if den != 0 else math.nan
                step = abs(nxt - xi)
                # a step that stays where it is (converged: the bracket's end is x) is kept
                if lo[i] <= nxt <= hi[i] and step <= 0.5 * last[i]:
                    last[i] = step
                    done = step < resolution
                else:
                    nxt = 0.5 * (lo[i] + hi[i])
                    last[i] = 0.5 * (hi[i] - lo[i])
                    done = False
                x[i] = nxt
                if not (done or hi[i] - lo[i] < resolution):
                    still.append(i)
            moving = still
            if not moving:
                break
        return np.asarray(x)

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """The central ``level`` interval. A mixture whose components share one location is
        symmetric about it, and its interval is that location plus and minus one quantile."""
        tail = (1.0 - level) / 2
        centre = float(self.loc[0])
        if np.all(self.loc == centre):
            half = float(self.quantile([1.0 - tail])[0]) - centre
            return centre - half, centre + half
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

    The data enter only through :class:`_Moments` (sums over the nights, one set per distinct
    gap between nights), computed once; each grid point then costs a few (p+1) x (p+1) matrix
    operations whatever the number of nights.
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    pos = np.asarray(positions, dtype=np.int64)
    n, p = X.shape
    if y.shape != (n,) or pos.shape != (n,):
        raise ValueError("y, X and positions must describe the same nights")
    if n <= p:
        raise ValueError(f"needs more nights ({n}) than coefficients ({p})")
    steps = np.diff(pos)
    if n > 1 and steps.min() <= 0:
        raise ValueError("positions must be strictly increasing")
    if conditional and n - 1 <= p:
        raise ValueError(f"needs more nights ({n}) than coefficients + 1 ({p + 1})")
    rho = np.asarray(rho, dtype=float)
    m = _Moments.of(y, X, steps)
    if n > COARSE_ABOVE and rho_prior is None and rho.size > 2 * COARSE_STEP and not conditional:
        # a long series: rho's posterior is sharp, so find its region on every 5th grid point
        # first and evaluate the full grid only there (the points left out have posterior weight
        # below exp(-COARSE_DROP) relative to the best coarse point)
        idx = np.unique(np.r_[np.arange(0, rho.size, COARSE_STEP), rho.size - 1])
        *_, ll = _gls(m, rho[idx], conditional)
        good = np.flatnonzero(ll >= ll.max() - COARSE_DROP)
        lo, hi = idx[max(int(good.min()) - 1, 0)], idx[min(int(good.max()) + 1, idx.size - 1)]
        rho = rho[lo:hi + 1]
    coef, cov, ss, n_used, loglik = _gls(m, rho, conditional)
    if rho_prior is not None:
        loglik = loglik + np.log(np.asarray(rho_prior, dtype=float))
    w = np.exp(loglik - loglik.max())
    w /= w.sum()
    return AR1Fit(rho, w, coef, cov, ss / (n_used - p), n_used, p)


#: up to this many distinct gaps besides the commonest, :class:`_Moments` sums the nights'
#: outer products per gap as one matrix product with one-hot gap indicators (nights x gaps);
#: above, with one ``reduceat`` over the nights sorted by gap
_GAPS_ONE_HOT = 64
#: and while those outer products take at most this many numbers (32 MB)
_OUTER_MAX = 4_000_000


@dataclass(frozen=True)
class _Moments:
    """Everything :func:`_gls` needs from the data, for any rho.

    Let ``Z = [X, y0]`` (n, k = p+1), where ``y0 = y - X b0`` for the ordinary least-squares
    ``b0``: GLS of ``y0`` on ``X`` gives ``b - b0`` with the same residuals, and removing the
    level of ``y`` first keeps the residual sum of squares, computed below as a difference of
    sums, accurate. The whitened row of night ``k > 1`` (gap ``d`` after the night before) is

        w_k = (z_k - rho**d z_{k-1}) / sqrt(1 - rho**(2 d)) = s (D_k + (1 - rho**d) P_k)

    with ``D_k = z_k - z_{k-1}``, ``P_k = z_{k-1}``, ``s = 1/sqrt(1 - rho**(2 d))``, so the
    whitened cross-products ``sum_k w_k w_k'`` are, per distinct gap ``d``,

        s² (DD_d + (1 - rho**d) (DP_d + DP_d') + (1 - rho**d)² PP_d)

    from the sums ``DD_d = sum D D'``, ``DP_d = sum D P'``, ``PP_d = sum P P'`` over the nights
    with that gap (written with differences, not ``z_k`` and ``z_{k-1}``, so that nothing
    cancels when rho is near 1 and the series is smooth), plus the first night's ``z_1 z_1'``
    (unwhitened) unless the fit is conditional on it.
    """

    first: np.ndarray  # (k, k): z_1 z_1'
    gaps: np.ndarray  # (D,) distinct gaps between consecutive nights, as floats
    counts: np.ndarray  # (D,) how many nights follow each gap
    dd: np.ndarray  # (D, k*k)
    dp: np.ndarray  # (D, k*k): DP_d + DP_d'
    pp: np.ndarray  # (D, k*k)
    b0: np.ndarray  # (p,) the OLS coefficients taken out of y
    n: int
    p: int
    yy: float  # y'y of the data given (for the floor of the residual sum of squares)

    @classmethod
    def of(cls, y: np.ndarray, X: np.ndarray, steps: np.ndarray) -> _Moments:
        """The sums for nights with values ``y``, design ``X`` and ``steps`` (the gaps between
        consecutive nights, ``np.diff`` of their positions)."""
        n, p = X.shape
        k = p + 1
        xtx, xty = X.T @ X, X.T @ y
        try:
            b0 = np.linalg.solve(xtx, xty)
        except np.linalg.LinAlgError:  # a singular design: nothing taken out (GLS will refuse)
            b0 = np.zeros(p)
        if not np.all(np.isfinite(b0)):
            b0 = np.zeros(p)
        # one row per column (k, n): each column contiguous, so the differences below are
        # row operations
        Z = np.empty((k, n))
        Z[:p] = X.T
        np.subtract(y, X @ b0, out=Z[p])
        H = np.empty((2 * k, n - 1))  # [D; P] for each night after the first
        np.subtract(Z[:, 1:], Z[:, :-1], out=H[:k])
        H[k:] = Z[:, :-1]
        if n < 2:
            gaps, counts, sums = np.ones(0), np.zeros(0), np.zeros((0, 2 * k, 2 * k))
        else:
            total = H @ H.T
            shortest, longest = int(steps.min()), int(steps.max())
            if shortest == longest:
                gaps, counts, sums = np.array([float(shortest)]), np.array([n - 1.0]), total[None]
            else:
                # the commonest gap (mostly one night) takes what the others leave of the total,
                # so only the nights after another gap are sorted and summed apart
                if longest <= 4 * n:
                    tally = np.bincount(steps)
                    common = int(tally.argmax())
                else:
                    values, tally = np.unique(steps, return_counts=True)
                    common = int(values[tally.argmax()])
                rest = np.flatnonzero(steps != common)
                other_gaps, which, tallies = np.unique(steps[rest], return_inverse=True,
                                                       return_counts=True)
                R = H[:, rest]  # (2k, m): the nights after another gap
                if other_gaps.size <= _GAPS_ONE_HOT and 4 * k * k * rest.size <= _OUTER_MAX:
                    # per-gap sums as one product of the nights' outer products with their
                    # one-hot gap indicators
                    outer = (R[:, None, :] * R[None, :, :]).reshape(4 * k * k, rest.size)
                    one_hot = np.zeros((rest.size, other_gaps.size))
                    one_hot[np.arange(rest.size), which] = 1.0
                    others = (outer @ one_hot).T.reshape(-1, 2 * k, 2 * k)
                else:  # many distinct gaps, or a wide design: one product per gap
                    others = np.stack([R[:, which == j] @ R[:, which == j].T
                                       for j in range(other_gaps.size)])
                sums = np.concatenate(((total - others.sum(axis=0))[None], others))
                gaps = np.concatenate(([common], other_gaps)).astype(float)
                counts = np.concatenate(([n - 1 - rest.size], tallies)).astype(float)
        size = gaps.size
        dp = sums[:, :k, k:]
        return cls(
            first=np.outer(Z[:, 0], Z[:, 0]), gaps=gaps, counts=counts,
            dd=sums[:, :k, :k].reshape(size, k * k),
            dp=(dp + dp.transpose(0, 2, 1)).reshape(size, k * k),
            pp=sums[:, k:, k:].reshape(size, k * k), b0=b0, n=n, p=p, yy=float(y @ y),
        )


def _gls(
    m: _Moments, rho: np.ndarray, conditional: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray]:
    """GLS given each rho: coefficients, (X'R^-1X)^-1, residual SS, nights used, log p(y|rho)."""
    p, k = m.p, m.p + 1
    phi = np.power(rho[:, None], m.gaps[None, :])  # (G, D)
    one_minus = 1.0 - phi * phi
    s2 = 1.0 / one_minus
    lag = s2 * (1.0 - phi)
    cross = s2 @ m.dd + lag @ m.dp + (lag * (1.0 - phi)) @ m.pp  # (G, k*k)
    cross = cross.reshape(rho.size, k, k)
    logdet = np.log(one_minus) @ m.counts
    n = m.n
    if conditional:
        n -= 1
    else:
        cross += m.first
    xtx = cross[:, :p, :p]
    xty = cross[:, :p, p]
    cov, logdet_xtx = _inverse_and_logdet(xtx)
    coef0 = np.einsum("gij,gj->gi", cov, xty)
    ss = cross[:, p, p] - np.einsum("gi,gi->g", coef0, xty)
    ss = np.maximum(ss, np.finfo(float).tiny * max(1.0, m.yy))
    loglik = -0.5 * logdet - 0.5 * logdet_xtx - 0.5 * (n - p) * np.log(ss)
    return coef0 + m.b0, cov, ss, n, loglik


def _inverse_and_logdet(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverses and log-determinants of a stack (G, p, p) of symmetric positive-definite
    matrices; written out for p <= 2 (the window comparisons' intercept and group), where
    numpy's batched LAPACK calls cost more than the arithmetic."""
    p = a.shape[1]
    if p == 1:
        if not np.all(a):
            raise np.linalg.LinAlgError("Singular matrix")  # as np.linalg.inv says it
        return 1.0 / a, np.log(np.abs(a[:, 0, 0]))
    if p == 2:
        a00, a01, a11 = a[:, 0, 0], a[:, 0, 1], a[:, 1, 1]
        det = a00 * a11 - a01 * a01
        if not np.all(det):
            raise np.linalg.LinAlgError("Singular matrix")
        inv = np.empty_like(a)
        inv[:, 0, 0] = a11 / det
        inv[:, 1, 1] = a00 / det
        inv[:, 0, 1] = inv[:, 1, 0] = -a01 / det
        return inv, np.log(np.abs(det))
    _, logdet = np.linalg.slogdet(a)
    return np.linalg.inv(a), logdet


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

"""Same answer, far faster: the closed-form AR(1) posterior against an MCMC reference (NumPyro).

20 simulated self-experiments (default design: 7-night periods, 4 pairs, 3 wash-out nights: 56
nights, 32 of them after wash-out; 4 of those missing at random, the same count in every dataset
so NumPyro compiles once; rho drawn from [0, 0.8], effect from [-1, 1] MID, SOL-like outcome, SD
20 min). The model is the self-experiments' (:mod:`nightleaf.stats.experiment`): columns
[1, arm B, trend] plus one free level per run of wash-out nights (arm set to 0 there), so the
wash-out nights inform the noise only; the design is built here independently of
``experiment.design_matrix``. The reference is that model written independently:
y ~ MultivariateNormal(X b, s2 * R) with the dense covariance R[i, j] = rho**|t_i - t_j| of the
nights actually observed, flat priors on b (``ImproperUniform``), a flat prior on log s
(= p(s2) ∝ 1/s2), and rho with the reference prior ∝ (1 - rho²)^-1/2 on (-0.95, 0.95)
(continuous: a Uniform(-0.95, 0.95) draw plus the log density as a factor; ours integrates over
the 77-point ``REFERENCE_GRID`` of the same range). NUTS (target acceptance 0.95), 2 chains run
vectorized, 1,000 warm-up + 5,000 draws each.

Compared per dataset: beta's posterior mean, SD, 2.5% and 97.5% quantiles, P(B better) and
P(B better by >= MID). Each difference is divided by its Monte Carlo SE (mean: sd/sqrt(ESS);
SD: sd/sqrt(2 ESS); a probability p: sqrt(p(1-p)/ESS_p) with ESS_p the effective sample size of
the chains of the indicator itself, so tails get their own, smaller ESS; a quantile: the SE of
P(draw <= quantile) divided by the density there): the "Wald" z. For the four tail statistics a
"score" z is printed too (:func:`score_z`: the SE taken at our value, and a quantile tested as
the share of NUTS draws below ours); we expect |z| < 3 nearly everywhere.

Speed: one closed-form fit (fit + interval + three probabilities) on 120 nights (15-night periods,
3 wash-out nights each, so 8 free levels besides [1, arm, trend]), median of many,
against the 20 ms budget, and the ratio of NUTS's time per dataset (after JIT compilation) to
ours on the same datasets.

    PYTHONPATH=src python bench/experiment_mcmc_reference.py [DATASETS] [--dense]   # default 20
    PYTHONPATH=src python bench/experiment_mcmc_reference.py --gibbs K [K ...]  # 2nd reference
    PYTHONPATH=src python bench/experiment_mcmc_reference.py --speed  # the 120-night fit only
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date

import numpy as np

from nightleaf.stats.ar1 import REFERENCE_GRID, AR1Fit, fit, reference_prior
from nightleaf.stats.calibration import ar1_noise
from nightleaf.stats.experiment import schedule

MID = 20.0
SD = 20.0
BUDGET_MS = 20.0
MISSING_PER_DATASET = 4
#: the reference likelihood: dense multivariate normal (True) or its Markov factorisation (False,
#: ~3x faster under NUTS); tests/stats/test_ar1.py checks the two densities agree on gapped nights
DENSE = "--dense" in sys.argv
START = date(2027, 1, 4)


def dataset(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    rng = np.random.default_rng(seed)
    rho = float(rng.uniform(0.0, 0.8))
    effect = float(rng.uniform(-1.0, 1.0)) * MID
    plan = schedule(START, 7, 4, 3, seed)
    n = len(plan)
    z = np.array([n_.arm == "B" for n_ in plan], dtype=float)
    y = 30 + effect * z + SD * ar1_noise(rng, 1, n, rho)[0]
    wash = np.array([n_.washout for n_ in plan])
    keep = np.ones(n, dtype=bool)
    drop = rng.choice(np.flatnonzero(~wash), MISSING_PER_DATASET, replace=False)
    keep[drop] = False
    pos = np.flatnonzero(keep)
    X = design(wash, z, n, 7)[pos]
    return y[pos], X, pos, rho, effect


def design(wash: np.ndarray, z: np.ndarray, n: int, period: int) -> np.ndarray:
    """[1, arm B (0 on wash-out nights), trend, one indicator per period's wash-out nights]."""
    t = np.arange(n)
    cols = [np.ones(n), np.where(wash, 0.0, z), t / (n - 1) - 0.5]
    cols += [(wash & (t // period == k)).astype(float) for k in range(n // period)]
    return np.column_stack(cols)


def ours(y: np.ndarray, X: np.ndarray, pos: np.ndarray) -> AR1Fit:
    return fit(y, X, pos, rho=REFERENCE_GRID, rho_prior=reference_prior(REFERENCE_GRID))


def closed_form(y: np.ndarray, X: np.ndarray, pos: np.ndarray) -> dict[str, float]:
    post = ours(y, X, pos).coefficient(1)
    lo, hi = post.interval(0.95)
    # SOL: less is better, so benefit = -beta
    var = float(post.weights @ (post.scale**2 * post.df / (post.df - 2) + post.loc**2)) - post.mean() ** 2
    return {"mean": post.mean(), "sd": var**0.5, "q025": lo, "q975": hi,
            "p_benefit": float(post.cdf(0.0)), "p_benefit_mid": float(post.cdf(-MID))}


def tail_se(indicator: np.ndarray) -> float:
    """MC SE of a probability from its own (tail) effective sample size; chains x draws."""
    from numpyro.diagnostics import effective_sample_size

    p = float(indicator.mean())
    if p in (0.0, 1.0):
        return 1.0 / indicator.size
    return float((p * (1 - p) / float(effective_sample_size(indicator.astype(float)))) ** 0.5)


def score_z(indicator: np.ndarray, p0: float) -> float:
    """(share of draws with the indicator - p0) / its MC SE if the true probability were p0:
    sqrt(p0 (1 - p0) / ESS), the ESS that of the indicator's own chains. Testing a tail
    probability or a quantile this way (for a quantile q of ours: the share of NUTS draws below
    it against q) needs no density estimate, and its SE does not shrink when NUTS happens to see
    few tail draws, which makes the Wald z (SE from NUTS's own estimate) too large in the tails
    (Brown LD, Cai TT, DasGupta A, Interval estimation for a binomial proportion, Statistical
    Science 2001;16(2):101-133)."""
    from numpyro.diagnostics import effective_sample_size

    p_hat = float(indicator.mean())
    if p0 <= 0.0 or p0 >= 1.0:
        return 0.0 if p_hat == p0 else float("inf")
    if p_hat in (0.0, 1.0):
        ess = float(indicator.size)
    else:
        ess = float(effective_sample_size(indicator.astype(float)))
    return (p_hat - p0) / (p0 * (1 - p0) / ess) ** 0.5


def quantile_se(draws: np.ndarray, x: float) -> float:
    """MC SE of a quantile at x: the SE of P(draw <= x) over the posterior density there."""
    flat = draws.reshape(-1)
    h = 0.2 * float(flat.std())
    density = float(np.mean(np.abs(flat - x) < h) / (2 * h))
    return tail_se(draws <= x) / density


def gibbs(k: int, iterations: int = 12_000, burn: int = 500) -> None:
    """A second, independent reference for dataset ``k``: griddy Gibbs on the continuous model
    (b, s2 | rho exact conjugate draws with dense R^-1; rho | b, s2 from its full conditional,
    reference prior included, on a 401-point grid over [-0.95, 0.95], dense covariance)."""
    y, X, pos, _, _ = dataset(k)
    post = ours(y, X, pos).coefficient(1)
    rng = np.random.default_rng(k)
    n, p = X.shape
    grid = np.linspace(-0.95, 0.95, 401)
    lag = np.abs(pos[:, None] - pos[None, :])
    r_inv = np.array([np.linalg.inv(r**lag) for r in grid])
    logdet = np.array([np.linalg.slogdet(r**lag)[1] for r in grid])
    log_prior = -0.5 * np.log1p(-grid**2)
    at, out = 200, []
    for it in range(iterations):
        ri = r_inv[at]
        m_inv = np.linalg.inv(X.T @ ri @ X)
        bh = m_inv @ X.T @ ri @ y
        e = y - X @ bh
        s2 = (e @ ri @ e) / rng.chisquare(n - p)
        b = rng.multivariate_normal(bh, s2 * m_inv)
        r = y - X @ b
        ll = log_prior - 0.5 * logdet - 0.5 * ((r_inv @ r) @ r) / s2
        w = np.exp(ll - ll.max())
        at = int(rng.choice(grid.size, p=w / w.sum()))
        if it >= burn:
            out.append(b[1])
    draws = np.array(out)
    lo, hi = post.interval(0.95)
    q = np.quantile(draws, [0.025, 0.975])
    print(f"| {k} | {post.mean():+.2f} [{lo:+.2f}, {hi:+.2f}] | {draws.mean():+.2f} [{q[0]:+.2f}, "
          f"{q[1]:+.2f}] | {float(post.cdf(0.0)):.4f} / {(draws < 0).mean():.4f} |", flush=True)


def speed() -> float:
    """One fit on 120 nights (15-night periods, 3 wash-out nights each): median of 200, ms.
    Wall time, and CPU time of this process (the machine is shared)."""
    rng = np.random.default_rng(0)
    pos = np.arange(120)
    wash = pos % 15 < 3
    X = design(wash, ((pos // 15) % 2).astype(float), 120, 15)
    y = 30 + SD * ar1_noise(rng, 1, 120, 0.5)[0]
    closed_form(y, X, pos)
    wall, cpu = [], []
    for _ in range(200):
        t, c = time.perf_counter(), time.process_time()
        closed_form(y, X, pos)
        wall.append(1000 * (time.perf_counter() - t))
        cpu.append(1000 * (time.process_time() - c))
    fit120 = statistics.median(wall)
    print(f"one fit, 120 nights (fit + 95% interval + 2 probabilities), median of 200: "
          f"{fit120:.2f} ms wall, {statistics.median(cpu):.2f} ms CPU "
          f"(budget {BUDGET_MS:.0f} ms: {'met' if fit120 <= BUDGET_MS else 'MISSED'})")
    return fit120


def main(datasets: int = 20) -> None:
    import jax
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist
    from numpyro.diagnostics import effective_sample_size
    from numpyro.infer import MCMC, NUTS, init_to_value

    jax.config.update("jax_enable_x64", True)

    def model(X, pos, y=None):  # type: ignore[no-untyped-def]
        b = numpyro.sample("b", dist.ImproperUniform(dist.constraints.real, (), (X.shape[1],)))
        log_s = numpyro.sample("log_s", dist.ImproperUniform(dist.constraints.real, (), ()))
        rho = numpyro.sample("rho", dist.Uniform(-0.95, 0.95))
        numpyro.factor("rho_reference_prior", -0.5 * jnp.log1p(-rho**2))
        if DENSE:
            lag = jnp.abs(pos[:, None] - pos[None, :])
            cov = jnp.exp(2 * log_s) * jnp.power(rho, lag)
            numpyro.sample("y", dist.MultivariateNormal(X @ b, covariance_matrix=cov), obs=y)
        else:  # the same density, factorised along time (the AR(1) process is Markov)
            e = y - X @ b
            phi = jnp.power(rho, pos[1:] - pos[:-1])
            s = jnp.exp(log_s)
            numpyro.sample("y0", dist.Normal(0.0, s), obs=e[0])
            numpyro.sample("y", dist.Normal(phi * e[:-1], s * jnp.sqrt(1 - phi**2)), obs=e[1:])

    print(f"{datasets} datasets; NumPyro {numpyro.__version__}, JAX {jax.__version__}; "
          f"likelihood: {'dense MVN' if DENSE else 'Markov factorisation'}")
    print("| # | rho | effect | ours: mean [2.5%, 97.5%] | NUTS: mean [2.5%, 97.5%] | "
          "P(better) ours/NUTS | P(>= MID) ours/NUTS | max abs z (Wald) | max abs z (score) | "
          "ESS(beta) | divergences | NUTS s | ours ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    zs: list[float] = []
    score_zs: list[float] = []
    nuts_s: list[float] = []
    ours_ms: list[float] = []
    compile_s = None
    for k in range(datasets):
        y, X, pos, rho, effect = dataset(k)
        reps = 50
        t = time.perf_counter()
        for _ in range(reps):
            ours = closed_form(y, X, pos)
        ours_ms.append(1000 * (time.perf_counter() - t) / reps)

        init = {"b": jnp.asarray(np.linalg.lstsq(X, y, rcond=None)[0]),
                "log_s": jnp.asarray(np.log(np.std(y))), "rho": jnp.asarray(0.3)}
        kernel = NUTS(model, init_strategy=init_to_value(values=init), target_accept_prob=0.95)
        mcmc = MCMC(kernel, num_warmup=1000, num_samples=5000, num_chains=2,
                    chain_method="vectorized", progress_bar=False)
        t = time.perf_counter()
        mcmc.run(jax.random.PRNGKey(k), jnp.asarray(X), jnp.asarray(pos, dtype=jnp.float64),
                 y=jnp.asarray(y))
        draws = np.asarray(mcmc.get_samples(group_by_chain=True)["b"][..., 1])
        divergent = int(np.asarray(mcmc.get_extra_fields()["diverging"]).sum())
        elapsed = time.perf_counter() - t
        if k == 0:
            compile_s = elapsed
        else:
            nuts_s.append(elapsed)
        ess = float(effective_sample_size(draws))
        flat = draws.reshape(-1)
        sd = float(flat.std())
        ref = {"mean": float(flat.mean()), "sd": sd, "q025": float(np.quantile(flat, 0.025)),
               "q975": float(np.quantile(flat, 0.975)), "p_benefit": float((flat < 0).mean()),
               "p_benefit_mid": float((flat < -MID).mean())}

        se = {
            "mean": sd / ess**0.5,
            "sd": sd / (2 * ess) ** 0.5,
            "q025": quantile_se(draws, ref["q025"]),
            "q975": quantile_se(draws, ref["q975"]),
            "p_benefit": tail_se(draws < 0),
            "p_benefit_mid": tail_se(draws < -MID),
        }
        z = {key: (ours[key] - ref[key]) / se[key] for key in ours}
        zs.extend(z.values())
        worst = max(abs(v) for v in z.values())
        # score-type z: the SE of the tail statistics under the hypothesis that ours is right
        score = {"mean": z["mean"], "sd": z["sd"],
                 "q025": score_z(draws <= ours["q025"], 0.025),
                 "q975": score_z(draws <= ours["q975"], 0.975),
                 "p_benefit": score_z(draws < 0, ours["p_benefit"]),
                 "p_benefit_mid": score_z(draws < -MID, ours["p_benefit_mid"])}
        score_zs.extend(score.values())
        worst_score = max(score, key=lambda key: abs(score[key]))
        print(f"| {k} | {rho:.2f} | {effect:+.1f} | {ours['mean']:+.2f} [{ours['q025']:+.2f}, "
              f"{ours['q975']:+.2f}] | {ref['mean']:+.2f} [{ref['q025']:+.2f}, {ref['q975']:+.2f}] | "
              f"{ours['p_benefit']:.3f}/{ref['p_benefit']:.3f} | "
              f"{ours['p_benefit_mid']:.3f}/{ref['p_benefit_mid']:.3f} | {worst:.1f} | "
              f"{abs(score[worst_score]):.1f} ({worst_score}) | {ess:.0f} | "
              f"{divergent} | "
              f"{elapsed:.1f} | {ours_ms[-1]:.2f} |", flush=True)
    for name, values in (("Wald z (SE from NUTS's own estimate)", zs),
                         ("score z (SE under 'ours is right')", score_zs)):
        az = np.abs(np.array(values))
        print(f"\n{az.size} comparisons, {name}: |z| > 2 in {int((az > 2).sum())} "
              f"(~{0.0455 * az.size:.1f} expected by chance), |z| > 3 in {int((az > 3).sum())} "
              f"(~{0.0027 * az.size:.1f} expected); max |z| = {az.max():.2f}")

    speed()
    per_nuts = statistics.median(nuts_s) if nuts_s else float("nan")
    per_ours = statistics.median(ours_ms)
    print(f"NUTS per dataset after compilation: median {per_nuts:.2f} s (first run with JIT "
          f"compilation {compile_s:.1f} s); ours per dataset: median {per_ours:.2f} ms")
    print(f"speed ratio NUTS / ours: {1000 * per_nuts / per_ours:,.0f}x (goal >= 100x)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--gibbs" in sys.argv:
        print("| dataset | ours: mean [2.5%, 97.5%] | griddy Gibbs: mean [2.5%, 97.5%] | "
              "P(better) ours / Gibbs |")
        print("|---|---|---|---|")
        for k in args:
            gibbs(int(k))
    elif "--speed" in sys.argv:
        speed()
    else:
        main(int(args[0]) if args else 20)

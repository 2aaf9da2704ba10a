"""Simulated people for calibrating the statistics (pure, seeded; used by bench/ and tests/).

Two simulators, each generating the truth independently of the analysis code it checks:

* :func:`observational_cell` — a journal with **no** effect of kratom: AR(1) nights (rho) and use
  that is random (each night 50%) or streaky (Markov, p(repeat) = 0.8); counts how often
  :func:`nightleaf.stats.compare.compare` (with the nights' positions, as the window summary
  calls it) gives an interval that excludes zero.
* :func:`experiment_cell` — self-experiments run by :func:`nightleaf.stats.experiment.schedule`
  (AB/BA pairs, wash-out), with AR(1) nights, exponential carry-over of the true exposure (time
  constant ``tau`` nights; the first night starts at its own steady state), nights missing at
  random, and non-adherence: on a non-adherent night the person takes the *other* arm's setting
  (the worst case for dilution). Each experiment is analysed with
  :func:`nightleaf.stats.experiment.analyse_outcome`.

**Estimands.** Under no effect every analysis targets 0. Under an effect ``delta`` (the
steady-state effect of B over A), each analysis targets what its regression can see:
``delta * kappa``, where ``kappa`` is the generalised-least-squares coefficient of the
exposure on the analysis' own regressors over the nights it uses, with the simulated (true)
AR(1) correlation: the value the analysis' estimate of beta has in expectation (its pseudo-true
value when carry-over or non-adherence make the model's mean wrong). Which exposure depends on
what the analysis conditions on. The as-assigned and carry-over lines do not know which nights
were non-adherent, so for them a missed night is noise, and the estimate's expectation given the
schedule is taken over it: the exposure of the *expected* intake, ``adherence * z + (1 -
adherence) * (1 - z)`` (the exposure filter is linear). Counting coverage against each
experiment's realised non-adherence instead would credit the interval with noise it rightly
includes (that made the effect cells over-cover, ~97-98% with independent nights, in the first
grid). The per-protocol line drops the nights logged as non-adherent, so it targets the
realised exposure given that pattern. The regressors are built
here, independently of the analysis code: intercept, arm (or the assumed exposure for the
carry-over line), trend, and for the primary and per-protocol lines one indicator per run of
wash-out nights (whose arm column is 0). With independent nights this is the ordinary
least-squares coefficient on the nights after wash-out. With full adherence and no carry-over
``kappa = 1``; non-adherence and carry-over lower it. Coverage is counted against
``delta * kappa`` of each simulated experiment, and the mean ``kappa`` is reported so the
dilution is visible, not hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from nightleaf.stats.experiment import (
    AS_ASSIGNED,
    BETTER,
    BETTER_MID,
    CARRY_OVER,
    DEFAULT_TAU,
    NOT_YET,
    OUTCOMES,
    PER_PROTOCOL,
    WORSE,
    Estimate,
    analyse_outcome,
    exposure,
    schedule,
)

START = date(2027, 1, 4)


def ar1_noise(rng: np.random.Generator, reps: int, nights: int, rho: float) -> np.ndarray:
    """(reps, nights) stationary AR(1) series with unit marginal variance."""
    e = rng.standard_normal((reps, nights))
    u = np.empty_like(e)
    u[:, 0] = e[:, 0]
    s = np.sqrt(1.0 - rho * rho)
    for t in range(1, nights):
        u[:, t] = rho * u[:, t - 1] + s * e[:, t]
    return u


def streaky_use(rng: np.random.Generator, reps: int, nights: int, p_repeat: float) -> np.ndarray:
    """(reps, nights) booleans: a Markov chain that repeats yesterday with ``p_repeat``."""
    x = np.empty((reps, nights), dtype=bool)
    x[:, 0] = rng.random(reps) < 0.5
    repeat = rng.random((reps, nights)) < p_repeat
    for t in range(1, nights):
        x[:, t] = np.where(repeat[:, t], x[:, t - 1], ~x[:, t - 1])
    return x


@dataclass(frozen=True)
class ObservationalStats:
    nights: int
    rho: float
    use: str
    people: int
    missing: float
    compared: int  # people with >= 5 nights in each group
    false_difference: int  # intervals that exclude zero

    @property
    def rate(self) -> float:
        return self.false_difference / self.compared if self.compared else float("nan")

    @property
    def mc_se(self) -> float:
        p = self.rate
        return float(np.sqrt(p * (1 - p) / self.compared)) if self.compared else float("nan")


def observational_cell(
    nights: int, rho: float, use: str, people: int, seed: int, missing: float = 0.0
) -> ObservationalStats:
    """False-difference rate of the observational comparison with no true effect; ``missing``
    is the share of nights without a value (at random)."""
    from nightleaf.stats.compare import NOT_ENOUGH, compare

    rng = np.random.default_rng(seed)
    y = 400.0 + 45.0 * ar1_noise(rng, people, nights, rho)
    if use == "random":
        used = rng.random((people, nights)) < 0.5
    elif use == "streaky":
        used = streaky_use(rng, people, nights, 0.8)
    else:
        raise ValueError(f"use must be 'random' or 'streaky', not {use!r}")
    seen = rng.random((people, nights)) >= missing
    days = np.arange(nights)
    compared = false = 0
    for i in range(people):
        g = used[i] & seen[i]
        r = ~used[i] & seen[i]
        c = compare("tst_minutes", y[i, g].tolist(), y[i, r].tolist(),
                    group_nights=days[g].tolist(), reference_nights=days[r].tolist())
        if c.status == NOT_ENOUGH or c.ci_low is None or c.ci_high is None:
            continue
        compared += 1
        false += int(c.ci_low > 0 or c.ci_high < 0)
    return ObservationalStats(nights, rho, use, people, missing, compared, false)


@dataclass(frozen=True)
class ExperimentCell:
    rho: float
    tau: float  # true carry-over time constant, nights
    missing: float  # share of nights missing at random
    effect_mids: float = 0.0  # true steady-state benefit of B, in MIDs
    adherence: float = 0.8
    outcome: str = "sol"
    sd: float = 20.0  # marginal SD of the nightly outcome
    period: int = 7
    pairs: int = 4
    washout: int = 3
    tau_assumed: float = DEFAULT_TAU


@dataclass
class AnalysisStats:
    analysis: str
    runs: int = 0
    with_interval: int = 0
    covered: int = 0
    better: int = 0  # either "better" verdict
    better_mid: int = 0
    worse: int = 0
    not_yet: int = 0
    kappa_sum: float = 0.0
    width_sum: float = 0.0

    def add(self, est: Estimate, target: float, kappa: float) -> None:
        self.runs += 1
        if est.verdict == NOT_YET:
            self.not_yet += 1
        self.better += int(est.verdict in (BETTER, BETTER_MID))
        self.better_mid += int(est.verdict == BETTER_MID)
        self.worse += int(est.verdict == WORSE)
        if est.interval is not None:
            self.with_interval += 1
            self.kappa_sum += kappa
            lo, hi = est.interval
            self.covered += int(lo <= target <= hi)
            self.width_sum += hi - lo

    @property
    def coverage(self) -> float:
        return self.covered / self.with_interval if self.with_interval else float("nan")

    @property
    def better_rate(self) -> float:
        return self.better / self.runs if self.runs else float("nan")

    @property
    def better_mid_rate(self) -> float:
        return self.better_mid / self.runs if self.runs else float("nan")

    @property
    def worse_rate(self) -> float:
        return self.worse / self.runs if self.runs else float("nan")

    @property
    def mean_kappa(self) -> float:
        """Mean kappa over the experiments that gave an interval."""
        return self.kappa_sum / self.with_interval if self.with_interval else float("nan")

    @property
    def mean_width(self) -> float:
        return self.width_sum / self.with_interval if self.with_interval else float("nan")


@dataclass
class CellResult:
    cell: ExperimentCell
    reps: int
    analyses: dict[str, AnalysisStats] = field(default_factory=dict)


def _kappa(true_x: np.ndarray, regressor: np.ndarray, trend: np.ndarray, positions: np.ndarray,
           rho: float, washout_run: np.ndarray | None = None) -> float:
    """GLS coefficient (correlation ``rho**|t_i - t_j|``) of the true exposure on
    [1, regressor, trend] plus, when ``washout_run`` is given (-1 = not wash-out), one indicator
    per wash-out run with the regressor set to 0 on its nights."""
    cols = [np.ones_like(regressor), regressor, trend]
    if washout_run is not None:
        wash = washout_run >= 0
        cols[1] = np.where(wash, 0.0, regressor)
        cols += [(washout_run == b).astype(float) for b in np.unique(washout_run[wash])]
    X = np.column_stack(cols)
    lag = np.abs(positions[:, None] - positions[None, :]).astype(float)
    R = np.power(rho, lag) if rho != 0.0 else (lag == 0).astype(float)
    RiX = np.linalg.solve(R, X)
    coef = np.linalg.lstsq(RiX.T @ X, RiX.T @ true_x, rcond=None)[0]
    return float(coef[1])


def experiment_cell(cell: ExperimentCell, reps: int, seed: int) -> CellResult:
    """Simulate and analyse ``reps`` experiments of one cell."""
    spec = OUTCOMES[cell.outcome]
    mid = spec.mid
    sign = 1.0 if spec.higher_is_better else -1.0
    delta = sign * cell.effect_mids * mid  # B minus A in the outcome's unit
    rng = np.random.default_rng(seed)
    n = 2 * cell.period * cell.pairs
    noise = cell.sd * ar1_noise(rng, reps, n, cell.rho)
    adherent = rng.random((reps, n)) < cell.adherence
    observed = rng.random((reps, n)) >= cell.missing
    seeds = rng.integers(0, 2**62, size=reps)
    nights = [START + timedelta(days=k) for k in range(n)]
    trend_all = np.arange(n) / max(n - 1, 1) - 0.5
    days = np.arange(n)
    out = CellResult(cell, reps)
    keys = (AS_ASSIGNED, PER_PROTOCOL, CARRY_OVER)
    for k in keys:
        out.analyses[k] = AnalysisStats(k)
    for r in range(reps):
        plan = schedule(START, cell.period, cell.pairs, cell.washout, int(seeds[r]))
        z = np.array([1.0 if sn.arm == "B" else 0.0 for sn in plan])
        wash = np.array([sn.washout for sn in plan])
        run = np.where(wash, days // cell.period, -1)  # wash-out runs: the first nights of periods
        actual = np.where(adherent[r], z, 1.0 - z)
        x_true = exposure(actual, cell.tau)
        # what the analyses that ignore adherence see on average: non-adherence is noise to them
        x_expected = exposure(cell.adherence * z + (1.0 - cell.adherence) * (1.0 - z), cell.tau)
        y = 30.0 + delta * x_true + noise[r]
        values = {nights[k]: float(y[k]) for k in range(n) if observed[r, k]}
        adh = {nights[k]: bool(adherent[r, k]) for k in range(n)}
        res = analyse_outcome(plan, values, outcome=cell.outcome, as_of=plan[-1].night,
                              mid=mid, adherence=adh, tau=cell.tau_assumed)
        obs = observed[r]
        masks = {
            AS_ASSIGNED: obs,
            PER_PROTOCOL: obs & adherent[r],
            CARRY_OVER: obs,
        }
        regressors = {AS_ASSIGNED: z, PER_PROTOCOL: z, CARRY_OVER: exposure(z, cell.tau_assumed)}
        runs = {AS_ASSIGNED: run, PER_PROTOCOL: run, CARRY_OVER: None}
        targets = {AS_ASSIGNED: x_expected, PER_PROTOCOL: x_true, CARRY_OVER: x_expected}
        ests = {AS_ASSIGNED: res, PER_PROTOCOL: res.per_protocol, CARRY_OVER: res.carry_over}
        for k in keys:
            m = masks[k]
            est = ests[k]
            if est is None:
                continue
            if isinstance(est, Estimate):
                e = est
            else:
                e = Estimate(AS_ASSIGNED, est.effect, est.interval, est.p_benefit, est.p_benefit_mid,
                             est.p_harm_mid, est.verdict, est.n_nights, 0, 0)
            wr = runs[k]
            kappa = _kappa(targets[k][m], regressors[k][m], trend_all[m], days[m], cell.rho,
                           None if wr is None else wr[m]) if est.interval is not None else 0.0
            out.analyses[k].add(e, delta * kappa, kappa)
    return out

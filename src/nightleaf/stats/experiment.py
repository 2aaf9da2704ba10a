"""Randomized self-experiments (n-of-1 trials): design, schedule and inference. Pure and seeded.

**Design.** Two arms, A and B, each a setting the person already uses (the surfaces decide what
an arm is: a timing, an amount, a product, or none). The experiment is ``pairs`` pairs of
periods of ``period`` nights; each pair runs AB or BA by a seeded draw. The first ``washout``
nights of every period are wash-out: logged, but left out of the primary analysis. Defaults:
7-night periods (14 when comparing kratom with none: mitragynine's half-life is 1-3 days, so
five half-lives take up to ~9 days), 4 pairs, 3 wash-out nights. :func:`validate_design` checks
the parameters and raises :class:`~nightleaf.errors.InputError` with the CLI option's name as the
field id; :func:`schedule` lays the nights out.

**Inference** (:func:`analyse_outcome`, :func:`analyse`), per outcome:

    y_t = alpha + beta * armB_t + gamma * trend_t + u_t,    u AR(1)

fitted by :func:`nightleaf.stats.ar1.fit` — flat priors on the coefficients, ``p(s2) ∝ 1/s2``,
and rho integrated out over a 77-point grid on [-0.95, 0.95] under the reference prior of the
stationary AR(1) coefficient, ``π(rho) ∝ (1 - rho²)^-1/2`` (Berger & Yang, Econometric Theory
1994; :func:`nightleaf.stats.ar1.reference_prior`). Given rho the posterior of beta is a
Student t, so beta's marginal posterior is a t mixture from which the interval and the
probabilities are computed exactly. Missing nights are gaps in time; the AR(1) covariance of the
nights actually observed is used exactly (lag-d correlation rho**d), so nothing is imputed.
``trend_t`` is the night's position in the planned schedule, centred and scaled to [-0.5, 0.5].

**Wash-out nights inform the noise, not the effect.** Each period's wash-out nights stay in the
likelihood, each run of them with its own free level (one indicator column per run, flat prior):
whatever carry-over does to their mean is absorbed by that level, so beta is still estimated
from the nights after wash-out only, but the AR(1) chain is no longer cut into 4-night pieces
and rho and s2 are learnt from all ~56 nights instead of ~32. With flat priors, a free level per
run is the same as basing the likelihood on the contrasts that do not depend on those levels
(the restricted, REML-type likelihood of Patterson HD & Thompson R, Biometrika 1971;58(3):545-554,
which :func:`~nightleaf.stats.ar1.fit` computes: ``|R|^-1/2 |X'R^-1X|^-1/2 S2^-(n-p)/2``);
a wash-out run with one observed night therefore adds nothing, as it should. With wash-out
nights left out as gaps and rho uniform on [-0.3, 0.95] (the first version), 19 of 36
calibration cells missed 93-97% coverage, too wide for independent nights and too narrow for
strongly correlated ones (rho was weakly identified and pulled to the middle of its grid);
docs/benchmarks.md records the grid re-run on this version. ``n_nights`` counts the nights that
inform the effect (wash-out nights are logged and used for the noise only).

``effect`` is beta = B minus A in the outcome's unit (the posterior mean); "benefit" knows the
metric's direction (more TST and SE is better; less SOL, WASO and morning pain). With
``b = +beta`` when higher is better and ``-beta`` otherwise:
``p_benefit = P(b > 0)``, ``p_benefit_mid = P(b >= MID)``, ``p_harm_mid = P(b <= -MID)``.

**Verdicts** (:func:`verdict`), in this order:

1. ``"not enough nights yet"`` before the planned end (interim looks, including an experiment
   stopped early), or with fewer than :data:`MIN_NIGHTS_PER_ARM` analysed nights in either arm.
   Interim results carry ``note = "interim; this can change"`` and never a final verdict, so
   looking often cannot inflate false claims.
2. ``p_benefit >= 0.975`` (:data:`CLEAR`): "B is likely better by at least what you said matters"
   when ``p_benefit_mid >= 0.5`` (the effect is more likely than not at least the MID), else "B is
   likely better, but by less than that". The 0.975 threshold makes a "better" verdict the same
   event as the 95% interval lying wholly on the benefit side, so a verdict never contradicts
   the interval shown; on simulated experiments with no effect it gives at most 5% false
   "better" verdicts in every cell (``bench/experiment_calibration.py``, docs/benchmarks.md).
3. ``p_benefit <= 0.025``: "B is likely worse".
4. otherwise "no clear difference".

**Sensitivity lines.** *Per protocol*: the primary analysis without the nights whose logged
intake did not match the arm (``adherence[night] is False``; unknown adherence is kept).
*Carry-over*: instead of giving wash-out nights free levels, every observed night is used with the arm
replaced by an exposure ``x_t = a * x_{t-1} + (1 - a) * z_t``, ``a = exp(-1/tau)``, ``z_t`` = 1 on
B nights (the reference sketch's exposure model; tau = t_half / ln 2 in nights). Before the first
night the exposure is assumed to be at the first arm's steady state. Default tau = 2.7 nights
(mitragynine's half-life of about 45 h at the median of the reported range).

Default MIDs (:data:`OUTCOMES`), with their sources: SOL 20 min, WASO 20 min, TST 15 min, SE 10
percentage points — the American Academy of Sleep Medicine's clinical-significance thresholds for
diary outcomes (Edinger JD et al., J Clin Sleep Med 2021;17(2):263-298, table 3,
doi:10.5664/jcsm.8988); morning pain NRS 2 points, or 30% of the usual rating (Farrar JT et al.,
*Clinical importance of changes in chronic pain intensity measured on an 11-point numerical pain
rating scale*, Pain 2001;94(2):149-158, PMID 11690728). Reporting items follow CENT 2015
(Vohra S et al., BMJ 2015;350:h1738) and SPENT 2019 (Porcino AJ et al., BMJ 2020;368:m122).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np

from nightleaf.errors import InputError

Arm = Literal["A", "B"]
COMPARE_KINDS = ("timing", "amount", "product", "none")
DEFAULT_PERIOD = 7
DEFAULT_PERIOD_NONE = 14
DEFAULT_PAIRS = 4
DEFAULT_WASHOUT = 3
DEFAULT_TAU = 2.7  # nights: mitragynine t_half ~45 h -> 45/24/ln 2
MAX_PAIRS = 12
MIN_PERIOD, MAX_PERIOD = 3, 28
MAX_NIGHTS = 366
MAX_SEED = 2**63 - 1

#: probability a "better" or "worse" verdict needs (one-sided; the 95% interval's edge)
CLEAR = 0.975
#: P(benefit >= MID) at or above which "better" becomes "better by at least what you said matters"
MID_LIKELY = 0.5
MIN_NIGHTS_PER_ARM = 5

BETTER_MID = "B is likely better by at least what you said matters"
BETTER = "B is likely better, but by less than that"
NO_CLEAR = "no clear difference"
WORSE = "B is likely worse"
NOT_YET = "not enough nights yet"
VERDICTS = (BETTER_MID, BETTER, NO_CLEAR, WORSE, NOT_YET)
INTERIM = "interim; this can change"

AS_ASSIGNED = "as assigned"
PER_PROTOCOL = "per protocol"
CARRY_OVER = "carry-over exposure model"


@dataclass(frozen=True)
class OutcomeSpec:
    key: str  # the CLI's --outcome value
    metric: str  # the nightly metric's field name (diary or pain)
    label: str
    unit: str
    higher_is_better: bool
    mid: float
    mid_max: float  # largest MID accepted
    mid_source: str


_AASM = ("Edinger JD et al. Behavioral and psychological treatments for chronic insomnia disorder in "
         "adults: an AASM systematic review. J Clin Sleep Med 2021;17(2):263-298, table 3 "
         "(diary clinical-significance thresholds); doi:10.5664/jcsm.8988")
_FARRAR = ("Farrar JT et al. Clinical importance of changes in chronic pain intensity measured on an "
           "11-point numerical pain rating scale. Pain 2001;94(2):149-158 (about 2 points or 30%); "
           "PMID 11690728")

OUTCOMES: dict[str, OutcomeSpec] = {
    "tst": OutcomeSpec("tst", "tst_minutes", "total sleep time", "min", True, 15.0, 240.0, _AASM),
    "sol": OutcomeSpec("sol", "sol_minutes", "sleep onset latency", "min", False, 20.0, 240.0, _AASM),
    "waso": OutcomeSpec("waso", "waso_minutes", "wake after sleep onset", "min", False, 20.0, 240.0,
                        _AASM),
    "se": OutcomeSpec("se", "se_percent", "sleep efficiency", "percentage points", True, 10.0, 50.0,
                      _AASM),
    "pain": OutcomeSpec("pain", "morning_nrs", "morning pain (NRS 0-10)", "points", False, 2.0, 10.0,
                        _FARRAR),
}
#: Farrar et al.'s alternative: a 30% change of the person's usual rating
PAIN_RELATIVE_MID = 0.30


def pain_mid_from_usual(usual_nrs: float) -> float:
    """30% of the person's usual morning rating (Farrar 2001), at least 0.5 point."""
    return max(0.5, round(PAIN_RELATIVE_MID * usual_nrs, 1))


@dataclass(frozen=True)
class ScheduledNight:
    """One planned night. Unpacks like a tuple (``night, arm, washout = n``); ``to_plain`` gives
    ``{"night": "YYYY-MM-DD", "arm": "A"|"B", "washout": bool}``, the CLI's JSON shape."""

    night: date
    arm: Arm
    washout: bool

    def __iter__(self) -> Iterator[date | str | bool]:
        return iter((self.night, self.arm, self.washout))


@dataclass(frozen=True)
class Design:
    """What is fixed before the first night (besides the arms, which the surfaces own)."""

    compare: str
    start: date
    period: int
    pairs: int
    washout: int
    seed: int
    outcome: str
    mid: float

    @property
    def nights(self) -> int:
        return 2 * self.period * self.pairs

    @property
    def end(self) -> date:
        """The last planned night."""
        return self.start + timedelta(days=self.nights - 1)

    def schedule(self) -> list[ScheduledNight]:
        return schedule(self.start, self.period, self.pairs, self.washout, self.seed)


def default_period(compare: str) -> int:
    return DEFAULT_PERIOD_NONE if compare == "none" else DEFAULT_PERIOD


def validate_design(
    compare: str,
    *,
    start: date,
    seed: int,
    period: int | None = None,
    pairs: int = DEFAULT_PAIRS,
    washout: int = DEFAULT_WASHOUT,
    outcome: str = "tst",
    mid: float | None = None,
    today: date | None = None,
) -> Design:
    """Check a design and fill its defaults; raises :class:`InputError` (field = option name).

    ``today`` (the person's current night), when given, refuses a start in the past.
    """
    if compare not in COMPARE_KINDS:
        raise InputError(f"compare must be one of {', '.join(COMPARE_KINDS)} (got {compare!r})",
                         field="compare")
    if outcome not in OUTCOMES:
        raise InputError(f"outcome must be one of {', '.join(OUTCOMES)} (got {outcome!r})",
                         field="outcome")
    if period is None:
        period = default_period(compare)
    if isinstance(period, bool) or not isinstance(period, int) or not MIN_PERIOD <= period <= MAX_PERIOD:
        raise InputError(f"period must be a whole number of nights from {MIN_PERIOD} to {MAX_PERIOD}",
                         field="period")
    if isinstance(pairs, bool) or not isinstance(pairs, int) or not 1 <= pairs <= MAX_PAIRS:
        raise InputError(f"pairs must be a whole number from 1 to {MAX_PAIRS}", field="pairs")
    if isinstance(washout, bool) or not isinstance(washout, int) or washout < 0:
        raise InputError("washout must be a whole number of nights, 0 or more", field="washout")
    if washout > period - 2:
        raise InputError(
            f"washout must leave at least 2 nights of each {period}-night period for the analysis "
            f"(at most {period - 2})", field="washout")
    if 2 * period * pairs > MAX_NIGHTS:
        raise InputError(f"the experiment would last {2 * period * pairs} nights; the most is "
                         f"{MAX_NIGHTS} (fewer pairs or shorter periods)", field="pairs")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InputError(f"seed must be a whole number from 0 to {MAX_SEED}", field="seed")
    spec = OUTCOMES[outcome]
    if mid is None:
        mid = spec.mid
    if not isinstance(mid, int | float) or isinstance(mid, bool) or not math.isfinite(mid) \
            or not 0 < mid <= spec.mid_max:
        raise InputError(f"mid for {spec.label} must be more than 0 and at most {spec.mid_max:g} "
                         f"{spec.unit}", field="mid")
    if today is not None and start < today:
        raise InputError(f"the start night {start.isoformat()} is in the past (tonight is "
                         f"{today.isoformat()})", field="start")
    return Design(compare, start, period, pairs, washout, seed, outcome, float(mid))


def pair_orders(pairs: int, seed: int) -> list[str]:
    """Each pair's order, "AB" or "BA", by a seeded fair draw.

    Uses :class:`random.Random`'s ``random()``, whose sequence for a given integer seed Python
    guarantees not to change across versions, so a stored seed re-creates the same schedule.
    """
    rng = random.Random(seed)  # noqa: S311 - a reproducible allocation, not a secret
    return ["AB" if rng.random() < 0.5 else "BA" for _ in range(pairs)]


def schedule(start: date, period: int, pairs: int, washout: int, seed: int) -> list[ScheduledNight]:
    """Every planned night in order: ``(night, arm, washout)``.

    >>> s = schedule(date(2027, 1, 4), 7, 4, 3, seed=1)
    >>> len(s), s[0].night.isoformat(), [n.washout for n in s[:7]]
    (56, '2027-01-04', [True, True, True, False, False, False, False])
    >>> [s[i].arm for i in range(0, 56, 7)]
    ['A', 'B', 'B', 'A', 'B', 'A', 'A', 'B']
    """
    validate_design("amount", start=start, seed=seed, period=period, pairs=pairs, washout=washout)
    out: list[ScheduledNight] = []
    night = start
    for order in pair_orders(pairs, seed):
        for arm in order:
            for k in range(period):
                out.append(ScheduledNight(night, "A" if arm == "A" else "B", k < washout))
                night += timedelta(days=1)
    return out


@dataclass(frozen=True)
class Estimate:
    """One analysis of one outcome (B minus A, in the outcome's unit)."""

    analysis: str
    effect: float | None
    interval: tuple[float, float] | None
    p_benefit: float | None
    p_benefit_mid: float | None
    p_harm_mid: float | None
    verdict: str
    n_nights: int
    n_a: int
    n_b: int
    rho: float | None = None  # posterior mean of the night-to-night correlation
    message: str | None = None


@dataclass(frozen=True)
class OutcomeResult:
    """The primary (as-assigned) analysis of one outcome, flat, plus the sensitivity lines."""

    metric: str  # "tst", "sol", "waso", "se" or "pain"
    unit: str
    higher_is_better: bool
    mid: float
    effect: float | None
    interval: tuple[float, float] | None
    p_benefit: float | None
    p_benefit_mid: float | None
    p_harm_mid: float | None
    verdict: str
    n_nights: int
    final: bool
    note: str | None
    per_protocol: Estimate | None
    carry_over: Estimate | None
    rho: float | None = None
    message: str | None = None


@dataclass(frozen=True)
class ExperimentResult:
    final: bool
    note: str | None  # "interim; this can change" before the planned end
    as_of: date
    end: date
    outcomes: tuple[OutcomeResult, ...]


def verdict(p_benefit: float, p_benefit_mid: float, *, final: bool = True,
            enough: bool = True) -> str:
    """The plain-words verdict from the posterior probabilities (rules in the module doc).

    >>> verdict(0.99, 0.7)
    'B is likely better by at least what you said matters'
    >>> verdict(0.99, 0.3), verdict(0.9, 0.1), verdict(0.01, 0.0)
    ('B is likely better, but by less than that', 'no clear difference', 'B is likely worse')
    >>> verdict(0.999, 0.9, final=False)
    'not enough nights yet'
    """
    if not final or not enough:
        return NOT_YET
    if p_benefit >= CLEAR:
        return BETTER_MID if p_benefit_mid >= MID_LIKELY else BETTER
    if p_benefit <= 1.0 - CLEAR:
        return WORSE
    return NO_CLEAR


def exposure(arms_b: Sequence[float] | np.ndarray, tau: float) -> np.ndarray:
    """Exponential carry-over: ``x_t = a x_{t-1} + (1 - a) z_t``, ``a = exp(-1/tau)``, starting
    at the first night's steady state; ``tau = 0`` gives ``x = z``.

    >>> [round(float(v), 3) for v in exposure([0, 0, 1, 1, 1], 1.0)]
    [0.0, 0.0, 0.632, 0.865, 0.95]
    """
    z = np.asarray(arms_b, dtype=float)
    if tau <= 0 or z.size == 0:
        return z.copy()
    a = math.exp(-1.0 / tau)
    x = np.empty_like(z)
    prev = z[0]
    for i, zi in enumerate(z):
        prev = a * prev + (1.0 - a) * zi
        x[i] = prev
    return x


def design_matrix(x: np.ndarray, trend: np.ndarray, block: np.ndarray | None = None) -> np.ndarray:
    """Columns [1, x, trend] plus one free level per wash-out run.

    ``block[i]`` is -1 for a night that informs the effect and the wash-out run's number for a
    wash-out night; on wash-out nights ``x`` is set to 0 (the run's own level absorbs it).

    >>> design_matrix(np.array([1.0, 1, 1, 0]), np.zeros(4), np.array([3, -1, -1, -1])).tolist()
    [[1.0, 0.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    """
    n = int(x.size)
    if block is None:
        return np.column_stack([np.ones(n), x, trend])
    effect = block < 0
    cols = [np.ones(n), np.where(effect, x, 0.0), trend]
    cols += [(block == b).astype(float) for b in np.unique(block[~effect])]
    return np.column_stack(cols)


def _estimate(
    analysis: str, y: np.ndarray, x: np.ndarray, trend: np.ndarray, pos: np.ndarray, arm_b: np.ndarray,
    *, spec: OutcomeSpec, mid: float, final: bool, block: np.ndarray | None = None,
) -> Estimate:
    from nightleaf.stats.ar1 import REFERENCE_GRID, fit, reference_prior

    effect = np.ones(y.size, dtype=bool) if block is None else block < 0
    n = int(effect.sum())
    n_b = int(arm_b[effect].sum())
    n_a = n - n_b
    enough = n_a >= MIN_NIGHTS_PER_ARM and n_b >= MIN_NIGHTS_PER_ARM
    if not enough:
        return Estimate(analysis, None, None, None, None, None, NOT_YET, n, n_a, n_b,
                        message=f"needs at least {MIN_NIGHTS_PER_ARM} analysed nights in each arm "
                                f"(has {n_a} in A and {n_b} in B)")
    X = design_matrix(x, trend, block)
    if float(np.ptp(y[effect])) == 0.0:
        return Estimate(analysis, 0.0, None, None, None, None, NOT_YET, n, n_a, n_b,
                        message="every analysed night has the same value; no interval")
    f = fit(y, X, pos, rho=REFERENCE_GRID, rho_prior=reference_prior(REFERENCE_GRID))
    post = f.coefficient(1)
    lo, hi = post.interval(0.95)
    if spec.higher_is_better:
        probs = (post.sf(0.0), post.sf(mid), post.cdf(-mid))
    else:
        probs = (post.cdf(0.0), post.cdf(-mid), post.sf(mid))
    p_b, p_bm, p_hm = (float(p) for p in probs)
    return Estimate(
        analysis, post.mean(), (lo, hi), p_b, p_bm, p_hm,
        verdict(p_b, p_bm, final=final), n, n_a, n_b, rho=f.rho_mean(),
    )


def analyse_outcome(
    plan: Sequence[ScheduledNight],
    values: Mapping[date, float | int | None],
    *,
    outcome: str,
    as_of: date,
    mid: float | None = None,
    adherence: Mapping[date, bool | None] | None = None,
    tau: float = DEFAULT_TAU,
) -> OutcomeResult:
    """Analyse one outcome of an experiment as of the night ``as_of`` (inclusive).

    ``plan`` is :func:`schedule`'s list; ``values`` maps nights to the outcome's value (a night
    absent or ``None`` is missing); ``adherence`` maps nights to whether the logged intake
    matched the arm. Nights after ``as_of`` are not yet, not missing. The result is final only
    when ``as_of`` reaches the last planned night (an experiment stopped early stays interim).
    """
    if outcome not in OUTCOMES:
        raise InputError(f"outcome must be one of {', '.join(OUTCOMES)} (got {outcome!r})",
                         field="outcome")
    if not plan:
        raise InputError("the experiment has no planned nights", field="schedule")
    spec = OUTCOMES[outcome]
    mid = spec.mid if mid is None else float(mid)
    final = as_of >= plan[-1].night
    first = plan[0].night.toordinal()
    span = max(len(plan) - 1, 1)
    adherence = adherence or {}

    # each run of wash-out nights gets a number (its free level in the primary and per-protocol
    # analyses); -1 marks the nights that inform the effect
    run_of = []
    runs = -1
    for k, sn in enumerate(plan):
        if sn.washout and (k == 0 or not plan[k - 1].washout):
            runs += 1
        run_of.append(runs if sn.washout else -1)
    rows = []  # (position, value, arm_b, washout, adherent, plan index)
    for k, sn in enumerate(plan):
        if sn.night > as_of:
            break
        v = values.get(sn.night)
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            continue
        rows.append((sn.night.toordinal() - first, float(v), 1.0 if sn.arm == "B" else 0.0,
                     sn.washout, adherence.get(sn.night), k))
    run_all = np.array(run_of, dtype=np.int64)
    z_all = np.array([1.0 if sn.arm == "B" else 0.0 for sn in plan])
    x_all = exposure(z_all, tau)

    def pick(keep: list[bool]) -> tuple[np.ndarray, ...]:
        chosen = [r for r, ok in zip(rows, keep, strict=True) if ok]
        pos = np.array([r[0] for r in chosen], dtype=np.int64)
        y = np.array([r[1] for r in chosen], dtype=float)
        arm = np.array([r[2] for r in chosen], dtype=float)
        idx = np.array([r[5] for r in chosen], dtype=np.int64)
        trend = pos / span - 0.5 if pos.size else pos.astype(float)
        return pos, y, arm, idx, trend

    pos, y, arm, idx, trend = pick([True for _ in rows])
    primary = _estimate(AS_ASSIGNED, y, arm, trend, pos, arm, spec=spec, mid=mid, final=final,
                        block=run_all[idx])
    pos, y, arm, idx, trend = pick([r[4] is not False for r in rows])
    per_protocol = _estimate(PER_PROTOCOL, y, arm, trend, pos, arm, spec=spec, mid=mid, final=final,
                             block=run_all[idx])
    pos, y, arm, idx, trend = pick([True for _ in rows])
    carry = _estimate(f"{CARRY_OVER} (tau = {tau:g} nights)", y, x_all[idx] if idx.size else arm,
                      trend, pos, arm, spec=spec, mid=mid, final=final)
    return OutcomeResult(
        metric=outcome, unit=spec.unit, higher_is_better=spec.higher_is_better, mid=mid,
        effect=primary.effect, interval=primary.interval, p_benefit=primary.p_benefit,
        p_benefit_mid=primary.p_benefit_mid, p_harm_mid=primary.p_harm_mid,
        verdict=primary.verdict, n_nights=primary.n_nights, final=final,
        note=None if final else INTERIM, per_protocol=per_protocol, carry_over=carry,
        rho=primary.rho, message=primary.message,
    )


def analyse(
    design: Design,
    outcomes: Mapping[str, Mapping[date, float | int | None]],
    *,
    as_of: date,
    adherence: Mapping[date, bool | None] | None = None,
    mids: Mapping[str, float] | None = None,
    tau: float = DEFAULT_TAU,
) -> ExperimentResult:
    """Analyse every outcome given (primary first), as of ``as_of``.

    ``outcomes`` maps outcome keys ("tst", "sol", ...) to nightly values; the design's outcome
    is the primary and uses the design's MID; the others use ``mids`` or their defaults.
    """
    plan = design.schedule()
    order = [design.outcome] + sorted(k for k in outcomes if k != design.outcome)
    mids = dict(mids or {})
    mids[design.outcome] = design.mid
    results = tuple(
        analyse_outcome(plan, outcomes.get(k, {}), outcome=k, as_of=as_of, mid=mids.get(k),
                        adherence=adherence, tau=tau)
        for k in order
    )
    final = as_of >= design.end
    return ExperimentResult(final, None if final else INTERIM, as_of, design.end, results)

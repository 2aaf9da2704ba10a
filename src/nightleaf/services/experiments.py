"""Self-experiments (issue 12): set one up, follow it night by night, stop it, read the result.

The statistics are :mod:`nightleaf.stats.experiment` (pure); this module owns what an arm *is*
for a person and what the journal says about each night:

* ``timing``: an arm is lead minutes before the target bedtime; the intake time of a night is
  bedtime − lead. A night matches the arm when the first intake was within
  :data:`TIMING_TOLERANCE_MIN` of that time.
* ``amount``: an arm is the person's own amount in grams (nightleaf never proposes one; an arm
  above the person's own nightly ceiling is refused). A night matches when the night's total is
  within :data:`AMOUNT_TOLERANCE` of it.
* ``product``: an arm is a product of the journal (by name or id). A night matches when every
  intake of the night was that product.
* ``none``: one arm is ``none`` (no kratom), the other the person's usual use. A ``none`` night
  matches when no intake was logged; the other arm when one was.

The plan (arms, outcome, its source, MID, analysis, seed, start) is written once with its
schedule and never edited; stopping early records the reason and the moment.

**Outcome source.** The sleep outcomes (TST, SOL, WASO, SE) come from one place, fixed in the
plan: the sleep diary (``"diary"``, the default) or one wearable source of the journal
(``"fitbit"``, ``"oura"``, ...; its main episode of each night). Both are read from the nightly
figures (:func:`nightleaf.stats.nightly.nightly`); diary and wearable nights are never mixed. A
source the journal has no nights from is refused. Morning pain is always the person's rating.

**Pain MID as 30 %.** ``--mid 30%`` with the pain outcome takes 30 % of the person's usual
morning pain, the mean of their morning ratings on the :data:`USUAL_PAIN_NIGHTS` nights before
the night the plan is made (at least :data:`USUAL_PAIN_MIN_RATINGS` of them), and stores it as
points with the usual rating it came from. 30 %: Farrar JT et al., Pain 2001;94(2):149-158 (a
reduction of about two points or about 30 % on the 0-10 scale matched "much improved"; the
percent change was the more consistent across baseline pain), and the IMMPACT recommendations,
Dworkin RH et al., J Pain 2008;9(2):105-121, doi:10.1016/j.jpain.2007.09.005 (a decrease of at
least 30 % is a moderately important change in pain intensity; 10-20 % minimally important).
"""

from __future__ import annotations

__all__ = [
    "ExperimentInput", "ExperimentView", "NightView", "TonightArm", "arm_on", "create",
    "experiment_arm", "experiment_arms", "experiment_reminders", "list_experiments",
    "outcome_sources", "progress", "result", "show", "stop", "tonight_arm",
]

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from nightleaf.errors import InputError, NotFound
from nightleaf.model import clock
from nightleaf.model.entities import (
    Experiment,
    ExperimentNight,
    Intake,
    PainRating,
    Product,
    Profile,
    SleepEntry,
    SleepEpisode,
    Symptom,
)
from nightleaf.services import parse
from nightleaf.services.context import Context
from nightleaf.services.inputs import ExperimentInput
from nightleaf.store.repo import Repo

if TYPE_CHECKING:
    from nightleaf.plan.reminders import Reminder

TIMING_TOLERANCE_MIN = 30
AMOUNT_TOLERANCE = 0.10  # 10 % of the arm's amount (at least 0.1 g)
#: "none" for someone who used on at least this many of the last 14 nights warns of withdrawal
WITHDRAWAL_NIGHTS = 5
ANALYSIS = ("AR(1) GLS with a trend, rho integrated over a grid under the AR(1) reference "
            "prior, flat priors on the coefficients; as assigned, wash-out nights inform the "
            "noise only (a free level per run); per-protocol and carry-over sensitivity lines")
OUTCOME_METRICS = ("tst", "sol", "waso", "se", "pain")
SLEEP_METRICS = ("tst", "sol", "waso", "se")
#: the default source of the sleep outcomes
DIARY = "diary"
#: a pain MID given as a percentage must be this one (Farrar 2001; IMMPACT, Dworkin 2008)
PAIN_MID_PERCENT = 30
#: the usual morning pain behind a "30 %" MID: the mean rating of these nights before the plan
USUAL_PAIN_NIGHTS = 28
USUAL_PAIN_MIN_RATINGS = 7
WITHDRAWAL_WARNING = (
    "You used kratom on {n} of the last 14 nights. Stopping for whole periods can bring "
    "withdrawal (restlessness, aches, poor sleep), which would also spoil the comparison. "
    "Consider comparing a timing (--compare timing) or a product (--compare product) instead, "
    "and talk to a clinician before stopping."
)


@dataclass
class NightView:
    night: date
    arm: str
    washout: bool
    arm_text: str
    adherent: bool | None  # None: not yet, or nothing to judge by
    outcome: float | None  # the primary outcome's value, when logged


@dataclass
class Adherence:
    nights: int  # nights so far
    matched: int
    not_matched: int


@dataclass
class ExperimentView:
    id: int
    name: str
    compare: str
    a: str
    b: str
    a_text: str
    b_text: str
    period: int
    pairs: int
    washout: int
    outcome: str
    mid: float
    analysis: str
    seed: int
    start: date
    end: date
    status: str
    stopped_reason: str | None
    stopped_at: datetime | None
    created_at: datetime
    schedule: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    adherence: Adherence | None = None  # filled by show/progress
    source: str = DIARY  # where the sleep outcomes come from: "diary" or a wearable source
    source_text: str = "sleep diary"
    mid_usual: float | None = None  # the usual morning pain a 30 % MID was taken from
    mid_text: str = ""  # "2.1 points (30 % of your usual 7.0)", "15 min"


@dataclass
class TonightArm:
    experiment_id: int
    name: str
    night: date
    arm: str
    washout: bool
    text: str  # "arm B: intake at 21:00"


# -- arms ------------------------------------------------------------------------------------
def _lead(value: str, fid: str) -> int:
    lead = parse.whole(value, fid, "the lead minutes")
    if lead is None or not 0 <= lead <= 240:
        raise InputError("a timing arm is the minutes between intake and bedtime, 0 to 240",
                         field=fid, code="range")
    return lead


def _grams(value: str, fid: str) -> float:
    raw = value.strip().lower().removesuffix("g").strip()
    g = parse.number(raw, fid, "the amount")
    if g is None or not math.isfinite(g) or g <= 0 or g > 1000:
        raise InputError("an amount arm is your own amount in grams, more than 0", field=fid,
                         code="range")
    return g


def _clean_arm(repo: Repo, profile: Profile, compare: str, value: str, fid: str) -> str:
    """The stored form of one arm; raises InputError/NotFound for a bad one."""
    v = (value or "").strip()
    if not v:
        raise InputError("each arm needs a value", field=fid, code="required")
    if len(v) > 200:
        raise InputError("an arm is at most 200 characters", field=fid, code="length")
    if compare == "timing":
        return str(_lead(v, fid))
    if compare == "amount":
        g = _grams(v, fid)
        ceiling = profile.max_grams_per_night
        if ceiling is not None and g > ceiling:
            raise InputError(f"{g:g} g is above your own ceiling of {ceiling:g} g a night; "
                             "an arm must stay within it", field=fid, code="ceiling")
        return f"{g:g}"
    if compare == "product":
        from nightleaf.services.products import find_product

        return find_product(repo, v, field=fid).name
    if v.lower() == "none":
        return "none"
    return v


def arm_text(exp: Experiment, arm: str, profile: Profile | None = None) -> str:
    """An arm in words: "intake at 21:00", "2 g", "product Red Bali", "no kratom"."""
    value = exp.arm_a if arm == "A" else exp.arm_b
    if exp.compare == "timing":
        bed = (profile.target_bedtime if profile is not None else time(23, 0))
        at = (datetime.combine(date(2000, 1, 1), bed) - timedelta(minutes=int(value))).time()
        return f"intake at {at:%H:%M} ({value} min before bed)"
    if exp.compare == "amount":
        return f"your amount of {value} g"
    if exp.compare == "product":
        return f"product {value}"
    return "no kratom" if value == "none" else f"kratom as usual ({value})"


# -- the outcome's source and the MID --------------------------------------------------------
def source_text(source: str) -> str:
    """Where the sleep outcomes come from, in words: "sleep diary", "fitbit (wearable)"."""
    return "sleep diary" if source == DIARY else f"{source} (wearable)"


def mid_text(outcome: str, mid: float, usual: float | None) -> str:
    """The MID in words: "15 min", "2 points", "2.1 points (30 % of your usual 7.0)"."""
    from nightleaf.stats import experiment as sx

    spec = sx.OUTCOMES.get(outcome)
    unit = spec.unit if spec is not None else ""
    if unit == "points" and mid == 1:
        unit = "point"
    words = f"{mid:g} {unit}".strip()
    if usual is not None:
        words += f" ({PAIN_MID_PERCENT} % of your usual {usual:.1f})"
    return words


def _wearable_sources(repo: Repo, *, with_stages: bool = False
                      ) -> dict[str, list[SleepEpisode]]:
    """Each wearable source with a main (non-nap) episode in the journal -> its episodes
    (with their stages only when asked: the form's choices need the names alone)."""
    out: dict[str, list[SleepEpisode]] = {}
    for ep in repo.episodes(with_stages=with_stages):
        if not ep.is_nap:
            out.setdefault(ep.source, []).append(ep)
    return out


def outcome_sources(ctx: Context) -> list[str]:
    """The sources a sleep outcome can come from: the diary, then every wearable source the
    journal has nights from (for the web form's choices)."""
    with ctx.tx() as repo:
        return [DIARY, *sorted(_wearable_sources(repo))]


def _clean_source(repo: Repo, value: str | None, outcome: str) -> str:
    """The stored source of the sleep outcomes; refuses one the journal has no nights from, or
    one that never gives the chosen sleep outcome."""
    from nightleaf.sleep.episode import episode_metrics, main_episodes
    from nightleaf.stats import experiment as sx

    v = (value or "").strip().lower().replace("-", "_").replace(" ", "_") or DIARY
    if v == DIARY:
        return DIARY
    if len(v) > 64:
        raise InputError("a source is at most 64 characters", field="source", code="length")
    # the stages only when a sleep metric must be checked (SOL/WASO may come from them)
    sources = _wearable_sources(repo, with_stages=outcome in SLEEP_METRICS)
    if v not in sources:
        known = ", ".join([DIARY, *sorted(sources)])
        raise InputError(f"your journal has no nights from {v!r}; the sources with nights are "
                         f"{known}", field="source", code="source")
    if outcome in SLEEP_METRICS:
        metric = sx.OUTCOMES[outcome].metric
        if not any(getattr(episode_metrics(ep), metric) is not None
                   for ep in main_episodes(sources[v]).values()):
            raise InputError(f"{v} gives no {outcome.upper()} on any night of your journal; "
                             "choose another outcome or source", field="source", code="metric")
    return v


def _usual_pain(repo: Repo, profile: Profile, tonight: date) -> tuple[float, int]:
    """The mean morning pain on the :data:`USUAL_PAIN_NIGHTS` nights before ``tonight`` (each
    night's last morning rating, as the nightly figures take it) and how many nights it has."""
    from nightleaf.stats.nightly import nightly

    first = tonight - timedelta(days=USUAL_PAIN_NIGHTS)
    last = tonight - timedelta(days=1)
    rows = nightly(first_night=first, last_night=last, profile=profile,
                   pain=repo.all(PainRating, first=first, last=last))
    ratings = [n.pain.morning_nrs for n in rows
               if n.pain is not None and n.pain.morning_nrs is not None]
    return (sum(ratings) / len(ratings) if ratings else 0.0), len(ratings)


def _relative_mid(value: str) -> bool:
    """Whether a typed MID is a percentage; only 30 % is accepted (the cited rule)."""
    v = value.strip()
    if not v.endswith("%"):
        return False
    pct = parse.number(v[:-1].strip(), "mid", "the MID")
    if pct != PAIN_MID_PERCENT:
        raise InputError(f"a MID in percent is {PAIN_MID_PERCENT}% of your usual morning pain "
                         "(for the pain outcome); otherwise give it in the outcome's unit",
                         field="mid", code="percent")
    return True


def _pain_mid(ctx: Context, profile: Profile, tonight: date) -> tuple[float, float]:
    """(MID points, usual morning pain) for a 30 % pain MID, or one clear InputError."""
    from nightleaf.stats import experiment as sx

    with ctx.tx() as repo:
        mean, count = _usual_pain(repo, profile, tonight)
    if count < USUAL_PAIN_MIN_RATINGS:
        raise InputError(
            f"a {PAIN_MID_PERCENT}% MID needs your usual morning pain: at least "
            f"{USUAL_PAIN_MIN_RATINGS} morning ratings on the {USUAL_PAIN_NIGHTS} nights before "
            f"tonight (you have {count}); rate your morning pain for a while first, or give the "
            "MID in points (e.g. 2)", field="mid", code="usual")
    usual = round(mean, 1)
    if PAIN_MID_PERCENT / 100 * usual < 0.5:
        raise InputError(
            f"{PAIN_MID_PERCENT}% of your usual morning pain ({usual:.1f} over the last "
            f"{USUAL_PAIN_NIGHTS} nights) is less than half a point; give the MID in points "
            "(e.g. 1)", field="mid", code="usual")
    return sx.pain_mid_from_usual(usual), usual


def _used_nights(repo: Repo, tonight: date) -> int:
    first = tonight - timedelta(days=14)
    return len({i.night for i in repo.intakes(first=first, last=tonight - timedelta(days=1))})


# -- create ----------------------------------------------------------------------------------
def _overlaps(repo: Repo, start: date, end: date) -> Experiment | None:
    for other in repo.all(Experiment):
        o_end = other.end
        if other.status == "stopped" and other.stopped_at is not None:
            o_end = min(o_end, clock.night_of(other.stopped_at, other.tz))
        if start <= o_end and other.start <= end:
            return other
    return None


def create(ctx: Context, inp: ExperimentInput) -> ExperimentView:
    """Validate and save a plan with its schedule. Writes nothing when anything is wrong."""
    from nightleaf.stats import experiment as sx

    profile = ctx.profile()
    tz = profile.tz
    now = ctx.now()
    tonight = clock.tonight(now, tz)
    f = parse.Fields()
    name = (inp.name or "").strip()
    if not name or len(name) > 200:
        f.add("name", "required", "the experiment needs a name (at most 200 characters)")
    compare = (inp.compare or "").strip().lower()
    if compare not in sx.COMPARE_KINDS:
        f.add("compare", "choice", f"must be one of {', '.join(sx.COMPARE_KINDS)}")
    period = f.get(lambda: parse.whole(inp.period, "period", "the period"))
    pairs = f.get(lambda: parse.whole(inp.pairs, "pairs", "the pairs"))
    washout = f.get(lambda: parse.whole(inp.washout, "washout", "the wash-out nights"))
    outcome = (inp.outcome or "tst").strip().lower()
    relative = bool(f.get(lambda: _relative_mid(inp.mid or "")))
    if relative and outcome in OUTCOME_METRICS and outcome != "pain":
        f.add("mid", "percent", f"a MID in percent is only for the pain outcome; give the "
              f"{outcome.upper()} MID in its unit")
    mid = None if relative or any(e.field == "mid" for e in f.errors) else \
        f.get(lambda: parse.number(inp.mid, "mid", "the MID"))
    seed = f.get(lambda: parse.whole(inp.seed, "seed", "the seed"))
    start = f.get(lambda: parse.iso_date(inp.start, "start", tonight + timedelta(days=1),
                                         "the start night"))
    f.check()
    assert start is not None
    if seed is None:
        import secrets

        seed = secrets.randbelow(2**31)
    usual: float | None = None
    if relative and outcome == "pain":
        mid, usual = _pain_mid(ctx, profile, tonight)
    design = sx.validate_design(
        compare, start=start, seed=seed, period=period,
        pairs=sx.DEFAULT_PAIRS if pairs is None else pairs,
        washout=sx.DEFAULT_WASHOUT if washout is None else washout,
        outcome=outcome, mid=mid, today=tonight)
    warnings: list[str] = []
    with ctx.tx() as repo:
        a = _clean_arm(repo, profile, compare, inp.a, "a")
        b = _clean_arm(repo, profile, compare, inp.b, "b")
        if a == b:
            raise InputError("the two arms are the same; an experiment compares two settings",
                             field="b", code="same")
        source = _clean_source(repo, inp.source, design.outcome)
        if compare == "none":
            if "none" not in (a, b) or a == b:
                raise InputError("with --compare none one arm is 'none' and the other your usual "
                                 "use (e.g. 'usual')", field="b", code="none")
            used = _used_nights(repo, tonight)
            if used >= WITHDRAWAL_NIGHTS:
                warnings.append(WITHDRAWAL_WARNING.format(n=used))
        other = _overlaps(repo, design.start, design.end)
        if other is not None:
            raise InputError(
                f"it would overlap experiment {other.id} ({other.name!r}, {other.start} to "
                f"{other.end}); one experiment at a time. Stop it first or start after "
                f"{other.end}", field="start", code="overlap")
        exp = Experiment(
            name=name, compare=compare, arm_a=a, arm_b=b, period=design.period,
            pairs=design.pairs, washout=design.washout, outcome=design.outcome, mid=design.mid,
            analysis=ANALYSIS, seed=design.seed, start=design.start, end=design.end, tz=tz,
            created_at=now, source=source, mid_usual=usual, person_id=ctx.person_id,
        )
        nights = [ExperimentNight(0, sn.night, sn.arm, sn.washout, person_id=ctx.person_id)
                  for sn in design.schedule()]
        saved = repo.add_experiment(exp, nights)
        return _view(saved, repo.experiment_nights(_id(saved)), profile, tonight, warnings)


def _id(exp: Experiment) -> int:
    if exp.id is None:  # pragma: no cover - saved records have ids
        raise ValueError("experiment not saved")
    return exp.id


def status_of(exp: Experiment, tonight: date) -> str:
    if exp.status == "stopped":
        return "stopped"
    if tonight < exp.start:
        return "planned"
    if tonight > exp.end:
        return "finished"
    return "running"


def _view(exp: Experiment, nights: list[ExperimentNight], profile: Profile, tonight: date,
          warnings: list[str] | None = None) -> ExperimentView:
    return ExperimentView(
        id=_id(exp), name=exp.name, compare=exp.compare, a=exp.arm_a, b=exp.arm_b,
        a_text=arm_text(exp, "A", profile), b_text=arm_text(exp, "B", profile),
        period=exp.period, pairs=exp.pairs, washout=exp.washout, outcome=exp.outcome,
        mid=exp.mid, analysis=exp.analysis, seed=exp.seed, start=exp.start, end=exp.end,
        status=status_of(exp, tonight), stopped_reason=exp.stopped_reason,
        stopped_at=exp.stopped_at, created_at=exp.created_at,
        schedule=[{"night": n.night, "arm": n.arm, "washout": n.washout} for n in nights],
        warnings=list(warnings or []),
        source=exp.source, source_text=source_text(exp.source), mid_usual=exp.mid_usual,
        mid_text=mid_text(exp.outcome, exp.mid, exp.mid_usual),
    )


def _parse_id(value: str | int) -> int:
    eid = parse.record_id(str(value))
    if eid is None:
        raise InputError(f"{value!r} is not an experiment id (a whole number)", field="id",
                         code="id")
    return eid


def _get(repo: Repo, value: str | int) -> Experiment:
    eid = _parse_id(value)
    try:
        return repo.get(Experiment, eid)
    except NotFound:
        raise NotFound(f"no experiment with id {eid} (see: nightleaf experiment list)",
                       field="id") from None


def list_experiments(ctx: Context) -> list[ExperimentView]:
    profile = ctx.profile()
    tonight = clock.tonight(ctx.now(), profile.tz)
    with ctx.tx() as repo:
        return [_view(x, [], profile, tonight) for x in repo.all(Experiment)]


def show(ctx: Context, value: str | int) -> ExperimentView:
    """The plan, its schedule and the adherence so far (``experiment show --json``)."""
    return progress(ctx, value)[0]


def stop(ctx: Context, value: str | int, reason: str | None) -> ExperimentView:
    text = (reason or "").strip()
    if not text:
        raise InputError("say why you stop (it is recorded with the result)", field="reason",
                         code="required")
    profile = ctx.profile()
    tonight = clock.tonight(ctx.now(), profile.tz)
    with ctx.tx() as repo:
        exp = _get(repo, value)
        if exp.status == "stopped":
            raise InputError(f"experiment {exp.id} was already stopped", field="id",
                             code="stopped")
        if tonight > exp.end:
            raise InputError(f"experiment {exp.id} already ended on {exp.end}", field="id",
                             code="ended")
        repo.stop_experiment(_id(exp), text[:2000], ctx.now())
        exp = repo.get(Experiment, _id(exp))
        return _view(exp, repo.experiment_nights(_id(exp)), profile, tonight)


# -- following it ----------------------------------------------------------------------------
def _matches(exp: Experiment, arm: str, intakes: list[Intake], profile: Profile,
             products: dict[int, str]) -> bool:
    value = exp.arm_a if arm == "A" else exp.arm_b
    if exp.compare == "none":
        return (not intakes) if value == "none" else bool(intakes)
    if not intakes:
        return False
    if exp.compare == "timing":
        first = min(intakes, key=lambda i: i.at)
        planned = clock.night_time(first.night, profile.target_bedtime, profile.tz) - timedelta(
            minutes=int(value))
        return abs((first.at - planned).total_seconds()) <= TIMING_TOLERANCE_MIN * 60
    if exp.compare == "amount":
        grams = [i.grams for i in intakes]
        if any(g is None for g in grams):
            return False
        total = sum(g for g in grams if g is not None)
        target = float(value)
        return abs(total - target) <= max(0.1, AMOUNT_TOLERANCE * target)
    return all(i.product_id is not None and products.get(i.product_id) == value
               for i in intakes)


def _outcomes(repo: Repo, exp: Experiment, profile: Profile
              ) -> dict[str, dict[date, float | None]]:
    """Each outcome's value by night, from the nightly figures: the sleep metrics of the plan's
    source only (the diary, or that wearable source's main episode; never mixed) and the
    morning pain rating."""
    from nightleaf.stats import experiment as sx
    from nightleaf.stats.nightly import nightly

    first, last = exp.start, exp.end
    wearable = exp.source != DIARY
    rows = nightly(
        first_night=first, last_night=last, profile=profile,
        entries=() if wearable else repo.all(SleepEntry, first=first, last=last),
        episodes=repo.episodes(first=first, last=last) if wearable else (),
        pain=repo.all(PainRating, first=first, last=last))
    out: dict[str, dict[date, float | None]] = {k: {} for k in OUTCOME_METRICS}
    for n in rows:
        m = n.diary if not wearable else next(
            (w for w in n.wearable if w.source == exp.source), None)
        if m is not None:
            for k in SLEEP_METRICS:
                out[k][n.night] = getattr(m, sx.OUTCOMES[k].metric)
        if n.pain is not None and n.pain.morning_nrs is not None:
            out["pain"][n.night] = float(n.pain.morning_nrs)
    return out


def _adherence(repo: Repo, exp: Experiment, nights: list[ExperimentNight], profile: Profile,
               upto: date) -> dict[date, bool | None]:
    by_night: dict[date, list[Intake]] = {}
    for i in repo.intakes(first=exp.start, last=exp.end):
        by_night.setdefault(i.night, []).append(i)
    products = {p.id: p.name for p in repo.all(Product) if p.id is not None}
    return {n.night: (_matches(exp, n.arm, by_night.get(n.night, []), profile, products)
                      if n.night <= upto else None) for n in nights}


def _last_night(exp: Experiment, tonight: date) -> date:
    """The last night that counts: last night (tonight's is not over), the stop, or the end."""
    last = min(tonight - timedelta(days=1), exp.end)
    if exp.status == "stopped" and exp.stopped_at is not None:
        last = min(last, clock.night_of(exp.stopped_at, exp.tz))
    return last


def progress(ctx: Context, value: str | int) -> tuple[ExperimentView, list[NightView], Adherence]:
    """The schedule night by night with adherence and the primary outcome so far."""
    profile = ctx.profile()
    tonight = clock.tonight(ctx.now(), profile.tz)
    with ctx.tx() as repo:
        exp = _get(repo, value)
        nights = repo.experiment_nights(_id(exp))
        upto = _last_night(exp, tonight)
        adh = _adherence(repo, exp, nights, profile, upto)
        values = _outcomes(repo, exp, profile)[exp.outcome]
        view = _view(exp, nights, profile, tonight)
    rows = [NightView(n.night, n.arm, n.washout, arm_text(exp, n.arm, profile), adh[n.night],
                      values.get(n.night)) for n in nights]
    done = [r for r in rows if r.night <= upto]
    view.adherence = Adherence(len(done), sum(r.adherent is True for r in done),
                               sum(r.adherent is False for r in done))
    return view, rows, view.adherence


def result(ctx: Context, value: str | int) -> dict[str, Any]:
    """The analysis as of last night: primary as assigned, per-protocol and carry-over lines,
    every outcome (primary first), harms by arm, and ``final`` only at the planned end."""
    from nightleaf.stats import experiment as sx

    profile = ctx.profile()
    tonight = clock.tonight(ctx.now(), profile.tz)
    with ctx.tx() as repo:
        exp = _get(repo, value)
        nights = repo.experiment_nights(_id(exp))
        upto = _last_night(exp, tonight)
        adh = _adherence(repo, exp, nights, profile, upto)
        data = _outcomes(repo, exp, profile)
        symptoms = repo.all(Symptom, first=exp.start, last=upto)
        view = _view(exp, nights, profile, tonight)
    plan = [sx.ScheduledNight(n.night, "A" if n.arm == "A" else "B", n.washout) for n in nights]
    order = [exp.outcome] + [k for k in OUTCOME_METRICS if k != exp.outcome]
    outcomes = [sx.analyse_outcome(plan, data[k], outcome=k, as_of=upto,
                                   mid=exp.mid if k == exp.outcome else None, adherence=adh)
                for k in order]
    final = upto >= exp.end
    arm_of = {n.night: n.arm for n in nights}
    harms: dict[tuple[str, str], list[Symptom]] = {}
    for s in symptoms:
        if s.night in arm_of:
            harms.setdefault((arm_of[s.night], s.kind), []).append(s)
    done = [n for n in nights if n.night <= upto]
    return {
        "id": view.id, "name": view.name, "compare": view.compare,
        "a": view.a_text, "b": view.b_text, "outcome": view.outcome, "mid": view.mid,
        "source": view.source, "source_text": view.source_text, "mid_usual": view.mid_usual,
        "mid_text": view.mid_text, "status": view.status, "stopped_reason": view.stopped_reason,
        "as_of": upto, "end": exp.end, "final": final,
        "note": None if final else sx.INTERIM,
        # a plan registered before the analysis was recalibrated (2026-12-02) is read with the
        # current analysis, and says so
        "analysis": ANALYSIS,
        "analysis_note": None if exp.analysis == ANALYSIS else (
            f"registered with an earlier analysis ({exp.analysis}); this result uses the "
            "current, calibrated one"),
        "adherence": {"nights": len(done),
                      "matched": sum(adh.get(n.night) is True for n in done),
                      "not_matched": sum(adh.get(n.night) is False for n in done)},
        "outcomes": [_outcome_plain(o, exp.source) for o in outcomes],
        "harms": [{"arm": arm, "kind": kind, "entries": len(items),
                   "nights": len({s.night for s in items}),
                   "mean_severity": round(sum(s.severity for s in items) / len(items), 2)}
                  for (arm, kind), items in sorted(harms.items())],
    }


def _estimate_plain(e: Any) -> dict[str, Any] | None:
    if e is None:
        return None
    return {"analysis": e.analysis, "effect": e.effect,
            "interval": list(e.interval) if e.interval else None, "p_benefit": e.p_benefit,
            "p_benefit_mid": e.p_benefit_mid, "p_harm_mid": e.p_harm_mid,
            "verdict": e.verdict, "n_nights": e.n_nights, "message": e.message}


def _outcome_plain(o: Any, source: str) -> dict[str, Any]:
    return {
        "metric": o.metric, "unit": o.unit, "higher_is_better": o.higher_is_better,
        "source": "morning rating" if o.metric == "pain" else source,
        "mid": o.mid, "effect": o.effect,
        "interval": list(o.interval) if o.interval else None,
        "p_benefit": o.p_benefit, "p_benefit_mid": o.p_benefit_mid, "p_harm_mid": o.p_harm_mid,
        "verdict": o.verdict, "n_nights": o.n_nights, "note": o.note, "message": o.message,
        "per_protocol": _estimate_plain(o.per_protocol),
        "carry_over": _estimate_plain(o.carry_over),
    }


def arm_on(repo: Repo, night: date, profile: Profile | None = None) -> TonightArm | None:
    """The arm of ``night`` in the experiment running then, if any — for tonight's page, the
    reminders and the nightly figures' ``experiment_arm`` slot."""
    for exp in repo.all(Experiment):
        if not exp.start <= night <= exp.end:
            continue
        if exp.status == "stopped" and exp.stopped_at is not None \
                and night > clock.night_of(exp.stopped_at, exp.tz):
            continue
        for n in repo.experiment_nights(_id(exp)):
            if n.night == night:
                words = f"arm {n.arm}: {arm_text(exp, n.arm, profile)}"
                if n.washout:
                    words += " (wash-out night: logged, not in the main analysis)"
                return TonightArm(_id(exp), exp.name, night, n.arm, n.washout, words)
    return None


def tonight_arm(ctx: Context, night: date | None = None) -> TonightArm | None:
    """Tonight's arm in words ("arm B: intake at 21:00 ..."), or None without an experiment."""
    profile = ctx.profile()
    n = night or clock.tonight(ctx.now(), profile.tz)
    with ctx.tx() as repo:
        return arm_on(repo, n, profile)


def experiment_arm(repo: Repo, night: date) -> str | None:
    """"A" or "B" for a night inside a running experiment, else None (the nightly figures)."""
    return experiment_arms(repo, night, night).get(night)


def experiment_arms(repo: Repo, first: date, last: date) -> dict[date, str]:
    """Every night in ``first..last`` that belongs to an experiment (up to its stop) -> "A"/"B";
    one pass, for the nightly figures' ``experiment_arm`` slot."""
    out: dict[date, str] = {}
    for exp in repo.all(Experiment):
        if exp.start > last or exp.end < first:
            continue
        stop = (clock.night_of(exp.stopped_at, exp.tz)
                if exp.status == "stopped" and exp.stopped_at is not None else exp.end)
        for n in repo.experiment_nights(_id(exp)):
            if first <= n.night <= last and n.night <= stop:
                out[n.night] = n.arm
    return out


def experiment_reminders(repo: Repo, profile: Profile, from_night: date) -> list[Reminder]:
    """One-off reminders for the remaining nights of a running experiment, each carrying that
    night's arm in words, at the arm's intake time (timing) or the planned intake time."""
    from nightleaf.plan.reminders import Reminder

    out: list[Reminder] = []
    for exp in repo.all(Experiment):
        if exp.status == "stopped" or exp.end < from_night:
            continue
        for n in repo.experiment_nights(_id(exp)):
            if n.night < from_night:
                continue
            lead = int(exp.arm_a if n.arm == "A" else exp.arm_b) if exp.compare == "timing" \
                else profile.lead_minutes
            at = clock.local_datetime(clock.night_time(n.night, profile.target_bedtime,
                                                       profile.tz), profile.tz)
            start = (at - timedelta(minutes=lead)).replace(tzinfo=None)
            words = f"arm {n.arm}: {arm_text(exp, n.arm, profile)}"
            if n.washout:
                words += " (wash-out night)"
            out.append(Reminder(
                f"experiment-{exp.id}-{n.night.isoformat()}", f"Experiment {exp.name}: {words}",
                f"Tonight's arm of your self-experiment {exp.name!r}: {words}. Log the intake as "
                "usual; the arm is your own setting, not a recommendation.", start, profile.tz,
                repeat=False))
    return out

"""Straightforward reference implementations of the nightly calculators, as they were before
the speed work of issue 13 (branch h13-speed), kept verbatim apart from names: the property tests
in ``tests/stats/test_vectorised_same.py`` check that the faster code gives exactly (bit for bit)
what these give. Not used by the application.
"""
# ruff: noqa

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from statistics import fmean

import numpy as np
from scipy.stats import circmean

from nightleaf.errors import InputError
from nightleaf.model.clock import ensure_utc, minutes_between, zone
from nightleaf.model.entities import Intake, PainRating, Profile
from nightleaf.pain.nrs import NightPain
from nightleaf.pain.peg import peg_score
from nightleaf.sleep.regularity import (
    MINUTES_PER_DAY, SRI_RULE_POOLED, Regularity, SRIResult, arc_minutes, is_work_night,
)
from nightleaf.stats.compare import (
    METHOD_AR1, METHOD_WELCH, MIN_NIGHTS, NOT_ENOUGH, OK, Comparison, welch_interval,
)
from nightleaf.stats.intake import NightIntake
from nightleaf.stats.window import INTERVAL_BANDS, WITHOUT, NightRow, _band, _outcome
from collections.abc import Mapping
from typing import Any
from nightleaf.model.entities import SleepEntry, SleepEpisode, Symptom
from nightleaf.sleep.diary import NightMetrics
from tests.support.h13_nightly_reference import diary_metrics
from nightleaf.sleep.episode import episode_metrics, main_episodes
from nightleaf.stats.nightly import Night, night_symptoms


def night_intakes(
    intakes: Iterable[Intake], tried_to_sleep: dict[date, datetime] | None = None
) -> dict[date, NightIntake]:
    """Aggregate intakes by night. ``tried_to_sleep`` maps night -> diary sleep attempt."""
    tried_to_sleep = tried_to_sleep or {}
    by_night: dict[date, list[Intake]] = {}
    for i in intakes:
        by_night.setdefault(i.night, []).append(i)
    out: dict[date, NightIntake] = {}
    for night, items in by_night.items():
        grams = [i.grams for i in items]
        mg = [i.mitragynine_mg for i in items]
        last = max(i.at for i in items)
        tts = tried_to_sleep.get(night)
        out[night] = NightIntake(
            night=night,
            count=len(items),
            total_grams=None if None in grams else sum(g for g in grams if g is not None),
            known_grams=sum(g for g in grams if g is not None),
            mitragynine_mg=None if None in mg else sum(m for m in mg if m is not None),
            last_intake_at=last,
            minutes_last_intake_to_sleep=minutes_between(last, tts) if tts else None,
            product_ids=tuple(sorted({i.product_id for i in items if i.product_id is not None})),
        )
    return out


def night_pain(ratings: Iterable[PainRating]) -> dict[date, NightPain]:
    """Evening/morning NRS, overnight change and PEG for every night that has a rating."""
    by_night: dict[date, list[PainRating]] = {}
    for r in ratings:
        if not 0 <= r.nrs <= 10:
            raise InputError(f"NRS must be between 0 and 10 (got {r.nrs})")
        by_night.setdefault(r.night, []).append(r)
    out: dict[date, NightPain] = {}
    for night, rs in by_night.items():
        rs = sorted(rs, key=lambda r: r.at)
        evening = [r.nrs for r in rs if r.context == "evening"]
        morning = [r.nrs for r in rs if r.context == "morning"]
        ev = evening[-1] if evening else None
        mo = morning[-1] if morning else None  # the last rating wins (stats.nightly)
        pegs = [
            peg_score(r.peg_pain, r.peg_enjoyment, r.peg_activity)
            for r in rs
        ]
        known_pegs = [p for p in pegs if p is not None]
        out[night] = NightPain(
            night=night,
            evening_nrs=ev,
            morning_nrs=mo,
            overnight_change=mo - ev if ev is not None and mo is not None else None,
            peg=known_pegs[-1] if known_pegs else None,
        )
    return out


def _sleep_mask(
    intervals: dict[date, list[tuple[datetime, datetime]]],
    first_night: date,
    last_night: date,
    tz: str,
) -> tuple[np.ndarray, np.ndarray]:
    """The grid of :func:`sleep_wake_grid` as a boolean ``asleep`` array (n nights x 1440) and
    a per-night ``has_data`` flag: a night is missing as a whole or not at all, so one flag per
    row says what the NaNs said, in an eighth of the memory (10 years: 5 MB instead of 42 MB).
    """
    n = (last_night - first_night).days + 1
    asleep = np.zeros((n, MINUTES_PER_DAY), dtype=bool)
    has_data = np.zeros(n, dtype=bool)
    flat = asleep.reshape(-1)
    size = flat.size
    z = zone(tz)
    noon_t = time(12, 0)
    for night, spans in intervals.items():
        i = (night - first_night).days
        if not 0 <= i < n:
            continue
        has_data[i] = True
        noon = datetime.combine(night, noon_t)
        base = i * MINUTES_PER_DAY
        for start, end in spans:
            # as _wall_minutes_from_noon, inlined: it runs for every instant of a long window
            s = (ensure_utc(start).astimezone(z).replace(tzinfo=None) - noon).total_seconds()
            e = (ensure_utc(end).astimezone(z).replace(tzinfo=None) - noon).total_seconds()
            lo = max(0, int(round(s / 60.0)) + base)
            hi = min(size, int(round(e / 60.0)) + base)
            if hi > lo:
                flat[lo:hi] = True
    asleep[~has_data] = False  # a part spilling into a missing night leaves it missing
    return asleep, has_data


def circular_mean_minutes(values: Sequence[float]) -> float | None:
    """Circular mean of clock times in minutes after midnight.

    >>> round(circular_mean_minutes([23 * 60 + 30, 30]))  # 23:30 and 00:30 -> midnight
    0
    """
    if not values:
        return None
    m = float(circmean(np.asarray(values, dtype=float), high=MINUTES_PER_DAY, low=0.0))
    return m % MINUTES_PER_DAY


def circular_sd_minutes(values: Sequence[float]) -> float | None:
    """SD (n - 1) of clock times, deviations measured along the shortest arc from the mean.

    >>> circular_sd_minutes([23 * 60 + 30, 30])  # 60 min apart across midnight
    42.42640687119285
    """
    if len(values) < 2:
        return None
    mean = circular_mean_minutes(values)
    # arc_minutes(v, mean) for every v, in one array operation (numpy's % follows Python's)
    dev = (np.asarray(values, dtype=float) - mean + 720.0) % MINUTES_PER_DAY - 720.0
    return float(np.std(dev, ddof=1))


def window_regularity(
    intervals: dict[date, list[tuple[datetime, datetime]]],
    first_night: date,
    last_night: date,
    profile: Profile,
    *,
    source: str,
    timing: dict[date, tuple[datetime, datetime]] | None = None,
    lights_out: Sequence[datetime] = (),
    min_days: int = 5,
) -> Regularity:
    """All regularity measures for one source over ``first_night..last_night``.

    ``intervals`` per night (as from :func:`diary_intervals` or :func:`episode_intervals`) feed
    the SRI. ``timing`` gives each night's main sleep (onset, end) for mid-sleep, social jetlag
    and SD (as from :func:`main_sleep_times`); by default the earliest start and latest end of
    the night's intervals.
    """
    tz = profile.tz
    z = zone(tz)

    def wall(instant: datetime) -> datetime:
        return ensure_utc(instant).astimezone(z).replace(tzinfo=None)

    def clock_min(instant: datetime) -> float:  # clock_minutes(instant, tz), zone looked up once
        local = ensure_utc(instant).astimezone(z)
        return local.hour * 60 + local.minute + local.second / 60.0

    def wall_min(local: datetime) -> float:
        return local.hour * 60 + local.minute + local.second / 60.0 + local.microsecond / 6e7

    window = {n: v for n, v in intervals.items() if first_night <= n <= last_night and v}
    sri = _sri_pooled(*_sleep_mask(window, first_night, last_night, tz), min_days=min_days)
    if timing is None:
        timing = {n: (min(a for a, _ in v), max(b for _, b in v)) for n, v in window.items()}
    timing = {n: t for n, t in timing.items() if first_night <= n <= last_night}
    onsets: list[float] = []
    offsets: list[float] = []
    mids: list[float] = []
    work_mids: list[float] = []
    free_mids: list[float] = []
    for night in sorted(timing):
        start, end = timing[night]
        # mid-sleep on the wall clock, as the SRI grid counts (the same wall-clock routine on
        # a daylight-saving night has the same mid-sleep), not halfway in elapsed time
        ws, we = wall(start), wall(end)
        onsets.append(wall_min(ws))
        offsets.append(wall_min(we))
        m = wall_min(ws + (we - ws) / 2)
        mids.append(m)
        (work_mids if is_work_night(night, profile.work_days) else free_mids).append(m)
    msw = circular_mean_minutes(work_mids)
    msf = circular_mean_minutes(free_mids)
    sjl_rel = arc_minutes(msf, msw) if msw is not None and msf is not None else None
    return Regularity(
        source=source,
        sri=sri,
        nights=len(timing),
        mean_onset_clock=circular_mean_minutes(onsets),
        mean_mid_sleep_clock=circular_mean_minutes(mids),
        mean_offset_clock=circular_mean_minutes(offsets),
        sd_lights_out_minutes=circular_sd_minutes([clock_min(t) for t in lights_out]),
        sd_onset_minutes=circular_sd_minutes(onsets),
        sd_mid_sleep_minutes=circular_sd_minutes(mids),
        sd_offset_minutes=circular_sd_minutes(offsets),
        msw_clock=msw,
        msf_clock=msf,
        work_nights=len(work_mids),
        free_nights=len(free_mids),
        social_jetlag_minutes=abs(sjl_rel) if sjl_rel is not None else None,
        social_jetlag_relative_minutes=sjl_rel,
    )


def _positions(nights: Sequence[date | int]) -> list[int]:
    if all(type(n) is int for n in nights):
        return list(nights)  # type: ignore[arg-type]
    return [n.toordinal() if isinstance(n, date) else int(n) for n in nights]


def compare(
    metric: str,
    group_values: Sequence[float | int | None],
    reference_values: Sequence[float | int | None],
    *,
    group: str = "group",
    reference: str = "reference",
    confidence: float = 0.95,
    group_nights: Sequence[date | int] | None = None,
    reference_nights: Sequence[date | int] | None = None,
) -> Comparison:
    """Compare one metric between two sets of nights (``None`` values are dropped).

    ``group_nights``/``reference_nights`` (dates or integer day numbers, one per value) place
    each value in time; with both given the interval is AR(1)-adjusted, otherwise it is Welch's.
    A night may not be in both groups.
    """
    timed = False
    ga: list[tuple[int, float]] = []
    rb: list[tuple[int, float]] = []
    if group_nights is not None and reference_nights is not None:
        timed = True
        if len(group_nights) != len(group_values) or len(reference_nights) != len(reference_values):
            raise ValueError("one night per value is needed to place the values in time")
        ga = [(t, float(v)) for t, v in zip(_positions(group_nights), group_values, strict=True)
              if v is not None]
        rb = [(t, float(v)) for t, v in zip(_positions(reference_nights), reference_values,
                                            strict=True) if v is not None]
        a, b = [v for _, v in ga], [v for _, v in rb]
    else:
        a = [float(v) for v in group_values if v is not None]
        b = [float(v) for v in reference_values if v is not None]
    if len(a) < MIN_NIGHTS or len(b) < MIN_NIGHTS:
        return Comparison(
            metric, group, reference, NOT_ENOUGH, len(a), len(b),
            method=METHOD_AR1 if timed else METHOD_WELCH,
            message=(
                f"not enough data: needs at least {MIN_NIGHTS} nights in each group "
                f"(has {len(a)} and {len(b)})"
            ),
        )
    ma, mb = fmean(a), fmean(b)
    diff = ma - mb
    xa, xb = np.asarray(a), np.asarray(b)
    method = METHOD_AR1 if timed else METHOD_WELCH
    if np.var(xa) == 0 and np.var(xb) == 0:
        return Comparison(
            metric, group, reference, OK, len(a), len(b), ma, mb, diff, method=method,
            message="no night-to-night variation in either group; no interval",
        )
    if timed:
        low, high = ar1_interval(ga, rb, confidence)
    else:
        low, high = welch_interval(xa, xb, confidence)
    return Comparison(metric, group, reference, OK, len(a), len(b), ma, mb, diff, low, high,
                      method=method)


def ar1_interval(
    group: Sequence[tuple[int, float]],
    reference: Sequence[tuple[int, float]],
    confidence: float = 0.95,
) -> tuple[float, float]:
    """AR(1)-adjusted interval for mean(group) - mean(reference) from ``(position, value)`` pairs.

    >>> g = [(t, 400.0 + (t % 3)) for t in range(0, 20, 2)]
    >>> r = [(t, 390.0 + (t % 4)) for t in range(1, 20, 2)]
    >>> lo, hi = ar1_interval(g, r)
    >>> lo < 401.0 - 391.4 < hi
    True
    """
    from nightleaf.stats.ar1 import TMixture, fit, quadratic_form_ar1

    pos = np.array([t for t, _ in group] + [t for t, _ in reference], dtype=np.int64)
    y = np.array([v for _, v in group] + [v for _, v in reference], dtype=float)
    g = np.zeros(pos.size)
    g[: len(group)] = 1.0
    order = np.argsort(pos, kind="stable")
    pos, y, g = pos[order], y[order], g[order]
    if np.any(np.diff(pos) == 0):
        raise ValueError("a night cannot be in both groups, nor twice in one")
    n_g, n_r = g.sum(), g.size - g.sum()
    f = fit(y, np.column_stack([np.ones_like(g), g]), pos)
    c = np.where(g == 1.0, 1.0 / n_g, -1.0 / n_r)
    var = f.s2 * quadratic_form_ar1(c, pos, f.rho)
    diff = float(y[g == 1.0].mean() - y[g == 0.0].mean())
    mix = TMixture(f.weights, np.full(f.rho.size, diff), np.sqrt(var), float(f.df))
    return mix.interval(confidence)


def _comparisons(
    rows: Sequence[NightRow], products: dict[int, str], outcomes: Sequence[str],
    *, detail: bool = True,
) -> list[Comparison]:
    without = [r for r in rows if not r.used]
    used = [r for r in rows if r.intake is not None]
    groups: list[tuple[str, list[NightRow]]] = [("nights with kratom", used)]
    product_ids = sorted({p for r in used if r.intake for p in r.intake.product_ids})
    for pid in product_ids if detail else ():
        label = f"product: {products.get(pid, f'#{pid}')}"
        # nights with this product only, so a mixed night is not counted twice
        groups.append((label, [r for r in used if r.intake and r.intake.product_ids == (pid,)]))
    for band, _, _ in INTERVAL_BANDS if detail else ():
        groups.append(
            (
                f"last intake {band} before trying to sleep",
                [r for r in used
                 if r.intake and _band(r.intake.minutes_last_intake_to_sleep) == band],
            )
        )
    # each night's outcomes looked up once, not once per group
    values = {id(r): {m: _outcome(r, m) for m in outcomes} for r in rows}
    reference = {m: [values[id(r)][m] for r in without] for m in outcomes}
    # each night's day number once (the comparisons place values in time by it)
    day = {id(r): r.night.toordinal() for r in rows}
    reference_nights = [day[id(r)] for r in without]
    out: list[Comparison] = []
    for label, chosen in groups:
        for metric in outcomes:
            out.append(
                compare(
                    metric,
                    [values[id(r)][metric] for r in chosen],
                    reference[metric],
                    group=label,
                    reference=WITHOUT,
                    group_nights=[day[id(r)] for r in chosen],
                    reference_nights=reference_nights,
                )
            )
    return out



def nightly(
    *,
    first_night: date,
    last_night: date,
    profile: Profile,
    entries: Iterable[SleepEntry] = (),
    episodes: Iterable[SleepEpisode] = (),
    intakes: Iterable[Intake] = (),
    pain: Iterable[PainRating] = (),
    symptoms: Iterable[Symptom] = (),
    arms: Mapping[date, str] | None = None,
) -> tuple[Night, ...]:
    """One :class:`Night` for every night ``first_night..last_night`` (inclusive, oldest first).

    Records outside the window are ignored. ``arms`` maps the nights of a self-experiment to
    their arm ("A"/"B").
    """
    def inside(n: date) -> bool:
        return first_night <= n <= last_night

    diary_by_night = {e.night: diary_metrics(e) for e in entries if inside(e.night)}
    tried = {n: m.tried_to_sleep for n, m in diary_by_night.items()
             if m.tried_to_sleep is not None}
    intake_by_night = night_intakes([i for i in intakes if inside(i.night)], tried)
    pain_by_night = night_pain([p for p in pain if inside(p.night)])
    wear_by_night: dict[date, list[NightMetrics]] = {}
    for (_, n), ep in sorted(main_episodes(e for e in episodes if inside(e.night)).items()):
        wear_by_night.setdefault(n, []).append(episode_metrics(ep))
    sym_by_night = night_symptoms(s for s in symptoms if inside(s.night))
    days = (last_night - first_night).days + 1
    # whether a night is a work night depends on its weekday only: 7 look-ups, not one a night
    work = [is_work_night(first_night + timedelta(days=k), profile.work_days) for k in range(7)]
    out = []
    for k in range(days):
        n = first_night + timedelta(days=k)
        out.append(Night(
            night=n,
            work_night=work[k % 7],
            diary=diary_by_night.get(n),
            wearable=tuple(wear_by_night.get(n, ())),
            intake=intake_by_night.get(n),
            pain=pain_by_night.get(n),
            symptoms=sym_by_night.get(n, ()),
            experiment_arm=(arms or {}).get(n),
        ))
    return tuple(out)

def _sri_pooled(asleep: np.ndarray, has_data: np.ndarray, min_days: int) -> SRIResult:
    """:func:`sleep_regularity_index` (pooled rule, 1-min epochs) of the grid that
    :func:`_sleep_mask` describes; the same counts and the same arithmetic, without NaNs."""
    n_days, epochs = asleep.shape
    rule = SRI_RULE_POOLED
    if n_days < 2:
        return SRIResult(None, n_days, 0, 0, rule, "needs at least two whole days")
    pair_rows = has_data[:-1] & has_data[1:]
    days_with_pairs = int(pair_rows.sum())
    n_valid = days_with_pairs * epochs
    if days_with_pairs < min_days or n_valid == 0:
        return SRIResult(None, n_days, days_with_pairs, n_valid, rule,
                         _too_few(min_days, days_with_pairs))
    # agreements = valid pairs - disagreements; XOR of two row-shifted views counts the latter
    # without copying the rows out (10 years: 5 MB per copy)
    differ = np.count_nonzero(asleep[:-1] ^ asleep[1:], axis=1)
    agree = n_valid - int(differ[pair_rows].sum())
    rate = np.int64(agree) / n_valid
    return SRIResult(float(-100.0 + 200.0 * rate), n_days, days_with_pairs, n_valid, rule)


def _too_few(min_days: int, pairs: int) -> str:
    return (f"needs at least {min_days} days of valid pairs (a day with data followed by "
            f"another, 24 h apart) (has {pairs})")




def sparkline(xs: list[int], lines: list[tuple[list[float | None], str, str]],
              lo: float | None = None, hi: float | None = None, width: int = 600,
              height: int = 200) -> dict[str, Any]:
    """Paths for a server-drawn SVG of a chart (shown without JavaScript): each line as SVG
    path data in a ``width`` × ``height`` box, gaps where a value is missing."""
    known = [v for vals, _, _ in lines for v in vals if v is not None]
    if not xs or not known:
        return {"paths": [], "lo": None, "hi": None, "width": width, "height": height}
    lo = min(known) if lo is None else lo
    hi = max(known) if hi is None else hi
    span = (hi - lo) or 1.0
    x0, x1 = xs[0], xs[-1]
    xspan = (x1 - x0) or 1
    paths = []
    for vals, color, label in lines:
        d, pen = [], "M"
        for x, v in zip(xs, vals, strict=True):
            if v is None:
                pen = "M"
                continue
            px = (x - x0) / xspan * (width - 10) + 5
            py = height - 5 - (v - lo) / span * (height - 10)
            d.append(f"{pen}{px:.1f} {py:.1f}")
            pen = "L"
        paths.append({"d": " ".join(d), "color": color, "label": label})
    return {"paths": paths, "lo": round(lo, 1), "hi": round(hi, 1), "width": width,
            "height": height}



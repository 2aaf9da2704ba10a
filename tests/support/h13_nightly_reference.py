"""``diary_metrics`` as it was before its fast path (main at 343663e, before branch h13-nightly),
kept verbatim apart from names: ``tests/stats/test_vectorised_same.py`` checks that the faster
code gives exactly (bit for bit, the same objects) what this gives. Not used by the application.
"""
# ruff: noqa

from __future__ import annotations

from datetime import datetime, timedelta

from nightleaf.model.clock import minutes_between
from nightleaf.model.entities import SleepEntry
from nightleaf.sleep.diary import DIARY, NightMetrics


def _span(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return minutes_between(start, end)


def _check(entry: SleepEntry) -> tuple[list[str], bool, float | None]:
    problems: list[str] = []
    in_order = True
    prev_name = ""
    prev: datetime | None = None
    for name, t in (
        ("into bed", entry.into_bed),
        ("tried to sleep", entry.tried_to_sleep),
        ("final awakening", entry.final_awakening),
        ("out of bed", entry.out_of_bed),
    ):
        if t is None:
            continue
        if prev is not None and t < prev:
            problems.append(f"{name} is before {prev_name}")
            in_order = False
        prev_name, prev = name, t
    for name, value in (
        ("SOL", entry.sol_minutes),
        ("WASO", entry.waso_minutes),
        ("early awakening", entry.woke_early_minutes),
        ("nap minutes", entry.nap_minutes),
    ):
        if value is not None and value < 0:
            problems.append(f"{name} is negative")
    if entry.awakenings is not None and entry.awakenings < 0:
        problems.append("number of awakenings is negative")
    window = _span(entry.tried_to_sleep, entry.final_awakening)
    used = (entry.sol_minutes or 0) + (entry.waso_minutes or 0)
    if window is not None and window >= 0 and used > window:
        problems.append("SOL + WASO are longer than the time from trying to sleep to waking")
    if entry.quality is not None and not 1 <= entry.quality <= 5:
        problems.append("quality must be 1-5")
    return problems, in_order, window


def entry_problems(entry: SleepEntry) -> list[str]:
    return _check(entry)[0]


def diary_metrics(entry: SleepEntry) -> NightMetrics:
    problems, order_ok, window = _check(entry)
    overrun = (window is not None and window >= 0
               and (entry.sol_minutes or 0) + (entry.waso_minutes or 0) > window)
    sol = entry.sol_minutes if entry.sol_minutes is None or entry.sol_minutes >= 0 else None
    waso = entry.waso_minutes if entry.waso_minutes is None or entry.waso_minutes >= 0 else None
    nwak = entry.awakenings if entry.awakenings is None or entry.awakenings >= 0 else None
    if waso is None and nwak == 0 and entry.waso_minutes is None:
        waso = 0.0  # NWAK = 0 means no awakenings to add up (CSD item 5)
    if overrun:
        sol = waso = None
    ema = entry.woke_early_minutes
    if ema is not None and ema < 0:
        ema = None

    tib = _span(entry.into_bed, entry.out_of_bed) if order_ok else None
    twak = _span(entry.final_awakening, entry.out_of_bed) if order_ok else None
    if not order_ok:
        window = None

    tst: float | None = None
    if window is not None and sol is not None and waso is not None:
        tst = window - sol - waso
        if tst < 0:
            tst = None
    twt = None
    if sol is not None and waso is not None and twak is not None:
        twt = sol + waso + twak
    se = None
    if tst is not None and tib is not None and tib > 0:
        se = 100.0 * tst / tib

    onset = None
    if entry.tried_to_sleep is not None and sol is not None:
        onset = entry.tried_to_sleep + timedelta(minutes=sol)
    offset = entry.final_awakening
    if onset is not None and offset is not None and offset < onset:
        onset = offset = None

    quality = entry.quality if entry.quality is not None and 1 <= entry.quality <= 5 else None
    nap = entry.nap_minutes if entry.nap_minutes is None or entry.nap_minutes >= 0 else None
    return NightMetrics(
        night=entry.night,
        source=DIARY,
        tib_minutes=tib,
        sol_minutes=sol,
        nwak=nwak,
        waso_minutes=waso,
        twak_minutes=twak,
        ema_minutes=ema,
        twt_minutes=twt,
        tst_minutes=tst,
        se_percent=se,
        quality=quality,
        nap_minutes=nap,
        tried_to_sleep=entry.tried_to_sleep,
        onset=onset,
        offset=offset,
        problems=tuple(problems),
    )


# --- stats/intake.py and pain/nrs.py: the window's weekly figures and streaks ---------------

from datetime import date
from statistics import fmean

from nightleaf.pain.nrs import NightPain, WeekPain


def use_streaks(nights_with_use: set[date], first_night: date, last_night: date) -> tuple[int, int]:
    longest = run = 0
    n = first_night
    while n <= last_night:
        run = run + 1 if n in nights_with_use else 0
        longest = max(longest, run)
        n += timedelta(days=1)
    return run, longest


def nights_per_week(
    nights_with_use: set[date], first_night: date, last_night: date
) -> list[tuple[date, int, int]]:
    out: list[tuple[date, int, int]] = []
    start = first_night
    while start <= last_night:
        end = min(start + timedelta(days=6), last_night)
        used = sum(1 for k in range((end - start).days + 1)
                   if start + timedelta(days=k) in nights_with_use)
        out.append((start, used, (end - start).days + 1))
        start = end + timedelta(days=1)
    return out


def _mean(values: list[float]) -> float | None:
    return fmean(values) if values else None


def weekly_pain(
    nights: dict[date, NightPain], first_night: date, last_night: date
) -> list[WeekPain]:
    weeks: list[WeekPain] = []
    start = first_night
    while start <= last_night:
        end = min(start + timedelta(days=6), last_night)
        ps = [nights[n] for k in range((end - start).days + 1)
              if (n := start + timedelta(days=k)) in nights]
        ev = [float(p.evening_nrs) for p in ps if p.evening_nrs is not None]
        mo = [float(p.morning_nrs) for p in ps if p.morning_nrs is not None]
        ch = [float(p.overnight_change) for p in ps if p.overnight_change is not None]
        pg = [p.peg for p in ps if p.peg is not None]
        weeks.append(
            WeekPain(start, end, len(ev), len(mo), _mean(ev), _mean(mo), _mean(ch), len(ch),
                     _mean(pg), len(pg))
        )
        start = end + timedelta(days=1)
    return weeks

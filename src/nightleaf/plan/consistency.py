"""Consistency feedback: how far actual bedtimes and wake times drift from the person's target.

For each night in the window with a diary entry, the **offset** is the local wall-clock time
minus the target, wrapped to ±12 h (so 00:10 against a 23:30 target is +40 min, not −23 h 20).
Bedtime is the sleep attempt (Consensus Sleep Diary item 2, "tried to sleep"), or the time into
bed when that item is missing; wake is the final awakening (item 6).

* ``mean_offset_minutes``: the average signed offset (+ later than the target) — the drift.
* ``mean_abs_offset_minutes``: how far from the target a typical night is, either way.
* ``sd_minutes``: sample standard deviation (n − 1) of the offsets, i.e. of the clock times
  anchored at the target. The SD of sleep timing is one of the regularity measures compared by
  Fischer et al. 2021 (SLEEP zsab103); no cut-off is applied here.

>>> from datetime import time
>>> _wrap(time(0, 10), time(23, 30))
40.0
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from nightleaf.model import clock
from nightleaf.model.entities import SleepEntry

WINDOW_NIGHTS = 14
METHOD = "simple: mean and SD (n-1) of offsets from your target, local clock time"
BEDTIME_BASIS = "tried to sleep (diary item 2); into bed when missing"
WAKE_BASIS = "final awakening (diary item 6)"


@dataclass(frozen=True)
class TimingDrift:
    what: str  # "bedtime" or "wake"
    target: time | None
    basis: str
    nights: int
    mean_offset_minutes: float | None
    mean_abs_offset_minutes: float | None
    sd_minutes: float | None
    offsets: tuple[tuple[date, float], ...] = ()


@dataclass
class Consistency:
    first: date
    last: date
    method: str
    bedtime: TimingDrift
    wake: TimingDrift
    #: tonight: the logged intake's time minus the planned intake time (None before an intake)
    tonight_intake_offset_minutes: float | None = None
    #: extra regularity figures from the sleep metrics module, when it is installed
    regularity: dict[str, object] = field(default_factory=dict)


def _wrap(actual: time, target: time) -> float:
    a = actual.hour * 60 + actual.minute + actual.second / 60
    t = target.hour * 60 + target.minute
    d = (a - t) % 1440
    return d - 1440 if d >= 720 else d


def _drift(what: str, target: time | None, basis: str,
           points: list[tuple[date, datetime]], tz: str) -> TimingDrift:
    if target is None:
        return TimingDrift(what, None, basis, len(points), None, None, None)
    offs = tuple((n, round(_wrap(clock.local_datetime(at, tz).time(), target), 1))
                 for n, at in points)
    vals = [o for _, o in offs]
    return TimingDrift(
        what, target, basis, len(vals),
        round(statistics.fmean(vals), 1) if vals else None,
        round(statistics.fmean(abs(v) for v in vals), 1) if vals else None,
        round(statistics.stdev(vals), 1) if len(vals) >= 2 else None,
        offs)


def consistency(entries: Iterable[SleepEntry], *, target_bedtime: time, target_wake: time | None,
                first: date, last: date, tz: str, planned_intake: datetime | None = None,
                logged_intake: datetime | None = None) -> Consistency:
    """Drift of the diary's bedtimes and wake times in [first, last] from the targets."""
    beds: list[tuple[date, datetime]] = []
    wakes: list[tuple[date, datetime]] = []
    for e in sorted(entries, key=lambda e: e.night):
        if not first <= e.night <= last:
            continue
        bed = e.tried_to_sleep or e.into_bed
        if bed is not None:
            beds.append((e.night, bed))
        if e.final_awakening is not None:
            wakes.append((e.night, e.final_awakening))
    tonight = None
    if planned_intake is not None and logged_intake is not None:
        tonight = round(clock.minutes_between(planned_intake, logged_intake), 1)
    return Consistency(first=first, last=last, method=METHOD,
                       bedtime=_drift("bedtime", target_bedtime, BEDTIME_BASIS, beds, tz),
                       wake=_drift("wake", target_wake, WAKE_BASIS, wakes, tz),
                       tonight_intake_offset_minutes=tonight)

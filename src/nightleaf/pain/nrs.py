"""Numeric rating scale (NRS 0-10) per night and weekly means.

NRS: "Rate your pain from 0 (no pain) to 10 (worst imaginable)" (LOINC 72514-3). Per night:

- evening NRS = the last rating with context ``evening`` in that night (closest to bedtime)
- morning NRS = the last rating with context ``morning`` in that night (the night a morning
  rating belongs to is the evening before, see :func:`nightleaf.model.clock.night_of`); saving
  the morning again corrects it, so the latest rating is the answer (one rule for every view,
  see :mod:`nightleaf.stats.nightly`)
- overnight change = morning - evening (negative: less pain in the morning)
- PEG (see :mod:`nightleaf.pain.peg`) from the last rating of the night carrying all 3 items

Weekly means are over consecutive 7-night blocks counted from the window's first night; each
mean uses only the nights where that value is known, and ``n`` says how many.

>>> from datetime import UTC, date, datetime
>>> from nightleaf.model.entities import PainRating
>>> n = date(2026, 3, 1)
>>> rs = [PainRating(datetime(2026, 3, 1, 21, tzinfo=UTC), "UTC", n, 6, "evening"),
...       PainRating(datetime(2026, 3, 2, 7, tzinfo=UTC), "UTC", n, 4, "morning")]
>>> p = night_pain(rs)[n]
>>> (p.evening_nrs, p.morning_nrs, p.overnight_change)
(6, 4, -2)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from operator import attrgetter
from statistics import fmean
from typing import Any

from nightleaf.errors import InputError
from nightleaf.model.entities import PainRating
from nightleaf.pain.peg import peg_score


@dataclass(frozen=True)
class NightPain:
    night: date
    evening_nrs: int | None = None
    morning_nrs: int | None = None
    overnight_change: int | None = None  # morning - evening
    peg: float | None = None


@dataclass(frozen=True)
class WeekPain:
    first_night: date
    last_night: date
    nights_evening: int
    nights_morning: int
    mean_evening_nrs: float | None
    mean_morning_nrs: float | None
    mean_overnight_change: float | None
    nights_change: int
    mean_peg: float | None
    peg_count: int


def night_pain(ratings: Iterable[PainRating]) -> dict[date, NightPain]:
    """Evening/morning NRS, overnight change and PEG for every night that has a rating."""
    # One pass in input order: per night, the latest evening rating, the latest morning rating
    # and the latest rating with all three PEG items (at equal instants the later one in the
    # input, as a stable sort by time and a walk to the end would keep). An NRS out of range is
    # refused where it is met, as before; a PEG item out of range sends the whole input to
    # _night_pain_sorted, which refuses it with the message it always gave.
    if not isinstance(ratings, list | tuple):
        ratings = list(ratings)  # read twice when a PEG item is refused
    acc: dict[date, list[Any]] = {}
    peg_refused = False
    for r in ratings:
        nrs, at = r.nrs, r.at
        if not 0 <= nrs <= 10:
            raise InputError(f"NRS must be between 0 and 10 (got {nrs})")
        a = acc.get(r.night)
        if a is None:
            # [evening at, evening NRS, morning at, morning NRS, PEG at, PEG]
            a = acc[r.night] = [None, None, None, None, None, None]
        context = r.context
        if context == "evening":
            if a[0] is None or at >= a[0]:
                a[0], a[1] = at, nrs
        elif context == "morning" and (a[2] is None or at >= a[2]):
            a[2], a[3] = at, nrs
        pp, pe, pa = r.peg_pain, r.peg_enjoyment, r.peg_activity
        if pp is not None and pe is not None and pa is not None:
            if not (0 <= pp <= 10 and 0 <= pe <= 10 and 0 <= pa <= 10):
                peg_refused = True
            elif a[4] is None or at >= a[4]:
                a[4], a[5] = at, (pp, pe, pa)
    if peg_refused:
        return _night_pain_sorted(ratings)
    out: dict[date, NightPain] = {}
    for night, (_, ev, _, mo, _, peg) in acc.items():
        # NightPain(...) without the frozen dataclass's object.__setattr__ per field
        row = out[night] = _new(NightPain)
        row.__dict__.update({
            "night": night, "evening_nrs": ev, "morning_nrs": mo,
            "overnight_change": mo - ev if ev is not None and mo is not None else None,
            "peg": None if peg is None else peg_score(*peg),
        })
    return out


_new = object.__new__
assert tuple(f.name for f in fields(NightPain)) == (
    "night", "evening_nrs", "morning_nrs", "overnight_change", "peg")
assert not hasattr(NightPain, "__post_init__")


def _night_pain_sorted(ratings: Iterable[PainRating]) -> dict[date, NightPain]:
    """:func:`night_pain` by sorting each night's ratings by time: the rule it follows, and
    the order in which it refuses a PEG item out of range."""
    by_night: dict[date, list[PainRating]] = {}
    for r in ratings:
        if not 0 <= r.nrs <= 10:
            raise InputError(f"NRS must be between 0 and 10 (got {r.nrs})")
        by_night.setdefault(r.night, []).append(r)
    out: dict[date, NightPain] = {}
    for night, rs in by_night.items():
        if len(rs) > 1:
            rs = sorted(rs, key=_at)
        # one pass in time order: the last rating of each context and the last known PEG win
        ev: int | None = None
        mo: int | None = None
        peg: float | None = None
        for r in rs:
            if r.context == "evening":
                ev = r.nrs
            elif r.context == "morning":
                mo = r.nrs  # the last rating wins (stats.nightly)
            p = peg_score(r.peg_pain, r.peg_enjoyment, r.peg_activity)
            if p is not None:
                peg = p
        out[night] = NightPain(
            night=night,
            evening_nrs=ev,
            morning_nrs=mo,
            overnight_change=mo - ev if ev is not None and mo is not None else None,
            peg=peg,
        )
    return out


_at = attrgetter("at")


def _mean(values: list[float]) -> float | None:
    return fmean(values) if values else None


def weekly_pain(
    nights: dict[date, NightPain], first_night: date, last_night: date
) -> list[WeekPain]:
    """Means per 7-night block from ``first_night`` (the last block may be shorter)."""
    lo, hi = first_night.toordinal(), last_night.toordinal()
    if hi < lo:
        return []
    # each night's figures put in its block once, in the nights' order (what walking each
    # block's nights in turn gives)
    blocks: list[list[NightPain]] = [[] for _ in range((hi - lo) // 7 + 1)]
    for o, p in sorted((n.toordinal(), p) for n, p in nights.items()
                       if lo <= n.toordinal() <= hi):
        blocks[(o - lo) // 7].append(p)
    weeks: list[WeekPain] = []
    for start, ps in zip(range(lo, hi + 1, 7), blocks, strict=True):
        ev = [float(p.evening_nrs) for p in ps if p.evening_nrs is not None]
        mo = [float(p.morning_nrs) for p in ps if p.morning_nrs is not None]
        ch = [float(p.overnight_change) for p in ps if p.overnight_change is not None]
        pg = [p.peg for p in ps if p.peg is not None]
        weeks.append(
            WeekPain(date.fromordinal(start), date.fromordinal(min(start + 6, hi)), len(ev),
                     len(mo), _mean(ev), _mean(mo), _mean(ch), len(ch), _mean(pg), len(pg))
        )
    return weeks

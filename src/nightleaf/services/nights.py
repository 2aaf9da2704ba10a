"""Listing nights: what was taken, how the night went, pain in the evening and the morning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nightleaf.errors import InputError
from nightleaf.model import clock
from nightleaf.model.entities import Intake, PainRating, SleepEntry
from nightleaf.services import summary
from nightleaf.services.context import Context
from nightleaf.services.parse import resolve_night
from nightleaf.sleep import diary_metrics
from nightleaf.sleep.diary import NightMetrics

MAX_RANGE_DAYS = 366 * 20


@dataclass
class NightRow:
    night: date
    intakes: int
    grams: float | None  # None when some intake's material is unknown (e.g. capsules w/o size)
    mitragynine_mg: float | None
    last_intake: str | None  # local HH:MM
    tried_to_sleep: str | None
    final_awakening: str | None
    quality: int | None
    tst_minutes: float | None  # from the diary (Consensus Sleep Diary), unknown when items are missing
    se_percent: float | None
    pain_evening: int | None
    pain_morning: int | None
    wearable_episodes: int


def _hhmm(instant: object, tz: str) -> str | None:
    if instant is None:
        return None
    return f"{clock.local_datetime(instant, tz):%H:%M}"  # type: ignore[arg-type]


def night_range(ctx: Context, first: str | None, last: str | None,
                days: int | None = None) -> tuple[date, date]:
    tz = ctx.profile().tz
    end = resolve_night(ctx, last, tz)
    if first:
        start = resolve_night(ctx, first, tz)
    else:
        start = end - timedelta(days=(days or 14) - 1)
    if start > end:
        raise InputError(f"the range starts ({start}) after it ends ({end})", field="from",
                         code="order")
    if (end - start).days > MAX_RANGE_DAYS:
        raise InputError("the range is longer than 20 years", field="from", code="range")
    return start, end


def list_nights(ctx: Context, first: date, last: date, *, include_empty: bool = False
                ) -> list[NightRow]:
    tz = ctx.profile().tz
    with ctx.tx() as repo:
        intakes = repo.intakes(first=first, last=last)
        sleep = {s.night: s for s in repo.all(SleepEntry, first=first, last=last)}
        pain = repo.all(PainRating, first=first, last=last)
        episodes = repo.episodes(first=first, last=last, with_stages=False)
    by_night: dict[date, list[Intake]] = {}
    for i in intakes:
        by_night.setdefault(i.night, []).append(i)
    ep_count: dict[date, int] = {}
    for ep in episodes:
        ep_count[ep.night] = ep_count.get(ep.night, 0) + 1
    pain_by: dict[tuple[date, str], int] = {}
    for p in pain:  # the last rating of each context wins
        pain_by[(p.night, p.context)] = p.nrs
    nights = set(by_night) | set(sleep) | {n for n, _ in pain_by} | set(ep_count)
    if include_empty:
        nights |= {first + timedelta(days=k) for k in range((last - first).days + 1)}
    rows = []
    for n in sorted(nights, reverse=True):
        its = by_night.get(n, [])
        grams = [i.grams for i in its]
        mg = [i.mitragynine_mg for i in its]
        s = sleep.get(n)
        m = diary_metrics(s) if s else None
        rows.append(NightRow(
            night=n, intakes=len(its),
            grams=round(sum(g for g in grams if g is not None), 3) if its and None not in grams
            else (0.0 if not its else None),
            mitragynine_mg=round(sum(m for m in mg if m is not None), 1) if its and None not in mg
            else None,
            last_intake=_hhmm(its[-1].at, tz) if its else None,
            tried_to_sleep=_hhmm(s.tried_to_sleep, tz) if s else None,
            final_awakening=_hhmm(s.final_awakening, tz) if s else None,
            quality=s.quality if s else None,
            tst_minutes=m.tst_minutes if m else None, se_percent=m.se_percent if m else None,
            pain_evening=pain_by.get((n, "evening")), pain_morning=pain_by.get((n, "morning")),
            wearable_episodes=ep_count.get(n, 0),
        ))
    return rows


def night_metrics(ctx: Context, night: date) -> NightMetrics | None:
    """The diary metrics of ``night`` (TST, SE, SOL, ...) as the summary computes them, or None
    when the night has no diary entry."""
    s = summary.summarise(ctx, days=1, last=night.isoformat())
    return s.nights[0].diary if s.nights else None

"""Listing nights: what was taken, how the night went, pain in the evening and the morning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from nightleaf.errors import InputError
from nightleaf.model import clock
from nightleaf.services import summary
from nightleaf.services.context import Context
from nightleaf.services.experiments import experiment_arms
from nightleaf.services.parse import resolve_night
from nightleaf.sleep.diary import NightMetrics
from nightleaf.stats.nightly import Night, NightSymptom, nightly

MAX_RANGE_DAYS = 366 * 20


@dataclass
class WearableNight:
    """One wearable source's main episode of the night (never mixed into the diary)."""

    source: str
    tib_minutes: float | None
    tst_minutes: float | None
    sol_minutes: float | None
    waso_minutes: float | None
    se_percent: float | None
    nwak: int | None
    twak_minutes: float | None
    onset: str | None  # local HH:MM
    offset: str | None  # local HH:MM
    stage_minutes: dict[str, float]
    problems: list[str]


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
    wearable_episodes: int  # sources with a main episode this night (len(wearable))
    wearable: list[WearableNight]
    symptoms: list[NightSymptom]
    experiment_arm: str | None


def _hhmm(instant: object, tz: str) -> str | None:
    """``f"{clock.local_datetime(instant, tz):%H:%M}"`` with the zone looked up once per name
    (a 10-year ``/api/nights`` formats about 9,000 instants)."""
    if instant is None:
        return None
    local = clock.ensure_utc(instant).astimezone(_zone(tz))  # type: ignore[arg-type]
    return f"{local.hour:02d}:{local.minute:02d}"


_zone = lru_cache(maxsize=32)(clock.zone)


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


def _rnd(v: float | None, digits: int) -> float | None:
    return None if v is None else round(v, digits)


def _wearable(m: NightMetrics, tz: str) -> WearableNight:
    return WearableNight(
        source=m.source, tib_minutes=_rnd(m.tib_minutes, 1), tst_minutes=_rnd(m.tst_minutes, 1),
        sol_minutes=_rnd(m.sol_minutes, 1), waso_minutes=_rnd(m.waso_minutes, 1),
        se_percent=_rnd(m.se_percent, 1), nwak=m.nwak, twak_minutes=_rnd(m.twak_minutes, 1),
        onset=_hhmm(m.onset, tz), offset=_hhmm(m.offset, tz),
        stage_minutes={k: round(v, 1) for k, v in sorted(m.stage_minutes.items())},
        problems=list(m.problems))


def night_row(n: Night, tz: str) -> NightRow:
    """The ``nights`` view of one night's figures (:func:`nightleaf.stats.nightly.nightly`):
    rounding and local clock times only."""
    i, d, p = n.intake, n.diary, n.pain
    return NightRow(
        night=n.night, intakes=i.count if i else 0,
        grams=(_rnd(i.total_grams, 3) if i else 0.0),
        mitragynine_mg=_rnd(i.mitragynine_mg, 1) if i else None,
        last_intake=_hhmm(i.last_intake_at, tz) if i else None,
        tried_to_sleep=_hhmm(d.tried_to_sleep, tz) if d else None,
        final_awakening=_hhmm(d.offset, tz) if d else None,
        quality=d.quality if d else None,
        tst_minutes=d.tst_minutes if d else None, se_percent=d.se_percent if d else None,
        pain_evening=p.evening_nrs if p else None, pain_morning=p.morning_nrs if p else None,
        wearable_episodes=len(n.wearable), wearable=[_wearable(m, tz) for m in n.wearable],
        symptoms=list(n.symptoms), experiment_arm=n.experiment_arm,
    )


def nightly_window(ctx: Context, first: date, last: date) -> tuple[Night, ...]:
    """Every night ``first..last`` with its figures, from one bulk read of the store."""
    with ctx.tx() as repo:
        arms = experiment_arms(repo, first, last)
    return nightly(first_night=first, last_night=last, profile=ctx.profile(), arms=arms,
                   **summary.window_records(ctx, first, last))


def list_nights(ctx: Context, first: date, last: date, *, include_empty: bool = False
                ) -> list[NightRow]:
    """Nights ``first..last``, newest first; nights with nothing recorded are left out unless
    ``include_empty``."""
    tz = ctx.profile().tz
    return [night_row(n, tz) for n in reversed(nightly_window(ctx, first, last))
            if include_empty or n.recorded]


def night_metrics(ctx: Context, night: date) -> NightMetrics | None:
    """The diary metrics of ``night`` (TST, SE, SOL, ...) as the summary computes them, or None
    when the night has no diary entry."""
    s = summary.summarise(ctx, days=1, last=night.isoformat())
    return s.nights[0].diary if s.nights else None

"""Builders for sleep tests: wall-clock times within a night, in a named zone."""

from __future__ import annotations

from datetime import date, datetime

from nightleaf.model.clock import night_time, parse_wall_time
from nightleaf.model.entities import SleepEntry

NY = "America/New_York"


def at(night: date, hhmm: str | None, tz: str = NY) -> datetime | None:
    """``hhmm`` within ``night``: from noon that evening, before noon the next morning."""
    if hhmm is None:
        return None
    return night_time(night, parse_wall_time(hhmm), tz)


def entry(
    night: date,
    into: str | None,
    tried: str | None,
    sol: float | None,
    nwak: int | None,
    waso: float | None,
    final: str | None,
    out: str | None,
    *,
    tz: str = NY,
    **extra: object,
) -> SleepEntry:
    return SleepEntry(
        night=night,
        tz=tz,
        into_bed=at(night, into, tz),
        tried_to_sleep=at(night, tried, tz),
        sol_minutes=sol,
        awakenings=nwak,
        waso_minutes=waso,
        final_awakening=at(night, final, tz),
        out_of_bed=at(night, out, tz),
        **extra,  # type: ignore[arg-type]
    )

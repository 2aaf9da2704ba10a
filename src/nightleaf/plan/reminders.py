"""Daily reminders from the person's settings: routine start, intake time, lights-out, morning.

Each reminder is a daily recurrence at a *local wall-clock* time in the person's zone, so it stays
at 22:00 on the clock across daylight-saving changes. Wall times come from clock arithmetic on the
settings (intake = bedtime − lead; routine start = bedtime − the largest ``minutes_before_bed``).
Keys are stable, so a regenerated calendar carries the same UIDs and a calendar app updates the
events instead of duplicating them. Rendering to RFC 5545 lives in :mod:`nightleaf.io.ics`.

>>> from datetime import date, time
>>> from nightleaf.model.entities import Profile
>>> rs = reminders(Profile(tz="Europe/Berlin", target_bedtime=time(23), lead_minutes=60,
...                        target_wake=time(7)), [], date(2026, 11, 24))
>>> [(r.key, f"{r.start:%d %H:%M}") for r in rs]
[('intake', '24 22:00'), ('lights-out', '24 23:00'), ('morning-checkin', '25 07:00')]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from nightleaf.model.clock import NIGHT_CUTOFF
from nightleaf.model.entities import Profile, RoutineItem


@dataclass(frozen=True)
class Reminder:
    key: str  # stable: routine-start, intake, lights-out, morning-checkin
    summary: str
    description: str
    start: datetime  # naive local wall-clock time of the first occurrence (zone: ``tz``)
    tz: str
    duration_minutes: int = 5
    repeat: bool = True  # daily; False for a one-off (a self-experiment's night)


def _on_night(night: date, wall: time) -> datetime:
    day = night if wall >= NIGHT_CUTOFF else night + timedelta(days=1)
    return datetime.combine(day, wall)


def reminders(profile: Profile, items: list[RoutineItem], night: date) -> list[Reminder]:
    """The reminders, first occurring on ``night``, sorted by time."""
    tz = profile.tz
    bed = _on_night(night, profile.target_bedtime)
    out: list[Reminder] = []
    timed = [i for i in items if i.active and i.minutes_before_bed is not None]
    if timed:
        first = max(timed, key=lambda i: i.minutes_before_bed or 0)
        out.append(Reminder(
            "routine-start", "Pre-sleep routine starts",
            f"Your routine starts with: {first.text} ({first.minutes_before_bed} min before your "
            f"bedtime of {profile.target_bedtime:%H:%M}). Times are your own settings.",
            bed - timedelta(minutes=first.minutes_before_bed or 0), tz))
    out.append(Reminder(
        "intake", "Planned intake time (your setting)",
        f"{profile.lead_minutes} min before your {profile.target_bedtime:%H:%M} bedtime, as you set "
        "it. This is your own timing, not a recommendation; nightleaf never suggests an amount.",
        bed - timedelta(minutes=profile.lead_minutes), tz))
    out.append(Reminder("lights-out", "Lights out",
                        f"Your target bedtime, {profile.target_bedtime:%H:%M}.", bed, tz))
    if profile.target_wake is not None:
        wake = _on_night(night, profile.target_wake)
        if wake > bed:
            out.append(Reminder(
                "morning-checkin", "Morning check-in",
                "How did you sleep? Run `nightleaf morning` to fill in the sleep diary, morning "
                "pain, side effects and withdrawal signs.", wake, tz))
    return sorted(out, key=lambda r: r.start)

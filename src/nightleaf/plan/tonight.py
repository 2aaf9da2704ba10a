"""Tonight's plan: target bedtime, the intake time implied by the lead time, routine, morning.

All times derive from the person's settings (``Profile``): nightleaf suggests none of them.

* **bedtime** (= lights-out) is the target bedtime on the evening of ``night``, or after midnight
  when the target is before noon (``00:30`` is the next morning), as :func:`clock.night_time`.
* **intake time** = bedtime − lead minutes, in elapsed time (a clock change in between does not
  stretch or shrink the lead).
* **routine start** = bedtime − the largest ``minutes_before_bed`` of the active routine items
  that have one; items without a time are listed as "this evening".
* **morning check-in** = the target wake time the next morning (none when it is not set).

A wall time that the clocks skip (e.g. 02:30 on a spring-forward night) is moved forward by the
size of the gap, with a note; a repeated wall time (fall-back) means its first occurrence.

>>> from datetime import date, time
>>> from nightleaf.model.entities import Profile
>>> p = Profile(tz="Europe/Berlin", target_bedtime=time(23, 0), lead_minutes=60)
>>> plan = build_plan(p, [], date(2026, 11, 24))
>>> f"{plan.intake_at:%H:%M} -> {plan.bedtime:%H:%M}"
'22:00 -> 23:00'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from nightleaf.errors import InputError
from nightleaf.model import clock
from nightleaf.model.entities import Profile, RoutineItem


@dataclass(frozen=True)
class RoutineStep:
    item_id: int | None
    text: str
    minutes_before_bed: int | None
    at: datetime | None  # local, aware; None for items without a time ("this evening")
    done: bool = False


@dataclass
class TonightPlan:
    night: date
    tz: str
    bedtime: datetime  # local, aware (target lights-out)
    lead_minutes: int
    intake_at: datetime  # local, aware
    routine_start: datetime | None
    morning_checkin: datetime | None
    routine: list[RoutineStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def wall_instant(night: date, wall: time, tz: str) -> tuple[datetime, str | None]:
    """The local aware instant of ``wall`` within ``night`` and a note when the clocks skip it.

    >>> from datetime import date, time
    >>> at, note = wall_instant(date(2026, 3, 7), time(2, 30), "America/New_York")
    >>> f"{at:%H:%M %Z}", note is not None
    ('03:30 EDT', True)
    """
    z = clock.zone(tz)
    try:
        return clock.night_time(night, wall, tz).astimezone(z), None
    except InputError:
        day = night if wall >= clock.NIGHT_CUTOFF else night + timedelta(days=1)
        shifted = datetime.combine(day, wall, tzinfo=z).astimezone(UTC).astimezone(z)
        return shifted, (f"{wall:%H:%M} does not exist on {day} in {tz} (the clocks skip it); "
                         f"planned for {shifted:%H:%M} instead")


def _before(instant: datetime, minutes: int, z: ZoneInfo) -> datetime:
    """``minutes`` of elapsed time before ``instant`` (Python's aware arithmetic within one zone
    is wall-clock arithmetic, so go through UTC)."""
    return (instant.astimezone(UTC) - timedelta(minutes=minutes)).astimezone(z)


def _offset_note(start: datetime, end: datetime, tz: str) -> str | None:
    a, b = start.utcoffset(), end.utcoffset()
    if a is None or b is None or a == b:
        return None
    direction = "forward" if b > a else "back"
    hours = abs((b - a).total_seconds()) / 3600
    return (f"The clocks in {tz} go {direction} by {hours:g} h tonight; every time here is as your "
            "clock will show it.")


def build_plan(profile: Profile, items: list[RoutineItem], night: date,
               done_item_ids: set[int] | frozenset[int] = frozenset()) -> TonightPlan:
    """The plan for ``night`` from the person's settings and active routine items."""
    tz = profile.tz
    z = clock.zone(tz)
    notes: list[str] = []
    bedtime, note = wall_instant(night, profile.target_bedtime, tz)
    if note:
        notes.append("Bedtime: " + note)
    intake_at = _before(bedtime, profile.lead_minutes, z)
    steps: list[RoutineStep] = []
    for it in sorted((i for i in items if i.active), key=lambda i: i.position):
        at = None
        if it.minutes_before_bed is not None:
            at = _before(bedtime, it.minutes_before_bed, z)
        steps.append(RoutineStep(it.id, it.text, it.minutes_before_bed, at,
                                 done=it.id is not None and it.id in done_item_ids))
    timed = [s.at for s in steps if s.at is not None]
    routine_start = min(timed) if timed else None
    morning = None
    if profile.target_wake is not None:
        morning, note = wall_instant(night, profile.target_wake, tz)
        # a wake time after noon cannot be the next morning
        if morning.astimezone(UTC) <= bedtime.astimezone(UTC):
            morning = None
            notes.append("Your target wake time is after noon, so there is no morning check-in "
                         "time; set it with `nightleaf profile set --wake HH:MM`.")
        elif note:
            notes.append("Morning check-in: " + note)
    first = min([intake_at, *(timed or [bedtime])])
    last = morning or bedtime + timedelta(hours=8)
    dst = _offset_note(first, last, tz)
    if dst:
        notes.append(dst)
    return TonightPlan(night=night, tz=tz, bedtime=bedtime, lead_minutes=profile.lead_minutes,
                       intake_at=intake_at, routine_start=routine_start, morning_checkin=morning,
                       routine=steps, notes=notes)

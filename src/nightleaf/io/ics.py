"""Reminders as an RFC 5545 calendar (icalendar library): daily events with a VALARM each.

Every event starts at a wall-clock time with ``TZID`` set to the person's IANA zone, recurs with
``RRULE:FREQ=DAILY`` and carries a display alarm at its start. The calendar includes the matching
``VTIMEZONE`` (``Calendar.add_missing_timezones``). UIDs are derived from the reminder's key and
the person, so regenerating the file keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from nightleaf import __version__
from nightleaf.model import clock
from nightleaf.plan.reminders import Reminder

PRODID = f"-//nightleaf//reminders {__version__}//EN"
UID_DOMAIN = "nightleaf.local"


def uid_for(key: str, person_id: int = 1) -> str:
    return f"nightleaf-p{person_id}-{key}@{UID_DOMAIN}"


def calendar(reminders: Sequence[Reminder], *, stamp: datetime, person_id: int = 1) -> Calendar:
    cal = Calendar.new(prodid=PRODID, name="nightleaf reminders",
                       uid=uid_for("calendar", person_id))
    if reminders:
        cal.add("X-WR-TIMEZONE", reminders[0].tz)
    first = None
    for r in reminders:
        z = clock.zone(r.tz)
        start = r.start.replace(tzinfo=z)
        first = start.date() if first is None else min(first, start.date())
        ev = Event.new(uid=uid_for(r.key, person_id), summary=r.summary, description=r.description,
                       start=start, end=start + timedelta(minutes=r.duration_minutes),
                       stamp=clock.ensure_utc(stamp), sequence=0)
        if r.repeat:
            ev.add("RRULE", vRecur(freq="DAILY"))
        ev.add("TRANSP", "TRANSPARENT")
        alarm = Alarm.new(description=r.summary)
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", timedelta(0))
        ev.add_component(alarm)
        cal.add_component(ev)
    if first is not None:
        cal.add_missing_timezones(first_date=first - timedelta(days=1),
                                  last_date=first + timedelta(days=366 * 10))
    return cal


def calendar_bytes(cal: Calendar) -> bytes:
    """The calendar as an .ics file's bytes (RFC 5545)."""
    return bytes(cal.to_ical())

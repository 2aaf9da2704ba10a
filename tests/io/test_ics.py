"""Reminders as .ics: parsed back by icalendar and by recurring-ical-events (independent)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from nightleaf.io.ics import calendar, uid_for
from nightleaf.model.entities import Profile, RoutineItem
from nightleaf.plan import reminders

ITEMS = [RoutineItem("Screens off", 1, minutes_before_bed=30, id=1),
         RoutineItem("Dim the lights", 2, minutes_before_bed=60, id=2)]
STAMP = datetime(2026, 10, 20, 12, tzinfo=UTC)


def _ics(tz: str, night: date, bed: time = time(23), lead: int = 60,
         stamp: datetime = STAMP) -> bytes:
    p = Profile(tz=tz, target_bedtime=bed, lead_minutes=lead, target_wake=time(7))
    return calendar(reminders(p, ITEMS, night), stamp=stamp).to_ical()


def test_the_calendar_parses_back_with_a_vtimezone_and_an_alarm_per_event() -> None:
    cal = icalendar.Calendar.from_ical(_ics("Europe/Berlin", date(2026, 10, 20)))
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = cal.walk("VEVENT")
    got = {str(e["UID"]): (e.start.strftime("%H:%M"), str(e.start.tzinfo)) for e in events}
    assert got == {
        uid_for("routine-start"): ("22:00", "Europe/Berlin"),
        uid_for("intake"): ("22:00", "Europe/Berlin"),
        uid_for("lights-out"): ("23:00", "Europe/Berlin"),
        uid_for("morning-checkin"): ("07:00", "Europe/Berlin"),
    }
    for e in events:
        assert e["RRULE"]["FREQ"] == ["DAILY"]
        alarms = e.walk("VALARM")
        assert len(alarms) == 1 and alarms[0]["ACTION"] == "DISPLAY"
        assert alarms[0]["TRIGGER"].dt == timedelta(0)
    assert b"TZID=Europe/Berlin" in _ics("Europe/Berlin", date(2026, 10, 20))


@pytest.mark.parametrize(("tz", "night", "change"), [
    ("Europe/Berlin", date(2026, 10, 20), date(2026, 10, 25)),  # fall back
    ("America/New_York", date(2026, 3, 3), date(2026, 3, 8)),  # spring forward
])
def test_recurrence_keeps_local_wall_time_across_dst(tz: str, night: date, change: date) -> None:
    cal = icalendar.Calendar.from_ical(_ics(tz, night))
    occ = recurring_ical_events.of(cal).between(night, night + timedelta(days=10))
    intake = [o for o in occ if str(o["UID"]) == uid_for("intake")]
    assert len(intake) == 10
    z = ZoneInfo(tz)
    assert {o["DTSTART"].dt.astimezone(z).strftime("%H:%M") for o in intake} == {"22:00"}
    offsets = {o["DTSTART"].dt.date(): o["DTSTART"].dt.utcoffset() for o in intake}
    assert offsets[change - timedelta(days=1)] != offsets[change]  # the UTC offset changed
    morning = [o for o in occ if str(o["UID"]) == uid_for("morning-checkin")]
    assert {o["DTSTART"].dt.astimezone(z).strftime("%H:%M") for o in morning} == {"07:00"}


def test_the_independent_parser_sees_every_reminder_once_a_day() -> None:
    cal = icalendar.Calendar.from_ical(_ics("America/New_York", date(2026, 3, 7)))
    day = recurring_ical_events.of(cal).at(date(2026, 3, 9))
    assert sorted(str(o["SUMMARY"]) for o in day) == sorted(
        ["Pre-sleep routine starts", "Planned intake time (your setting)", "Lights out",
         "Morning check-in"])


def test_regenerating_keeps_the_uids() -> None:
    first = icalendar.Calendar.from_ical(_ics("Europe/Berlin", date(2026, 10, 20)))
    later = icalendar.Calendar.from_ical(_ics("Europe/Berlin", date(2026, 11, 2), bed=time(22, 30),
                                              lead=45, stamp=STAMP + timedelta(days=13)))
    uids = lambda c: sorted(str(e["UID"]) for e in c.walk("VEVENT"))  # noqa: E731
    assert uids(first) == uids(later)
    assert first["UID"] == later["UID"]
    assert len(set(uids(first))) == 4

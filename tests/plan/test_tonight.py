"""Tonight's plan: times from the person's settings, right across daylight-saving changes."""

from __future__ import annotations

import doctest
import importlib
from datetime import UTC, date, datetime, time, timedelta

import pytest

from nightleaf.errors import InputError
from nightleaf.model.entities import Profile, RoutineCheck, RoutineItem, SleepEntry
from nightleaf.plan import adherence, build_plan, consistency, move


def elapsed(a: datetime, b: datetime) -> timedelta:
    """Real time from a to b (same-zone aware subtraction in Python is wall-clock time)."""
    return b.astimezone(UTC) - a.astimezone(UTC)


def _profile(tz: str, bed: time = time(23), lead: int = 60, wake: time | None = time(7)) -> Profile:
    return Profile(tz=tz, target_bedtime=bed, lead_minutes=lead, target_wake=wake)


ITEMS = [RoutineItem("Dim the lights", 1, minutes_before_bed=60, id=1),
         RoutineItem("Screens off", 2, minutes_before_bed=30, id=2),
         RoutineItem("Keep the wake time", 3, id=3),
         RoutineItem("Old item", 4, active=False, minutes_before_bed=120, id=4)]


@pytest.mark.parametrize("name", ["plan.tonight", "plan.routine", "plan.consistency",
                                  "plan.reminders", "knowledge.evening"])
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(f"nightleaf.{name}"))
    assert result.failed == 0 and result.attempted > 0


def test_intake_is_bedtime_minus_the_persons_lead() -> None:
    plan = build_plan(_profile("Europe/Berlin", lead=45), ITEMS, date(2026, 11, 24), {2})
    assert f"{plan.bedtime:%Y-%m-%d %H:%M %z}" == "2026-11-24 23:00 +0100"
    assert f"{plan.intake_at:%H:%M}" == "22:15"
    assert f"{plan.routine_start:%H:%M}" == "22:00"  # the earliest active timed item
    assert f"{plan.morning_checkin:%Y-%m-%d %H:%M}" == "2026-11-25 07:00"
    assert [s.text for s in plan.routine] == ["Dim the lights", "Screens off", "Keep the wake time"]
    assert [s.done for s in plan.routine] == [False, True, False]
    assert plan.routine[2].at is None
    assert plan.notes == []


def test_no_timed_items_means_no_routine_start_and_no_wake_means_no_checkin() -> None:
    plan = build_plan(_profile("UTC", wake=None), [RoutineItem("Read", 1, id=1)], date(2026, 1, 5))
    assert plan.routine_start is None and plan.morning_checkin is None


def test_spring_forward_new_york_2026_03_08() -> None:
    plan = build_plan(_profile("America/New_York"), ITEMS, date(2026, 3, 7))
    assert f"{plan.bedtime:%H:%M %Z}" == "23:00 EST"
    assert f"{plan.morning_checkin:%H:%M %Z}" == "07:00 EDT"
    assert elapsed(plan.bedtime, plan.morning_checkin) == timedelta(hours=7)  # one hour is skipped
    assert any("go forward by 1 h" in n for n in plan.notes)


def test_a_skipped_bedtime_moves_forward_and_the_lead_stays_elapsed_time() -> None:
    plan = build_plan(_profile("America/New_York", bed=time(2, 30)), [], date(2026, 3, 7))
    assert f"{plan.bedtime:%Y-%m-%d %H:%M %Z}" == "2026-03-08 03:30 EDT"
    assert any("does not exist" in n for n in plan.notes)
    assert elapsed(plan.intake_at, plan.bedtime) == timedelta(minutes=60)
    assert f"{plan.intake_at:%H:%M %Z}" == "01:30 EST"


def test_fall_back_berlin_2026_10_25() -> None:
    plan = build_plan(_profile("Europe/Berlin"), ITEMS, date(2026, 10, 24))
    assert f"{plan.bedtime:%H:%M %z}" == "23:00 +0200"
    assert f"{plan.morning_checkin:%H:%M %z}" == "07:00 +0100"
    assert elapsed(plan.bedtime, plan.morning_checkin) == timedelta(hours=9)  # one hour repeats
    assert any("go back by 1 h" in n for n in plan.notes)


def test_a_repeated_bedtime_is_its_first_occurrence() -> None:
    plan = build_plan(_profile("Europe/Berlin", bed=time(2, 30)), [], date(2026, 10, 24))
    assert plan.bedtime.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert elapsed(plan.intake_at, plan.bedtime) == timedelta(minutes=60)


def test_an_ordinary_night_has_no_clock_change_note() -> None:
    assert build_plan(_profile("America/New_York"), ITEMS, date(2026, 3, 14)).notes == []


# -- consistency --------------------------------------------------------------------------------
def _entry(night: date, tried: str, final: str, tz: str = "UTC") -> SleepEntry:
    def at(day: date, hm: str) -> datetime:
        h, m = map(int, hm.split(":"))
        return datetime(day.year, day.month, day.day, h, m, tzinfo=UTC)

    tried_day = night if int(tried[:2]) >= 12 else night + timedelta(days=1)
    return SleepEntry(night=night, tz=tz, tried_to_sleep=at(tried_day, tried),
                      final_awakening=at(night + timedelta(days=1), final))


def test_drift_wraps_around_midnight_and_uses_a_simple_sd() -> None:
    n = date(2026, 11, 1)
    entries = [_entry(n, "23:00", "07:00"), _entry(n + timedelta(days=1), "00:10", "07:30"),
               _entry(n + timedelta(days=2), "23:40", "06:30")]
    c = consistency(entries, target_bedtime=time(23, 30), target_wake=time(7), first=n,
                    last=n + timedelta(days=13), tz="UTC")
    assert [o for _, o in c.bedtime.offsets] == [-30.0, 40.0, 10.0]
    assert c.bedtime.mean_offset_minutes == pytest.approx(6.7, abs=0.05)
    assert c.bedtime.mean_abs_offset_minutes == pytest.approx(26.7, abs=0.05)
    assert c.bedtime.sd_minutes == pytest.approx(35.1, abs=0.05)  # stdev(-30, 40, 10)
    assert c.wake.mean_offset_minutes == 0.0 and c.wake.nights == 3


def test_drift_without_a_wake_target_is_unknown_and_entries_outside_the_window_are_ignored() -> None:
    n = date(2026, 11, 1)
    c = consistency([_entry(n, "23:00", "07:00"), _entry(n - timedelta(days=20), "01:00", "09:00")],
                    target_bedtime=time(23), target_wake=None, first=n, last=n, tz="UTC")
    assert c.bedtime.nights == 1 and c.bedtime.sd_minutes is None
    assert c.wake.mean_offset_minutes is None


def test_tonight_intake_offset() -> None:
    planned = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    c = consistency([], target_bedtime=time(23), target_wake=None, first=date(2026, 11, 10),
                    last=date(2026, 11, 23), tz="UTC", planned_intake=planned,
                    logged_intake=planned + timedelta(minutes=25))
    assert c.tonight_intake_offset_minutes == 25.0


# -- routine ------------------------------------------------------------------------------------
def test_move_renumbers_the_active_items() -> None:
    moved = move(ITEMS, 3, 1)
    assert [(i.id, i.position) for i in moved] == [(3, 1), (1, 2), (2, 3)]
    with pytest.raises(InputError, match="between 1 and 3"):
        move(ITEMS, 1, 9)
    with pytest.raises(InputError, match="no active routine item"):
        move(ITEMS, 4, 1)


def test_adherence_counts_only_recorded_nights() -> None:
    n = date(2026, 11, 1)
    checks = [RoutineCheck(1, n), RoutineCheck(1, n + timedelta(days=1)), RoutineCheck(2, n),
              RoutineCheck(2, n + timedelta(days=1), done=False)]
    a = adherence(ITEMS, checks, {n + timedelta(days=3)}, first=n, last=n + timedelta(days=9))
    assert a.nights == 3  # nights 1, 2 (ticks) and 4 (something else recorded)
    assert [(r.item_id, r.done, r.rate) for r in a.items] == [(1, 2, 0.667), (2, 1, 0.333),
                                                              (3, 0, 0.0)]
    assert a.rate == pytest.approx(0.333, abs=0.001)
    assert adherence(ITEMS, [], []).rate is None

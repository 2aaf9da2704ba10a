"""Nights across midnight, zones and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightleaf.errors import InputError
from nightleaf.model import clock

BERLIN = ZoneInfo("Europe/Berlin")


def _naive(year: int) -> datetime:
    """Hypothesis takes naive bounds for ``st.datetimes`` (the zone comes from ``timezones=``)."""
    return datetime(year, 1, 1)  # noqa: DTZ001 - hypothesis's bounds must be naive

ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Bangkok", "UTC",
         "Pacific/Chatham", "America/St_Johns"]


def local(y: int, mo: int, d: int, h: int, mi: int, tz: str, fold: int = 0) -> datetime:
    return clock.resolve_local(date(y, mo, d), time(h, mi), tz, fold=fold)


# (zone, the DST night, what happens)
DST_NIGHTS = [
    ("America/New_York", date(2026, 3, 7), "spring forward 02:00 -> 03:00 on 03-08"),
    ("America/New_York", date(2026, 10, 31), "fall back 02:00 -> 01:00 on 11-01"),
    ("Europe/Berlin", date(2026, 3, 28), "spring forward 02:00 -> 03:00 on 03-29"),
    ("Europe/Berlin", date(2026, 10, 24), "fall back 03:00 -> 02:00 on 10-25"),
    ("Australia/Sydney", date(2026, 4, 4), "fall back 03:00 -> 02:00 on 04-05"),
]


@pytest.mark.parametrize(("tz", "night", "what"), DST_NIGHTS)
def test_every_instant_of_a_dst_night_maps_to_that_night(tz: str, night: date, what: str) -> None:
    start, end = clock.night_window(night, tz)
    t = start
    while t < end:
        assert clock.night_of(t, tz) == night, (what, t)
        t += timedelta(minutes=7)
    assert clock.night_of(end, tz) == night + timedelta(days=1)
    assert clock.night_of(start - timedelta(seconds=1), tz) == night - timedelta(days=1)


@pytest.mark.parametrize(("tz", "night", "hours"), [
    ("America/New_York", date(2026, 3, 7), 23),
    ("America/New_York", date(2026, 10, 31), 25),
    ("Europe/Berlin", date(2026, 3, 28), 23),
    ("Europe/Berlin", date(2026, 10, 24), 25),
    ("Australia/Sydney", date(2026, 4, 4), 25),
    ("Europe/Berlin", date(2026, 11, 24), 24),
])
def test_a_dst_night_is_shorter_or_longer_in_real_time(tz: str, night: date, hours: int) -> None:
    start, end = clock.night_window(night, tz)
    assert (end - start) == timedelta(hours=hours)


def test_spring_forward_night_counts_real_minutes_in_bed() -> None:
    # into bed 22:00 Saturday, out of bed 07:00 Sunday in New York: 8 real hours, not 9
    night = date(2026, 3, 7)
    start = clock.night_time(night, time(22, 0), "America/New_York")
    end = clock.night_time(night, time(7, 0), "America/New_York")
    assert clock.minutes_between(start, end) == 8 * 60


def test_fall_back_night_counts_real_minutes_in_bed() -> None:
    night = date(2026, 10, 24)
    start = clock.night_time(night, time(22, 0), "Europe/Berlin")
    end = clock.night_time(night, time(7, 0), "Europe/Berlin")
    assert clock.minutes_between(start, end) == 10 * 60


def test_skipped_wall_time_is_refused_with_a_clear_message() -> None:
    with pytest.raises(InputError, match="does not exist in America/New_York"):
        clock.night_time(date(2026, 3, 7), time(2, 30), "America/New_York")


def test_repeated_wall_time_resolves_to_first_unless_fold() -> None:
    first = clock.night_time(date(2026, 10, 31), time(1, 30), "America/New_York")
    second = clock.night_time(date(2026, 10, 31), time(1, 30), "America/New_York", fold=1)
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert second - first == timedelta(hours=1)
    assert clock.night_of(first, "America/New_York") == clock.night_of(second, "America/New_York")


def test_night_crosses_midnight() -> None:
    tz = "Europe/Berlin"
    assert clock.night_of(local(2026, 11, 24, 23, 50, tz), tz) == date(2026, 11, 24)
    assert clock.night_of(local(2026, 11, 25, 0, 10, tz), tz) == date(2026, 11, 24)
    assert clock.night_of(local(2026, 11, 25, 11, 59, tz), tz) == date(2026, 11, 24)
    assert clock.night_of(local(2026, 11, 25, 12, 0, tz), tz) == date(2026, 11, 25)


def test_same_instant_is_a_different_night_in_another_zone() -> None:
    instant = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # 09:00 New York, 01:00 Sydney (+1 day)
    assert clock.night_of(instant, "America/New_York") == date(2026, 11, 23)
    assert clock.night_of(instant, "Australia/Sydney") == date(2026, 11, 24)


@given(st.datetimes(min_value=_naive(1990), max_value=_naive(2060),
                    timezones=st.just(UTC)), st.sampled_from(ZONES))
def test_night_of_is_within_its_window(instant: datetime, tz: str) -> None:
    n = clock.night_of(instant, tz)
    start, end = clock.night_window(n, tz)
    assert start <= instant < end


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 1, 1)),
       st.times(), st.sampled_from(ZONES))
def test_night_time_round_trips_to_its_night(night: date, wall: time, tz: str) -> None:
    try:
        instant = clock.night_time(night, wall.replace(second=0, microsecond=0), tz)
    except InputError:
        return  # a wall time skipped by DST: refused, tested above
    assert clock.night_of(instant, tz) == night


@given(st.datetimes(min_value=_naive(2000), max_value=_naive(2050),
                    timezones=st.just(UTC)), st.sampled_from(ZONES))
def test_tonight_is_the_night_of_now_in_the_evening_and_before_six(now: datetime,
                                                                   tz: str) -> None:
    loc = clock.local_datetime(now, tz)
    tonight = clock.tonight(now, tz)
    if loc.time() >= time(12) or loc.time() < time(6):
        assert tonight == clock.night_of(now, tz)
    else:
        assert tonight == loc.date()


@pytest.mark.parametrize(("text", "expected_local"), [
    ("21:30", datetime(2026, 11, 24, 21, 30, tzinfo=BERLIN)),
    ("9:30pm", datetime(2026, 11, 24, 21, 30, tzinfo=BERLIN)),
    ("01:15", datetime(2026, 11, 25, 1, 15, tzinfo=BERLIN)),
    ("yesterday 22:40", datetime(2026, 11, 23, 22, 40, tzinfo=BERLIN)),
    ("today 08:00", datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)),
    ("2026-11-20 22:00", datetime(2026, 11, 20, 22, 0, tzinfo=BERLIN)),
    ("2026-11-20T21:00:00+00:00", datetime(2026, 11, 20, 22, 0, tzinfo=BERLIN)),
    ("2026-11-20T21:00:00Z", datetime(2026, 11, 20, 22, 0, tzinfo=BERLIN)),
])
def test_parse_when_friendly_forms(text: str, expected_local: datetime) -> None:
    now = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # 21:00 in Berlin
    got = clock.parse_when(text, now=now, tz="Europe/Berlin")
    local = clock.local_datetime(got, "Europe/Berlin")
    assert (local, local.utcoffset()) == (expected_local, expected_local.utcoffset())


@pytest.mark.parametrize("text", ["25:00", "21:75", "half past nine", "", "2026-13-01 10:00",
                                  "13pm"])
def test_parse_when_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(InputError):
        clock.parse_when(text, now=datetime(2026, 11, 24, 20, tzinfo=UTC), tz="Europe/Berlin")


@pytest.mark.parametrize("name", ["Mars/Base", "", "../etc/passwd", "Europe/", " UTC"])
def test_unknown_zone_is_an_input_error(name: str) -> None:
    with pytest.raises(InputError, match="unknown time zone"):
        clock.zone(name)

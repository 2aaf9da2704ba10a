"""Relative dates and times: "3 days ago", "2 days ago 21:00", "tomorrow 07:00"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightleaf.errors import InputError
from nightleaf.model import clock

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
TZ = "Europe/Berlin"


@given(st.integers(min_value=0, max_value=3650), st.sampled_from(["day", "days"]),
       st.sampled_from([" ", "  "]))
def test_n_days_ago_is_that_many_days_before_today(n: int, word: str, gap: str) -> None:
    assert clock.parse_date(f"{n}{gap}{word} ago", today=TODAY) == TODAY - timedelta(days=n)
    assert clock.parse_date(f"-{n}", today=TODAY) == TODAY - timedelta(days=n)


@given(st.integers(min_value=1, max_value=400), st.times().map(lambda t: t.replace(second=0,
                                                                                     microsecond=0)))
def test_n_days_ago_at_a_time_is_that_local_time(n: int, wall: time) -> None:
    try:
        at = clock.parse_when(f"{n} days ago {wall:%H:%M}", now=NOW, tz=TZ)
    except InputError:
        return  # a skipped hour on a DST day is refused, as for any other form
    local = at.astimezone(ZoneInfo(TZ))
    assert local.date() == TODAY - timedelta(days=n)
    assert (local.hour, local.minute) == (wall.hour, wall.minute)


def test_tomorrow_and_yesterday_with_a_time() -> None:
    assert clock.parse_when("tomorrow 07:00", now=NOW, tz=TZ) == datetime(2026, 11, 25, 6, 0,
                                                                           tzinfo=UTC)
    assert clock.parse_when("yesterday 22:40", now=NOW, tz=TZ) == datetime(2026, 11, 23, 21, 40,
                                                                            tzinfo=UTC)


@pytest.mark.parametrize("raw", ["11/20", "tomorrow", "3 days ago", "next friday", "20.11."])
def test_unreadable_times_list_every_accepted_form(raw: str) -> None:
    with pytest.raises(InputError) as e:
        clock.parse_when(raw, now=NOW, tz=TZ)
    assert clock.WHEN_FORMS in e.value.message


def test_an_unreadable_date_lists_the_forms() -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD, today, yesterday, 3 days ago or -3"):
        clock.parse_date("last week", today=TODAY)

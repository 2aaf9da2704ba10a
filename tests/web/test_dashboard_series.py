"""The dashboard's chart columns: each night's local noon as Unix seconds."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from nightleaf.errors import InputError
from nightleaf.model import clock
from nightleaf.web.dashboard import _noon_seconds

ZONES = ("America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago",
         "Asia/Tehran", "Pacific/Apia", "UTC")


@pytest.mark.parametrize("tz", ZONES)
def test_noon_seconds_is_resolve_local_noon_on_every_night_of_several_years(tz: str) -> None:
    z = clock.zone(tz)
    for k in range(0, 366 * 6, 1):
        night = date(2008, 1, 1) + timedelta(days=k)
        try:
            want = int(clock.resolve_local(night, time(12), tz).timestamp())
        except InputError:  # a skipped noon: raised the same way
            with pytest.raises(InputError, match="does not exist"):
                _noon_seconds(night, z, tz)
        else:
            assert _noon_seconds(night, z, tz) == want


def test_a_skipped_noon_is_an_input_error_as_in_resolve_local() -> None:
    # Samoa skipped 30 December 2011 (it moved across the date line)
    tz = "Pacific/Apia"
    with pytest.raises(InputError, match="does not exist"):
        _noon_seconds(date(2011, 12, 30), clock.zone(tz), tz)


@pytest.mark.parametrize("tz", ZONES)
def test_noon_column_is_noon_seconds_night_by_night(tz: str) -> None:
    from nightleaf.web.dashboard import _noon_column

    z = clock.zone(tz)
    nights = [date(2008, 1, 1) + timedelta(days=k) for k in range(366 * 6)]
    if tz == "Pacific/Apia":  # the skipped day raises in both (checked above)
        nights.remove(date(2011, 12, 30))
    assert _noon_column(nights, z, tz) == [_noon_seconds(n, z, tz) for n in nights]


@pytest.mark.parametrize("tz", ZONES)
def test_clock_column_is_clock_hours_instant_by_instant(tz: str) -> None:
    from datetime import UTC, datetime, timezone

    from nightleaf.web.dashboard import _clock_column, _clock_hours

    z = clock.zone(tz)
    start = datetime(2010, 3, 1, tzinfo=UTC)
    instants = [start + timedelta(minutes=37 * k) for k in range(20_000)]
    instants += [None, datetime(2011, 3, 27, 1, 30, tzinfo=timezone(timedelta(hours=2)))]
    assert _clock_column(instants, z) == [_clock_hours(i, z) for i in instants]


def test_chart_json_is_json_dumps_with_non_ascii_labels() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from nightleaf.web.dashboard import chart_json
    from tests.support.plain_reference import reference_chart_json

    column = st.lists(st.none() | st.integers(-(2**53), 2**53)
                      | st.floats(-1e6, 1e6).map(lambda v: round(v, 2)) | st.text(), max_size=8)
    cols = st.dictionaries(st.text(max_size=6), column | st.dictionaries(
        st.text(max_size=6), st.dictionaries(st.text(max_size=3), column, max_size=2),
        max_size=2), max_size=5)

    @settings(max_examples=300, deadline=None)
    @given(cols)
    def check(c: dict[str, object]) -> None:
        assert chart_json(c) == reference_chart_json(c)

    check()
    label = "Tue 11 Nov – Mon 17 Nov 😴 é \x7f \u2028"
    assert chart_json({"label": [label]}) == reference_chart_json({"label": [label]})

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

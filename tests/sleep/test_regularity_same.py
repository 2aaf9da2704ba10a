"""window_regularity on arrays of wall-clock counts gives exactly what the datetime version gave.

``tests/support/nightly_reference.py`` keeps the straightforward version (a datetime per
instant). These properties use instants with microseconds, so that mid-sleep halves an odd
number of microseconds (timedelta rounds that half to even) and the grid's minute rounding
meets exact halves, in zones with daylight-saving nights (Lord Howe's half-hour shift too),
intervals ending before they start, several intervals a night and nights outside the window.
``repr`` must be equal: every float to the last bit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nightleaf.model.entities import Profile
from nightleaf.sleep.regularity import window_regularity
from tests.support import nightly_reference as ref

FIRST = date(2026, 3, 26)  # the EU spring-forward night (March 29) and Lord Howe's (April 5)
ZONES = ("UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu")

# an instant: minutes after 12:00 UTC of its night, then seconds and microseconds, with exact
# half minutes (30 s) and odd microsecond counts frequent
offset = st.tuples(st.integers(-600, 2200), st.sampled_from([0, 30, 59, 17]),
                   st.sampled_from([0, 1, 499_999, 500_000, 999_999, 3]))


def _instant(night: int, parts: tuple[int, int, int]) -> datetime:
    minutes, seconds, micro = parts
    return (datetime.combine(FIRST + timedelta(days=night), datetime.min.time(), UTC)
            + timedelta(hours=12, minutes=minutes, seconds=seconds, microseconds=micro))


@st.composite
def cases(draw: Any) -> dict[str, Any]:
    days = draw(st.integers(1, 14))
    intervals: dict[date, list[tuple[datetime, datetime]]] = {}
    # most nights of the window have data, so that the SRI is mostly known
    for night in draw(st.lists(st.integers(-2, days + 1), min_size=days // 2, max_size=days + 3,
                               unique=True)):
        intervals[FIRST + timedelta(days=night)] = [
            (_instant(night, a), _instant(night, b))
            for a, b in draw(st.lists(st.tuples(offset, offset), min_size=0, max_size=3))
        ]
    timing = None
    if draw(st.booleans()):
        timing = {FIRST + timedelta(days=night): (_instant(night, a), _instant(night, b))
                  for night, a, b in draw(st.lists(st.tuples(st.integers(-2, days + 1),
                                                             offset, offset), max_size=days))}
    lights = [_instant(night, a) for night, a in
              draw(st.lists(st.tuples(st.integers(0, days), offset), max_size=days))]
    profile = Profile(tz=draw(st.sampled_from(ZONES)),
                      work_days=draw(st.sampled_from([("mon", "tue", "wed", "thu", "fri"), ()])))
    return {"intervals": intervals, "first": FIRST, "last": FIRST + timedelta(days=days - 1),
            "profile": profile, "timing": timing, "lights": lights,
            "min_days": draw(st.integers(1, 3))}


@settings(max_examples=300, deadline=None)
@given(cases())
def test_window_regularity_is_the_same_to_the_last_bit(c: dict[str, Any]) -> None:
    args = (c["intervals"], c["first"], c["last"], c["profile"])
    kw = {"source": "s", "timing": c["timing"], "lights_out": c["lights"],
          "min_days": c["min_days"]}
    assert repr(window_regularity(*args, **kw)) == repr(ref.window_regularity(*args, **kw))

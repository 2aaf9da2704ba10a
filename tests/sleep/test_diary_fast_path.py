"""``diary_metrics``'s short path for the common entry gives exactly what the general code gave.

``tests/support/h13_nightly_reference.py`` keeps ``diary_metrics`` as it was before the short path
(issue 13, h13-nightly). The entries here cover both paths: complete and consistent UTC entries
(the short path), and every way out of it — a missing time, times out of order, equal times,
SOL + WASO overrunning the window exactly or by a little, negative or NaN items, quality out of
range, NWAK 0 with WASO blank, and instants that are not in UTC (a named zone across a clock
change, where subtracting two instants of the same zone object gives wall-clock time, and a
fixed offset).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from nightleaf.model.entities import SleepEntry
from nightleaf.sleep import diary
from nightleaf.sleep.diary import NightMetrics, diary_metrics, entry_problems
from tests.support import h13_nightly_reference as ref

NY = ZoneInfo("America/New_York")
#: nights just before New York's clock changes of 2026, and an ordinary one
NIGHTS = (date(2026, 3, 7), date(2026, 10, 31), date(2026, 6, 10))
ZONES = st.sampled_from([UTC, UTC, UTC, NY, timezone(timedelta(hours=-5)), "mixed"])
MINUTES = st.one_of(st.none(), st.integers(0, 120), st.floats(0, 200, allow_nan=False),
                    st.sampled_from([0, 0.0]))
#: what can be wrong with an entry: (field, a wrong value or "swap" / "overrun" / "fit")
FAULTS = st.one_of(
    st.tuples(st.sampled_from(["into_bed", "tried_to_sleep", "final_awakening", "out_of_bed"]),
              st.sampled_from([None, "swap"])),
    st.tuples(st.sampled_from(["sol_minutes", "waso_minutes", "woke_early_minutes",
                               "nap_minutes"]), st.sampled_from([-5, -0.5, float("nan")])),
    st.tuples(st.just("awakenings"), st.just(-1)),
    st.tuples(st.just("quality"), st.sampled_from([0, 6])),
    st.tuples(st.just("window"), st.sampled_from(["overrun", "fit"])),
)
TIMES = ("into_bed", "tried_to_sleep", "final_awakening", "out_of_bed")


@st.composite
def entries(draw: Any) -> SleepEntry:
    """A complete, consistent entry (the short path) with up to two faults (none in about a
    third of them): a missing time, two times swapped, a negative or NaN item, quality out of
    range, SOL + WASO just over or exactly the sleep window."""
    night = draw(st.sampled_from(NIGHTS))
    tz = draw(ZONES)
    base = datetime(night.year, night.month, night.day, 21, 0, tzinfo=UTC)
    # minutes after 21:00 UTC; a night of 6-11 hours crosses the clock change in New York
    into = draw(st.integers(0, 120))
    tried = into + draw(st.integers(0, 60))
    final = tried + draw(st.one_of(st.integers(360, 660), st.integers(0, 60)))
    out = final + draw(st.integers(0, 60))
    seconds = draw(st.sampled_from([0, 30]))

    def instant(minutes: int) -> datetime:
        t = base + timedelta(minutes=minutes, seconds=seconds)
        zone = draw(st.sampled_from([UTC, NY])) if tz == "mixed" else tz
        return t.astimezone(zone)

    times = [instant(m) for m in (into, tried, final, out)]
    values: dict[str, Any] = dict(zip(TIMES, times, strict=True))
    values.update(sol_minutes=draw(MINUTES), waso_minutes=draw(MINUTES),
                  awakenings=draw(st.one_of(st.none(), st.integers(0, 5))),
                  woke_early_minutes=draw(MINUTES), nap_minutes=draw(MINUTES),
                  quality=draw(st.one_of(st.none(), st.integers(1, 5))))
    for name, wrong in draw(st.lists(FAULTS, max_size=2)):
        if name == "window":  # SOL + WASO half a minute over, or exactly, the window
            w = (times[2] - times[1]).total_seconds() / 60.0
            values["sol_minutes"] = w / 2
            values["waso_minutes"] = w / 2 + (0.5 if wrong == "overrun" else 0.0)
        elif wrong == "swap":  # this time and the next (or the previous) one swapped
            k = TIMES.index(name)
            other = TIMES[k + 1] if k < 3 else TIMES[k - 1]
            values[name], values[other] = values[other], values[name]
        else:
            values[name] = wrong
    return SleepEntry(night=night, tz="America/New_York", **values)


@settings(max_examples=400, deadline=None)
@given(entries())
def test_diary_metrics_are_what_they_were(e: SleepEntry) -> None:
    got, want = diary_metrics(e), ref.diary_metrics(e)
    # repr: every float the same to the last bit (NaN too), an int stays an int
    assert repr(got) == repr(want)
    assert got == want  # a NaN item is passed on as the same object
    names = [f.name for f in dataclasses.fields(NightMetrics)]
    assert sorted(vars(got)) == sorted(names)
    assert [type(vars(got)[n]) for n in names] == [type(getattr(want, n)) for n in names]
    assert entry_problems(e) == ref.entry_problems(e)


def test_both_paths_are_taken() -> None:
    """The short path is the one a store's entry takes; a problem sends it to the general one."""
    general: list[SleepEntry] = []
    checked = diary._checked_metrics

    def spy(e: SleepEntry) -> NightMetrics:
        general.append(e)
        return checked(e)

    at = lambda h, m: datetime(2026, 3, 1, h, m, tzinfo=UTC)  # noqa: E731
    good = SleepEntry(night=date(2026, 3, 1), tz="UTC", into_bed=at(22, 0), tried_to_sleep=at(22, 30),
                      sol_minutes=20, awakenings=1, waso_minutes=10, final_awakening=at(23, 50),
                      out_of_bed=at(23, 55))
    bad = dataclasses.replace(good, waso_minutes=70)  # SOL + WASO > 80 minutes of window
    diary._checked_metrics = spy
    try:
        short, overrun = diary_metrics(good), diary_metrics(bad)
    finally:
        diary._checked_metrics = checked
    assert general == [bad]
    assert (short.tst_minutes, short.problems) == (50.0, ())
    assert overrun.tst_minutes is None and overrun.problems
    assert repr(short) == repr(ref.diary_metrics(good))
    assert repr(overrun) == repr(ref.diary_metrics(bad))

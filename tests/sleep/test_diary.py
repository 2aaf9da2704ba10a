"""Consensus Sleep Diary metrics: worked examples computed by hand, and invariants."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightleaf.model.clock import minutes_between
from nightleaf.model.entities import SleepEntry
from nightleaf.sleep.diary import diary_metrics
from tests.support.sleep_helpers import NY, at, entry

# Each row: the entry, then TIB, SOL, NWAK, WASO, TWAK, TWT, TST, SE% (rounded to 2), by hand.
WORKED = [
    pytest.param(  # reference sheet 1.3; crosses midnight
        entry(date(2026, 3, 1), "22:30", "23:00", 30, 2, 40, "06:00", "06:45",
              quality=2, woke_early_minutes=30),
        (495, 30, 2, 40, 45, 115, 350, 70.71),
        id="crosses-midnight-reference-example",
    ),
    pytest.param(  # spring forward: 02:00 EST -> 03:00 EDT, the night is an hour shorter
        # 23:00 EST -> 07:30 EDT is 8 h 30 on the wall, 7 h 30 (450 min) in real time
        # window 23:15 -> 07:00 = 465 - 60 = 405; TST = 405 - 15 - 10 = 380; SE 380/450
        entry(date(2026, 3, 7), "23:00", "23:15", 15, 1, 10, "07:00", "07:30"),
        (450, 15, 1, 10, 30, 55, 380, 84.44),
        id="dst-spring-forward-new-york",
    ),
    pytest.param(  # fall back: 02:00 EDT -> 01:00 EST, the night is an hour longer
        # 22:00 EDT -> 07:00 EST = 540 + 60 = 600; window 22:30 -> 06:30 = 480 + 60 = 540
        # TST = 540 - 20 - 15 = 505; SE 505/600
        entry(date(2026, 10, 31), "22:00", "22:30", 20, 1, 15, "06:30", "07:00"),
        (600, 20, 1, 15, 30, 65, 505, 84.17),
        id="dst-fall-back-new-york",
    ),
    pytest.param(  # no awakenings, WASO left blank -> 0; into bed after midnight
        # 00:15 -> 07:20 = 425; window 00:30 -> 07:10 = 400; TST = 400 - 10 - 0 = 390
        entry(date(2026, 3, 10), "00:15", "00:30", 10, 0, None, "07:10", "07:20"),
        (425, 10, 0, 0, 10, 20, 390, 91.76),
        id="no-awakenings",
    ),
    pytest.param(  # SOL unknown: TST, TWT, SE unknown; the rest still known
        entry(date(2026, 3, 11), "23:00", "23:00", None, 3, 45, "06:30", "06:40"),
        (460, None, 3, 45, 10, None, None, None),
        id="unknown-sol",
    ),
    pytest.param(  # nap day: the 40 min nap is reported apart, never added to TST
        # 22:45 -> 06:30 = 465; window 23:00 -> 06:15 = 435; TST = 435 - 25 - 20 = 390
        entry(date(2026, 3, 12), "22:45", "23:00", 25, 1, 20, "06:15", "06:30",
              nap_count=1, nap_minutes=40),
        (465, 25, 1, 20, 15, 60, 390, 83.87),
        id="nap-day",
    ),
    pytest.param(  # out of bed missing: TIB, TWAK, TWT, SE unknown; TST still known
        # window 23:10 -> 06:50 = 460; TST = 460 - 20 - 30 = 410
        entry(date(2026, 3, 13), "23:00", "23:10", 20, 2, 30, "06:50", None),
        (None, 20, 2, 30, None, None, 410, None),
        id="unknown-out-of-bed",
    ),
]


@pytest.mark.parametrize(("e", "expected"), WORKED)
def test_worked_examples_match_to_the_minute(e: SleepEntry, expected: tuple) -> None:
    m = diary_metrics(e)
    got = (m.tib_minutes, m.sol_minutes, m.nwak, m.waso_minutes, m.twak_minutes,
           m.twt_minutes, m.tst_minutes,
           None if m.se_percent is None else round(m.se_percent, 2))
    assert got == expected
    assert m.source == "diary"
    assert m.problems == ()


def test_nap_minutes_are_reported_apart() -> None:
    m = diary_metrics(WORKED[5].values[0])
    assert m.nap_minutes == 40
    assert m.tst_minutes == 390


def test_ema_comes_from_its_own_item_and_is_never_twak() -> None:
    with_item = diary_metrics(WORKED[0].values[0])
    without = diary_metrics(WORKED[1].values[0])
    assert with_item.ema_minutes == 30 and with_item.twak_minutes == 45
    assert without.ema_minutes is None and without.twak_minutes == 30


def test_quality_is_passed_through() -> None:
    assert diary_metrics(WORKED[0].values[0]).quality == 2


def test_sleep_efficiency_is_tst_over_tib() -> None:
    m = diary_metrics(WORKED[0].values[0])
    assert m.se_percent == pytest.approx(100 * 350 / 495)


def test_sleep_onset_is_tried_plus_sol() -> None:
    e = WORKED[0].values[0]
    m = diary_metrics(e)
    assert m.onset == e.tried_to_sleep + timedelta(minutes=30)
    assert m.offset == e.final_awakening


def test_empty_entry_is_all_unknown_never_zero() -> None:
    m = diary_metrics(SleepEntry(night=date(2026, 3, 1), tz=NY))
    assert all(
        v is None
        for v in (m.tib_minutes, m.sol_minutes, m.nwak, m.waso_minutes, m.twak_minutes,
                  m.twt_minutes, m.tst_minutes, m.se_percent, m.quality, m.ema_minutes)
    )


def test_sol_and_waso_longer_than_the_window_make_tst_unknown() -> None:
    e = entry(date(2026, 3, 1), "23:00", "23:00", 300, 1, 200, "06:00", "06:30")
    m = diary_metrics(e)
    assert m.tst_minutes is None and m.se_percent is None
    assert any("SOL + WASO" in p for p in m.problems)


def test_times_out_of_order_make_spans_unknown() -> None:
    e = entry(date(2026, 3, 1), "23:00", "23:30", 10, 0, 0, "06:00", "05:00")
    m = diary_metrics(e)
    assert m.tib_minutes is None and m.tst_minutes is None
    assert "out of bed is before final awakening" in m.problems


@st.composite
def consistent_entries(draw: st.DrawFn) -> SleepEntry:
    night = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    into = at(night, "20:00") + timedelta(minutes=draw(st.integers(0, 300)))
    tried = into + timedelta(minutes=draw(st.integers(0, 120)))
    window = draw(st.integers(0, 720))
    final = tried + timedelta(minutes=window)
    sol = draw(st.integers(0, window))
    waso = draw(st.integers(0, window - sol))
    out = final + timedelta(minutes=draw(st.integers(0, 180)))
    nwak = draw(st.integers(1, 10)) if waso else draw(st.integers(0, 3))
    return SleepEntry(night=night, tz=NY, into_bed=into, tried_to_sleep=tried,
                      sol_minutes=sol, awakenings=nwak, waso_minutes=waso,
                      final_awakening=final, out_of_bed=out)


@given(consistent_entries())
def test_tst_lies_between_zero_and_tib(e: SleepEntry) -> None:
    m = diary_metrics(e)
    assert m.tst_minutes is not None and m.tib_minutes is not None
    assert 0 <= m.tst_minutes <= m.tib_minutes


@given(consistent_entries())
def test_se_lies_between_zero_and_hundred(e: SleepEntry) -> None:
    m = diary_metrics(e)
    if m.se_percent is not None:
        assert 0 <= m.se_percent <= 100


@given(consistent_entries())
def test_tst_plus_twt_equals_out_of_bed_minus_tried_to_sleep(e: SleepEntry) -> None:
    m = diary_metrics(e)
    assert e.tried_to_sleep is not None and e.out_of_bed is not None
    total = minutes_between(e.tried_to_sleep, e.out_of_bed)
    assert m.tst_minutes + m.sol_minutes + m.waso_minutes + m.twak_minutes == pytest.approx(total)
    assert m.tst_minutes + m.twt_minutes == pytest.approx(total)


@st.composite
def any_entries(draw: st.DrawFn) -> SleepEntry:
    """Entries with items missing, out of order or too long."""
    night = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    base = at(night, "20:00")

    def t() -> object:
        return draw(st.none() | st.integers(0, 900).map(lambda m: base + timedelta(minutes=m)))

    def mins() -> object:
        return draw(st.none() | st.integers(-10, 600))

    return SleepEntry(night=night, tz=NY, into_bed=t(), tried_to_sleep=t(), sol_minutes=mins(),
                      awakenings=draw(st.none() | st.integers(-1, 10)), waso_minutes=mins(),
                      final_awakening=t(), out_of_bed=t(),
                      quality=draw(st.none() | st.integers(0, 6)))


@given(any_entries())
def test_whatever_is_entered_known_values_stay_in_range(e: SleepEntry) -> None:
    m = diary_metrics(e)
    if m.tst_minutes is not None:
        assert m.tst_minutes >= 0
        if m.tib_minutes is not None:
            assert m.tst_minutes <= m.tib_minutes
    if m.se_percent is not None:
        assert 0 <= m.se_percent <= 100
    for v in (m.tib_minutes, m.sol_minutes, m.waso_minutes, m.twak_minutes, m.twt_minutes):
        assert v is None or v >= 0
    assert m.quality is None or 1 <= m.quality <= 5


def test_sol_plus_waso_longer_than_the_window_blanks_every_dependent_metric():
    # window 23:00 -> 01:00 = 120 min, but SOL 90 + WASO 60 = 150
    e = entry(date(2026, 3, 10), "22:30", "23:00", 90, 2, 60, "01:00", "01:30")
    m = diary_metrics(e)
    assert any("longer than" in p for p in m.problems)
    assert (m.sol_minutes, m.waso_minutes, m.tst_minutes, m.twt_minutes, m.se_percent,
            m.onset) == (None,) * 6
    # what does not depend on SOL or WASO stays
    assert (m.tib_minutes, m.twak_minutes, m.nwak) == (180, 30, 2)

"""Sleep Regularity Index, mid-sleep, social jetlag and timing SD."""

from __future__ import annotations

import csv
import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nightleaf.model.entities import Profile, SleepEpisode, StageSegment
from nightleaf.sleep.regularity import (
    SRI_RULE_PER_EPOCH,
    SRI_RULE_POOLED,
    circular_mean_minutes,
    circular_sd_minutes,
    diary_intervals,
    episode_intervals,
    is_work_night,
    main_sleep_times,
    sleep_regularity_index,
    sri_from_entries,
    sri_from_episodes,
    window_regularity,
)
from tests.support.common import real_fixture
from tests.support.sleep_helpers import NY, at, entry


def _golden_states() -> np.ndarray:
    # ../shared/fixtures/real/sri/ next to the repository, like every real sample; the test
    # skips (saying so) where ../shared is absent. The golden file (mengelhard/sri test.csv,
    # MIT) is read in place and never copied into the repository.
    golden = real_fixture("sri", "mengelhard_sri_test.csv")
    with golden.open(newline="") as f:
        return np.array([float(r["sleep"]) if r["sleep"] != "" else np.nan
                         for r in csv.DictReader(f)])


def test_golden_file_rule_skip_missing_pairs_pooled() -> None:
    """Rule: pairs with a missing value are skipped; agreement pooled over all valid pairs;
    trailing partial day dropped; 30-s epochs (2880/day). SOURCES.md: 80.8074."""
    states = _golden_states()
    assert states.size == 17704 and int(np.isnan(states).sum()) == 5
    r = sleep_regularity_index(states, epochs_per_day=2880)
    assert r.rule == SRI_RULE_POOLED
    assert r.days == 6
    assert round(r.sri, 4) == 80.8074


def test_golden_file_rule_skip_missing_pairs_per_epoch_mean() -> None:
    """Rule: pairs with a missing value are skipped; per-clock-epoch agreement averaged (the
    mengelhard/sri 2018 notebook). SOURCES.md: 80.8194."""
    r = sleep_regularity_index(_golden_states(), epochs_per_day=2880, average="per-epoch")
    assert r.rule == SRI_RULE_PER_EPOCH
    assert round(r.sri, 4) == 80.8194


@given(arrays(float, st.integers(2 * 48, 8 * 48),
              elements=st.sampled_from([0.0, 1.0, math.nan])))
def test_sri_lies_between_minus_and_plus_hundred(states: np.ndarray) -> None:
    r = sleep_regularity_index(states, epochs_per_day=48, min_days=1)
    if r.sri is not None:
        assert -100 <= r.sri <= 100


@given(arrays(float, 48, elements=st.sampled_from([0.0, 1.0])), st.integers(2, 8))
def test_sri_is_hundred_for_identical_days(day: np.ndarray, n: int) -> None:
    r = sleep_regularity_index(np.tile(day, n), epochs_per_day=48, min_days=1)
    assert r.sri == 100


@given(st.integers(8, 40), st.integers(1, 10), st.integers(1, 12))
def test_sri_is_lower_for_shifted_days(length: int, start: int, shift: int) -> None:
    day = np.zeros(96)
    day[start:start + length] = 1
    later = np.roll(day, shift)
    same = sleep_regularity_index(np.tile(day, 6), epochs_per_day=96).sri
    shifted = sleep_regularity_index(np.r_[day, later, day, later, day, later],
                                     epochs_per_day=96).sri
    assert shifted < same == 100


def test_reversed_days_give_minus_hundred() -> None:
    day = np.r_[np.zeros(12), np.ones(12)]
    assert sleep_regularity_index(np.r_[day, 1 - day], epochs_per_day=24, min_days=1).sri == -100


def week(first: date, n: int, into: str, tried: str, final: str, out: str, step: int = 0):
    out_entries = []
    for i in range(n):
        night = first + timedelta(days=i)
        e = entry(night, into, tried, 15, 1, 10, final, out)
        shift = timedelta(minutes=step * (i % 2))
        e.into_bed += shift
        e.tried_to_sleep += shift
        e.final_awakening += shift
        e.out_of_bed += shift
        out_entries.append(e)
    return out_entries


def test_diary_sri_is_hundred_for_the_same_wall_clock_times_across_dst() -> None:
    first = date(2026, 3, 4)  # 4..10 March includes the 7 March spring-forward night
    entries = week(first, 7, "22:45", "23:00", "06:45", "07:00")
    r = sri_from_entries(entries, first, first + timedelta(days=6), NY)
    assert r.sri == 100
    assert r.days == 7


def test_diary_sri_drops_when_every_other_night_is_an_hour_later() -> None:
    first = date(2026, 4, 1)
    entries = week(first, 7, "22:45", "23:00", "06:45", "07:00", step=60)
    r = sri_from_entries(entries, first, first + timedelta(days=6), NY)
    # each day pair disagrees for 60 min at onset and 60 min at wake: 120/1440
    assert r.sri == pytest.approx(-100 + 200 * (1 - 120 / 1440))


def test_missing_nights_are_missing_not_awake_and_too_few_give_no_sri() -> None:
    first = date(2026, 4, 1)
    entries = week(first, 7, "22:45", "23:00", "06:45", "07:00")
    gappy = [e for i, e in enumerate(entries) if i not in (2, 3, 4)]
    r = sri_from_entries(gappy, first, first + timedelta(days=6), NY)
    assert r.sri is None and "at least 5 days" in r.reason
    r2 = sri_from_entries(gappy, first, first + timedelta(days=6), NY, min_days=2)
    assert r2.sri == 100  # the gap is skipped, not scored as wake


def test_episode_sri_uses_stages() -> None:
    first = date(2026, 4, 1)
    eps = []
    for i in range(6):
        n = first + timedelta(days=i)
        eps.append(SleepEpisode(
            source="oura", external_id=str(i), start=at(n, "23:00"), end=at(n, "07:00"),
            tz=NY, night=n,
            stages=[StageSegment(at(n, "23:00"), at(n, "23:30"), "awake"),
                    StageSegment(at(n, "23:30"), at(n, "06:30"), "light")]))
    assert sri_from_episodes(eps, first, first + timedelta(days=5), NY).sri == 100


def test_circular_sd_is_safe_around_midnight() -> None:
    assert circular_sd_minutes([23 * 60 + 30, 30]) == pytest.approx(math.sqrt(1800))
    assert circular_mean_minutes([23 * 60 + 30, 30]) == pytest.approx(0, abs=1e-9) or \
        circular_mean_minutes([23 * 60 + 30, 30]) == pytest.approx(1440)
    assert circular_sd_minutes([420.0]) is None


def test_work_nights_are_followed_by_work_days() -> None:
    days = ("mon", "tue", "wed", "thu", "fri")
    assert is_work_night(date(2026, 3, 1), days)  # Sunday night -> Monday
    assert not is_work_night(date(2026, 3, 6), days)  # Friday night -> Saturday


def test_social_jetlag_worked_example() -> None:
    """Reference sheet 2.2: work 23:30 -> 06:30 (MSW 03:00), free 01:00 -> 09:30 (MSF 05:15),
    SJL = 2 h 15. Onset = tried + SOL, so tried = onset - 15 here."""
    first = date(2026, 4, 5)  # a Sunday: Sun..Thu are work nights, Fri and Sat free
    entries = []
    for i in range(7):
        n = first + timedelta(days=i)
        if is_work_night(n, Profile().work_days):
            entries.append(entry(n, "23:00", "23:15", 15, 0, 0, "06:30", "06:45"))
        else:
            entries.append(entry(n, "00:30", "00:45", 15, 0, 0, "09:30", "09:45"))
    profile = Profile(tz=NY)
    reg = window_regularity(diary_intervals(entries), first, first + timedelta(days=6), profile,
                            source="diary", lights_out=[e.tried_to_sleep for e in entries])
    assert (reg.work_nights, reg.free_nights) == (5, 2)
    assert reg.msw_clock == pytest.approx(3 * 60)
    assert reg.msf_clock == pytest.approx(5 * 60 + 15)
    assert reg.social_jetlag_minutes == pytest.approx(135)
    assert reg.social_jetlag_relative_minutes == pytest.approx(135)
    assert reg.sd_offset_minutes == pytest.approx(float(np.std([390] * 5 + [570] * 2, ddof=1)))
    assert reg.sri.sri is not None and reg.sri.sri < 100


def test_episode_timing_spans_the_main_episode_not_one_stage() -> None:
    first = date(2026, 4, 1)
    eps = []
    for i in range(6):
        n = first + timedelta(days=i)
        eps.append(SleepEpisode(
            source="oura", external_id=str(i), start=at(n, "23:00"), end=at(n, "07:00"),
            tz=NY, night=n,
            stages=[StageSegment(at(n, "23:00"), at(n, "02:00"), "light"),
                    StageSegment(at(n, "02:00"), at(n, "02:10"), "awake"),
                    StageSegment(at(n, "02:10"), at(n, "07:00"), "deep")]))
        eps.append(SleepEpisode(
            source="oura", external_id=f"nap{i}", start=at(n, "15:00"), end=at(n, "15:30"),
            tz=NY, night=n, is_nap=True))
    reg = window_regularity(episode_intervals(eps), first, first + timedelta(days=5),
                            Profile(tz=NY), source="oura", timing=main_sleep_times(eps))
    assert reg.mean_mid_sleep_clock == pytest.approx(3 * 60)
    assert reg.mean_onset_clock == pytest.approx(23 * 60)
    assert reg.sd_mid_sleep_minutes == pytest.approx(0, abs=1e-6)
    assert reg.sri.sri == 100  # naps at the same time every day keep it regular


def test_sri_needs_five_days_of_valid_pairs_not_days_in_a_pair() -> None:
    """sleepreg's minSRIdays counts days of valid pairs: three separate day-pairs over eight
    months take six days of data but are only three pairs, too few."""
    first = date(2026, 1, 1)
    last = first + timedelta(days=240)
    nights = [first + timedelta(days=d) for d in (0, 1, 100, 101, 239, 240)]
    entries = [entry(n, "22:45", "23:00", 15, 1, 10, "06:45", "07:00") for n in nights]
    r = sri_from_entries(entries, first, last, NY)
    assert r.sri is None and r.days_with_pairs == 3
    assert "5 days of valid pairs" in r.reason
    run = [entry(first + timedelta(days=d), "22:45", "23:00", 15, 1, 10, "06:45", "07:00")
           for d in range(6)]  # six consecutive days: five pairs
    r5 = sri_from_entries(run, first, last, NY)
    assert r5.days_with_pairs == 5 and r5.sri == 100
    short = sri_from_entries(run[:5], first, last, NY)  # five days: four pairs
    assert short.sri is None and short.days_with_pairs == 4


@pytest.mark.parametrize("first", [date(2026, 3, 4), date(2026, 10, 28)],
                         ids=["spring-forward", "fall-back"])
def test_mid_sleep_sd_and_social_jetlag_are_zero_for_one_wall_clock_routine_across_dst(first):
    """The same 23:00-07:00 wall-clock routine every night, a clock change in the middle: the
    SRI calls it perfectly regular, and so must mid-sleep SD and social jetlag."""
    entries = week(first, 7, "22:45", "23:00", "06:45", "07:00")
    last = first + timedelta(days=6)
    reg = window_regularity(diary_intervals(entries), first, last, Profile(tz=NY),
                            source="diary")
    assert reg.sri.sri == 100
    assert reg.sd_mid_sleep_minutes == pytest.approx(0, abs=1e-6)
    assert reg.social_jetlag_minutes == pytest.approx(0, abs=1e-6)
    assert reg.mean_mid_sleep_clock == pytest.approx(3 * 60)  # 23:15 (SOL 15) .. 06:45

"""Wearable-episode metrics: same definitions as the diary where a device can supply them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nightleaf.model.entities import SleepEpisode, StageSegment
from nightleaf.sleep.episode import episode_metrics, main_episodes
from tests.support.sleep_helpers import NY, at

NIGHT = date(2026, 3, 7)  # spring-forward night in New York


def seg(night: date, a: str, b: str, stage: str) -> StageSegment:
    return StageSegment(at(night, a), at(night, b), stage)


def staged(night: date, source: str = "oura") -> SleepEpisode:
    # 23:00 awake 23:20 light 01:30 awake 01:45 deep 05:00 rem 06:30 awake 07:00
    stages = [
        seg(night, "23:00", "23:20", "awake"),
        seg(night, "23:20", "01:30", "light"),
        seg(night, "01:30", "01:45", "awake"),
        seg(night, "01:45", "05:00", "deep"),
        seg(night, "05:00", "06:30", "rem"),
        seg(night, "06:30", "07:00", "awake"),
    ]
    return SleepEpisode(source=source, external_id=f"{source}-{night}", start=at(night, "23:00"),
                        end=at(night, "07:00"), tz=NY, night=night, stages=stages)


def test_staged_episode_on_a_dst_night_counts_real_minutes() -> None:
    # 23:00 EST -> 07:00 EDT is 7 h real time; deep 01:45 EST -> 05:00 EDT is 2 h 15 real
    m = episode_metrics(staged(NIGHT))
    assert m.source == "oura"
    assert m.tib_minutes == 420
    assert m.sol_minutes == 20
    assert m.waso_minutes == 15 and m.nwak == 1
    assert m.twak_minutes == 30
    assert m.stage_minutes == {"awake": 65, "light": 130, "deep": 135, "rem": 90}
    assert m.tst_minutes == 355
    assert m.tst_minutes + m.twt_minutes == m.tib_minutes
    assert m.se_percent == pytest.approx(100 * 355 / 420)


def test_device_values_win_over_stage_sums() -> None:
    ep = staged(date(2026, 3, 1))
    ep.tst_minutes, ep.sol_minutes, ep.waso_minutes, ep.awakenings = 400.0, 5.0, 12.0, 3
    m = episode_metrics(ep)
    assert (m.tst_minutes, m.sol_minutes, m.waso_minutes, m.nwak) == (400, 5, 12, 3)


def test_episode_without_stages_or_values_leaves_sleep_unknown() -> None:
    n = date(2026, 3, 1)
    ep = SleepEpisode(source="fitbit", external_id="x", start=at(n, "23:00"), end=at(n, "06:00"),
                      tz=NY, night=n)
    m = episode_metrics(ep)
    assert m.tib_minutes == 420
    assert m.tst_minutes is None and m.se_percent is None and m.waso_minutes is None
    assert m.quality is None and m.ema_minutes is None and m.tried_to_sleep is None


def test_main_episode_is_the_longest_non_nap_per_source_and_night() -> None:
    n = date(2026, 3, 1)
    main = staged(n)
    nap = SleepEpisode(source="oura", external_id="nap", start=at(n, "15:00"),
                       end=at(n, "15:40"), tz=NY, night=n, is_nap=True)
    other = staged(n, source="fitbit")
    short = SleepEpisode(source="oura", external_id="s", start=at(n, "20:00"),
                         end=at(n, "20:30"), tz=NY, night=n)
    got = main_episodes([nap, short, main, other])
    assert got == {("oura", n): main, ("fitbit", n): other}


def test_tst_longer_than_the_record_is_flagged_not_kept() -> None:
    ep = staged(date(2026, 3, 1))
    ep.tst_minutes = ep.end.timestamp() / 60 - ep.start.timestamp() / 60 + 30
    m = episode_metrics(ep)
    assert m.tst_minutes is None and m.problems
    assert ep.end - ep.start == timedelta(hours=8)

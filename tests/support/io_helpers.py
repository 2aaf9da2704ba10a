"""Small domain objects shared by tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from nightleaf.model.entities import SleepEpisode, StageSegment


def sample_episodes() -> list[SleepEpisode]:
    t0 = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    stages = [StageSegment(t0 + timedelta(minutes=30 * k), t0 + timedelta(minutes=30 * (k + 1)),
                           ("light", "deep", "rem", "awake")[k % 4]) for k in range(14)]
    return [SleepEpisode(source="apple_health", external_id="watch:2026-10-31", start=t0,
                         end=t0 + timedelta(hours=7), tz="America/New_York",
                         night=date(2026, 10, 31), device="Apple Watch", tst_minutes=360,
                         awakenings=3, stages=stages)]

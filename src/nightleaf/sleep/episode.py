"""Per-night metrics from a wearable or app sleep episode, labelled with its source.

The same definitions as the diary (Carney et al. 2012) where a device can supply them:

- TIB  = episode end - episode start (the recorded period)
- TST  = the device's own total sleep when given, else the minutes of sleep stages
         (``light``, ``deep``, ``rem``, ``asleep``)
- SOL  = the device's value when given, else start -> first sleep stage
- WASO = the device's value when given, else ``awake`` minutes between first and last sleep stage
- TWAK = last sleep stage end -> episode end (only with stages)
- NWAK = the device's count when given, else ``awake`` segments between first and last sleep
- SE   = 100 x TST / TIB
- stage minutes per stage label: the file's own figure where it states one (Oura's exact
  ``deep/light/rem_sleep_duration`` and ``awake_time``), else the segments' minutes

A device has no "tried to sleep" time, EMA or quality rating: those stay ``None``. Diary and
device values are never averaged; a night can have one :class:`NightMetrics` per source.

>>> from datetime import UTC, date, datetime
>>> from nightleaf.model.entities import SleepEpisode, StageSegment
>>> t = lambda h, m: datetime(2026, 1, 2 if h < 12 else 1, h, m, tzinfo=UTC)
>>> ep = SleepEpisode(source="oura", external_id="x", start=t(23, 0), end=t(7, 0), tz="UTC",
...     night=date(2026, 1, 1), stages=[StageSegment(t(23, 0), t(23, 20), "awake"),
...     StageSegment(t(23, 20), t(3, 0), "light"), StageSegment(t(3, 0), t(3, 30), "awake"),
...     StageSegment(t(3, 30), t(6, 40), "deep"), StageSegment(t(6, 40), t(7, 0), "awake")])
>>> m = episode_metrics(ep)
>>> (m.tib_minutes, m.sol_minutes, m.waso_minutes, m.twak_minutes, m.tst_minutes, m.nwak)
(480.0, 20.0, 30.0, 20.0, 410.0, 1)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from nightleaf.model.clock import minutes_between
from nightleaf.model.entities import SleepEpisode, StageSegment
from nightleaf.sleep.diary import NightMetrics

SLEEP_STAGES = frozenset({"light", "deep", "rem", "asleep"})


def sleep_segments(episode: SleepEpisode) -> list[StageSegment]:
    """The episode's sleep-stage segments in time order."""
    return sorted((s for s in episode.stages if s.stage in SLEEP_STAGES), key=lambda s: s.start)


def file_stage_minutes(episode: SleepEpisode) -> dict[str, float]:
    """The minutes per stage the file itself states (Oura's exact durations), by stage label;
    a stage the file does not state is left out (the segments' sum stands for it)."""
    given = (("deep", episode.deep_minutes), ("light", episode.light_minutes),
             ("rem", episode.rem_minutes), ("awake", episode.awake_minutes))
    return {stage: v for stage, v in given if v is not None}


def episode_metrics(episode: SleepEpisode) -> NightMetrics:
    """Compute the metrics of one episode (see the module docstring)."""
    problems: list[str] = []
    tib = minutes_between(episode.start, episode.end)
    if tib < 0:
        problems.append("episode ends before it starts")
        tib_opt: float | None = None
    else:
        tib_opt = tib

    stage_minutes: dict[str, float] = {}
    for seg in episode.stages:
        stage_minutes[seg.stage] = stage_minutes.get(seg.stage, 0.0) + max(
            0.0, minutes_between(seg.start, seg.end)
        )
    stage_minutes.update(file_stage_minutes(episode))
    asleep = sleep_segments(episode)
    first = asleep[0].start if asleep else None
    last = max(s.end for s in asleep) if asleep else None

    tst = episode.tst_minutes
    if tst is None and asleep:
        tst = sum(stage_minutes.get(s, 0.0) for s in SLEEP_STAGES)
    sol = episode.sol_minutes
    if sol is None and first is not None:
        sol = max(0.0, minutes_between(episode.start, first))
    inner_awake = [
        s
        for s in episode.stages
        if s.stage == "awake" and first is not None and last is not None
        and s.start >= first and s.end <= last
    ]
    waso = episode.waso_minutes
    if waso is None and asleep:
        waso = sum(minutes_between(s.start, s.end) for s in inner_awake)
    nwak = episode.awakenings
    if nwak is None and asleep:
        nwak = len(inner_awake)
    twak = max(0.0, minutes_between(last, episode.end)) if last is not None else None
    twt = sol + waso + twak if None not in (sol, waso, twak) else None  # type: ignore[operator]

    if tst is not None and tib_opt is not None and tst > tib_opt + 1e-9:
        problems.append("total sleep is longer than the recorded period")
        tst = None
    se = 100.0 * tst / tib_opt if tst is not None and tib_opt else None

    onset = first
    if onset is None and sol is not None:
        onset = episode.start + timedelta(minutes=sol)
    offset = last if last is not None else episode.end
    if onset is None:
        onset = episode.start
    return NightMetrics(
        night=episode.night,
        source=episode.source,
        tib_minutes=tib_opt,
        sol_minutes=sol,
        nwak=nwak,
        waso_minutes=waso,
        twak_minutes=twak,
        twt_minutes=twt,
        tst_minutes=tst,
        se_percent=se,
        onset=onset,
        offset=offset,
        stage_minutes=stage_minutes,
        problems=tuple(problems),
    )


def main_episodes(episodes: Iterable[SleepEpisode]) -> dict[tuple[str, date], SleepEpisode]:
    """The main (longest non-nap) episode of each (source, night)."""
    best: dict[tuple[str, date], SleepEpisode] = {}
    for ep in episodes:
        if ep.is_nap:
            continue
        key = (ep.source, ep.night)
        cur = best.get(key)
        if cur is None or (ep.end - ep.start) > (cur.end - cur.start):
            best[key] = ep
    return best

"""Oura sleep periods → sleep episodes.

Reads the API v2 ``/v2/usercollection/sleep`` document (``{"data": [...]}``) and the legacy
API v1 ``/v1/sleep`` document (``{"sleep": [...]}``). ``bedtime_start``/``bedtime_end`` carry
their own UTC offset. The 5-minute hypnogram (``sleep_phase_5_min`` in v2, ``hypnogram_5min``
in v1; 1 deep, 2 light, 3 REM, 4 awake) becomes stage segments from ``bedtime_start``, the last
one clipped at ``bedtime_end``. TST and SOL are Oura's figures (``total_sleep_duration`` or
``total``; ``latency`` or ``onset_latency``); WASO and awakenings come from the hypnogram.
Periods other than ``long_sleep`` are naps; ``deleted`` periods are skipped.

>>> [s.stage for s in hypnogram("1234", datetime(2024, 1, 1, tzinfo=UTC))]
['deep', 'light', 'rem', 'awake']
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nightleaf.errors import FormatError
from nightleaf.io._common import (
    ProgressFn,
    Reporter,
    bad_file,
    content_id,
    metrics_from_segments,
)
from nightleaf.io._json import load_json
from nightleaf.model import SleepEpisode, StageSegment, night_of, zone

SOURCE = "oura"
PHASES = {"1": "deep", "2": "light", "3": "rem", "4": "awake"}
EPOCH = timedelta(minutes=5)
_HINT = "choose the sleep JSON from Oura's API (v2 /usercollection/sleep or v1 /sleep)"


def hypnogram(text: str, start: datetime, end: datetime | None = None) -> list[StageSegment]:
    """Runs of a 5-minute hypnogram as segments (unknown characters leave a gap)."""
    out: list[StageSegment] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        stage = PHASES.get(text[i])
        if stage is not None:
            s, e = start + i * EPOCH, start + j * EPOCH
            if end is not None:
                e = min(e, end)
            if e > s:
                out.append(StageSegment(s, e, stage))
        i = j
    return out


def _instant(value: Any, name: str, key: str) -> datetime:
    try:
        t = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise bad_file(name, f"cannot read {key} {value!r}", hint=_HINT) from None
    if t.tzinfo is None:
        raise bad_file(name, f"{key} {value!r} has no UTC offset", hint=_HINT)
    return t.astimezone(UTC)


def _secs(v: Any) -> float | None:
    return round(float(v) / 60.0, 3) if isinstance(v, int | float) else None


def periods(doc: Any, name: str) -> list[dict[str, Any]]:
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        items = doc["data"]
    elif isinstance(doc, dict) and isinstance(doc.get("sleep"), list):
        items = doc["sleep"]
    elif isinstance(doc, list):
        items = doc
    else:
        raise bad_file(name, "not Oura sleep data (expected {\"data\": [...]} or "
                       "{\"sleep\": [...]})", hint=_HINT)
    for i, it in enumerate(items):
        if not isinstance(it, dict) or "bedtime_start" not in it or "bedtime_end" not in it:
            raise bad_file(name, f"sleep period {i + 1} has no bedtime_start/bedtime_end",
                           hint=_HINT)
    return items


def episode(p: dict[str, Any], *, tz: str, name: str = "oura") -> SleepEpisode | None:
    if p.get("type") == "deleted":
        return None
    start = _instant(p["bedtime_start"], name, "bedtime_start")
    end = _instant(p["bedtime_end"], name, "bedtime_end")
    hyp = p.get("sleep_phase_5_min") or p.get("hypnogram_5min") or ""
    stages = hypnogram(str(hyp), start, end)
    met = metrics_from_segments(stages)
    tst = _secs(p.get("total_sleep_duration", p.get("total")))
    sol = _secs(p.get("latency", p.get("onset_latency")))
    if "id" in p:
        ext = str(p["id"])
        nap = p.get("type") != "long_sleep"
    else:
        ext = content_id("oura-v1", p["bedtime_start"], p.get("period_id"))
        nap = p.get("is_longest", 1) != 1 and p.get("type") != "long_sleep"
    return SleepEpisode(
        source=SOURCE, external_id=ext, start=start, end=end, tz=tz,
        night=night_of(start, tz), device="Oura", tst_minutes=tst if tst is not None
        else met.tst_minutes, sol_minutes=sol if sol is not None else met.sol_minutes,
        waso_minutes=met.waso_minutes, awakenings=met.awakenings, stages=stages, is_nap=nap)


def read_oura(path: str | Path, *, tz: str,
              on_progress: ProgressFn | None = None) -> Iterator[SleepEpisode]:
    """Sleep episodes from an Oura sleep JSON document."""
    zone(tz)
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FormatError(f"{p}: cannot read the file ({exc.strerror})") from None
    rep = Reporter(on_progress, len(data))
    nights = set()
    for item in periods(load_json(data, p), str(p)):
        ep = episode(item, tz=tz, name=str(p))
        if ep is None:
            continue
        if ep.night not in nights:
            nights.add(ep.night)
            rep.night()
        yield ep
    rep.bytes(len(data))
    rep.done()

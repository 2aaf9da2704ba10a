"""Oura sleep periods → sleep episodes.

Reads the API v2 ``/v2/usercollection/sleep`` document (``{"data": [...]}``) and the legacy
API v1 ``/v1/sleep`` document (``{"sleep": [...]}``). ``bedtime_start``/``bedtime_end`` carry
their own UTC offset. The 5-minute hypnogram (``sleep_phase_5_min`` in v2, ``hypnogram_5min``
in v1; 1 deep, 2 light, 3 REM, 4 awake) becomes stage segments from ``bedtime_start``, the last
one clipped at ``bedtime_end``. Stage minutes are the file's exact durations in seconds
(``deep/light/rem_sleep_duration`` and ``awake_time`` in v2; ``deep``, ``light``, ``rem`` and
``awake`` in v1), kept beside the segments. TST and SOL are Oura's exact figures in seconds
(``total_sleep_duration`` or ``total``; ``latency`` or ``onset_latency``). WASO is Oura's exact
awake time (``awake_time`` or ``awake``, all awake time in bed) less SOL and less the terminal
wake after the last sleep epoch of the hypnogram (the one part Oura does not give in seconds),
so SOL + WASO + TWAK = TIB - TST. Awakenings (NWAK) are the awake runs of the hypnogram between
sleep onset and the final awakening, which is not Oura's ``wake_up_count`` (see
docs/metrics.md). Periods other than ``long_sleep`` are naps; ``deleted`` periods are skipped.
The document is streamed (ijson), one period at a time.

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
    SLEEP_STAGES,
    Limits,
    ProgressFn,
    Reporter,
    bad_file,
    check_finite,
    content_id,
    metrics_from_segments,
)
from nightleaf.io._json import records
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
    return list(items)


#: the file's exact figures in seconds: (v2 name, (v2 name, v1 name))
_EXACT = (("total_sleep_duration", ("total_sleep_duration", "total")),
          ("latency", ("latency", "onset_latency")), ("awake_time", ("awake_time", "awake")),
          ("deep_sleep_duration", ("deep_sleep_duration", "deep")),
          ("light_sleep_duration", ("light_sleep_duration", "light")),
          ("rem_sleep_duration", ("rem_sleep_duration", "rem")))


def _first(p: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if p.get(k) is not None:
            return p[k]
    return None


def episode(p: dict[str, Any], *, tz: str, name: str = "oura") -> SleepEpisode | None:
    try:
        return _episode(p, tz=tz, name=name)
    except (OverflowError, ValueError, TypeError):
        raise bad_file(name, f"sleep period {p.get('id') or p.get('bedtime_start')!s:.60}: a "
                       "time or duration out of range", hint=_HINT) from None


def _episode(p: dict[str, Any], *, tz: str, name: str) -> SleepEpisode | None:
    if p.get("type") == "deleted":
        return None
    raw = {k: _first(p, *keys) for k, keys in _EXACT}
    check_finite(name, f"sleep period {p.get('id') or p.get('bedtime_start')}",
                 **{k: v for k, v in raw.items() if isinstance(v, int | float)})
    start = _instant(p["bedtime_start"], name, "bedtime_start")
    end = _instant(p["bedtime_end"], name, "bedtime_end")
    hyp = p.get("sleep_phase_5_min") or p.get("hypnogram_5min") or ""
    stages = hypnogram(str(hyp), start, end)
    met = metrics_from_segments(stages)
    tst = _secs(raw["total_sleep_duration"])
    sol = _secs(raw["latency"])
    awake = _secs(raw["awake_time"])
    waso = met.waso_minutes
    sleep_ends = [s.end for s in stages if s.stage in SLEEP_STAGES]
    if awake is not None and sol is not None and sleep_ends:
        twak = max(0.0, (end - max(sleep_ends)).total_seconds() / 60.0)
        exact = round(awake - sol - twak, 3)
        waso = max(0.0, exact) if exact >= -2.5 else None  # half an epoch of slack
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
        waso_minutes=waso, awakenings=met.awakenings, stages=stages, is_nap=nap,
        deep_minutes=_secs(raw["deep_sleep_duration"]),
        light_minutes=_secs(raw["light_sleep_duration"]),
        rem_minutes=_secs(raw["rem_sleep_duration"]), awake_minutes=awake)


def read_oura(path: str | Path, *, tz: str, on_progress: ProgressFn | None = None,
              limits: Limits | None = None) -> Iterator[SleepEpisode]:
    """Sleep episodes from an Oura sleep JSON document, streamed one period at a time."""
    zone(tz)
    p = Path(path)
    lim = limits or Limits.from_env()
    try:
        fh = open(p, "rb")  # noqa: SIM115 - closed by the `with fh` below
        size = p.stat().st_size
    except OSError as exc:
        raise FormatError(f"{p}: cannot read the file ({exc.strerror})") from None
    rep = Reporter(on_progress, size)
    nights = set()
    top: list[str] = []
    found = False
    with fh:
        for where, item in records(fh, p, ("data.item", "sleep.item", "item"), lim, top=top):
            if (where == "item") != (top[0] == "array"):
                continue
            found = True
            periods([item], str(p))  # the same checks as a whole document gets
            ep = episode(item, tz=tz, name=str(p))
            if ep is None:
                continue
            if ep.night not in nights:
                nights.add(ep.night)
                rep.night()
            yield ep
    if not found and top and (top[0] not in ("map", "array") or (
            top[0] == "map" and "key:data" not in top and "key:sleep" not in top)):
        # (an empty list is fine: nothing to import)
        raise bad_file(p, "not Oura sleep data (expected {\"data\": [...]} or "
                       "{\"sleep\": [...]})", hint=_HINT)
    rep.bytes(size)
    rep.done()

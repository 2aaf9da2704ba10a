"""Fitbit sleep logs → sleep episodes.

Reads the account export's ``sleep-YYYY-MM-DD.json`` files (a JSON array of logs), a folder or
zip of them, and the Web API v1.2 shapes (``{"sleep": [...], "summary": {...}}`` or an array of
such daily responses). Both ``stages`` logs (wake/light/deep/rem, with ``shortData`` short
wakes laid over the stages) and ``classic`` logs (asleep/restless/awake; restless counts as
awake, as Fitbit's own ``minutesAwake`` does) are read.

Fitbit times carry no UTC offset. The log's ``startTime`` is read as a wall-clock time in the
profile zone, and the log is laid out from there on its own continuous clock (``duration`` and
each level's ``seconds``), so a log that spans a daylight-saving change keeps its true length.
TST, SOL and WASO are Fitbit's own figures (``minutesAsleep``, ``minutesToFallAsleep``,
``minutesAwake``). Files are read one at a time: memory is bounded by the largest file (one
month of logs), not by the export.

>>> _stage("restless"), _stage("wake")
('awake', 'awake')
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nightleaf.errors import FormatError, InputError
from nightleaf.io._common import ProgressFn, Reporter, bad_file, metrics_from_segments, overlay
from nightleaf.io._json import load_json
from nightleaf.model import SleepEpisode, StageSegment, night_of, resolve_local, zone

SOURCE = "fitbit"
_LEVELS = {"wake": "awake", "awake": "awake", "restless": "awake", "light": "light",
           "deep": "deep", "rem": "rem", "asleep": "asleep"}
_HINT = "choose the sleep-*.json files of the Fitbit export (or a folder or zip of them)"


def _stage(level: str) -> str:
    return _LEVELS[level]


def _files(path: Path) -> Iterator[tuple[str, int, Any]]:
    """Yield (name, size, opener) for each sleep JSON file under ``path``."""
    if path.is_dir():
        found = sorted(path.rglob("sleep-*.json")) or sorted(path.glob("*.json"))
        if not found:
            raise bad_file(path, "no sleep-*.json files in this folder", hint=_HINT)
        for f in found:
            yield str(f), f.stat().st_size, f.read_bytes
        return
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file ({exc.strerror})") from None
    if is_zip:
        with zipfile.ZipFile(path) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()
                       and i.filename.rsplit("/", 1)[-1].startswith("sleep-")
                       and i.filename.endswith(".json")]
            if not members:
                raise bad_file(path, "this zip has no sleep-*.json files", hint=_HINT)
            for info in sorted(members, key=lambda i: i.filename):
                yield (f"{path}!{info.filename}", info.file_size,
                       lambda info=info: zf.read(info))
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file ({exc.strerror})") from None
    yield str(path), size, path.read_bytes


def _logs(doc: Any, name: str) -> list[dict[str, Any]]:
    """The sleep logs of one file, whatever its shape."""
    if isinstance(doc, dict) and isinstance(doc.get("sleep"), list):
        items: list[Any] = doc["sleep"]
    elif isinstance(doc, list):
        items = []
        for day in doc:
            if isinstance(day, dict) and "logId" in day:
                items.append(day)
            elif isinstance(day, dict) and isinstance(day.get("sleep"), list):
                items.extend(day["sleep"])
            else:
                raise bad_file(name, "an entry is neither a sleep log nor a {\"sleep\": [...]} "
                               "response", hint=_HINT)
    else:
        raise bad_file(name, "not Fitbit sleep data (expected a list of sleep logs or "
                       "{\"sleep\": [...]})", hint=_HINT)
    for i, log in enumerate(items):
        if not isinstance(log, dict) or "logId" not in log or "startTime" not in log:
            raise bad_file(name, f"sleep log {i + 1} has no logId or startTime", hint=_HINT)
    return items


def _wall(text: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except (TypeError, ValueError):
        raise bad_file(name, f"cannot read the time {text!r}") from None


def _anchor(wall: datetime, tz: str) -> datetime:
    """A wall-clock time in ``tz`` as UTC; a time in a spring-forward gap moves past it."""
    try:
        return resolve_local(wall.date(), wall.time(), tz)
    except InputError:
        later = wall + timedelta(hours=1)
        return resolve_local(later.date(), later.time(), tz)


def _minutes(log: dict[str, Any], key: str) -> float | None:
    v = log.get(key)
    return float(v) if isinstance(v, int | float) else None


def episode(log: dict[str, Any], *, tz: str, name: str = "fitbit") -> SleepEpisode:
    """One Fitbit sleep log as a :class:`SleepEpisode`."""
    start_wall = _wall(log["startTime"], name)
    start = _anchor(start_wall, tz)
    if isinstance(log.get("duration"), int | float):
        end = start + timedelta(milliseconds=log["duration"])
    else:
        end = start + (_wall(log.get("endTime", ""), name) - start_wall)
    raw_levels = log.get("levels")
    levels: dict[str, Any] = raw_levels if isinstance(raw_levels, dict) else {}

    def segs(key: str) -> list[StageSegment]:
        out = []
        for item in levels.get(key) or []:
            try:
                level = _stage(item["level"])
                s = start + (_wall(item["dateTime"], name) - start_wall)
                out.append(StageSegment(s, s + timedelta(seconds=float(item["seconds"])), level))
            except (KeyError, TypeError, ValueError):
                raise bad_file(name, f"log {log['logId']}: a {key} entry is not "
                               "{dateTime, level, seconds}", hint=_HINT) from None
        return out

    stages = overlay(segs("data"), segs("shortData"))
    summary = levels.get("summary") or {}
    wake = summary.get("wake") or summary.get("awake") or {}
    awakenings = wake.get("count") if isinstance(wake, dict) else None
    tst = _minutes(log, "minutesAsleep")
    if tst is None and stages:
        tst = metrics_from_segments(stages).tst_minutes
    main = log.get("isMainSleep", log.get("mainSleep", True))
    return SleepEpisode(
        source=SOURCE, external_id=str(log["logId"]), start=start.astimezone(UTC),
        end=end.astimezone(UTC), tz=tz, night=night_of(start, tz),
        device="Fitbit", tst_minutes=tst, sol_minutes=_minutes(log, "minutesToFallAsleep"),
        waso_minutes=_minutes(log, "minutesAwake"),
        awakenings=awakenings if isinstance(awakenings, int) else None,
        stages=stages, is_nap=not bool(main),
    )


def read_fitbit(path: str | Path, *, tz: str,
                on_progress: ProgressFn | None = None) -> Iterator[SleepEpisode]:
    """Sleep episodes from a Fitbit sleep JSON file, a folder or a zip of them. Logs that
    appear in several files (overlapping exports) are yielded once."""
    zone(tz)
    p = Path(path)
    files = list(_files(p)) if p.is_dir() else None
    total = sum(size for _, size, _ in files) if files is not None else None
    if total is None and not zipfile.is_zipfile(p):
        total = p.stat().st_size if p.exists() else None
    rep = Reporter(on_progress, total, step=1)
    done = 0
    seen: set[str] = set()
    nights: set[object] = set()
    for name, size, read in files if files is not None else _files(p):
        logs = _logs(load_json(read(), name), name)
        done += size
        for log in logs:
            ep = episode(log, tz=tz, name=name)
            if ep.external_id in seen:
                continue
            seen.add(ep.external_id)
            if ep.night not in nights:
                nights.add(ep.night)
                rep.night()
            yield ep
        rep.bytes(done)
    rep.done()

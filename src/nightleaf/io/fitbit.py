"""Fitbit sleep logs → sleep episodes.

Reads the account export's ``sleep-YYYY-MM-DD.json`` files (a JSON array of logs), a folder or
zip of them, and the Web API v1.2 shapes (``{"sleep": [...], "summary": {...}}`` or an array of
such daily responses). Both ``stages`` logs (wake/light/deep/rem, with ``shortData`` short
wakes laid over the stages) and ``classic`` logs (asleep/restless/awake; restless counts as
awake, as Fitbit's own ``minutesAwake`` does) are read.

Fitbit times carry no UTC offset. The log's ``startTime`` is read as a wall-clock time in the
profile zone, and the log is laid out from there on its own continuous clock (``duration`` and
each level's ``seconds``), so a log that spans a daylight-saving change keeps its true length.
TST is Fitbit's own ``minutesAsleep`` and TIB its ``duration``. Fitbit's ``minutesAwake`` is
every awake minute of the log (before sleep onset and after the final awakening too; classic
logs keep ``minutesAfterWakeup`` apart), so it is not WASO: SOL and TWAK are taken from the
stages when the log has them (else ``minutesToFallAsleep`` and ``minutesAfterWakeup``) and
WASO = TIB - TST - SOL - TWAK, so SOL + WASO + TWAK = TIB - TST exactly. Files are streamed
(ijson), one log at a time: memory is bounded by one log, not by the file or the export.

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
from nightleaf.io._common import (
    Limits,
    ProgressFn,
    Reporter,
    bad_file,
    check_finite,
    metrics_from_segments,
    open_member,
    overlay,
)
from nightleaf.io._json import records
from nightleaf.model import SleepEpisode, StageSegment, night_of, resolve_local, zone

SOURCE = "fitbit"
_LEVELS = {"wake": "awake", "awake": "awake", "restless": "awake", "light": "light",
           "deep": "deep", "rem": "rem", "asleep": "asleep"}
_HINT = "choose the sleep-*.json files of the Fitbit export (or a folder or zip of them)"


def _stage(level: str) -> str:
    return _LEVELS[level]


def _open_file(f: Path) -> Any:
    try:
        return open(f, "rb")
    except OSError as exc:
        raise FormatError(f"{f}: cannot read the file ({exc.strerror}); check its "
                          "permissions or export again") from None


def _files(path: Path, limits: Limits) -> Iterator[tuple[str, int, Any]]:
    """Yield (name, size, opener of a binary stream) for each sleep JSON file under ``path``."""
    if path.is_dir():
        found = sorted(path.rglob("sleep-*.json")) or sorted(path.glob("*.json"))
        if not found:
            raise bad_file(path, "no sleep-*.json files in this folder", hint=_HINT)
        for f in found:
            try:
                size = f.stat().st_size
            except OSError as exc:
                raise FormatError(f"{f}: cannot read the file ({exc.strerror})") from None
            yield str(f), size, lambda f=f: _open_file(f)
        return
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file ({exc.strerror})") from None
    if is_zip:
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            raise bad_file(path, "a damaged zip archive", hint=_HINT) from None
        with zf:
            members = [i for i in zf.infolist() if not i.is_dir()
                       and i.filename.rsplit("/", 1)[-1].startswith("sleep-")
                       and i.filename.endswith(".json")]
            if not members:
                raise bad_file(path, "this zip has no sleep-*.json files", hint=_HINT)
            for info in sorted(members, key=lambda i: i.filename):
                member = f"{path}!{info.filename}"
                yield (member, info.file_size,
                       lambda info=info, member=member: open_member(zf, info, member, limits))
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file ({exc.strerror})") from None
    yield str(path), size, lambda: _open_file(path)


def _stream_logs(stream: Any, name: str, limits: Limits) -> Iterator[dict[str, Any]]:
    """The sleep logs of one file, streamed, whatever its shape (see :func:`_logs`)."""
    top: list[str] = []
    found = False
    for _path, value in records(stream, name, ("item", "sleep.item"), limits, top=top):
        found = True
        yield from _logs([value] if _path == "item" else {"sleep": [value]}, name)
    if not found and top and (top[0] not in ("map", "array")
                              or (top[0] == "map" and "key:sleep" not in top)):
        raise bad_file(name, "not Fitbit sleep data (expected a list of sleep logs or "
                       "{\"sleep\": [...]})", hint=_HINT)


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
    """One Fitbit sleep log as a :class:`SleepEpisode` (see the module docstring for how TST,
    SOL and WASO relate to Fitbit's own figures)."""
    try:
        return _episode(log, tz=tz, name=name)
    except (OverflowError, ValueError, TypeError, InputError):
        raise bad_file(name, f"sleep log {log.get('logId')}: a time or duration out of range "
                       f"(start {str(log.get('startTime'))[:40]!r}, duration "
                       f"{str(log.get('duration'))[:40]})", hint=_HINT) from None


def _episode(log: dict[str, Any], *, tz: str, name: str) -> SleepEpisode:
    check_finite(name, f"sleep log {log.get('logId')}", **{
        k: log[k] for k in ("duration", "minutesAsleep", "minutesAwake", "minutesToFallAsleep",
                            "minutesAfterWakeup", "timeInBed")
        if isinstance(log.get(k), int | float)})
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
    met = metrics_from_segments(stages) if stages else None
    if tst is None and met is not None:
        tst = met.tst_minutes
    sol, waso = _sol_waso(log, start, end, stages, tst)
    main = log.get("isMainSleep", log.get("mainSleep", True))
    return SleepEpisode(
        source=SOURCE, external_id=str(log["logId"]), start=start.astimezone(UTC),
        end=end.astimezone(UTC), tz=tz, night=night_of(start, tz),
        device="Fitbit", tst_minutes=tst, sol_minutes=sol, waso_minutes=waso,
        awakenings=awakenings if isinstance(awakenings, int) else None,
        stages=stages, is_nap=not bool(main),
    )


def _sol_waso(log: dict[str, Any], start: datetime, end: datetime,
              stages: list[StageSegment], tst: float | None
              ) -> tuple[float | None, float | None]:
    """SOL and WASO of a log: SOL (and TWAK) from the stages when there are any, else Fitbit's
    ``minutesToFallAsleep`` (``minutesAfterWakeup``); WASO is what remains of the awake time
    TIB - TST once SOL and TWAK are taken off (never Fitbit's ``minutesAwake``, which holds
    them too). A remainder below zero means the log contradicts itself: WASO unknown.

    >>> t = datetime(2024, 1, 1, 23, 0, tzinfo=UTC)
    >>> segs = [StageSegment(t, t + timedelta(minutes=10), "awake"),
    ...         StageSegment(t + timedelta(minutes=10), t + timedelta(minutes=100), "light"),
    ...         StageSegment(t + timedelta(minutes=100), t + timedelta(minutes=120), "awake")]
    >>> _sol_waso({"minutesAwake": 30}, t, t + timedelta(minutes=120), segs, 90.0)
    (10.0, 0.0)
    """
    tib = (end - start).total_seconds() / 60.0
    sleep = [s for s in stages if s.stage in ("light", "deep", "rem", "asleep")]
    if sleep:
        sol: float | None = max(0.0, (min(s.start for s in sleep) - start).total_seconds() / 60)
        twak: float | None = max(0.0, (end - max(s.end for s in sleep)).total_seconds() / 60)
    else:
        sol = _minutes(log, "minutesToFallAsleep")
        twak = _minutes(log, "minutesAfterWakeup")
    if tst is None or sol is None or twak is None:
        return sol, None
    waso = round(tib - tst - sol - twak, 3)
    if waso < -0.5:  # more than Fitbit's 30-s epochs can explain
        return sol, None
    return sol, max(0.0, waso)


def read_fitbit(path: str | Path, *, tz: str, on_progress: ProgressFn | None = None,
                limits: Limits | None = None) -> Iterator[SleepEpisode]:
    """Sleep episodes from a Fitbit sleep JSON file, a folder or a zip of them. Logs that
    appear in several files (overlapping exports) are yielded once."""
    zone(tz)
    p = Path(path)
    lim = limits or Limits.from_env()
    files = list(_files(p, lim)) if p.is_dir() else None
    total = sum(size for _, size, _ in files) if files is not None else None
    if total is None and p.is_file() and not zipfile.is_zipfile(p):
        total = p.stat().st_size
    rep = Reporter(on_progress, total, step=1)
    done = 0
    seen: set[str] = set()
    nights: set[object] = set()
    for name, size, opener in files if files is not None else _files(p, lim):
        try:
            with opener() as stream:
                for log in _stream_logs(stream, name, lim):
                    ep = episode(log, tz=tz, name=name)
                    if ep.external_id in seen:
                        continue
                    seen.add(ep.external_id)
                    if ep.night not in nights:
                        nights.add(ep.night)
                        rep.night()
                    yield ep
        except OSError as exc:
            raise FormatError(f"{name}: cannot read the file ({exc.strerror or exc}); check "
                              "its permissions or export again") from None
        done += size
        rep.bytes(done)
    rep.done()

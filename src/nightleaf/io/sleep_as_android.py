"""Sleep as Android ``sleep-export.csv`` (or the app's export zip holding it) → episodes.

Each record is a header row (``Id,Tz,From,To,Sched,Hours,...``, then per-record actigraphy
columns and ``Event`` columns) followed by its data row. ``Id`` is the start in epoch
milliseconds (an exact instant); ``To`` is a local time (``25. 12. 2021 8:00``, day first) in
the record's own ``Tz``, truncated to the minute. The record's length is ``Hours`` (rounded to
0.01 h), so the end is ``Id`` + ``Hours`` kept within the minute ``To`` names: TIB is exact to
about 18 s. TST is the app's own sleep time, ``Hours`` plus ``LenAdjust`` (minutes, negative
when the app took awake time off; ``-1.0`` means "not set", as sleepdiary/core reads it), never
more than TIB. Phase events (``LIGHT_START-<ms>``,
``DEEP_END-<ms>``, ``REM_START``, ``AWAKE_START``...) become stage segments, awake laid over the
phases; SOL, WASO and awakenings come from them when present. Rows are read one at a time.

>>> parse_local("25. 12. 2021 8:00")
datetime.datetime(2021, 12, 25, 8, 0)
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from nightleaf.errors import FormatError, InputError
from nightleaf.io._common import (
    CountingReader,
    Limits,
    ProgressFn,
    Reporter,
    bad_file,
    check_finite,
    metrics_from_segments,
    open_member,
    overlay,
    read_line,
)
from nightleaf.model import SleepEpisode, StageSegment, night_of, resolve_local, zone

SOURCE = "sleep_as_android"
HEADER = ["Id", "Tz", "From", "To", "Sched", "Hours"]
_LOCAL = re.compile(r"^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s+(\d{1,2}):(\d{2})\s*$")
_EVENT = re.compile(r"^(LIGHT|DEEP|REM|AWAKE)_(START|END)-(\d{10,14})")
_HINT = "choose sleep-export.csv from Sleep as Android's backup/export"


def parse_local(text: str) -> datetime:
    m = _LOCAL.match(text)
    if not m:
        raise ValueError(text)
    d, mo, y, h, mi = (int(x) for x in m.groups())
    return datetime(y, mo, d, h, mi)  # noqa: DTZ001 - a wall-clock time in the record's Tz


def _local_to_utc(wall: datetime, tz: str) -> datetime:
    try:
        return resolve_local(wall.date(), wall.time(), tz)
    except InputError:
        later = wall + timedelta(hours=1)
        return resolve_local(later.date(), later.time(), tz)


def _ms(v: str) -> datetime:
    return datetime.fromtimestamp(int(v) / 1000.0, tz=UTC)


def _stages(events: list[str]) -> list[StageSegment]:
    open_: dict[str, datetime] = {}
    phases: list[StageSegment] = []
    awake: list[StageSegment] = []
    for ev in events:
        m = _EVENT.match(ev)
        if not m:
            continue
        kind, edge, ms = m.group(1).lower(), m.group(2), m.group(3)
        t = _ms(ms)
        if edge == "START":
            open_.setdefault(kind, t)
        elif kind in open_:
            s = open_.pop(kind)
            if t > s:
                (awake if kind == "awake" else phases).append(StageSegment(s, t, kind))
    return overlay(sorted(phases, key=lambda s: (s.start, s.end)), awake) if (phases or awake) \
        else []


@contextmanager
def _open_csv(path: Path, limits: Limits) -> Iterator[tuple[BinaryIO, int | None, str]]:
    try:
        is_zip = zipfile.is_zipfile(path)
        if not is_zip:
            with open(path, "rb") as fh:
                yield fh, path.stat().st_size, str(path)
            return
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise bad_file(path, "a damaged zip archive", hint=_HINT) from None
    with zf:
        names = [i for i in zf.infolist() if i.filename.endswith("sleep-export.csv")]
        if not names:
            raise bad_file(path, "this zip has no sleep-export.csv", hint=_HINT)
        name = f"{path}!{names[0].filename}"
        with open_member(zf, names[0], name, limits) as fh:
            yield fh, names[0].file_size, name


def _lines(stream: BinaryIO, name: str, limits: Limits) -> Iterator[str]:
    """Decoded lines, each read with a bound (a 4 GiB line is refused, never read whole)."""
    n = 0
    while True:
        n += 1
        data = read_line(stream, name, n, limits)
        if not data:
            return
        if n == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            yield data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise bad_file(name, "not UTF-8 text", line=n, hint=_HINT) from exc


def read_sleep_as_android(path: str | Path, *, tz: str, on_progress: ProgressFn | None = None,
                          limits: Limits | None = None) -> Iterator[SleepEpisode]:
    """Sleep episodes from Sleep as Android's ``sleep-export.csv`` (or its zip)."""
    zone(tz)
    p = Path(path)
    lim = limits or Limits.from_env()
    with _open_csv(p, lim) as (raw, size, name):
        rep = Reporter(on_progress, size, step=256 << 10)
        counted = io.BufferedReader(CountingReader(raw, rep), buffer_size=1 << 16)
        reader = csv.reader(_lines(counted, name, lim))
        nights: set[object] = set()
        header: list[str] | None = None
        try:
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if row[0] == "Id":
                    if row[:len(HEADER)] != HEADER:
                        raise bad_file(name, "a header row is not Id,Tz,From,To,Sched,Hours,...",
                                       line=reader.line_num, hint=_HINT)
                    header = row
                    continue
                if header is None:
                    raise bad_file(name, "not a Sleep as Android export (the first row should "
                                   "start Id,Tz,From,To)", line=reader.line_num, hint=_HINT)
                ep = _episode(row, header, tz, name, reader.line_num)
                if ep.night not in nights:
                    nights.add(ep.night)
                    rep.night()
                yield ep
        except csv.Error as exc:
            raise bad_file(name, f"not a readable CSV ({exc})", line=reader.line_num,
                           hint=_HINT) from None
        if header is None:
            raise bad_file(name, "no Sleep as Android records (no Id,Tz,From,To header)",
                           hint=_HINT)
        rep.done()


def sleep_minutes(start: datetime, to: datetime, hours: float, len_adjust: float | None
                  ) -> tuple[datetime, float]:
    """(end, TST) of one record: the end is ``start + hours`` kept within the minute ``to``
    names; TST is ``hours`` in minutes plus ``len_adjust`` (sleepdiary/core's "duration"),
    never more than TIB and never below zero.

    >>> s = datetime(2021, 12, 25, 7, 58, 8, tzinfo=UTC)
    >>> end, tst = sleep_minutes(s, datetime(2021, 12, 25, 14, 0, tzinfo=UTC), 6.04, -5.0)
    >>> end.isoformat(), tst
    ('2021-12-25T14:00:32+00:00', 357.4)
    """
    end = min(max(start + timedelta(hours=hours), to), to + timedelta(minutes=1))
    end = max(end, start)
    tib = (end - start).total_seconds() / 60.0
    adjust = 0.0 if len_adjust is None else len_adjust
    tst = min(hours * 60.0, tib) + adjust
    return end, min(round(max(tst, 0.0), 3), tib)


def _len_adjust(row: list[str], header: list[str]) -> float | None:
    try:
        raw = row[header.index("LenAdjust")].strip()
    except (ValueError, IndexError):
        return None
    if raw in ("", "-1.0", "-1"):
        return None  # "not set" (sleepdiary/core reads -1.0 so)
    return float(raw)


def _episode(row: list[str], header: list[str], tz: str, name: str, line: int) -> SleepEpisode:
    try:
        rid, rtz, _from, to, _sched, hours = row[:6]
        start = _ms(rid)
        zone(rtz)
        to_utc = _local_to_utc(parse_local(to), rtz)
        length = float(hours)
        adjust = _len_adjust(row, header)
        check_finite(name, f"line {line}", Hours=length, LenAdjust=adjust)
        if length < 0 or to_utc < start - timedelta(minutes=1):
            raise bad_file(name, f"record {rid}: a negative length (Hours {hours}, To {to})",
                           line=line, hint=_HINT)
        end, tst = sleep_minutes(start, to_utc, length, adjust)
    except (ValueError, InputError, OverflowError, OSError):
        raise bad_file(name, "cannot read this record (expected Id in epoch ms, a time zone "
                       "and times like 25. 12. 2021 8:00)", line=line, hint=_HINT) from None
    events = [v for h, v in zip(header, row, strict=False) if h == "Event"]
    events += row[len(header):]
    stages = _stages(events)
    met = metrics_from_segments(stages)
    return SleepEpisode(
        source=SOURCE, external_id=rid, start=start, end=end, tz=tz, night=night_of(start, tz),
        device="Sleep as Android", tst_minutes=tst, sol_minutes=met.sol_minutes,
        waso_minutes=met.waso_minutes, awakenings=met.awakenings, stages=stages)

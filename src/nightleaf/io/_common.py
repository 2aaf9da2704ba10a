"""Shared pieces of the wearable importers: progress reports, byte counting, error wording,
stage-segment arithmetic and the metrics every importer derives from segments.

The arithmetic works on half-open UTC intervals ``[start, end)``.

>>> from datetime import datetime, UTC
>>> t = lambda h, m=0: datetime(2026, 1, 2, h, m, tzinfo=UTC)
>>> union_minutes([(t(1), t(2)), (t(1, 30), t(3))])
120.0
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from nightleaf.errors import FormatError
from nightleaf.model import StageSegment

#: stages that count as sleep (TST); "awake" and "inbed" do not
SLEEP_STAGES = frozenset({"asleep", "light", "deep", "rem"})


@dataclass(frozen=True)
class ImportProgress:
    """What an importer reports while it reads: bytes consumed so far (of ``total_bytes`` when
    known) and the nights (episodes) found so far."""

    bytes_read: int
    total_bytes: int | None
    nights: int


ProgressFn = Callable[[ImportProgress], None]


def _no_progress(_: ImportProgress) -> None:
    return None


class Reporter:
    """Rate-limited progress reporting: at most one call per ``step`` bytes, plus a final one."""

    def __init__(self, fn: ProgressFn | None, total: int | None, step: int = 1 << 20) -> None:
        self.fn = fn or _no_progress
        self.total = total
        self.step = step
        self.bytes_read = 0
        self.nights = 0
        self._last = -step

    def bytes(self, n: int) -> None:
        self.bytes_read = n
        if n - self._last >= self.step:
            self._last = n
            self.fn(ImportProgress(n, self.total, self.nights))

    def night(self, count: int = 1) -> None:
        self.nights += count

    def done(self) -> None:
        if self.total is not None:
            self.bytes_read = max(self.bytes_read, self.total)
        self.fn(ImportProgress(self.bytes_read, self.total, self.nights))


class CountingReader(io.RawIOBase):
    """Wrap a binary stream and tell a :class:`Reporter` how many bytes were consumed."""

    def __init__(self, raw: BinaryIO, reporter: Reporter) -> None:
        self.raw = raw
        self.reporter = reporter
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.count += n
        self.reporter.bytes(self.count)
        return n

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        self.reporter.bytes(self.count)
        return data


_NOON = timedelta(hours=12)


def night_in(instant: datetime, z: ZoneInfo) -> date:
    """:func:`nightleaf.model.clock.night_of` for a zone already looked up (the hot loop of
    the Apple Health import): the local date of ``instant`` less the noon cutoff."""
    return (instant.astimezone(z).replace(tzinfo=None) - _NOON).date()


def bad_file(path: str | Path, problem: str, *, line: int | None = None,
             offset: int | None = None, hint: str = "") -> FormatError:
    """One clear message naming the file and, when known, the line or byte offset."""
    where = ""
    if line is not None:
        where = f" (line {line})"
    elif offset is not None:
        where = f" (byte {offset})"
    tail = f"; {hint}" if hint else ""
    return FormatError(f"{path}{where}: {problem}{tail}")


def content_id(*parts: object) -> str:
    """A stable content hash for records that carry no id of their own."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:32]


def merge_intervals(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def union_minutes(spans: Iterable[tuple[datetime, datetime]]) -> float:
    return sum((e - s).total_seconds() for s, e in merge_intervals(spans)) / 60.0


def overlay(base: Sequence[StageSegment], top: Sequence[StageSegment]) -> list[StageSegment]:
    """Cut the ``top`` segments out of ``base`` and lay them over it (Fitbit's short wakes over
    its stage data, Sleep as Android's awake events over its phases)."""
    result: list[StageSegment] = []
    tops = sorted(top, key=lambda s: (s.start, s.end))
    for seg in base:
        pieces = [(seg.start, seg.end)]
        for t in tops:
            if t.end <= seg.start or t.start >= seg.end:
                continue
            nxt = []
            for s, e in pieces:
                if t.end <= s or t.start >= e:
                    nxt.append((s, e))
                    continue
                if s < t.start:
                    nxt.append((s, t.start))
                if t.end < e:
                    nxt.append((t.end, e))
            pieces = nxt
        result.extend(StageSegment(s, e, seg.stage) for s, e in pieces if e > s)
    result.extend(tops)
    result.sort(key=lambda s: (s.start, s.end, s.stage))
    return result


@dataclass(frozen=True)
class SleepMetrics:
    tst_minutes: float | None
    sol_minutes: float | None
    waso_minutes: float | None
    awakenings: int | None


def metrics_from_segments(segments: Sequence[StageSegment]) -> SleepMetrics:
    """TST, SOL, WASO and awakenings from stage segments, never double-counting overlaps.

    TST is the union of sleep segments. SOL is from the first segment (in bed) to the first
    sleep. WASO is the time between sleep onset and the final awakening that is not sleep, and
    awakenings counts the gaps in that period (Buysse et al. 2012, Consensus Sleep Diary).
    """
    sleep = merge_intervals((s.start, s.end) for s in segments if s.stage in SLEEP_STAGES)
    if not sleep:
        return SleepMetrics(None, None, None, None)
    tst = sum((e - s).total_seconds() for s, e in sleep) / 60.0
    first = min(s.start for s in segments)
    sol = (sleep[0][0] - first).total_seconds() / 60.0
    waso = (sleep[-1][1] - sleep[0][0]).total_seconds() / 60.0 - tst
    return SleepMetrics(tst, sol, max(0.0, waso), len(sleep) - 1)

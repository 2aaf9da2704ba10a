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
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from nightleaf.errors import FormatError
from nightleaf.model import SleepEpisode, StageSegment

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


# ---------------------------------------------------------------- record-level plausibility

#: the earliest night a wearable record may name (consumer sleep trackers are later than this)
EARLIEST_NIGHT = date(1990, 1, 1)
#: the longest a single sleep record may last
MAX_EPISODE = timedelta(hours=24)
#: how far past "now" a record may start (clock skew between the device and this computer)
FUTURE_SLACK = timedelta(days=1)


def check_finite(name: str | Path, where: str, **values: float | None) -> None:
    """Refuse NaN and infinities (``float("nan")`` never equals itself, so a NaN would import
    as "changed" on every run)."""
    for key, v in values.items():
        if v is not None and not math.isfinite(v):
            raise FormatError(f"{name} ({where}): {key} is {v!r}, not a number; the record is "
                              "damaged — export again")


def _stage_figures(ep: SleepEpisode) -> dict[str, float | None]:
    return {"deep sleep": ep.deep_minutes, "light sleep": ep.light_minutes,
            "REM sleep": ep.rem_minutes, "awake time": ep.awake_minutes}


def check_episode(ep: SleepEpisode, name: str | Path, *, now: datetime | None = None) -> None:
    """Refuse a record no night of real sleep can produce, naming it: NaN or negative figures,
    an end before the start, more than :data:`MAX_EPISODE`, a night before
    :data:`EARLIEST_NIGHT` or a start after ``now`` + :data:`FUTURE_SLACK`."""
    now = now or datetime.now(UTC)
    rec = f"record {ep.external_id}"
    tail = "; the export is damaged or was edited — export again from the device's app"

    def refuse(problem: str) -> FormatError:
        return FormatError(f"{name} ({rec}, night {ep.night.isoformat()}): {problem}{tail}")

    figures = {"total sleep": ep.tst_minutes, "sleep onset latency": ep.sol_minutes,
               "wake after sleep onset": ep.waso_minutes,
               "awakenings": None if ep.awakenings is None else float(ep.awakenings),
               **_stage_figures(ep)}
    for label, v in figures.items():
        if v is not None and not math.isfinite(v):
            raise refuse(f"{label} is {v!r}, not a number")
        if v is not None and v < 0:
            raise refuse(f"{label} is negative ({v:g})")
    if ep.end < ep.start:
        raise refuse(f"it ends ({ep.end:%Y-%m-%d %H:%M} UTC) before it starts "
                     f"({ep.start:%Y-%m-%d %H:%M} UTC)")
    length = ep.end - ep.start
    if length > MAX_EPISODE:
        raise refuse(f"it lasts {length.total_seconds() / 3600:.1f} h, longer than a "
                     f"sleep can ({MAX_EPISODE.total_seconds() / 3600:.0f} h at most)")
    tib = length.total_seconds() / 60.0
    for label, v in (("total sleep", ep.tst_minutes), ("sleep onset latency", ep.sol_minutes),
                     ("wake after sleep onset", ep.waso_minutes), *_stage_figures(ep).items()):
        if v is not None and v > tib + 1.0:
            raise refuse(f"{label} ({v:g} min) is longer than the record ({tib:g} min)")
    if ep.night < EARLIEST_NIGHT:
        raise refuse(f"the night is before {EARLIEST_NIGHT.year}")
    if ep.start > now + FUTURE_SLACK:
        raise refuse(f"it starts in the future ({ep.start:%Y-%m-%d %H:%M} UTC)")
    for seg in ep.stages:
        if seg.end < seg.start or seg.end - seg.start > MAX_EPISODE:
            raise refuse(f"a {seg.stage} stage runs from {seg.start:%Y-%m-%d %H:%M} to "
                         f"{seg.end:%Y-%m-%d %H:%M} UTC")


# ---------------------------------------------------------------- bounded reading

MiB = 1 << 20


def _env_int(key: str, default: int) -> int:
    raw = os.environ.get(key, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise FormatError(f"{key}={raw!r} is not a whole number") from None
    if value <= 0:
        raise FormatError(f"{key} must be positive")
    return value


@dataclass(frozen=True)
class Limits:
    """How much an import may read: the inflated size of a zip member, its compression ratio,
    one line (CSV) or one JSON value, and the number of items in one record. Defaults can be
    changed with ``NIGHTLEAF_IMPORT_MAX_INFLATED`` (bytes), ``NIGHTLEAF_IMPORT_MAX_RATIO``,
    ``NIGHTLEAF_IMPORT_MAX_LINE`` and ``NIGHTLEAF_IMPORT_MAX_VALUE`` (bytes)."""

    max_inflated: int = 8 << 30  # a decade of Apple Health is ~2-4 GiB of XML
    max_ratio: int = 200  # real exports deflate 5-30x; bombs 1000x and more
    ratio_after: int = 64 * MiB  # judge the ratio once this much was inflated
    max_line: int = 2 * MiB  # a Sleep as Android row is a few KB (and a field is a list item)
    max_value: int = MiB  # one JSON token (a string or number); yajl re-scans a growing one
    max_events: int = 1_000_000  # JSON events in one record (a day of 30-s stages is ~15,000)

    @classmethod
    def from_env(cls) -> Limits:
        d = cls()
        return cls(
            max_inflated=_env_int("NIGHTLEAF_IMPORT_MAX_INFLATED", d.max_inflated),
            max_ratio=_env_int("NIGHTLEAF_IMPORT_MAX_RATIO", d.max_ratio),
            max_line=_env_int("NIGHTLEAF_IMPORT_MAX_LINE", d.max_line),
            max_value=_env_int("NIGHTLEAF_IMPORT_MAX_VALUE", d.max_value),
        )


class GuardedMember(io.RawIOBase):
    """A zip member's stream that stops a zip bomb: it refuses to inflate more than
    ``limits.max_inflated`` bytes, or more than ``limits.max_ratio`` times the member's
    compressed size once ``limits.ratio_after`` bytes came out (the declared sizes are checked
    first, and the real output is counted, since a crafted header can lie)."""

    def __init__(self, raw: BinaryIO, info: object, name: str, limits: Limits) -> None:
        self.raw = raw
        self.name = name
        self.limits = limits
        self.compressed = max(1, int(getattr(info, "compress_size", 0) or 0))
        self.out = 0
        check_zip_member(info, name, limits)

    def readable(self) -> bool:
        return True

    def _count(self, n: int) -> None:
        self.out += n
        lim = self.limits
        if self.out > lim.max_inflated:
            raise FormatError(
                f"{self.name}: inflates to more than {lim.max_inflated / MiB:,.0f} MiB; refused "
                "as a possible zip bomb (raise NIGHTLEAF_IMPORT_MAX_INFLATED for a real export)")
        if self.out > lim.ratio_after and self.out > lim.max_ratio * self.compressed:
            raise FormatError(
                f"{self.name}: inflates more than {lim.max_ratio}x its compressed size; refused "
                "as a possible zip bomb (raise NIGHTLEAF_IMPORT_MAX_RATIO for a real export)")

    def _read(self, size: int) -> bytes:
        import zipfile
        import zlib

        try:
            return self.raw.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise FormatError(f"{self.name}: a damaged zip archive ({exc}); download the "
                              "export again") from None

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._read(len(b))
        n = len(data)
        b[:n] = data
        self._count(n)
        return n

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.limits.max_line  # never inflate a whole member at once
        data = self._read(size)
        self._count(len(data))
        return data


def check_zip_member(info: object, name: str, limits: Limits) -> None:
    """Refuse a member whose declared sizes already show a bomb."""
    size = int(getattr(info, "file_size", 0) or 0)
    packed = max(1, int(getattr(info, "compress_size", 0) or 0))
    if size > limits.max_inflated:
        raise FormatError(
            f"{name}: declares {size / MiB:,.0f} MiB inflated, more than the limit of "
            f"{limits.max_inflated / MiB:,.0f} MiB; refused as a possible zip bomb "
            "(raise NIGHTLEAF_IMPORT_MAX_INFLATED for a real export)")
    if size > limits.ratio_after and size > limits.max_ratio * packed:
        raise FormatError(
            f"{name}: declares {size // packed:,}x compression (limit {limits.max_ratio}x); "
            "refused as a possible zip bomb (raise NIGHTLEAF_IMPORT_MAX_RATIO for a real "
            "export)")


def open_member(zf: object, info: object, name: str, limits: Limits | None = None
                ) -> io.BufferedReader:
    """A buffered, bomb-guarded stream of one zip member."""
    lim = limits or Limits.from_env()
    raw = zf.open(info)  # type: ignore[attr-defined]
    return io.BufferedReader(GuardedMember(raw, info, name, lim), buffer_size=1 << 16)


def read_line(stream: BinaryIO, name: str, line: int, limits: Limits) -> bytes:
    """One line of at most ``limits.max_line`` bytes (a longer one is refused, never read
    whole)."""
    data = stream.readline(limits.max_line + 1)
    if len(data) > limits.max_line and not data.endswith(b"\n"):
        raise FormatError(
            f"{name} (line {line}): a line longer than {limits.max_line / MiB:,.0f} MiB; the "
            "file is damaged or not this format (raise NIGHTLEAF_IMPORT_MAX_LINE if it is real)")
    return data

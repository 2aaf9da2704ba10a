"""Instants, zones and nights.

A *night* is named by the local evening date on which that sleep period begins. An instant
belongs to the night of its local date when its local wall-clock time is at or after
``NIGHT_CUTOFF`` (noon), and to the night of the previous date otherwise: an intake at 01:10 on
Sunday and a final awakening at 07:00 on Sunday both belong to Saturday's night.

Instants are ``datetime`` objects with ``tzinfo=UTC``; the person's IANA zone travels beside them.
Wall-clock times are converted at the edges with :func:`resolve_local`, which refuses times that
do not exist (the skipped hour of a spring-forward night) and resolves the repeated hour of a
fall-back night to its first occurrence unless told otherwise.

>>> from datetime import datetime, UTC
>>> night_of(datetime(2026, 3, 8, 6, 30, tzinfo=UTC), "America/New_York")  # 01:30 EST
datetime.date(2026, 3, 7)
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from nightleaf.errors import InputError

NIGHT_CUTOFF = time(12, 0)
#: before this local time, "tonight" still means the night that began yesterday evening
TONIGHT_ROLLOVER = time(6, 0)


@functools.lru_cache(maxsize=64)  # looked up for every instant of a long window
def zone(name: str) -> ZoneInfo:
    """Return the IANA zone called ``name`` or raise :class:`InputError`."""
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        raise InputError(f"unknown time zone {name!r}: use an IANA name such as Europe/Berlin")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        raise InputError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/Berlin"
        ) from None


def all_zones() -> list[str]:
    return sorted(available_timezones())


def ensure_utc(instant: datetime) -> datetime:
    if instant.tzinfo is UTC:  # what the store returns: nothing to convert (hot path)
        return instant
    if instant.tzinfo is None:
        raise InputError("an instant needs a time zone or UTC offset")
    return instant.astimezone(UTC)


def local_datetime(instant: datetime, tz: str) -> datetime:
    """The wall-clock time of ``instant`` in zone ``tz`` (aware)."""
    return ensure_utc(instant).astimezone(zone(tz))


def night_of(instant: datetime, tz: str) -> date:
    """The night (local evening date) to which ``instant`` belongs."""
    local = local_datetime(instant, tz)
    if local.time() >= NIGHT_CUTOFF:
        return local.date()
    return local.date() - timedelta(days=1)


def night_window(night: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) that belong to ``night``: noon to next noon, local."""
    z = zone(tz)
    start = datetime.combine(night, NIGHT_CUTOFF, tzinfo=z).astimezone(UTC)
    end = datetime.combine(night + timedelta(days=1), NIGHT_CUTOFF, tzinfo=z).astimezone(UTC)
    return start, end


def tonight(now: datetime, tz: str) -> date:
    """The night a person planning "tonight" means at ``now``.

    Before 06:00 local it is still the night that began yesterday evening; from 06:00 on it is
    the coming evening.
    """
    local = local_datetime(now, tz)
    if local.time() < TONIGHT_ROLLOVER:
        return local.date() - timedelta(days=1)
    return local.date()


def resolve_local(day: date, wall: time, tz: str, *, fold: int = 0) -> datetime:
    """Turn a local date and wall-clock time into a UTC instant.

    Raises :class:`InputError` for a wall time skipped by a daylight-saving change. An ambiguous
    time (the repeated hour) resolves to its first occurrence (``fold=0``) unless ``fold=1``.
    """
    z = zone(tz)
    naive = datetime.combine(day, wall.replace(tzinfo=None))
    candidate = naive.replace(tzinfo=z, fold=fold)
    back = candidate.astimezone(UTC).astimezone(z)
    if back.replace(tzinfo=None) != naive:
        raise InputError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz} (the clocks skip it for daylight "
            "saving); enter the time as shown on the clock after the change"
        )
    return candidate.astimezone(UTC)


def night_time(night: date, wall: time, tz: str, *, fold: int = 0) -> datetime:
    """A wall-clock time within ``night``: from noon on it is that evening, before noon the
    next morning. ``night_time(Sat, 23:10)`` is Saturday 23:10; ``night_time(Sat, 07:00)`` is
    Sunday 07:00."""
    day = night if wall >= NIGHT_CUTOFF else night + timedelta(days=1)
    return resolve_local(day, wall, tz, fold=fold)


_HHMM = re.compile(r"^(?P<h>\d{1,2})(?::|h|\.)?(?P<m>\d{2})?\s*(?P<ampm>am|pm)?$", re.I)


def parse_wall_time(text: str) -> time:
    """Parse a clock time: ``21:30``, ``9:30pm``, ``2130``, ``21h30``, ``7am``."""
    t = text.strip().lower().replace(" ", "")
    m = _HHMM.match(t)
    if not m:
        raise InputError(f"cannot read the time {text!r}: use 24-hour HH:MM such as 21:30")
    h = int(m.group("h"))
    minute = int(m.group("m") or 0)
    ampm = m.group("ampm")
    if ampm:
        if not 1 <= h <= 12:
            raise InputError(f"cannot read the time {text!r}: with am/pm the hour is 1-12")
        h = h % 12 + (12 if ampm == "pm" else 0)
    if not (0 <= h <= 23 and 0 <= minute <= 59):
        raise InputError(f"{text!r} is not a time of day: hours run 00-23 and minutes 00-59")
    return time(h, minute)


#: the forms :func:`parse_when` reads, for messages
WHEN_FORMS = ("21:30, 9:30pm, now, yesterday 22:40, tomorrow 07:00, 2 days ago 21:00 or "
              "2026-11-20 21:30")
_DAYS_AGO = re.compile(r"^(?P<n>\d{1,4}) days? ago$")


def parse_when(text: str, *, now: datetime, tz: str, night: date | None = None) -> datetime:
    """Parse a friendly instant and return it in UTC.

    Accepted: ISO 8601 with offset (``2026-11-24T21:30:00+01:00``), ISO 8601 local
    (``2026-11-24 21:30``, read in ``tz``), ``now``, a clock time (``21:30``, read within
    ``night``, default the night of ``now``), and ``today``/``yesterday``/``tonight``/
    ``tomorrow`` or ``N days ago`` plus a clock time (``yesterday 22:40``, ``2 days ago 21:00``).
    """
    raw = text.strip()
    low = raw.lower()
    if not raw:
        raise InputError("a time is required, e.g. 21:30 or 2026-11-24T21:30")
    if low == "now":
        return ensure_utc(now)
    local_now = local_datetime(now, tz)
    words = low.split(None, 1)
    ago = re.match(r"^(?P<n>\d{1,4}) days? ago (?P<wall>.+)$", low)
    if ago:
        day = local_now.date() - timedelta(days=int(ago["n"]))
        return resolve_local(day, parse_wall_time(ago["wall"]), tz)
    if words[0] in ("today", "yesterday", "tonight", "tomorrow") and len(words) == 2:
        wall = parse_wall_time(words[1])
        if words[0] == "tonight":
            return night_time(tonight(now, tz), wall, tz)
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[words[0]]
        return resolve_local(local_now.date() + timedelta(days=shift), wall, tz)
    if re.match(r"^\d{4}-\d{2}-\d{2}", raw):
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(
                f"cannot read {text!r}: use ISO 8601 such as 2026-11-24T21:30 or 2026-11-24 21:30"
            ) from None
        if parsed.tzinfo is None:
            return resolve_local(parsed.date(), parsed.time(), tz)
        return parsed.astimezone(UTC)
    if not _HHMM.match(low.replace(" ", "")):  # not a clock time: name every form
        raise InputError(f"cannot read the time {text!r}: use {WHEN_FORMS}")
    wall = parse_wall_time(raw)
    return night_time(night if night is not None else night_of(now, tz), wall, tz)


def parse_date(text: str, *, today: date) -> date:
    """``2026-11-24``, ``today``, ``yesterday``, ``3 days ago`` or ``-3`` (days ago)."""
    t = " ".join(text.strip().lower().split())
    ago = _DAYS_AGO.match(t)
    if ago:
        return today - timedelta(days=int(ago["n"]))
    if t == "today":
        return today
    if t == "yesterday":
        return today - timedelta(days=1)
    if re.fullmatch(r"-\d{1,5}", t):
        return today - timedelta(days=int(t[1:]))
    try:
        return date.fromisoformat(t)
    except ValueError:
        raise InputError(f"cannot read the date {text!r}: use YYYY-MM-DD, today, yesterday, "
                         "3 days ago or -3") from None


def minutes_between(start: datetime, end: datetime) -> float:
    """Elapsed minutes between two instants (real time, so a DST night counts right)."""
    return (ensure_utc(end) - ensure_utc(start)).total_seconds() / 60.0

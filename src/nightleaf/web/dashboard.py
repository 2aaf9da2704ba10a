"""The dashboard's chart data: columns taken from a window summary (``services.summary``).

Only selection and unit changes happen here (minutes -> hours, instants -> local clock hours);
every number is computed by the calculators behind the summary service.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from nightleaf.model import clock

#: window lengths offered on the page (nights)
WINDOWS = ((14, "2 weeks"), (28, "4 weeks"), (90, "3 months"), (180, "6 months"),
           (365, "1 year"), (1826, "5 years"), (3653, "10 years"))
_NOON = time(12)
COMPARED = (("tst_minutes", "Total sleep time", "min"), ("se_percent", "Sleep efficiency", "%"),
            ("sol_minutes", "Time to fall asleep", "min"), ("quality", "Sleep quality", "1–5"),
            ("morning_nrs", "Morning pain", "NRS"))


def _clock_hours(instant: datetime | None, z: ZoneInfo) -> float | None:
    """Local clock time in zone ``z`` as hours after noon of the night (22:30 -> 10.5,
    01:15 -> 13.25), so a night's times run on without a jump at midnight."""
    if instant is None:
        return None
    local = clock.ensure_utc(instant).astimezone(z)  # clock.local_datetime, zone looked up once
    h = local.hour + local.minute / 60
    return round(h - 12 if local.hour >= 12 else h + 12, 3)


def _noon_seconds(night: date, z: ZoneInfo, tz: str) -> int:
    """``int(clock.resolve_local(night, 12:00, tz).timestamp())`` without its three keyword
    ``replace`` calls (3,653 nights): local noon exists exactly when the zone's offset at the UTC
    instant it names is the offset it was named with; otherwise ``resolve_local`` decides (and
    raises, as before)."""
    noon = datetime.combine(night, _NOON, z)
    if noon.astimezone(UTC).astimezone(z).utcoffset() != noon.utcoffset():
        return int(clock.resolve_local(night, _NOON, tz).timestamp())
    return int(noon.timestamp())


def _r(v: float | None, digits: int = 1) -> float | None:
    return None if v is None else round(float(v), digits)


def series(summary: Any) -> dict[str, Any]:
    """Columnar data for uPlot: ``x`` is each night's local noon as Unix seconds."""
    tz = summary.tz
    z = clock.zone(tz)
    rows = summary.nights
    # column by column (one comprehension each), not row by row: 3,653 nights in 10 years
    ds = [r.diary for r in rows]
    its = [r.intake for r in rows]
    ps = [r.pain for r in rows]
    tst_h = [_r(d.tst_minutes / 60, 2) if d and d.tst_minutes is not None else None for d in ds]
    return {
        "x": [_noon_seconds(r.night, z, tz) for r in rows],
        "tst_h": tst_h,
        "se": [_r(d.se_percent) if d else None for d in ds],
        "sol": [_r(d.sol_minutes) if d else None for d in ds],
        "pain_evening": [p.evening_nrs if p else None for p in ps],
        "pain_morning": [p.morning_nrs if p else None for p in ps],
        "grams": [_r(i.total_grams, 2) if i else None for i in its],
        "interval_min": [_r(i.minutes_last_intake_to_sleep) if i else None for i in its],
        "lights_out": [_clock_hours(d.tried_to_sleep, z) if d else None for d in ds],
        "wake": [_clock_hours(d.offset, z) if d else None for d in ds],
        "tst_with": [t if i else None for t, i in zip(tst_h, its, strict=True)],
        "tst_without": [None if i else t for t, i in zip(tst_h, its, strict=True)],
        "wearable": _wearable_columns(summary),
    }


def _wearable_columns(summary: Any) -> dict[str, dict[str, list[Any]]]:
    """Per wearable source, its own TST (h) and SE (%) columns (``wearable[source]["tst_h"]``,
    ``["se"]``): beside the diary's, never mixed into them."""
    out: dict[str, dict[str, list[Any]]] = {}
    for src in sorted(summary.wearable):
        per = [next((m for m in r.wearable if m.source == src), None) for r in summary.nights]
        out[src] = {
            "tst_h": [_r(m.tst_minutes / 60, 2) if m and m.tst_minutes is not None else None
                      for m in per],
            "se": [_r(m.se_percent) if m else None for m in per]}
    return out


def wearable_nights(summary: Any) -> list[tuple[str, int, float | None, float | None]]:
    """(source, nights with a main episode, mean TST h, mean SE %) per wearable source of the
    window, from the summary's per-source figures."""
    out = []
    for src, d in sorted(summary.wearable.items()):
        tst = d["tst_minutes"].mean
        out.append((src, d["tib_minutes"].n, None if tst is None else round(tst / 60, 2),
                    _r(d["se_percent"].mean)))
    return out


def with_without(summary: Any) -> list[Any]:
    """The comparisons of nights with kratom against nights without, for the chosen outcomes."""
    wanted = {m for m, _, _ in COMPARED}
    return [c for c in summary.comparisons
            if c.group == "nights with kratom" and c.metric in wanted]


def labels() -> dict[str, tuple[str, str]]:
    return {m: (label, unit) for m, label, unit in COMPARED}

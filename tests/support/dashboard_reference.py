"""The dashboard's column building as it was before the issue 13 serialisation work (main at
343663e, ``web/dashboard.py``'s ``series``, ``with_views``, ``sparkline``, ``fallbacks`` and
``weekly_rows``, and the page's chart JSON): the reference the faster code is checked against.
"""

# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

import json

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from nightleaf.model import clock
from nightleaf.stats.rolling import block_means, rolling_mean

_NOON = time(12)
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
    # _r inlined (one call fewer per value): None stays None, else round(float(v), digits)
    tst_h = [round(float(d.tst_minutes / 60), 2) if d and d.tst_minutes is not None else None
             for d in ds]
    se = [d.se_percent if d else None for d in ds]
    sol = [d.sol_minutes if d else None for d in ds]
    grams = [i.total_grams if i else None for i in its]
    interval = [i.minutes_last_intake_to_sleep if i else None for i in its]
    return {
        "x": [_noon_seconds(r.night, z, tz) for r in rows],
        "tst_h": tst_h,
        "se": [None if v is None else round(float(v), 1) for v in se],
        "sol": [None if v is None else round(float(v), 1) for v in sol],
        "pain_evening": [p.evening_nrs if p else None for p in ps],
        "pain_morning": [p.morning_nrs if p else None for p in ps],
        "grams": [None if v is None else round(float(v), 2) for v in grams],
        "interval_min": [None if v is None else round(float(v), 1) for v in interval],
        "lights_out": [_clock_hours(d.tried_to_sleep, z) if d else None for d in ds],
        "wake": [_clock_hours(d.offset, z) if d else None for d in ds],
        "tst_with": [t if i else None for t, i in zip(tst_h, its, strict=True)],
        "tst_without": [None if i else t for t, i in zip(tst_h, its, strict=True)],
        "wearable": _wearable_columns(summary),
    }


#: the columns that get a 7-night trailing mean (``<column>_7``)
SMOOTHED = ("tst_h", "se", "sol", "pain_evening", "pain_morning", "grams", "lights_out", "wake")
WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def night_label(night: date) -> str:
    """How a chart names a night: ``Tue 11 Nov``."""
    return f"{WEEKDAY[night.weekday()]} {night.day} {MONTH[night.month - 1]}"


def with_views(summary: Any, cols: dict[str, Any], view: str) -> dict[str, Any]:
    """The chart columns with the 7-night trailing means and the nights' labels; for
    ``view="week"``, one point per block of 7 nights (the last block ends with the last night),
    labelled by the week's nights."""
    nights = [r.night for r in summary.nights]
    if view != "week":
        out = dict(cols)
        for k in SMOOTHED:  # _r(v, 2) inlined: 8 columns of 3,653 nights
            out[f"{k}_7"] = [None if v is None else round(float(v), 2)
                             for v in rolling_mean(cols[k], 7, 4)]
        out["label"] = [night_label(n) for n in nights]
        return out
    # the weekly view needs neither the nightly means nor the nightly labels
    weekly: dict[str, Any] = {}
    size = 7
    start = len(nights) % size  # the same blocks as stats.rolling.block_means
    edges = ([0] if start else []) + list(range(start, len(nights), size))
    blocks = list(zip(edges, [*edges[1:], len(nights)], strict=True)) if nights else []
    # a leftover first block shorter than a week is left out (one night is not a weekly mean)
    skip = 1 if start and len(blocks) > 1 else 0
    blocks = blocks[skip:]
    weekly["x"] = [cols["x"][b - 1] for _, b in blocks]
    weekly["label"] = [f"{night_label(nights[a])} – {night_label(nights[b - 1])}"
                       for a, b in blocks]
    def means(v: list[Any]) -> list[Any]:
        return [_r(m, 2) for m in block_means(v, size)][skip:]

    for k, v in cols.items():
        if k == "wearable":  # per source, its own columns: weekly means of each
            weekly[k] = {src: {c: means(vals) for c, vals in per.items()}
                         for src, per in v.items()}
        elif k != "x":
            weekly[k] = means(v)
    for k in SMOOTHED:  # in the weekly view the line is the weekly mean itself
        weekly[f"{k}_7"] = weekly[k]
    return weekly


def sparkline(xs: list[int], lines: list[tuple[list[float | None], str, str]],
              lo: float | None = None, hi: float | None = None, width: int = 600,
              height: int = 200) -> dict[str, Any]:
    """Paths for a server-drawn SVG of a chart (shown without JavaScript): each line as SVG
    path data in a ``width`` × ``height`` box, gaps where a value is missing."""
    known = [v for vals, _, _ in lines for v in vals if v is not None]
    if not xs or not known:
        return {"paths": [], "lo": None, "hi": None, "width": width, "height": height}
    lo = min(known) if lo is None else lo
    hi = max(known) if hi is None else hi
    span = (hi - lo) or 1.0
    x0, x1 = xs[0], xs[-1]
    xspan = (x1 - x0) or 1
    # every point's x once for all lines, as arrays: the same operations in the same order as
    # ``(x - x0) / xspan * (width - 10) + 5`` per point (integers below 2**53 are exact doubles)
    pxs = ((np.asarray(xs, dtype=np.int64) - x0) / xspan * (width - 10) + 5).tolist()
    paths = []
    for vals, color, label in lines:
        if len(vals) != len(xs):
            raise ValueError("each line needs one value per x")
        given = [k for k, v in enumerate(vals) if v is not None]
        ys = np.array([vals[k] for k in given], dtype=float)
        pys = ((height - 5) - (ys - lo) / span * (height - 10)).tolist()
        d = []
        prev = -2
        for k, py in zip(given, pys, strict=True):
            d.append(f"{'L' if k == prev + 1 else 'M'}{pxs[k]:.1f} {py:.1f}")
            prev = k
        paths.append({"d": " ".join(d), "color": color, "label": label})
    return {"paths": paths, "lo": round(lo, 1), "hi": round(hi, 1), "width": width,
            "height": height}


#: (chart, [(column, color, legend)], fixed range) of the server-drawn fallbacks
FALLBACKS = (
    ("sleep", [("tst_h_7", "#2c5a4c", "total sleep time, h")], None),
    ("sol", [("sol_7", "#b3541e", "minutes to fall asleep")], None),
    ("pain", [("pain_evening_7", "#b3541e", "evening pain"),
              ("pain_morning_7", "#1d4f91", "morning pain")], (0.0, 10.0)),
    ("intake", [("grams_7", "#2c5a4c", "grams")], None),
    ("regularity", [("lights_out_7", "#6a4fb3", "lights out"),
                    ("wake_7", "#2c5a4c", "final awakening")], None),
    ("withwithout", [("tst_h_7", "#2c5a4c", "total sleep time, h")], None),
)


def fallbacks(cols: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The server-drawn SVG of each chart (7-night means, or weekly means in the week view)."""
    out = {}
    for chart, lines, rng in FALLBACKS:
        lo, hi = rng if rng else (None, None)
        out[chart] = sparkline(cols["x"], [(cols[c], color, label) for c, color, label in lines],
                               lo, hi)
    return out


def weekly_rows(summary: Any, cols: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the weekly table (shown without JavaScript, and to screen readers)."""
    week = with_views(summary, cols, "week")
    keys = ("tst_h", "se", "sol", "pain_evening", "pain_morning", "grams")
    return [{"label": week["label"][i], **{k: week[k][i] for k in keys}}
            for i in range(len(week["x"]))][::-1]

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



def shown_parts(summary: Any, view: str) -> dict[str, Any]:
    """The page's computed parts (``pages/dashboard._shown`` before the work)."""
    cols = series(summary)
    shown = with_views(summary, cols, view)
    return {"series_json": json.dumps(shown, separators=(",", ":")),
            "fallbacks": fallbacks(shown), "weeks": weekly_rows(summary, cols)}

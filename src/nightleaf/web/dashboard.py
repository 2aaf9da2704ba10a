"""The dashboard's chart data: columns taken from a window summary (``services.summary``).

Only selection and unit changes happen here (minutes -> hours, instants -> local clock hours);
every number is computed by the calculators behind the summary service.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import orjson

from nightleaf.model import clock
from nightleaf.stats.rolling import block_means, rolling_mean

#: window lengths offered on the page (nights)
WINDOWS = ((14, "2 weeks"), (28, "4 weeks"), (90, "3 months"), (180, "6 months"),
           (365, "1 year"), (1826, "5 years"), (3653, "10 years"))
_NOON = time(12)
_NOON_FOLD = time(12, fold=1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
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


def _noon_column(nights: Sequence[date], z: ZoneInfo, tz: str) -> list[int]:
    """``[_noon_seconds(n, z, tz) for n in nights]`` with two offset look-ups a night: when noon
    has the same offset with ``fold=0`` and ``fold=1`` it is neither skipped nor repeated, and
    its Unix seconds are the naive noon's less that offset; otherwise ``_noon_seconds``
    decides, as before."""
    out = []
    combine = datetime.combine
    for night in nights:
        off = combine(night, _NOON, z).utcoffset()
        if off is not None and off == combine(night, _NOON_FOLD, z).utcoffset():
            out.append((night.toordinal() - _EPOCH_ORDINAL) * 86400 + 43200
                       - off.days * 86400 - off.seconds)
        else:
            out.append(_noon_seconds(night, z, tz))
    return out


def _clock_column(instants: Sequence[datetime | None], z: ZoneInfo) -> list[float | None]:
    """``[_clock_hours(i, z) for i in instants]`` without a call per night (UTC instants, as
    the store returns them, need no conversion first)."""
    out: list[float | None] = []
    for instant in instants:
        if instant is None:
            out.append(None)
            continue
        local = (instant if instant.tzinfo is UTC else clock.ensure_utc(instant)).astimezone(z)
        out.append(_CLOCK_HOURS[local.hour * 60 + local.minute])
    return out


#: ``_clock_hours``'s value for each minute of the day (hour * 60 + minute), computed as it does
_CLOCK_HOURS = [round((hour + minute / 60) - 12 if hour >= 12 else (hour + minute / 60) + 12, 3)
                for hour in range(24) for minute in range(60)]


def round_column(values: Sequence[float | None], digits: int) -> list[float | None]:
    """``[None if v is None else round(float(v), digits) for v in values]`` with numpy: the
    scaled value's nearest integer over ``10 ** digits`` is the double Python's ``round``
    gives (both the correctly rounded quotient of the same integer) wherever that integer is
    the same, so only a value whose scaled product lies within 1e-6 of a half (where the
    product's own rounding could move it), beyond 1e9, or not finite, and ``None``, are
    rounded one by one by Python as before."""
    if len(values) < 32:
        return [None if v is None else round(float(v), digits) for v in values]
    arr = np.array([_NAN if v is None else v for v in values], dtype=float)
    scale = 10.0 ** digits
    scaled = arr * scale
    out: list[float | None] = (np.rint(scaled) / scale).tolist()
    safe = (np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) > 1e-6) & (np.abs(scaled) < 1e9)
    for i in np.flatnonzero(~safe).tolist():  # NaN (None) compares False: never safe
        v = values[i]
        out[i] = None if v is None else round(float(v), digits)
    return out


_NAN = float("nan")


def chart_json(cols: dict[str, Any]) -> str:
    """``json.dumps(cols, separators=(",", ":"))`` for chart columns (ints, floats, None, str
    labels, lists and dicts of them), encoded by orjson: the same text, with what
    ``json.dumps`` escapes and orjson does not (DEL and every non-ASCII character; they occur
    only inside strings) escaped as ``json.dumps`` escapes it. (A NaN would be ``null``, where
    ``json.dumps`` wrote ``NaN``, which the page's ``JSON.parse`` refuses; the columns hold
    ``None`` for a missing value.)"""
    text = orjson.dumps(cols).decode()
    return text if text.isascii() and "\x7f" not in text else _UNESCAPED.sub(_escape_char, text)


_UNESCAPED = re.compile(r"[^\x00-\x7e]")


def _escape_char(m: re.Match[str]) -> str:
    return json.dumps(m.group())[1:-1]


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
    # each column rounded at once (round_column: None stays None, else round(float(v), digits))
    tst_h = round_column([d.tst_minutes / 60 if d and d.tst_minutes is not None else None
                          for d in ds], 2)
    se = [d.se_percent if d else None for d in ds]
    sol = [d.sol_minutes if d else None for d in ds]
    grams = [i.total_grams if i else None for i in its]
    interval = [i.minutes_last_intake_to_sleep if i else None for i in its]
    return {
        "x": _noon_column([r.night for r in rows], z, tz),
        "tst_h": tst_h,
        "se": round_column(se, 1),
        "sol": round_column(sol, 1),
        "pain_evening": [p.evening_nrs if p else None for p in ps],
        "pain_morning": [p.morning_nrs if p else None for p in ps],
        "grams": round_column(grams, 2),
        "interval_min": round_column(interval, 1),
        "lights_out": _clock_column([d.tried_to_sleep if d else None for d in ds], z),
        "wake": _clock_column([d.offset if d else None for d in ds], z),
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
        for k in SMOOTHED:  # 8 columns of 3,653 nights
            out[f"{k}_7"] = round_column(rolling_mean(cols[k], 7, 4), 2)
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
        return round_column(block_means(v, size), 2)[skip:]

    for k, v in cols.items():
        if k == "wearable":  # per source, its own columns: weekly means of each
            weekly[k] = {src: {c: means(vals) for c, vals in per.items()}
                         for src, per in v.items()}
        elif k != "x":
            weekly[k] = means(v)
    for k in SMOOTHED:  # in the weekly view the line is the weekly mean itself
        weekly[f"{k}_7"] = weekly[k]
    return weekly


def _x_texts(xs: list[int], width: int) -> list[str]:
    """Each point's x in a sparkline ``width`` wide, as path text (one decimal)."""
    x0, x1 = xs[0], xs[-1]
    xspan = (x1 - x0) or 1
    # as arrays: the same operations in the same order as ``(x - x0) / xspan * (width - 10) +
    # 5`` per point (integers below 2**53 are exact doubles)
    pxs = ((np.asarray(xs, dtype=np.int64) - x0) / xspan * (width - 10) + 5).tolist()
    return [f"{px:.1f}" for px in pxs]


def sparkline(xs: list[int], lines: list[tuple[list[float | None], str, str]],
              lo: float | None = None, hi: float | None = None, width: int = 600,
              height: int = 200, x_texts: list[str] | None = None) -> dict[str, Any]:
    """Paths for a server-drawn SVG of a chart (shown without JavaScript): each line as SVG
    path data in a ``width`` × ``height`` box, gaps where a value is missing. ``x_texts``:
    ``_x_texts(xs, width)`` when the caller has it (charts of the same nights share it)."""
    known = [v for vals, _, _ in lines for v in vals if v is not None]
    if not xs or not known:
        return {"paths": [], "lo": None, "hi": None, "width": width, "height": height}
    lo = min(known) if lo is None else lo
    hi = max(known) if hi is None else hi
    span = (hi - lo) or 1.0
    sxs = x_texts  # each x as text, once for all lines (when a line has values)
    paths = []
    for vals, color, label in lines:
        if len(vals) != len(xs):
            raise ValueError("each line needs one value per x")
        given = [k for k, v in enumerate(vals) if v is not None]
        # each distinct value's y once (a 7-night mean of 3,653 nights takes a few hundred
        # values): numpy's elementwise operations give a value the same y wherever it stands
        distinct = list(dict.fromkeys([vals[k] for k in given]))
        ys = np.array(distinct, dtype=float)
        pys = ((height - 5) - (ys - lo) / span * (height - 10)).tolist()
        y_text = {v: f" {py:.1f}" for v, py in zip(distinct, pys, strict=True)}
        if sxs is None and given:
            sxs = _x_texts(xs, width)
        d = []
        prev = -2
        for k in given:
            d.append(("L" if k == prev + 1 else "M") + sxs[k] + y_text[vals[k]])  # type: ignore[index]
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
    made: dict[Any, dict[str, Any]] = {}  # two charts may draw the same lines (one sparkline)
    x_texts = _x_texts(cols["x"], 600) if cols["x"] else None  # sparkline's default width
    for chart, lines, rng in FALLBACKS:
        key = (tuple(lines), rng)
        if key not in made:
            lo, hi = rng if rng else (None, None)
            made[key] = sparkline(cols["x"], [(cols[c], color, label)
                                              for c, color, label in lines], lo, hi,
                                  x_texts=x_texts)
        out[chart] = made[key]
    return out


def weekly_rows(summary: Any, cols: dict[str, Any], week: dict[str, Any] | None = None
                ) -> list[dict[str, Any]]:
    """Rows of the weekly table (shown without JavaScript, and to screen readers); ``week``:
    ``with_views(summary, cols, "week")`` when the caller has it already."""
    keys = ("tst_h", "se", "sol", "pain_evening", "pain_morning", "grams")
    if week is None:  # the weekly means of the table's columns (and the smoothed ones) only
        week = with_views(summary, {k: cols[k] for k in ("x", *keys, *SMOOTHED)}, "week")
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

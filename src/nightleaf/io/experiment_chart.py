"""Server-rendered SVG for a self-experiment: the nights by arm, and the effect with its interval
against the MID. Plain inputs (no services); the output is markup that works without JS."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

FONT = 14
A_COLOUR = "#3b6ea5"
B_COLOUR = "#c0622d"


def nights_svg(nights: Sequence[Mapping[str, Any]], *, label: str, width: int = 480,
               height: int = 240) -> str:
    """Each night's primary outcome as a dot, coloured by arm; wash-out nights hollow; the
    periods shaded. ``nights``: ``{"night": date, "arm": "A"|"B", "washout": bool,
    "value": float | None}``."""
    if not nights:
        return ""
    pad_l, pad_r, pad_t, pad_b = 48, 10, 12, 30
    w, h = width - pad_l - pad_r, height - pad_t - pad_b
    values = [float(n["value"]) for n in nights if n.get("value") is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    span = hi - lo
    ticks = (lo, (lo + hi) / 2, hi)
    lo, hi = lo - 0.08 * span, hi + 0.08 * span
    first: date = nights[0]["night"]
    count = len(nights)

    def x(n: Mapping[str, Any]) -> float:
        days: int = (n["night"] - first).days
        return pad_l + ((days + 0.5) / count) * w

    def y(v: float) -> float:
        return pad_t + (1 - (v - lo) / (hi - lo)) * h

    parts = [f'<svg class="exp-chart" viewBox="0 0 {width} {height}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(label)} by night and arm">',
             f"<title>{escape(label)} by night, arm A blue, arm B orange; hollow dots are "
             "wash-out nights</title>"]
    # shaded periods
    start = 0
    for k in range(1, count + 1):
        if k == count or nights[k]["arm"] != nights[start]["arm"]:
            colour = A_COLOUR if nights[start]["arm"] == "A" else B_COLOUR
            x0 = pad_l + start / count * w
            x1 = pad_l + k / count * w
            parts.append(f'<rect x="{x0:.1f}" y="{pad_t}" width="{x1 - x0:.1f}" height="{h}" '
                         f'fill="{colour}" fill-opacity="0.08"/>')
            parts.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{pad_t + 15}" font-size="{FONT}" '
                         f'text-anchor="middle" fill="{colour}">{nights[start]["arm"]}</text>')
            start = k
    for v in ticks:
        parts.append(f'<line x1="{pad_l}" x2="{pad_l + w}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     'stroke="#999" stroke-opacity="0.3"/>')
        parts.append(f'<text x="{pad_l - 4}" y="{y(v) + 4:.1f}" font-size="{FONT}" '
                     f'text-anchor="end" fill="currentColor">{v:.0f}</text>')
    for n in nights:
        if n.get("value") is None:
            continue
        colour = A_COLOUR if n["arm"] == "A" else B_COLOUR
        fill = "none" if n["washout"] else colour
        parts.append(f'<circle cx="{x(n):.1f}" cy="{y(float(n["value"])):.1f}" r="3.5" '
                     f'fill="{fill}" stroke="{colour}" stroke-width="1.5">'
                     f'<title>{n["night"]}: arm {n["arm"]}, {float(n["value"]):.0f}'
                     f'{" (wash-out)" if n["washout"] else ""}</title></circle>')
    last: date = nights[-1]["night"]
    parts.append(f'<text x="{pad_l}" y="{height - 8}" font-size="{FONT}" fill="currentColor">'
                 f'{first:%d %b}</text>')
    parts.append(f'<text x="{pad_l + w}" y="{height - 8}" font-size="{FONT}" text-anchor="end" '
                 f'fill="currentColor">{last:%d %b}</text>')
    parts.append("</svg>")
    return "".join(parts)


def effect_svg(effect: float | None, interval: Sequence[float] | None, mid: float, *,
               higher_is_better: bool, unit: str, width: int = 480, height: int = 100) -> str:
    """The effect (B − A) with its 95% interval on an axis marked at 0 and ± the MID; the side
    where B is better is labelled."""
    if effect is None or not interval:
        return ""
    lo_i, hi_i = float(interval[0]), float(interval[1])
    reach = max(abs(lo_i), abs(hi_i), 1.6 * mid) * 1.15
    pad = 20
    w = width - 2 * pad

    def x(v: float) -> float:
        return pad + (v + reach) / (2 * reach) * w

    better_right = higher_is_better
    parts = [f'<svg class="exp-effect" viewBox="0 0 {width} {height}" role="img" '
             'xmlns="http://www.w3.org/2000/svg" '
             f'aria-label="effect of B against A {effect:+.1f} {escape(unit)}, 95% interval '
             f'{lo_i:+.1f} to {hi_i:+.1f}, against what matters ±{mid:g}">',
             f'<rect x="{x(-mid):.1f}" y="18" width="{x(mid) - x(-mid):.1f}" height="40" '
             'fill="#999" fill-opacity="0.15"/>',
             f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="14" y2="62" stroke="currentColor"/>']
    for m in (-mid, mid):
        parts.append(f'<line x1="{x(m):.1f}" x2="{x(m):.1f}" y1="18" y2="58" stroke="#777" '
                     'stroke-dasharray="4 3"/>')
        # -MID's label ends left of its line and +MID's starts right of it, so a narrow band
        # never prints them over each other; 0 is labelled above the axis
        side, nudge = ("end", -3) if m < 0 else ("start", 3)
        parts.append(f'<text x="{x(m) + nudge:.1f}" y="74" font-size="{FONT}" '
                     f'text-anchor="{side}" fill="currentColor">{m:+g}</text>')
    parts.append(f'<text x="{x(0):.1f}" y="11" font-size="{FONT}" text-anchor="middle" '
                 'fill="currentColor">0</text>')
    parts.append(f'<line x1="{x(lo_i):.1f}" x2="{x(hi_i):.1f}" y1="38" y2="38" '
                 f'stroke="{B_COLOUR}" stroke-width="3"/>')
    parts.append(f'<circle cx="{x(effect):.1f}" cy="38" r="6" fill="{B_COLOUR}"/>')
    left, right = ("B worse", "B better") if better_right else ("B better", "B worse")
    parts.append(f'<text x="{pad}" y="{height - 2}" font-size="{FONT}" fill="currentColor">← '
                 f'{left}</text>')
    parts.append(f'<text x="{pad + w}" y="{height - 2}" font-size="{FONT}" text-anchor="end" '
                 f'fill="currentColor">{right} →</text>')
    parts.append("</svg>")
    return "".join(parts)

"""Summarise a window of nights: load from the store, call the pure calculators.

The calculators live in :mod:`nightleaf.sleep`, :mod:`nightleaf.pain` and :mod:`nightleaf.stats`
(formulas in docs/metrics.md); this module only chooses the window and loads its records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from nightleaf.errors import InputError
from nightleaf.model import clock
from nightleaf.model.entities import PainRating, Product, Profile, SleepEntry, Symptom
from nightleaf.model.plain import to_plain
from nightleaf.services.context import Context
from nightleaf.services.parse import resolve_night
from nightleaf.stats.nightly import Night, nightly
from nightleaf.stats.window import WindowSummary, summarise_window

#: the longest window (nights): ten years, the dashboard's longest choice (3653 nights) included
MAX_DAYS = 366 * 10


def summary_window(ctx: Context, days: int = 28, last: str | None = None,
                   *, profile: Profile | None = None) -> tuple[date, date]:
    """The ``days`` nights ending on ``last`` (default: the last complete night, i.e. the one
    before tonight). ``profile``: the person's profile when the caller has read it already."""
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"days must be between 1 and {MAX_DAYS} (got {days})", field="days",
                         code="range")
    tz = (profile or ctx.profile()).tz
    end = (
        resolve_night(ctx, last, tz)
        if last and last.strip()
        else clock.tonight(ctx.now(), tz) - timedelta(days=1)
    )
    return end - timedelta(days=days - 1), end


def window_records(ctx: Context, first: date, last: date, *, products: bool = False
                   ) -> dict[str, Any]:
    """One bulk read of everything the nightly figures need for ``first..last`` (and the
    products when asked), as keyword arguments for :func:`nightleaf.stats.nightly.nightly` and
    :func:`nightleaf.stats.window.summarise_window`."""
    with ctx.tx() as repo:
        out: dict[str, Any] = {
            "entries": repo.all(SleepEntry, first=first, last=last),
            "episodes": repo.episodes(first=first, last=last),
            "intakes": repo.intakes(first=first, last=last),
            "pain": repo.all(PainRating, first=first, last=last),
            "symptoms": repo.all(Symptom, first=first, last=last),
        }
        if products:
            out["products"] = repo.all(Product)
    return out


def summarise(ctx: Context, *, days: int = 28, last: str | None = None) -> WindowSummary:
    """Everything ``nightleaf summary`` shows for the window (see docs/metrics.md)."""
    profile = ctx.profile()
    first, end = summary_window(ctx, days, last)
    return summarise_window(first_night=first, last_night=end, profile=profile,
                            **window_records(ctx, first, end, products=True))


def dashboard_summary(ctx: Context, *, days: int = 28, last: str | None = None) -> WindowSummary:
    """What the dashboard shows for the window: :func:`summarise` without the parts it does not
    chart (wearable regularity, weekly tables, comparisons by product and interval band; see
    ``summarise_window(detail=False)``). The nightly rows are the same, wearable nights
    included."""
    profile = ctx.profile()
    first, end = summary_window(ctx, days, last)
    return summarise_window(first_night=first, last_night=end, profile=profile, detail=False,
                            **window_records(ctx, first, end))


@dataclass(frozen=True)
class DashboardNights:
    """What ``/api/dashboard`` charts: the window's nightly rows and its wearable sources
    (``wearable``: the source names, sorted as ``sorted(WindowSummary.wearable)`` gives them)."""

    first_night: date
    last_night: date
    tz: str
    nights: tuple[Night, ...]
    wearable: tuple[str, ...]


def dashboard_nights(ctx: Context, *, days: int = 28, last: str | None = None) -> DashboardNights:
    """The nightly rows of :func:`dashboard_summary` without its means, regularity and
    comparisons, which the chart columns do not use (in server mode they were most of a
    request's time); the profile is read once."""
    profile = ctx.profile()
    first, end = summary_window(ctx, days, last, profile=profile)
    rec = window_records(ctx, first, end)
    episodes = [e for e in rec.pop("episodes") if first <= e.night <= end]
    rows = nightly(first_night=first, last_night=end, profile=profile, episodes=episodes, **rec)
    return DashboardNights(first, end, profile.tz, rows,
                           tuple(sorted({e.source for e in episodes})))


def summary_json(summary: WindowSummary) -> dict[str, Any]:
    """The JSON shape of a summary (the CLI's ``--json`` and, later, the web's /api)."""
    out: dict[str, Any] = to_plain(summary)
    return out

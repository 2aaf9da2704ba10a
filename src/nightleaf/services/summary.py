"""Summarise a window of nights: load from the store, call the pure calculators.

The calculators live in :mod:`nightleaf.sleep`, :mod:`nightleaf.pain` and :mod:`nightleaf.stats`
(formulas in docs/metrics.md); this module only chooses the window and loads its records. The
web asks for the ``window_*`` forms with the process's memo (:mod:`nightleaf.services.memo`):
the records are read on every request, and the figures are reused when they are equal to those
of a cached entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from nightleaf.errors import InputError
from nightleaf.model import clock
from nightleaf.model.entities import PainRating, Product, Profile, SleepEntry, Symptom
from nightleaf.model.plain import to_plain
from nightleaf.services.context import Context, default_profile
from nightleaf.services.memo import Memo, Memoised
from nightleaf.services.parse import resolve_night
from nightleaf.stats.nightly import Night, nightly
from nightleaf.stats.window import WindowSummary, summarise_window
from nightleaf.store.repo import Repo

#: the longest window (nights): ten years, the dashboard's longest choice (3653 nights) included
MAX_DAYS = 366 * 10

T = TypeVar("T")
V = TypeVar("V")
K = TypeVar("K")


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


def _read(repo: Repo, first: date, last: date, *, products: bool) -> dict[str, Any]:
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


def window_records(ctx: Context, first: date, last: date, *, products: bool = False
                   ) -> dict[str, Any]:
    """One bulk read of everything the nightly figures need for ``first..last`` (and the
    products when asked), as keyword arguments for :func:`nightleaf.stats.nightly.nightly` and
    :func:`nightleaf.stats.window.summarise_window`."""
    with ctx.tx() as repo:
        return _read(repo, first, last, products=products)


def _window_inputs(ctx: Context, days: int, last: str | None, *, products: bool
                   ) -> tuple[Profile, date, date, dict[str, Any]]:
    """The profile, the window it names and the window's records (:func:`window_records`), in
    one transaction: one snapshot, and one round of a transaction's fixed costs per request."""
    with ctx.tx() as repo:
        profile = repo.profile() or default_profile()
        first, end = summary_window(ctx, days, last, profile=profile)
        return profile, first, end, _read(repo, first, end, products=products)


def _memoised(ctx: Context, view: str, first: date, end: date, profile: Profile,
              records: dict[str, Any], compute: Callable[[], T], memo: Memo | None
              ) -> Memoised[T]:
    """``compute()``, or the result it gave for equal inputs when ``memo`` has it (see
    :mod:`nightleaf.services.memo`). The inputs are everything ``compute`` reads: the profile
    and the window's records (the window itself is in the key)."""
    if memo is None:
        return Memoised(compute())
    inputs = (profile, *(records[k] for k in sorted(records)))
    size = (end - first).days + 1 + sum(len(v) for v in records.values()) \
        + sum(len(e.stages) for e in records["episodes"])
    return memo.get((view, ctx.person_id, first, end), inputs, size, compute)


def _value(v: V) -> V:
    return v


@dataclass(frozen=True)
class Form(Generic[V, K]):
    """What a view keeps of a result: ``make(result)`` under ``name`` (a response body, a
    page's data). The memo keeps the form, not the result, so it holds only what the view
    shows: a body's bytes are one object, where a 10-year summary is tens of thousands of
    objects that every full garbage collection of the process would walk."""

    name: str
    make: Callable[[V], K]


def summary_form(ctx: Context, form: Form[WindowSummary, K], *, days: int = 28,
                 last: str | None = None, detail: bool = True, memo: Memo | None = None
                 ) -> Memoised[K]:
    """``form`` of the window's summary (``detail=False``: the dashboard's, see
    :func:`dashboard_summary`), from ``memo`` when the window's records, profile and products
    are equal to those it was made from. The records are read either way."""
    profile, first, end, records = _window_inputs(ctx, days, last, products=detail)

    def compute() -> K:
        return form.make(summarise_window(first_night=first, last_night=end, profile=profile,
                                          detail=detail, **records))

    view = f"{'summary' if detail else 'dashboard'}:{form.name}"
    return _memoised(ctx, view, first, end, profile, records, compute, memo)


def window_summary(ctx: Context, *, days: int = 28, last: str | None = None,
                   detail: bool = True, memo: Memo | None = None) -> Memoised[WindowSummary]:
    """The window's summary itself (:func:`summary_form`)."""
    return summary_form(ctx, Form("value", _value), days=days, last=last, detail=detail,
                        memo=memo)


def summarise(ctx: Context, *, days: int = 28, last: str | None = None) -> WindowSummary:
    """Everything ``nightleaf summary`` shows for the window (see docs/metrics.md)."""
    return window_summary(ctx, days=days, last=last).value


def dashboard_summary(ctx: Context, *, days: int = 28, last: str | None = None) -> WindowSummary:
    """What the dashboard shows for the window: :func:`summarise` without the parts it does not
    chart (wearable regularity, weekly tables, comparisons by product and interval band; see
    ``summarise_window(detail=False)``). The nightly rows are the same, wearable nights
    included."""
    return window_summary(ctx, days=days, last=last, detail=False).value


@dataclass(frozen=True)
class DashboardNights:
    """What the dashboard's chart columns (``web.dashboard.series``) read: the window's nightly
    rows and the names of the wearable sources with episodes in it."""

    first_night: date
    last_night: date
    tz: str
    nights: tuple[Night, ...]
    #: wearable sources with an episode in the window, sorted: the keys ``summarise_window``
    #: gives ``WindowSummary.wearable`` (``series`` only iterates over them)
    wearable: tuple[str, ...]


def nights_form(ctx: Context, form: Form[DashboardNights, K], *, days: int = 28,
                last: str | None = None, memo: Memo | None = None) -> Memoised[K]:
    """``form`` of :func:`dashboard_nights`, from ``memo`` when the window's records and
    profile are equal to those it was made from. The records are read either way."""
    profile, first, end, records = _window_inputs(ctx, days, last, products=False)

    def compute() -> K:
        rows = nightly(first_night=first, last_night=end, profile=profile, **records)
        sources = sorted({e.source for e in records["episodes"] if first <= e.night <= end})
        return form.make(DashboardNights(first, end, profile.tz, rows, tuple(sources)))

    return _memoised(ctx, f"nights:{form.name}", first, end, profile, records, compute, memo)


def window_nights(ctx: Context, *, days: int = 28, last: str | None = None,
                  memo: Memo | None = None) -> Memoised[DashboardNights]:
    """The rows of :func:`dashboard_nights` themselves (:func:`nights_form`)."""
    return nights_form(ctx, Form("value", _value), days=days, last=last, memo=memo)


def dashboard_nights(ctx: Context, *, days: int = 28, last: str | None = None
                     ) -> DashboardNights:
    """The nightly rows of :func:`dashboard_summary` without the summary around them: the
    chart columns (``/api/dashboard``) need no means, regularity or comparisons, so none are
    computed (the rows are the same, from the same records)."""
    return window_nights(ctx, days=days, last=last).value


def summary_json(summary: WindowSummary) -> dict[str, Any]:
    """The JSON shape of a summary (the CLI's ``--json`` and, later, the web's /api)."""
    out: dict[str, Any] = to_plain(summary)
    return out

"""The whole window summary: nightly rows, means/medians, regularity, pain, intake, comparisons.

Pure: it takes plain lists of domain objects and the window's first and last night, and returns
frozen dataclasses; ``model.plain.to_plain`` turns them into JSON-ready dicts. Diary metrics and each
wearable source are summarised separately and never averaged together. Comparisons use the
diary's outcomes and the morning pain rating, with AR(1)-adjusted intervals (each night's place in
time is passed on); see :mod:`nightleaf.stats.compare`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

import numpy as np

from nightleaf.errors import InputError
from nightleaf.model.entities import (
    Intake,
    PainRating,
    Product,
    Profile,
    SleepEntry,
    SleepEpisode,
    Symptom,
)
from nightleaf.pain.nrs import WeekPain, weekly_pain
from nightleaf.sleep.diary import DIARY
from nightleaf.sleep.regularity import (
    Regularity,
    episode_intervals,
    main_sleep_times,
    metrics_intervals,
    window_regularity,
)
from nightleaf.stats.compare import NOTE, Comparison, compare_arrays
from nightleaf.stats.describe import Describe, describe
from nightleaf.stats.intake import nights_per_week, use_streaks
from nightleaf.stats.nightly import Night, nightly

SLEEP_METRICS = (
    "tib_minutes", "sol_minutes", "nwak", "waso_minutes", "twak_minutes", "ema_minutes",
    "twt_minutes", "tst_minutes", "se_percent", "quality", "nap_minutes",
)
WEARABLE_METRICS = (
    "tib_minutes", "sol_minutes", "nwak", "waso_minutes", "twak_minutes", "tst_minutes",
    "se_percent",
)
PAIN_METRICS = ("evening_nrs", "morning_nrs", "overnight_change", "peg")
#: outcomes compared between groups of nights (diary and pain)
OUTCOMES = ("tst_minutes", "se_percent", "sol_minutes", "quality", "morning_nrs")
#: bands of minutes from the last intake to tried-to-sleep: (label, low inclusive, high exclusive)
INTERVAL_BANDS: tuple[tuple[str, float, float], ...] = (
    ("under 60 min", -math.inf, 60.0),
    ("60-119 min", 60.0, 120.0),
    ("120-179 min", 120.0, 180.0),
    ("180 min or more", 180.0, math.inf),
)
WITHOUT = "nights without kratom"
_NONE = np.array(None, dtype=object)  # compared with each element of an object array


#: a night's figures, computed by :func:`nightleaf.stats.nightly.nightly` (the one source)
NightRow = Night


@dataclass(frozen=True)
class WeekUse:
    first_night: date
    nights_with_use: int
    nights: int


@dataclass(frozen=True)
class IntakeSummary:
    nights: int
    nights_with_use: int
    mean_nights_per_week: float
    current_streak: int
    longest_streak: int
    weeks: tuple[WeekUse, ...]
    grams_per_use_night: Describe
    mitragynine_mg_per_use_night: Describe
    intakes_per_use_night: Describe
    minutes_last_intake_to_sleep: Describe


@dataclass(frozen=True)
class WindowSummary:
    first_night: date
    last_night: date
    days: int
    tz: str
    nights: tuple[NightRow, ...]
    diary: dict[str, Describe]
    wearable: dict[str, dict[str, Describe]]  # source -> metric -> summary
    regularity: tuple[Regularity, ...]  # diary first, then each wearable source
    pain: dict[str, Describe]
    pain_weeks: tuple[WeekPain, ...]
    intake: IntakeSummary
    comparisons: tuple[Comparison, ...]
    note: str = NOTE


def _outcome(row: NightRow, name: str) -> float | None:
    if name in PAIN_METRICS:
        return None if row.pain is None else getattr(row.pain, name)
    return None if row.diary is None else getattr(row.diary, name)


def _band(minutes: float | None) -> str | None:
    if minutes is None:
        return None
    for label, lo, hi in INTERVAL_BANDS:
        if lo <= minutes < hi:
            return label
    return None


def _columns(records: Sequence[Any], names: Sequence[str]) -> dict[str, list[Any]]:
    """Each named field of ``records`` as a list in the records' order (``None`` where a record
    is ``None``): ``[None if x is None else getattr(x, k) for x in records]`` for every ``k``,
    in one pass over the records instead of a pass and a ``getattr`` call per field."""
    if not names:
        return {}
    get = attrgetter(*names)
    if len(names) == 1:
        return {names[0]: [None if x is None else get(x) for x in records]}
    blank = (None,) * len(names)
    if not records:
        return {k: [] for k in names}
    return dict(zip(names, map(list, zip(*[blank if x is None else get(x) for x in records],
                                         strict=True)), strict=True))


def _comparisons(
    rows: Sequence[NightRow], products: dict[int, str], outcomes: Sequence[str],
    *, detail: bool = True, values: Mapping[str, Sequence[Any]] | None = None,
) -> list[Comparison]:
    """Each group of nights against the nights without kratom, for each outcome.

    Columns, not rows: each outcome's values, whether they are known and each night's day
    number are taken once as arrays, and each group is an index into them (3,653 nights and up
    to 14 groups × 5 outcomes in a 10-year summary). The values and their order are those of
    :func:`compare` on the rows' lists, so the results are the same to the last bit.
    ``values``: outcomes' columns the caller has taken already (:func:`_outcome` of each row,
    in the rows' order); the others are taken here.
    """
    n = len(rows)
    intakes = [r.intake for r in rows]
    used_mask = np.fromiter((i is not None for i in intakes), dtype=bool, count=n)
    without = np.flatnonzero(~used_mask)
    used = np.flatnonzero(used_mask)
    groups: list[tuple[str, np.ndarray]] = [("nights with kratom", used)]
    if detail:
        product_ids = sorted({p for i in intakes if i for p in i.product_ids})
        for pid in product_ids:
            label = f"product: {products.get(pid, f'#{pid}')}"
            # nights with this product only, so a mixed night is not counted twice
            groups.append((label, np.array([k for k in used.tolist()
                                            if intakes[k].product_ids == (pid,)],  # type: ignore[union-attr]
                                           dtype=np.intp)))
        bands = [_band(i.minutes_last_intake_to_sleep) if i else None for i in intakes]
        for band, _, _ in INTERVAL_BANDS:
            groups.append((f"last intake {band} before trying to sleep",
                           np.array([k for k in used.tolist() if bands[k] == band],
                                    dtype=np.intp)))
    day = np.fromiter((r.night.toordinal() for r in rows), dtype=np.int64, count=n)
    columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for m in outcomes:
        raw = values[m] if values is not None and m in values else [_outcome(r, m) for r in rows]
        # whether each value is known, and the values as floats with 0.0 where unknown
        # (numpy's float conversion is float()'s), without a Python call per night
        known = np.array(raw, dtype=object) != _NONE
        vals = np.array(raw, dtype=float)
        vals[~known] = 0.0
        columns[m] = vals, known
    out: list[Comparison] = []
    for label, chosen in groups:
        for metric in outcomes:
            vals, known = columns[metric]
            g = chosen[known[chosen]]
            r = without[known[without]]
            out.append(compare_arrays(metric, vals[g], vals[r], group=label, reference=WITHOUT,
                                      group_nights=day[g], reference_nights=day[r]))
    return out


def summarise_window(
    *,
    first_night: date,
    last_night: date,
    profile: Profile,
    entries: Iterable[SleepEntry] = (),
    episodes: Iterable[SleepEpisode] = (),
    intakes: Iterable[Intake] = (),
    pain: Iterable[PainRating] = (),
    symptoms: Iterable[Symptom] = (),
    products: Iterable[Product] = (),
    outcomes: Sequence[str] = OUTCOMES,
    detail: bool = True,
) -> WindowSummary:
    """Summarise the nights ``first_night..last_night`` (inclusive) for one person.

    Records outside the window are ignored. When a night has several diary entries the last one
    given wins.

    ``detail=False`` leaves out what the dashboard does not show, and everything else is the
    same as with ``detail=True``: no wearable regularity (the nightly rows and the per-source
    summaries keep the wearable nights), no weekly tables (``pain_weeks`` and ``intake.weeks``
    are empty), and only the
    "nights with kratom" comparisons (none by product or by interval band).
    """
    if last_night < first_night:
        raise InputError("the window's last night is before its first night")

    def inside(n: date) -> bool:
        return first_night <= n <= last_night

    days = (last_night - first_night).days + 1
    episodes = [e for e in episodes if inside(e.night)]
    rows = nightly(first_night=first_night, last_night=last_night, profile=profile,
                   entries=entries, episodes=episodes, intakes=intakes, pain=pain,
                   symptoms=symptoms)
    diary_all = [r.diary for r in rows if r.diary is not None]  # the SRI grid reuses them
    tried = [m.tried_to_sleep for m in diary_all if m.tried_to_sleep is not None]
    pain_by_night = {r.night: r.pain for r in rows if r.pain is not None}
    sources = sorted({ep.source for ep in episodes})

    # each metric's column taken once (one pass over the rows per source), for the
    # describes and the comparisons
    diary_columns = _columns([r.diary for r in rows], SLEEP_METRICS)
    diary_summary = {k: describe(diary_columns[k]) for k in SLEEP_METRICS}
    wearable_summary: dict[str, dict[str, Describe]] = {}
    for src in sources:
        per = [next((m for m in r.wearable if m.source == src), None) if r.wearable else None
               for r in rows]
        columns = _columns(per, WEARABLE_METRICS)
        wearable_summary[src] = {k: describe(columns[k]) for k in WEARABLE_METRICS}

    reg = [
        window_regularity(
            metrics_intervals(diary_all), first_night, last_night, profile, source=DIARY,
            lights_out=tried,
        )
    ]
    for src in sources if detail else ():
        mine = [e for e in episodes if e.source == src]
        reg.append(
            window_regularity(
                episode_intervals(mine), first_night, last_night, profile, source=src,
                timing=main_sleep_times(mine),
            )
        )

    pain_columns = _columns([r.pain for r in rows], PAIN_METRICS)
    pain_summary = {k: describe(pain_columns[k]) for k in PAIN_METRICS}

    used = {r.night for r in rows if r.used}
    current, longest = use_streaks(used, first_night, last_night)
    use_rows = [r.intake for r in rows if r.intake is not None]
    intake_summary = IntakeSummary(
        nights=days,
        nights_with_use=len(used),
        mean_nights_per_week=7.0 * len(used) / days,
        current_streak=current,
        longest_streak=longest,
        weeks=tuple(WeekUse(*w) for w in nights_per_week(used, first_night, last_night))
        if detail else (),
        grams_per_use_night=describe([i.total_grams for i in use_rows]),
        mitragynine_mg_per_use_night=describe([i.mitragynine_mg for i in use_rows]),
        intakes_per_use_night=describe([i.count for i in use_rows]),
        minutes_last_intake_to_sleep=describe([i.minutes_last_intake_to_sleep for i in use_rows]),
    )
    names = {p.id: p.label or p.name for p in products if p.id is not None}
    return WindowSummary(
        first_night=first_night,
        last_night=last_night,
        days=days,
        tz=profile.tz,
        nights=rows,
        diary=diary_summary,
        wearable=wearable_summary,
        regularity=tuple(reg),
        pain=pain_summary,
        pain_weeks=tuple(weekly_pain(pain_by_night, first_night, last_night)) if detail else (),
        intake=intake_summary,
        comparisons=tuple(_comparisons(rows, names, outcomes, detail=detail,
                                       values={**diary_columns, **pain_columns})),
    )



"""Per-night metrics from the Consensus Sleep Diary (Carney et al. 2012).

Source: Carney CE, Buysse DJ, Ancoli-Israel S, et al. *The Consensus Sleep Diary:
standardizing prospective sleep self-monitoring.* SLEEP 2012;35(2):287-302.
doi:10.5665/sleep.1642. Definitions as in ``docs/metrics.md``:

- TIB  = out of bed - into bed
- SOL  = item 3, counted from the sleep attempt ("tried to sleep")
- NWAK = item 4, the final awakening not counted
- WASO = item 5, minutes awake between sleep onset and the final awakening
- TWAK = out of bed - final awakening (terminal wakefulness)
- EMA  = expanded item "how much earlier than planned"; unknown when not given (never TWAK)
- TWT  = SOL + WASO + TWAK (Core variant)
- TST  = (final awakening - tried to sleep) - SOL - WASO
- SE   = 100 x TST / TIB

Every span is real elapsed time between UTC instants, so a daylight-saving night counts the hour
the clocks skipped or repeated. A missing item makes everything that depends on it ``None``
(unknown), never zero. One inference is made: a reported NWAK of 0 with WASO left blank gives
WASO = 0, because the diary defines WASO as the length of those awakenings.

Worked example (reference sheet section 1.3): into bed 22:30, tried 23:00, SOL 30, NWAK 2,
WASO 40, final awakening 06:00, out of bed 06:45.

>>> from datetime import UTC, date, datetime
>>> from nightleaf.model.entities import SleepEntry
>>> d = lambda h, m, day=2: datetime(2026, 3, day, h, m, tzinfo=UTC)
>>> e = SleepEntry(night=date(2026, 3, 1), tz="UTC", into_bed=d(22, 30, 1),
...     tried_to_sleep=d(23, 0, 1), sol_minutes=30, awakenings=2, waso_minutes=40,
...     final_awakening=d(6, 0), out_of_bed=d(6, 45), quality=2)
>>> m = diary_metrics(e)
>>> (m.tib_minutes, m.tst_minutes, m.twt_minutes, m.twak_minutes, round(m.se_percent, 1))
(495.0, 350.0, 115.0, 45.0, 70.7)
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from nightleaf.model.clock import minutes_between
from nightleaf.model.entities import SleepEntry

DIARY = "diary"


@dataclass(frozen=True)
class NightMetrics:
    """Metrics of one night from one source. ``None`` means unknown.

    ``onset`` and ``offset`` are the sleep interval used for regularity (UTC instants): for the
    diary, tried-to-sleep + SOL and the final awakening.
    """

    night: date
    source: str
    tib_minutes: float | None = None
    sol_minutes: float | None = None
    nwak: int | None = None
    waso_minutes: float | None = None
    twak_minutes: float | None = None  # terminal wakefulness: final awakening -> out of bed
    ema_minutes: float | None = None  # early-morning awakening (woke earlier than planned)
    twt_minutes: float | None = None  # SOL + WASO + TWAK
    tst_minutes: float | None = None
    se_percent: float | None = None
    quality: int | None = None  # 1 very poor .. 5 very good
    nap_minutes: float | None = None  # daytime naps, reported apart; never added to TST
    tried_to_sleep: datetime | None = None
    onset: datetime | None = None
    offset: datetime | None = None
    stage_minutes: dict[str, float] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


_FIELDS = fields(NightMetrics)
_DEFAULTS = {f.name: f.default for f in _FIELDS if f.default is not MISSING}
_FACTORIES = [(f.name, f.default_factory) for f in _FIELDS if f.default_factory is not MISSING]
_NAMES = frozenset(f.name for f in _FIELDS)
assert not hasattr(NightMetrics, "__post_init__")  # _metrics() would skip it
_new = object.__new__


def _metrics(**given: Any) -> NightMetrics:
    """``NightMetrics(**given)`` without the frozen dataclass's ``object.__setattr__`` per field
    (18 of them; ``diary_metrics`` runs for every night of a 10-year window): the same object —
    the same fields and defaults (a fresh dict from each ``default_factory``), equal and with
    the same ``repr``. Unknown or missing fields raise ``TypeError`` as the constructor does."""
    if not given.keys() <= _NAMES:
        raise TypeError(f"unknown NightMetrics fields: {sorted(given.keys() - _NAMES)}")
    values = {**_DEFAULTS, **given}
    for name, factory in _FACTORIES:
        if name not in given:
            values[name] = factory()
    if len(values) != len(_FIELDS):
        raise TypeError("NightMetrics needs night and source")
    m = object.__new__(NightMetrics)
    m.__dict__.update(values)
    return m


def _span(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return minutes_between(start, end)


def entry_problems(entry: SleepEntry) -> list[str]:
    """Consistency checks from the CSD validation rules (reference sheet section 1.2)."""
    return _check(entry)[0]


def _check(entry: SleepEntry) -> tuple[list[str], bool, float | None]:
    """:func:`entry_problems`, whether the four times are in order, and the span from trying to
    sleep to the final awakening (computed once here: ``diary_metrics`` runs for every night of
    a window)."""
    problems: list[str] = []
    in_order = True
    prev_name = ""
    prev: datetime | None = None
    for name, t in (
        ("into bed", entry.into_bed),
        ("tried to sleep", entry.tried_to_sleep),
        ("final awakening", entry.final_awakening),
        ("out of bed", entry.out_of_bed),
    ):
        if t is None:
            continue
        if prev is not None and t < prev:
            problems.append(f"{name} is before {prev_name}")
            in_order = False
        prev_name, prev = name, t
    for name, value in (
        ("SOL", entry.sol_minutes),
        ("WASO", entry.waso_minutes),
        ("early awakening", entry.woke_early_minutes),
        ("nap minutes", entry.nap_minutes),
    ):
        if value is not None and value < 0:
            problems.append(f"{name} is negative")
    if entry.awakenings is not None and entry.awakenings < 0:
        problems.append("number of awakenings is negative")
    window = _span(entry.tried_to_sleep, entry.final_awakening)
    used = (entry.sol_minutes or 0) + (entry.waso_minutes or 0)
    if window is not None and window >= 0 and used > window:
        problems.append("SOL + WASO are longer than the time from trying to sleep to waking")
    if entry.quality is not None and not 1 <= entry.quality <= 5:
        problems.append("quality must be 1-5")
    return problems, in_order, window


def diary_metrics(entry: SleepEntry) -> NightMetrics:
    """Compute CSD metrics for one diary entry (see the module docstring for formulas).

    Inconsistent items (times out of order, SOL + WASO longer than the sleep window) make the
    metrics that depend on them unknown and are listed in ``problems``; nothing is clamped.
    When SOL + WASO overrun the window, one of them is wrong and nobody can say which: SOL,
    WASO and everything built on them (TST, TWT, SE, the sleep onset) are unknown.
    """
    # The common entry (every window's night runs this) takes a short path: the four times given
    # as UTC instants (what the store returns) in order, no negative or out-of-range item and
    # no overrun, so there are no problems to list and nothing to blank. Each span is taken
    # once, as minutes_between takes it (the same floats); any other entry takes the general
    # path below, which lists the problems.
    into, tried, final, out = (entry.into_bed, entry.tried_to_sleep, entry.final_awakening,
                               entry.out_of_bed)
    sol, waso, nwak = entry.sol_minutes, entry.waso_minutes, entry.awakenings
    ema, nap, quality = entry.woke_early_minutes, entry.nap_minutes, entry.quality
    if (into is not None and tried is not None and final is not None and out is not None
            and into.tzinfo is UTC and tried.tzinfo is UTC and final.tzinfo is UTC
            and out.tzinfo is UTC and into <= tried <= final <= out
            and (sol is None or sol >= 0) and (waso is None or waso >= 0)
            and (nwak is None or nwak >= 0) and (ema is None or ema >= 0)
            and (nap is None or nap >= 0) and (quality is None or 1 <= quality <= 5)):
        window = (final - tried).total_seconds() / 60.0
        if (sol or 0) + (waso or 0) <= window:  # no overrun
            if waso is None and nwak == 0:
                waso = 0.0  # NWAK = 0 means no awakenings to add up (CSD item 5)
            tib = (out - into).total_seconds() / 60.0
            twak = (out - final).total_seconds() / 60.0
            tst: float | None = None
            twt: float | None = None
            se: float | None = None
            onset: datetime | None = None
            offset: datetime | None = final
            if sol is not None:
                onset = tried + timedelta(minutes=sol)
                if waso is not None:
                    tst = window - sol - waso
                    if tst < 0:
                        tst = None
                    elif tib > 0:
                        se = 100.0 * tst / tib
                    twt = sol + waso + twak
                if final < onset:
                    onset = offset = None
            m = _new(NightMetrics)
            m.__dict__.update({
                "night": entry.night, "source": DIARY, "tib_minutes": tib, "sol_minutes": sol,
                "nwak": nwak, "waso_minutes": waso, "twak_minutes": twak, "ema_minutes": ema,
                "twt_minutes": twt, "tst_minutes": tst, "se_percent": se, "quality": quality,
                "nap_minutes": nap, "tried_to_sleep": tried, "onset": onset, "offset": offset,
                "stage_minutes": {}, "problems": (),
            })
            return m
    return _checked_metrics(entry)


def _checked_metrics(entry: SleepEntry) -> NightMetrics:
    """:func:`diary_metrics` of any entry: the consistency checks, and every metric that
    depends on a failed one unknown."""
    problems, order_ok, window = _check(entry)
    overrun = (window is not None and window >= 0
               and (entry.sol_minutes or 0) + (entry.waso_minutes or 0) > window)
    sol = entry.sol_minutes if entry.sol_minutes is None or entry.sol_minutes >= 0 else None
    waso = entry.waso_minutes if entry.waso_minutes is None or entry.waso_minutes >= 0 else None
    nwak = entry.awakenings if entry.awakenings is None or entry.awakenings >= 0 else None
    if waso is None and nwak == 0 and entry.waso_minutes is None:
        waso = 0.0  # NWAK = 0 means no awakenings to add up (CSD item 5)
    if overrun:
        sol = waso = None
    ema = entry.woke_early_minutes
    if ema is not None and ema < 0:
        ema = None

    tib = _span(entry.into_bed, entry.out_of_bed) if order_ok else None
    twak = _span(entry.final_awakening, entry.out_of_bed) if order_ok else None
    if not order_ok:
        window = None

    tst: float | None = None
    if window is not None and sol is not None and waso is not None:
        tst = window - sol - waso
        if tst < 0:
            tst = None
    twt = None
    if sol is not None and waso is not None and twak is not None:
        twt = sol + waso + twak
    se = None
    if tst is not None and tib is not None and tib > 0:
        se = 100.0 * tst / tib

    onset = None
    if entry.tried_to_sleep is not None and sol is not None:
        onset = entry.tried_to_sleep + timedelta(minutes=sol)
    offset = entry.final_awakening
    if onset is not None and offset is not None and offset < onset:
        onset = offset = None

    quality = entry.quality if entry.quality is not None and 1 <= entry.quality <= 5 else None
    nap = entry.nap_minutes if entry.nap_minutes is None or entry.nap_minutes >= 0 else None
    return _metrics(
        night=entry.night,
        source=DIARY,
        tib_minutes=tib,
        sol_minutes=sol,
        nwak=nwak,
        waso_minutes=waso,
        twak_minutes=twak,
        ema_minutes=ema,
        twt_minutes=twt,
        tst_minutes=tst,
        se_percent=se,
        quality=quality,
        nap_minutes=nap,
        tried_to_sleep=entry.tried_to_sleep,
        onset=onset,
        offset=offset,
        problems=tuple(problems),
    )

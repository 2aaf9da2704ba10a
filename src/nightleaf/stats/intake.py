"""Intake per night, streaks and nights per week (pure).

Per night: total grams and mitragynine mg (``None`` unless every intake that night has a known
amount; ``known_grams`` keeps the partial sum), number of intakes, products, and the minutes from
the last intake to "tried to sleep" (diary item 2; negative if the intake came after).

>>> from datetime import UTC, date, datetime
>>> from nightleaf.model.entities import Intake
>>> from nightleaf.model.units import Amount
>>> n = date(2026, 3, 1)
>>> i1 = Intake(datetime(2026, 3, 1, 20, 0, tzinfo=UTC), "UTC", Amount(2.0, "g"), n)
>>> i2 = Intake(datetime(2026, 3, 1, 21, 30, tzinfo=UTC), "UTC", Amount(1.5, "g"), n)
>>> x = night_intakes([i1, i2], {n: datetime(2026, 3, 1, 23, 0, tzinfo=UTC)})[n]
>>> (x.total_grams, x.count, x.minutes_last_intake_to_sleep)
(3.5, 2, 90.0)
>>> use_streaks({date(2026, 3, d) for d in (1, 2, 3, 5)}, date(2026, 3, 1), date(2026, 3, 5))
(1, 3)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

from nightleaf.model.clock import minutes_between
from nightleaf.model.entities import Intake


@dataclass(frozen=True)
class NightIntake:
    night: date
    count: int
    total_grams: float | None  # None when any intake's amount in grams is unknown
    known_grams: float  # sum of the amounts that are known
    mitragynine_mg: float | None  # None unless every intake has it
    last_intake_at: datetime
    minutes_last_intake_to_sleep: float | None  # needs the diary's tried-to-sleep time
    product_ids: tuple[int, ...] = ()


def night_intakes(
    intakes: Iterable[Intake], tried_to_sleep: dict[date, datetime] | None = None
) -> dict[date, NightIntake]:
    """Aggregate intakes by night. ``tried_to_sleep`` maps night -> diary sleep attempt."""
    tried_to_sleep = tried_to_sleep or {}
    # one pass over the intakes (a 10-year window has thousands): per night, in input order,
    # the count, the running sums (the same additions in the same order as summing the
    # night's list, so the same floats), whether any amount is unknown, the latest instant
    # (the first of equal ones, as max() keeps) and the products
    acc: dict[date, list[Any]] = {}
    for i in intakes:
        amount = i.amount
        # Intake.grams, read directly for an amount in grams (the same value)
        g = amount.value if amount.unit == "g" else amount.grams
        mg, at = i.mitragynine_mg, i.at
        a = acc.get(i.night)
        if a is None:
            # [count, known grams, any grams unknown, mg sum, any mg unknown, last, products]
            a = acc[i.night] = [0, 0, False, 0, False, at, set()]
        a[0] += 1
        if g is None:
            a[2] = True
        else:
            a[1] += g
        if mg is None:
            a[4] = True
        else:
            a[3] += mg
        if at > a[5]:
            a[5] = at
        if i.product_id is not None:
            a[6].add(i.product_id)
    out: dict[date, NightIntake] = {}
    for night, (count, known, g_unknown, mg_sum, mg_unknown, last, products) in acc.items():
        tts = tried_to_sleep.get(night)
        if not tts:
            minutes = None
        elif last.tzinfo is UTC and tts.tzinfo is UTC:  # minutes_between, without its calls
            minutes = (tts - last).total_seconds() / 60.0
        else:
            minutes = minutes_between(last, tts)
        # NightIntake(...) without the frozen dataclass's object.__setattr__ per field (the
        # same object: see _INTAKE_FIELDS)
        row = out[night] = _new(NightIntake)
        row.__dict__.update({
            "night": night, "count": count, "total_grams": None if g_unknown else known,
            "known_grams": known, "mitragynine_mg": None if mg_unknown else mg_sum,
            "last_intake_at": last, "minutes_last_intake_to_sleep": minutes,
            "product_ids": tuple(sorted(products)) if products else (),
        })
    return out


_new = object.__new__
_INTAKE_FIELDS = ("night", "count", "total_grams", "known_grams", "mitragynine_mg",
                  "last_intake_at", "minutes_last_intake_to_sleep", "product_ids")
assert tuple(f.name for f in fields(NightIntake)) == _INTAKE_FIELDS
assert not hasattr(NightIntake, "__post_init__")


def use_streaks(nights_with_use: set[date], first_night: date, last_night: date) -> tuple[int, int]:
    """(current, longest) run of consecutive nights with use inside the window.

    *current* is the run that ends on ``last_night`` (0 if there was no use that night).
    """
    # the nights with use as day numbers, in order: a run is consecutive numbers (one step per
    # night with use, not one per night of the window)
    lo, hi = first_night.toordinal(), last_night.toordinal()
    longest = run = 0
    prev = lo - 2
    for o in sorted(o for o in map(date.toordinal, nights_with_use) if lo <= o <= hi):
        run = run + 1 if o == prev + 1 else 1
        if run > longest:
            longest = run
        prev = o
    return (run if prev == hi else 0), longest


def nights_per_week(
    nights_with_use: set[date], first_night: date, last_night: date
) -> list[tuple[date, int, int]]:
    """For each 7-night block from ``first_night``: (block start, nights with use, nights)."""
    lo, hi = first_night.toordinal(), last_night.toordinal()
    if hi < lo:
        return []
    used = [0] * ((hi - lo) // 7 + 1)
    for o in map(date.toordinal, nights_with_use):
        if lo <= o <= hi:
            used[(o - lo) // 7] += 1
    return [(date.fromordinal(start), n, min(start + 6, hi) - start + 1)
            for start, n in zip(range(lo, hi + 1, 7), used, strict=True)]

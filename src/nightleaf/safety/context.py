"""What the safety rules look at. Built by the services layer; the rules never read the clock,
the database or files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from nightleaf.model.clock import night_time
from nightleaf.model.clock import tonight as _tonight
from nightleaf.model.entities import (
    Batch,
    Condition,
    Intake,
    Medicine,
    Product,
    Profile,
    Substance,
    Symptom,
)


@dataclass(frozen=True)
class SafetyContext:
    """``intakes`` is the history including tonight's logged intakes; ``planned`` is an intake
    being considered (``nightleaf check --amount 3g``), not yet logged. ``now`` is passed in
    (UTC, aware). ``night`` defaults to the planned intake's night, else tonight at ``now``."""

    profile: Profile
    now: datetime
    medicines: Sequence[Medicine] = ()
    conditions: Sequence[Condition] = ()
    products: Sequence[Product] = ()
    batches: Sequence[Batch] = ()
    intakes: Sequence[Intake] = ()
    planned: Intake | None = None
    substances: Sequence[Substance] = ()
    symptoms: Sequence[Symptom] = ()
    night: date | None = None
    _all: tuple[Intake, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = list(self.intakes)
        if self.planned is not None and self.planned not in items:
            items.append(self.planned)
        object.__setattr__(self, "_all", tuple(items))

    @property
    def tonight(self) -> date:
        if self.night is not None:
            return self.night
        if self.planned is not None:
            return self.planned.night
        return _tonight(self.now, self.profile.tz)

    @property
    def all_intakes(self) -> tuple[Intake, ...]:
        """History plus the planned intake."""
        return self._all

    def intakes_on(self, night: date) -> list[Intake]:
        return [i for i in self._all if i.night == night]

    @property
    def tonight_intakes(self) -> list[Intake]:
        return sorted(self.intakes_on(self.tonight), key=lambda i: i.at)

    @property
    def use_tonight(self) -> bool:
        return bool(self.tonight_intakes)

    def use_nights(self) -> set[date]:
        return {i.night for i in self._all}

    def nights_back(self, days: int, *, end: date | None = None) -> list[date]:
        """``days`` nights ending with ``end`` (default tonight), oldest first."""
        last = end or self.tonight
        return [last - timedelta(days=k) for k in range(days - 1, -1, -1)]

    def substances_tonight(self) -> list[Substance]:
        return [s for s in self.substances if s.night == self.tonight]

    def bedtime_tonight(self) -> datetime:
        """Tonight's target bedtime as an instant (UTC)."""
        return night_time(self.tonight, self.profile.target_bedtime, self.profile.tz)

    def substances_within(self, hours: int) -> list[Substance]:
        """Tonight's substances plus those taken in the ``hours`` before tonight's target bedtime
        (a medicine taken yesterday evening still counts tonight), oldest first."""
        end = self.bedtime_tonight()
        start = end - timedelta(hours=hours)
        found = [s for s in self.substances
                 if s.night == self.tonight or (s.night < self.tonight and start <= s.at <= end)]
        return sorted(found, key=lambda s: s.at)

    def product(self, product_id: int | None) -> Product | None:
        return next((p for p in self.products if p.id == product_id), None)

    def batch(self, batch_id: int | None) -> Batch | None:
        return next((b for b in self.batches if b.id == batch_id), None)

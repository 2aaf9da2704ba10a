"""The clinician report's content: what :func:`nightleaf.services.report.build_report` gathers
and :mod:`nightleaf.io.report` renders. A plain record, so the renderer needs no service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from nightleaf import __version__
from nightleaf.model import clock
from nightleaf.model.entities import Batch, Condition, Medicine, Product, Profile
from nightleaf.model.finding import Finding

if TYPE_CHECKING:  # the calculator's result type, for annotations only
    from nightleaf.stats.window import WindowSummary

#: below this many nights with a value in each half, a change is reported as "too few nights"
MIN_NIGHTS_PER_HALF = 5


@dataclass(frozen=True)
class SymptomRow:
    kind: str  # side_effect / withdrawal
    name: str
    nights: int
    max_severity: int
    last_night: date


@dataclass(frozen=True)
class Change:
    """One figure in the first and the second half of the period."""

    label: str
    unit: str
    first: float | None
    second: float | None
    n_first: int
    n_second: int

    @property
    def enough(self) -> bool:
        return self.n_first >= MIN_NIGHTS_PER_HALF and self.n_second >= MIN_NIGHTS_PER_HALF


@dataclass(frozen=True)
class ExperimentSection:
    """One self-experiment for the clinician report: the fixed plan in words and its result as
    ``nightleaf experiment result --json`` gives it (``final``, ``outcomes``, ``adherence``...)."""

    design: str
    result: dict[str, Any]


@dataclass
class ReportData:
    generated_at: datetime  # UTC
    first_night: date
    last_night: date
    profile: Profile
    show_name: bool
    medicines: list[Medicine]
    conditions: list[Condition]
    products: list[Product]
    batches: list[Batch]
    window: WindowSummary
    halves: tuple[WindowSummary, WindowSummary] | None
    symptoms: list[SymptomRow]
    substances: dict[str, int]  # kind -> nights with it
    findings: list[Finding]
    findings_night: date
    changes: list[Change] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    experiments: list[ExperimentSection] = field(default_factory=list)
    version: str = __version__

    @property
    def person(self) -> str:
        if self.show_name and self.profile.name:
            return self.profile.name
        return "name not shown"

    @property
    def days(self) -> int:
        return self.window.days

    @property
    def generated_local(self) -> str:
        return f"{clock.local_datetime(self.generated_at, self.profile.tz):%Y-%m-%d %H:%M %Z}"

    def product_name(self, product_id: int | None) -> str:
        p = next((p for p in self.products if p.id == product_id), None)
        return p.name if p else "—"

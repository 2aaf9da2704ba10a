"""Typed shapes of the knowledge files: plain frozen dataclasses, validated by pydantic v2.

Every entry carries ``sources`` (keys into ``sources.toml``) and ``as_of`` (an ISO month or day:
``2025-08`` or ``2025-08-12``; a year alone is refused, because it cannot be judged stale).
Unknown keys are refused so that a typo in a data file fails loudly instead of being ignored.

This module is the one definition of the knowledge types and imports no pydantic, so that code
using the loaded knowledge does not pay for it. The constraints sit beside each field as
``Annotated`` markers (:class:`Check`, :class:`After`) that pydantic reads when
:mod:`nightleaf.knowledge.loader` validates a file (``TypeAdapter``, imported only then); the
``__pydantic_config__`` of each class forbids unknown keys and maps ``class_`` to ``class``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

Severity = Literal["info", "caution", "warning", "danger"]
#: banned: possession and sale are offences (typically a schedule I listing of the plant).
#: controlled: listed as a narcotic, psychotropic or similar under national drug law.
#: prescription-only: a medicine; obtainable only on prescription.
#: regulated / regulated-with-age-limit: lawful to sell under a product or licensing regime.
#: restricted: not a controlled drug as such, but sale for consumption (or particular products,
#: such as concentrated 7-OH) is barred or limited; read the notes.
#: legal: no kratom-specific restriction found in a source that says so.
#: unknown: no source read says; the notes say why.
LegalStatusName = Literal[
    "banned", "controlled", "prescription-only", "regulated", "regulated-with-age-limit",
    "restricted", "legal", "unknown",
]
LEGAL_STATUSES: tuple[str, ...] = (
    "banned", "controlled", "prescription-only", "regulated", "regulated-with-age-limit",
    "restricted", "legal", "unknown",
)

_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MONTH_OR_DAY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


class Check:
    """Field constraints with ``pydantic.Field``'s names (``min_length``, ``gt``, ``pattern``...),
    applied when pydantic validates; pydantic is imported only then."""

    def __init__(self, **constraints: Any) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field

        return handler.generate_schema(Annotated[source, Field(**self.constraints)])


class After:
    """A check run after the type's own validation, like ``pydantic.AfterValidator``."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.func, handler(source))


def _partial_date(value: str) -> str:
    if not _PARTIAL.match(value):
        raise ValueError(f"{value!r} is not a date like 2025, 2025-08 or 2025-08-12")
    period_end(value)  # raises ValueError for month 13, day 32...
    return value


def _month_date(value: str) -> str:
    if not _MONTH_OR_DAY.match(value):
        raise ValueError(f"{value!r} is not a month or day like 2025-08 or 2025-08-12 (a year "
                         "alone cannot be judged stale)")
    period_end(value)
    return value


def _partial_or_unknown(value: str) -> str:
    return value if value == "unknown" else _partial_date(value)


PartialDate = Annotated[str, After(_partial_date)]
PartialDateOrUnknown = Annotated[str, After(_partial_or_unknown)]
MonthDate = Annotated[str, After(_month_date)]
SourceKeys = Annotated[list[str], Check(min_length=1)]
RegionCode = Annotated[str, Check(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
AgeLimit = Annotated[int | None, Check(ge=0, le=30)]


def period_end(value: str) -> date:
    """The last day of a partial date's period: ``2025`` -> 2025-12-31, ``2025-02`` -> 2025-02-28.

    Staleness is judged from the end of the period, which gives the data the benefit of the doubt.

    >>> period_end("2024-02")
    datetime.date(2024, 2, 29)
    """
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], parts[1], parts[2])


def period_start(value: str) -> date:
    """The first day of a partial date's period (used for "from this date on" changes)."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def _alias(name: str) -> str:
    return name.rstrip("_")  # ``class_`` is ``class`` in the files


# keyword-only, so that a default may precede a required field in a subclass
@dataclass(frozen=True, kw_only=True)
class _Strict:
    __pydantic_config__ = {"extra": "forbid", "alias_generator": _alias}


@dataclass(frozen=True, kw_only=True)
class Cited(_Strict):
    sources: SourceKeys
    as_of: MonthDate


@dataclass(frozen=True, kw_only=True)
class SourceRef(_Strict):
    title: Annotated[str, Check(min_length=3)]
    url: str | None = None
    quality: Literal["primary", "secondary", "news", "advocacy", "vendor", "data"]


@dataclass(frozen=True, kw_only=True)
class SourcesFile(_Strict):
    version: int
    as_of: PartialDate
    sources: dict[str, SourceRef]


@dataclass(frozen=True, kw_only=True)
class InteractionClass(Cited):
    id: str
    label: str
    severity: Severity
    inferred: bool
    mechanism: Annotated[str, Check(min_length=20)]
    discuss: Annotated[str, Check(min_length=10)]


@dataclass(frozen=True, kw_only=True)
class InteractionsFile(_Strict):
    version: int
    class_: Annotated[list[InteractionClass], Check(min_length=1)]


@dataclass(frozen=True, kw_only=True)
class MedicineEntry(Cited):
    name: Annotated[str, Check(min_length=2)]
    classes: list[str]
    brands: list[str] = field(default_factory=list)
    misspellings: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class CombinationEntry(Cited):
    name: Annotated[str, Check(min_length=2)]
    ingredients: Annotated[list[str], Check(min_length=2)]
    brands: list[str] = field(default_factory=list)
    misspellings: list[str] = field(default_factory=list)
    #: ingredient classes that do not apply to the combination as taken (e.g. the naloxone in
    #: buprenorphine/naloxone is not a rescue dose); ``note`` says why
    without_classes: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class MedicinesFile(_Strict):
    version: int
    medicine: Annotated[list[MedicineEntry], Check(min_length=1)]
    combination: list[CombinationEntry] = field(default_factory=list)
    #: foods, drinks and drugs that are not medicines (alcohol, grapefruit, cannabis): looked up
    #: like medicines, not counted as medicines
    substance: list[MedicineEntry] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class SynonymsFile(Cited):
    version: int
    synonyms: dict[str, list[str]]
    medlineplus: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ConditionRule(Cited):
    id: str
    label: str
    aliases: Annotated[list[str], Check(min_length=1)]
    severity: Severity
    inferred: bool
    explanation: Annotated[str, Check(min_length=20)]
    discuss: Annotated[str, Check(min_length=10)]


@dataclass(frozen=True, kw_only=True)
class ConditionsFile(_Strict):
    version: int
    condition: Annotated[list[ConditionRule], Check(min_length=1)]


@dataclass(frozen=True, kw_only=True)
class ProductRule(Cited):
    id: Literal[
        "seven_oh_share", "seven_oh_weight", "seven_oh_product", "concentrated_extract",
        "no_lab_results", "contaminant_failed",
    ]
    severity: Severity
    explanation: Annotated[str, Check(min_length=20)]
    discuss: str | None = None
    threshold_pct: Annotated[float | None, Check(gt=0, lt=100)] = None
    label_terms: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class ProductsFile(_Strict):
    version: int
    rule: Annotated[list[ProductRule], Check(min_length=1)]


@dataclass(frozen=True, kw_only=True)
class CeilingRule(Cited):
    severity_night: Severity
    severity_week: Severity
    explanation: str


@dataclass(frozen=True, kw_only=True)
class EscalationRule(Cited):
    recent_days: Annotated[int, Check(gt=0)]
    baseline_days: Annotated[int, Check(gt=0)]
    ratio_caution: Annotated[float, Check(gt=1)]
    ratio_warning: Annotated[float, Check(gt=1)]
    min_baseline_nights: Annotated[int, Check(ge=1)]
    chosen_by_nightleaf: bool
    explanation: str
    discuss: str


@dataclass(frozen=True, kw_only=True)
class FrequencyRule(Cited):
    streak_caution: Annotated[int, Check(gt=1)]
    streak_warning: Annotated[int, Check(gt=1)]
    intakes_per_week_warning: Annotated[int, Check(gt=1)]
    chosen_by_nightleaf: bool
    explanation: str
    discuss: str


@dataclass(frozen=True, kw_only=True)
class SameNightRule(Cited):
    intakes_caution: Annotated[int, Check(gt=1)]
    explanation: str


@dataclass(frozen=True, kw_only=True)
class TimingRule(Cited):
    close_minutes: Annotated[int, Check(gt=0, le=600)]
    chosen_by_nightleaf: bool
    explanation: str
    discuss: str


@dataclass(frozen=True, kw_only=True)
class AlcoholRule(Cited):
    severity: Severity
    explanation: str
    discuss: str


@dataclass(frozen=True, kw_only=True)
class CarryOverRule(Cited):
    """How long a medicine or other substance taken earlier still counts for tonight."""

    hours: Annotated[int, Check(gt=0, le=168)]
    chosen_by_nightleaf: bool
    explanation: str


@dataclass(frozen=True, kw_only=True)
class WithdrawalRule(Cited):
    lookback_nights: Annotated[int, Check(gt=0)]
    min_use_nights: Annotated[int, Check(gt=0)]
    severe_symptom: Annotated[int, Check(ge=0, le=4)]
    explanation: str
    discuss: str


@dataclass(frozen=True, kw_only=True)
class LegalRule(Cited):
    stale_after_days: Annotated[int, Check(gt=0)]
    explanation: str


@dataclass(frozen=True, kw_only=True)
class PatternsFile(_Strict):
    version: int
    ceiling: CeilingRule
    escalation: EscalationRule
    frequency: FrequencyRule
    same_night: SameNightRule
    timing: TimingRule
    alcohol: AlcoholRule
    carry_over: CarryOverRule
    withdrawal: WithdrawalRule
    legal: LegalRule


@dataclass(frozen=True, kw_only=True)
class LegalChange(_Strict):
    on: PartialDate
    status: LegalStatusName
    age_limit: AgeLimit = None
    seven_oh: str | None = None


def _reason_for_unknown(entry: RegionEntry) -> None:
    """An "unknown" status says why; anything else rests on at least one source."""
    if entry.status == "unknown":
        if not (entry.notes or "").strip():
            raise ValueError(f"region {entry.code}: status unknown needs notes saying why")
    elif not entry.sources:
        raise ValueError(f"region {entry.code}: status {entry.status} needs at least one source")


@dataclass(frozen=True, kw_only=True)
class RegionEntry(_Strict):
    """One jurisdiction. ``as_of`` is the date of the newest source read for it (staleness is
    judged from it); ``checked`` is the month nightleaf last looked for newer sources;
    ``unverified`` names what the sources did not settle (shown to the user)."""

    code: RegionCode
    status: LegalStatusName
    age_limit: AgeLimit = None
    seven_oh: str | None = None
    effective: PartialDateOrUnknown
    notes: str | None = None
    unverified: str | None = None
    checked: MonthDate | None = None
    sources: list[str] = field(default_factory=list)
    as_of: MonthDate
    changes: list[LegalChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        _reason_for_unknown(self)


@dataclass(frozen=True, kw_only=True)
class LocalityEntry(Cited):
    region: RegionCode
    name: str
    status: LegalStatusName
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class LegalFile(_Strict):
    version: int
    region: Annotated[list[RegionEntry], Check(min_length=1)]
    locality: list[LocalityEntry] = field(default_factory=list)

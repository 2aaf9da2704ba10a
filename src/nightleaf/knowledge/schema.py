"""Typed, validated shapes of the knowledge files (pydantic v2).

Every entry carries ``sources`` (keys into ``sources.toml``) and ``as_of`` (a full or partial
ISO date: ``2025``, ``2025-08`` or ``2025-08-12``). Unknown keys are refused so that a typo in a
data file fails loudly instead of being ignored.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Severity = Literal["info", "caution", "warning", "danger"]
LegalStatusName = Literal[
    "banned", "controlled", "prescription-only", "regulated-with-age-limit", "legal", "unknown"
]
LEGAL_STATUSES: tuple[str, ...] = (
    "banned", "controlled", "prescription-only", "regulated-with-age-limit", "legal", "unknown",
)

_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _partial_date(value: str) -> str:
    if not _PARTIAL.match(value):
        raise ValueError(f"{value!r} is not a date like 2025, 2025-08 or 2025-08-12")
    period_end(value)  # raises ValueError for month 13, day 32...
    return value


def _partial_or_unknown(value: str) -> str:
    return value if value == "unknown" else _partial_date(value)


PartialDate = Annotated[str, AfterValidator(_partial_date)]
PartialDateOrUnknown = Annotated[str, AfterValidator(_partial_or_unknown)]
SourceKeys = Annotated[list[str], Field(min_length=1)]


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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(_Strict):
    sources: SourceKeys
    as_of: PartialDate


class SourceRef(_Strict):
    title: str = Field(min_length=3)
    url: str | None = None
    quality: Literal["primary", "secondary", "news", "advocacy", "vendor", "data"]


class SourcesFile(_Strict):
    version: int
    as_of: PartialDate
    sources: dict[str, SourceRef]


class InteractionClass(Cited):
    id: str
    label: str
    severity: Severity
    inferred: bool
    mechanism: str = Field(min_length=20)
    discuss: str = Field(min_length=10)


class InteractionsFile(_Strict):
    version: int
    class_: list[InteractionClass] = Field(alias="class", min_length=1)


class MedicineEntry(Cited):
    name: str = Field(min_length=2)
    classes: list[str]
    brands: list[str] = []
    misspellings: list[str] = []


class CombinationEntry(Cited):
    name: str = Field(min_length=2)
    ingredients: list[str] = Field(min_length=2)
    brands: list[str] = []
    misspellings: list[str] = []


class MedicinesFile(_Strict):
    version: int
    medicine: list[MedicineEntry] = Field(min_length=1)
    combination: list[CombinationEntry] = []


class SynonymsFile(Cited):
    version: int
    synonyms: dict[str, list[str]]
    medlineplus: dict[str, str] = {}


class ConditionRule(Cited):
    id: str
    label: str
    aliases: list[str] = Field(min_length=1)
    severity: Severity
    inferred: bool
    explanation: str = Field(min_length=20)
    discuss: str = Field(min_length=10)


class ConditionsFile(_Strict):
    version: int
    condition: list[ConditionRule] = Field(min_length=1)


class ProductRule(Cited):
    id: Literal[
        "seven_oh_share", "seven_oh_product", "concentrated_extract", "no_lab_results",
        "contaminant_failed",
    ]
    severity: Severity
    explanation: str = Field(min_length=20)
    discuss: str | None = None
    threshold_pct: float | None = Field(default=None, gt=0, lt=100)
    label_terms: list[str] = []
    forms: list[str] = []


class ProductsFile(_Strict):
    version: int
    rule: list[ProductRule] = Field(min_length=1)


class CeilingRule(Cited):
    severity_night: Severity
    severity_week: Severity
    explanation: str


class EscalationRule(Cited):
    recent_days: int = Field(gt=0)
    baseline_days: int = Field(gt=0)
    ratio_caution: float = Field(gt=1)
    ratio_warning: float = Field(gt=1)
    min_baseline_nights: int = Field(ge=1)
    chosen_by_nightleaf: bool
    explanation: str
    discuss: str


class FrequencyRule(Cited):
    streak_caution: int = Field(gt=1)
    streak_warning: int = Field(gt=1)
    intakes_per_week_warning: int = Field(gt=1)
    chosen_by_nightleaf: bool
    explanation: str
    discuss: str


class SameNightRule(Cited):
    intakes_caution: int = Field(gt=1)
    explanation: str


class TimingRule(Cited):
    close_minutes: int = Field(gt=0, le=600)
    chosen_by_nightleaf: bool
    explanation: str
    discuss: str


class AlcoholRule(Cited):
    severity: Severity
    explanation: str
    discuss: str


class WithdrawalRule(Cited):
    lookback_nights: int = Field(gt=0)
    min_use_nights: int = Field(gt=0)
    severe_symptom: int = Field(ge=0, le=4)
    explanation: str
    discuss: str


class LegalRule(Cited):
    stale_after_days: int = Field(gt=0)
    explanation: str


class PatternsFile(_Strict):
    version: int
    ceiling: CeilingRule
    escalation: EscalationRule
    frequency: FrequencyRule
    same_night: SameNightRule
    timing: TimingRule
    alcohol: AlcoholRule
    withdrawal: WithdrawalRule
    legal: LegalRule


class LegalChange(_Strict):
    on: PartialDate
    status: LegalStatusName
    age_limit: int | None = Field(default=None, ge=0, le=30)
    seven_oh: str | None = None


class RegionEntry(Cited):
    code: str = Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
    status: LegalStatusName
    age_limit: int | None = Field(default=None, ge=0, le=30)
    seven_oh: str | None = None
    effective: PartialDateOrUnknown
    notes: str | None = None
    changes: list[LegalChange] = []


class LocalityEntry(Cited):
    region: str = Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
    name: str
    status: LegalStatusName
    notes: str | None = None


class LegalFile(_Strict):
    version: int
    region: list[RegionEntry] = Field(min_length=1)
    locality: list[LocalityEntry] = []

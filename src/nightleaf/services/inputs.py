"""Typed inputs of the use cases that take what a person typed, with stable field ids.

Each attribute name *is* the field id: the name of the input on the web form, the ``dest`` of the
CLI option (its flag may be spelled differently, e.g. ``--tried`` → ``tried_to_sleep``), the key of
the API body, and the ``field`` of every :class:`~nightleaf.errors.FieldError` about it. The
values are the person's text; :mod:`nightleaf.services.parse` turns them into typed values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from nightleaf.errors import InputError


class _Input:
    def __post_init__(self) -> None:
        """Text holding a NUL character is refused, whatever the field: PostgreSQL refuses it
        and SQLite would keep it, so both engines must never see it."""
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            if any(isinstance(x, str) and "\x00" in x for x in (v if isinstance(v, list) else [v])):
                raise InputError("the text contains a NUL character (\\x00); remove it",
                                 field=f.name, code="nul")

    @classmethod
    def field_ids(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Self:
        """From a form or a JSON body keyed by field id; other keys are ignored."""
        names = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for k, f in names.items():
            v = values.get(k)
            if v is None:
                continue
            if f.type in ("list[str]", "list[str] | None"):
                kwargs[k] = ([x.strip() for x in v.split(",") if x.strip()]
                             if isinstance(v, str) else [str(x) for x in v])
            else:
                kwargs[k] = v if isinstance(v, str) else str(v)
        return cls(**kwargs)


@dataclass
class SleepInput(_Input):
    """One night of the sleep diary (Consensus Sleep Diary items)."""

    night: str | None = None
    into_bed: str | None = None
    tried_to_sleep: str | None = None
    sol: str | None = None
    awakenings: str | None = None
    waso: str | None = None
    final_awakening: str | None = None
    out_of_bed: str | None = None
    woke_early: str | None = None
    quality: str | None = None
    rested: str | None = None
    nap_count: str | None = None
    nap_minutes: str | None = None
    note: str | None = None


#: the sleep-diary field ids asked in the morning check-in, in the order asked
MORNING_DIARY_FIELDS = ("into_bed", "tried_to_sleep", "sol", "awakenings", "waso",
                        "final_awakening", "out_of_bed", "quality", "rested")


@dataclass
class MorningInput(SleepInput):
    """The morning check-in: the diary, the morning pain rating and symptoms."""

    nrs: str | None = None  # morning NRS 0-10; None keeps a saved rating, "" removes it
    peg_pain: str | None = None  # PEG, offered weekly, saved with the morning rating
    peg_enjoyment: str | None = None
    peg_activity: str | None = None
    #: "nausea:2"; None keeps the saved ones of the morning, a list (even empty) replaces them
    side_effects: list[str] | None = None
    withdrawal: list[str] | None = None  # "restlessness:1"

    def sleep(self) -> SleepInput:
        return SleepInput(**{k: getattr(self, k) for k in SleepInput.field_ids()})


@dataclass
class IntakeInput(_Input):
    amount: str = ""
    at: str | None = None
    product: str | None = None
    batch: str | None = None
    capsule_mg: str | None = None
    tea_grams: str | None = None
    note: str | None = None


@dataclass
class PainInput(_Input):
    nrs: str = ""
    context: str | None = "other"
    at: str | None = None
    peg_pain: str | None = None
    peg_enjoyment: str | None = None
    peg_activity: str | None = None
    note: str | None = None


@dataclass
class SymptomInput(_Input):
    name: str = ""
    severity: str = ""
    kind: str | None = "side_effect"
    at: str | None = None
    note: str | None = None


@dataclass
class SubstanceInput(_Input):
    kind: str = ""
    amount: str | None = None
    unit: str | None = None
    name: str | None = None
    at: str | None = None
    note: str | None = None


@dataclass
class ProfileInput(_Input):
    """Changes to the profile; ``None`` leaves a setting as it is, ``""`` clears an optional
    one."""

    tz: str | None = None
    region: str | None = None
    bedtime: str | None = None
    lead: str | None = None
    wake: str | None = None
    max_grams: str | None = None
    max_nights: str | None = None
    work_days: str | None = None
    name: str | None = None


@dataclass
class ProductInput(_Input):
    name: str = ""
    vendor: str | None = None
    label: str | None = None
    vein: str | None = "unknown"
    form: str | None = "powder"
    capsule_mg: str | None = None
    note: str | None = None


@dataclass
class BatchInput(_Input):
    product: str = ""
    lot: str | None = None
    purchased_on: str | None = None
    mitragynine_pct: str | None = None
    seven_oh_pct: str | None = None
    lab: str | None = None
    test_date: str | None = None
    heavy_metals: str | None = "unknown"
    microbial: str | None = "unknown"
    pesticides: str | None = "unknown"
    note: str | None = None


@dataclass
class RoutineItemInput(_Input):
    text: str | None = None
    minutes: str | None = None


#: every typed input, for the tests that check each field id has a web input and a CLI option
ALL_INPUTS: tuple[type[_Input], ...] = (SleepInput, MorningInput, IntakeInput, PainInput,
                                         SymptomInput, SubstanceInput, ProfileInput,
                                         ProductInput, BatchInput, RoutineItemInput)


@dataclass
class ExperimentInput(_Input):
    """What a person types to set up an experiment; attribute names are the field ids."""

    name: str = ""
    compare: str = ""
    a: str = ""
    b: str = ""
    period: str | None = None
    pairs: str | None = None
    washout: str | None = None
    outcome: str | None = None
    mid: str | None = None  # points, or "30%" for pain (30 % of the usual morning pain)
    start: str | None = None
    seed: str | None = None
    source: str | None = None  # where the sleep outcomes come from: "diary" or a wearable

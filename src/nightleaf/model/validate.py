"""Checks on entries before they are saved. They raise InputError with the field's stable id
(the name of the input in the web forms and the typed inputs of ``services.inputs``); the
message names the field in words."""

from __future__ import annotations

from nightleaf.errors import InputError
from nightleaf.model.clock import minutes_between
from nightleaf.model.entities import (
    CONTAMINANT_RESULTS,
    FORMS,
    PAIN_CONTEXTS,
    SUBSTANCE_KINDS,
    SYMPTOM_KINDS,
    VEINS,
    Batch,
    PainRating,
    Product,
    SleepEntry,
    Substance,
    Symptom,
)


def choice(value: str, allowed: tuple[str, ...], what: str, field: str | None = None) -> str:
    v = value.strip().lower().replace("-", "_").replace(" ", "_")
    if v not in allowed:
        raise InputError(f"unknown {what} {value!r}: choose one of {', '.join(allowed)}",
                         field=field or what, code="choice")
    return v


def in_range(value: float | None, lo: float, hi: float, what: str,
             field: str | None = None) -> None:
    if value is None:
        return
    if value != value or not lo <= value <= hi:
        raise InputError(f"{what} must be between {lo:g} and {hi:g} (got {value:g})",
                         field=field or what, code="range")


def sleep_entry(s: SleepEntry) -> SleepEntry:
    """Reject diary entries that cannot be true of one night."""
    in_range(s.sol_minutes, 0, 24 * 60, "minutes to fall asleep", "sol")
    in_range(s.waso_minutes, 0, 24 * 60, "minutes awake during the night", "waso")
    in_range(s.awakenings, 0, 100, "number of awakenings", "awakenings")
    in_range(s.woke_early_minutes, 0, 24 * 60, "minutes woken earlier than planned", "woke_early")
    in_range(s.quality, 1, 5, "sleep quality", "quality")
    in_range(s.rested, 1, 5, "how rested", "rested")
    in_range(s.nap_count, 0, 20, "number of naps", "nap_count")
    in_range(s.nap_minutes, 0, 24 * 60, "nap minutes", "nap_minutes")
    order = [("into bed", "into_bed", s.into_bed),
             ("tried to sleep", "tried_to_sleep", s.tried_to_sleep),
             ("final awakening", "final_awakening", s.final_awakening),
             ("out of bed", "out_of_bed", s.out_of_bed)]
    known = [(n, f, v) for n, f, v in order if v is not None]
    for (n1, _f1, v1), (n2, f2, v2) in zip(known, known[1:], strict=False):
        if v2 < v1:
            raise InputError(f"{n2} ({v2:%H:%M} UTC) is before {n1} ({v1:%H:%M} UTC); check the "
                             "times and whether they are on the right side of midnight",
                             field=f2, code="order")
    if s.into_bed and s.out_of_bed and minutes_between(s.into_bed, s.out_of_bed) > 24 * 60:
        raise InputError("the time in bed is longer than 24 hours; check the dates",
                         field="out_of_bed", code="range")
    if s.awakenings == 0 and s.waso_minutes:
        raise InputError("minutes awake during the night are given but the number of awakenings "
                         "is 0", field="waso", code="conflict")
    if s.tried_to_sleep and s.final_awakening:
        window = minutes_between(s.tried_to_sleep, s.final_awakening)
        used = (s.sol_minutes or 0) + (s.waso_minutes or 0)
        if used > window:
            raise InputError(
                f"minutes to fall asleep plus minutes awake ({used:g}) are longer than the night "
                f"from trying to sleep to the final awakening ({window:g} min)",
                field="waso", code="conflict",
            )
    return s


def product(p: Product) -> Product:
    if not p.name.strip():
        raise InputError("a product needs a name", field="name", code="required")
    p.vein = choice(p.vein, VEINS, "vein colour", "vein")
    p.form = choice(p.form, FORMS, "form", "form")
    in_range(p.capsule_mg, 1, 2000, "mg per capsule", "capsule_mg")
    return p


def batch(b: Batch) -> Batch:
    in_range(b.mitragynine_pct, 0, 100, "mitragynine %", "mitragynine_pct")
    in_range(b.seven_oh_pct, 0, 100, "7-hydroxymitragynine %", "seven_oh_pct")
    b.heavy_metals = choice(b.heavy_metals, CONTAMINANT_RESULTS, "heavy-metals result", "heavy_metals")
    b.microbial = choice(b.microbial, CONTAMINANT_RESULTS, "microbial result", "microbial")
    b.pesticides = choice(b.pesticides, CONTAMINANT_RESULTS, "pesticides result", "pesticides")
    return b


def substance(s: Substance) -> Substance:
    s.kind = choice(s.kind, SUBSTANCE_KINDS, "substance kind", "kind")
    if s.amount is not None:
        if s.amount != s.amount or s.amount < 0:
            raise InputError("the amount cannot be negative", field="amount", code="range")
        if s.kind == "alcohol":
            in_range(s.amount, 0, 40, "standard drinks", "amount")
    if s.kind in ("medicine", "other") and not (s.name or "").strip():
        raise InputError(f"a {s.kind} entry needs a name", field="name", code="required")
    return s


def pain(p: PainRating) -> PainRating:
    p.context = choice(p.context, PAIN_CONTEXTS, "pain context", "context")
    in_range(p.nrs, 0, 10, "pain (NRS)", "nrs")
    in_range(p.peg_pain, 0, 10, "PEG pain", "peg_pain")
    in_range(p.peg_enjoyment, 0, 10, "PEG enjoyment of life", "peg_enjoyment")
    in_range(p.peg_activity, 0, 10, "PEG general activity", "peg_activity")
    return p


def symptom(s: Symptom) -> Symptom:
    s.kind = choice(s.kind, SYMPTOM_KINDS, "symptom kind", "kind")
    if not s.name.strip():
        raise InputError("a symptom needs a name", field="name", code="required")
    in_range(s.severity, 0, 4, "severity", "severity")
    return s

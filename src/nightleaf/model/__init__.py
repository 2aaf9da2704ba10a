"""The domain, pure: no I/O, no framework imports."""

from nightleaf.model.clock import (
    NIGHT_CUTOFF,
    local_datetime,
    night_of,
    night_window,
    resolve_local,
    tonight,
    zone,
)
from nightleaf.model.entities import (
    CONTAMINANT_RESULTS,
    FORMS,
    PAIN_CONTEXTS,
    SUBSTANCE_KINDS,
    SYMPTOM_KINDS,
    VEINS,
    Batch,
    Condition,
    Intake,
    Journal,
    Medicine,
    Note,
    PainRating,
    Product,
    Profile,
    RoutineCheck,
    RoutineItem,
    SleepEntry,
    SleepEpisode,
    StageSegment,
    Substance,
    Symptom,
)
from nightleaf.model.finding import SEVERITIES, Finding, Source
from nightleaf.model.units import Amount, parse_amount

__all__ = [
    "CONTAMINANT_RESULTS", "FORMS", "NIGHT_CUTOFF", "PAIN_CONTEXTS", "SEVERITIES",
    "SUBSTANCE_KINDS", "SYMPTOM_KINDS", "VEINS", "Amount", "Batch", "Condition", "Finding",
    "Intake", "Journal", "Medicine", "Note", "PainRating", "Product", "Profile", "RoutineCheck",
    "RoutineItem", "SleepEntry", "SleepEpisode", "Source", "StageSegment", "Substance", "Symptom",
    "local_datetime", "night_of", "night_window", "parse_amount", "resolve_local", "tonight",
    "zone",
]

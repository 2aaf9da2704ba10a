"""The journal's use cases, gathered under one name for the shells.

Nothing is defined here: setup (profile, medicines, conditions) lives in
:mod:`~nightleaf.services.setup`, products and batches in :mod:`~nightleaf.services.products`,
intakes in :mod:`~nightleaf.services.intake`, the other diary entries in
:mod:`~nightleaf.services.diary`, parsing in :mod:`~nightleaf.services.parse`. No services module
imports this one, so it cannot take part in an import cycle.
"""

from __future__ import annotations

from nightleaf.services.diary import (
    log_note,
    log_pain,
    log_sleep,
    log_substance,
    log_symptom,
    pain_rating,
    sleep_entry,
    substance,
    symptom,
)
from nightleaf.services.inputs import (
    BatchInput,
    IntakeInput,
    MorningInput,
    PainInput,
    ProductInput,
    ProfileInput,
    RoutineItemInput,
    SleepInput,
    SubstanceInput,
    SymptomInput,
)
from nightleaf.services.intake import (
    IntakeDraft,
    LoggedIntake,
    delete_intake,
    draft_intake,
    log_intake,
    mitragynine_mg,
)
from nightleaf.services.parse import FUTURE_SLACK, resolve_night
from nightleaf.services.products import (
    ProductView,
    add_batch,
    add_product,
    find_product,
    list_products,
    show_product,
)
from nightleaf.services.routine import log_routine
from nightleaf.services.setup import (
    PROFILE_FIELDS,
    add_condition,
    add_medicine,
    apply_profile_changes,
    get_profile,
    init_journal,
    list_conditions,
    list_medicines,
    remove_condition,
    remove_medicine,
    set_profile,
)

__all__ = [
    "FUTURE_SLACK", "PROFILE_FIELDS", "BatchInput", "IntakeDraft", "IntakeInput", "LoggedIntake",
    "MorningInput", "PainInput", "ProductInput", "ProductView", "ProfileInput",
    "RoutineItemInput", "SleepInput", "SubstanceInput", "SymptomInput", "add_batch",
    "add_condition", "add_medicine", "add_product", "apply_profile_changes", "delete_intake",
    "draft_intake", "find_product", "get_profile", "init_journal", "list_conditions",
    "list_medicines", "list_products", "log_intake", "log_note", "log_pain", "log_routine",
    "log_sleep", "log_substance", "log_symptom", "mitragynine_mg", "pain_rating",
    "remove_condition", "remove_medicine", "resolve_night", "set_profile", "show_product",
    "sleep_entry", "substance", "symptom",
]

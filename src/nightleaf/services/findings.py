"""The safety findings of a night as the journal stands (the base the intake and the safety use
cases share, so neither imports the other)."""

from __future__ import annotations

from datetime import date, timedelta

from nightleaf.knowledge import load_knowledge
from nightleaf.model.entities import (
    Batch,
    Condition,
    Intake,
    Medicine,
    Product,
    Substance,
    Symptom,
)
from nightleaf.model.finding import Finding
from nightleaf.safety import SafetyContext, evaluate
from nightleaf.services.context import Context, default_profile
from nightleaf.store.repo import Repo

#: nights of history the rules look at: escalation compares the last 7 with the 28 before
HISTORY_NIGHTS = 35


def _carry_over_nights() -> int:
    """Whole nights covering the carry-over window before tonight's bedtime."""
    return -(-load_knowledge().patterns.carry_over.hours // 24)


def safety_context(ctx: Context, repo: Repo, night: date, planned: Intake | None = None
                   ) -> SafetyContext:
    first = night - timedelta(days=HISTORY_NIGHTS - 1)
    return SafetyContext(
        profile=repo.profile() or default_profile(), now=ctx.now(),
        medicines=repo.all(Medicine), conditions=repo.all(Condition),
        products=repo.all(Product), batches=repo.all(Batch),
        intakes=repo.intakes(first=first, last=night), planned=planned,
        # as-needed medicines carry over (patterns.toml [carry_over]): look back enough nights
        substances=repo.all(Substance, first=night - timedelta(days=_carry_over_nights()),
                            last=night),
        symptoms=repo.all(Symptom, first=first, last=night), night=night)


def findings_for_night(ctx: Context, night: date) -> list[Finding]:
    """Every finding for ``night`` as the journal stands."""
    with ctx.tx() as repo:
        sc = safety_context(ctx, repo, night)
    return evaluate(sc, load_knowledge())

"""The safety findings of a night as the journal stands (the base the intake and the safety use
cases share, so neither imports the other)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cached_property

from nightleaf.knowledge import load_knowledge
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
from nightleaf.model.finding import Finding
from nightleaf.safety import SafetyContext, evaluate
from nightleaf.services.context import Context, default_profile
from nightleaf.store.repo import Repo

#: nights of history the rules look at: escalation compares the last 7 with the 28 before
HISTORY_NIGHTS = 35


class Setup:
    """The person's profile, products and batches as one use case reads them: each read at most
    once, when first needed, in the transaction of ``repo``. An intake's draft (its zone, its
    product and batch) and the safety checks after it share one, so a logged intake reads each
    of them once, not twice. Use it only inside that transaction."""

    def __init__(self, repo: Repo) -> None:
        self._repo = repo

    @cached_property
    def profile(self) -> Profile:
        """The saved profile, or a default one (system zone) when none is saved yet."""
        return self._repo.profile() or default_profile()

    @cached_property
    def products(self) -> list[Product]:
        """All of the person's products, in id order."""
        return self._repo.all(Product)

    @cached_property
    def batches(self) -> list[Batch]:
        """All of the person's batches, in id order."""
        return self._repo.all(Batch)


def _carry_over_nights() -> int:
    """Whole nights covering the carry-over window before tonight's bedtime."""
    return -(-load_knowledge().patterns.carry_over.hours // 24)


def safety_context(ctx: Context, repo: Repo, night: date, planned: Intake | None = None,
                   setup: Setup | None = None) -> SafetyContext:
    """What the safety rules look at for ``night``; ``setup``: the profile, products and batches
    as the caller has read them in this transaction already (read here otherwise)."""
    s = setup if setup is not None else Setup(repo)
    first = night - timedelta(days=HISTORY_NIGHTS - 1)
    return SafetyContext(
        profile=s.profile, now=ctx.now(),
        medicines=repo.all(Medicine), conditions=repo.all(Condition),
        products=s.products, batches=s.batches,
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

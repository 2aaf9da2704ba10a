"""Safety findings beside each record: per batch, per medicine, per condition.

The engine (``services.safety``) answers for a night; the pages also show what applies to one
batch, medicine or condition on its own. These use the same pure rules and knowledge base.
"""

from __future__ import annotations

from dataclasses import replace

from nightleaf.knowledge import load_knowledge
from nightleaf.model import clock
from nightleaf.model.entities import Batch, Condition, Intake, Product
from nightleaf.model.finding import Finding
from nightleaf.model.units import make_amount
from nightleaf.safety import SafetyContext
from nightleaf.safety import conditions as condition_rule
from nightleaf.safety import products as product_rule
from nightleaf.services import safety
from nightleaf.services.context import Context, default_profile

#: findings about *tonight's* intake, not about the batch itself
_NOT_ABOUT_THE_BATCH = {"product.no_lab_results"}


def batch_findings(ctx: Context) -> dict[int, list[Finding]]:
    """For each batch: the product checks (7-OH share above the natural-leaf level, a failed
    contaminant test, a 7-OH or concentrated product), as if an intake of it were taken."""
    kb = load_knowledge()
    now = ctx.now()
    with ctx.tx() as repo:
        profile = repo.profile() or default_profile()
        products, batches = repo.all(Product), repo.all(Batch)
    night = clock.tonight(now, profile.tz)
    out: dict[int, list[Finding]] = {}
    for b in batches:
        probe = Intake(at=now, tz=profile.tz, amount=make_amount(1, "g"), night=night,
                       product_id=b.product_id, batch_id=b.id)
        sc = SafetyContext(profile=profile, now=now, products=products, batches=batches,
                           planned=probe, night=night)
        out[b.id or 0] = [f for f in product_rule.check(sc, kb)
                          if f.rule not in _NOT_ABOUT_THE_BATCH]
    return out


def medicine_findings(ctx: Context) -> dict[int, list[Finding]]:
    """Each saved medicine's interaction finding with kratom; an unknown name says so."""
    out: dict[int, list[Finding]] = {}
    for med, report in safety.medicine_reports(ctx):
        if report.finding is not None:
            out[med.id or 0] = [report.finding]
        elif report.message:
            out[med.id or 0] = [Finding(rule="medicine.unknown" if not report.known
                                        else "medicine.no_class", severity="info",
                                        title=f"{med.name}: interaction unknown here",
                                        explanation=report.message)]
        else:
            out[med.id or 0] = []
    return out


def condition_findings(ctx: Context) -> dict[int, list[Finding]]:
    kb = load_knowledge()
    now = ctx.now()
    with ctx.tx() as repo:
        profile = repo.profile() or default_profile()
        conds = repo.all(Condition)
    return {c.id or 0: condition_rule.check(
        SafetyContext(profile=replace(profile), now=now, conditions=[c]), kb) for c in conds}

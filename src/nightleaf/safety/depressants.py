"""Alcohol the same evening as kratom. (Depressant medicines logged tonight are covered by the
medicines rule, through their classes.)"""

from __future__ import annotations

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding
from nightleaf.safety.context import SafetyContext


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    rule = kb.patterns.alcohol
    if not ctx.use_tonight:
        return []
    drinks = [s for s in ctx.substances_tonight() if s.kind == "alcohol"]
    if not drinks:
        return []
    amounts = [s.amount for s in drinks if s.amount is not None and s.unit == "drinks"]
    total = sum(amounts)
    what = (f"{total:g} drink{'' if total == 1 else 's'} of alcohol" if amounts
            else "alcohol")
    return [finding(kb, "depressant.alcohol", rule.severity, "Alcohol and kratom tonight",
                    f"Tonight's log has {what} and kratom on the same evening. {rule.explanation}",
                    rule.sources, rule.discuss)]

"""One entry point: run every rule family and sort the findings, most severe first."""

from __future__ import annotations

from collections.abc import Callable

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding
from nightleaf.safety import (
    ceilings,
    conditions,
    depressants,
    escalation,
    frequency,
    legal,
    medicines,
    products,
    same_night,
    timing,
    withdrawal,
)
from nightleaf.safety.context import SafetyContext

Rule = Callable[[SafetyContext, Knowledge], list[Finding]]

RULES: tuple[tuple[str, Rule], ...] = (
    ("medicines", medicines.check),
    ("conditions", conditions.check),
    ("products", products.check),
    ("ceilings", ceilings.check),
    ("escalation", escalation.check),
    ("frequency", frequency.check),
    ("same_night", same_night.check),
    ("timing", timing.check),
    ("depressants", depressants.check),
    ("withdrawal", withdrawal.check),
    ("legal", legal.check),
)


def evaluate(context: SafetyContext, knowledge: Knowledge) -> list[Finding]:
    """All findings for ``context``, most severe first (stable within a severity)."""
    found: list[Finding] = []
    for _name, rule in RULES:
        found.extend(rule(context, knowledge))
    return sorted(found, key=lambda f: -f.rank)

"""Health conditions recorded in the profile."""

from __future__ import annotations

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding
from nightleaf.safety.context import SafetyContext


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for cond in ctx.conditions:
        rule = kb.find_condition(cond.name)
        if rule is None or rule.id in seen:
            continue
        seen.add(rule.id)
        title = f"{cond.name.strip()} and kratom"
        extra = " No kratom-specific source was found for this; it is an inference." if (
            rule.inferred and "No " not in rule.explanation and "unknown" not in rule.explanation
        ) else ""
        out.append(finding(kb, f"condition.{rule.id}", rule.severity, title,
                           rule.explanation + extra, rule.sources, rule.discuss))
    return out

"""Withdrawal signs logged on a night without kratom after regular use."""

from __future__ import annotations

from datetime import timedelta

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding
from nightleaf.safety.context import SafetyContext


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    rule = kb.patterns.withdrawal
    use = ctx.use_nights()
    window = set(ctx.nights_back(rule.lookback_nights))
    candidates = [s for s in ctx.symptoms
                  if s.kind == "withdrawal" and s.severity > 0 and s.night in window
                  and s.night not in use]
    if not candidates:
        return []
    night = max(s.night for s in candidates)
    before = {night - timedelta(days=k) for k in range(1, rule.lookback_nights + 1)}
    used_before = len(before & use)
    if used_before < rule.min_use_nights:
        return []
    those = [s for s in candidates if s.night == night]
    worst = max(s.severity for s in those)
    sev = "warning" if worst >= rule.severe_symptom else "caution"
    names = ", ".join(sorted({s.name for s in those}))
    return [finding(kb, "withdrawal.after_break", sev, "Possible withdrawal signs",
                    f"On {night:%a %d %b}, a night without kratom after {used_before} of the "
                    f"{rule.lookback_nights} nights before with use, you logged: {names} "
                    f"(strongest {worst}/4). {rule.explanation}", rule.sources, rule.discuss)]

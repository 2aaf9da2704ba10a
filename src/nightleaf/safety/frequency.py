"""Frequency: consecutive nights of use and intakes per week, which the literature links with
tolerance, withdrawal and dependence more than amount."""

from __future__ import annotations

from datetime import timedelta

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding
from nightleaf.safety.context import SafetyContext


def streak(ctx: SafetyContext) -> int:
    """Consecutive nights with use, ending tonight."""
    nights = ctx.use_nights()
    n, d = 0, ctx.tonight
    while d in nights:
        n += 1
        d -= timedelta(days=1)
    return n


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    rule = kb.patterns.frequency
    if not ctx.use_tonight:
        return []
    out: list[Finding] = []
    s = streak(ctx)
    if s >= rule.streak_caution:
        sev = "warning" if s >= rule.streak_warning else "caution"
        out.append(finding(kb, "frequency.streak", sev, f"{s} nights in a row",
                           f"Kratom is logged or planned on {s} consecutive nights. "
                           f"{rule.explanation}", rule.sources, rule.discuss))
    week = set(ctx.nights_back(7))
    count = sum(1 for i in ctx.all_intakes if i.night in week)
    if count >= rule.intakes_per_week_warning:
        out.append(finding(kb, "frequency.per_week", "warning", f"{count} intakes in 7 nights",
                           f"{count} intakes are logged or planned over the last 7 nights. "
                           f"{rule.explanation}", rule.sources, rule.discuss))
    return out

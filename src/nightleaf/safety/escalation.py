"""Escalation: the total of the last 7 nights against the weekly average of the 28 before.

Ratio = recent total / (baseline total / (baseline_days / recent_days)). Intakes whose grams are
unknown (capsules without a size, tea without grams steeped) are left out of both sums.
"""

from __future__ import annotations

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding, fmt_g
from nightleaf.safety.context import SafetyContext


def weekly_ratio(ctx: SafetyContext, recent_days: int, baseline_days: int) -> tuple[
    float, float, int
] | None:
    """(recent total g, baseline weekly average g, baseline nights with use) or None."""
    recent = set(ctx.nights_back(recent_days))
    first_recent = min(recent)
    base_end = first_recent.fromordinal(first_recent.toordinal() - 1)
    baseline = set(ctx.nights_back(baseline_days, end=base_end))
    r = sum(i.grams or 0.0 for i in ctx.all_intakes if i.night in recent)
    b = sum(i.grams or 0.0 for i in ctx.all_intakes if i.night in baseline)
    b_nights = len({i.night for i in ctx.all_intakes if i.night in baseline})
    if b <= 0:
        return None
    return r, b / (baseline_days / recent_days), b_nights


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    rule = kb.patterns.escalation
    if not ctx.use_tonight:
        return []
    got = weekly_ratio(ctx, rule.recent_days, rule.baseline_days)
    if got is None:
        return []
    recent, base_week, b_nights = got
    if b_nights < rule.min_baseline_nights:
        return []
    ratio = recent / base_week
    if ratio >= rule.ratio_warning:
        sev = "warning"
    elif ratio >= rule.ratio_caution:
        sev = "caution"
    else:
        return []
    chosen = (f" The thresholds (x{rule.ratio_caution:g} and x{rule.ratio_warning:g}) are "
              "nightleaf's own choice, not figures from a study."
              if rule.chosen_by_nightleaf else "")
    return [finding(
        kb, "escalation.weekly", sev, "Your weekly amount is rising",
        f"The last {rule.recent_days} nights add up to {fmt_g(round(recent, 2))}, "
        f"{ratio:.1f} times "
        f"the weekly average of the {rule.baseline_days} nights before "
        f"({fmt_g(round(base_week, 2))}). {rule.explanation}{chosen}",
        rule.sources, rule.discuss)]

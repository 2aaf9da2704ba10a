"""The person's own ceilings (profile): grams per night and nights per week. nightleaf never
suggests a ceiling and never reports how much "room" is left under one."""

from __future__ import annotations

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding, fmt_g
from nightleaf.safety.context import SafetyContext


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    rule = kb.patterns.ceiling
    p = ctx.profile
    out: list[Finding] = []
    tonight = ctx.tonight_intakes
    if p.max_grams_per_night is not None and tonight:
        grams = sum(i.grams or 0.0 for i in tonight)
        if grams > p.max_grams_per_night:
            out.append(finding(
                kb, "ceiling.night", rule.severity_night, "Above your own ceiling for one night",
                f"Tonight's intakes add up to {fmt_g(grams)}, above the "
                f"{fmt_g(p.max_grams_per_night)} per night you set for yourself. "
                f"{rule.explanation}", rule.sources))
    if p.max_nights_per_week is not None and tonight:
        nights = [n for n in ctx.nights_back(7) if ctx.intakes_on(n)]
        if len(nights) > p.max_nights_per_week:
            out.append(finding(
                kb, "ceiling.week", rule.severity_week, "More nights this week than you planned",
                f"Kratom is logged or planned on {len(nights)} of the last 7 nights, above the "
                f"{p.max_nights_per_week} nights per week you set for yourself. {rule.explanation}",
                rule.sources))
    return out

"""Timing against the target bedtime: after it, or within ``close_minutes`` before it.

``close_minutes`` is nightleaf's own setting: blood levels peak about 1-2 h after a dose, but no
sleep study supports any particular lead time (``patterns.toml [timing]``)."""

from __future__ import annotations

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.clock import local_datetime, minutes_between, night_time
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding
from nightleaf.safety.context import SafetyContext


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    rule = kb.patterns.timing
    tonight = ctx.tonight_intakes
    if not tonight:
        return []
    planned = ctx.planned
    last = planned if planned is not None and planned.night == ctx.tonight else tonight[-1]
    tz = ctx.profile.tz
    bedtime = night_time(ctx.tonight, ctx.profile.target_bedtime, tz)
    at_local = f"{local_datetime(last.at, tz):%H:%M}"
    bed_local = f"{ctx.profile.target_bedtime:%H:%M}"
    gap = minutes_between(last.at, bedtime)
    if gap < 0:
        return [finding(kb, "timing.after_bedtime", "caution", "After your target bedtime",
                        f"This intake at {at_local} is {round(-gap)} minutes after your target "
                        f"bedtime of {bed_local}, so its effects fall within your sleep period. "
                        f"{rule.explanation}", rule.sources, rule.discuss)]
    if gap < rule.close_minutes:
        return [finding(kb, "timing.close_to_bedtime", "info", "Close to your target bedtime",
                        f"This intake at {at_local} is {round(gap)} minutes before your target "
                        f"bedtime of {bed_local}. {rule.explanation}", rule.sources,
                        rule.discuss)]
    return []

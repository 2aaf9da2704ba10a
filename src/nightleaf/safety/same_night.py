"""Several intakes the same night: the amounts add up."""

from __future__ import annotations

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding, fmt_g
from nightleaf.safety.context import SafetyContext


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    rule = kb.patterns.same_night
    tonight = ctx.tonight_intakes
    if len(tonight) < 2:
        return []
    known = [i.grams for i in tonight if i.grams is not None]
    total = f"{fmt_g(round(sum(known), 2))}" if known else "an unknown amount"
    unknown = len(tonight) - len(known)
    extra = f" ({unknown} of them with an unknown amount)" if unknown and known else ""
    sev = "caution" if len(tonight) >= rule.intakes_caution else "info"
    return [finding(kb, "same_night.cumulative", sev, f"{len(tonight)} intakes tonight",
                    f"Tonight has {len(tonight)} intakes, together {total}{extra}. "
                    f"{rule.explanation}", rule.sources)]

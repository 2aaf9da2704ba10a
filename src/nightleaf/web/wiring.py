"""Where the pages meet services that other parts of nightleaf provide (safety, summaries, plan).

A function returns ``None`` when its service is not part of this build, so a page can say so
plainly instead of showing made-up findings or numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from nightleaf.model.entities import Condition, Medicine
from nightleaf.model.finding import Finding
from nightleaf.services import Context, checks, safety


def safety_available() -> bool:
    return True


def batch_findings(ctx: Context, views: Sequence[Any]) -> dict[int, list[Finding]] | None:
    return checks.batch_findings(ctx)


def medicine_findings(ctx: Context, meds: Sequence[Medicine]) -> dict[int, list[Finding]] | None:
    return checks.medicine_findings(ctx)


def condition_findings(ctx: Context, conds: Sequence[Condition]) -> dict[int, list[Finding]] | None:
    return checks.condition_findings(ctx)


def planned_intake_findings(ctx: Context, args: dict[str, Any]) -> list[Finding] | None:
    """Findings for tonight as if this intake were taken (nothing is saved)."""
    keep = ("amount", "at", "product", "batch", "capsule_mg", "tea_grams")
    return safety.check(ctx, **{k: args.get(k) for k in keep}).findings


def night_findings(ctx: Context, night: date) -> list[Finding] | None:
    return safety.findings_for_night(ctx, night)


def tonight_plan(ctx: Context, night: date) -> Any | None:
    """Tonight's plan from the plan service (times from the person's own settings)."""
    from nightleaf.services import plan

    return plan.tonight(ctx)


def night_metrics(ctx: Context, night: date) -> Any | None:
    """The diary metrics of ``night`` (TST, SE, SOL, ...) from the summary service."""
    from nightleaf.services import summary

    s = summary.summarise(ctx, days=1, last=night.isoformat())
    return s.nights[0].diary if s.nights else None

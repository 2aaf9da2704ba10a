"""Where the pages meet services that other parts of nightleaf provide (safety, summaries, plan).

Each function returns ``None`` when its service is not part of this build, so a page can say so
plainly instead of showing made-up findings or numbers.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import date
from types import ModuleType
from typing import Any

from nightleaf.model.entities import Condition, Medicine
from nightleaf.model.finding import Finding
from nightleaf.services import Context


def _service(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"nightleaf.services.{name}")
    except ImportError:
        return None


def safety_available() -> bool:
    return _service("safety") is not None


def batch_findings(ctx: Context, views: Sequence[Any]) -> dict[int, list[Finding]] | None:
    return None


def medicine_findings(ctx: Context, meds: Sequence[Medicine]) -> dict[int, list[Finding]] | None:
    return None


def condition_findings(ctx: Context, conds: Sequence[Condition]) -> dict[int, list[Finding]] | None:
    return None


def planned_intake_findings(ctx: Context, draft: Any) -> list[Finding] | None:
    return None


def night_findings(ctx: Context, night: date) -> list[Finding] | None:
    return None


def tonight_plan(ctx: Context, night: date) -> Any | None:
    return None


def night_metrics(ctx: Context, night: date) -> Any | None:
    return None

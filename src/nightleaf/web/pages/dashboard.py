"""``/dashboard``: charts over a chosen window of nights."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.services import memo, parse
from nightleaf.services import summary as summary_svc
from nightleaf.stats.window import WindowSummary
from nightleaf.web import dashboard
from nightleaf.web.deps import CtxDep
from nightleaf.web.render import page

router = APIRouter()


def window_days(raw: str | None) -> int:
    days = parse.bounded(raw, "days", "the window (nights)", 1, summary_svc.MAX_DAYS)
    return 28 if days is None else days


def _shown(s: WindowSummary, view: str) -> dict[str, Any]:
    """Everything heavy the page shows for a summary and view (kept with the memo's entry)."""
    cols = dashboard.series(s)
    shown = dashboard.with_views(s, cols, view)
    return {"series_json": json.dumps(shown, separators=(",", ":")),
            "fallbacks": dashboard.fallbacks(shown), "weeks": dashboard.weekly_rows(s, cols),
            "compared": dashboard.with_without(s), "wearable": dashboard.wearable_nights(s)}


@router.get("/dashboard")
def dashboard_page(request: Request, ctx: CtxDep) -> Response:
    days = window_days(request.query_params.get("days"))
    view = "week" if request.query_params.get("view") == "week" else "night"
    # the window's records are read every time; the figures are reused while they are unchanged
    m = summary_svc.window_summary(ctx, days=days, detail=False, memo=memo.shared(),
                                   last=request.query_params.get("last") or None)
    return page(request, "dashboard.html", {
        "active": "dashboard", "s": m.value, "days": days, "view": view,
        "windows": [(d, label) for d, label in dashboard.WINDOWS if d <= summary_svc.MAX_DAYS],
        **m.derive(f"page-{view}", lambda s: _shown(s, view)), "labels": dashboard.labels(),
        "last": request.query_params.get("last") or ""})

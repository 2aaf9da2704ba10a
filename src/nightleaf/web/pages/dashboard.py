"""``/dashboard``: charts over a chosen window of nights."""

from __future__ import annotations

import dataclasses
from functools import partial
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
    """What the page shows of a summary in a view (the memo keeps this, not the summary): the
    summary without its nightly rows (the template reads only its means, regularity and
    counts), the chart JSON, the server-drawn charts, the weekly table and the comparisons."""
    cols = dashboard.series(s)
    shown = dashboard.with_views(s, cols, view)
    week = shown if view == "week" else None  # the weekly table's view, when already made
    return {"s": dataclasses.replace(s, nights=()),
            "series_json": dashboard.chart_json(shown),
            "fallbacks": dashboard.fallbacks(shown),
            "weeks": dashboard.weekly_rows(s, cols, week),
            "compared": dashboard.with_without(s), "wearable": dashboard.wearable_nights(s)}


_FORMS = {view: summary_svc.Form(f"page-{view}", partial(_shown, view=view))
          for view in ("night", "week")}


@router.get("/dashboard")
def dashboard_page(request: Request, ctx: CtxDep) -> Response:
    days = window_days(request.query_params.get("days"))
    view = "week" if request.query_params.get("view") == "week" else "night"
    # the window's records are read every time; the figures are reused while they are unchanged
    shown = summary_svc.summary_form(ctx, _FORMS[view], days=days, detail=False,
                                     memo=memo.shared(),
                                     last=request.query_params.get("last") or None).value
    return page(request, "dashboard.html", {
        "active": "dashboard", "days": days, "view": view,
        "windows": [(d, label) for d, label in dashboard.WINDOWS if d <= summary_svc.MAX_DAYS],
        **shown, "labels": dashboard.labels(), "last": request.query_params.get("last") or ""})

"""``/dashboard``: charts over a chosen window of nights."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.services import parse
from nightleaf.services import summary as summary_svc
from nightleaf.web import dashboard
from nightleaf.web.deps import CtxDep
from nightleaf.web.render import page

router = APIRouter()


def window_days(raw: str | None) -> int:
    days = parse.bounded(raw, "days", "the window (nights)", 1, summary_svc.MAX_DAYS)
    return 28 if days is None else days


@router.get("/dashboard")
def dashboard_page(request: Request, ctx: CtxDep) -> Response:
    days = window_days(request.query_params.get("days"))
    s = summary_svc.dashboard_summary(ctx, days=days, last=request.query_params.get("last") or None)
    return page(request, "dashboard.html", {
        "active": "dashboard", "s": s, "days": days,
        "windows": [(d, label) for d, label in dashboard.WINDOWS if d <= summary_svc.MAX_DAYS],
        "series_json": json.dumps(dashboard.series(s), separators=(",", ":")),
        "compared": dashboard.with_without(s), "labels": dashboard.labels(),
        "wearable": dashboard.wearable_nights(s),
        "last": request.query_params.get("last") or ""})

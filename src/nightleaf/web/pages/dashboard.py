"""``/dashboard``: charts over a chosen window of nights."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import InputError
from nightleaf.services import summary as summary_svc
from nightleaf.web import dashboard
from nightleaf.web.deps import CtxDep
from nightleaf.web.render import page

router = APIRouter()


def window_days(raw: str | None) -> int:
    if not raw:
        return 28
    if not raw.isdigit() or not 1 <= int(raw) <= summary_svc.MAX_DAYS:
        raise InputError(f"the window is 1 to {summary_svc.MAX_DAYS} nights (got {raw!r})",
                         field="days")
    return int(raw)


@router.get("/dashboard")
def dashboard_page(request: Request, ctx: CtxDep) -> Response:
    days = window_days(request.query_params.get("days"))
    s = summary_svc.dashboard_summary(ctx, days=days, last=request.query_params.get("last") or None)
    return page(request, "dashboard.html", {
        "active": "dashboard", "s": s, "days": days,
        "windows": [(d, label) for d, label in dashboard.WINDOWS if d <= summary_svc.MAX_DAYS],
        "series_json": json.dumps(dashboard.series(s), separators=(",", ":")),
        "compared": dashboard.with_without(s), "labels": dashboard.labels(),
        "last": request.query_params.get("last") or ""})

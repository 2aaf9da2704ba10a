"""``/api/summary`` and ``/api/dashboard``: a window of nights, summarised and charted."""

from __future__ import annotations

from datetime import date

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.services import summary
from nightleaf.stats.window import WindowSummary
from nightleaf.web import dashboard
from nightleaf.web.api.common import Ctx, api_router, plain
from nightleaf.web.api.schemas import plain_model, schema

router = api_router(tags=["dashboard"])

_col = list[float | None]
DashboardSeries = schema(
    "DashboardSeries", "Columns for the charts, one value per night (null: not recorded).",
    x=(list[int], Field(description="Each night's local noon, Unix seconds")),
    tst_h=_col, se=_col, sol=_col, pain_evening=list[int | None],
    pain_morning=list[int | None], grams=_col, interval_min=_col,
    lights_out=(_col, Field(description="Local clock hours after noon (22:30 -> 10.5)")),
    wake=_col, tst_with=_col, tst_without=_col,
    wearable=(dict[str, dict[str, _col]], Field(description="Per wearable source, its own "
              "columns tst_h and se, beside the diary's (never mixed into them)")))
DashboardOut = schema("DashboardOut", None, first_night=date, last_night=date, tz=str,
                      series=DashboardSeries)


@router.get("/summary", response_model=plain_model(WindowSummary))
def api_summary(ctx: Ctx, days: int = Query(28, ge=1, le=summary.MAX_DAYS),
                last: str | None = Query(None, max_length=16)) -> JSONResponse:
    """Everything the dashboard shows for a window of nights (see docs/metrics.md)."""
    return plain(summary.summarise(ctx, days=days, last=last))


@router.get("/dashboard", response_model=DashboardOut)
def api_dashboard(ctx: Ctx, days: int = Query(28, ge=1, le=summary.MAX_DAYS),
                  last: str | None = Query(None, max_length=16)) -> JSONResponse:
    """The dashboard's chart columns (``x``: each night's local noon, Unix seconds)."""
    s = summary.dashboard_nights(ctx, days=days, last=last)
    return plain({"first_night": s.first_night, "last_night": s.last_night, "tz": s.tz,
                  "series": dashboard.series(s)})

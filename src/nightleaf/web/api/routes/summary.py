"""``/api/summary`` and ``/api/dashboard``: a window of nights, summarised and charted."""

from __future__ import annotations

from datetime import date

from fastapi import Query
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from nightleaf.model.plain import dumps
from nightleaf.services import memo, summary
from nightleaf.stats.window import WindowSummary
from nightleaf.web import dashboard
from nightleaf.web.api.common import Ctx, api_router
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


def _json(body: bytes) -> Response:
    """A JSON answer from body bytes made by :func:`dumps` (the bytes and headers of
    :func:`~nightleaf.web.api.common.plain`)."""
    return Response(body, media_type=JSONResponse.media_type)


def _dashboard_body(s: summary.DashboardNights) -> bytes:
    return dumps({"first_night": s.first_night, "last_night": s.last_night, "tz": s.tz,
                  "series": dashboard.series(s)})


def _summary_body(s: WindowSummary) -> bytes:
    return dumps(s)


_SUMMARY_BODY = summary.Form("json", _summary_body)
_DASHBOARD_BODY = summary.Form("json", _dashboard_body)


@router.get("/summary", response_model=plain_model(WindowSummary))
def api_summary(ctx: Ctx, days: int = Query(28, ge=1, le=summary.MAX_DAYS),
                last: str | None = Query(None, max_length=16)) -> Response:
    """Everything the dashboard shows for a window of nights (see docs/metrics.md)."""
    # the window's records are read every time; the body is reused while they are unchanged
    return _json(summary.summary_form(ctx, _SUMMARY_BODY, days=days, last=last,
                                      memo=memo.shared()).value)


@router.get("/dashboard", response_model=DashboardOut)
def api_dashboard(ctx: Ctx, days: int = Query(28, ge=1, le=summary.MAX_DAYS),
                  last: str | None = Query(None, max_length=16)) -> Response:
    """The dashboard's chart columns (``x``: each night's local noon, Unix seconds)."""
    # the rows only (no summary); read every time, the body reused while they are unchanged
    return _json(summary.nights_form(ctx, _DASHBOARD_BODY, days=days, last=last,
                                     memo=memo.shared()).value)

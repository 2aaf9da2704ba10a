"""``/report``: the clinician report for a chosen period — viewed in the app, or as a PDF file.

The numbers and wording come from :mod:`nightleaf.services.report` (as ``nightleaf report``);
rendering from :mod:`nightleaf.io.report`. The form only reads, so it is a GET form.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from nightleaf.errors import NightleafError
from nightleaf.services import Context
from nightleaf.services import report as report_svc
from nightleaf.services import summary as summary_svc
from nightleaf.web.deps import CtxDep
from nightleaf.web.downloads import send
from nightleaf.web.pages._common import parse_night
from nightleaf.web.render import form_error, page
from nightleaf.web.security import REPORT_CSP

router = APIRouter()
FIELDS = ("from", "to")


def _period(request: Request, ctx: Context) -> tuple[date, date]:
    """The period asked for; an empty field takes the summary's default window (28 nights
    ending with the last complete night)."""
    q = request.query_params
    last = summary_svc.summary_window(ctx, 1)[1]
    end = parse_night(q.get("to"), last, field="to")
    start = parse_night(q.get("from"), end - timedelta(days=report_svc.DEFAULT_DAYS - 1),
                        field="from")
    return start, end


def _build(request: Request, ctx: Context, show_name: bool = True) -> report_svc.ReportData:
    start, end = _period(request, ctx)
    return report_svc.build_report(ctx, str(start), str(end), show_name=show_name)


@router.get("/report")
def report_page(request: Request, ctx: CtxDep) -> Response:
    q = request.query_params
    values = {k: q.get(k) or "" for k in (*FIELDS, "no_name")}
    errors: dict[str, str] = {}
    data = None
    status = 200
    try:
        data = _build(request, ctx, show_name=not values["no_name"])
    except NightleafError as exc:
        errors = form_error(exc, FIELDS)
        status = exc.status_code
    if data is not None:
        values.update({"from": str(data.first_night), "to": str(data.last_night)})
    query = urlencode({k: v for k, v in values.items() if v})
    return page(request, "report.html", {
        "active": "report", "data": data, "values": values, "errors": errors, "query": query,
        "pdf_name": _pdf_name(data) if data else ""}, status_code=status)


@router.get("/report/view")
def report_view(request: Request, ctx: CtxDep) -> Response:
    """The HTML report as its own document, shown in the report page's frame (self-contained:
    inline style and data: images, no script; see ``REPORT_CSP``)."""
    from nightleaf.io.report import render_report_html

    data = _build(request, ctx, show_name=not request.query_params.get("no_name"))
    return HTMLResponse(render_report_html(data),
                        headers={"Content-Security-Policy": REPORT_CSP})


def _pdf_name(data: report_svc.ReportData) -> str:
    return report_svc.report_filename(data, "pdf")


@router.get("/report.pdf")
def report_pdf(request: Request, ctx: CtxDep) -> Response:
    """The PDF, rendered in memory and sent as the response body (no file on disk)."""
    start, end = _period(request, ctx)
    r = report_svc.render_report(ctx, str(start), str(end), fmt="pdf",
                                 show_name=not request.query_params.get("no_name"))
    return send(r.download)

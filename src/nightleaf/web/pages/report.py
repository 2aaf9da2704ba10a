"""``/report``: the clinician report for a chosen period — viewed in the app, or as a PDF file.

The numbers and wording come from :mod:`nightleaf.services.report` (as ``nightleaf report``);
rendering from :mod:`nightleaf.io.report`. The form only reads, so it is a GET form.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
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


class RenderCache:
    """Rendered HTML reports keyed by what they show: a digest of the report's data (the
    period, the name choice and every figure, so any change to the journal that the report shows
    is a new key), without the moment it was generated. Rendering (the charts) takes seconds
    and is done once per key, on one worker thread; the report page starts it, so the frame
    finds it under way or done."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.items: OrderedDict[str, Future[bytes]] = OrderedDict()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report")

    @staticmethod
    def key(data: report_svc.ReportData) -> str:
        fixed = dataclasses.replace(data, generated_at=datetime(2000, 1, 1, tzinfo=UTC))
        return hashlib.sha256(repr(fixed).encode()).hexdigest()

    def start(self, data: report_svc.ReportData) -> Future[bytes]:
        from nightleaf.io.report import render_report_html

        k = self.key(data)
        with self.lock:
            fut = self.items.get(k)
            if fut is not None:
                self.items.move_to_end(k)
                return fut
            fut = self.pool.submit(render_report_html, data)
            self.items[k] = fut
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return fut

    def html(self, data: report_svc.ReportData) -> bytes:
        fut = self.start(data)
        try:
            return fut.result()
        except Exception:
            with self.lock:  # a failed render is not kept
                self.items.pop(self.key(data), None)
            raise


#: one per process: the app serves one journal (server mode: the key holds the person's data)
CACHE = RenderCache()


@router.get("/report")
def report_page(request: Request, ctx: CtxDep) -> Response:
    q = request.query_params
    values = {k: q.get(k) or "" for k in (*FIELDS, "no_name")}
    errors: dict[str, str] = {}
    data = None
    status = 200
    try:
        data = _build(request, ctx.reader(), show_name=not values["no_name"])
    except NightleafError as exc:
        errors = form_error(exc, FIELDS)
        status = exc.status_code
    if data is not None:
        values.update({"from": str(data.first_night), "to": str(data.last_night)})
        CACHE.start(data)  # the frame's document renders while this page is shown
    query = urlencode({k: v for k, v in values.items() if v})
    return page(request, "report.html", {
        "active": "report", "data": data, "values": values, "errors": errors, "query": query,
        "pdf_name": _pdf_name(data) if data else ""}, status_code=status)


@router.get("/report/view")
def report_view(request: Request, ctx: CtxDep) -> Response:
    """The HTML report as its own document, shown in the report page's frame on a wide screen and
    opened as a page of its own on a phone (self-contained: inline style and data: images, no
    script; see ``REPORT_CSP``). Cached by its data (:class:`RenderCache`)."""
    data = _build(request, ctx.reader(), show_name=not request.query_params.get("no_name"))
    return HTMLResponse(CACHE.html(data),
                        headers={"Content-Security-Policy": REPORT_CSP})


def _pdf_name(data: report_svc.ReportData) -> str:
    return report_svc.report_filename(data, "pdf")


@router.get("/report.pdf")
def report_pdf(request: Request, ctx: CtxDep) -> Response:
    """The PDF, rendered in memory and sent as the response body (no file on disk)."""
    ctx = ctx.reader()  # reports read the replica in server mode when there is one
    start, end = _period(request, ctx)
    r = report_svc.render_report(ctx, str(start), str(end), fmt="pdf",
                                 show_name=not request.query_params.get("no_name"))
    return send(r.download)

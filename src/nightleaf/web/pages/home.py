"""``/``: recent nights and the way in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.services import nights as nights_svc
from nightleaf.web.deps import CtxDep
from nightleaf.web.render import page

router = APIRouter()


@router.get("/")
def index(request: Request, ctx: CtxDep) -> Response:
    start, end = nights_svc.night_range(ctx, None, None, 14)
    rows = nights_svc.list_nights(ctx, start, end)
    return page(request, "index.html", {"rows": rows, "start": start, "end": end,
                                        "has_profile": ctx.has_profile()})

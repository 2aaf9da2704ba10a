"""``/safety``: every current finding for tonight with its sources, and the legal status."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError
from nightleaf.services import safety as safety_svc
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import tonight_of
from nightleaf.web.render import page

router = APIRouter()


@router.get("/safety")
def safety_page(request: Request, ctx: CtxDep) -> Response:
    night = tonight_of(ctx)
    legal = legal_error = None
    try:
        legal = safety_svc.legal(ctx)
    except NightleafError as exc:
        legal_error = exc.message
    return page(request, "safety.html", {
        "active": "safety", "night": night,
        "findings": safety_svc.findings_for_night(ctx, night),
        "legal": legal, "legal_error": legal_error})

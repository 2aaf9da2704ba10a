"""``/safety``: every current finding for tonight with its sources, and the legal status."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError
from nightleaf.services import Context
from nightleaf.services import safety as safety_svc
from nightleaf.services import setup as setup_svc
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import tonight_of
from nightleaf.web.render import page, redirect

router = APIRouter()


def _legal(ctx: Context) -> dict[str, object]:
    try:
        return {"legal": safety_svc.legal(ctx), "legal_error": None}
    except NightleafError as exc:
        return {"legal": None, "legal_error": exc.message}


@router.get("/safety")
def safety_page(request: Request, ctx: CtxDep) -> Response:
    night = tonight_of(ctx)
    return page(request, "safety.html", {
        "active": "safety", "night": night,
        "findings": safety_svc.findings_for_night(ctx, night), **_legal(ctx)})


@router.get("/welcome")
def welcome_page(request: Request, ctx: CtxDep) -> Response:
    """The end of the first visit's set-up: medicines and conditions to add, the first safety
    check and the law where the person lives (as ``nightleaf init`` shows in a terminal)."""
    if not ctx.has_profile():
        return redirect("/settings")
    return page(request, "welcome.html", {
        "profile": ctx.profile(),
        "n_medicines": len(setup_svc.list_medicines(ctx)),
        "n_conditions": len(setup_svc.list_conditions(ctx)),
        "findings": safety_svc.findings_for_night(ctx, tonight_of(ctx)), **_legal(ctx)})

"""``/health``: medicines and conditions, with the interaction findings beside each."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError
from nightleaf.model.entities import REGIMENS
from nightleaf.services import Context, checks
from nightleaf.services import journal as journal_svc
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import text
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()


def _page(request: Request, ctx: Context, *, status_code: int = 200, **extra: object
          ) -> Response:
    meds = journal_svc.list_medicines(ctx)
    conds = journal_svc.list_conditions(ctx)
    return page(request, "health.html", {
        "active": "health", "medicines": meds, "conditions": conds, "regimens": REGIMENS,
        "med_findings": checks.medicine_findings(ctx),
        "cond_findings": checks.condition_findings(ctx),
        "saved": request.query_params.get("saved"), "mvalues": {}, "merrors": {},
        "cvalues": {}, "cerrors": {}, **extra}, status_code=status_code)


@router.get("/health")
def health_page(request: Request, ctx: CtxDep) -> Response:
    return _page(request, ctx)


@router.post("/health/medicines")
async def add_medicine(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.add_medicine(ctx, text(form, "name") or "",
                                 text(form, "dose_text"), text(form, "regimen") or "regular")
    except NightleafError as exc:
        return _page(request, ctx, status_code=exc.status_code, mvalues=form_values(form),
                     merrors=form_error(exc, ("name", "dose_text", "regimen")))
    return redirect("/health?saved=medicine")


@router.post("/health/medicines/{med_id}/remove")
def remove_medicine(ctx: CtxDep, med_id: int) -> Response:
    journal_svc.remove_medicine(ctx, str(med_id))
    return redirect("/health?saved=removed")


@router.post("/health/conditions")
async def add_condition(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.add_condition(ctx, text(form, "name") or "", text(form, "note"))
    except NightleafError as exc:
        return _page(request, ctx, status_code=exc.status_code, cvalues=form_values(form),
                     cerrors=form_error(exc, ("name", "note")))
    return redirect("/health?saved=condition")


@router.post("/health/conditions/{cond_id}/remove")
def remove_condition(ctx: CtxDep, cond_id: int) -> Response:
    journal_svc.remove_condition(ctx, str(cond_id))
    return redirect("/health?saved=removed")

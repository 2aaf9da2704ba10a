"""``/tonight``: the plan, the routine checklist, intakes (checked before saving), other
substances and the evening pain rating."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from nightleaf.errors import NightleafError
from nightleaf.model.entities import SUBSTANCE_KINDS
from nightleaf.services import Context, plan, safety
from nightleaf.services import journal as journal_svc
from nightleaf.services.entries import night_detail, routine_for_night
from nightleaf.services.inputs import IntakeInput, PainInput, SubstanceInput
from nightleaf.services.parse import record_id
from nightleaf.services.routine import set_checks
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import local_now, text, tonight_of
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()

INTAKE_INPUTS = IntakeInput.field_ids()
SUBSTANCE_INPUTS = SubstanceInput.field_ids()
PAIN_INPUTS = ("nrs", "at", "note")


def intake_error(exc: NightleafError) -> dict[str, str]:
    return form_error(exc, INTAKE_INPUTS)


def intake_input(form: FormData) -> IntakeInput:
    return IntakeInput.from_mapping({k: text(form, k) for k in INTAKE_INPUTS})


def _tonight(request: Request, ctx: Context, *, status_code: int = 200, **extra: Any
             ) -> Response:
    night = tonight_of(ctx)
    data: dict[str, Any] = {
        "active": "tonight", "night": night, "routine": routine_for_night(ctx, night),
        "detail": night_detail(ctx, night), "views": journal_svc.list_products(ctx),
        "kinds": SUBSTANCE_KINDS, "now": local_now(ctx),
        "plan": plan.tonight(ctx), "saved": request.query_params.get("saved"),
        "ivalues": {"at": local_now(ctx)}, "ierrors": {}, "svalues": {"at": local_now(ctx)},
        "serrors": {}, "pvalues": {"at": local_now(ctx)}, "perrors": {}}
    data.update(extra)
    return page(request, "tonight.html", data, status_code=status_code)


@router.get("/tonight")
def tonight_page(request: Request, ctx: CtxDep) -> Response:
    return _tonight(request, ctx)


@router.post("/tonight/routine")
async def tick_routine(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    night = tonight_of(ctx)
    done = {v for v in form.getlist("done") if isinstance(v, str)}
    ticks = {item: key in done for key in form.getlist("items")
             if isinstance(key, str) and (item := record_id(key)) is not None}
    set_checks(ctx, ticks, night)  # one transaction for the whole checklist
    return redirect("/tonight?saved=routine#routine")


@router.post("/tonight/intake/check")
async def check_intake(request: Request, ctx: CtxDep) -> Response:
    """The preview step: the intake as it would be saved, and the findings, before saving."""
    form = await request.form()
    try:
        preview = safety.preview_intake(ctx, intake_input(form))
    except NightleafError as exc:
        return _tonight(request, ctx, status_code=exc.status_code, ivalues=form_values(form),
                        ierrors=intake_error(exc))
    return page(request, "intake_check.html", {
        "active": "tonight", "draft": preview.draft, "values": form_values(form),
        "findings": preview.findings})


@router.post("/tonight/intake")
async def save_intake(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        logged = journal_svc.log_intake(ctx, intake_input(form))
    except NightleafError as exc:
        return _tonight(request, ctx, status_code=exc.status_code, ivalues=form_values(form),
                        ierrors=intake_error(exc))
    return page(request, "intake_saved.html", {
        "active": "tonight", "logged": logged,
        "findings": logged.findings})


@router.post("/tonight/substance")
async def log_substance(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.log_substance(ctx, SubstanceInput.from_mapping(
            {k: text(form, k) for k in SUBSTANCE_INPUTS}))
    except NightleafError as exc:
        return _tonight(request, ctx, status_code=exc.status_code, svalues=form_values(form),
                        serrors=form_error(exc, SUBSTANCE_INPUTS))
    return redirect("/tonight?saved=substance#substances")


@router.post("/tonight/pain")
async def log_evening_pain(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.log_pain(ctx, PainInput(nrs=text(form, "nrs") or "", context="evening",
                                            at=text(form, "at"), note=text(form, "note")))
    except NightleafError as exc:
        return _tonight(request, ctx, status_code=exc.status_code, pvalues=form_values(form),
                        perrors=form_error(exc, PAIN_INPUTS))
    return redirect("/tonight?saved=pain#pain")

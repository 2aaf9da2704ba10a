"""``/tonight``: the plan, the routine checklist, intakes (checked before saving), other
substances and the evening pain rating."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

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
from nightleaf.web.prg import after_write
from nightleaf.web.render import form_error, form_values, page

router = APIRouter()

INTAKE_INPUTS = IntakeInput.field_ids()
SUBSTANCE_INPUTS = SubstanceInput.field_ids()
PAIN_INPUTS = ("nrs", "at", "note")


def intake_error(exc: NightleafError) -> dict[str, str]:
    return form_error(exc, INTAKE_INPUTS)


def intake_input(form: FormData) -> IntakeInput:
    return IntakeInput.from_mapping({k: text(form, k) for k in INTAKE_INPUTS})


#: what a GET of /tonight may carry back into the intake form ("Don't save" keeps the values)
KEPT = INTAKE_INPUTS


def _tonight(request: Request, ctx: Context, *, status_code: int = 200, **extra: Any
             ) -> Response:
    night = tonight_of(ctx)
    tonight_plan = plan.tonight(ctx)
    kept = {k: v for k in KEPT if (v := request.query_params.get(k))}
    data: dict[str, Any] = {
        "active": "tonight", "night": night, "routine": routine_for_night(ctx, night),
        "detail": night_detail(ctx, night), "views": journal_svc.list_products(ctx),
        "kinds": SUBSTANCE_KINDS, "now": local_now(ctx),
        "plan": tonight_plan,
        "findings": tonight_plan.findings if tonight_plan else safety.findings_for_night(
            ctx, night),
        "ivalues": {"at": local_now(ctx), **kept}, "ierrors": {},
        "svalues": {"at": local_now(ctx)}, "serrors": {}, "pvalues": {"at": local_now(ctx)},
        "perrors": {}}
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
    return after_write("/tonight", "routine", anchor="routine")


def _check(request: Request, ctx: Context, values: dict[str, str]) -> Response:
    try:
        preview = safety.preview_intake(ctx, IntakeInput.from_mapping(
            {k: values.get(k) for k in INTAKE_INPUTS}))
    except NightleafError as exc:
        return _tonight(request, ctx, status_code=exc.status_code, ivalues=values,
                        ierrors=intake_error(exc))
    return page(request, "intake_check.html", {
        "active": "tonight", "draft": preview.draft, "values": values,
        "planned": preview.planned, "findings": preview.findings,
        "tonight": tonight_of(ctx), "keep_query": urlencode(values)})


@router.get("/tonight/check")
def check_intake_get(request: Request, ctx: CtxDep) -> Response:
    """The check, as a GET so reloading it is harmless: the intake as it would be saved (or, with
    a time still ahead, as planned) and the findings. Nothing is saved."""
    values = {k: v for k in INTAKE_INPUTS if (v := request.query_params.get(k)) is not None}
    return _check(request, ctx, values)


@router.post("/tonight/intake/check")
async def check_intake(request: Request, ctx: CtxDep) -> Response:
    """The same check posted (older pages and scripts)."""
    return _check(request, ctx, form_values(await request.form()))


@router.post("/tonight/intake")
async def save_intake(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        logged = journal_svc.log_intake(ctx, intake_input(form))
    except NightleafError as exc:
        return _tonight(request, ctx, status_code=exc.status_code, ivalues=form_values(form),
                        ierrors=intake_error(exc))
    return after_write(f"/journal/intake/{logged.intake.id}", "intake", anchor="h-find")


@router.post("/tonight/substance")
async def log_substance(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.log_substance(ctx, SubstanceInput.from_mapping(
            {k: text(form, k) for k in SUBSTANCE_INPUTS}))
    except NightleafError as exc:
        return _tonight(request, ctx, status_code=exc.status_code, svalues=form_values(form),
                        serrors=form_error(exc, SUBSTANCE_INPUTS))
    return after_write("/tonight", "substance", anchor="findings")


@router.post("/tonight/pain")
async def log_evening_pain(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.log_pain(ctx, PainInput(nrs=text(form, "nrs") or "", context="evening",
                                            at=text(form, "at"), note=text(form, "note")))
    except NightleafError as exc:
        return _tonight(request, ctx, status_code=exc.status_code, pvalues=form_values(form),
                        perrors=form_error(exc, PAIN_INPUTS))
    return after_write("/tonight", "pain", anchor="pain")

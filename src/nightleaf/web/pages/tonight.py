"""``/tonight``: the plan, the routine checklist, intakes (checked before saving), other
substances and the evening pain rating."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from nightleaf.errors import NightleafError
from nightleaf.model.entities import SUBSTANCE_KINDS
from nightleaf.services import journal as journal_svc
from nightleaf.services import plan, safety
from nightleaf.services.entries import night_detail, routine_for_night, set_routine_done
from nightleaf.web.pages._common import ctx_of, local_now, text, tonight_of
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()

INTAKE_INPUTS = ("amount", "at", "product", "batch", "capsule_mg", "tea_grams", "note")
INTAKE_ALIASES = {"mg per capsule": "capsule_mg", "grams steeped": "tea_grams"}
SUBSTANCE_INPUTS = ("kind", "name", "amount", "unit", "at", "note")
PAIN_INPUTS = ("nrs", "at", "note")


def intake_error(exc: NightleafError) -> dict[str, str]:
    """Errors of the amount parser carry no field; they are about the amount."""
    if exc.field is None:
        low = exc.message.lower()
        key = "at" if ("time" in low or "future" in low) else "amount"
        return {key: exc.message}
    return form_error(exc, INTAKE_INPUTS, INTAKE_ALIASES)


def intake_args(form: FormData) -> dict[str, Any]:
    return {k: text(form, k) for k in INTAKE_INPUTS if k != "amount"}


def _tonight(request: Request, *, status_code: int = 200, **extra: Any) -> Response:
    ctx = ctx_of(request)
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
def tonight_page(request: Request) -> Response:
    return _tonight(request)


@router.post("/tonight/routine")
async def tick_routine(request: Request) -> Response:
    ctx = ctx_of(request)
    form = await request.form()
    night = tonight_of(ctx)
    done = {v for v in form.getlist("done") if isinstance(v, str)}
    for item_id in form.getlist("items"):
        if isinstance(item_id, str) and item_id.isdigit():
            set_routine_done(ctx, int(item_id), item_id in done, night)
    return redirect("/tonight?saved=routine#routine")


@router.post("/tonight/intake/check")
async def check_intake(request: Request) -> Response:
    """The preview step: the intake as it would be saved, and the findings, before saving."""
    ctx = ctx_of(request)
    form = await request.form()
    try:
        preview = safety.preview_intake(ctx, text(form, "amount") or "", **intake_args(form))
    except NightleafError as exc:
        return _tonight(request, status_code=exc.status_code, ivalues=form_values(form),
                        ierrors=intake_error(exc))
    return page(request, "intake_check.html", {
        "active": "tonight", "draft": preview.draft, "values": form_values(form),
        "findings": preview.findings})


@router.post("/tonight/intake")
async def save_intake(request: Request) -> Response:
    ctx = ctx_of(request)
    form = await request.form()
    try:
        logged = journal_svc.log_intake(ctx, text(form, "amount") or "", **intake_args(form))
    except NightleafError as exc:
        return _tonight(request, status_code=exc.status_code, ivalues=form_values(form),
                        ierrors=intake_error(exc))
    return page(request, "intake_saved.html", {
        "active": "tonight", "logged": logged,
        "findings": logged.findings})


@router.post("/tonight/substance")
async def log_substance(request: Request) -> Response:
    ctx = ctx_of(request)
    form = await request.form()
    try:
        journal_svc.log_substance(ctx, text(form, "kind") or "", amount=text(form, "amount"),
                                  unit=text(form, "unit"), name=text(form, "name"),
                                  at=text(form, "at"), note=text(form, "note"))
    except NightleafError as exc:
        return _tonight(request, status_code=exc.status_code, svalues=form_values(form),
                        serrors=form_error(exc, SUBSTANCE_INPUTS,
                                           {"substance kind": "kind", "standard drinks": "amount"}))
    return redirect("/tonight?saved=substance#substances")


@router.post("/tonight/pain")
async def log_evening_pain(request: Request) -> Response:
    ctx = ctx_of(request)
    form = await request.form()
    try:
        journal_svc.log_pain(ctx, text(form, "nrs") or "", context="evening",
                             at=text(form, "at"), note=text(form, "note"))
    except NightleafError as exc:
        return _tonight(request, status_code=exc.status_code, pvalues=form_values(form),
                        perrors=form_error(exc, PAIN_INPUTS, {"pain (NRS)": "nrs"}))
    return redirect("/tonight?saved=pain#pain")

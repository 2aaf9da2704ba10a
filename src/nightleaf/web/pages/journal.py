"""``/journal``: nights as a list and a calendar; open a night, correct or delete an entry."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError, NotFound
from nightleaf.model import clock
from nightleaf.model.entities import PAIN_CONTEXTS, SUBSTANCE_KINDS, Substance
from nightleaf.services import Context, parse, safety
from nightleaf.services import journal as journal_svc
from nightleaf.services import nights as nights_svc
from nightleaf.services.diary import update_pain, update_substance, version_of
from nightleaf.services.entries import (
    delete_entry,
    get_entry,
    get_intake,
    night_detail,
    update_intake,
)
from nightleaf.services.inputs import PainInput, SubstanceInput
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import parse_night, text, tonight_of
from nightleaf.web.pages.tonight import intake_error, intake_input
from nightleaf.web.prg import after_write
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()


@router.get("/journal")
def journal_page(request: Request, ctx: CtxDep) -> Response:
    today = tonight_of(ctx)
    month = parse.month(request.query_params.get("month"), "month", today)
    last_day = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    rows = {r.night: r for r in nights_svc.list_nights(ctx, month, last_day)}
    weeks = [[d if d.month == month.month else None for d in week]
             for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)]
    start, end = nights_svc.night_range(ctx, request.query_params.get("from") or None,
                                        request.query_params.get("to") or None, 30)
    prev_m = (month - timedelta(days=1)).replace(day=1)
    next_m = (last_day + timedelta(days=1))
    return page(request, "journal.html", {
        "active": "journal", "month": month, "weeks": weeks, "cal": rows, "today": today,
        "prev_month": prev_m, "next_month": next_m if next_m <= today else None,
        "rows": nights_svc.list_nights(ctx, start, end), "start": start, "end": end,
        "saved": request.query_params.get("saved")})


@router.get("/journal/night/{night}")
def night_page(request: Request, ctx: CtxDep, night: str) -> Response:
    n = parse_night(night, tonight_of(ctx))
    wearable = nights_svc.list_nights(ctx, n, n, include_empty=True)[0].wearable
    return page(request, "night.html", {"active": "journal", "detail": night_detail(ctx, n),
                                        "night": n, "saved": request.query_params.get("saved"),
                                        "wearable": wearable})


def _edit(request: Request, ctx: Context, intake_id: int,
          values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
          status_code: int = 200) -> Response:
    intake = get_intake(ctx, intake_id)
    if values is None:
        local = clock.local_datetime(intake.at, intake.tz)
        amount = intake.amount
        values = {
            "amount": f"{amount.value:g} {'caps' if amount.unit == 'capsule' else amount.unit}",
            "at": local.strftime("%Y-%m-%d %H:%M"),
            "product": str(intake.product_id or ""), "batch": str(intake.batch_id or ""),
            "capsule_mg": f"{amount.capsule_mg:g}" if amount.capsule_mg else "",
            "tea_grams": f"{amount.tea_grams:g}" if amount.tea_grams else "",
            "note": intake.note or "", "version": version_of(intake)}
    return page(request, "intake_edit.html", {
        "active": "journal", "intake": intake, "ivalues": values, "ierrors": errors or {},
        "views": journal_svc.list_products(ctx)}, status_code=status_code)


@router.get("/journal/intake/{intake_id}")
def intake_page(request: Request, ctx: CtxDep, intake_id: int) -> Response:
    """One intake and the findings for its night as they stand now (where a save or a
    correction lands, so a reload repeats nothing)."""
    intake = get_intake(ctx, intake_id)
    return page(request, "intake_saved.html", {
        "active": "tonight" if intake.night == tonight_of(ctx) else "journal",
        "intake": intake, "tonight": tonight_of(ctx),
        "findings": safety.findings_for_night(ctx, intake.night)})


@router.get("/journal/intake/{intake_id}/edit")
def edit_intake_page(request: Request, ctx: CtxDep, intake_id: int) -> Response:
    return _edit(request, ctx, intake_id)


@router.post("/journal/intake/{intake_id}/edit")
async def edit_intake(request: Request, ctx: CtxDep, intake_id: int) -> Response:
    form = await request.form()
    try:
        saved = update_intake(ctx, intake_id, intake_input(form),
                              version=text(form, "version"))  # 409 if it changed meanwhile
    except NightleafError as exc:
        return _edit(request, ctx, intake_id, form_values(form), intake_error(exc), exc.status_code)
    return after_write(f"/journal/intake/{saved.id}", "corrected", anchor="h-find")


#: entries (besides intakes) corrected with a form of their own
EDITABLE = ("substance", "pain")
SUBSTANCE_FIELDS = ("kind", "name", "amount", "unit", "at", "note")
PAIN_FIELDS = ("nrs", "context", "at", "note")


def _entry_values(item: Any) -> dict[str, str]:
    at = clock.local_datetime(item.at, item.tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(item, Substance):
        return {"kind": item.kind, "name": item.name or "", "unit": item.unit or "",
                "amount": f"{item.amount:g}" if item.amount is not None else "", "at": at,
                "note": item.note or ""}
    return {"nrs": str(item.nrs), "context": item.context, "at": at, "note": item.note or ""}


def _entry_edit(request: Request, kind: str, item: Any,
                values: dict[str, str], errors: dict[str, str] | None = None,
                status_code: int = 200) -> Response:
    return page(request, "entry_edit.html", {
        "active": "journal", "kind": kind, "item": item, "values": values,
        "errors": errors or {}, "kinds": SUBSTANCE_KINDS, "contexts": PAIN_CONTEXTS},
        status_code=status_code)


@router.get("/journal/{kind}/{entry_id}/edit")
def edit_entry_page(request: Request, ctx: CtxDep, kind: str, entry_id: int) -> Response:
    if kind not in EDITABLE:
        raise NotFound(f"a {kind} entry has no edit form; delete it and add it again")
    item = get_entry(ctx, kind, entry_id)
    return _entry_edit(request, kind, item, {**_entry_values(item), "version": version_of(item)})


@router.post("/journal/{kind}/{entry_id}/edit")
async def edit_entry(request: Request, ctx: CtxDep, kind: str, entry_id: int) -> Response:
    if kind not in EDITABLE:
        raise NotFound(f"a {kind} entry has no edit form; delete it and add it again")
    item = get_entry(ctx, kind, entry_id)
    form = await request.form()
    fields = SUBSTANCE_FIELDS if kind == "substance" else PAIN_FIELDS
    got = {k: text(form, k) for k in fields}
    seen = text(form, "version")  # the version this form was made from (409 if it changed)
    try:
        if kind == "substance":
            saved: Any = update_substance(ctx, entry_id, SubstanceInput.from_mapping(got),
                                          version=seen)
        else:
            saved = update_pain(ctx, entry_id, PainInput(
                nrs=got["nrs"] or "", context=got["context"], at=got["at"], note=got["note"]),
                version=seen)
    except NightleafError as exc:
        return _entry_edit(request, kind, item, form_values(form),
                           form_error(exc, fields), exc.status_code)
    if kind == "substance" and saved.night == tonight_of(ctx):  # findings may have changed
        return after_write("/tonight", "corrected", anchor="findings")
    return after_write(f"/journal/night/{saved.night.isoformat()}", "corrected")


def _entry(ctx: Context, kind: str, entry_id: int) -> tuple[Any, date]:
    item = get_entry(ctx, kind, entry_id)
    return item, item.night


@router.get("/journal/{kind}/{entry_id}/delete")
def confirm_delete(request: Request, ctx: CtxDep, kind: str, entry_id: int) -> Response:
    item, night = _entry(ctx, kind, entry_id)
    return page(request, "confirm_delete.html", {
        "active": "journal", "kind": kind, "item": item, "night": night,
        "tz": ctx.profile().tz})


@router.post("/journal/{kind}/{entry_id}/delete")
def do_delete(ctx: CtxDep, kind: str, entry_id: int) -> Response:
    _, night = _entry(ctx, kind, entry_id)
    delete_entry(ctx, kind, entry_id)
    return redirect(f"/journal/night/{night.isoformat()}?saved=deleted")

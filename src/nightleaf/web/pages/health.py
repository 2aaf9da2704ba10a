"""``/health``: medicines and conditions, with the interaction findings beside each."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError, NotFound
from nightleaf.model.entities import REGIMENS, Medicine
from nightleaf.services import Context, checks
from nightleaf.services import journal as journal_svc
from nightleaf.services.setup import update_medicine
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import text
from nightleaf.web.prg import after_write, flash_key
from nightleaf.web.render import form_error, form_values, page

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
        "undo": (undo := _undo(request)),
        **({"flash": None} if undo else {}),  # the undo box says it already
        "cvalues": {}, "cerrors": {}, **extra}, status_code=status_code)


MED_INPUTS = ("name", "dose_text", "regimen")


def _undo(request: Request) -> dict[str, str] | None:
    """The removed medicine's values, to offer "Undo" after a removal."""
    if flash_key(request) != "medicine-removed" or not request.query_params.get("name"):
        return None
    return {k: request.query_params.get(k) or "" for k in MED_INPUTS}


@router.get("/health")
def health_page(request: Request, ctx: CtxDep) -> Response:
    return _page(request, ctx)


@router.post("/health/medicines")
async def add_medicine(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        med = journal_svc.add_medicine(ctx, text(form, "name") or "",
                                       text(form, "dose_text"), text(form, "regimen") or "regular")
    except NightleafError as exc:
        return _page(request, ctx, status_code=exc.status_code, mvalues=form_values(form),
                     merrors=form_error(exc, MED_INPUTS))
    flash = "medicine-restored" if text(form, "restore") else "medicine"
    return after_write("/health", flash, anchor=f"med-{med.id}")


def _medicine(ctx: Context, med_id: int) -> Medicine:
    found = [m for m in journal_svc.list_medicines(ctx) if m.id == med_id]
    if not found:
        raise NotFound(f"no medicine with id {med_id}")
    return found[0]


def _edit_page(request: Request, ctx: Context, med: Medicine, values: dict[str, str],
               errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    return page(request, "medicine_edit.html", {
        "active": "health", "med": med, "mvalues": values, "merrors": errors or {},
        "findings": checks.medicine_findings(ctx).get(med.id or 0, [])}, status_code=status_code)


@router.get("/health/medicines/{med_id}/edit")
def edit_medicine_page(request: Request, ctx: CtxDep, med_id: int) -> Response:
    med = _medicine(ctx, med_id)
    return _edit_page(request, ctx, med, {"name": med.name, "dose_text": med.dose_text or "",
                                          "regimen": med.regimen})


@router.post("/health/medicines/{med_id}/edit")
async def edit_medicine(request: Request, ctx: CtxDep, med_id: int) -> Response:
    med = _medicine(ctx, med_id)
    form = await request.form()
    try:
        update_medicine(ctx, str(med_id), text(form, "name") or "", text(form, "dose_text"),
                        text(form, "regimen") or "regular")
    except NightleafError as exc:
        return _edit_page(request, ctx, med, form_values(form), form_error(exc, MED_INPUTS),
                          exc.status_code)
    return after_write("/health", "medicine-edited", anchor=f"med-{med_id}")


@router.get("/health/medicines/{med_id}/remove")
def confirm_remove_medicine(request: Request, ctx: CtxDep, med_id: int) -> Response:
    """Removing a medicine asks first: its interaction warnings go with it."""
    med = _medicine(ctx, med_id)
    return page(request, "medicine_remove.html", {
        "active": "health", "med": med,
        "findings": checks.medicine_findings(ctx).get(med.id or 0, [])})


@router.post("/health/medicines/{med_id}/remove")
def remove_medicine(ctx: CtxDep, med_id: int) -> Response:
    med = journal_svc.remove_medicine(ctx, str(med_id))
    # the flash offers undo: the removed medicine's values go back in one tap
    return after_write("/health", "medicine-removed", anchor="undo", name=med.name,
                       dose_text=med.dose_text, regimen=med.regimen)


@router.post("/health/conditions")
async def add_condition(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.add_condition(ctx, text(form, "name") or "", text(form, "note"))
    except NightleafError as exc:
        return _page(request, ctx, status_code=exc.status_code, cvalues=form_values(form),
                     cerrors=form_error(exc, ("name", "note")))
    return after_write("/health", "condition", anchor="h-conds")


@router.post("/health/conditions/{cond_id}/remove")
def remove_condition(ctx: CtxDep, cond_id: int) -> Response:
    journal_svc.remove_condition(ctx, str(cond_id))
    return after_write("/health", "condition-removed", anchor="h-conds")

"""``/settings``: profile and limits, routine items, export and import of the journal."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from nightleaf.errors import FormatError, NightleafError
from nightleaf.model import clock
from nightleaf.model.entities import WEEKDAYS, Profile
from nightleaf.services import Context, plan, transfer
from nightleaf.services import journal as journal_svc
from nightleaf.services import routine as routine_svc
from nightleaf.services.entries import remove_routine_item
from nightleaf.services.inputs import ProfileInput
from nightleaf.web.deps import CtxDep
from nightleaf.web.downloads import send
from nightleaf.web.pages._common import text
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()

PROFILE_INPUTS = ProfileInput.field_ids()
#: copy chunk for uploads: the file goes to disk in pieces, never whole into memory
CHUNK = 1 << 20


def profile_values(p: Profile) -> dict[str, str]:
    return {
        "tz": p.tz, "region": p.region or "", "bedtime": p.target_bedtime.strftime("%H:%M"),
        "lead": str(p.lead_minutes),
        "wake": p.target_wake.strftime("%H:%M") if p.target_wake else "",
        "max_grams": f"{p.max_grams_per_night:g}" if p.max_grams_per_night is not None else "",
        "max_nights": str(p.max_nights_per_week) if p.max_nights_per_week is not None else "",
        "work_days": ",".join(p.work_days), "name": p.name or "",
    }


def _settings(request: Request, ctx: Context, *, status_code: int = 200, **extra: object
              ) -> Response:
    data = {
        "active": "settings", "weekdays": WEEKDAYS, "zones": clock.all_zones(),
        "routine": [i for i in routine_svc.list_items(ctx) if i.active],
        "values": profile_values(ctx.profile()), "has_profile": ctx.has_profile(),
        "saved": request.query_params.get("saved"), "ics_available": True, **extra}
    return page(request, "settings.html", data, status_code=status_code)


@router.get("/settings")
def settings_page(request: Request, ctx: CtxDep) -> Response:
    return _settings(request, ctx)


def profile_changes(form: object) -> ProfileInput:
    changes: dict[str, str] = {k: text(form, k) or "" for k in PROFILE_INPUTS
                               if k != "work_days"}
    changes["work_days"] = ",".join(v for v in form.getlist("work_days")  # type: ignore[attr-defined]
                                    if isinstance(v, str))
    return ProfileInput.from_mapping(changes)


@router.post("/settings/profile")
async def save_profile(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    changes = profile_changes(form)
    first = not ctx.has_profile()
    try:
        journal_svc.init_journal(ctx, changes)  # the profile, and the routine the first time
        # the first visit goes on to medicines, the first safety check and the law
        return redirect("/welcome" if first else "/settings?saved=profile")
    except NightleafError as exc:
        errors = form_error(exc, PROFILE_INPUTS)  # every bad value, each beside its input
    values = {**form_values(form), "work_days": changes.work_days or ""}
    return _settings(request, ctx, status_code=422, errors=errors, values=values)


@router.post("/settings/routine")
async def add_routine(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        routine_svc.add_item(ctx, text(form, "text") or "", text(form, "minutes"))
    except NightleafError as exc:
        return _settings(request, ctx, status_code=422,
                         routine_errors=form_error(exc, ("text", "minutes")),
                         routine_values=form_values(form))
    return redirect("/settings?saved=routine#routine")


@router.post("/settings/routine/{item_id}/remove")
def remove_routine(ctx: CtxDep, item_id: int) -> Response:
    remove_routine_item(ctx, item_id)
    return redirect("/settings?saved=routine#routine")


@router.get("/settings/export.json")
def export_journal(ctx: CtxDep) -> Response:
    download, _ = transfer.export_json(ctx)
    return send(download)


@router.get("/settings/export.csv.zip")
def export_csv(ctx: CtxDep) -> Response:
    """The journal for a spreadsheet: one CSV per kind of entry and the nightly metrics, zipped
    (as ``nightleaf export csv``)."""
    from nightleaf.services import export

    return send(export.export_csv(ctx).download)


@router.get("/settings/export.fhir.json")
def export_fhir(request: Request, ctx: CtxDep) -> Response:
    """The journal as a FHIR R4 Bundle for a clinician's record system (as ``nightleaf export
    fhir``); the name is left out unless asked for."""
    from nightleaf.services import export

    include = request.query_params.get("name") == "1"
    return send(export.export_fhir(ctx, include_name=include).download)


@router.get("/settings/reminders.ics")
def reminders_ics(ctx: CtxDep) -> Response:
    """Daily evening reminders (routine start, planned intake, lights out, morning check-in)."""
    return send(plan.reminders_calendar(ctx).download)


@router.post("/settings/import")
async def import_journal(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    upload = form.get("file")
    replace = form.get("replace") == "yes"
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _settings(request, ctx, status_code=422,
                         import_errors={"file": "choose a nightleaf journal export (.json) to import"})
    with tempfile.TemporaryDirectory(prefix="nightleaf-import-") as d:
        path = Path(d) / "journal.json"
        with path.open("wb") as out:
            while chunk := await upload.read(CHUNK):
                out.write(chunk)
        try:
            result = transfer.import_json(ctx, path, replace=replace)
        except FormatError as exc:
            msg = exc.message.replace(str(path), upload.filename)
            return _settings(request, ctx, status_code=422, import_errors={"file": msg})
        except NightleafError as exc:
            return _settings(request, ctx, status_code=exc.status_code,
                             import_errors={"file": exc.message})
    total = sum(result.counts.values())
    return redirect(f"/settings?saved=import-{total}#transfer")

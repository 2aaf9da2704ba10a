"""``/api``: JSON for everything the pages do, in the same shapes as the CLI's ``--json``.

Unsafe methods take JSON bodies (a cross-site page cannot send those without a CORS preflight,
which this server never grants) or carry the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import shutil
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from nightleaf.errors import NightleafError, NotFound
from nightleaf.io.journal_json import journal_to_dict, to_plain
from nightleaf.model import clock
from nightleaf.services import Context, checks, plan, safety, summary, transfer
from nightleaf.services import journal as journal_svc
from nightleaf.services import nights as nights_svc
from nightleaf.services import routine as routine_svc
from nightleaf.services.entries import (
    DELETABLE,
    delete_entry,
    night_detail,
    remove_routine_item,
    routine_for_night,
    set_routine_done,
    update_intake,
)
from nightleaf.services.imports import format_name
from nightleaf.services.inputs import (
    BatchInput,
    IntakeInput,
    MorningInput,
    PainInput,
    ProductInput,
    ProfileInput,
    SleepInput,
    SubstanceInput,
)
from nightleaf.web import dashboard
from nightleaf.web.deps import get_context
from nightleaf.web.import_jobs import ImportJobs
from nightleaf.web.security import require_api_csrf, require_upload_csrf
from nightleaf.web.uploads import save_body, upload_folder

Json = dict[str, Any]


class ErrorOut(BaseModel):
    error: str = Field(description="What is wrong and how to fix it")
    field: str | None = Field(None, description="The input the message is about, when one is")


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": desc} for code, desc in (
        (400, "Bad request"), (403, "CSRF check failed"), (404, "Not found"),
        (409, "Conflicts with what is stored"), (422, "Invalid input"))}

router = APIRouter(prefix="/api", dependencies=[Depends(require_api_csrf)], responses=ERRORS)

Text = Field(None, max_length=500)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProfileIn(Body):
    tz: str | None = Field(None, max_length=64, examples=["Europe/Berlin"])
    region: str | None = Field(None, max_length=16, examples=["US-CA"])
    bedtime: str | None = Field(None, max_length=16, examples=["23:00"])
    lead: str | None = Field(None, max_length=16, examples=["60"])
    wake: str | None = Field(None, max_length=16, examples=["07:00"])
    max_grams: str | None = Field(None, max_length=16)
    max_nights: str | None = Field(None, max_length=16)
    work_days: str | None = Field(None, max_length=64, examples=["mon,tue,wed,thu,fri"])
    name: str | None = Field(None, max_length=200)


class MedicineIn(Body):
    name: str = Field(max_length=200, examples=["sertraline"])
    dose_text: str | None = Field(None, max_length=200)
    regimen: str = Field("regular", max_length=16, examples=["regular", "as_needed"])


class ConditionIn(Body):
    name: str = Field(max_length=200)
    note: str | None = Text


class ProductIn(Body):
    name: str = Field(max_length=200, examples=["Red Bali"])
    vendor: str | None = Field(None, max_length=200)
    label: str | None = Field(None, max_length=200)
    vein: str = Field("unknown", max_length=16)
    form: str = Field("powder", max_length=16)
    capsule_mg: str | None = Field(None, max_length=16)
    note: str | None = Text


class BatchIn(Body):
    product: str = Field(max_length=200, description="Product id or name")
    lot: str | None = Field(None, max_length=200)
    purchased_on: str | None = Field(None, max_length=16)
    mitragynine_pct: str | None = Field(None, max_length=16)
    seven_oh_pct: str | None = Field(None, max_length=16)
    lab: str | None = Field(None, max_length=200)
    test_date: str | None = Field(None, max_length=16)
    heavy_metals: str = Field("unknown", max_length=16)
    microbial: str = Field("unknown", max_length=16)
    pesticides: str = Field("unknown", max_length=16)
    note: str | None = Text


class IntakeIn(Body):
    amount: str = Field(max_length=32, examples=["3g", "2 caps", "250ml"])
    at: str | None = Field(None, max_length=40, description="21:30, 2026-11-24 21:30, now")
    product: str | None = Field(None, max_length=200)
    batch: str | None = Field(None, max_length=200)
    capsule_mg: str | None = Field(None, max_length=16)
    tea_grams: str | None = Field(None, max_length=16)
    note: str | None = Text


class SubstanceIn(Body):
    kind: str = Field(max_length=16, examples=["alcohol", "caffeine", "cannabis", "medicine"])
    name: str | None = Field(None, max_length=200)
    amount: str | None = Field(None, max_length=16)
    unit: str | None = Field(None, max_length=32)
    at: str | None = Field(None, max_length=40)
    note: str | None = Text


class PainIn(Body):
    nrs: str = Field(max_length=4, examples=["4"])
    context: str = Field("other", max_length=16, examples=["evening", "morning"])
    at: str | None = Field(None, max_length=40)
    peg_pain: str | None = Field(None, max_length=4)
    peg_enjoyment: str | None = Field(None, max_length=4)
    peg_activity: str | None = Field(None, max_length=4)
    note: str | None = Text


class SleepIn(Body):
    night: str | None = Field(None, max_length=16, description="YYYY-MM-DD; default last night")
    into_bed: str | None = Field(None, max_length=40)
    tried_to_sleep: str | None = Field(None, max_length=40)
    sol: str | None = Field(None, max_length=16)
    awakenings: str | None = Field(None, max_length=16)
    waso: str | None = Field(None, max_length=16)
    final_awakening: str | None = Field(None, max_length=40)
    out_of_bed: str | None = Field(None, max_length=40)
    woke_early: str | None = Field(None, max_length=16)
    quality: str | None = Field(None, max_length=4)
    rested: str | None = Field(None, max_length=4)
    nap_count: str | None = Field(None, max_length=4)
    nap_minutes: str | None = Field(None, max_length=16)
    note: str | None = Text


class RoutineTick(Body):
    done: bool = True
    night: date | None = None


class RoutineItemIn(Body):
    text: str = Field(max_length=200)
    minutes_before_bed: int | None = Field(None, ge=0, le=240)


def _ctx(request: Request) -> Context:
    return get_context(request)


# -- nights ---------------------------------------------------------------------------------------
@router.get("/nights", tags=["journal"])
def api_nights(request: Request, first: str | None = Query(None, max_length=16),
               last: str | None = Query(None, max_length=16),
               days: int = Query(14, ge=1, le=7320)) -> Json:
    """Nights in a range (default: the last 14): intakes, diary times, pain."""
    ctx = _ctx(request)
    start, end = nights_svc.night_range(ctx, first, last, days)
    return to_plain({"from": start, "to": end,
                     "nights": nights_svc.list_nights(ctx, start, end)})


@router.get("/nights/{night}", tags=["journal"])
def api_night(request: Request, night: date) -> Json:
    """Every entry of one night."""
    d = night_detail(_ctx(request), night)
    return to_plain({"night": d.night, "tz": d.tz, "intakes": d.intakes,
                     "substances": d.substances, "sleep": d.sleep, "pain": d.pain,
                     "symptoms": d.symptoms, "notes": d.notes})


# -- profile --------------------------------------------------------------------------------------
@router.get("/profile", tags=["settings"])
def api_profile(request: Request) -> Json:
    ctx = _ctx(request)
    return to_plain({"profile": ctx.profile(), "saved": ctx.has_profile()})


@router.put("/profile", tags=["settings"])
def api_set_profile(request: Request, body: ProfileIn) -> Json:
    """Change the profile (only the fields given)."""
    ctx = _ctx(request)
    p = journal_svc.init_journal(ctx, ProfileInput.from_mapping(body.model_dump()))
    return to_plain({"profile": p, "saved": True})


# -- medicines and conditions ---------------------------------------------------------------------
@router.get("/medicines", tags=["health"])
def api_medicines(request: Request) -> Json:
    """Medicines, each with its interaction findings (``null`` without the safety engine)."""
    ctx = _ctx(request)
    meds = journal_svc.list_medicines(ctx)
    found = checks.medicine_findings(ctx)
    return to_plain({"medicines": [{"medicine": m, "findings": None if found is None
                                    else found.get(m.id or 0, [])} for m in meds]})


@router.post("/medicines", tags=["health"], status_code=201)
def api_add_medicine(request: Request, body: MedicineIn) -> Json:
    return to_plain(journal_svc.add_medicine(_ctx(request), body.name, body.dose_text,
                                             body.regimen))


@router.delete("/medicines/{med_id}", tags=["health"])
def api_remove_medicine(request: Request, med_id: int = Path(ge=1, le=2**62)) -> Json:
    return to_plain(journal_svc.remove_medicine(_ctx(request), str(med_id)))


@router.get("/conditions", tags=["health"])
def api_conditions(request: Request) -> Json:
    ctx = _ctx(request)
    conds = journal_svc.list_conditions(ctx)
    found = checks.condition_findings(ctx)
    return to_plain({"conditions": [{"condition": c, "findings": None if found is None
                                     else found.get(c.id or 0, [])} for c in conds]})


@router.post("/conditions", tags=["health"], status_code=201)
def api_add_condition(request: Request, body: ConditionIn) -> Json:
    return to_plain(journal_svc.add_condition(_ctx(request), body.name, body.note))


@router.delete("/conditions/{cond_id}", tags=["health"])
def api_remove_condition(request: Request, cond_id: int = Path(ge=1, le=2**62)) -> Json:
    return to_plain(journal_svc.remove_condition(_ctx(request), str(cond_id)))


# -- products and batches -------------------------------------------------------------------------
@router.get("/products", tags=["products"])
def api_products(request: Request) -> Json:
    """Products with their batches; ``findings`` per batch id (``null`` without the engine)."""
    ctx = _ctx(request)
    views = journal_svc.list_products(ctx)
    found = checks.batch_findings(ctx)
    return to_plain({"products": [{"product": v.product, "batches": v.batches} for v in views],
                     "batch_findings": found})


@router.post("/products", tags=["products"], status_code=201)
def api_add_product(request: Request, body: ProductIn) -> Json:
    return to_plain(journal_svc.add_product(_ctx(request), ProductInput(**body.model_dump())))


@router.post("/batches", tags=["products"], status_code=201)
def api_add_batch(request: Request, body: BatchIn) -> Json:
    return to_plain(journal_svc.add_batch(_ctx(request), BatchInput(**body.model_dump())))


# -- intakes and other entries --------------------------------------------------------------------
@router.post("/intakes/check", tags=["tonight"])
def api_check_intake(request: Request, body: IntakeIn) -> Json:
    """The intake as it would be saved and its safety findings; nothing is saved."""
    p = safety.preview_intake(_ctx(request), IntakeInput(**body.model_dump()))
    return to_plain({"intake": p.draft.intake, "grams": p.draft.intake.grams,
                     "findings": p.findings})


@router.post("/intakes", tags=["tonight"], status_code=201)
def api_log_intake(request: Request, body: IntakeIn) -> Json:
    """Save an intake; the findings for its night as they stand after it."""
    ctx = _ctx(request)
    li = journal_svc.log_intake(ctx, IntakeInput(**body.model_dump()))
    return to_plain({"intake": li.intake, "grams": li.intake.grams,
                     "findings": li.findings})


@router.put("/intakes/{intake_id}", tags=["journal"])
def api_update_intake(request: Request, body: IntakeIn,
                      intake_id: int = Path(ge=1, le=2**62)) -> Json:
    """Correct an intake (all values are given again; ``at`` is required)."""
    i = update_intake(_ctx(request), intake_id, IntakeInput(**body.model_dump()))
    return to_plain({"intake": i, "grams": i.grams})


@router.delete("/entries/{kind}/{entry_id}", tags=["journal"])
def api_delete_entry(request: Request, kind: str = Path(pattern="^(intake|" + "|".join(DELETABLE)
                                                        + ")$"),
                     entry_id: int = Path(ge=1, le=2**62)) -> Json:
    """Delete one entry: intake, substance, pain, symptom, note or sleep."""
    delete_entry(_ctx(request), kind, entry_id)
    return {"deleted": {"kind": kind, "id": entry_id}}


@router.post("/substances", tags=["tonight"], status_code=201)
def api_log_substance(request: Request, body: SubstanceIn) -> Json:
    return to_plain(journal_svc.log_substance(_ctx(request), SubstanceInput(**body.model_dump())))


@router.post("/pain", tags=["tonight", "morning"], status_code=201)
def api_log_pain(request: Request, body: PainIn) -> Json:
    return to_plain(journal_svc.log_pain(_ctx(request), PainInput(**body.model_dump())))


@router.post("/sleep", tags=["morning"], status_code=201)
def api_log_sleep(request: Request, body: SleepIn) -> Json:
    """Save (or replace) the sleep-diary entry of one night."""
    ctx = _ctx(request)
    s = journal_svc.log_sleep(ctx, SleepInput(**body.model_dump()))
    return to_plain({"entry": s, "metrics": nights_svc.night_metrics(ctx, s.night)})


# -- routine --------------------------------------------------------------------------------------
@router.get("/routine", tags=["tonight"])
def api_routine(request: Request, night: date | None = None) -> Json:
    """The routine items and which are ticked for ``night`` (default tonight)."""
    r = routine_for_night(_ctx(request), night)
    return to_plain({"night": r.night, "items": [
        {"item": i, "done": i.id in r.done} for i in r.items]})


@router.put("/routine/{item_id}", tags=["tonight"])
def api_tick(request: Request, body: RoutineTick, item_id: int = Path(ge=1, le=2**62)) -> Json:
    return to_plain(set_routine_done(_ctx(request), item_id, body.done, body.night))


@router.post("/routine/items", tags=["settings"], status_code=201)
def api_add_routine_item(request: Request, body: RoutineItemIn) -> Json:
    return to_plain(routine_svc.add_item(_ctx(request), body.text, body.minutes_before_bed))


@router.delete("/routine/items/{item_id}", tags=["settings"])
def api_remove_routine_item(request: Request, item_id: int = Path(ge=1, le=2**62)) -> Json:
    remove_routine_item(_ctx(request), item_id)
    return {"removed": item_id}


# -- plan, morning, summary ----------------------------------------------------------------------
@router.get("/tonight", tags=["tonight"])
def api_tonight(request: Request) -> Json:
    """Tonight's plan (from your own settings), what is logged so far, and the findings."""
    return to_plain(plan.tonight(_ctx(request)))


class MorningIn(Body):
    night: str | None = Field(None, max_length=16)
    into_bed: str | None = Field(None, max_length=40)
    tried_to_sleep: str | None = Field(None, max_length=40)
    sol: str | None = Field(None, max_length=16)
    awakenings: str | None = Field(None, max_length=16)
    waso: str | None = Field(None, max_length=16)
    final_awakening: str | None = Field(None, max_length=40)
    out_of_bed: str | None = Field(None, max_length=40)
    quality: str | None = Field(None, max_length=4)
    rested: str | None = Field(None, max_length=4)
    nrs: str | None = Field(None, max_length=4)
    side_effects: list[str] = Field(default_factory=list, max_length=20)
    withdrawal: list[str] = Field(default_factory=list, max_length=20)
    note: str | None = Text


@router.post("/morning", tags=["morning"], status_code=201)
def api_morning(request: Request, body: MorningIn) -> Json:
    """The morning check-in: diary, pain and symptoms saved together, with last night's numbers."""
    return to_plain(plan.save_morning(_ctx(request), MorningInput(**body.model_dump())))


@router.get("/summary", tags=["dashboard"])
def api_summary(request: Request, days: int = Query(28, ge=1, le=summary.MAX_DAYS),
                last: str | None = Query(None, max_length=16)) -> Json:
    """Everything the dashboard shows for a window of nights (see docs/metrics.md)."""
    return summary.summary_json(summary.summarise(_ctx(request), days=days, last=last))


@router.get("/dashboard", tags=["dashboard"])
def api_dashboard(request: Request, days: int = Query(28, ge=1, le=summary.MAX_DAYS),
                  last: str | None = Query(None, max_length=16)) -> Json:
    """The dashboard's chart columns (``x``: each night's local noon, Unix seconds)."""
    s = summary.dashboard_summary(_ctx(request), days=days, last=last)
    return {"first_night": s.first_night.isoformat(), "last_night": s.last_night.isoformat(),
            "tz": s.tz, "series": dashboard.series(s)}


# -- safety and legal -----------------------------------------------------------------------------
@router.get("/safety", tags=["safety"])
def api_safety(request: Request, night: date | None = None) -> Json:
    """Every finding for ``night`` (default tonight) with its sources."""
    ctx = _ctx(request)
    n = night or clock.tonight(ctx.now(), ctx.profile().tz)
    return to_plain({"night": n, "findings": safety.findings_for_night(ctx, n)})


@router.get("/legal", tags=["safety"])
def api_legal(request: Request, region: str | None = Query(None, max_length=16)) -> Json:
    """The legal status for ``region`` (default: the profile's), with its findings."""
    return to_plain(safety.legal(_ctx(request), region))


# -- wearable imports -----------------------------------------------------------------------------
class ImportResultOut(BaseModel):
    format: str = Field(description="apple_health, fitbit, oura or sleep_as_android")
    episodes: int
    nights: int
    added: int
    updated: int
    skipped: int = Field(description="Episodes already in the journal, unchanged")
    first_night: date | None
    last_night: date | None


class ImportJobOut(BaseModel):
    id: str
    filename: str
    state: Literal["queued", "running", "done", "failed"]
    bytes_read: int = Field(description="Bytes of the uploaded file the importer has read")
    total_bytes: int | None
    nights_found: int = Field(description="Nights (sleep episodes) found so far")
    error: str | None = Field(description="Why the import failed (nothing was saved)")
    result: ImportResultOut | None


UPLOAD_BODY = {"requestBody": {"required": True, "description": "The export file itself, "
               "sent as the raw body (not a form); it is streamed to disk, never held in memory",
               "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                   "format": "binary"}}}}}


@router.post("/imports", tags=["import"], status_code=202, response_model=ImportJobOut,
             dependencies=[Depends(require_upload_csrf)], openapi_extra=UPLOAD_BODY,
             responses={200: {"model": ImportJobOut, "description": "wait=true: the finished "
                              "import"}})
async def api_start_import(
        request: Request, response: Response,
        format: str | None = Query(None, max_length=32, description="apple-health, fitbit, "
                                   "oura, sleep-as-android; empty or auto: detect"),
        filename: str | None = Query(None, max_length=255, description="The file's own name, "
                                     "for messages"),
        wait: bool = Query(False, description="Import before answering (200) instead of "
                           "answering at once with a job to poll (202)"),
        x_csrf_token: str | None = Header(None, description="The nl_csrf cookie's value; the "
                                          "?csrf= query works too")) -> Json:
    """Import a wearable export (Apple Health, Fitbit, Oura, Sleep as Android). The upload needs
    the CSRF token whatever its content type. Poll ``/api/imports/{id}`` for progress."""
    fmt = format_name(None if (format or "").strip().lower() in ("", "auto") else format)
    jobs: ImportJobs = request.app.state.imports
    folder = upload_folder()
    try:
        upload = await save_body(request, folder, filename)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    job = jobs.new(upload.path, upload.filename, fmt)
    if not wait:
        return jobs.start(job).as_dict()
    await run_in_threadpool(jobs.run, job)
    if job.state == "failed":
        err = NightleafError(job.error or "the import failed", field="file")
        err.status_code = job.status_code
        raise err
    response.status_code = 200
    return job.as_dict()


@router.get("/imports/{job_id}", tags=["import"], response_model=ImportJobOut)
def api_import_job(request: Request, job_id: str = Path(max_length=64)) -> Json:
    """An import's progress (bytes read, nights found) and, once done, its result or error."""
    job = request.app.state.imports.get(job_id)
    if job is None:
        raise NotFound(f"no import {job_id!r} (imports are remembered until the server restarts)")
    return job.as_dict()  # type: ignore[no-any-return]


# -- export ---------------------------------------------------------------------------------------
@router.get("/export", tags=["settings"])
def api_export(request: Request) -> Json:
    """The whole journal in the nightleaf-journal JSON format (what `nightleaf export` writes)."""
    return journal_to_dict(transfer.load_journal(_ctx(request)))


def register(app: FastAPI) -> None:
    app.include_router(router)

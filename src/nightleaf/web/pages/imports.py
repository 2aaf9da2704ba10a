"""``/import``: nights from a wearable export (Apple Health, Fitbit, Oura, Sleep as Android).

The upload is streamed to disk once (``web.uploads``), imported by the service, and its folder
deleted. With JavaScript the page sends the file to ``/api/imports`` (upload progress from the
browser, import progress by polling the job) and then opens ``/import?job=ID``; without it the
form posts here and the import runs before the answer.
"""

from __future__ import annotations

import shutil

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from nightleaf.errors import NightleafError
from nightleaf.services.imports import format_name
from nightleaf.web.deps import CtxDep
from nightleaf.web.import_jobs import ImportJobs
from nightleaf.web.render import page, redirect
from nightleaf.web.uploads import save_multipart, upload_folder

router = APIRouter()

FORMAT_OPTIONS = (
    ("", "Detect automatically"),
    ("apple-health", "Apple Health (export.zip or export.xml)"),
    ("fitbit", "Fitbit (sleep-*.json, or a zip of them)"),
    ("oura", "Oura (sleep JSON)"),
    ("sleep-as-android", "Sleep as Android (sleep-export.csv)"),
)


def jobs_of(request: Request) -> ImportJobs:
    return request.app.state.imports  # type: ignore[no-any-return]


def _page(request: Request, *, status_code: int = 200, **extra: object) -> Response:
    data = {"active": "settings", "formats": FORMAT_OPTIONS, "job": None, **extra}
    return page(request, "import.html", data, status_code=status_code)


@router.get("/import")
def import_page(request: Request, ctx: CtxDep, job: str | None = None) -> Response:
    """The form; with ``?job=ID`` also that import's result (or its message beside the file)."""
    found = jobs_of(request).get(job, ctx) if job else None
    if job and found is None:
        return _page(request, status_code=404,
                     errors={"_form": "there is no import with that id; the nights of a "
                             "finished import are in the journal"})
    if found is not None and found.state == "failed":
        return _page(request, errors={"file": found.error}, values={"format": found.fmt or ""})
    return _page(request, job=found.as_dict() if found else None)


@router.post("/import")
async def import_upload(request: Request, ctx: CtxDep) -> Response:
    """The form without JavaScript: stream the file to disk, import it, show the result."""
    jobs = jobs_of(request)
    folder = upload_folder()
    handed_over = False  # once a job owns the folder, the job deletes it
    try:
        try:
            form = await save_multipart(request, folder)
        except NightleafError as exc:
            return _page(request, status_code=exc.status_code, errors={"file": exc.message})
        values = {"format": form.fields.get("format", "")}
        try:
            fmt = format_name(values["format"] or None)
        except NightleafError as exc:
            return _page(request, status_code=exc.status_code, values=values,
                         errors={"format": exc.message})
        upload = form.files.get("file")
        if upload is None or not upload.filename:
            return _page(request, status_code=422, values=values,
                         errors={"file": "choose a sleep export to import"})
        job = jobs.new(upload.path, upload.filename, fmt, ctx)
        handed_over = True
    finally:
        if not handed_over:
            shutil.rmtree(folder, ignore_errors=True)
    await run_in_threadpool(jobs.run, job)
    if job.state == "failed":
        return _page(request, status_code=job.status_code, values=values,
                     errors={"file": job.error})
    return redirect(f"/import?job={job.id}")

"""``/api/imports``: upload a wearable export and follow its import."""

from __future__ import annotations

import shutil
from datetime import date
from typing import Any, Literal

from fastapi import Depends, Header, Path, Query, Request, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from nightleaf.errors import NightleafError, NotFound
from nightleaf.services.imports import format_name
from nightleaf.web.api.common import Out, api_router
from nightleaf.web.deps import CtxDep
from nightleaf.web.import_jobs import ImportJobs
from nightleaf.web.security import require_upload_csrf
from nightleaf.web.uploads import save_body, upload_folder

router = api_router(tags=["import"])


class ImportResultOut(Out):
    format: str = Field(description="apple_health, fitbit, oura or sleep_as_android")
    episodes: int
    nights: int
    added: int
    updated: int
    skipped: int = Field(description="Episodes already in the journal, unchanged")
    first_night: date | None
    last_night: date | None


class ImportJobOut(Out):
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


@router.post("/imports", status_code=202, response_model=ImportJobOut,
             dependencies=[Depends(require_upload_csrf)], openapi_extra=UPLOAD_BODY,
             responses={200: {"model": ImportJobOut, "description": "wait=true: the finished "
                              "import"}})
async def api_start_import(
        request: Request, response: Response, ctx: CtxDep,
        format: str | None = Query(None, max_length=32, description="apple-health, fitbit, "
                                   "oura, sleep-as-android; empty or auto: detect"),
        filename: str | None = Query(None, max_length=255, description="The file's own name, "
                                     "for messages"),
        wait: bool = Query(False, description="Import before answering (200) instead of "
                           "answering at once with a job to poll (202)"),
        x_csrf_token: str | None = Header(None, description="The nl_csrf cookie's value; the "  # noqa: ARG001  (declared for the OpenAPI document; require_upload_csrf reads it)
                                          "?csrf= query works too")) -> dict[str, Any]:
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
    job = jobs.new(upload.path, upload.filename, fmt, ctx)
    if not wait:
        return jobs.start(job).as_dict()
    await run_in_threadpool(jobs.run, job)
    if job.state == "failed":
        err = NightleafError(job.error or "the import failed", field="file")
        err.status_code = job.status_code
        raise err
    response.status_code = 200
    return job.as_dict()


@router.get("/imports/{job_id}", response_model=ImportJobOut)
def api_import_job(request: Request, ctx: CtxDep,
                   job_id: str = Path(max_length=64)) -> dict[str, Any]:
    """An import's progress (bytes read, nights found) and, once done, its result or error."""
    job = request.app.state.imports.get(job_id, ctx)
    if job is None:
        raise NotFound(f"no import {job_id!r}")
    return job.as_dict()  # type: ignore[no-any-return]

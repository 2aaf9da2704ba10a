"""Wearable imports started from the web, each keyed by a job id so the page can poll progress.

A job owns the folder its upload was streamed into and deletes it when the import ends, however
it ends. The import itself is the service's (``services.imports.import_wearable``): this module
only runs it (in a thread, or inline for the no-JavaScript form) and keeps what it reported.

Each job's status is also kept in the journal (table ``import_job``, migration 0003): written
when the job is made, starts, ends, and at most every :data:`SAVE_EVERY` seconds of progress. A
job the server no longer has in memory (it was restarted) is read back from there; one that was
still queued or running then is reported as failed, with what to do.

Each job belongs to the context it was made in: the request's, which in server mode is the
signed-in person's (audited, row-level security). Its import writes into that person's journal
only, its status rows are theirs, and :meth:`ImportJobs.get` finds it only for them (anyone
else is told there is no such job: 404, never 403).
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nightleaf.errors import NightleafError
from nightleaf.io.detect import _HINT as CLI_HINT  # the CLI's wording; the page has a list
from nightleaf.io.detect import ImportProgress
from nightleaf.services import Context
from nightleaf.services.imports import WearableImport, import_wearable

log = logging.getLogger(__name__)

#: finished jobs kept in memory for polling; the oldest are forgotten first (the journal keeps
#: every job's status)
KEEP = 32
#: seconds between saves of a running job's progress to the journal
SAVE_EVERY = 2.0
#: what a job still queued or running when the server stopped says
INTERRUPTED = ("the server stopped before this import finished; import the file again (a night "
               "already imported is not added twice)")


@dataclass
class ImportJob:
    id: str
    filename: str
    path: Path
    folder: Path  # made for this upload; deleted when the import ends
    fmt: str | None
    state: str = "queued"  # queued → running → done | failed
    bytes_read: int = 0
    total_bytes: int | None = None
    nights_found: int = 0
    result: WearableImport | None = None
    error: str | None = None
    status_code: int = 200
    stored_result: dict[str, Any] | None = None  # the result as read back from the journal
    ctx: Context | None = field(default=None, repr=False)  # whose journal it imports into
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    on_progress: Any = field(default=None, repr=False)  # called after each progress report
    saved_at: float = field(default=0.0, repr=False)  # time.monotonic() of the last save

    def progress(self, p: ImportProgress) -> None:
        with self.lock:
            self.bytes_read, self.total_bytes, self.nights_found = (p.bytes_read, p.total_bytes,
                                                                    p.nights)
        if self.on_progress is not None:
            self.on_progress(self)

    def as_dict(self) -> dict[str, Any]:
        """The job as ``/api/imports/{id}`` shows it (the upload's own name, not the temp path)."""
        with self.lock:
            r = self.result
            return {
                "id": self.id, "filename": self.filename, "state": self.state,
                "bytes_read": self.bytes_read, "total_bytes": self.total_bytes,
                "nights_found": self.nights_found, "error": self.error,
                "result": self.stored_result if r is None else {
                    "format": r.format, "episodes": r.episodes, "nights": r.nights,
                    "added": r.added, "updated": r.updated, "skipped": r.skipped,
                    "first_night": r.first_night.isoformat() if r.first_night else None,
                    "last_night": r.last_night.isoformat() if r.last_night else None}}

    def row(self) -> dict[str, Any]:
        """The job as a row of ``import_job`` (without ``created_at``)."""
        d = self.as_dict()
        return {"id": self.id, "filename": self.filename[:255], "format": self.fmt,
                "state": d["state"], "bytes_read": d["bytes_read"],
                "total_bytes": d["total_bytes"], "nights_found": d["nights_found"],
                "error": d["error"], "status_code": self.status_code,
                "result": None if d["result"] is None else json.dumps(d["result"]),
                "updated_at": datetime.now(UTC)}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ImportJob:
        """A job read back from the journal after a restart (its upload is gone)."""
        job = cls(id=row["id"], filename=row["filename"], path=Path(), folder=Path(),
                  fmt=row["format"], state=row["state"], bytes_read=row["bytes_read"],
                  total_bytes=row["total_bytes"], nights_found=row["nights_found"],
                  error=row["error"], status_code=row["status_code"],
                  stored_result=json.loads(row["result"]) if row["result"] else None)
        if job.state in ("queued", "running"):  # it died with the server that ran it
            job.state, job.error, job.status_code = "failed", INTERRUPTED, 503
        return job


class ImportJobs:
    """The jobs of one app (``app.state.imports``)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._jobs: OrderedDict[str, ImportJob] = OrderedDict()
        self._lock = threading.Lock()

    def _ctx(self, job: ImportJob) -> Context:
        return job.ctx or self.ctx

    def _save(self, job: ImportJob, *, first: bool = False) -> None:
        """Keep ``job``'s status in the journal; a failure to do so is logged, never fatal to
        the import."""
        row = job.row()
        if first:
            row["created_at"] = row["updated_at"]
        try:
            with self._ctx(job).tx() as repo:
                repo.put_import_job(row)
        except NightleafError:
            log.warning("could not keep the status of import %s in the journal", job.id,
                        exc_info=True)

    def _progressed(self, job: ImportJob) -> None:
        now = time.monotonic()
        if now - job.saved_at >= SAVE_EVERY:
            job.saved_at = now
            self._save(job)

    def new(self, path: Path, filename: str, fmt: str | None,
            ctx: Context | None = None) -> ImportJob:
        """A job importing ``path`` into ``ctx``'s journal (the request's; default the app's)."""
        job = ImportJob(id=secrets.token_urlsafe(12), filename=filename, path=path,
                        folder=path.parent, fmt=fmt, ctx=ctx or self.ctx)
        job.on_progress = self._progressed
        self._save(job, first=True)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                old = next(iter(self._jobs.values()))
                if old.state not in ("done", "failed"):
                    break
                self._jobs.popitem(last=False)
        return job

    def get(self, job_id: str, ctx: Context | None = None) -> ImportJob | None:
        """``ctx``'s job (default the app's): from memory, or as the journal kept it (after a
        restart); None when there is none or it is somebody else's. In server mode the look-up
        is always a transaction of the person's, so it leaves a read row in their audit trail."""
        ctx = ctx or self.ctx
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None and self._ctx(job).person_id != ctx.person_id:
            job = None  # another person's job is no job at all
        if job is not None and ctx.on_commit is None:
            return job  # one person, no audit trail: memory is enough
        try:
            with ctx.tx() as repo:
                row = repo.import_job(job_id)
        except NightleafError:
            return job
        if job is not None:
            return job
        return None if row is None else ImportJob.from_row(row)

    def run(self, job: ImportJob) -> ImportJob:
        """Import ``job.path`` now, in this thread; the upload's folder is deleted after."""
        job.state = "running"
        self._save(job)
        try:
            result = import_wearable(self._ctx(job), job.path, fmt=job.fmt, on_progress=job.progress)
            with job.lock:
                job.result, job.state = result, "done"
        except NightleafError as exc:
            with job.lock:
                job.error = (exc.message.replace(str(job.path), job.filename)
                             .replace(CLI_HINT, "choose its format in the list"))
                job.status_code, job.state = exc.status_code, "failed"
        except Exception as exc:
            log.exception("import of %s failed", job.filename)
            with job.lock:
                job.error = f"the import failed unexpectedly ({type(exc).__name__}); nothing " \
                            "was saved"
                job.status_code, job.state = 500, "failed"
        finally:
            shutil.rmtree(job.folder, ignore_errors=True)
            self._save(job)
        return job

    def start(self, job: ImportJob) -> ImportJob:
        """Run the import in a background thread; poll :meth:`get` for its progress."""
        threading.Thread(target=self.run, args=(job,), name=f"import-{job.id}",
                         daemon=True).start()
        return job

"""Wearable imports started from the web, each keyed by a job id so the page can poll progress.

A job owns the folder its upload was streamed into and deletes it when the import ends, however
it ends. The import itself is the service's (``services.imports.import_wearable``): this module
only runs it (in a thread, or inline for the no-JavaScript form) and keeps what it reported.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nightleaf.errors import NightleafError
from nightleaf.io.detect import _HINT as CLI_HINT  # the CLI's wording; the page has a list
from nightleaf.io.detect import ImportProgress
from nightleaf.services import Context
from nightleaf.services.imports import WearableImport, import_wearable

log = logging.getLogger(__name__)

#: finished jobs kept for polling; the oldest are forgotten first
KEEP = 32


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
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def progress(self, p: ImportProgress) -> None:
        with self._lock:
            self.bytes_read, self.total_bytes, self.nights_found = (p.bytes_read, p.total_bytes,
                                                                    p.nights)

    def as_dict(self) -> dict[str, Any]:
        """The job as ``/api/imports/{id}`` shows it (the upload's own name, not the temp path)."""
        with self._lock:
            r = self.result
            return {
                "id": self.id, "filename": self.filename, "state": self.state,
                "bytes_read": self.bytes_read, "total_bytes": self.total_bytes,
                "nights_found": self.nights_found, "error": self.error,
                "result": None if r is None else {
                    "format": r.format, "episodes": r.episodes, "nights": r.nights,
                    "added": r.added, "updated": r.updated, "skipped": r.skipped,
                    "first_night": r.first_night.isoformat() if r.first_night else None,
                    "last_night": r.last_night.isoformat() if r.last_night else None}}


class ImportJobs:
    """The jobs of one app (``app.state.imports``)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._jobs: OrderedDict[str, ImportJob] = OrderedDict()
        self._lock = threading.Lock()

    def new(self, path: Path, filename: str, fmt: str | None) -> ImportJob:
        job = ImportJob(id=secrets.token_urlsafe(12), filename=filename, path=path,
                        folder=path.parent, fmt=fmt)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                old = next(iter(self._jobs.values()))
                if old.state not in ("done", "failed"):
                    break
                self._jobs.popitem(last=False)
        return job

    def get(self, job_id: str) -> ImportJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def run(self, job: ImportJob) -> ImportJob:
        """Import ``job.path`` now, in this thread; the upload's folder is deleted after."""
        job.state = "running"
        try:
            result = import_wearable(self.ctx, job.path, fmt=job.fmt, on_progress=job.progress)
            with job._lock:
                job.result, job.state = result, "done"
        except NightleafError as exc:
            with job._lock:
                job.error = (exc.message.replace(str(job.path), job.filename)
                             .replace(CLI_HINT, "choose its format in the list"))
                job.status_code, job.state = exc.status_code, "failed"
        except Exception as exc:
            log.exception("import of %s failed", job.filename)
            with job._lock:
                job.error = f"the import failed unexpectedly ({type(exc).__name__}); nothing " \
                            "was saved"
                job.status_code, job.state = 500, "failed"
        finally:
            shutil.rmtree(job.folder, ignore_errors=True)
        return job

    def start(self, job: ImportJob) -> ImportJob:
        """Run the import in a background thread; poll :meth:`get` for its progress."""
        threading.Thread(target=self.run, args=(job,), name=f"import-{job.id}",
                         daemon=True).start()
        return job

"""Uploads go to disk as they arrive, once, in the chunks the server receives: never whole into
memory, never spooled and then copied.

- :func:`save_body`: a raw request body (``application/octet-stream``, what the page's script
  and ``/api/imports`` send) written chunk by chunk from ``request.stream()``.
- :func:`save_multipart`: a ``multipart/form-data`` form (the no-JavaScript page) parsed
  incrementally by python-multipart's :class:`~python_multipart.FormParser`, told to put the file
  part straight into a named file in our folder (``MAX_MEMORY_FILE_SIZE=0``: at most the first
  chunk is held before the file is opened). Starlette's ``request.form()`` would spool to an
  anonymous temporary file instead, which the importers cannot open by path.

Both stop at a size limit (:func:`limits`, from the settings: ``NIGHTLEAF_MAX_UPLOAD_MB`` for
wearable exports, ``NIGHTLEAF_MAX_RESTORE_MB`` for the journal backup): a ``Content-Length`` over
it is refused before reading, a body that grows past it is refused at the chunk that crosses it,
with HTTP 413 and one line (:class:`TooLarge`). The caller owns ``folder`` and deletes it whatever
happens.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from python_multipart import FormParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.exceptions import HTTPException

from nightleaf.config import Settings
from nightleaf.errors import InputError, NightleafError

#: small form fields (csrf, format) are capped: anything larger is not a field this form has
MAX_FIELD = 4096
#: room for a multipart form's boundaries, headers and small fields beyond the file's limit
FORM_OVERHEAD = 64 * 1024
MB = 1024 * 1024


class TooLarge(NightleafError):
    """An upload over its size limit (HTTP 413)."""

    status_code = 413


@dataclass(frozen=True)
class Limits:
    upload: int  # bytes: a wearable export
    restore: int  # bytes: a journal JSON backup


def limits() -> Limits:
    """The size limits, read from the settings (environment) now."""
    s = Settings.from_env()
    return Limits(upload=s.max_upload_mb * MB, restore=s.max_restore_mb * MB)


def _too_large(limit: int, what: str) -> TooLarge:
    return TooLarge(f"the {what} is larger than the limit of {limit // MB} MB; nothing was saved",
                    field="file")


def check_length(request: Request, limit: int, what: str) -> None:
    """Refuse at once a body whose declared ``Content-Length`` is over ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, what)


@dataclass
class Upload:
    """One uploaded file on disk: ``path`` in the caller's folder, ``filename`` as the person
    named it (for messages), ``size`` in bytes."""

    path: Path
    filename: str
    size: int


@dataclass
class MultipartForm:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)


def upload_folder() -> Path:
    """A new private folder (mode 0700) for one upload."""
    return Path(tempfile.mkdtemp(prefix="nightleaf-upload-"))


def safe_name(filename: str | None) -> str:
    """The base name of an uploaded file, reduced to harmless characters (suffix kept: the
    importers tell a zip from a single file by content, but a name helps a person)."""
    base = os.path.basename((filename or "").replace("\\", "/")) or "upload"
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)[-100:].lstrip(".") or "upload"


async def save_body(request: Request, folder: Path, filename: str | None, *,
                    limit: int | None = None, what: str = "wearable export") -> Upload:
    """Write the request body to ``folder/<safe name>`` as it arrives, up to ``limit`` bytes
    (default: the wearable-upload limit)."""
    limit = limits().upload if limit is None else limit
    check_length(request, limit, what)
    path = folder / safe_name(filename)
    size = 0
    with path.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit, what)
            out.write(chunk)
    return Upload(path=path, filename=filename or path.name, size=size)


async def save_multipart(request: Request, folder: Path, *, limit: int | None = None,
                         what: str = "wearable export") -> MultipartForm:
    """Parse a ``multipart/form-data`` body as it arrives; file parts land in ``folder``. The
    body may be at most ``limit`` bytes (default: the wearable-upload limit) plus
    :data:`FORM_OVERHEAD`."""
    limit = limits().upload if limit is None else limit
    check_length(request, limit + FORM_OVERHEAD, what)
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or not params.get(b"boundary"):
        raise InputError("send the form as multipart/form-data (a file upload)")
    form = MultipartForm()
    opened: list[Any] = []

    def on_field(f: Any) -> None:
        name = (f.field_name or b"").decode("utf-8", "replace")
        value = (f.value or b"").decode("utf-8", "replace")
        if len(value) > MAX_FIELD:
            raise InputError(f"the form field {name!r} is too long", field=name)
        form.fields[name] = value

    def on_file(f: Any) -> None:
        opened.append(f)
        name = (f.field_name or b"").decode("utf-8", "replace")
        given = (f.file_name or b"").decode("utf-8", "replace")
        if f.in_memory:  # an empty part never reached the disk; the importers need a path
            f.flush_to_disk()
        form.files[name] = Upload(path=Path(os.fsdecode(f.actual_file_name)), filename=given,
                                  size=f.size)

    parser = FormParser("multipart/form-data", on_field, on_file,
                        boundary=params[b"boundary"],
                        config={"UPLOAD_DIR": str(folder), "UPLOAD_DELETE_TMP": False,
                                "UPLOAD_KEEP_EXTENSIONS": True, "MAX_MEMORY_FILE_SIZE": 0})
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit + FORM_OVERHEAD:
                raise _too_large(limit, what)
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise InputError(f"the upload was cut off or is not a valid form ({exc}); "
                         "try again") from None
    finally:
        for f in opened:
            f.close()
    return form


#: paths whose bodies are uploads: (path, which limit, what it is called in the message)
UPLOAD_PATHS = {"/import": ("upload", "wearable export"),
                "/api/imports": ("upload", "wearable export"),
                "/settings/import": ("restore", "journal backup")}
#: every other request body (forms, JSON): far more than any form or entry needs
OTHER_BODY = 2 * MB


class BodyLimit:
    """ASGI middleware: no request body may be larger than its limit. Uploads (see
    :data:`UPLOAD_PATHS`) get :func:`limits`; anything else :data:`OTHER_BODY`. A declared
    ``Content-Length`` over the limit, or a body that grows past it, makes the app's next read
    of the body raise HTTP 413 (as Starlette's ``HTTPException``) — inside the app, so its
    error handler answers 413 with one line (JSON under /api, a page elsewhere) — and nothing
    more is read."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind = UPLOAD_PATHS.get(scope.get("path", ""))
        if kind is None:
            limit, what = OTHER_BODY, "request body"
        else:
            lim = limits()
            limit = (lim.upload if kind[0] == "upload" else lim.restore) + FORM_OVERHEAD
            what = kind[1]
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
        over = declared.isdigit() and int(declared) > limit
        seen = 0

        def refuse() -> HTTPException:
            # an HTTPException, which FastAPI's body parsing passes through (it turns any other
            # error while reading a JSON or form body into 400 "error parsing the body")
            err = _too_large(limit - (FORM_OVERHEAD if kind else 0), what)
            return HTTPException(status_code=err.status_code, detail=err.message)

        async def limited() -> Any:
            nonlocal seen
            if over:
                raise refuse()
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise refuse()
            return message

        await self.app(scope, limited, send)

"""Uploads go to disk as they arrive, once, in the chunks the server receives: never whole into
memory, never spooled and then copied.

- :func:`save_body`: a raw request body (``application/octet-stream``, what the page's script
  and ``/api/imports`` send) written chunk by chunk from ``request.stream()``.
- :func:`save_multipart`: a ``multipart/form-data`` form (the no-JavaScript page) parsed
  incrementally by python-multipart's :class:`~python_multipart.FormParser`, told to put the file
  part straight into a named file in our folder (``MAX_MEMORY_FILE_SIZE=0``: at most the first
  chunk is held before the file is opened). Starlette's ``request.form()`` would spool to an
  anonymous temporary file instead, which the importers cannot open by path.

The caller owns ``folder`` and deletes it whatever happens.
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

from nightleaf.errors import InputError

#: small form fields (csrf, format) are capped: anything larger is not a field this form has
MAX_FIELD = 4096


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


async def save_body(request: Request, folder: Path, filename: str | None) -> Upload:
    """Write the request body to ``folder/<safe name>`` as it arrives."""
    path = folder / safe_name(filename)
    size = 0
    with path.open("wb") as out:
        async for chunk in request.stream():
            out.write(chunk)
            size += len(chunk)
    return Upload(path=path, filename=filename or path.name, size=size)


async def save_multipart(request: Request, folder: Path) -> MultipartForm:
    """Parse a ``multipart/form-data`` body as it arrives; file parts land in ``folder``."""
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
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise InputError(f"the upload was cut off or is not a valid form ({exc}); "
                         "try again") from None
    finally:
        for f in opened:
            f.close()
    return form

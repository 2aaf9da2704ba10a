"""Putting an exporter's bytes on disk, for the CLI (the web streams the same bytes).

Exporters and renderers in :mod:`nightleaf.io` return bytes and never write files themselves;
this is the one place a download becomes a file: written next to its target as ``.part`` and
renamed into place, so a partial file never replaces a good one.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from nightleaf.errors import InputError


def write_atomic(path: Path, data: bytes, *, field: str = "out") -> None:
    """Write ``data`` to ``path`` atomically; a clear :class:`InputError` when it cannot."""
    path = path.expanduser()
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name", field=field)
    if not path.parent.is_dir():
        raise InputError(f"the folder {path.parent} does not exist", field=field)
    if path.exists() and not path.is_file():  # a device or pipe, e.g. /dev/stdout: no rename
        try:
            with path.open("wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror}", field=field) from None
        return
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}", field=field) from None


def extract_zip(data: bytes, folder: Path, *, field: str = "out") -> list[str]:
    """Write each member of the zip archive ``data`` into ``folder`` (created if missing)."""
    import io

    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file; give a folder to write into", field=field)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {folder}: {exc.strerror}", field=field) from None
    names = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name = Path(info.filename).name  # flat archives only: no folders, no ".."
            write_atomic(folder / name, zf.read(info), field=field)
            names.append(name)
    return names

"""Settings from the environment: NIGHTLEAF_DATABASE_URL, NIGHTLEAF_HOME, the web's upload
limits (NIGHTLEAF_MAX_UPLOAD_MB, NIGHTLEAF_MAX_RESTORE_MB) and, in server mode, a streaming read
replica for reports (NIGHTLEAF_READ_DATABASE_URL).

Read with ``os.environ`` rather than pydantic-settings: two variables do not justify the
0.1-0.3 s that pydantic-settings adds to the start of every command (bench/cli_start.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nightleaf.errors import ConfigError

DEFAULT_PORT = 8765

#: virtual file systems of the kernel: they never hold a journal
_VIRTUAL = (Path("/proc"), Path("/sys"), Path("/dev"))


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    home: Path | None = None
    #: the largest wearable export the web accepts (MB; NIGHTLEAF_MAX_UPLOAD_MB): the importers
    #: read up to 4 GiB in bounded memory
    max_upload_mb: int = 4096
    #: the largest journal JSON backup the web restores (MB; NIGHTLEAF_MAX_RESTORE_MB): it is
    #: read as a stream, so memory does not grow with it; the limit bounds disk and time
    max_restore_mb: int = 64

    @classmethod
    def from_env(cls) -> Settings:
        home = os.environ.get("NIGHTLEAF_HOME") or None
        return cls(database_url=os.environ.get("NIGHTLEAF_DATABASE_URL") or None,
                   home=Path(home).expanduser() if home else None,
                   max_upload_mb=_megabytes("NIGHTLEAF_MAX_UPLOAD_MB", cls.max_upload_mb, 65536),
                   max_restore_mb=_megabytes("NIGHTLEAF_MAX_RESTORE_MB", cls.max_restore_mb,
                                             4096))

    @property
    def data_dir(self) -> Path:
        if self.home is not None:
            return self.home
        from platformdirs import user_data_dir

        return Path(user_data_dir("nightleaf", False))

    def resolved_database_url(self, override: str | None = None) -> str:
        if override:
            return override
        if self.database_url:
            return self.database_url
        folder = usable_folder(self.data_dir, "NIGHTLEAF_HOME" if self.home else None)
        return f"sqlite:///{folder / 'journal.db'}"


def _megabytes(variable: str, default: int, most: int) -> int:
    """A size in MB from ``variable`` (1..``most``), ``default`` when unset; else a ConfigError."""
    raw = (os.environ.get(variable) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= most:
        raise ConfigError(f"{variable}={raw!r} is not a size in MB between 1 and {most}: set a "
                          "whole number, or unset it for the default")
    return int(raw)


def usable_folder(folder: Path, variable: str | None = None) -> Path:
    """``folder``, created if needed, or a ConfigError in one line that names it.

    A file in the way, a folder this user cannot write, or a kernel file system (/proc, /sys)
    would otherwise surface as FileExistsError or PermissionError from deep inside SQLite.
    """
    named = f"{variable}={folder}" if variable else f"the data folder {folder}"
    fix = f"point {variable} at a folder you can write" if variable else \
        "set NIGHTLEAF_HOME to a folder you can write"
    resolved = folder.absolute()
    if any(resolved == v or v in resolved.parents for v in _VIRTUAL):
        raise ConfigError(f"{named} is inside {resolved.parts[1] and '/' + resolved.parts[1]}, "
                          f"a virtual file system that cannot hold a journal: {fix}")
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{named} is a file, not a folder: {fix}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create {named} ({exc.strerror or type(exc).__name__}): "
                          f"{fix}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"cannot write to {named} (permission denied): {fix}")
    return folder


def database_url(override: str | None = None) -> str:
    return Settings.from_env().resolved_database_url(override)


def read_database_url(override: str | None = None) -> str | None:
    """Server mode's read replica for reports (``serve --read-db``, else
    NIGHTLEAF_READ_DATABASE_URL), or ``None``: reports read the primary."""
    return override or os.environ.get("NIGHTLEAF_READ_DATABASE_URL") or None

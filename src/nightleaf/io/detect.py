"""Which wearable format is this path? And one entry point that reads any of them.

Detection looks only at names (inside a folder or zip) and the first 64 KB of a file.

>>> sorted(FORMATS)
['apple_health', 'fitbit', 'oura', 'sleep_as_android']
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from nightleaf.errors import FormatError
from nightleaf.io._common import ImportProgress, ProgressFn, check_episode
from nightleaf.io.apple_health import read_apple_health
from nightleaf.io.fitbit import read_fitbit
from nightleaf.io.oura import read_oura
from nightleaf.io.sleep_as_android import read_sleep_as_android
from nightleaf.model import SleepEpisode

__all__ = ["FORMATS", "ImportProgress", "ProgressFn", "detect_format", "read_episodes"]

Reader = Callable[..., Iterator[SleepEpisode]]
FORMATS: dict[str, Reader] = {
    "apple_health": read_apple_health,
    "fitbit": read_fitbit,
    "oura": read_oura,
    "sleep_as_android": read_sleep_as_android,
}
HEAD = 64 << 10
_HINT = ("name the format: nightleaf import apple-health|fitbit|oura|sleep-as-android PATH")


def _from_names(names: list[str]) -> str | None:
    base = [n.rsplit("/", 1)[-1] for n in names]
    if "export.xml" in base:
        return "apple_health"
    if "sleep-export.csv" in base:
        return "sleep_as_android"
    if any(b.startswith("sleep-") and b.endswith(".json") for b in base):
        return "fitbit"
    return None


def _from_head(head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "apple_health" if b"<HealthData" in head or b"HealthKit" in head else None
    if text.startswith(b"Id,Tz,From,To"):
        return "sleep_as_android"
    if text[:1] in (b"{", b"["):
        if re.search(rb'"logId"\s*:', head):
            return "fitbit"
        if re.search(rb'"bedtime_start"\s*:', head):
            return "oura"
        if re.search(rb'"sleep"\s*:\s*\[\s*\]', head):  # Fitbit API days with no sleep
            return "fitbit"
    return None


def detect_format(path: str | Path) -> str:
    """Return one of :data:`FORMATS` for ``path`` or raise :class:`FormatError`."""
    p = Path(path)
    fmt: str | None
    if p.is_dir():
        fmt = _from_names([str(f.relative_to(p)) for f in p.rglob("*") if f.is_file()])
    else:
        try:
            with open(p, "rb") as fh:
                head = fh.read(HEAD)
        except OSError as exc:
            raise FormatError(f"{p}: cannot read the file ({exc.strerror})") from None
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(p) as zf:
                    fmt = _from_names(zf.namelist())
            except zipfile.BadZipFile:
                raise FormatError(f"{p}: a damaged zip archive; download the export again"
                                  ) from None
        else:
            fmt = _from_head(head)
    if fmt is None:
        raise FormatError(f"{p}: not a sleep export nightleaf recognises (Apple Health, "
                          f"Fitbit, Oura, Sleep as Android); {_HINT}")
    return fmt


def read_episodes(path: str | Path, *, tz: str, fmt: str | None = None,
                  on_progress: ProgressFn | None = None, now: datetime | None = None,
                  **options: Any) -> Iterator[SleepEpisode]:
    """Read ``path`` as ``fmt`` (autodetected when None). ``options`` go to the reader
    (``prefer``/``all_sources`` for Apple Health). Every episode is checked for record-level
    absurdities (:func:`nightleaf.io._common.check_episode`, with ``now``) as it comes."""
    name = fmt.replace("-", "_") if fmt else detect_format(path)
    if name not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}: use one of "
                          + ", ".join(f.replace("_", "-") for f in FORMATS))
    return _checked(FORMATS[name](path, tz=tz, on_progress=on_progress, **options), path, now)


def _checked(episodes: Iterator[SleepEpisode], path: str | Path,
             now: datetime | None) -> Iterator[SleepEpisode]:
    for ep in episodes:
        check_episode(ep, path, now=now)
        yield ep

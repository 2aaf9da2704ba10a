"""Import nights from wearables: Apple Health, Fitbit, Oura, Sleep as Android.

The file is read fully first (streaming, flat memory) and checked; only then are its episodes
written, in one transaction, keyed by (source, external id). So a bad file writes nothing, an
import killed halfway leaves the journal as it was, importing the same file twice adds nothing,
and a later export adds only its new nights (and updates nights that changed) -- but never
replaces a night with less (an older export's cut-off part of it).

Every failure is one clear :class:`FormatError`: a record no night can produce (named), a file
that cannot be read, and a file too large or too strange to read within bounded memory
(``MemoryError``/``OverflowError`` included). Two imports at once run one after the other.
After the profile's zone changed, re-importing replaces the nights stored under the old zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from nightleaf.errors import FormatError, InputError
from nightleaf.io.detect import FORMATS, ProgressFn, detect_format, read_episodes
from nightleaf.services.context import Context

#: the names people type (``apple-health``) and the readers' names (``apple_health``)
FORMAT_NAMES = {name.replace("_", "-"): name for name in FORMATS}


@dataclass
class WearableImport:
    path: str
    format: str
    episodes: int
    nights: int
    added: int
    updated: int
    skipped: int
    first_night: date | None
    last_night: date | None


def format_name(text: str | None) -> str | None:
    """``apple-health`` → ``apple_health``; None stays None (autodetect)."""
    if text is None:
        return None
    key = text.strip().lower().replace("_", "-")
    if key not in FORMAT_NAMES:
        raise InputError(f"unknown format {text!r}: use one of {', '.join(FORMAT_NAMES)}")
    return FORMAT_NAMES[key]


def import_wearable(ctx: Context, path: Path, *, fmt: str | None = None,
                    on_progress: ProgressFn | None = None, prefer: Sequence[str] = (),
                    all_sources: bool = False) -> WearableImport:
    """Read ``path`` (format ``fmt``, or detected) into the journal's sleep episodes, naming
    nights in the profile's zone. ``prefer`` and ``all_sources`` choose Apple Health's source
    per night (default: the source with stage data)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or folder")
    name = format_name(fmt) or detect_format(p)
    options: dict[str, object] = {}
    if name == "apple_health":
        options = {"prefer": tuple(prefer), "all_sources": all_sources}
    elif prefer or all_sources:
        raise InputError("preferring sources and keeping all sources apply to Apple Health "
                         "exports only", field="prefer", code="apple_only")
    tz = ctx.profile().tz
    try:
        episodes = [replace(ep, person_id=ctx.person_id)
                    for ep in read_episodes(p, tz=tz, fmt=name, on_progress=on_progress,
                                            now=ctx.now(), **options)]
    except MemoryError:
        raise FormatError(f"{p}: too large to read in the memory available; nothing was "
                          "imported (split the export, or import one year's files)") from None
    except OverflowError as exc:
        raise FormatError(f"{p}: a number or date out of range ({exc}); the export is "
                          "damaged — nothing was imported") from None
    except OSError as exc:
        raise FormatError(f"{p}: cannot read the file ({exc.strerror or exc}); nothing was "
                          "imported") from None
    with ctx.tx() as repo:
        repo.lock_episodes()
        sources = {ep.source for ep in episodes}
        for source in sources:
            repo.drop_episodes_named_in_another_zone(
                source, tz, [ep for ep in episodes if ep.source == source])
        added, updated, skipped = repo.upsert_episodes(episodes)
    nights = sorted({ep.night for ep in episodes})
    return WearableImport(
        path=str(p), format=name, episodes=len(episodes), nights=len(nights), added=added,
        updated=updated, skipped=skipped, first_night=nights[0] if nights else None,
        last_night=nights[-1] if nights else None)

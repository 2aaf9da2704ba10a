"""Whole-journal export and import (JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nightleaf.errors import Conflict
from nightleaf.io import journal_json
from nightleaf.model import clock
from nightleaf.model.entities import JOURNAL_LISTS, Journal
from nightleaf.services.context import Context
from nightleaf.services.download import Download


@dataclass
class ImportResult:
    counts: dict[str, int]
    replaced: bool


def load_journal(ctx: Context) -> Journal:
    with ctx.tx() as repo:
        return repo.load_journal()


def export_json(ctx: Context) -> tuple[Download, dict[str, int]]:
    """The whole journal as the nightleaf-journal JSON file (bytes), and its record counts."""
    j = load_journal(ctx)
    day = clock.local_datetime(ctx.now(), ctx.profile().tz)
    return (Download(journal_json.journal_bytes(j),
                     f"nightleaf-journal-{day:%Y-%m-%d}.json", "application/json"),
            counts(j))


def counts(j: Journal) -> dict[str, int]:
    return {key: len(getattr(j, key)) for key in JOURNAL_LISTS}


def import_json(ctx: Context, path: Path, *, replace: bool = False) -> ImportResult:
    """Read ``path`` fully and check it, then write it in one transaction.

    Into an empty journal it always goes; over a non-empty one only with ``replace`` (which
    wipes the journal first, in the same transaction, so a failure leaves it untouched).
    """
    j = journal_json.read_journal(path)
    with ctx.tx() as repo:
        if not repo.is_empty():
            if not replace:
                raise Conflict("the journal already has entries; import into an empty journal, or "
                               "choose to replace everything (export a backup first)")
            repo.wipe()
        repo.save_journal(j)
    return ImportResult(counts(j), replace)

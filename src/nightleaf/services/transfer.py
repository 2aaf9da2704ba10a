"""Whole-journal export and import (JSON)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


#: records written per statement by a restore (memory stays bounded by one batch)
BATCH = 500


def import_json(ctx: Context, path: Path, *, replace: bool = False) -> ImportResult:
    """Restore the journal file ``path`` in one transaction, streamed.

    Into an empty journal it always goes; over a non-empty one only with ``replace`` (which
    wipes the journal first, in the same transaction). The file is read one record at a time
    (:func:`nightleaf.io.journal_json.open_journal`) and written in batches of :data:`BATCH`, so
    memory does not grow with the file; every record is checked as it comes, and the first
    problem undoes the whole transaction: bad input writes nothing.
    """
    n = dict.fromkeys(JOURNAL_LISTS, 0)
    records = journal_json.open_journal(path)
    # the first record before the transaction: a file that is no journal at all (not JSON,
    # another format or version) is refused as such, whatever the journal holds
    head = list(itertools.islice(records, 1))
    try:
        with ctx.tx() as repo:
            if not repo.is_empty():
                if not replace:
                    raise Conflict("the journal already has entries; import into an empty "
                                   "journal, or choose to replace everything (export a backup "
                                   "first)")
                repo.wipe()
            key, batch = "", list[Any]()
            for k, obj in itertools.chain(head, records):
                if k == "profile":
                    if obj is not None:
                        repo.save_profile(obj)
                    continue
                if k != key or len(batch) >= BATCH:
                    repo.save_part(key, batch)
                    key, batch = k, []
                batch.append(obj)
                n[k] += 1
            repo.save_part(key, batch)
            repo.reset_sequences()
    finally:
        records.close()
    return ImportResult(n, replace)

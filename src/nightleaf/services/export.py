"""Exports for other systems: FHIR R4 (a clinician's record system) and CSV (a spreadsheet).

Both load the whole journal, compute nightly metrics with the shared calculators
(:mod:`nightleaf.sleep`, :mod:`nightleaf.pain`, :mod:`nightleaf.stats`) and hand the results to
a renderer in :mod:`nightleaf.io`, which returns bytes. Nothing here does arithmetic of its own,
and nothing here writes a file: the shells save or stream the :class:`Download`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nightleaf import __version__
from nightleaf.errors import NotFound
from nightleaf.io import csv_export, fhir
from nightleaf.model.entities import Journal
from nightleaf.pain.peg import peg_score
from nightleaf.services.context import Context, default_profile
from nightleaf.services.download import Download
from nightleaf.services.transfer import load_journal
from nightleaf.sleep.diary import NightMetrics, diary_metrics
from nightleaf.stats.window import WindowSummary, summarise_window


@dataclass(frozen=True)
class ExportResult:
    download: Download
    counts: dict[str, int]


def _nonempty(ctx: Context) -> Journal:
    j = load_journal(ctx)
    if not (j.intakes or j.sleep or j.pain or j.episodes or j.symptoms or j.substances
            or j.medicines or j.conditions or j.products):
        raise NotFound("the journal is empty, so there is nothing to export yet; log a night "
                       "first (nightleaf log ...)")
    return j


def nightly_metrics(j: Journal) -> dict[date, NightMetrics]:
    """Diary metrics for every diary night (the last entry of a night wins)."""
    return {s.night: diary_metrics(s) for s in j.sleep}


def peg_scores(j: Journal) -> dict[int, float]:
    out: dict[int, float] = {}
    for p in j.pain:
        score = peg_score(p.peg_pain, p.peg_enjoyment, p.peg_activity)
        if score is not None and p.id is not None:
            out[p.id] = score
    return out


def journal_nights(j: Journal) -> tuple[date, date] | None:
    nights: list[date] = [x.night for x in j.intakes] + [x.night for x in j.sleep]
    nights += [x.night for x in j.pain] + [x.night for x in j.episodes]
    nights += [x.night for x in j.symptoms] + [x.night for x in j.substances]
    return (min(nights), max(nights)) if nights else None


def whole_window(j: Journal) -> WindowSummary | None:
    span = journal_nights(j)
    if span is None:
        return None
    return summarise_window(first_night=span[0], last_night=span[1],
                            profile=j.profile or default_profile(), entries=j.sleep,
                            episodes=j.episodes, intakes=j.intakes, pain=j.pain,
                            products=j.products)


def export_fhir(ctx: Context, *, include_name: bool = False) -> ExportResult:
    """The journal as a FHIR R4 collection Bundle (JSON bytes, validated)."""
    j = _nonempty(ctx)
    bundle = fhir.build_bundle(j, nightly=nightly_metrics(j), peg=peg_scores(j),
                               include_name=include_name, person_id=ctx.person_id)
    content = fhir.bundle_bytes(bundle)
    name = f"nightleaf-fhir-{ctx.now():%Y-%m-%d}.json"
    return ExportResult(Download(content, name, "application/fhir+json"),
                        fhir.resource_counts(bundle))


def export_csv(ctx: Context) -> ExportResult:
    """One CSV per kind of entry, ``nightly_metrics.csv`` and ``README.txt``, as a zip archive."""
    j = _nonempty(ctx)
    window = whole_window(j)
    rows = window.nights if window is not None else ()
    tz = (j.profile or default_profile()).tz
    header = (f"nightleaf {__version__} — spreadsheet export of a self-kept journal.\n"
              f"Exported {ctx.now():%Y-%m-%d %H:%M} UTC. Time zone in the profile: {tz}.\n"
              "Values are as the person entered them; nightleaf gives no dosing advice.")
    z = csv_export.csv_zip(j, rows, header=header)
    return ExportResult(Download(z.content, f"nightleaf-csv-{ctx.now():%Y-%m-%d}.zip",
                                 "application/zip"), z.counts)

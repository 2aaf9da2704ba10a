"""The journal as spreadsheets: one CSV per kind of entry, a nightly metrics table, a README.

Every column is declared once in :data:`TABLES` (name, unit, meaning); the CSV header and the
README are both written from that declaration, so they cannot disagree. Instants appear twice:
``*_local`` (ISO 8601 with the person's UTC offset that night, e.g. ``2026-11-23T22:05:00-05:00``)
and ``*_utc`` (ISO 8601 with ``Z``). Unknown values are empty cells, never 0.

The nightly metrics table takes rows computed by :mod:`nightleaf.stats.window` (the same numbers
as the report); this module only formats them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nightleaf.model import clock
from nightleaf.model.entities import Journal


@dataclass(frozen=True)
class Column:
    name: str
    unit: str  # "" when the value has no unit
    meaning: str
    get: Callable[[Any], Any]


@dataclass(frozen=True)
class Table:
    file: str
    title: str
    columns: tuple[Column, ...]


def _local(instant: datetime | None, tz: str) -> str | None:
    if instant is None:
        return None
    return clock.local_datetime(instant, tz).replace(microsecond=0).isoformat()


def _utc(instant: datetime | None) -> str | None:
    if instant is None:
        return None
    return instant.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _instant(prefix: str, attr: str, meaning: str) -> tuple[Column, Column]:
    return (
        Column(f"{prefix}_local", "ISO 8601, local offset", f"{meaning} (local time)",
               lambda r: _local(getattr(r, attr), r.tz)),
        Column(f"{prefix}_utc", "ISO 8601, UTC", f"{meaning} (UTC)",
               lambda r: _utc(getattr(r, attr))),
    )


def _c(name: str, unit: str, meaning: str, attr: str | None = None) -> Column:
    key = attr or name
    return Column(name, unit, meaning, lambda r: getattr(r, key))


ID = _c("id", "", "record number in this journal")
NIGHT = _c("night", "date", "the night: local evening date on which that sleep period begins")
TZ = _c("tz", "IANA zone", "the person's time zone for this record")

TABLES: tuple[Table, ...] = (
    Table("intakes.csv", "Kratom intakes, one row per intake", (
        ID, NIGHT, *_instant("at", "at", "when it was taken"), TZ,
        Column("amount", "", "amount as entered", lambda r: r.amount.value),
        Column("unit", "g | mg | capsule | ml", "unit as entered", lambda r: r.amount.unit),
        Column("capsule_mg", "mg", "material per capsule (capsules only)",
               lambda r: r.amount.capsule_mg),
        Column("tea_grams", "g", "leaf steeped for tea (ml entries only)",
               lambda r: r.amount.tea_grams),
        Column("grams", "g", "plant material, when it can be known from the entry",
               lambda r: r.amount.grams),
        _c("mitragynine_mg", "mg", "estimate from the batch's lab result; empty without one"),
        _c("product_id", "", "products.csv id"), _c("batch_id", "", "batches.csv id"),
        _c("note", "", "free text"),
    )),
    Table("substances.csv", "Other substances the same evening", (
        ID, NIGHT, *_instant("at", "at", "when"), TZ,
        _c("kind", "", "alcohol | caffeine | cannabis | medicine | other"),
        _c("name", "", "name, if given"),
        _c("amount", "see unit", "amount as entered"),
        _c("unit", "", "drinks for alcohol (standard drinks), mg for caffeine, else free text"),
        _c("note", "", "free text"),
    )),
    Table("sleep_diary.csv", "Sleep diary (Consensus Sleep Diary items), one row per night", (
        ID, NIGHT, TZ,
        *_instant("into_bed", "into_bed", "got into bed (item 1)"),
        *_instant("tried_to_sleep", "tried_to_sleep", "tried to go to sleep (item 2)"),
        _c("sol_minutes", "min", "time to fall asleep, as reported (item 3)"),
        _c("awakenings", "count", "awakenings, not counting the final one (item 4)"),
        _c("waso_minutes", "min", "total length of those awakenings (item 5)"),
        *_instant("final_awakening", "final_awakening", "final awakening (item 6)"),
        *_instant("out_of_bed", "out_of_bed", "got out of bed (item 7)"),
        _c("quality", "1-5", "sleep quality: 1 very poor .. 5 very good (item 8)"),
        _c("woke_early_minutes", "min", "woke this much earlier than planned"),
        _c("rested", "1-5", "how rested: 1 not at all .. 5 very"),
        _c("nap_count", "count", "naps or dozes"), _c("nap_minutes", "min", "total nap time"),
        _c("note", "", "comments (item 9)"),
    )),
    Table("sleep_episodes.csv", "Sleep periods recorded by a device or app", (
        ID, NIGHT, TZ, _c("source", "", "apple_health | fitbit | oura | sleep_as_android ..."),
        _c("external_id", "", "the source's own key"), _c("device", "", "device or app"),
        *_instant("start", "start", "start of the recorded period"),
        *_instant("end", "end", "end of the recorded period"),
        _c("tst_minutes", "min", "total sleep time as the device reports it"),
        _c("sol_minutes", "min", "sleep onset latency as reported"),
        _c("waso_minutes", "min", "wake after sleep onset as reported"),
        _c("awakenings", "count", "awakenings as reported"),
        _c("deep_minutes", "min", "deep sleep as the file states it (Oura); empty when not stated"),
        _c("light_minutes", "min", "light sleep as the file states it (Oura); empty when not stated"),
        _c("rem_minutes", "min", "REM sleep as the file states it (Oura); empty when not stated"),
        _c("awake_minutes", "min", "all awake time in bed as the file states it (Oura); empty "
           "when not stated"),
        _c("is_nap", "true/false", "a nap rather than the night's main sleep"),
    )),
    Table("pain.csv", "Pain ratings", (
        ID, NIGHT, *_instant("at", "at", "when rated"), TZ,
        _c("context", "", "evening (before bed) | morning (after waking) | other"),
        _c("nrs", "0-10", "pain now: 0 no pain .. 10 worst imaginable (NRS, LOINC 72514-3)"),
        _c("peg_pain", "0-10", "PEG item 1: average pain, past week"),
        _c("peg_enjoyment", "0-10", "PEG item 2: interference with enjoyment of life"),
        _c("peg_activity", "0-10", "PEG item 3: interference with general activity"),
        _c("note", "", "free text"),
    )),
    Table("symptoms.csv", "Side effects and withdrawal signs", (
        ID, NIGHT, *_instant("at", "at", "when noticed"), TZ,
        _c("kind", "", "side_effect | withdrawal"), _c("name", "", "symptom"),
        _c("severity", "0-4", "0 none, 1 mild, 2 moderate, 3 severe, 4 very severe"),
        _c("note", "", "free text"),
    )),
    Table("notes.csv", "Free-text notes", (
        ID, NIGHT, *_instant("at", "at", "when written"), TZ, _c("text", "", "the note"),
    )),
    Table("medicines.csv", "Medicines the person listed", (
        ID, _c("name", "", "medicine"), _c("dose_text", "", "dose as the person wrote it"),
        _c("regimen", "", "regular | as_needed"), _c("note", "", "free text"),
    )),
    Table("conditions.csv", "Conditions the person listed", (
        ID, _c("name", "", "condition"), _c("note", "", "free text"),
    )),
    Table("products.csv", "Kratom products", (
        ID, _c("name", "", "product name"), _c("vendor", "", "vendor"),
        _c("label", "", "name on the label"), _c("vein", "", "vein colour on the label"),
        _c("form", "", "leaf | powder | capsule | tea | extract | tablet | other"),
        _c("capsule_mg", "mg", "material per capsule"), _c("note", "", "free text"),
    )),
    Table("batches.csv", "Batches (lots) with lab results when the person has them", (
        ID, _c("product_id", "", "products.csv id"), _c("lot", "", "lot number"),
        _c("purchased_on", "date", "purchase date"),
        _c("mitragynine_pct", "% dry weight", "mitragynine, from the lab result"),
        _c("seven_oh_pct", "% dry weight", "7-hydroxymitragynine, from the lab result"),
        _c("lab", "", "laboratory"), _c("test_date", "date", "date of the lab test"),
        _c("heavy_metals", "", "pass | fail | unknown"), _c("microbial", "", "pass | fail | unknown"),
        _c("pesticides", "", "pass | fail | unknown"), _c("note", "", "free text"),
    )),
    Table("experiments.csv", "Self-experiments: the plan, fixed before the first night", (
        ID, _c("name", "", "the experiment's name"),
        _c("compare", "", "timing | amount | product | none"),
        _c("arm_a", "", "arm A: lead minutes, own grams, a product name, or none"),
        _c("arm_b", "", "arm B, in the same terms"),
        _c("period", "nights", "nights per period"), _c("pairs", "count", "pairs of periods"),
        _c("washout", "nights", "wash-out nights at the start of each period"),
        _c("outcome", "", "primary outcome: tst | sol | waso | se | pain"),
        _c("mid", "outcome unit", "minimal important difference chosen before the start"),
        _c("analysis", "", "planned analysis"), _c("seed", "", "seed of the random order"),
        _c("start", "date", "first night"), _c("end", "date", "last planned night"), TZ,
        _c("status", "", "planned | stopped"),
        _c("stopped_reason", "", "why it was stopped early"),
        *_instant("stopped_at", "stopped_at", "when it was stopped"),
        *_instant("created_at", "created_at", "when it was set up"),
        _c("source", "", "where the sleep outcomes come from: diary or a wearable source"),
        _c("mid_usual", "0-10", "usual morning pain a 30% pain MID was taken from (else empty)"),
    )),
    Table("experiment_nights.csv", "The schedule of each self-experiment, one row per night", (
        _c("experiment_id", "", "experiments.csv id"), NIGHT,
        _c("arm", "", "A | B"), _c("washout", "true/false", "a wash-out night (not analysed)"),
    )),
)

#: the nightly metrics table; each getter reads a ``nightleaf.stats.window.NightRow``
NIGHTLY = Table("nightly_metrics.csv", "One row per night of the exported range: intake, diary "
                "metrics and pain, computed as in the report", (
    _c("night", "date", "the night (local evening date)"),
    Column("work_night", "true/false", "the next day is a work day in the profile",
           lambda r: r.work_night),
    Column("used", "true/false", "any kratom intake logged that night", lambda r: r.used),
    Column("intakes", "count", "intakes that night", lambda r: r.intake.count if r.intake else 0),
    Column("grams", "g", "total plant material; empty if any intake's material is unknown",
           lambda r: r.intake.total_grams if r.intake else None),
    Column("mitragynine_mg", "mg", "total estimate; empty unless every intake has one",
           lambda r: r.intake.mitragynine_mg if r.intake else None),
    Column("minutes_last_intake_to_sleep", "min",
           "from the last intake to trying to sleep (diary item 2); negative if after",
           lambda r: r.intake.minutes_last_intake_to_sleep if r.intake else None),
    *(Column(key, unit, meaning, (lambda k: lambda r: getattr(r.diary, k) if r.diary else None)(key))
      for key, unit, meaning in (
        ("tib_minutes", "min", "time in bed: out of bed - into bed"),
        ("sol_minutes", "min", "sleep onset latency (diary item 3)"),
        ("nwak", "count", "awakenings (diary item 4)"),
        ("waso_minutes", "min", "wake after sleep onset (diary item 5)"),
        ("twak_minutes", "min", "terminal wakefulness: out of bed - final awakening"),
        ("tst_minutes", "min", "total sleep time: (final awakening - tried to sleep) - SOL - WASO"),
        ("se_percent", "%", "sleep efficiency: 100 x TST / TIB"),
        ("quality", "1-5", "sleep quality (diary item 8)"),
    )),
    *(Column(key, unit, meaning, (lambda k: lambda r: getattr(r.pain, k) if r.pain else None)(key))
      for key, unit, meaning in (
        ("evening_nrs", "0-10", "last evening pain rating of the night"),
        ("morning_nrs", "0-10", "last morning pain rating after the night"),
        ("overnight_change", "points", "morning - evening (negative: less pain in the morning)"),
        ("peg", "0-10", "PEG mean score, when all three items were rated"),
    )),
))

_ATTR = {"intakes.csv": "intakes", "substances.csv": "substances", "sleep_diary.csv": "sleep",
         "sleep_episodes.csv": "episodes", "pain.csv": "pain", "symptoms.csv": "symptoms",
         "notes.csv": "notes", "medicines.csv": "medicines", "conditions.csv": "conditions",
         "products.csv": "products", "batches.csv": "batches",
         "experiments.csv": "experiments", "experiment_nights.csv": "experiment_nights"}


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{round(v, 3):g}" if abs(v) < 1e15 else repr(v)
    if hasattr(v, "isoformat"):
        return str(v.isoformat())
    return str(v)


def table_csv(table: Table, rows: Iterable[Any]) -> tuple[bytes, int]:
    """One table as UTF-8 CSV bytes, and its number of rows."""
    n = 0
    fh = io.StringIO(newline="")
    w = csv.writer(fh)
    w.writerow([c.name for c in table.columns])
    for r in rows:
        w.writerow([_cell(c.get(r)) for c in table.columns])
        n += 1
    return fh.getvalue().encode("utf-8"), n


def readme(tables: Sequence[Table], counts: Mapping[str, int], header: str) -> str:
    lines = [header, "",
             "Times: *_local columns are ISO 8601 with the UTC offset in force at that moment in",
             "the person's zone (tz column); *_utc columns are the same instant in UTC.",
             "Empty cell = unknown or not recorded (never zero). Files are UTF-8, comma-separated.",
             "A 'night' is named by the local evening date on which that sleep period begins.", ""]
    for t in tables:
        lines.append(f"{t.file} — {t.title} ({counts.get(t.file, 0)} rows)")
        width = max(len(c.name) for c in t.columns)
        for c in t.columns:
            unit = f" [{c.unit}]" if c.unit else ""
            lines.append(f"  {c.name.ljust(width)}  {c.meaning}{unit}")
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class CsvExport:
    """The spreadsheet export: a zip archive of every table and README.txt, in memory."""

    content: bytes  # a zip archive (flat: one CSV per table, then README.txt)
    counts: dict[str, int]  # file name -> rows


def csv_zip(j: Journal, nightly_rows: Sequence[Any], *, header: str,
            stamp: datetime | None = None) -> CsvExport:
    """Every table and README.txt as one zip archive (bytes); nothing is written to disk.

    ``stamp`` dates the archive's members (default 1980-01-01, so equal journals give equal
    bytes)."""
    counts: dict[str, int] = {}
    files: list[tuple[str, bytes]] = []
    for t, rows in (*((t, getattr(j, _ATTR[t.file])) for t in TABLES), (NIGHTLY, nightly_rows)):
        data, counts[t.file] = table_csv(t, rows)
        files.append((t.file, data))
    files.append(("README.txt",
                  (readme((*TABLES, NIGHTLY), counts, header) + "\n").encode("utf-8")))
    when = (stamp.timetuple()[:6] if stamp is not None else (1980, 1, 1, 0, 0, 0))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            zf.writestr(zipfile.ZipInfo(name, date_time=when), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    return CsvExport(buf.getvalue(), counts)

"""CSV export: one file per kind of entry, a nightly table, a README naming every column."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from nightleaf.errors import NotFound
from nightleaf.io import csv_export
from nightleaf.services import Context
from nightleaf.services import export as svc
from nightleaf.simulate import simulate_journal
from nightleaf.sleep.diary import diary_metrics


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def exported(ctx: Context, tmp_path: Path) -> Path:
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(21, seed=8))
    out = tmp_path / "csv"
    r = svc.export_csv(ctx)
    with zipfile.ZipFile(io.BytesIO(r.download.content)) as zf:
        zf.extractall(out)
    return out


def test_every_table_has_its_declared_columns_and_the_readme_names_them(exported: Path) -> None:
    readme = (exported / "README.txt").read_text()
    for table in (*csv_export.TABLES, csv_export.NIGHTLY):
        with (exported / table.file).open(newline="") as fh:
            header = next(csv.reader(fh))
        assert header == [c.name for c in table.columns], table.file
        assert table.file in readme
        for c in table.columns:
            assert f"  {c.name}" in readme, (table.file, c.name)
    assert "[min]" in readme and "[g]" in readme and "[0-10]" in readme


def test_times_are_local_with_offset_and_utc(exported: Path, ctx: Context) -> None:
    rows = _read(exported / "intakes.csv")
    j = svc.load_journal(ctx)
    assert len(rows) == len(j.intakes)
    first = rows[0]
    local = datetime.fromisoformat(first["at_local"])
    utc = datetime.fromisoformat(first["at_utc"].replace("Z", "+00:00"))
    assert local == utc == j.intakes[0].at
    assert first["at_local"].endswith(("-05:00", "-04:00"))  # America/New_York
    assert first["at_utc"].endswith("Z")


def test_nightly_metrics_match_the_shared_calculators(exported: Path, ctx: Context) -> None:
    rows = _read(exported / "nightly_metrics.csv")
    j = svc.load_journal(ctx)
    assert len(rows) == 21  # every night of the journal's span, with or without entries
    by_night = {r["night"]: r for r in rows}
    for s in j.sleep:
        m = diary_metrics(s)
        cell = by_night[s.night.isoformat()]["tst_minutes"]
        assert (float(cell) if cell else None) == (
            pytest.approx(m.tst_minutes, abs=1e-3) if m.tst_minutes is not None else None)
    used = {i.night.isoformat() for i in j.intakes}
    assert {r["night"] for r in rows if r["used"] == "true"} == used
    assert all(r["grams"] == "" for r in rows if r["used"] == "false")  # unknown, not zero


def test_an_empty_journal_says_there_is_nothing_to_export(ctx: Context) -> None:
    with pytest.raises(NotFound, match="journal is empty"):
        svc.export_csv(ctx)

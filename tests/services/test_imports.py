"""Wearable imports into the journal: idempotent, incremental, all-or-nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nightleaf.errors import FormatError, InputError
from nightleaf.services import Context
from nightleaf.services.imports import format_name, import_wearable
from tests.conftest import real_fixture


def _set_zone(ctx: Context, tz: str) -> None:
    with ctx.store.tx() as repo:
        p = ctx.profile()
        p.tz = tz
        repo.save_profile(p)


def _episodes(ctx: Context) -> int:
    with ctx.store.tx() as repo:
        return len(repo.episodes(with_stages=False))


def test_same_file_twice_adds_nothing(any_ctx: Context) -> None:
    _set_zone(any_ctx, "America/New_York")
    path = real_fixture("fitbit", "redSlug_webapi_v1.2_sleep_2019-11_2020-01.json")
    first = import_wearable(any_ctx, path)
    assert (first.format, first.added, first.updated, first.skipped) == ("fitbit", 59, 0, 0)
    again = import_wearable(any_ctx, path)
    assert (again.added, again.updated, again.skipped) == (0, 0, 59)
    assert _episodes(any_ctx) == 59
    with any_ctx.store.tx() as repo:
        ep = next(e for e in repo.episodes() if e.external_id == "24500516491")
    assert ep.tst_minutes == 459.0 and len(ep.stages) > 30


def test_a_later_export_adds_only_what_is_new(any_ctx: Context, tmp_path: Path) -> None:
    from bench.synth_apple_health import generate

    _set_zone(any_ctx, "Europe/Berlin")
    early = generate(tmp_path / "early.xml", size_bytes=150_000, nights=20, seed=11)
    later = generate(tmp_path / "later.xml", size_bytes=200_000, nights=26, seed=11)
    assert import_wearable(any_ctx, early).added == 20
    r = import_wearable(any_ctx, later, fmt="apple-health")
    assert (r.added, r.updated, r.skipped) == (6, 0, 20)
    assert _episodes(any_ctx) == 26


def test_a_bad_file_writes_nothing(any_ctx: Context, tmp_path: Path) -> None:
    folder = tmp_path / "fitbit"
    folder.mkdir()
    shutil.copy(real_fixture("fitbit", "MikePrs_webapi_v1.2_sleep_classic_2020-01-03.json"),
                folder / "sleep-2020-01-01.json")
    (folder / "sleep-2020-02-01.json").write_text('[{"logId": 1, "startTime": "2020-02')
    with pytest.raises(FormatError, match=r"sleep-2020-02-01\.json \(byte \d+\)"):
        import_wearable(any_ctx, folder)
    assert _episodes(any_ctx) == 0


def test_format_names_and_missing_paths(ctx: Context, tmp_path: Path) -> None:
    assert format_name("Sleep-As-Android") == "sleep_as_android"
    with pytest.raises(InputError, match="unknown format 'garmin'"):
        format_name("garmin")
    with pytest.raises(InputError, match="no such file"):
        import_wearable(ctx, tmp_path / "nope.zip")
    with pytest.raises(InputError, match="Apple Health exports only"):
        import_wearable(ctx, real_fixture("oura", "brendonchang_oura_api_v2_sleep_2024-07-09.json"),
                        all_sources=True)

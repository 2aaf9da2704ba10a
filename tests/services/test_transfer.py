"""Export -> wipe -> import reproduces the journal exactly, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nightleaf.errors import Conflict, FormatError
from nightleaf.services import Context
from nightleaf.services import transfer as svc
from nightleaf.services.inputs import ProductInput
from nightleaf.simulate import simulate_journal


def _seed(ctx: Context, nights: int = 45) -> None:
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(nights, seed=3))


def test_every_kind_of_entry_is_in_the_generated_journal() -> None:
    j = simulate_journal(45, seed=3)
    for key, n in svc.counts(j).items():
        if key != "episodes":
            assert n > 0, key


def test_export_wipe_import_reproduces_the_journal(any_ctx: Context, tmp_path: Path) -> None:
    from tests.support.io_helpers import sample_episodes

    _seed(any_ctx)
    with any_ctx.tx() as repo:
        repo.upsert_episodes(sample_episodes())
    before = svc.load_journal(any_ctx)
    assert before.episodes and before.episodes[0].stages
    out = tmp_path / "backup.json"
    download, _ = svc.export_json(any_ctx)
    out.write_bytes(download.content)
    with any_ctx.tx() as repo:
        repo.wipe()
        assert repo.is_empty()
    svc.import_json(any_ctx, out)
    after = svc.load_journal(any_ctx)
    for key in svc.counts(before):  # record by record, kind by kind
        assert getattr(after, key) == getattr(before, key), key
    assert after.profile == before.profile
    # and ids keep working after an import on PostgreSQL (sequences moved past them)
    from nightleaf.services import journal

    journal.add_product(any_ctx, ProductInput("After import"))


def test_import_over_a_non_empty_journal_needs_replace(ctx: Context, tmp_path: Path) -> None:
    _seed(ctx, 10)
    out = tmp_path / "j.json"
    out.write_bytes(svc.export_json(ctx)[0].content)
    with pytest.raises(Conflict, match="replace everything"):
        svc.import_json(ctx, out)
    assert svc.import_json(ctx, out, replace=True).replaced


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "not valid JSON"),
    ('{"format": "other"}', "not a nightleaf journal"),
    ('{"format": "nightleaf-journal", "version": 9}', "version 9"),
    ('{"format": "nightleaf-journal", "version": 1, "intakes": {}}', "intakes must be a list"),
    ('{"format": "nightleaf-journal", "version": 1, "products": [{"name": 3}]}',
     "products\\[0\\].name must be text"),
    ('{"format": "nightleaf-journal", "version": 1, "batches": [{"product_id": 9}]}',
     "refers to product 9"),
])
def test_malformed_import_files_are_refused_and_write_nothing(
        ctx: Context, tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(FormatError, match=message):
        svc.import_json(ctx, bad)
    with ctx.tx() as repo:
        assert repo.is_empty()


def test_a_valid_file_with_a_bad_record_late_writes_nothing(ctx: Context, tmp_path: Path) -> None:
    data = json.loads(json.dumps({"format": "nightleaf-journal", "version": 1}))
    j = simulate_journal(5, seed=1)
    from nightleaf.io.journal_json import journal_to_dict

    data = journal_to_dict(j)
    data["pain"][-1]["nrs"] = 11  # the database refuses it at the very end
    bad = tmp_path / "late.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(Exception):  # noqa: B017 - any refusal; the point is what remains
        svc.import_json(ctx, bad)
    with ctx.tx() as repo:
        assert repo.is_empty()


def _oura_episode():  # type: ignore[no-untyped-def]
    from datetime import UTC, date, datetime

    from nightleaf.model.entities import SleepEpisode, StageSegment

    t0 = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
    return SleepEpisode(source="oura", external_id="p1", start=t0, end=t0.replace(hour=23),
                        tz="UTC", night=date(2026, 11, 20), device="Oura", tst_minutes=50,
                        deep_minutes=12.25, light_minutes=30.5, rem_minutes=7.25,
                        awake_minutes=10.0,
                        stages=[StageSegment(t0, t0.replace(hour=23), "light")])


STAGE_KEYS = ("deep_minutes", "light_minutes", "rem_minutes", "awake_minutes")


def test_stage_minutes_round_trip_and_an_old_backup_restores_them_null(
        ctx: Context, tmp_path: Path) -> None:
    _seed(ctx, 5)
    with ctx.tx() as repo:
        repo.upsert_episodes([_oura_episode()])
    out = tmp_path / "backup.json"
    out.write_bytes(svc.export_json(ctx)[0].content)
    data = json.loads(out.read_text())
    assert {k: data["episodes"][0][k] for k in STAGE_KEYS} == {
        "deep_minutes": 12.25, "light_minutes": 30.5, "rem_minutes": 7.25, "awake_minutes": 10.0}
    before = svc.load_journal(ctx)
    svc.import_json(ctx, out, replace=True)
    assert svc.load_journal(ctx).episodes == before.episodes  # lossless
    for ep in data["episodes"]:  # a backup written before the columns existed
        for k in STAGE_KEYS:
            del ep[k]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    svc.import_json(ctx, old, replace=True)
    (got,) = svc.load_journal(ctx).episodes
    assert [getattr(got, k) for k in STAGE_KEYS] == [None] * 4
    assert got.tst_minutes == 50


def test_a_bad_record_after_many_written_batches_writes_nothing(
        ctx: Context, tmp_path: Path) -> None:
    """The restore writes in batches of svc.BATCH as it reads; a bad record far into the file
    still undoes everything (one transaction)."""
    from nightleaf.io.journal_json import journal_to_dict

    data = journal_to_dict(simulate_journal(5, seed=1))
    template = data["intakes"][0]
    top = max(i["id"] for i in data["intakes"])
    data["intakes"] += [dict(template, id=top + 1 + k) for k in range(3 * svc.BATCH)]
    data["notes"].append({"at": "2026-11-01T20:00:00+00:00", "tz": "UTC", "night": "2026-11-01",
                          "text": 5})
    bad = tmp_path / "late.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(FormatError, match=r"notes\[\d+\]\.text must be text"):
        svc.import_json(ctx, bad)
    with ctx.tx() as repo:
        assert repo.is_empty()
    # and the same file without the bad record restores every intake
    data["notes"].pop()
    bad.write_text(json.dumps(data))
    assert svc.import_json(ctx, bad).counts["intakes"] == len(data["intakes"])


@pytest.mark.parametrize(("content", "message"), [
    ('{"format": "nightleaf-journal", "version": 1, "intakes": [{"at": "2026-11-01T20:00:00Z", '
     '"tz": "UTC", "night": "2026-11-01", "amount": {"value": 2, "unit": "g"}, "product_id": 1}],'
     ' "products": [{"id": 1, "name": "Red"}]}', r"intakes\[0\] refers to product 1"),
    ('{"format": "nightleaf-journal", "version": 1, "experiment_nights": '
     '[{"experiment_id": 4, "night": "2026-11-01", "arm": "A", "washout": false}]}',
     r"experiment_nights\[0\] refers to experiment 4"),
    ('{"version": 1, "products": [{"id": 1, "name": "Red"}]}', "not a nightleaf journal"),
    ('{"format": "nightleaf-journal", "products": [{"id": 1, "name": "Red"}]}', "version None"),
    ('{"format": "nightleaf-journal", "version": 1, "profile": 3}', r"profile must be an object"),
    ('{"format": "nightleaf-journal", "version": 1, "notes": [3]}', r"notes\[0\] must be an object"),
    ('[]', "not a nightleaf journal"),
    ('', "not valid JSON"),
    ('{"format": "nightleaf-journal", "version": 1, "products": [{"id": 1, "name": "Red"}',
     "not valid JSON"),
])
def test_streamed_restore_refuses_in_one_line_and_writes_nothing(
        ctx: Context, tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(FormatError, match=message) as info:
        svc.import_json(ctx, bad)
    assert "\n" not in info.value.message
    with ctx.tx() as repo:
        assert repo.is_empty()


def test_a_file_that_is_no_journal_says_so_even_over_a_non_empty_journal(
        ctx: Context, tmp_path: Path) -> None:
    _seed(ctx, 3)
    before = svc.load_journal(ctx)
    bad = tmp_path / "bad.json"
    for content, message in (("not json", "not valid JSON"), ('{"format": "x"}', "not a nightleaf"),
                             ('{"format": "nightleaf-journal", "version": 2}', "version 2")):
        bad.write_text(content)
        with pytest.raises(FormatError, match=message):
            svc.import_json(ctx, bad, replace=True)
    with pytest.raises(FormatError, match="no such file"):
        svc.import_json(ctx, tmp_path / "missing.json")
    assert svc.load_journal(ctx) == before

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

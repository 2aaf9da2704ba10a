"""``nightleaf summary``: table and --json on a generated 90-night journal."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

from nightleaf.simulate import simulate_journal
from nightleaf.store import open_store
from tests.support.common import Result

Cli = Callable[..., Result]


def _seed(nights: int = 90, **kw: float) -> None:
    store = open_store(os.environ["NIGHTLEAF_DATABASE_URL"])
    try:
        with store.tx(1) as repo:
            repo.save_journal(simulate_journal(nights, seed=11, **kw))
    finally:
        store.dispose()


def test_summary_json_has_nights_means_and_comparisons(cli: Cli) -> None:
    _seed()
    r = cli("summary", "--days", "90", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert (data["first_night"], data["last_night"], data["days"]) == (
        "2026-08-26", "2026-11-23", 90)
    assert len(data["nights"]) == 90
    assert data["diary"]["tst_minutes"]["n"] > 70
    with_k = [c for c in data["comparisons"] if c["group"] == "nights with kratom"]
    assert with_k and all(c["status"] == "ok" for c in with_k)
    late = [c for c in data["comparisons"] if "180 min or more" in c["group"]]
    assert late and all(c["status"] == "not enough data" and c["difference"] is None
                        for c in late)
    assert all(c["note"] == "observational, not proof of cause" for c in data["comparisons"])


def test_summary_table_says_not_enough_data_instead_of_a_number(cli: Cli) -> None:
    _seed(28, use_rate=0.05)
    r = cli("summary", "--days", "28")
    assert r.code == 0, r.err
    assert "Nights 2026-10-27 – 2026-11-23" in r.out
    assert "not enough data" in r.out
    assert "observational, not proof of cause" in r.out
    assert "SRI rule: skip-missing-pairs, pooled" in r.out


def test_summary_rejects_a_bad_window(cli: Cli) -> None:
    _seed(10)
    r = cli("summary", "--to", "someday")
    assert r.code == 2 and "cannot read the date" in r.err


def test_summary_has_help_text(cli: Cli) -> None:
    r = cli("summary", "--help")
    assert r.code == 0 and "observational" in r.out

"""The web's answers are the same bytes with and without the memo of window figures
(services.memo): the 15 bodies of bench/dashboard_bodies.py (10 simulated years), each fetched
twice (computed, then reused), and the first view after a change."""

from __future__ import annotations

import pytest
from bench import dashboard_bodies
from fastapi.testclient import TestClient

from nightleaf.model.entities import PainRating
from nightleaf.services import memo
from nightleaf.services.context import Context
from tests.support.web import post


def test_the_15_dashboard_bodies_are_identical_with_and_without_the_memo(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "_shared", memo.Memo())
    with_memo = dashboard_bodies.bodies()  # each request twice: the second is a memo hit
    # 3 windows x (summary, dashboard page in 2 views, chart columns), each twice: one entry
    # per window and form, so 12 computed and 12 reused
    assert (memo.shared().misses, memo.shared().hits) == (12, 12)
    monkeypatch.setattr(memo, "_shared", memo.Memo(max_entries=0))
    without = dashboard_bodies.bodies()
    assert len(with_memo) == 15
    assert with_memo.keys() == without.keys()
    for name, body in with_memo.items():
        assert body == without[name], name


def _bodies(client: TestClient, last: str) -> list[bytes]:
    out = []
    for url in ("/api/summary", "/api/dashboard", "/dashboard"):
        r = client.get(f"{url}?days=14&last={last}")
        assert r.status_code == 200, r.text
        out.append(r.content if url != "/dashboard" else
                   r.text.split("<main", 1)[1].split("</main>", 1)[0].encode())
    return out


def test_the_first_view_after_a_change_shows_it(
        profiled: TestClient, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "_shared", memo.Memo())
    r = post(profiled, "/tonight/pain", {"nrs": "4", "context": "evening"})
    assert r.status_code in (200, 303), r.text
    with ctx.tx() as repo:
        (rating,) = repo.all(PainRating)
    last = rating.night.isoformat()
    before = _bodies(profiled, last)
    assert _bodies(profiled, last) == before  # repeat views: from the memo
    hits = memo.shared().hits
    assert hits >= 3
    with ctx.tx() as repo:
        repo.add(PainRating(at=rating.at, tz=rating.tz, night=rating.night, nrs=9,
                            context="morning"))
    after = _bodies(profiled, last)
    assert memo.shared().hits == hits  # every view recomputed
    assert all(a != b for a, b in zip(after, before, strict=True))
    monkeypatch.setattr(memo, "_shared", memo.Memo(max_entries=0))
    assert _bodies(profiled, last) == after  # what a fresh computation gives

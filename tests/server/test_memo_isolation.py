"""Server mode: the process's memo of window figures (services.memo) never serves one person's
figures to another, for the same window, on first views and on repeat views (memo hits)."""

from __future__ import annotations

import re

import pytest

from nightleaf.services import memo
from tests.support.common import Clock
from tests.support.server_mode import add, server_client, sign_in

pytestmark = pytest.mark.pg


def test_two_people_same_window_each_get_their_own_figures(app_url) -> None:
    clock = Clock()
    hits = memo.shared().hits
    with server_client(app_url, clock) as ana, server_client(app_url, clock) as ben:
        for who, email in ((ana, "ana@example.org"), (ben, "ben@example.org")):
            add(who, email)
            assert sign_in(who, email).status_code == 200
        nights = set()
        for who, nrs in ((ana, "3"), (ben, "8")):  # the same night, the same time
            r = who.post("/api/pain", json={"nrs": nrs, "at": "19:00", "context": "evening"})
            assert r.status_code == 201, r.text
            nights.add(r.json()["night"])
        (night,) = nights
        window = f"days=7&last={night}"
        seen: dict[str, list[object]] = {"ana": [], "ben": []}
        for _ in range(3):  # the first view computes; the repeats come from the memo
            for name, who in (("ana", ana), ("ben", ben)):
                s = who.get(f"/api/summary?{window}")
                d = who.get(f"/api/dashboard?{window}")
                page = who.get(f"/dashboard?{window}")
                assert s.status_code == d.status_code == page.status_code == 200
                seen[name].append((s.json()["pain"]["evening_nrs"]["mean"],
                                   s.json()["nights"][-1]["pain"]["evening_nrs"],
                                   d.json()["series"]["pain_evening"][-1],
                                   re.search(r"Mean evening ([0-9.]+),", page.text)[1]))
        assert seen["ana"] == [(3.0, 3, 3, "3")] * 3
        assert seen["ben"] == [(8.0, 8, 8, "8")] * 3
    assert memo.shared().hits - hits >= 2 * 2 * 3  # the repeats were memo hits

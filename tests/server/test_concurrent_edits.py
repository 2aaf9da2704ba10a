"""Concurrent edits of the same night: the second save of a stale form or ETag is a 409 with one
line, never a lost update -- with two clients in turn, and with truly parallel requests."""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from nightleaf.web.security import CSRF_COOKIE
from tests.support.common import Clock
from tests.support.server_mode import add, server_client, sign_in

pytestmark = pytest.mark.pg
CSRF = "v" * 43
NIGHT = "2026-11-23"
PARALLEL = 8


def _version(html: str) -> str:
    found = re.search(r'name="version" value="([^"]+)"', html)
    assert found, "the form carries no version"
    return found.group(1)


def _tab(app: Any) -> TestClient:
    """Another browser (its own session) of Ana's on the same app."""
    c = TestClient(app, base_url="http://localhost", follow_redirects=False)
    c.cookies.set(CSRF_COOKIE, CSRF)
    assert sign_in(c, "ana@example.org").status_code == 200
    return c


@pytest.fixture
def ana(app_url):
    with server_client(app_url, Clock()) as c:
        add(c, "ana@example.org")
        assert sign_in(c, "ana@example.org").status_code == 200
        c.put("/api/profile", json={"tz": "Europe/Berlin", "region": "DE", "bedtime": "23:00",
                                    "wake": "07:00"})
        yield c


def _one_line_409(r: Any, words: str) -> None:
    assert r.status_code == 409, r.text[:300]
    if r.headers["content-type"].startswith("application/json"):
        assert r.json()["error"] == words
    else:
        assert words in r.text


def test_two_tabs_editing_one_entry(ana) -> None:
    sid = ana.post("/api/substances", json={"kind": "caffeine", "amount": "80",
                                            "at": "19:00"}).json()["id"]
    one, two = _tab(ana.app), _tab(ana.app)
    url = f"/journal/substance/{sid}/edit"
    v1, v2 = _version(one.get(url).text), _version(two.get(url).text)
    assert v1 == v2
    form = {"kind": "caffeine", "at": "2026-11-24 19:00", "csrf": CSRF}
    assert one.post(url, data={**form, "amount": "120", "version": v1}).status_code == 303
    r = two.post(url, data={**form, "amount": "40", "version": v2})
    _one_line_409(r, "this entry was changed elsewhere; reload")
    assert [s["amount"] for s in ana.get("/api/nights/2026-11-24").json()["substances"]] == [120]
    # reloaded, the second tab saves over the first on purpose
    v3 = _version(two.get(url).text)
    assert v3 != v1
    assert two.post(url, data={**form, "amount": "40", "version": v3}).status_code == 303


def test_two_phones_on_the_morning_form(ana) -> None:
    one, two = _tab(ana.app), _tab(ana.app)
    page = f"/morning?night={NIGHT}"
    v1, v2 = _version(one.get(page).text), _version(two.get(page).text)
    base = {"night": NIGHT, "into_bed": "23:00", "out_of_bed": "07:00", "csrf": CSRF}
    assert one.post("/morning", data={**base, "quality": "4", "version": v1}).status_code == 303
    r = two.post("/morning", data={**base, "quality": "1", "version": v2})
    _one_line_409(r, "this night was changed elsewhere; reload")
    assert ana.get(f"/api/nights/{NIGHT}").json()["sleep"]["quality"] == 4
    # a form for another night is not a stale edit of this one
    other = _version(two.get("/morning?night=2026-11-20").text)
    assert two.post("/morning", data={**base, "quality": "2", "version": other}).status_code \
        == 303


def test_the_api_honours_if_match(ana) -> None:
    etag = ana.get(f"/api/nights/{NIGHT}").headers["etag"]
    body = {"night": NIGHT, "into_bed": "23:00", "out_of_bed": "07:00", "quality": "3"}
    assert ana.post("/api/sleep", json=body, headers={"If-Match": etag}).status_code == 201
    r = ana.post("/api/sleep", json={**body, "quality": "5"}, headers={"If-Match": etag})
    _one_line_409(r, "this night was changed elsewhere; reload")
    r = ana.post("/api/morning", json={**body, "quality": "5"}, headers={"If-Match": etag})
    _one_line_409(r, "this night was changed elsewhere; reload")
    fresh = ana.get(f"/api/nights/{NIGHT}").headers["etag"]
    assert fresh != etag
    assert ana.post("/api/sleep", json={**body, "quality": "5"},
                    headers={"If-Match": fresh}).status_code == 201
    # without If-Match (a script) the save goes through, as before
    assert ana.post("/api/sleep", json=body).status_code == 201


def _race(app: Any, n: int, go: Callable[[TestClient, int], Any]) -> list[Any]:
    """``n`` clients, each ready before any starts: the requests run at the same time."""
    tabs = [_tab(app) for _ in range(n)]
    ready = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        ready.wait()
        out[i] = go(tabs[i], i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def test_parallel_saves_of_one_night_one_wins_the_rest_409(ana) -> None:
    etag = ana.get(f"/api/nights/{NIGHT}").headers["etag"]

    def save(c: TestClient, i: int) -> Any:
        return c.post("/api/sleep", json={"night": NIGHT, "into_bed": "23:00",
                                          "out_of_bed": "07:00", "awakenings": str(i)},
                      headers={"If-Match": etag})

    got = _race(ana.app, PARALLEL, save)
    codes = sorted(r.status_code for r in got)
    assert codes == [201] + [409] * (PARALLEL - 1), codes
    winner = next(i for i, r in enumerate(got) if r.status_code == 201)
    assert ana.get(f"/api/nights/{NIGHT}").json()["sleep"]["awakenings"] == winner


def test_parallel_edits_of_one_entry_one_wins_the_rest_409(ana) -> None:
    sid = ana.post("/api/pain", json={"nrs": "5", "at": "19:00"}).json()["id"]
    url = f"/journal/pain/{sid}/edit"
    version = _version(ana.get(url).text)

    def edit(c: TestClient, i: int) -> Any:
        # never the stored 5: an edit to the same content keeps the same version (a digest)
        nrs = i if i < 5 else i + 1
        return c.post(url, data={"nrs": str(nrs), "context": "evening", "at": "2026-11-24 19:00",
                                 "version": version, "csrf": CSRF})

    got = _race(ana.app, PARALLEL, edit)
    codes = sorted(r.status_code for r in got)
    assert codes == [303] + [409] * (PARALLEL - 1), codes
    winner = next(i for i, r in enumerate(got) if r.status_code == 303)
    assert [p["nrs"] for p in ana.get("/api/nights/2026-11-24").json()["pain"]] == [
        winner if winner < 5 else winner + 1]


def test_parallel_corrections_of_one_intake_one_wins_the_rest_409(ana) -> None:
    """An intake is corrected by replacing its row (same id): the row is locked and compared
    first, so parallel corrections made from one version never both land."""
    iid = ana.post("/api/intakes", json={"amount": "3 g", "at": "20:00"}).json()["intake"]["id"]
    url = f"/journal/intake/{iid}/edit"
    version = _version(ana.get(url).text)

    def edit(c: TestClient, i: int) -> Any:
        # never the stored 3 g: an edit to the same content keeps the same version (a digest)
        return c.post(url, data={"amount": f"{i + 10} g", "at": "2026-11-24 20:00",
                                 "version": version, "csrf": CSRF})

    got = _race(ana.app, PARALLEL, edit)
    codes = sorted(r.status_code for r in got)
    assert codes == [303] + [409] * (PARALLEL - 1), [
        (r.status_code, r.headers.get("location")) for r in got]
    winner = next(i for i, r in enumerate(got) if r.status_code == 303)
    intakes = ana.get("/api/nights/2026-11-24").json()["intakes"]
    assert [(i["id"], i["amount"]["value"]) for i in intakes] == [(iid, winner + 10)]

"""The single-person app (SQLite) too: a form saved after the same night or entry was saved from
another tab answers 409 with one line, and keeps the other tab's values."""

from __future__ import annotations

import re
from typing import Any

from tests.support.web import post

NIGHT = "2026-11-23"


def _version(html: str) -> str:
    found = re.search(r'name="version" value="([^"]+)"', html)
    assert found, "the form carries no version"
    return found.group(1)


def test_a_stale_morning_form_is_refused(profiled: Any) -> None:
    page = f"/morning?night={NIGHT}"
    v1, v2 = _version(profiled.get(page).text), _version(profiled.get(page).text)
    base = {"night": NIGHT, "into_bed": "23:00", "out_of_bed": "07:00"}
    assert post(profiled, "/morning", {**base, "quality": "4", "version": v1}).status_code == 303
    r = post(profiled, "/morning", {**base, "quality": "1", "version": v2})
    assert r.status_code == 409 and "this night was changed elsewhere; reload" in r.text
    assert profiled.get(f"/api/nights/{NIGHT}").json()["sleep"]["quality"] == 4
    # a form without a version (an older page) saves as before
    assert post(profiled, "/morning", {**base, "quality": "2"}).status_code == 303


def test_a_stale_entry_edit_is_refused(profiled: Any) -> None:
    headers = {"Content-Type": "application/json"}
    sid = profiled.post("/api/pain", json={"nrs": "5", "at": "19:00"},
                        headers=headers).json()["id"]
    url = f"/journal/pain/{sid}/edit"
    seen = _version(profiled.get(url).text)
    form = {"context": "evening", "at": "2026-11-24 19:00", "version": seen}
    assert post(profiled, url, {**form, "nrs": "6"}).status_code == 303
    r = post(profiled, url, {**form, "nrs": "2"})
    assert r.status_code == 409 and "this entry was changed elsewhere; reload" in r.text
    assert [p["nrs"] for p in profiled.get("/api/nights/2026-11-24").json()["pain"]] == [6]


def test_the_api_etag_and_if_match(profiled: Any) -> None:
    first = profiled.get(f"/api/nights/{NIGHT}")
    etag = first.headers["etag"]
    assert etag.startswith(f'"{NIGHT}:')
    body = {"night": NIGHT, "into_bed": "23:00", "out_of_bed": "07:00"}
    assert profiled.post("/api/sleep", json=body, headers={"If-Match": etag}).status_code == 201
    r = profiled.post("/api/sleep", json=body, headers={"If-Match": etag})
    assert r.status_code == 409
    assert r.json() == {"error": "this night was changed elsewhere; reload", "field": "version"}


def test_a_stale_intake_correction_is_refused(profiled: Any) -> None:
    headers = {"Content-Type": "application/json"}
    iid = profiled.post("/api/intakes", json={"amount": "3 g", "at": "20:00"},
                        headers=headers).json()["intake"]["id"]
    url = f"/journal/intake/{iid}/edit"
    seen = _version(profiled.get(url).text)
    form = {"at": "2026-11-24 20:00", "version": seen}
    assert post(profiled, url, {**form, "amount": "2 g"}).status_code == 303
    r = post(profiled, url, {**form, "amount": "4 g"})
    assert r.status_code == 409 and "this entry was changed elsewhere; reload" in r.text
    assert profiled.get("/api/nights/2026-11-24").json()["intakes"][0]["amount"]["value"] == 2
    # the id is kept through a correction, and a form without a version saves as before
    assert post(profiled, url, {"at": "2026-11-24 20:00", "amount": "1 g"}).status_code == 303
    assert profiled.get(url).status_code == 200

"""``/experiments``: set one up from the form, see the plan and the chart, stop it; the API."""

from __future__ import annotations

from typing import Any

from tests.support.web import post, token


def test_an_experiment_is_set_up_followed_and_stopped_on_the_web(profiled: Any) -> None:
    client = profiled
    r = post(client, "/experiments", {"name": "earlier", "compare": "timing", "a": "60",
                                      "b": "120", "start": "2026-11-30", "seed": "4",
                                      "pairs": "2"})
    assert r.status_code == 303, r.text
    url = r.headers["location"].split("?")[0]
    page = client.get(url)
    assert page.status_code == 200
    assert "intake at 22:00" in page.text and "intake at 21:00" in page.text
    assert "<svg" not in page.text or "exp-chart" in page.text  # no values yet: no dots
    assert "not enough nights yet" in page.text
    listing = client.get("/experiments")
    assert "earlier" in listing.text
    r = post(client, f"{url}/stop", {"reason": "a cold"})
    assert r.status_code == 303
    assert "a cold" in client.get(url).text


def test_a_bad_plan_shows_the_error_beside_its_input_and_saves_nothing(profiled: Any) -> None:
    client = profiled
    r = post(client, "/experiments", {"name": "x", "compare": "timing", "a": "60", "b": "120",
                                      "pairs": "0", "start": "2026-11-30"})
    assert r.status_code == 422
    assert "pairs must be a whole number" in r.text
    assert client.get("/api/experiments").json() == []


def test_the_api_refuses_a_past_start_with_the_field(profiled: Any) -> None:
    client = profiled
    headers = {"X-CSRF-Token": token(client)}
    r = client.post("/api/experiments", json={"name": "x", "compare": "timing", "a": "60",
                                              "b": "120", "start": "2026-11-01"}, headers=headers)
    assert r.status_code == 422
    assert r.json()["field"] == "start"
    r = client.post("/api/experiments", json={"name": "x", "compare": "timing", "a": "60",
                                              "b": "120", "start": "2026-11-30", "seed": "1"},
                    headers=headers)
    assert r.status_code == 201, r.text
    eid = r.json()["id"]
    res = client.get(f"/api/experiments/{eid}/result").json()
    assert res["final"] is False and res["outcomes"][0]["metric"] == "tst"
    assert client.get("/api/experiments/999/result").status_code == 404

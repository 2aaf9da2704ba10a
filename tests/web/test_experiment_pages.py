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


def test_the_form_offers_the_diary_and_each_wearable_source_and_saves_the_choice(
        profiled: Any, ctx: Any) -> None:
    from datetime import UTC, date, datetime, timedelta

    from nightleaf.model.entities import PainRating, SleepEpisode

    client = profiled
    page = client.get("/experiments").text
    assert '<select id="f-source" name="source"' in page
    assert '<option value="diary" selected>sleep diary</option>' in page
    assert "fitbit" not in page
    with ctx.tx() as repo:
        for k in range(1, 9):
            night = date(2026, 11, 24) - timedelta(days=k)
            start = datetime(night.year, night.month, night.day, 22, tzinfo=UTC)
            repo.upsert_episodes([SleepEpisode("fitbit", f"f{k}", start,
                                               start + timedelta(hours=8), "Europe/Berlin",
                                               night, tst_minutes=420)])
            repo.add(PainRating(start + timedelta(hours=9), "Europe/Berlin", night, 5,
                                "morning"))
    page = client.get("/experiments").text
    assert '<option value="fitbit">fitbit (wearable)</option>' in page
    r = post(client, "/experiments", {"name": "x", "compare": "timing", "a": "60", "b": "120",
                                      "start": "2026-11-30", "source": "oura"})
    assert r.status_code == 422 and "no nights from &#39;oura&#39;" in r.text
    assert 'id="f-source"' in r.text and "has-error" in r.text
    r = post(client, "/experiments", {"name": "pain", "compare": "timing", "a": "60",
                                      "b": "120", "start": "2026-11-30", "seed": "4",
                                      "outcome": "pain", "mid": "30%", "source": "fitbit"})
    assert r.status_code == 303, r.text
    shown = client.get(r.headers["location"].split("?")[0]).text
    assert "1.5 points (30 % of your usual 5.0)" in shown
    assert "fitbit (wearable)" in shown
    api = client.get("/api/experiments").json()[0]
    assert (api["source"], api["mid"], api["mid_usual"]) == ("fitbit", 1.5, 5.0)
    res = client.get(f"/api/experiments/{api['id']}/result").json()
    assert (res["source"], res["mid_text"]) == ("fitbit", "1.5 points (30 % of your usual 5.0)")
    assert [o["source"] for o in res["outcomes"]][:2] == ["morning rating", "fitbit"]


def test_the_api_takes_the_source_and_refuses_one_without_nights(profiled: Any) -> None:
    client = profiled
    headers = {"X-CSRF-Token": token(client)}
    r = client.post("/api/experiments", json={"name": "x", "compare": "timing", "a": "60",
                                              "b": "120", "start": "2026-11-30",
                                              "source": "oura"}, headers=headers)
    assert r.status_code == 422 and r.json()["field"] == "source"
    assert client.get("/api/experiments").json() == []
    r = client.post("/api/experiments", json={"name": "x", "compare": "timing", "a": "60",
                                              "b": "120", "start": "2026-11-30",
                                              "source": "diary", "seed": "2"}, headers=headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["source"], body["source_text"], body["mid_text"]) == (
        "diary", "sleep diary", "15 min")

"""The morning check-in on the web: idempotent per night, shows what is saved, starts from the
plan, symptoms picked from the known list, post/redirect/get."""

from __future__ import annotations

import re

import pytest

from nightleaf.services import plan
from nightleaf.services.inputs import MorningInput
from tests.support.web import post

MORNING = {"night": "2026-11-23", "into_bed": "22:45", "tried_to_sleep": "23:00", "sol": "20",
           "awakenings": "1", "waso": "15", "final_awakening": "06:40", "out_of_bed": "07:00",
           "quality": "4"}


def _night(client, night: str = "2026-11-23") -> dict:
    return client.get(f"/api/nights/{night}").json()


def test_saving_the_morning_twice_keeps_one_pain_rating_and_the_last_symptoms(profiled) -> None:
    r = post(profiled, "/morning", {**MORNING, "nrs": "3", "sym-side_effect-nausea": "1"})
    assert r.status_code == 303 and r.headers["location"].startswith("/morning?night=2026-11-23")
    r = post(profiled, "/morning", {**MORNING, "nrs": "5", "sym-side_effect-headache": "2",
                                    "sym-withdrawal-restlessness": "1"})
    assert r.status_code == 303
    night = _night(profiled)
    assert [(p["context"], p["nrs"]) for p in night["pain"]] == [("morning", 5)]
    assert sorted((s["kind"], s["name"], s["severity"]) for s in night["symptoms"]) == [
        ("side_effect", "headache", 2), ("withdrawal", "restlessness", 1)]


def test_the_redirected_page_shows_what_is_saved_and_a_reload_adds_nothing(profiled) -> None:
    r = post(profiled, "/morning", {**MORNING, "nrs": "4", "sym-side_effect-nausea": "2",
                                    "side_effects": "tremor:1"})
    for _ in range(2):  # the browser's reload repeats the GET, not the POST
        page = profiled.get(r.headers["location"])
    assert "Saved the night of Mon 23 Nov 2026" in page.text
    assert re.search(r'id="f-nrs"[^>]*value="4"', page.text)
    assert re.search(r'<option value="2" selected>2 moderate', page.text.split(
        'id="f-sym-side_effect-nausea"')[1])
    assert 'value="tremor:1"' in page.text
    assert len(_night(profiled)["pain"]) == 1


def test_an_evening_pain_rating_is_left_alone(profiled) -> None:
    r = post(profiled, "/tonight/pain", {"nrs": "6", "at": "2026-11-23 19:00"})
    assert r.status_code == 303
    assert post(profiled, "/morning", {**MORNING, "nrs": "2"}).status_code == 303
    assert post(profiled, "/morning", {**MORNING, "nrs": "1"}).status_code == 303
    pains = sorted((p["context"], p["nrs"]) for p in _night(profiled)["pain"])
    assert pains == [("evening", 6), ("morning", 1)]


def test_an_empty_pain_on_the_form_removes_the_saved_rating(profiled) -> None:
    post(profiled, "/morning", {**MORNING, "nrs": "3"})
    post(profiled, "/morning", {**MORNING, "nrs": ""})
    assert _night(profiled)["pain"] == []


def test_a_fresh_form_starts_from_the_plan(profiled) -> None:
    page = profiled.get("/morning?night=2026-11-20").text
    assert re.search(r'id="f-into_bed"[^>]*value="23:00"', page)  # bedtime from the profile
    assert re.search(r'id="f-out_of_bed"[^>]*value="07:00"', page)  # wake time
    assert "last night&#39;s plan" in page or "last night's plan" in page


def test_a_known_symptom_is_picked_without_typing_a_severity_syntax(profiled) -> None:
    r = post(profiled, "/morning", {**MORNING, "sym-side_effect-nausea": "1"})
    assert r.status_code == 303
    assert _night(profiled)["symptoms"][0]["name"] == "nausea"


def test_peg_is_offered_weekly_and_saved_with_the_morning_rating(profiled) -> None:
    assert 'id="f-peg_pain"' in profiled.get("/morning?night=2026-11-23").text
    post(profiled, "/morning", {**MORNING, "nrs": "3", "peg_pain": "5", "peg_enjoyment": "4",
                                "peg_activity": "6"})
    assert _night(profiled)["pain"][0]["peg_activity"] == 6
    # the next morning, PEG is not due again (given within the last 7 nights)
    assert 'id="f-peg_pain"' not in profiled.get("/morning?night=2026-11-24").text


def test_a_bad_answer_is_shown_beside_its_field_and_saves_nothing(profiled) -> None:
    r = post(profiled, "/morning", {**MORNING, "nrs": "11", "sym-side_effect-nausea": "1"})
    assert r.status_code == 422 and 'id="e-nrs"' in r.text
    assert _night(profiled)["sleep"] is None and _night(profiled)["symptoms"] == []


@pytest.mark.usefixtures("profiled")
def test_the_service_is_idempotent_for_the_cli_too(ctx) -> None:
    a = MorningInput(night="2026-11-23", into_bed="23:00", out_of_bed="07:00", nrs="4",
                     side_effects=["nausea:1"])
    for _ in range(3):
        plan.save_morning(ctx, a)
    # the CLI without --pain or --side-effect keeps what is saved
    plan.save_morning(ctx, MorningInput(night="2026-11-23", quality="3"))
    saved = plan.morning_saved(ctx, plan.morning_night(ctx, "2026-11-23"))
    assert saved.pain is not None and saved.pain.nrs == 4
    assert [s.name for s in saved.symptoms] == ["nausea"]
    assert saved.entry is not None and saved.entry.quality == 3

"""Pages: forms save through the services, bad input comes back beside its field with what was
typed, nothing is half-saved, findings show before and after an intake."""

from __future__ import annotations

import json
import re

from tests.support.web import post, token


def test_profile_bad_input_is_shown_beside_each_field_and_keeps_what_was_typed(client) -> None:
    r = post(client, "/settings/profile", {"tz": "Mars/Olympus", "region": "ZZ-99",
                                          "bedtime": "23:00", "lead": "500", "name": "Sam"})
    assert r.status_code == 422
    for field in ("tz", "region", "lead"):
        assert re.search(rf'id="e-{field}" class="field-error"', r.text), field
    assert 'value="Mars/Olympus"' in r.text and 'value="Sam"' in r.text
    assert client.get("/api/profile").json()["saved"] is False  # nothing saved


def test_first_profile_creates_the_default_routine(profiled) -> None:
    assert profiled.get("/api/profile").json()["profile"]["tz"] == "Europe/Berlin"
    assert len(profiled.get("/api/routine").json()["items"]) >= 3
    assert "Dim the lights" in profiled.get("/tonight").text


def test_product_and_batch_with_a_flagged_7oh_share_say_so_plainly(profiled) -> None:
    assert post(profiled, "/products", {"name": "Red Bali", "form": "powder",
                                        "vein": "red"}).status_code == 303
    r = post(profiled, "/products/batches", {"product": "1", "lot": "RB-1",
                                             "mitragynine_pct": "1.2", "seven_oh_pct": "0.3"})
    assert r.status_code == 303
    page = profiled.get("/products").text
    assert "RB-1" in page
    assert "7-OH is 20.0 % of measured alkaloids" in page


def test_batch_bad_percentage_keeps_the_form(profiled) -> None:
    post(profiled, "/products", {"name": "Red Bali"})
    r = post(profiled, "/products/batches", {"product": "1", "lot": "L9", "mitragynine_pct": "abc"})
    assert r.status_code == 422
    assert 'id="e-b-mitragynine_pct"' in r.text and 'value="L9"' in r.text
    assert profiled.get("/api/products").json()["products"][0]["batches"] == []


def test_a_medicine_shows_its_interaction_finding_beside_it(profiled) -> None:
    assert post(profiled, "/health/medicines", {"name": "tramadol"}).status_code == 303
    page = profiled.get("/health").text
    assert "tramadol" in page and "sev-danger" in page
    api = profiled.get("/api/medicines").json()["medicines"][0]
    assert api["findings"][0]["severity"] == "danger"


def test_intake_findings_are_shown_before_saving_and_nothing_is_saved(profiled) -> None:
    post(profiled, "/health/medicines", {"name": "zolpidem"})
    r = post(profiled, "/tonight/intake/check", {"amount": "3g", "at": "20:30"})
    assert r.status_code == 200
    assert "Check before saving" in r.text and "zolpidem" in r.text
    assert "sev-warning" in r.text or "sev-danger" in r.text
    assert profiled.get("/api/nights/2026-11-24").json()["intakes"] == []
    # the preview carries the typed values to the save button
    assert 'name="amount" value="3g"' in r.text
    r = post(profiled, "/tonight/intake", {"amount": "3g", "at": "20:30"})
    assert r.status_code == 303  # post/redirect/get: the saved intake's page, with its findings
    r = profiled.get(r.headers["location"])
    assert "Intake saved" in r.text and "zolpidem" in r.text
    assert len(profiled.get("/api/nights/2026-11-24").json()["intakes"]) == 1


def test_a_bad_amount_comes_back_beside_the_amount(profiled) -> None:
    r = post(profiled, "/tonight/intake/check", {"amount": "3 spoons", "at": "20:30",
                                                 "note": "kept"})
    assert r.status_code == 422
    assert 'id="e-amount"' in r.text and 'value="3 spoons"' in r.text and "kept" in r.text


def test_routine_ticks_and_substances_and_evening_pain(profiled) -> None:
    items = profiled.get("/api/routine").json()["items"]
    first = str(items[0]["item"]["id"])
    data = {"csrf": token(profiled, "/tonight"), "done": [first],
            "items": [str(i["item"]["id"]) for i in items]}
    r = profiled.post("/tonight/routine", data=data, follow_redirects=False)
    assert r.status_code == 303
    ticked = {i["item"]["id"]: i["done"] for i in profiled.get("/api/routine").json()["items"]}
    assert ticked[int(first)] is True and sum(ticked.values()) == 1
    assert post(profiled, "/tonight/substance", {"kind": "alcohol", "amount": "1",
                                                 "at": "19:00"}).status_code == 303
    r = post(profiled, "/tonight/pain", {"nrs": "11", "at": "19:00"})
    assert r.status_code == 422 and 'id="e-p-nrs"' in r.text
    assert post(profiled, "/tonight/pain", {"nrs": "6", "at": "19:00"}).status_code == 303
    night = profiled.get("/api/nights/2026-11-24").json()
    assert night["substances"][0]["kind"] == "alcohol" and night["pain"][0]["nrs"] == 6


MORNING = {"night": "2026-11-23", "into_bed": "22:45", "tried_to_sleep": "23:00", "sol": "20",
           "awakenings": "1", "waso": "15", "final_awakening": "06:40", "out_of_bed": "07:00",
           "quality": "4"}


def test_morning_saves_diary_and_pain_together(profiled) -> None:
    r = post(profiled, "/morning", {**MORNING, "nrs": "3", "side_effects": "nausea:1"})
    assert r.status_code == 303  # post/redirect/get
    r = profiled.get(r.headers["location"])
    assert r.status_code == 200 and "Saved the night of" in r.text
    assert "total sleep time (TST)" in r.text and "7.1 h" in r.text  # 23:00-06:40 minus 20 + 15
    night = profiled.get("/api/nights/2026-11-23").json()
    assert night["sleep"]["quality"] == 4 and night["symptoms"][0]["name"] == "nausea"
    assert night["pain"][0]["context"] == "morning" and night["pain"][0]["night"] == "2026-11-23"


def test_morning_nothing_is_half_saved(profiled) -> None:
    # the diary is refused (waking before falling asleep): the pain rating is not kept either
    r = post(profiled, "/morning", {**MORNING, "final_awakening": "22:00", "nrs": "3"})
    assert r.status_code == 422
    assert 'id="e-final_awakening"' in r.text and 'value="22:45"' in r.text
    night = profiled.get("/api/nights/2026-11-23").json()
    assert night["sleep"] is None and night["pain"] == []
    # the pain is refused: the diary is not saved
    r = post(profiled, "/morning", {**MORNING, "nrs": "12"})
    assert r.status_code == 422 and 'id="e-nrs"' in r.text
    assert profiled.get("/api/nights/2026-11-23").json()["sleep"] is None


def test_journal_calendar_edit_and_delete_with_confirmation(profiled) -> None:
    post(profiled, "/tonight/intake", {"amount": "2g", "at": "20:00"})
    intake = profiled.get("/api/nights/2026-11-24").json()["intakes"][0]
    page = profiled.get("/journal").text
    assert "November 2026" in page and 'href="/journal/night/2026-11-24"' in page
    r = profiled.get(f"/journal/intake/{intake['id']}/edit")
    assert 'value="2 g"' in r.text
    r = post(profiled, f"/journal/intake/{intake['id']}/edit", {"amount": "2.5g",
                                                                 "at": "2026-11-24 20:15"})
    assert r.status_code == 303
    fixed = profiled.get("/api/nights/2026-11-24").json()["intakes"][0]
    assert fixed["id"] == intake["id"] and fixed["amount"]["value"] == 2.5
    r = profiled.get(f"/journal/intake/{intake['id']}/delete")
    assert "Delete this entry?" in r.text and "export.json" in r.text
    assert profiled.get("/api/nights/2026-11-24").json()["intakes"]  # asking deletes nothing
    r = post(profiled, f"/journal/intake/{intake['id']}/delete")
    assert r.status_code == 303
    assert profiled.get("/api/nights/2026-11-24").json()["intakes"] == []


def test_export_then_import_into_an_empty_journal(profiled, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from nightleaf.services import open_context
    from nightleaf.web.app import create_app

    post(profiled, "/products", {"name": "Red Bali"})
    r = profiled.get("/settings/export.json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    data = r.json()
    assert data["products"][0]["name"] == "Red Bali"
    other = open_context(f"sqlite:///{tmp_path / 'other.db'}")
    with TestClient(create_app(context=other), base_url="http://127.0.0.1") as c2:
        r = c2.post("/settings/import", data={"csrf": token(c2)}, follow_redirects=False,
                    files={"file": ("backup.json", json.dumps(data), "application/json")})
        assert r.status_code == 303, r.text
        assert c2.get("/api/products").json()["products"][0]["product"]["name"] == "Red Bali"
        bad = c2.post("/settings/import", data={"csrf": token(c2), "replace": "yes"},
                      files={"file": ("x.json", "{not json", "application/json")})
        assert bad.status_code == 422 and "x.json is not valid JSON" in bad.text


def test_safety_page_lists_findings_and_legal_status(profiled) -> None:
    post(profiled, "/health/medicines", {"name": "tramadol"})
    post(profiled, "/tonight/intake", {"amount": "3g", "at": "20:00"})
    page = profiled.get("/safety").text
    assert "tramadol" in page and "Legal status" in page and "Germany" in page


def test_errors_for_missing_records_are_pages_not_tracebacks(profiled) -> None:
    r = profiled.get("/journal/intake/999/edit")
    assert r.status_code == 404 and "no intake with id 999" in r.text
    assert profiled.get("/api/nights/not-a-date").status_code == 422


def test_ids_are_unique_and_every_input_has_a_label(profiled) -> None:
    post(profiled, "/products", {"name": "Red Bali"})
    for path in ("/", "/tonight", "/morning", "/journal", "/products", "/health", "/safety",
                 "/settings", "/dashboard"):
        r = profiled.get(path)
        if r.status_code == 404:
            continue
        ids = re.findall(r' id="([^"]+)"', r.text)
        dupes = {i for i in ids if ids.count(i) > 1}
        assert not dupes, (path, dupes)
        labelled = set(re.findall(r'<label for="([^"]+)"', r.text))
        for tag_id in re.findall(r'<(?:input|select|textarea) id="([^"]+)"', r.text):
            assert tag_id in labelled, (path, tag_id)


def test_dashboard_and_api_show_ten_years(profiled) -> None:
    page = profiled.get("/dashboard?days=3653")
    assert page.status_code == 200, page.text[-500:]
    assert '<option value="3653" selected' in page.text and "10 years" in page.text
    api = profiled.get("/api/dashboard?days=3653")
    assert api.status_code == 200 and len(api.json()["series"]["x"]) == 3653
    assert profiled.get("/api/summary?days=3653").json()["days"] == 3653
    assert profiled.get("/api/dashboard?days=4000").status_code == 422


def test_the_routine_checklist_is_saved_in_one_transaction(profiled) -> None:
    items = profiled.get("/api/routine").json()["items"]
    first = str(items[0]["item"]["id"])
    data = {"csrf": token(profiled, "/tonight"), "done": [first, "999999"],
            "items": [first, "999999"]}
    r = profiled.post("/tonight/routine", data=data, follow_redirects=False)
    assert r.status_code == 404  # an item that is not there: the whole checklist is refused
    ticked = {i["item"]["id"]: i["done"] for i in profiled.get("/api/routine").json()["items"]}
    assert not any(ticked.values()), "nothing is saved when one item fails"


def test_routine_minutes_that_are_not_a_number_are_refused(profiled) -> None:
    r = post(profiled, "/settings/routine", {"text": "Tea", "minutes": "abc"})
    assert r.status_code == 422 and "must be a whole number" in r.text
    texts = [i["item"]["text"] for i in profiled.get("/api/routine").json()["items"]]
    assert "Tea" not in texts


def test_the_export_is_named_by_the_pinned_clock(profiled) -> None:
    r = profiled.get("/settings/export.json")
    assert r.status_code == 200
    assert "nightleaf-journal-2026-11-24.json" in r.headers["content-disposition"]


def test_the_first_visit_goes_from_the_profile_to_medicines_the_first_check_and_the_law(
        client) -> None:
    """As `nightleaf init` does in a terminal: after the first profile, the person is offered
    medicines and conditions and sees the first safety check and the law where they live; later
    saves stay on Settings."""
    assert "No profile yet" in client.get("/").text
    assert client.get("/welcome", follow_redirects=False).headers["location"] == "/settings"
    r = post(client, "/settings/profile", {"tz": "America/New_York", "region": "US-OH",
                                          "bedtime": "23:00", "lead": "60", "wake": "07:00"})
    assert r.status_code == 303 and r.headers["location"] == "/welcome"
    page = client.get("/welcome")
    assert page.status_code == 200
    assert 'href="/health"' in page.text and "Your first safety check" in page.text
    assert "Ohio" in page.text and "restricted" in page.text  # the law where they live
    assert "not a recommendation" in page.text
    r = post(client, "/settings/profile", {"tz": "America/New_York", "region": "US-OH",
                                          "bedtime": "23:30", "lead": "60", "wake": "07:00"})
    assert r.headers["location"] == "/settings?saved=profile"

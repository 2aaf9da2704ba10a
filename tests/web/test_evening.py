"""The evening loop on the web (issue 14): a planned intake checked before it is taken, DANGER
never behind a click, post/redirect/get, medicines edited and removed with confirm and undo."""

from __future__ import annotations

import re

from tests.support.web import post


def _meds(client) -> list[dict]:  # type: ignore[no-untyped-def]
    return [m["medicine"] for m in client.get("/api/medicines").json()["medicines"]]


def _intakes(client) -> list[dict]:  # type: ignore[no-untyped-def]
    return client.get("/api/nights/2026-11-24").json()["intakes"]


def test_a_planned_intake_is_checked_before_it_is_taken_and_nothing_is_saved(profiled) -> None:
    # the clock says 21:00: 21:45 is still ahead
    post(profiled, "/health/medicines", {"name": "zolpidem"})
    r = profiled.get("/tonight/check", params={"amount": "3g", "at": "21:45"})
    assert r.status_code == 200, r.text
    assert "Planned intake, checked" in r.text and "zolpidem" in r.text
    assert "terminal" not in r.text and "nightleaf check" not in r.text
    assert "Save this intake" not in r.text  # a plan is not saved as taken
    assert 'name="at" value="now"' in r.text  # "I've taken it now" saves at the current time
    assert _intakes(profiled) == []
    # the same through the API: 200 with findings, and planned
    r = profiled.post("/api/intakes/check", json={"amount": "3g", "at": "21:45"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["planned"] is True and body["findings"], body
    assert any("zolpidem" in f["title"].lower() + f["explanation"].lower()
               for f in body["findings"])
    # a past time is not planned
    assert profiled.post("/api/intakes/check", json={"amount": "3g", "at": "20:30"}
                         ).json()["planned"] is False
    # more than a day ahead is refused beside the time, in the web's words
    r = profiled.post("/api/intakes/check", json={"amount": "3g", "at": "2026-11-27 21:00"})
    assert r.status_code == 422 and "24 hours" in r.text
    assert _intakes(profiled) == []


def test_saving_a_future_time_is_still_refused(profiled) -> None:
    r = post(profiled, "/tonight/intake", {"amount": "3g", "at": "21:45"})
    assert r.status_code == 422
    assert 'id="e-at"' in r.text and "in the future" in r.text
    assert "nightleaf check" not in r.text and "--at" not in r.text
    assert _intakes(profiled) == []


def test_dont_save_keeps_the_typed_values(profiled) -> None:
    r = profiled.get("/tonight/check", params={"amount": "4g", "at": "20:40", "note": "tea"})
    link = re.search(r'href="(/tonight\?[^"]+)#intake"', r.text)
    assert link, "the check page links back to the form with the values"
    back = profiled.get(link.group(1).replace("&amp;", "&")).text
    assert 'name="amount" type="text" value="4g"' in back
    assert 'value="20:40"' in back and ">tea</textarea>" in back


def test_reload_after_a_save_adds_nothing(profiled) -> None:
    r = post(profiled, "/tonight/intake", {"amount": "3g", "at": "20:30"})
    assert r.status_code == 303
    landing = r.headers["location"]
    for _ in range(3):  # a reload repeats the GET, never the POST
        assert profiled.get(landing).status_code == 200
    assert len(_intakes(profiled)) == 1
    for url, data in (("/tonight/substance", {"kind": "alcohol", "amount": "1", "at": "20:40"}),
                      ("/tonight/pain", {"nrs": "5", "at": "20:45"}),
                      ("/health/medicines", {"name": "sertraline"})):
        r = post(profiled, url, data)
        assert r.status_code == 303, (url, r.text)
        assert "flash=" in r.headers["location"]
        profiled.get(r.headers["location"])
    night = profiled.get("/api/nights/2026-11-24").json()
    assert len(night["substances"]) == 1 and len(night["pain"]) == 1


def _danger_shown_without_a_click(html: str) -> None:
    summary = re.search(r'<p class="sev-summary[^"]*has-danger[^"]*"[^>]*>(.*?)</p>', html, re.S)
    assert summary, "a severity summary with danger"
    assert re.search(r"\d+ danger", summary.group(1))
    # every danger finding sits in an open <details>
    dangers = re.findall(r'<li class="finding sev-danger">\s*<details( open)?>', html)
    assert dangers and all(d == " open" for d in dangers), dangers
    assert "Danger: Danger" not in html and "danger</span> <strong>Danger:" not in html


def test_a_drink_after_kratom_shows_the_danger_on_the_page_it_lands_on(profiled) -> None:
    post(profiled, "/tonight/intake", {"amount": "3g", "at": "20:00"})
    r = post(profiled, "/tonight/substance", {"kind": "alcohol", "amount": "2", "at": "20:30"})
    assert r.status_code == 303
    page = profiled.get(r.headers["location"])
    assert "Substance logged." in page.text
    _danger_shown_without_a_click(page.text)


def test_correcting_an_intake_above_the_ceiling_shows_the_findings(profiled) -> None:
    r = post(profiled, "/settings/profile", {"tz": "Europe/Berlin", "region": "DE",
                                              "bedtime": "23:00", "lead": "60", "wake": "07:00",
                                              "max_grams": "6"})
    assert r.status_code == 303, r.text
    post(profiled, "/tonight/intake", {"amount": "3g", "at": "20:00"})
    iid = _intakes(profiled)[0]["id"]
    r = post(profiled, f"/journal/intake/{iid}/edit", {"amount": "20g",
                                                      "at": "2026-11-24 20:00"})
    assert r.status_code == 303
    html = profiled.get(r.headers["location"]).text
    assert "Entry corrected." in html and "20 g" in html
    assert re.search(r'<li class="finding sev-(danger|warning)">\s*<details open>', html)
    assert "Findings for tonight, now" in html


def test_a_past_night_is_not_called_tonight(profiled) -> None:
    r = post(profiled, "/tonight/intake", {"amount": "3g", "at": "yesterday 21:00"})
    assert r.status_code == 303, r.text
    html = profiled.get(r.headers["location"]).text
    assert "Findings for the night of Mon 23 Nov 2026" in html
    assert "tonight" not in html.split("<main", 1)[1].split("</main>")[0].lower()


def test_removing_a_medicine_asks_first_and_can_be_undone(profiled) -> None:
    post(profiled, "/health/medicines", {"name": "tramadol", "dose_text": "50 mg",
                                         "regimen": "as_needed"})
    med = _meds(profiled)[0]
    page = profiled.get("/health").text
    assert f'href="/health/medicines/{med["id"]}/remove"' in page  # a link, not a one-tap POST
    confirm = profiled.get(f"/health/medicines/{med['id']}/remove").text
    assert "Remove tramadol?" in confirm and "warnings" in confirm
    assert len(_meds(profiled)) == 1  # asking removes nothing
    r = post(profiled, f"/health/medicines/{med['id']}/remove")
    assert r.status_code == 303 and _meds(profiled) == []
    landing = profiled.get(r.headers["location"]).text
    assert "tramadol was removed" in landing and ">Undo</button>" in landing
    values = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">',
                             landing.split('id="undo"')[1].split("</form>")[0]))
    r = post(profiled, "/health/medicines", values)
    assert r.status_code == 303
    back = _meds(profiled)
    assert [(m["name"], m["dose_text"], m["regimen"]) for m in back] == [
        ("tramadol", "50 mg", "as_needed")]
    assert "Medicine restored." in profiled.get(r.headers["location"]).text


def test_a_medicine_can_be_edited_and_bad_input_stays_beside_its_field(profiled) -> None:
    post(profiled, "/health/medicines", {"name": "sertralin"})
    mid = _meds(profiled)[0]["id"]
    r = post(profiled, f"/health/medicines/{mid}/edit", {"name": "", "regimen": "regular"})
    assert r.status_code == 422 and 'id="e-name"' in r.text
    r = post(profiled, f"/health/medicines/{mid}/edit", {"name": "sertraline",
                                                        "dose_text": "50 mg",
                                                        "regimen": "regular"})
    assert r.status_code == 303
    assert _meds(profiled)[0]["name"] == "sertraline"
    assert _meds(profiled)[0]["id"] == mid


def test_one_time_input_everywhere_on_tonight(profiled) -> None:
    html = profiled.get("/tonight").text
    assert 'type="time"' not in html  # 24-hour text with a pattern, not a locale's 12-hour input
    assert html.count('pattern="([01]?[0-9]|2[0-3]):[0-5][0-9]"') == 3


def test_an_implausible_mitragynine_result_is_refused_beside_its_field(profiled) -> None:
    assert post(profiled, "/products", {"name": "Red Bali", "form": "powder"}).status_code == 303
    r = post(profiled, "/products/batches", {"product": "Red Bali", "lot": "A1",
                                             "mitragynine_pct": "99"})
    assert r.status_code == 422
    assert 'id="e-b-mitragynine_pct"' in r.text and "not plausible" in r.text
    assert post(profiled, "/products/batches", {"product": "Red Bali", "lot": "A1",
                                                "mitragynine_pct": "1.4"}).status_code == 303
    assert post(profiled, "/products", {"name": "Resin", "form": "extract"}).status_code == 303
    assert post(profiled, "/products/batches", {"product": "Resin",
                                                "mitragynine_pct": "34.65"}).status_code == 303


def test_one_drink_is_one_drink(profiled) -> None:
    post(profiled, "/tonight/substance", {"kind": "alcohol", "amount": "1", "at": "20:40"})
    post(profiled, "/tonight/intake", {"amount": "3g", "at": "20:00"})
    html = profiled.get("/tonight").text
    assert "1 drinks" not in html and "drink(s)" not in html
    assert "1 drink" in html


def test_substance_and_pain_entries_can_be_corrected(profiled) -> None:
    post(profiled, "/tonight/intake", {"amount": "3g", "at": "20:00"})
    post(profiled, "/tonight/substance", {"kind": "caffeine", "amount": "80", "at": "20:30"})
    post(profiled, "/tonight/pain", {"nrs": "5", "at": "20:45"})
    night = profiled.get("/api/nights/2026-11-24").json()
    sid, pid = night["substances"][0]["id"], night["pain"][0]["id"]
    tonight = profiled.get("/tonight").text
    assert f'href="/journal/substance/{sid}/edit"' in tonight
    assert f'href="/journal/pain/{pid}/edit"' in tonight
    form = profiled.get(f"/journal/substance/{sid}/edit").text
    assert 'value="2026-11-24 20:30"' in form
    bad = post(profiled, f"/journal/pain/{pid}/edit", {"nrs": "12", "context": "evening",
                                                       "at": "2026-11-24 20:45"})
    assert bad.status_code == 422 and 'id="e-nrs"' in bad.text
    # the caffeine was a drink: corrected, and the danger it draws shows where it lands
    r = post(profiled, f"/journal/substance/{sid}/edit", {"kind": "alcohol", "amount": "2",
                                                          "at": "2026-11-24 20:30"})
    assert r.status_code == 303
    html = profiled.get(r.headers["location"]).text
    assert "Entry corrected." in html
    _danger_shown_without_a_click(html)
    assert post(profiled, f"/journal/pain/{pid}/edit", {"nrs": "3", "context": "evening",
                                                        "at": "2026-11-24 20:45"}
                ).status_code == 303
    night = profiled.get("/api/nights/2026-11-24").json()
    assert [s["kind"] for s in night["substances"]] == ["alcohol"]
    assert [p["nrs"] for p in night["pain"]] == [3]


def test_products_and_batches_can_be_edited(profiled) -> None:
    post(profiled, "/products", {"name": "Red Bali", "form": "powder"})
    post(profiled, "/products", {"name": "Green caps", "form": "capsule", "capsule_mg": "500"})
    post(profiled, "/products/batches", {"product": "Red Bali", "lot": "RB1",
                                         "mitragynine_pct": "1.2"})
    views = profiled.get("/api/products").json()
    products = views["products"] if isinstance(views, dict) else views
    red = next(v for v in products if v["product"]["name"] == "Red Bali")
    pid, bid = red["product"]["id"], red["batches"][0]["id"]
    listing = profiled.get("/products").text
    assert f'href="/products/{pid}/edit"' in listing
    assert f'href="/products/batches/{bid}/edit"' in listing
    form = profiled.get(f"/products/{pid}/edit").text
    assert 'value="Red Bali"' in form
    # renaming onto another product is refused beside the name
    r = post(profiled, f"/products/{pid}/edit", {"name": "Green caps", "form": "powder",
                                                 "vein": "red"})
    assert r.status_code == 409 and 'id="e-name"' in r.text
    r = post(profiled, f"/products/{pid}/edit", {"name": "Red Bali (Vendor A)", "form": "powder",
                                                 "vein": "red"})
    assert r.status_code == 303 and "flash=product-edited" in r.headers["location"]
    assert 'value="1.2"' in profiled.get(f"/products/batches/{bid}/edit").text
    r = post(profiled, f"/products/batches/{bid}/edit", {"product": str(pid), "lot": "RB1",
                                                         "mitragynine_pct": "99"})
    assert r.status_code == 422 and "not plausible" in r.text
    r = post(profiled, f"/products/batches/{bid}/edit", {"product": str(pid), "lot": "RB-1",
                                                         "mitragynine_pct": "1.4"})
    assert r.status_code == 303
    views = profiled.get("/api/products").json()
    products = views["products"] if isinstance(views, dict) else views
    red = next(v for v in products if v["product"]["id"] == pid)
    assert red["product"]["name"] == "Red Bali (Vendor A)" and red["product"]["vein"] == "red"
    assert [(b["id"], b["lot"], b["mitragynine_pct"]) for b in red["batches"]] == [
        (bid, "RB-1", 1.4)]

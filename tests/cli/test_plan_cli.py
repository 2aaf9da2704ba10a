"""`tonight`, `routine`, `reminders` and `morning` through the command line."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest

from nightleaf.simulate import simulate_journal
from nightleaf.store import open_store
from tests.support.common import Result

Cli = Callable[..., Result]


def _big_journal() -> None:
    store = open_store(os.environ["NIGHTLEAF_DATABASE_URL"])
    with store.tx(1) as repo:
        repo.save_journal(simulate_journal(90, seed=42))
    store.dispose()


def test_tonight_on_a_fresh_journal(cli: Cli) -> None:
    assert cli("init", "--tz", "Europe/Berlin", "--bedtime", "23:00", "--lead", "60").code == 0
    r = cli("tonight", "--json")
    assert r.code == 0, r.err
    t = json.loads(r.out)
    assert set(t) >= {"night", "now", "settings", "plan", "explanation", "logged", "consistency",
                      "findings", "findings_status"}
    assert t["plan"]["intake_at"] == "2026-11-24T22:00:00+01:00"
    assert t["plan"]["bedtime"] == "2026-11-24T23:00:00+01:00"
    assert t["plan"]["routine_start"] == "2026-11-24T22:30:00+01:00"  # "Screens off", 30 min (AASM)
    assert t["settings"]["lead_minutes"] == 60
    assert t["explanation"]["sources"] and "unknown" not in t["explanation"]["peak"]
    assert "not established" in t["explanation"]["unknown"]
    assert t["consistency"]["bedtime"]["nights"] == 0
    text = cli("tonight").out
    assert "your own setting" in text.lower() and "22:00" in text
    assert "safe " not in text.lower().replace("not a statement that it is safe", "")


def test_tonight_shows_what_is_logged_and_the_planned_amount_findings(cli: Cli) -> None:
    cli("init", "--tz", "Europe/Berlin")
    cli("med", "add", "sertraline")
    cli("log", "intake", "3g", "--at", "20:40")
    cli("routine", "tick", "screens")
    t = json.loads(cli("tonight", "--json", "--amount", "2g").out)
    assert t["logged"]["intakes"][0]["amount"] == "3 g"
    assert t["consistency"]["tonight_intake_offset_minutes"] == -80.0
    assert t["planned_amount"] == "2 g"
    assert any("sertraline" in (f["title"] + f["explanation"]).lower() for f in t["findings"])
    assert [s["done"] for s in t["plan"]["routine"] if s["text"] == "Screens off"] == [True]


def test_tonight_and_morning_on_a_90_night_journal(cli: Cli) -> None:
    _big_journal()
    r = cli("tonight", "--json")
    assert r.code == 0, r.err
    t = json.loads(r.out)
    assert t["settings"]["tz"] == "America/New_York"
    assert t["night"] == "2026-11-24"
    bed = t["consistency"]["bedtime"]
    assert 8 <= bed["nights"] <= 14 and bed["sd_minutes"] is not None
    assert t["consistency"]["wake"]["mean_offset_minutes"] is not None
    assert cli("tonight").code == 0
    m = cli("morning", "--yes", "--pain", "3", "--withdrawal", "restlessness:1", "--json")
    assert m.code == 0, m.err
    out = json.loads(m.out)
    assert out["night"] == "2026-11-23"
    assert out["pain"]["nrs"] == 3 and out["symptoms"][0]["kind"] == "withdrawal"
    rows = {r["metric"]: r for r in out["comparison"]}
    assert rows["TIB (time in bed)"]["recent_nights"] >= 8
    assert out["metrics_source"]
    assert cli("routine", "adherence", "--days", "30").code == 0
    a = json.loads(cli("routine", "adherence", "--json").out)
    assert a["nights"] >= 25 and 0.4 < a["rate"] < 1.0


def test_morning_on_a_fresh_journal_with_flags_only(cli: Cli) -> None:
    cli("init", "--tz", "Europe/Berlin")
    r = cli("morning", "--no-input", "--into-bed", "22:50", "--tried", "23:10", "--sol", "20",
            "--awakenings", "1", "--waso", "15", "--final", "06:40", "--out", "07:00",
            "--quality", "4", "--pain", "2", "--side-effect", "nausea:1", "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    rows = {r["metric"]: r for r in out["comparison"]}
    assert rows["TIB (time in bed)"]["last_night"] == 490.0
    assert rows["TST (total sleep time)"]["last_night"] == 415.0  # 450 - 20 - 15
    assert rows["TIB (time in bed)"]["recent_mean"] is None
    assert out["entry"]["quality"] == 4 and out["symptoms"][0]["name"] == "nausea"
    text = cli("morning", "--no-input", "--quality", "3").out
    assert "last night" in text


def test_morning_saves_nothing_when_one_answer_is_bad(cli: Cli) -> None:
    cli("init", "--tz", "Europe/Berlin")
    r = cli("morning", "--no-input", "--tried", "23:00", "--final", "06:30", "--pain", "11")
    assert r.code == 2 and "pain" in r.err.lower()
    assert json.loads(cli("nights", "--json").out)["nights"] == []
    r = cli("morning", "--no-input", "--side-effect", "nausea")
    assert r.code == 2 and "name:severity" in r.err


def test_routine_add_edit_move_remove_tick(cli: Cli) -> None:
    cli("init", "--tz", "Europe/Berlin")
    items = json.loads(cli("routine", "list", "--json").out)
    assert len(items) == 5 and all(v["sources"] for v in items)
    assert any("30 minutes" in s for v in items for s in v["source_says"])
    new = json.loads(cli("routine", "add", "Stretch", "--minutes", "40", "--json").out)
    assert new["position"] == 6
    assert json.loads(cli("tonight", "--json").out)["plan"]["routine_start"].endswith("22:20:00+01:00")
    assert cli("routine", "move", str(new["id"]), "1").code == 0
    assert json.loads(cli("routine", "list", "--json").out)[0]["item"]["text"] == "Stretch"
    assert cli("routine", "edit", "Stretch", "--text", "Gentle stretch", "--no-time").code == 0
    assert cli("routine", "tick", "Gentle").code == 0
    assert cli("routine", "remove", "Gentle stretch").code == 0
    listed = json.loads(cli("routine", "list", "--json").out)
    assert "Gentle stretch" not in [v["item"]["text"] for v in listed]
    assert "Gentle stretch (removed)" in cli("routine", "list", "--all").out
    r = cli("routine", "tick", "no such thing")
    assert r.code == 2 and "routine list" in r.err


@pytest.mark.parametrize(("args", "message"), [
    (("profile", "set", "--bedtime", "25:00"), "hours run 00-23"),
    (("profile", "set", "--lead", "-10"), "0 to 240"),
    (("profile", "set", "--lead", "600"), "0 to 240"),
    (("routine", "add", ""), "needs some text"),
    (("routine", "add", "   "), "needs some text"),
    (("routine", "add", "Read", "--minutes", "300"), "between 0 and 240"),
    (("routine", "move", "1", "99"), "between 1 and"),
    (("reminders", "--out", "/nonexistent/dir/x.ics"), "does not exist"),
    (("tonight", "--amount", "lots"), "amount"),
])
def test_bad_settings_get_one_clear_line_and_exit_2(cli: Cli, args: tuple[str, ...],
                                                    message: str) -> None:
    cli("init", "--tz", "Europe/Berlin")
    r = cli(*args)
    assert r.code == 2, r.out
    assert message in r.err
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) <= 2


def test_reminders_file_round_trips_and_keeps_uids(cli: Cli, tmp_path: Path) -> None:
    cli("init", "--tz", "America/New_York", "--bedtime", "22:45", "--lead", "50")
    cli("profile", "set", "--wake", "06:30")
    out = tmp_path / "nightleaf.ics"
    r = cli("reminders", "--out", str(out), "--json")
    assert r.code == 0, r.err
    first = icalendar.Calendar.from_ical(out.read_bytes())
    times = {str(e["SUMMARY"]): e.start.strftime("%H:%M") for e in first.walk("VEVENT")}
    assert times == {"Pre-sleep routine starts": "22:15", "Planned intake time (your setting)":
                     "21:55", "Lights out": "22:45", "Morning check-in": "06:30"}
    cli("profile", "set", "--bedtime", "23:15")
    assert cli("reminders", "--out", str(out)).code == 0
    again = icalendar.Calendar.from_ical(out.read_bytes())
    assert sorted(str(e["UID"]) for e in first.walk("VEVENT")) == \
        sorted(str(e["UID"]) for e in again.walk("VEVENT"))
    assert {str(e["SUMMARY"]): e.start.strftime("%H:%M") for e in again.walk("VEVENT")}[
        "Lights out"] == "23:15"


def test_the_readme_documents_the_json_shapes(cli: Cli) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    cli("init", "--tz", "Europe/Berlin")
    tonight = json.loads(cli("tonight", "--json").out)
    morning = json.loads(cli("morning", "--no-input", "--quality", "3", "--json").out)
    section = readme.split("## Tonight and the morning check-in")[1].split("## Documentation")[0]
    for key in [*tonight, *tonight["plan"], *tonight["consistency"], *morning]:
        assert f'"{key}"' in section, key

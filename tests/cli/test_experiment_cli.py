"""``nightleaf experiment``: a whole experiment logged through the CLI, night by night, with the
clock pinned; and bad input refused with one line, exit 2, nothing written."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from tests.support.common import Result

Cli = Callable[..., Result]

START = date(2027, 1, 4)
#: 2 pairs of 7-night periods, 2 wash-out nights: 10 analysed nights per arm
DESIGN = ("--period", "7", "--pairs", "2", "--washout", "2", "--start", START.isoformat(),
          "--seed", "11")


def _init(cli: Cli, monkeypatch: pytest.MonkeyPatch, *extra: str) -> None:
    monkeypatch.setenv("NIGHTLEAF_NOW", "2027-01-02T12:00:00+00:00")
    r = cli("init", "--tz", "UTC", "--bedtime", "23:00", "--lead", "60")
    assert r.code == 0, r.err
    if extra:
        r = cli("profile", "set", *extra)
        assert r.code == 0, r.err


def _hhmm(minutes: int) -> str:
    m = minutes % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def _live_through(cli: Cli, monkeypatch: pytest.MonkeyPatch, schedule: list[dict[str, object]],
                  effect_min: float, *, seed: int) -> None:
    """Take the arm's intake each evening and log the diary the next morning: TST is 420 min
    plus ``effect_min`` on B nights plus noise (SD 12 min)."""
    rng = random.Random(seed)
    for n in schedule:
        night = date.fromisoformat(str(n["night"]))
        lead = 60 if n["arm"] == "A" else 120
        intake_at = 23 * 60 - lead
        monkeypatch.setenv("NIGHTLEAF_NOW", f"{night}T{_hhmm(intake_at + 5)}:00+00:00")
        r = cli("log", "intake", "2 g", "--at", _hhmm(intake_at))
        assert r.code == 0, r.err
        tst = round(420 + (effect_min if n["arm"] == "B" else 0) + rng.gauss(0, 12))
        # tried 23:00, SOL 15, WASO 10: final awakening = 23:00 + 15 + 10 + TST
        final = 23 * 60 + 15 + 10 + tst
        morning = night + timedelta(days=1)
        monkeypatch.setenv("NIGHTLEAF_NOW", f"{morning}T{_hhmm(final + 30)}:00+00:00")
        r = cli("log", "sleep", "--night", night.isoformat(), "--into-bed", "22:50",
                "--tried", "23:00", "--sol", "15", "--waso", "10", "--final", _hhmm(final),
                "--out", _hhmm(final + 10))
        assert r.code == 0, r.err


def _after_the_end(monkeypatch: pytest.MonkeyPatch, schedule: list[dict[str, object]]) -> None:
    last = date.fromisoformat(str(schedule[-1]["night"]))
    monkeypatch.setenv("NIGHTLEAF_NOW", f"{last + timedelta(days=1)}T12:00:00+00:00")


def _new(cli: Cli, *args: str) -> dict[str, object]:
    r = cli("experiment", "new", "earlier intake", "--compare", "timing", "--a", "60",
            "--b", "120", *args, "--json")
    assert r.code == 0, r.err
    created: dict[str, object] = json.loads(r.out)
    return created


def test_a_known_effect_logged_through_the_cli_is_inside_the_interval(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _init(cli, monkeypatch)
    created = _new(cli, *DESIGN)
    shown = json.loads(cli("experiment", "show", str(created["id"]), "--json").out)
    schedule = shown["schedule"]
    assert len(schedule) == 28 and schedule[0] == {"night": "2027-01-04", "arm": schedule[0]["arm"],
                                                  "washout": True}
    assert sum(n["arm"] == "B" for n in schedule) == 14
    monkeypatch.setenv("NIGHTLEAF_NOW", "2027-01-10T21:00:00+00:00")
    interim = json.loads(cli("experiment", "result", str(created["id"]), "--json").out)
    assert interim["final"] is False and interim["note"] == "interim; this can change"

    _live_through(cli, monkeypatch, schedule, effect_min=40, seed=5)
    _after_the_end(monkeypatch, schedule)
    r = cli("experiment", "result", str(created["id"]), "--json")
    assert r.code == 0, r.err
    res = json.loads(r.out)
    assert res["final"] is True
    tst = res["outcomes"][0]
    assert tst["metric"] == "tst" and tst["n_nights"] == 20
    lo, hi = tst["interval"]
    assert lo <= 40 <= hi
    assert tst["verdict"] == "B is likely better by at least what you said matters"
    assert tst["p_benefit"] > 0.975 and tst["p_harm_mid"] < 0.01
    assert res["adherence"] == {"nights": 28, "matched": 28, "not_matched": 0}
    # the plain-text result says the same, and tonight's arm is gone after the end
    text = cli("experiment", "result", str(created["id"])).out
    assert "final result" in text and "B is likely better" in text


def test_no_effect_gives_no_better_verdict(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _init(cli, monkeypatch)
    created = _new(cli, *DESIGN)
    schedule = json.loads(cli("experiment", "show", str(created["id"]), "--json").out)["schedule"]
    _live_through(cli, monkeypatch, schedule, effect_min=0, seed=9)
    _after_the_end(monkeypatch, schedule)
    res = json.loads(cli("experiment", "result", str(created["id"]), "--json").out)
    assert res["final"] is True
    assert not res["outcomes"][0]["verdict"].startswith("B is likely better")
    lo, hi = res["outcomes"][0]["interval"]
    assert lo <= 0 <= hi


def test_stopping_early_is_recorded_and_the_result_stays_interim(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _init(cli, monkeypatch)
    created = _new(cli, *DESIGN)
    monkeypatch.setenv("NIGHTLEAF_NOW", "2027-01-08T10:00:00+00:00")
    r = cli("experiment", "stop", str(created["id"]), "--reason", "travel", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["stopped_reason"] == "travel"
    monkeypatch.setenv("NIGHTLEAF_NOW", "2027-03-01T10:00:00+00:00")
    res = json.loads(cli("experiment", "result", str(created["id"]), "--json").out)
    assert res["final"] is False and res["status"] == "stopped"
    assert all(o["verdict"] == "not enough nights yet" for o in res["outcomes"])
    # a stopped experiment frees its remaining nights for a new one
    _new(cli, "--start", "2027-03-02", "--seed", "3")


def _counts(cli: Cli) -> int:
    r = cli("experiment", "list", "--json")
    return len(json.loads(r.out))


@pytest.mark.parametrize(("args", "message"), [
    (("--compare", "timing", "--a", "60", "--b", "120", "--start", "2027-01-01"), "in the past"),
    (("--compare", "product", "--a", "Red", "--b", "Nope", "--start", "2027-02-01"),
     "unknown product 'Nope'"),
    (("--compare", "amount", "--a", "2", "--b", "5", "--start", "2027-02-01"),
     "above your own ceiling"),
    (("--compare", "timing", "--a", "60", "--b", "120", "--pairs", "0",
      "--start", "2027-02-01"), "--pairs"),
    (("--compare", "timing", "--a", "60", "--b", "120", "--start", "2027-01-10"),
     "overlap experiment 1"),
    (("--compare", "timing", "--a", "60", "--b", "60", "--start", "2027-03-01"), "the same"),
    (("--compare", "sometimes", "--a", "60", "--b", "70"), "--compare"),
])
def test_bad_experiments_get_one_line_exit_2_and_write_nothing(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str) -> None:
    _init(cli, monkeypatch, "--max-grams", "4")
    r = cli("product", "add", "Red")
    assert r.code == 0, r.err
    _new(cli, *DESIGN)
    r = cli("experiment", "new", "bad", *args)
    assert r.code == 2
    assert message in r.err
    assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert _counts(cli) == 1


def test_a_result_for_an_unknown_id_is_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _init(cli, monkeypatch)
    for args in (("result", "7"), ("show", "7"), ("stop", "7", "--reason", "x"),
                 ("result", "abc")):
        r = cli("experiment", *args)
        assert r.code == 2, args
        assert len(r.err.strip().splitlines()) == 1
    assert "no experiment with id 7" in cli("experiment", "result", "7").err


def test_none_for_a_frequent_user_warns_of_withdrawal(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _init(cli, monkeypatch)
    for k in range(6):
        night = date(2026, 12, 26) + timedelta(days=k)
        monkeypatch.setenv("NIGHTLEAF_NOW", f"{night}T21:10:00+00:00")
        assert cli("log", "intake", "2 g", "--at", "21:00").code == 0
    monkeypatch.setenv("NIGHTLEAF_NOW", "2027-01-02T12:00:00+00:00")
    r = cli("experiment", "new", "break", "--compare", "none", "--a", "usual", "--b", "none",
            "--start", "2027-01-04", "--json")
    assert r.code == 0, r.err
    assert "withdrawal" in r.err and "--compare timing" in r.err
    assert json.loads(r.out)["period"] == 14  # kratom vs none: 14-night periods


def test_tonight_and_the_reminders_carry_tonights_arm(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    import icalendar

    _init(cli, monkeypatch)
    created = _new(cli, *DESIGN)
    schedule = json.loads(cli("experiment", "show", str(created["id"]), "--json").out)["schedule"]
    b_night = next(n for n in schedule if n["arm"] == "B" and not n["washout"])
    monkeypatch.setenv("NIGHTLEAF_NOW", f"{b_night['night']}T18:00:00+00:00")
    t = json.loads(cli("tonight", "--json").out)
    assert t["experiment_arm"] == "earlier intake — arm B: intake at 21:00 (120 min before bed)"
    assert "arm B: intake at 21:00" in cli("tonight").out
    out = f"{tmp_path}/r.ics"
    assert cli("reminders", "--out", out).code == 0
    with open(out, "rb") as fh:
        cal = icalendar.Calendar.from_ical(fh.read())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    ev = events[f"nightleaf-p1-experiment-{created['id']}-{b_night['night']}@nightleaf.local"]
    assert "arm B: intake at 21:00" in str(ev["SUMMARY"])
    assert ev.decoded("DTSTART").strftime("%H:%M") == "21:00" and "RRULE" not in ev
    # after the end there is no arm tonight
    monkeypatch.setenv("NIGHTLEAF_NOW", "2027-03-01T18:00:00+00:00")
    assert json.loads(cli("tonight", "--json").out)["experiment_arm"] is None


# -- a wearable outcome: Fitbit nights imported through the CLI ---------------------------------
def _fitbit_file(path: object, nights: dict[date, float]) -> str:
    """A Fitbit export file (Web API shape) with one classic log a night: in bed 23:00, asleep
    15 min later, ``tst`` minutes asleep, 10 min awake inside, out 5 min after waking."""
    logs = []
    for k, (night, tst) in enumerate(sorted(nights.items())):
        duration = 15 + tst + 10 + 5
        logs.append({"logId": 1000 + k, "dateOfSleep": str(night + timedelta(days=1)),
                     "startTime": f"{night}T23:00:00.000", "duration": int(duration * 60000),
                     "minutesAsleep": tst, "minutesAwake": 30, "minutesToFallAsleep": 15,
                     "minutesAfterWakeup": 5, "timeInBed": duration, "efficiency": 90,
                     "type": "classic", "isMainSleep": True,
                     "levels": {"data": [], "shortData": [], "summary": {}}})
    out = f"{path}/sleep-{min(nights)}.json"
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"sleep": logs}, fh)
    return out


def test_a_known_effect_on_fitbit_nights_is_inside_the_interval_with_source_fitbit(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """The person logs the arm's intake and the diary each night (where B takes 60 min of sleep
    away) and imports Fitbit's nights (where B adds 40 min): the result reads Fitbit only."""
    _init(cli, monkeypatch)
    r = cli("experiment", "new", "x", "--compare", "timing", "--a", "60", "--b", "120",
            "--source", "fitbit", *DESIGN)
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1
    assert "no nights from 'fitbit'" in r.err and _counts(cli) == 0
    before = {date(2026, 12, 20) + timedelta(days=k): 430.0 for k in range(10)}
    r = cli("import", "fitbit", _fitbit_file(tmp_path, before))
    assert r.code == 0, r.err
    created = _new(cli, *DESIGN, "--source", "fitbit")
    assert created["source"] == "fitbit" and created["outcome"] == "tst"
    shown = json.loads(cli("experiment", "show", str(created["id"]), "--json").out)
    assert shown["source"] == "fitbit" and shown["source_text"] == "fitbit (wearable)"
    schedule = shown["schedule"]
    _live_through(cli, monkeypatch, schedule, effect_min=-60, seed=5)  # the diary: -60 min
    rng = random.Random(8)
    fitbit = {date.fromisoformat(str(n["night"])):
              float(round(420 + (40 if n["arm"] == "B" else 0) + rng.gauss(0, 12)))
              for n in schedule}
    _after_the_end(monkeypatch, schedule)
    r = cli("import", "fitbit", _fitbit_file(tmp_path, fitbit))
    assert r.code == 0, r.err
    res = json.loads(cli("experiment", "result", str(created["id"]), "--json").out)
    assert res["final"] is True and res["source"] == "fitbit"
    tst = res["outcomes"][0]
    assert (tst["metric"], tst["source"], tst["n_nights"]) == ("tst", "fitbit", 20)
    lo, hi = tst["interval"]
    assert lo <= 40 <= hi and tst["effect"] > 0 and tst["p_benefit"] > 0.9
    assert not tst["verdict"].startswith("B is likely worse")
    text = cli("experiment", "result", str(created["id"])).out
    assert "sleep outcomes from the fitbit (wearable)" in text
    assert "fitbit (wearable)" in cli("experiment", "show", str(created["id"])).out


def _rate_mornings(cli: Cli, monkeypatch: pytest.MonkeyPatch, ratings: list[int]) -> None:
    """Morning pain after each of the nights before 2027-01-02, newest last."""
    for k, nrs in enumerate(reversed(ratings)):
        morning = date(2027, 1, 2) - timedelta(days=k)
        monkeypatch.setenv("NIGHTLEAF_NOW", f"{morning}T08:00:00+00:00")
        r = cli("log", "pain", str(nrs), "--context", "morning")
        assert r.code == 0, r.err
    monkeypatch.setenv("NIGHTLEAF_NOW", "2027-01-02T12:00:00+00:00")


def test_a_30_percent_pain_mid_is_shown_in_points_of_the_usual_pain(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _init(cli, monkeypatch)
    r = cli("experiment", "new", "pain", "--compare", "timing", "--a", "60", "--b", "120",
            "--outcome", "pain", "--mid", "30%", *DESIGN)
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert "needs your usual morning pain" in r.err and "(you have 0)" in r.err
    assert _counts(cli) == 0
    _rate_mornings(cli, monkeypatch, [6, 8, 7, 7, 6, 8, 7, 7])
    r = cli("experiment", "new", "pain", "--compare", "timing", "--a", "60", "--b", "120",
            "--outcome", "pain", "--mid", "30%", *DESIGN)
    assert r.code == 0, r.err
    assert "what matters: 2.1 points (30 % of your usual 7.0)" in r.out
    shown = json.loads(cli("experiment", "show", "1", "--json").out)
    assert (shown["mid"], shown["mid_usual"]) == (2.1, 7.0)
    assert shown["mid_text"] == "2.1 points (30 % of your usual 7.0)"
    res = json.loads(cli("experiment", "result", "1", "--json").out)
    assert res["outcomes"][0]["metric"] == "pain" and res["outcomes"][0]["mid"] == 2.1

"""`nightleaf init`: questions in a terminal, flags for scripts, and nothing before it."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.common import Result

Cli = Callable[..., Result]
SRC = Path(__file__).resolve().parents[2] / "src"


def test_init_with_flags_sets_everything_and_shows_the_first_check(cli: Cli) -> None:
    r = cli("init", "--tz", "Europe/Berlin", "--region", "DE", "--bedtime", "22:30",
            "--wake", "06:45", "--lead", "45", "--med", "tramadol", "--condition", "sleep apnea",
            "--no-input")
    assert r.code == 0, r.err
    assert "bedtime 22:30, wake 06:45, lead time 45 min (your setting, not a recommendation)" \
        in r.out
    assert "First safety check" in r.out
    assert "tramadol with kratom" in r.out and "sleep apnea and kratom" in r.out
    assert "Legal status in Germany" in r.out  # the law where they live
    p = json.loads(cli("profile", "show", "--json").out)
    assert (p["tz"], p["region"], p["target_bedtime"], p["target_wake"], p["lead_minutes"]) == \
        ("Europe/Berlin", "DE", "22:30:00", "06:45:00", 45)
    assert [m["name"] for m in json.loads(cli("med", "list", "--json").out)] == ["tramadol"]


def test_init_without_region_says_how_to_see_the_law(cli: Cli) -> None:
    r = cli("init", "--tz", "Europe/Berlin", "--no-input")
    assert r.code == 0
    assert "set your region to see it" in r.out


def test_a_bad_flag_saves_nothing(cli: Cli) -> None:
    r = cli("init", "--tz", "Mars/Olympus", "--med", "tramadol", "--no-input")
    assert r.code == 2 and "unknown time zone" in r.err
    assert cli("log", "pain", "5").code == 2  # still no profile
    assert json.loads(cli("med", "list", "--json").out) == []


def test_init_again_changes_only_what_is_given(cli: Cli) -> None:
    cli("init", "--tz", "Europe/Berlin", "--bedtime", "22:00", "--no-input")
    cli("init", "--lead", "30", "--no-input")
    p = json.loads(cli("profile", "show", "--json").out)
    assert (p["tz"], p["target_bedtime"], p["lead_minutes"]) == ("Europe/Berlin", "22:00:00", 30)


@pytest.mark.parametrize("args", [("log", "pain", "6"), ("tonight",), ("summary",),
                                  ("nights",), ("check",), ("report", "--out", "r.html"),
                                  ("log", "sleep", "--night", "yesterday", "--quality", "3")])
def test_commands_before_init_say_run_init_first(cli: Cli, tmp_path: Path,
                                                 args: tuple[str, ...]) -> None:
    r = cli(*args)
    assert r.code == 2
    assert r.err.strip().splitlines() == [
        "error: no journal set up yet: run `nightleaf init` first (it asks for your time zone, "
        "region and bedtime)"]
    assert not (tmp_path / "journal.db").exists()  # nothing was created silently


def _subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "NIGHTLEAF_HOME": str(tmp_path / "home"),
           "NIGHTLEAF_NOW": "2026-11-24T21:00:00+01:00", "COLUMNS": "120", **extra}
    env.pop("NIGHTLEAF_DATABASE_URL", None)
    return env


def test_init_with_stdin_not_a_terminal_never_waits(tmp_path: Path) -> None:
    """Piped (as in `make run` from a script), it takes the defaults: the detected zone."""
    env = _subprocess_env(tmp_path, TZ="America/Chicago")
    p = subprocess.run([sys.executable, "-m", "nightleaf", "init"], env=env, input="",
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "Time zone America/Chicago (detected; change with --tz)" in p.stdout


def _wait_for(session: str, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-J", "-S", "-200", "-t", session],
                                capture_output=True, text=True).stdout
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} did not appear in the terminal:\n{screen}")


def test_init_asks_in_a_real_terminal(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed, so the terminal test cannot run (apt install tmux)")
    env = _subprocess_env(tmp_path, TZ="Europe/Berlin")
    session = f"nlinit{os.getpid()}"
    done = tmp_path / "done"
    cmd = f"{shlex.quote(sys.executable)} -m nightleaf init; echo $? > {done}"
    exports = " ".join(f"{k}={shlex.quote(env[k])}" for k in
                       ("PYTHONPATH", "NIGHTLEAF_HOME", "NIGHTLEAF_NOW", "TZ", "COLUMNS"))
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "50",
                    f"env -u NIGHTLEAF_DATABASE_URL {exports} bash -c {shlex.quote(cmd)}; "
                    "sleep 30"], check=True)
    try:
        def answer(prompt: str, keys: str) -> str:
            screen = _wait_for(session, prompt)
            subprocess.run(["tmux", "send-keys", "-t", session, keys, "Enter"], check=True)
            return screen

        screen = answer("Your time zone (detected from this machine)", "")
        assert "(Europe/Berlin)" in screen  # the detected zone is the default
        answer("Where you live", "DE")
        screen = answer("target bedtime", "22:30")
        assert "(23:00)" in screen
        answer("target wake time", "")  # default 07:00
        screen = answer("not a recommendation", "abc")
        _wait_for(session, "lead time")
        subprocess.run(["tmux", "send-keys", "-t", session, "45", "Enter"], check=True)
        answer("A medicine you take", "sertralin")
        answer("Did you mean sertraline?", "y")
        answer("Another (Enter when done)", "")
        answer("A health condition", "sleep apnea")
        answer("Another (Enter when done)", "")
        screen = _wait_for(session, "Next: nightleaf product add")
        assert "First safety check" in screen
        assert "sertraline with kratom" in screen and "sleep apnea and kratom" in screen
        assert "Legal status in Germany" in screen
        deadline = time.monotonic() + 10
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert done.read_text().strip() == "0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    show = subprocess.run([sys.executable, "-m", "nightleaf", "profile", "show", "--json"],
                          env=env, capture_output=True, text=True, check=True)
    p = json.loads(show.stdout)
    assert (p["tz"], p["region"], p["target_bedtime"], p["target_wake"], p["lead_minutes"]) == \
        ("Europe/Berlin", "DE", "22:30:00", "07:00:00", 45)
    meds = subprocess.run([sys.executable, "-m", "nightleaf", "med", "list", "--json"],
                          env=env, capture_output=True, text=True, check=True)
    assert [m["name"] for m in json.loads(meds.stdout)] == ["sertraline"]  # corrected at add

"""`nightleaf morning` in a real terminal, driven through tmux (send-keys, capture-pane)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def _wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                capture_output=True, text=True).stdout
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} did not appear in the terminal:\n{screen}")


def test_morning_in_a_real_terminal(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed, so the terminal test cannot run (apt install tmux)")
    env = {**os.environ, "PYTHONPATH": str(SRC), "NIGHTLEAF_NOW": "2026-11-24T08:00:00+01:00",
           "NIGHTLEAF_DATABASE_URL": f"sqlite:///{tmp_path / 'journal.db'}", "COLUMNS": "120"}
    nl = [sys.executable, "-m", "nightleaf"]
    for args in (["init", "--tz", "Europe/Berlin", "--no-input"], ["profile", "set", "--wake", "07:00"]):
        subprocess.run(nl + args, env=env, check=True, capture_output=True)
    session = f"nlmorning{os.getpid()}"
    done = tmp_path / "done"
    cmd = " ".join(shlex.quote(a) for a in nl + ["morning"]) + f"; echo $? > {done}"
    exports = " ".join(f"{k}={shlex.quote(env[k])}" for k in
                       ("PYTHONPATH", "NIGHTLEAF_NOW", "NIGHTLEAF_DATABASE_URL"))
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "50",
                    f"env {exports} bash -c {shlex.quote(cmd)}; sleep 30"], check=True)
    try:
        def answer(prompt: str, keys: str) -> None:
            _wait_for(session, prompt)
            subprocess.run(["tmux", "send-keys", "-t", session, keys, "Enter"], check=True)

        screen = _wait_for(session, "get into bed?")
        assert "(23:00)" in screen  # the default from last night's plan
        answer("get into bed?", "")  # keep the default
        answer("try to go to sleep?", "23:20")
        answer("fall asleep (minutes)?", "abc")  # a bad answer is asked again
        _wait_for(session, "must be a number")
        subprocess.run(["tmux", "send-keys", "-t", session, "25", "Enter"], check=True)
        answer("not counting your final awakening?", "1")
        answer("these awakenings last", "10")
        answer("final awakening?", "06:50")
        answer("out of bed for the day?", "")  # default 07:00
        answer("Sleep quality", "4")
        answer("How rested", "3")
        answer("Pain right now", "5")
        answer("Side effects?", "nausea:1")
        answer("Withdrawal signs?", "")
        screen = _wait_for(session, "Metrics:")
        assert "Saved the morning check-in for the night of 2026-11-23" in screen
        assert "TIB (time in bed)" in screen
        deadline = time.monotonic() + 10
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert done.read_text().strip() == "0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    nights = json.loads(subprocess.run(nl + ["nights", "--json"], env=env, check=True,
                                       capture_output=True, text=True).stdout)
    row = nights["nights"][0]
    assert row["night"] == "2026-11-23" and row["tried_to_sleep"] == "23:20"
    assert row["quality"] == 4 and row["pain_morning"] == 5

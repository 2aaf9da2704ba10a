"""The README's tour works when pasted, at any hour (run command by command on a fresh journal).

The tour is read from README.md exactly as written and run three times: on the real clock, and
with the clock pinned (``NIGHTLEAF_NOW``) at 00:30 and 06:00 local time in the tour's zone, the
hours when "last night" is still in progress or just ending.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.common import Result

README = Path(__file__).resolve().parents[1] / "README.md"


def tour_commands() -> list[list[str]]:
    text = README.read_text()
    block = re.search(r"## A five-minute tour.*?```sh\n(.*?)```", text, re.S)
    assert block, "README has no tour block"
    joined = block.group(1).replace("\\\n", " ")
    cmds = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)  # as a shell reads it: quotes, # comments
        if words and words[0] == "nightleaf":
            cmds.append(words[1:])
        else:
            assert not words, f"a tour line that is not a nightleaf command: {line!r}"
    return cmds


def tour_zone() -> ZoneInfo:
    init = next(c for c in tour_commands() if c[0] == "init")
    return ZoneInfo(init[init.index("--tz") + 1])


def test_the_tour_has_the_main_commands() -> None:
    firsts = {c[0] for c in tour_commands()}
    assert {"init", "product", "batch", "log", "nights", "summary", "report", "export", "import",
            "serve"} <= firsts


def test_the_tour_dates_are_relative() -> None:
    """No fixed date: a date in the tour would fail on some later day."""
    for args in tour_commands():
        for a in args:
            assert not re.search(r"\d{4}-\d{2}-\d{2}", a), f"fixed date in the tour: {args}"


@pytest.mark.parametrize("hour", [None, time(0, 30), time(6, 0)],
                         ids=["real-clock", "at-00-30", "at-06-00"])
def test_the_readme_tour_runs(cli: Callable[..., Result], tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch, hour: time | None) -> None:
    if hour is None:
        monkeypatch.delenv("NIGHTLEAF_NOW")
    else:
        zone = tour_zone()
        now = datetime.combine(datetime.now(zone).date(), hour, tzinfo=zone)
        monkeypatch.setenv("NIGHTLEAF_NOW", now.isoformat())
    monkeypatch.chdir(tmp_path)  # the tour writes report.pdf, backup.json... here
    outputs: dict[str, str] = {}
    for args in tour_commands():
        if args[0] == "serve":
            continue  # started in tests/web/test_serve.py
        r = cli(*args)
        assert r.code == 0, f"nightleaf {shlex.join(args)} failed: {r.err}"
        outputs[shlex.join(args)] = r.out
    assert (tmp_path / "report.pdf").stat().st_size > 0
    assert (tmp_path / "report.html").read_text().count("<html") == 1
    # right after the tour, the summary shows the night that was logged, not rows of "—"
    summary = outputs["summary --days 28"]
    assert "night(s) with nothing logged are left out" in summary
    night_rows = [ln for ln in summary.splitlines() if re.search(r"\d{4}-\d{2}-\d{2}", ln)
                  and "Nights" not in ln]
    assert 1 <= len(night_rows) <= 2, summary  # the night before last (and last night's pain)
    assert any("│ 3 " in ln and "405" in ln for ln in night_rows), summary  # 3 g; TST 405 min

"""The README's tour works when pasted (run command by command on a fresh journal)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

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
        line = line.split("  #")[0].strip()
        if line.startswith("nightleaf "):
            cmds.append(shlex.split(line)[1:])
    return cmds


def test_the_tour_has_the_main_commands() -> None:
    firsts = {c[0] for c in tour_commands()}
    assert {"init", "product", "batch", "log", "nights", "export", "import", "serve"} <= firsts


def test_the_readme_tour_runs(cli: Callable[..., Result], tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # export writes backup.json here; undone after the test
    for args in tour_commands():
        if args[0] == "serve":
            continue  # started in tests/web/test_serve.py
        r = cli(*args)
        assert r.code == 0, f"nightleaf {' '.join(args)} failed: {r.err}"

"""The CLI: friendly input, JSON output, one clear line and exit 2 for bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import typer

from nightleaf.cli.main import app
from tests.support.common import Result

Cli = Callable[..., Result]


def _setup(cli: Cli) -> None:
    assert cli("init", "--tz", "Europe/Berlin", "--region", "DE", "--bedtime", "23:00").code == 0
    assert cli("product", "add", "Red Bali", "--vein", "red").code == 0
    assert cli("batch", "add", "Red Bali", "--lot", "L1", "--mitragynine", "1.5",
               "--7oh", "0.02").code == 0


def test_log_intake_derives_mitragynine_from_the_batch(cli: Cli) -> None:
    _setup(cli)
    r = cli("log", "intake", "3 g", "--product", "red bali", "--at", "20:30", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["intake"]["mitragynine_mg"] == 45.0
    assert data["intake"]["night"] == "2026-11-24"
    assert data["intake"]["at"] == "2026-11-24T19:30:00+00:00"
    assert isinstance(data["findings"], list)


def test_capsules_use_the_product_capsule_size(cli: Cli) -> None:
    cli("init", "--tz", "Europe/Berlin")
    cli("product", "add", "Caps", "--form", "capsule", "--capsule-mg", "500")
    r = cli("log", "intake", "4 caps", "-p", "Caps", "--at", "20:00", "--json")
    assert json.loads(r.out)["intake"]["amount"] == {
        "value": 4.0, "unit": "capsule", "capsule_mg": 500.0, "tea_grams": None}


def test_nights_lists_what_was_logged(cli: Cli) -> None:
    _setup(cli)
    cli("log", "intake", "3g", "-p", "Red Bali", "--at", "yesterday 22:00")
    cli("log", "sleep", "--night", "yesterday", "--tried", "23:10", "--sol", "15",
        "--awakenings", "1", "--waso", "10", "--final", "06:40", "--out", "07:00", "--quality", "4")
    cli("log", "pain", "6", "--context", "evening", "--at", "yesterday 21:00")
    r = cli("nights", "--json")
    (night,) = json.loads(r.out)["nights"]
    assert night == {"night": "2026-11-23", "intakes": 1, "grams": 3.0, "mitragynine_mg": 45.0,
                     "last_intake": "22:00", "tried_to_sleep": "23:10",
                     "final_awakening": "06:40", "quality": 4, "tst_minutes": 425.0,
                     "se_percent": None, "pain_evening": 6,
                     "pain_morning": None, "wearable_episodes": 0, "wearable": [],
                     "symptoms": [], "experiment_arm": None}
    table = cli("nights")
    assert "2026-11-23" in table.out and "23:10" in table.out


BAD_INPUT = [
    (("log", "intake", "3kg"), "unknown unit"),
    (("log", "intake", "-3g"), "greater than zero"),
    (("log", "intake", "400g"), "beyond what this journal accepts"),
    (("log", "intake", "3g", "--product", "Nope"), "unknown product 'Nope'"),
    (("log", "intake", "3g", "--at", "23:30"), "in the future"),
    (("log", "intake", "2 caps"), "capsules need their size"),
    (("log", "pain", "11"), "between 0 and 10"),
    (("log", "pain", "-1"), "between 0 and 10"),
    (("log", "pain", "5", "--context", "noon"), "unknown pain context"),
    (("log", "symptom", "nausea", "7"), "severity must be between 0 and 4"),
    (("log", "sleep", "--night", "yesterday", "--tried", "23:00", "--final", "22:00"),
     "final awakening"),
    (("log", "sleep", "--night", "yesterday", "--tried", "23:00", "--final", "01:00",
      "--sol", "30", "--awakenings", "2", "--waso", "200"), "longer than the night"),
    (("log", "sleep", "--night", "yesterday", "--quality", "9"), "sleep quality"),
    (("log", "substance", "wine"), "unknown substance kind"),
    (("profile", "set", "--tz", "Mars/Olympus"), "unknown time zone"),
    (("profile", "set", "--region", "ZZ"), "invalid region code"),
    (("profile", "set", "--bedtime", "25:00"), "not a time of day"),
    (("profile", "set", "--lead", "-10"), "lead time"),
    (("profile", "set", "--lead", "600"), "lead time"),
    (("batch", "add", "Red Bali", "--7oh", "120"), "between 0 and 100"),
    (("batch", "add", "Nope"), "unknown product"),
    (("product", "add", "X", "--form", "gummy"), "unknown form"),
    (("import", "json", "/nonexistent/file.json"), "no such file"),
    (("med", "remove", "nothing"), "no medicine called"),
    # issue 13: Unicode digits pass str.isdigit() but are no ids or numbers (exit 1 before)
    (("log", "intake", "3g", "--product", "³"), "unknown product '³'"),
    (("log", "intake", "³g"), "cannot read the amount '³g'"),
    # issue 13: a time that does not belong to the named night (stored under two nights before)
    (("log", "sleep", "--night", "2026-11-01", "--into-bed", "2026-10-31 22:30"),
     "is not part of the night of 2026-11-01"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_gets_one_clear_line_exit_2_and_writes_nothing(
        cli: Cli, args: tuple[str, ...], message: str) -> None:
    _setup(cli)
    before = cli("export", "json", "--out", "/dev/stdout").out
    r = cli(*args)
    assert r.code == 2
    assert message in r.err
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) <= 3  # one wrapped line
    assert r.err.startswith("error:")
    assert cli("export", "json", "--out", "/dev/stdout").out == before


def test_unusable_database_url_is_a_clear_message(cli: Cli) -> None:
    r = cli("--db", "mysql://x@y/z", "nights")
    assert r.code == 2 and "unsupported database" in r.err
    r = cli("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "nights")
    assert r.code == 2 and "cannot open the journal" in r.err


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    out = []
    for name, cmd in group.commands.items():
        out.append(((*prefix, name), cmd))
        if hasattr(cmd, "commands"):
            out.extend(_commands(cmd, (*prefix, name)))
    return out


ALL = _commands(typer.main.get_command(app))
assert len(ALL) > 20  # the walk reaches the subcommands


@pytest.mark.parametrize(("path", "cmd"), ALL, ids=[" ".join(p) for p, _ in ALL])
def test_every_command_has_help_text(path: tuple[str, ...], cmd: Any) -> None:
    assert (cmd.help or "").strip(), f"`nightleaf {' '.join(path)}` has no help text"
    for param in cmd.params:
        if param.param_type_name == "option" and param.name not in ("help",):
            assert (param.help or "").strip(), (path, param.name)


def test_every_read_command_has_json() -> None:
    readers = [p for p, c in ALL if p[-1] in ("list", "show", "nights")]
    for path, cmd in ALL:
        if path in readers:
            assert any("--json" in getattr(p, "opts", []) for p in cmd.params), path


def test_every_top_level_command_is_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for path, _ in ALL:
        if len(path) == 1:
            assert f"nightleaf {path[0]}" in readme, f"README does not mention `nightleaf {path[0]}`"

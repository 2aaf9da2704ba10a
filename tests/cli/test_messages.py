"""What the command line says: one line per error, one help style, and words that read right."""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from nightleaf.cli.main import command
from tests.support.common import Result

Cli = Callable[..., Result]


def _init(cli: Cli, *extra: str) -> None:
    assert cli("init", "--tz", "Europe/Berlin", "--no-input", *extra).code == 0


def _one_line(r: Result) -> str:
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    return lines[0]


# -- usage errors ----------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "expected"), [
    (("log", "pain"), "missing argument 'NRS'"),
    (("nights", "--bogus"), "no such option: --bogus"),
    (("nights", "--days", "x"), "invalid value for '--days'"),
    (("lgo",), "no such command 'lgo'"),
    (("serve", "--port", "0"), "invalid value for '--port'"),
])
def test_usage_errors_are_one_line_and_exit_2(cli: Cli, args: tuple[str, ...],
                                              expected: str) -> None:
    _init(cli)
    r = cli(*args)
    assert r.code == 2
    line = _one_line(r)
    assert line.startswith("error: ") and expected in line
    assert "--help`" in line  # where the help is
    assert "Usage:" not in r.err and "Try " not in r.err and "╭" not in r.err


# -- NIGHTLEAF_HOME ----------------------------------------------------------------------------
def _home(monkeypatch: pytest.MonkeyPatch, home: Path | str) -> None:
    monkeypatch.delenv("NIGHTLEAF_DATABASE_URL")
    monkeypatch.setenv("NIGHTLEAF_HOME", str(home))


def test_home_that_is_a_file(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "afile"
    f.write_text("x")
    _home(monkeypatch, f)
    r = cli("init", "--no-input")
    assert r.code == 2
    assert _one_line(r) == (f"error: NIGHTLEAF_HOME={f} is a file, not a folder: point "
                            "NIGHTLEAF_HOME at a folder you can write")


def test_home_under_proc(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _home(monkeypatch, "/proc/nightleaf")
    r = cli("init", "--no-input")
    assert r.code == 2
    line = _one_line(r)
    assert "NIGHTLEAF_HOME=/proc/nightleaf is inside /proc" in line and "internal" not in line


def test_home_that_cannot_be_written(cli: Cli, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root, which may write to any folder; cannot test permissions")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    _home(monkeypatch, locked / "inner")
    try:
        r = cli("init", "--no-input")
    finally:
        locked.chmod(0o700)
    assert r.code == 2
    assert f"NIGHTLEAF_HOME={locked / 'inner'}" in _one_line(r)


def test_home_without_write_permission_is_named(cli: Cli, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The permission check itself (root passes any real one): the folder is named, exit 2."""
    import nightleaf.config

    monkeypatch.setattr(nightleaf.config.os, "access", lambda *_a, **_k: False)
    _home(monkeypatch, tmp_path / "home")
    r = cli("init", "--no-input")
    assert r.code == 2
    assert _one_line(r) == (f"error: cannot write to NIGHTLEAF_HOME={tmp_path / 'home'} "
                            "(permission denied): point NIGHTLEAF_HOME at a folder you can write")


def test_home_in_a_read_only_place_as_root(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """/sys is read-only even for root: the same one line, naming the folder."""
    _home(monkeypatch, "/sys/nightleaf")
    r = cli("tonight")
    assert r.code == 2 and "NIGHTLEAF_HOME=/sys/nightleaf" in _one_line(r)


def test_a_good_home_holds_the_journal(cli: Cli, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _home(monkeypatch, tmp_path / "new" / "folder")
    assert cli("init", "--no-input").code == 0
    assert (tmp_path / "new" / "folder" / "journal.db").exists()


# -- database URLs -----------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["postgres://me@127.0.0.1:5432/nightleaf",
                                 "postgresql://me@127.0.0.1:5432/nightleaf"])
def test_postgres_urls_use_psycopg(url: str) -> None:
    from nightleaf.store.db import make_engine

    engine = make_engine(url)
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.url.database == "nightleaf" and engine.url.username == "me"


@pytest.mark.pg
def test_a_postgres_url_opens_a_journal(cli: Cli, pg_admin_url: str) -> None:
    from tests.support.db import fresh_pg_db as _fresh_pg_db

    url = _fresh_pg_db(pg_admin_url).replace("postgresql+psycopg://", "postgres://")
    assert cli("--db", url, "init", "--tz", "Europe/Berlin", "--no-input").code == 0
    r = cli("--db", url, "log", "pain", "4")
    assert r.code == 0 and "pain 4/10" in r.out


# -- serve -----------------------------------------------------------------------------------
def test_serve_on_a_busy_port_says_so_first(cli: Cli) -> None:
    _init(cli)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = cli("serve", "--port", str(port))
    assert r.code == 2
    assert "running at" not in r.out
    assert _one_line(r) == (f"error: port {port} on 127.0.0.1 is already taken (another "
                            f"nightleaf serve?); choose another with --port, e.g. --port "
                            f"{port + 1}")


# -- report and summary on a new journal -------------------------------------------------------
def test_report_on_an_empty_journal_says_nothing_is_logged_yet(cli: Cli, tmp_path: Path) -> None:
    _init(cli)
    r = cli("report", "--out", str(tmp_path / "r.html"))
    assert r.code == 2
    assert "nothing is logged yet" in _one_line(r) and "another period" not in r.err
    assert not (tmp_path / "r.html").exists()


def test_report_works_when_only_tonight_is_logged(cli: Cli, tmp_path: Path) -> None:
    _init(cli)
    assert cli("log", "intake", "2g", "--at", "20:30").code == 0  # tonight, 2026-11-24
    r = cli("report", "--out", str(tmp_path / "r.html"))
    assert r.code == 0, r.err
    assert "to 2026-11-24" in r.out
    assert "2026-11-24" in (tmp_path / "r.html").read_text()


def test_summary_right_after_logging_tonight_says_what_to_expect(cli: Cli) -> None:
    _init(cli)
    cli("log", "intake", "2g", "--at", "20:30")
    r = cli("summary", "--days", "28")
    assert r.code == 0
    assert "Nothing is logged for the nights 2026-10-27 to 2026-11-23 yet" in r.out
    assert "—" not in r.out


def test_summary_leaves_out_nights_with_nothing_logged(cli: Cli) -> None:
    _init(cli)
    cli("log", "intake", "2g", "--at", "2 days ago 21:00")
    r = cli("summary", "--days", "28")
    rows = [ln for ln in r.out.splitlines() if re.search(r"│ \w{3} \d{4}-\d{2}-\d{2}", ln)]
    assert len(rows) == 1 and "2026-11-22" in rows[0]
    assert "27 night(s) with nothing logged are left out" in r.out


# -- help ----------------------------------------------------------------------------------------
def _commands() -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []

    def walk(cmd: object, path: tuple[str, ...]) -> None:
        subs = getattr(cmd, "commands", {})
        if not subs:
            out.append(path)
        for name, sub in subs.items():
            walk(sub, (*path, name))
    walk(command(), ())
    return out


def test_every_option_and_argument_has_help() -> None:
    missing = []

    def walk(cmd: object, path: str) -> None:
        for p in getattr(cmd, "params", []):
            if not (getattr(p, "help", None) or "").strip():
                missing.append(f"{path} {p.name}")
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}")
    walk(command(), "nightleaf")
    assert missing == []


@pytest.mark.parametrize("path", _commands(), ids=" ".join)
def test_help_shows_one_style_of_tags(cli: Cli, path: tuple[str, ...]) -> None:
    """An option that takes a value shows its tag in capitals (``--at TEXT``); a flag none."""
    cmd = command()
    for name in path:
        cmd = cmd.commands[name]
    flags = {o for p in cmd.params if getattr(p, "is_flag", False) for o in p.opts} | {"--help"}
    valued = {o for p in cmd.params if p.param_type_name == "option"
              and not getattr(p, "is_flag", False) for o in p.opts}
    r = cli(*path, "--help")
    assert r.code == 0
    assert not re.search(r"<\w+>|\{\w+\}", r.out), r.out  # no <str>, <bool>, {amount}
    seen = set()
    for line in r.out.splitlines():
        m = re.match(r"\s+(?:-\w, )?(--[\w-]+)(?:, --[\w-]+)?(?: ([A-Z][A-Z_]*))?(?:\s|$)", line)
        if not m:
            continue
        option, tag = m.groups()
        seen.add(option)
        if option in flags:
            assert tag is None, f"{' '.join(path)}: the flag {option} shows a tag: {line!r}"
        else:
            assert option in valued and tag, f"{' '.join(path)}: {option} has no tag: {line!r}"
    assert seen, r.out


def test_usage_line_names_arguments_in_capitals(cli: Cli) -> None:
    r = cli("log", "intake", "--help")
    assert "Usage: nightleaf log intake [OPTIONS] AMOUNT..." in r.out


# -- input forms -------------------------------------------------------------------------------
def test_log_intake_accepts_an_unquoted_unit(cli: Cli) -> None:
    _init(cli)
    r = cli("log", "intake", "3", "g", "--at", "20:00", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["intake"]["amount"]["value"] == 3.0


def test_an_unreadable_time_lists_the_accepted_forms(cli: Cli) -> None:
    _init(cli)
    for raw in ("11/20", "tomorrow"):
        r = cli("log", "pain", "5", "--at", raw)
        assert r.code == 2
        assert _one_line(r) == (f"error: --at: cannot read the time {raw!r}: use 21:30, 9:30pm, now, "
                                "yesterday 22:40, tomorrow 07:00, 2 days ago 21:00 or "
                                "2026-11-20 21:30")


def test_tomorrow_with_a_time_is_understood(cli: Cli) -> None:
    _init(cli)
    r = cli("check", "--amount", "2g", "--at", "tomorrow 21:00", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["planned"]["at"] == "2026-11-25T20:00:00+00:00"
    r = cli("log", "intake", "2g", "--at", "tomorrow 21:00")
    assert r.code == 2 and "future" in r.err  # a log is of what happened


def test_relative_nights(cli: Cli, tmp_path: Path) -> None:
    _init(cli)
    assert cli("log", "intake", "2g", "--at", "3 days ago 21:00").code == 0
    r = cli("log", "sleep", "--night", "3 days ago", "--tried", "23:00", "--final", "06:30",
            "--json")
    assert r.code == 0 and json.loads(r.out)["night"] == "2026-11-21"
    r = cli("report", "--from", "28 days ago", "--out", str(tmp_path / "r.html"))
    assert r.code == 0, r.err
    assert "nights 2026-10-27 to 2026-11-23" in r.out


def test_last_night_before_getting_up_says_what_to_do(cli: Cli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _init(cli)
    monkeypatch.setenv("NIGHTLEAF_NOW", "2026-11-25T00:30:00+01:00")  # the night is not over
    r = cli("log", "sleep", "--night", "yesterday", "--tried", "23:00", "--final", "06:30",
            "--out", "06:50")
    assert r.code == 2
    assert _one_line(r) == ("error: --night: the entry for the night of 2026-11-24 ends in the future "
                            "(Wed 06:50): log a night once you are up, or choose an earlier night "
                            "(e.g. 2 days ago); check the times")
    r = cli("log", "sleep", "--night", "2 days ago", "--tried", "23:00", "--final", "06:30",
            "--out", "06:50")
    assert r.code == 0, r.err


def test_med_add_says_did_you_mean_at_once(cli: Cli) -> None:
    _init(cli)
    r = cli("med", "add", "sertralin")
    assert r.code == 0
    assert "Did you mean sertraline?" in r.out
    r = cli("med", "add", "sertraline")
    assert "Did you mean" not in r.out


# -- wording -----------------------------------------------------------------------------------
def test_class_labels_keep_their_capitals(cli: Cli) -> None:
    r = cli("interactions", "sertraline", "tramadol")
    assert "SSRIs, SNRIs and other serotonergic medicines:" in r.out
    assert "Ssris" not in r.out and "snris" not in r.out
    assert "cleared by CYP2D6" in r.out and "cyp2d6" not in r.out


def test_a_danger_title_does_not_repeat_the_badge(cli: Cli) -> None:
    r = cli("interactions", "tramadol")
    assert "DANGER" in r.out and "Danger:" not in r.out


def test_one_drink_is_singular(cli: Cli) -> None:
    _init(cli)
    r = cli("log", "substance", "alcohol", "--amount", "1", "--at", "20:00")
    assert "alcohol 1 drink for the night" in r.out
    r = cli("log", "substance", "alcohol", "--amount", "2", "--at", "20:30")
    assert "alcohol 2 drinks for the night" in r.out


def test_morning_names_its_metrics_in_words(cli: Cli) -> None:
    _init(cli)
    r = cli("morning", "--tried", "23:00", "--final", "06:30", "--out", "06:45", "--no-input")
    assert r.code == 0, r.err
    assert "Metrics: the sleep-diary formulas of the Consensus Sleep Diary" in r.out
    assert "nightleaf.sleep" not in r.out


def test_too_many_grams_does_not_repeat_itself(cli: Cli) -> None:
    _init(cli)
    r = cli("log", "intake", "300g")
    assert _one_line(r) == ("error: AMOUNT: 300 g in one intake is beyond what this journal accepts "
                            "(100 g); check the number and the unit")
    r = cli("log", "intake", "100 caps", "--capsule-mg", "2000")
    assert "100 capsules × 2000 mg is 200 g of material in one intake" in r.err

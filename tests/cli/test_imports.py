"""``nightleaf import``: formats by name or detected, --json counts, clear errors, and an
import killed with a real SIGKILL halfway through its write leaves the journal consistent."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.support.common import Result, real_fixture

Cli = Callable[..., Result]
SRC = Path(__file__).resolve().parents[2] / "src"


def test_import_detects_the_format_and_reports_json(cli: Cli) -> None:
    assert cli("init", "--tz", "America/Los_Angeles").code == 0
    path = str(real_fixture("oura", "brendonchang_oura_api_v2_sleep_2024-07-09.json"))
    r = cli("import", path, "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert {k: data[k] for k in ("format", "episodes", "nights", "added", "updated",
                                 "skipped")} == {
        "format": "oura", "episodes": 2, "nights": 1, "added": 2, "updated": 0, "skipped": 0}
    again = json.loads(cli("import", "oura", path, "--json").out)
    assert (again["added"], again["skipped"]) == (0, 2)
    table = cli("import", path)
    assert "0 added, 0 updated, 2 already in the journal" in table.out


def test_each_named_format(cli: Cli, tmp_path: Path) -> None:
    cli("init", "--tz", "Europe/Berlin")
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(real_fixture("apple-health", "ericwolter_export_2015_en_DE_sleepcycle.xml"),
                 "apple_health_export/export.xml")
    cases = [
        (("apple-health", str(z)), 92),
        (("fitbit", str(real_fixture("fitbit",
                                     "MikePrs_webapi_v1.2_sleep_classic_2020-01-03.json"))), 2),
        (("sleep-as-android", str(real_fixture(
            "sleep-as-android", "ckondek_SleepPhase_Polar_sleep-export.csv"))), 15),
    ]
    for args, added in cases:
        r = cli("import", *args, "--json")
        assert r.code == 0, r.err
        assert json.loads(r.out)["added"] == added
    assert json.loads(cli("nights", "--json", "--days", "6000").out)["nights"]


def test_bad_files_get_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    cli("init", "--tz", "Europe/Berlin")
    junk = tmp_path / "export.xml"
    junk.write_bytes(os.urandom(2000))
    for args in (("apple-health", str(junk)), (str(junk),),
                 ("fitbit", str(real_fixture("oura",
                                             "brendonchang_oura_api_v2_sleep_2024-07-09.json")))):
        r = cli("import", *args)
        assert r.code == 2
        assert r.err.count("\n") == 1 and "error:" in r.err and "Traceback" not in r.err
    assert json.loads(cli("nights", "--json").out)["nights"] == []


def _nightleaf(db: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NIGHTLEAF_DATABASE_URL": f"sqlite:///{db}",
           "PYTHONPATH": str(SRC), "NIGHTLEAF_NOW": "2026-11-24T21:00:00+01:00"}
    return subprocess.Popen([sys.executable, "-c", "from nightleaf.cli.main import run; run()",
                             *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _writer_active(db: str) -> bool:
    """True while another connection holds SQLite's write lock (a write transaction is open)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def test_sigkill_halfway_leaves_the_journal_consistent_and_a_rerun_completes(
        tmp_path: Path) -> None:
    from bench.synth_apple_health import generate

    nights = 1780  # 2022-01-01 .. 2026-11-15: imports refuse nights after "now" (issue 13)
    export = generate(tmp_path / "export.xml", size_bytes=0, nights=nights, seed=9)
    db = str(tmp_path / "journal.db")
    init = _nightleaf(db, "init", "--tz", "Europe/Berlin", "--no-input")
    assert init.wait(60) == 0, init.stderr.read() if init.stderr else ""

    proc = _nightleaf(db, "import", str(export), "--json")
    deadline = time.monotonic() + 120
    while not _writer_active(db):
        assert proc.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)  # mid-transaction: episodes are being written
    assert proc.wait(30) == -signal.SIGKILL

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM sleep_episode").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM sleep_stage").fetchone() == (0,)
    conn.close()

    rerun = _nightleaf(db, "import", str(export), "--json")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert json.loads(out)["added"] == nights
    again = _nightleaf(db, "import", "apple-health", str(export), "--json")
    out, err = again.communicate(timeout=300)
    assert (json.loads(out)["added"], json.loads(out)["skipped"]) == (0, nights)
    conn = sqlite3.connect(db)
    orphans = conn.execute("SELECT count(*) FROM sleep_stage WHERE episode_id NOT IN "
                           "(SELECT id FROM sleep_episode)").fetchone()
    assert orphans == (0,)
    conn.close()

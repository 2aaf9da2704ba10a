"""Start-up stays light: the CLI loads no library a command does not use.

Each check runs a fresh interpreter and reads its ``sys.modules`` at exit. The speed itself is
measured against sqlite-utils by bench/cli_start.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

HEAVY = ("scipy", "matplotlib", "fastapi", "uvicorn", "lxml", "fhir.resources", "numpy",
         "statsmodels", "fpdf", "jinja2", "icalendar")

PROBE = """
import atexit, json, sys
atexit.register(lambda: sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n"))
sys.argv = ["nightleaf", *{args!r}]
{body}
"""


def loaded(args: list[str], body: str, tmp_path: Path) -> tuple[int, set[str], str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "NIGHTLEAF_HOME": str(tmp_path / "home"),
           "NIGHTLEAF_NOW": "2026-11-24T21:30:00+01:00"}
    env.pop("NIGHTLEAF_DATABASE_URL", None)
    p = subprocess.run([sys.executable, "-c", PROBE.format(args=args, body=body)], env=env,
                       capture_output=True, text=True, timeout=60)
    line = next(ln for ln in p.stderr.splitlines() if ln.startswith("MODULES "))
    return p.returncode, set(json.loads(line.removeprefix("MODULES "))), p.stdout


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_importing_the_cli_loads_no_heavy_library(tmp_path: Path) -> None:
    _, modules, _ = loaded([], "import nightleaf.cli.main", tmp_path)
    assert heavy_in(modules) == []
    # nor the database layer or the settings library: --help and usage errors never need them
    assert not {"sqlalchemy", "pydantic_settings", "alembic"} & modules


def test_version_is_answered_before_typer_is_imported(tmp_path: Path) -> None:
    code, modules, out = loaded(["--version"], "from nightleaf.cli import run; run()", tmp_path)
    assert code == 0 and out.startswith("nightleaf ")
    assert not {"typer", "rich", "click"} & {m.split(".")[0] for m in modules}


def test_help_loads_no_database_or_statistics(tmp_path: Path) -> None:
    code, modules, out = loaded(["--help"], "from nightleaf.cli import run; run()", tmp_path)
    assert code == 0 and "log" in out
    assert heavy_in(modules) == [] and "sqlalchemy" not in modules
    assert "rich" not in modules  # plain click help: one style, no boxes


def test_log_pain_loads_the_store_but_nothing_heavy(tmp_path: Path) -> None:
    code, _, _ = loaded(["init", "--tz", "Europe/Berlin", "--no-input"],
                        "from nightleaf.cli import run; run()", tmp_path)
    assert code == 0
    code, modules, out = loaded(["log", "pain", "6"], "from nightleaf.cli import run; run()",
                                tmp_path)
    assert code == 0 and "pain 6/10" in out
    assert "sqlalchemy" in modules  # it did write to the journal
    assert heavy_in(modules) == []
    assert "rich" not in modules  # a plain line needs no Rich console
    assert "pydantic" not in modules  # text options need no TypeAdapter

"""The import-linter contracts in pyproject.toml catch what they are meant to catch.

Each case copies the package, adds one import that breaks one rule of DESIGN.md, and checks
that ``lint-imports`` names that very import (the contracts may already be broken elsewhere
while other branches land; the test asks only that the new violation is seen).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(),
                                reason="import-linter is not installed (pip install -e '.[test]')")

# contract id, module to edit (or create), line to add, text expected in the report
CASES = [
    ("pure-calculators", "sleep/diary.py", "import nightleaf.store.db",
     "nightleaf.sleep is not allowed to import nightleaf.store"),
    ("pure-calculators", "model/units.py", "from nightleaf.io import csv_export",
     "nightleaf.model is not allowed to import nightleaf.io"),
    ("sql-in-store-only", "services/summary.py", "import sqlalchemy",
     "nightleaf.services.summary -> sqlalchemy"),
    ("sql-in-store-only", "knowledge/names.py", "from alembic import op",
     "nightleaf.knowledge.names -> alembic"),
    ("io-below-services", "io/csv_export.py", "from nightleaf.services import summary",
     "nightleaf.io.csv_export -> nightleaf.services.summary"),
    ("shells-call-services", "cli/summary.py", "from nightleaf.store import repo",
     "nightleaf.cli.summary -> nightleaf.store.repo"),
    ("shells-call-services", "web/uploads.py", "import nightleaf.store.tables",
     "nightleaf.web.uploads -> nightleaf.store.tables"),
    ("no-cycles", "io/_loop_a.py", "from nightleaf.io import _loop_b",
     "No cycles are allowed in nightleaf.io."),
]


def _lint(tmp: Path, contract: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(tmp / "src")}
    res = subprocess.run([str(LINT_IMPORTS), "--no-cache", "--contract", contract],
                         cwd=tmp, env=env, capture_output=True, text=True, timeout=120)
    return res.stdout + res.stderr


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("layers")
    shutil.copy(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    shutil.copytree(ROOT / "src" / "nightleaf", tmp / "src" / "nightleaf",
                    ignore=shutil.ignore_patterns("__pycache__", "data", "static", "templates"))
    return tmp


@pytest.mark.parametrize(("contract", "module", "line", "expected"), CASES,
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_each_contract_catches_a_deliberate_violation(copy: Path, contract: str, module: str,
                                                      line: str, expected: str) -> None:
    path = copy / "src" / "nightleaf" / module
    before = path.read_text() if path.exists() else None
    extra = {}
    if contract == "no-cycles":  # a two-module loop: a -> b -> a
        extra[path.with_name("_loop_b.py")] = "from nightleaf.io import _loop_a\n"
    try:
        assert expected not in _lint(copy, contract)
        path.write_text((before or "") + f"\n{line}  # deliberate violation\n")
        for other, text in extra.items():
            other.write_text(text)
        report = _lint(copy, contract)
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_text(before)
        for other in extra:
            other.unlink()
    assert "BROKEN" in report, report
    assert expected in report, report


def test_every_contract_has_a_violation_case() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ids = {c["id"] for c in config["tool"]["importlinter"]["contracts"]}
    assert ids == {case[0] for case in CASES}

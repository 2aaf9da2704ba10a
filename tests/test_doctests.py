"""Every example in the package's docstrings runs (``>>>`` lines are tests too).

The modules are found by reading their text, so collecting this file imports nothing heavy;
each module is imported only when its own case runs.
"""

from __future__ import annotations

import doctest
import importlib
import io
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nightleaf"


def modules_with_examples() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>> " in path.read_text(encoding="utf-8"):
            rel = path.relative_to(PACKAGE.parent).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            found.append(".".join(parts))
    return found


def test_examples_are_found() -> None:
    mods = modules_with_examples()
    assert "nightleaf.model.units" in mods and "nightleaf.pain.peg" in mods
    assert len(mods) >= 15


@pytest.mark.parametrize("name", modules_with_examples())
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    attempted = 0
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
        if test.filename and Path(test.filename).resolve() != Path(module.__file__ or "").resolve():
            continue  # an object re-exported from another module is tested there
        result = runner.run(test, out=out.write)
        attempted += result.attempted
    assert attempted > 0, f"{name} mentions '>>> ' but no example was collected"
    assert runner.failures == 0, out.getvalue()


def test_a_wrong_example_fails() -> None:
    """The runner above reports a wrong expected value (so the check can fail)."""
    test = doctest.DocTestParser().get_doctest(">>> 1 + 1\n3\n", {}, "wrong", "wrong.py", 0)
    runner = doctest.DocTestRunner()
    out = io.StringIO()
    runner.run(test, out=out.write)
    assert runner.failures == 1 and "Expected:\n    3\nGot:\n    2" in out.getvalue()

"""Test modules import helpers from ``tests.support`` only, never another test module or a conftest."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imported(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a module of ``package``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
                names = [module] if node.module else [f"{module}.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
            found += [(node.lineno, n) for n in names]
    return found


def forbidden_imports(source: str, package: str) -> list[str]:
    """Imports of test code outside ``tests.support`` in a module of ``package``."""
    bad = []
    for line, name in _imported(ast.parse(source), package):
        test_code = name == "tests" or name.startswith("tests.")
        support = name == "tests.support" or name.startswith("tests.support.")
        conftest = name == "conftest" or name.endswith(".conftest")
        if (test_code and not support) or conftest:
            bad.append(f"line {line}: {name}")
    return bad


def test_no_test_module_imports_another_test_module() -> None:
    problems = []
    for path in sorted(TESTS.rglob("*.py")):
        rel = path.relative_to(TESTS.parent)
        package = ".".join(rel.parent.parts)
        for bad in forbidden_imports(path.read_text(encoding="utf-8"), package):
            problems.append(f"{rel} {bad}")
    assert not problems, ("move shared helpers into tests/support/:\n" + "\n".join(problems))


def test_the_scan_finds_each_kind_of_forbidden_import() -> None:
    assert forbidden_imports("from tests.web.test_serve import start_server", "tests.web")
    assert forbidden_imports("from tests.conftest import NOW", "tests.cli")
    assert forbidden_imports("import tests.sleep.helpers", "tests.stats")
    assert forbidden_imports("from .conftest import token", "tests.web")
    assert forbidden_imports("from . import test_pages", "tests.web")
    assert forbidden_imports("from ..sleep.helpers import at", "tests.stats")
    assert not forbidden_imports("from tests.support.server import start_server", "tests.web")
    assert not forbidden_imports("from ..support import common", "tests.web")
    assert not forbidden_imports("from nightleaf.model import clock", "tests.model")

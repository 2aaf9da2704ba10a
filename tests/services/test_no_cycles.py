"""The services modules import each other without a cycle (imports inside functions count)."""

from __future__ import annotations

import ast
from pathlib import Path

import nightleaf.services

SERVICES = Path(nightleaf.services.__file__).parent
PREFIX = "nightleaf.services"


def _graph() -> dict[str, set[str]]:
    mods = {p.stem for p in SERVICES.glob("*.py") if p.stem != "__init__"}
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m in mods:
        tree = ast.parse((SERVICES / f"{m}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == PREFIX:
                    targets = {a.name for a in node.names}
                elif node.module.startswith(PREFIX + "."):
                    targets = {node.module.split(".")[2]}
                else:
                    continue
            elif isinstance(node, ast.Import):
                targets = {a.name.split(".")[2] for a in node.names
                           if a.name.startswith(PREFIX + ".")}
            else:
                continue
            graph[m] |= {t for t in targets if t in mods and t != m}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for d in sorted(graph[n]):
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state and (found := visit(d)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_services_modules_import_each_other_without_a_cycle() -> None:
    assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_service_imports_the_journal_facade() -> None:
    assert not [m for m, deps in _graph().items() if "journal" in deps]

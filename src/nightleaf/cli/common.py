"""What every command shares: the journal context, JSON output and Rich rendering."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console

from nightleaf.io.journal_json import to_plain
from nightleaf.model.finding import Finding
from nightleaf.services import Context, open_context

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

JsonOpt = typer.Option(False, "--json", help="Print JSON instead of a table.")

_state: dict[str, Any] = {"db": None, "ctx": None}


def get_ctx() -> Context:
    if _state["ctx"] is None:
        _state["ctx"] = open_context(_state["db"])
    ctx: Context = _state["ctx"]
    return ctx


def reset() -> None:
    ctx = _state.get("ctx")
    if ctx is not None:
        ctx.store.dispose()
    _state.update(db=None, ctx=None)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_plain(value), indent=2, ensure_ascii=False) + "\n")


def fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return str(value)


_STYLE = {"info": "cyan", "caution": "yellow", "warning": "bold dark_orange",
          "danger": "bold white on red"}


def render_findings(findings: list[Finding]) -> None:
    if not findings:
        console.print("No findings from nightleaf's rules. That does not mean it is risk-free.")
        return
    for f in findings:
        badge = f"[{_STYLE[f.severity]}] {f.severity.upper()} [/]"
        console.print(f"{badge} [bold]{f.title}[/bold]")
        console.print(f"   {f.explanation}")
        for s in f.sources:
            console.print(f"   [dim]source: {s.title}{' — ' + s.url if s.url else ''}[/dim]")

"""What every command shares: the journal context, JSON output and Rich rendering."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import typer

from nightleaf.model.plain import to_plain

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table as Table  # re-exported: command modules import it from here

    from nightleaf.model.finding import Finding
    from nightleaf.services import Context
else:
    def Table(*args: Any, **kwargs: Any) -> Any:  # rich.table.Table, imported on first use
        from rich.table import Table as _Table

        return _Table(*args, **kwargs)


class _Console:
    """Rich's Console, created on first use. A plain line (no markup, no options) is written
    directly: ``nightleaf log pain 6`` then never imports Rich (bench/cli_start.py)."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._rich: Console | None = None

    def _console(self) -> Console:
        if self._rich is None:
            from rich.console import Console

            self._rich = Console(stderr=self._stderr, highlight=False)
        return self._rich

    def print(self, *objects: Any, **options: Any) -> None:
        if (self._rich is None and not options and objects
                and all(type(o) is str and "[" not in o for o in objects)):
            stream = sys.stderr if self._stderr else sys.stdout
            stream.write(" ".join(objects) + "\n")
            return
        self._console().print(*objects, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._console(), name)


console: Console = _Console()  # type: ignore[assignment]
err_console: Console = _Console(stderr=True)  # type: ignore[assignment]

JsonOpt = typer.Option(False, "--json", help="Print JSON instead of a table.")


class Diary:
    """The sleep-diary options shared by ``log sleep`` and ``morning`` (Consensus Sleep Diary).
    Each is declared under its field id (:class:`nightleaf.services.inputs.SleepInput`); the flag
    may be shorter (``--tried`` for ``tried_to_sleep``)."""

    night = typer.Option(None, "--night", help="The evening date (default: last night).")
    into_bed = typer.Option(None, "--into-bed", help="When you got into bed, e.g. 22:40.")
    tried_to_sleep = typer.Option(None, "--tried", help="When you tried to fall asleep.")
    sol = typer.Option(None, "--sol", help="Minutes it took to fall asleep.")
    awakenings = typer.Option(None, "--awakenings", help="How many times you woke.")
    waso = typer.Option(None, "--waso", help="Total minutes of those awakenings.")
    final_awakening = typer.Option(None, "--final", help="Final awakening time.")
    out_of_bed = typer.Option(None, "--out", help="When you got out of bed.")
    quality = typer.Option(None, "--quality", help="Sleep quality, 1 very poor .. 5 very good.")
    rested = typer.Option(None, "--rested", help="How rested, 1 not at all .. 5 very well-rested.")

_state: dict[str, Any] = {"db": None, "ctx": None, "needs_profile": False}

NOT_INITIALISED = ("no journal set up yet: run `nightleaf init` first (it asks for your time zone, "
                   "region and bedtime)")


def _missing_sqlite_file(url: str) -> bool:
    """True when ``url`` names an SQLite file that does not exist yet (nothing to open)."""
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return False
    from pathlib import Path

    return not Path(url.removeprefix("sqlite:///")).expanduser().exists()


def get_ctx() -> Context:
    """The journal of this command. Commands that need a profile (all but ``init``, ``profile``,
    ``med``, ``condition``, ``product``, ``batch``, ``import``, ``interactions``, ``legal`` and
    ``serve``) stop with "run `nightleaf init` first" rather than create a journal silently."""
    if _state["ctx"] is None:
        from nightleaf.config import database_url
        from nightleaf.errors import ConfigError
        from nightleaf.services import open_context  # SQLAlchemy loads here, not at start-up

        url = database_url(_state["db"])
        if _state["needs_profile"] and _missing_sqlite_file(url):
            raise ConfigError(NOT_INITIALISED)
        ctx = open_context(url)
        if _state["needs_profile"] and not ctx.has_profile():
            ctx.store.dispose()
            raise ConfigError(NOT_INITIALISED)
        _state["ctx"] = ctx
    ctx_: Context = _state["ctx"]
    return ctx_


def start(db: str | None, *, needs_profile: bool) -> None:
    """Begin a command: which journal (``--db``), and whether it needs a profile."""
    reset()
    _state.update(db=db, needs_profile=needs_profile)


def reset() -> None:
    ctx = _state.get("ctx")
    if ctx is not None:
        ctx.store.dispose()
    _state.update(db=None, ctx=None, needs_profile=False)


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


def option_for(command: Any, field: str | None) -> str | None:
    """How ``command`` spells the input with this field id: its long flag (``--tried`` for
    ``tried_to_sleep``) or its argument's name (``AMOUNT``); ``None`` when it has none."""
    if not field:
        return None
    for p in getattr(command, "params", []):
        if p.name != field:
            continue
        longs = [o for o in getattr(p, "opts", []) if o.startswith("--")]
        if getattr(p, "param_type_name", "") == "option":
            return str(longs[0] if longs else p.opts[0])
        return str(getattr(p, "metavar", None) or p.name).upper()
    return None


def error_line(exc: Exception, app: Any, argv: list[str]) -> str:
    """One line for an error: each problem of an InputError prefixed with the flag or argument
    of the command that was run (the service names fields by id, never by flag)."""
    from nightleaf.errors import FieldError, InputError, NightleafError

    if not isinstance(exc, NightleafError):
        return str(exc)
    problems = exc.errors if isinstance(exc, InputError) else [
        FieldError(exc.field, "invalid", exc.message)]
    import typer.main

    command: Any = typer.main.get_command(app)
    for token in argv:
        sub = getattr(command, "commands", {}).get(token)
        if sub is not None:
            command = sub
    parts = []
    for e in problems:
        flag = option_for(command, e.field)
        parts.append(f"{flag}: {e.message}" if flag else e.message)
    return "; ".join(parts)

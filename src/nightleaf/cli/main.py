"""Entry point: ``nightleaf``. Errors become one clear line on stderr and exit code 2.

Start-up is kept light: the command modules import their services on first use
(:mod:`nightleaf.cli.lazy`), so ``nightleaf --help`` loads no database or statistics library and
``nightleaf log pain 6`` loads SQLAlchemy but not scipy, matplotlib or FastAPI.
``tests/cli/test_startup.py`` holds this; ``bench/cli_start.py`` measures it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, get_args, get_origin

import typer
import typer.main
from typer.core import TyperArgument, TyperOption

from nightleaf import __version__
from nightleaf.cli import (
    common,
    experiment,
    journal,
    log,
    nights,
    plan,
    report,
    safety,
    serve,
    server,
    summary,
    transfer,
)
from nightleaf.errors import NightleafError

app = typer.Typer(
    name="nightleaf",
    help="A private journal for evening kratom use, sleep and pain. It informs; it never "
    "recommends a dose. Your data stays on this machine.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # click's plain help: one style, and Rich is not imported for it
    context_settings={"max_content_width": 100},  # the commands' first sentences fit
)

#: commands that work before ``nightleaf init``: they set up or bring in a journal, or only
#: read the knowledge base. Every other command needs the profile (time zone, bedtime).
WITHOUT_PROFILE = frozenset({"init", "profile", "med", "condition", "product", "batch",
                             "import", "interactions", "legal", "serve"})


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nightleaf {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", metavar="URL", envvar="NIGHTLEAF_DATABASE_URL",
                           help="Journal database URL (default: SQLite in your data folder)."),
    _show_version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit."),
) -> None:
    common.start(db, needs_profile=ctx.invoked_subcommand not in WITHOUT_PROFILE)


journal.register(app)
log.register(app)
nights.register(app)
experiment.register(app)
summary.register(app)
plan.register(app)
safety.register(app)
transfer.register(app)
report.register(app)
serve.register(app)
server.register(app)


class _Argument(TyperArgument):
    """An argument shown as people read it: ``log intake [OPTIONS] AMOUNT``, no type tag."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw + ("..." if self.nargs != 1 else "")
        return name if self.required else f"[{name}]"

    def display_type_rich(self, ctx: Any) -> str | None:  # noqa: ARG002  (Typer's signature)
        return None


try:  # Typer >= 0.29 coerces every value through a pydantic TypeAdapter, built on first use
    from typer._coercion import RuntimeParam
except ImportError:  # another Typer: its own coercion is used as is
    RuntimeParam = None  # type: ignore[assignment,misc]

if RuntimeParam is not None:
    class _Text(RuntimeParam):
        """Text options as typed, and flags. Nightleaf's options are strings parsed by its
        services, so importing pydantic and building an adapter per option (≈ 0.1 s) buys
        nothing; int and Path options keep Typer's coercion."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:  # noqa: ARG002
            if self.annotation is bool:
                if isinstance(value, bool):
                    return value
                return str(value).strip().lower() in ("1", "true", "yes", "on", "y", "t")
            if isinstance(value, (list, tuple)):
                return [str(v) for v in value]
            return str(value)


def _text_only(p: Any) -> None:
    annotation = p.type_descriptor.annotation
    if RuntimeParam is not None and (annotation in (str, bool) or annotation == list[str]):
        # Typer has no public hook for a parameter's coercion; this is its lazy cache
        p._runtime_param = _Text(parameter_info=p.type_descriptor.parameter_info,  # noqa: SLF001
                                 annotation=annotation)


#: the tag after an option that takes a value (flags have none), by the option's Python type
_TAGS: dict[Any, str] = {str: "TEXT", int: "INTEGER", Path: "PATH"}


def _tidy(command: Any) -> Any:
    """One help style everywhere: ``--at TEXT``, ``--json`` (a flag, no tag), ``AMOUNT``."""
    for p in command.params:
        if isinstance(p, (TyperArgument, TyperOption)):
            _text_only(p)
        if isinstance(p, TyperArgument):
            p.__class__ = _Argument
            if p.metavar is None:
                p.metavar = p.name.upper()
        elif isinstance(p, TyperOption) and not p.is_flag and p.metavar is None:
            annotation: Any = p.type_descriptor.annotation
            if get_origin(annotation) is list:
                annotation = get_args(annotation)[0]
            p.metavar = _TAGS.get(annotation, "TEXT")
    help_option = command.get_help_option(typer.Context(command))  # made once, then cached
    if help_option is not None:
        _text_only(help_option)
    for sub in getattr(command, "commands", {}).values():
        _tidy(sub)
    return command


_command: Any = None


def command() -> Any:
    """The click command tree of :data:`app`, built once, in nightleaf's help style."""
    global _command
    if _command is None:
        _command = _tidy(typer.main.get_command(app))
    return _command


def _usage_line(exc: typer.TyperException) -> str:
    """A usage error as one line: what is wrong, and where the help is."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = " ".join(message.split()).rstrip(".")
    ctx = getattr(exc, "ctx", None)
    where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    return f"error: {message[:1].lower()}{message[1:]}{where}"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (used by ``run`` and by tests)."""
    try:
        command().main(args=argv, prog_name="nightleaf", standalone_mode=False)
        return 0
    except NightleafError as exc:
        from rich.markup import escape

        line = common.error_line(exc, app, sys.argv[1:] if argv is None else argv)
        common.err_console.print("[bold red]error:[/bold red] " + escape(line), soft_wrap=True)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        common.err_console.print("aborted; nothing was saved")
        return 1
    except typer.TyperException as exc:  # usage errors (Typer >= 0.29 vendors click)
        if type(exc).__name__ == "NoArgsIsHelpError":  # `nightleaf log`: the group's help
            exc.show()  # type: ignore[attr-defined]
            return 2
        common.err_console.print(_usage_line(exc), soft_wrap=True, markup=False)
        return 2
    except Exception as exc:  # the last resort: never a traceback for a person
        if os.environ.get("NIGHTLEAF_DEBUG"):
            raise
        common.err_console.print(
            f"[bold red]internal error:[/bold red] {type(exc).__name__}: {exc}. Nothing more was "
            "saved. Run again with NIGHTLEAF_DEBUG=1 for details.", soft_wrap=True)
        return 1
    finally:
        common.reset()


def run() -> None:
    sys.exit(main())

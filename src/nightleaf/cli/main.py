"""Entry point: ``nightleaf``. Errors become one clear line on stderr and exit code 2."""

from __future__ import annotations

import os
import sys

import typer
from rich.markup import escape

from nightleaf import __version__
from nightleaf.cli import (
    common,
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
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nightleaf {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    db: str = typer.Option(None, "--db", metavar="URL", envvar="NIGHTLEAF_DATABASE_URL",
                           help="Journal database URL (default: SQLite in your data folder)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    common.reset()
    common._state["db"] = db


journal.register(app)
log.register(app)
nights.register(app)
summary.register(app)
plan.register(app)
safety.register(app)
transfer.register(app)
report.register(app)
serve.register(app)
server.register(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (used by ``run`` and by tests)."""
    try:
        app(args=argv, prog_name="nightleaf", standalone_mode=False)
        return 0
    except NightleafError as exc:
        line = common.error_line(exc, app, sys.argv[1:] if argv is None else argv)
        common.err_console.print("[bold red]error:[/bold red] " + escape(line), soft_wrap=True)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        common.err_console.print("aborted; nothing was saved")
        return 1
    except typer.TyperException as exc:  # usage errors (Typer >= 0.29 vendors click)
        exc.show()  # type: ignore[attr-defined]
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

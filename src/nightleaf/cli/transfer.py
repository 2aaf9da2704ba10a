"""``export json`` and ``import json``: the whole journal, lossless."""

from __future__ import annotations

from pathlib import Path

import typer

from nightleaf.cli import imports
from nightleaf.cli.common import JsonOpt, console, get_ctx, print_json
from nightleaf.services import transfer as svc

export_app = typer.Typer(help="Write your journal to a file.", no_args_is_help=True)
import_app = typer.Typer(help="Read a journal or a wearable export into your journal.",
                         no_args_is_help=True, cls=imports.ImportGroup)


@export_app.command("json")
def export_json(out: Path = typer.Option(..., "--out", "-o", help="File to write."),
                json_: bool = JsonOpt) -> None:
    """Export the whole journal as JSON (a lossless backup)."""
    counts = svc.export_json(get_ctx(), out)
    if json_:
        print_json({"out": str(out), "counts": counts})
    else:
        console.print(f"Wrote {out} ({sum(counts.values())} records).")


@import_app.command("json")
def import_json(path: Path = typer.Argument(..., help="A file written by `export json`."),
                replace: bool = typer.Option(False, "--replace",
                                             help="Replace everything in the journal."),
                json_: bool = JsonOpt) -> None:
    """Import a journal exported with `export json`."""
    r = svc.import_json(get_ctx(), path, replace=replace)
    if json_:
        print_json(r)
    else:
        console.print(f"Imported {sum(r.counts.values())} records from {path}"
                      f"{' (replaced the journal)' if r.replaced else ''}.")


imports.register(import_app)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")

"""``export json`` and ``import json``: the whole journal, lossless."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from nightleaf.cli import imports
from nightleaf.cli.common import JsonOpt, console, get_ctx, print_json
from nightleaf.cli.lazy import lazy
from nightleaf.errors import Conflict
from nightleaf.io.files import extract_zip, write_atomic

if TYPE_CHECKING:
    from nightleaf.services import transfer as svc
else:
    svc = lazy("nightleaf.services.transfer")

export_app = typer.Typer(help="Write your journal to a file.", no_args_is_help=True)
import_app = typer.Typer(help="Read a journal or a wearable export into your journal.",
                         no_args_is_help=True, cls=imports.ImportGroup)


@export_app.command("json")
def export_json(out: Path = typer.Option(..., "--out", "-o", help="File to write."),
                json_: bool = JsonOpt) -> None:
    """Export the whole journal as JSON (a lossless backup)."""
    download, counts = svc.export_json(get_ctx())
    write_atomic(out, download.content)
    if json_:
        print_json({"out": str(out), "counts": counts})
    else:
        console.print(f"Wrote {out} ({sum(counts.values())} records).")


@export_app.command("fhir")
def export_fhir(out: Path = typer.Option(..., "--out", "-o", help="File to write (bundle.json)."),
                include_name: bool = typer.Option(
                    False, "--include-name",
                    help="Put the name from your profile on the Patient (default: pseudonymous)."),
                json_: bool = JsonOpt) -> None:
    """Export the journal as a FHIR R4 Bundle for a clinician's record system."""
    from nightleaf.services import export  # imported here: the metrics pull in scipy

    r = export.export_fhir(get_ctx(), include_name=include_name)
    write_atomic(out, r.download.content)
    if json_:
        print_json({"out": str(out), "counts": r.counts})
    else:
        console.print(f"Wrote {out}: a FHIR R4 collection Bundle with {sum(r.counts.values())} "
                      f"resources ({', '.join(f'{v} {k}' for k, v in r.counts.items())}).")


@export_app.command("csv")
def export_csv(out: Path = typer.Option(..., "--out", "-o",
                                        help="Folder to write into (or a file ending in .zip)."),
               json_: bool = JsonOpt) -> None:
    """Export one CSV per kind of entry, a nightly metrics table and a README."""
    from nightleaf.services import export  # imported here: the metrics pull in scipy

    r = export.export_csv(get_ctx())
    if out.suffix.lower() == ".zip":
        write_atomic(out, r.download.content)
    else:
        extract_zip(r.download.content, out)
    if json_:
        print_json({"out": str(out), "counts": r.counts})
    else:
        where = f"a zip archive, {out}" if out.suffix.lower() == ".zip" else out
        console.print(f"Wrote {len(r.counts)} CSV files and README.txt to {where}.")


@import_app.command("json")
def import_json(path: Path = typer.Argument(..., help="A file written by `export json`."),
                replace: bool = typer.Option(False, "--replace",
                                             help="Replace everything in the journal."),
                json_: bool = JsonOpt) -> None:
    """Import a journal exported with `export json`."""
    try:
        r = svc.import_json(get_ctx(), path, replace=replace)
    except Conflict as exc:  # name the option that does it, on the command line
        raise Conflict(f"{exc.message} with --replace") from None
    if json_:
        print_json(r)
    else:
        console.print(f"Imported {sum(r.counts.values())} records from {path}"
                      f"{' (replaced the journal)' if r.replaced else ''}.")


imports.register(import_app)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")

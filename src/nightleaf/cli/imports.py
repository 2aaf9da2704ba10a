"""``import apple-health|fitbit|oura|sleep-as-android PATH`` and ``import PATH`` (detect)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from nightleaf.cli.common import JsonOpt, console, err_console, get_ctx, print_json
from nightleaf.cli.lazy import lazy

if TYPE_CHECKING:
    from nightleaf.io.detect import ImportProgress
    from nightleaf.services import imports as svc
else:
    svc = lazy("nightleaf.services.imports")

LABELS = {"apple_health": "Apple Health", "fitbit": "Fitbit", "oura": "Oura",
          "sleep_as_android": "Sleep as Android"}
HELP = {
    "apple-health": "Import nights from an Apple Health export.zip or export.xml.",
    "fitbit": "Import nights from Fitbit sleep-*.json files (a file, a folder or a zip).",
    "oura": "Import nights from an Oura sleep JSON (API v2 or v1).",
    "sleep-as-android": "Import nights from Sleep as Android's sleep-export.csv (or its zip).",
}


class ImportGroup(TyperGroup):
    """``nightleaf import PATH`` (no format named) means ``nightleaf import auto PATH``."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["auto", *args]
        return super().resolve_command(ctx, args)


def _run(path: Path, fmt: str | None, json_: bool, prefer: list[str] | None = None,
         all_sources: bool = False) -> None:
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TransferSpeedColumn,
    )

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TextColumn("{task.fields[nights]} nights"),
                  TimeElapsedColumn(), console=err_console, transient=True,
                  disable=json_ or not err_console.is_terminal) as progress:
        task = progress.add_task(f"Reading {path.name}", total=None, nights=0)

        def report(p: ImportProgress) -> None:
            progress.update(task, completed=p.bytes_read, total=p.total_bytes, nights=p.nights)

        r = svc.import_wearable(get_ctx(), path, fmt=fmt, on_progress=report,
                                prefer=prefer or (), all_sources=all_sources)
    if json_:
        print_json(r)
        return
    span = f" ({r.first_night} to {r.last_night})" if r.first_night else ""
    console.print(f"{path.name} ({LABELS[r.format]}): {r.episodes} sleep episode"
                  f"{'s' if r.episodes != 1 else ''} over {r.nights} night"
                  f"{'s' if r.nights != 1 else ''}{span} — {r.added} added, {r.updated} updated, "
                  f"{r.skipped} already in the journal.")


PathArg = typer.Argument(..., help="The export: a file, a folder or a zip.")


def _command(fmt: str) -> Callable[..., None]:
    if fmt == "apple-health":
        def apple(path: Path = PathArg,
                  prefer: list[str] = typer.Option(
                      None, "--prefer", metavar="SOURCE",
                      help="Source to use when several recorded a night (repeatable, in order; "
                      "default: the one with sleep stages)."),
                  all_sources: bool = typer.Option(
                      False, "--all-sources", help="Keep one episode per source per night."),
                  json_: bool = JsonOpt) -> None:
            _run(path, fmt, json_, prefer, all_sources)
        return apple

    def other(path: Path = PathArg, json_: bool = JsonOpt) -> None:
        _run(path, fmt, json_)
    return other


def auto(path: Path = PathArg, json_: bool = JsonOpt) -> None:
    """Import nights from a wearable export, detecting its format (also `nightleaf import
    PATH`)."""
    _run(path, None, json_)


def register(import_app: typer.Typer) -> None:
    for name, text in HELP.items():
        import_app.command(name, help=text)(_command(name))
    import_app.command("auto")(auto)

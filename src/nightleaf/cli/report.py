"""``report``: a PDF (or HTML) summary of a period for a clinician."""

from __future__ import annotations

from pathlib import Path

import typer

from nightleaf.cli.common import JsonOpt, console, get_ctx, print_json
from nightleaf.errors import InputError
from nightleaf.io.files import write_atomic


def report(
    first: str = typer.Option(None, "--from", metavar="DATE",
                              help="First night (YYYY-MM-DD, yesterday, -27). Default: 28 nights "
                                   "before --to."),
    last: str = typer.Option(None, "--to", metavar="DATE",
                             help="Last night (YYYY-MM-DD). Default: the last complete night, as in "
                                  "`nightleaf summary`."),
    out: Path = typer.Option(..., "--out", "-o",
                             help="File to write: .pdf for a PDF, .html for a web page."),
    no_name: bool = typer.Option(False, "--no-name",
                                 help="Leave the name in your profile out of the report."),
    json_: bool = JsonOpt,
) -> None:
    """Write a 4-page report for a clinician: intake pattern, sleep, pain, side effects and
    safety findings, with charts. It never gives dosing advice."""
    from nightleaf.services import report as svc  # imported here: scipy/matplotlib are slow to load

    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise InputError(f"cannot tell the format of {out.name!r}: end the file name in .pdf or "
                         ".html", field="out")
    r = svc.render_report(get_ctx(), first, last, show_name=not no_name,
                          fmt="pdf" if suffix == ".pdf" else "html")
    write_atomic(out, r.download.content)
    if json_:
        print_json({"out": str(out), "first_night": r.first_night, "last_night": r.last_night,
                    "pages": r.pages, "findings": r.findings})
    else:
        pages = f", {r.pages} pages" if r.pages else ""
        console.print(f"Wrote {out} (nights {r.first_night} to {r.last_night}{pages}).")


def register(app: typer.Typer) -> None:
    app.command("report")(report)

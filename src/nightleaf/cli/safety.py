"""``check``, ``interactions`` and ``legal``: what the knowledge base says, with sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from nightleaf.cli.common import JsonOpt, console, get_ctx, print_json, render_findings
from nightleaf.cli.lazy import lazy
from nightleaf.errors import InputError
from nightleaf.model import clock
from nightleaf.services.inputs import IntakeInput

if TYPE_CHECKING:
    from nightleaf.services import safety as svc
else:
    svc = lazy("nightleaf.services.safety")

_STYLE = {"info": "cyan", "caution": "yellow", "warning": "bold dark_orange",
          "danger": "bold white on red"}


def check(
    amount: str = typer.Option(None, "--amount", help="An intake you are considering, e.g. 3g."),
    at: str = typer.Option(None, "--at", help="When you are considering it, e.g. 21:30."),
    product: str = typer.Option(None, "--product", "-p", help="Product id or name."),
    batch: str = typer.Option(None, "--batch", help="Batch id or lot."),
    capsule_mg: str = typer.Option(None, "--capsule-mg", help="mg per capsule (for caps)."),
    json_: bool = JsonOpt,
) -> None:
    """Safety findings for tonight, as logged or with a planned intake. Nothing is saved."""
    r = svc.check(get_ctx(), IntakeInput(amount=amount or "", at=at, product=product,
                                         batch=batch, capsule_mg=capsule_mg))
    if json_:
        print_json(r)
        return
    if r.planned is not None:
        local = clock.local_datetime(r.planned.at, r.planned.tz)
        console.print(f"Considering {r.planned.amount.label()} at {local:%H:%M} "
                      f"(night of {r.night}). Nothing has been saved.")
    else:
        console.print(f"Findings for the night of {r.night}:")
    render_findings(r.findings)


def interactions(
    names: list[str] = typer.Argument(..., help="Medicine names: generic, brand, or as spelled."),
    json_: bool = JsonOpt,
) -> None:
    """What nightleaf's sources say about these medicines together with kratom."""
    reports = svc.interactions(get_ctx(), names)
    if json_:
        print_json(reports)
        return
    for rep in reports:
        if not rep.known:
            console.print(f"[yellow]?[/yellow] [bold]{rep.query}[/bold]: {rep.message}")
            continue
        via = f" → {rep.name}" if rep.name and rep.name.lower() != rep.query.lower() else ""
        if rep.finding is None:
            console.print(f"[cyan]·[/cyan] [bold]{rep.query}{via}[/bold]: {rep.message}")
            continue
        render_findings([rep.finding])
        for c in rep.classes:
            console.print(f"   [dim]discuss:[/dim] {c['discuss']}")


def legal(
    region: str = typer.Argument(None, help="ISO 3166 code such as US-CA, GB, TH (default: yours)."),
    all_: bool = typer.Option(False, "--all", help="Every jurisdiction nightleaf has an entry for."),
    json_: bool = JsonOpt,
) -> None:
    """The legal status of kratom where you live, with sources and their date."""
    if all_:
        if region:
            raise InputError("give a region or --all, not both")
        _legal_all(json_)
        return
    r = svc.legal(get_ctx(), region)
    if json_:
        print_json(r)
        return
    render_findings(r.findings)


def _legal_all(json_: bool) -> None:
    ov = svc.legal_all(get_ctx())
    if json_:
        print_json(ov)
        return
    console.print(f"{ov.count} jurisdictions as of {ov.today}; {ov.stale_count} rest on sources "
                  "more than 12 months old (marked STALE). This is not legal advice.")
    for r in ov.regions:
        age = f", {r['age_limit']}+" if r["age_limit"] else ""
        stale = " [yellow]STALE[/yellow]" if r["stale"] else ""
        unv = " [dim](partly unverified)[/dim]" if r["unverified"] else ""
        console.print(f"[bold]{r['code']}[/bold] {r['name']}: {r['status']}{age} — as of "
                      f"{r['as_of']}{stale}{unv}; {len(r['sources'])} source(s)")


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("interactions")(interactions)
    app.command("legal")(legal)

"""``nights``: list a range of nights."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from nightleaf.cli.common import JsonOpt, Table, console, fmt, get_ctx, print_json
from nightleaf.cli.lazy import lazy

if TYPE_CHECKING:
    from nightleaf.services import nights as svc
else:
    svc = lazy("nightleaf.services.nights")


def _wearable(r: svc.NightRow) -> str:
    """Each source's main episode, labelled, never mixed into the diary's columns."""
    return "\n".join(
        f"{w.source}: {fmt(w.tst_minutes / 60 if w.tst_minutes is not None else None)} h / "
        f"{fmt(w.se_percent)} %" for w in r.wearable) or "—"


def nights(
    first: str = typer.Option(None, "--from", help="First night, YYYY-MM-DD (default: 14 days)."),
    last: str = typer.Option(None, "--to", help="Last night (default: last night)."),
    days: int = typer.Option(14, "--days", min=1, max=7320, help="How many nights back."),
    json_: bool = JsonOpt,
) -> None:
    """List nights: intakes, sleep diary times, quality, evening and morning pain, wearable sleep."""
    ctx = get_ctx()
    start, end = svc.night_range(ctx, first, last, days)
    rows = svc.list_nights(ctx, start, end)
    if json_:
        print_json({"from": start, "to": end, "nights": rows})
        return
    t = Table("night", "intakes", "g", "last intake", "tried sleep", "woke", "TST h", "SE %",
              "quality", "pain eve", "pain morn", "wearable (TST h / SE %)", title=f"Nights {start} – {end}")
    for r in rows:
        t.add_row(f"{r.night:%a %Y-%m-%d}", str(r.intakes), fmt(r.grams, 2),
                  r.last_intake or "—", r.tried_to_sleep or "—", r.final_awakening or "—",
                  fmt(r.tst_minutes / 60 if r.tst_minutes is not None else None), fmt(r.se_percent),
                  fmt(r.quality), fmt(r.pain_evening), fmt(r.pain_morning), _wearable(r))
    console.print(t if rows else f"Nothing recorded between {start} and {end}.")


def register(app: typer.Typer) -> None:
    app.command("nights")(nights)

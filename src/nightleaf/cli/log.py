"""``log intake|substance|sleep|pain|symptom|routine|note``: record what happened."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from nightleaf.cli.common import Diary, JsonOpt, console, fmt, get_ctx, print_json, render_findings
from nightleaf.cli.lazy import lazy
from nightleaf.model import clock
from nightleaf.services.inputs import (  # plain dataclasses: no store, no SQLAlchemy
    IntakeInput,
    PainInput,
    SleepInput,
    SubstanceInput,
    SymptomInput,
)

# each command loads only its own use case: `log pain` never loads the knowledge base (pydantic)
if TYPE_CHECKING:
    from nightleaf.services import diary as svc
    from nightleaf.services import intake as intake_svc
    from nightleaf.services import routine as routine_svc
else:
    svc = lazy("nightleaf.services.diary")
    intake_svc = lazy("nightleaf.services.intake")
    routine_svc = lazy("nightleaf.services.routine")

log_app = typer.Typer(help="Record an intake, another substance, the night, pain, symptoms.",
                      no_args_is_help=True)

AT = typer.Option(None, "--at", help="When: 21:30, 9:30pm, 'yesterday 22:40', '2 days ago 21:00', "
                  "'2026-11-20 21:30' (default: now).")
NOTE = typer.Option(None, "--note", help="A note of your own for this entry (optional).")


@log_app.command("intake", context_settings={"ignore_unknown_options": True})
def intake(
    amount: list[str] = typer.Argument(..., help="3g, 3 g, 500mg, 2 caps, 250 ml (tea)."),
    product: str = typer.Option(None, "--product", "-p", help="Product id or name."),
    batch: str = typer.Option(None, "--batch", help="Batch id or lot (default: newest batch)."),
    at: str = AT,
    capsule_mg: str = typer.Option(None, "--capsule-mg", help="mg per capsule (for caps)."),
    tea_grams: str = typer.Option(None, "--steeped", help="Grams of leaf steeped (for ml of tea)."),
    note: str = NOTE,
    json_: bool = JsonOpt,
) -> None:
    """Log an intake. Prints the safety findings for that night."""
    r = intake_svc.log_intake(get_ctx(), IntakeInput(
        amount=" ".join(amount), at=at, product=product, batch=batch, capsule_mg=capsule_mg,
        tea_grams=tea_grams, note=note))
    if json_:
        print_json(r)
        return
    i = r.intake
    local = clock.local_datetime(i.at, i.tz)
    extra = f", ≈{fmt(i.mitragynine_mg)} mg mitragynine (from the batch's lab result)" \
        if i.mitragynine_mg is not None else ""
    console.print(f"Logged intake #{i.id}: {i.amount.label()}"
                  f"{' of ' + r.product.name if r.product else ''} at {local:%H:%M} "
                  f"(night of {i.night}){extra}.")
    render_findings(r.findings)


@log_app.command("substance")
def substance(
    kind: str = typer.Argument(..., help="alcohol, caffeine, cannabis, medicine, other."),
    amount: str = typer.Option(None, "--amount", help="Standard drinks for alcohol, mg for caffeine."),
    unit: str = typer.Option(None, "--unit", help="The unit of --amount when it is not the "
                             "usual one (drinks for alcohol, mg for caffeine)."),
    name: str = typer.Option(None, "--name", help="Which one (required for medicine/other)."),
    at: str = AT, note: str = NOTE, json_: bool = JsonOpt,
) -> None:
    """Log alcohol, caffeine, cannabis or a medicine taken as needed."""
    s = svc.log_substance(get_ctx(), SubstanceInput(kind=kind, amount=amount, unit=unit, name=name,
                                                    at=at, note=note))
    if json_:
        print_json(s)
    else:
        console.print(f"Logged {s.kind}{' (' + s.name + ')' if s.name else ''}"
                      f"{' ' + _quantity(s.amount, s.unit) if s.amount is not None else ''}"
                      f" for the night of {s.night}.")


def _quantity(amount: float, unit: str | None) -> str:
    """``1 drink``, ``2 drinks``, ``95 mg``: plural units in the singular for exactly one."""
    if unit and amount == 1 and unit.endswith("s") and unit not in ("mg", "g", "ml"):
        unit = unit[:-1]
    return f"{fmt(amount)} {unit or ''}".rstrip()


@log_app.command("sleep")
def sleep(
    night: str = Diary.night,
    into_bed: str = Diary.into_bed,
    tried_to_sleep: str = Diary.tried_to_sleep,
    sol: str = Diary.sol,
    awakenings: str = Diary.awakenings,
    waso: str = Diary.waso,
    final_awakening: str = Diary.final_awakening,
    out_of_bed: str = Diary.out_of_bed,
    woke_early: str = typer.Option(None, "--early", help="Minutes you woke earlier than planned."),
    quality: str = Diary.quality,
    rested: str = Diary.rested,
    nap_count: str = typer.Option(None, "--naps", help="Number of naps the day before."),
    nap_minutes: str = typer.Option(None, "--nap-minutes", help="Total minutes of those naps."),
    note: str = NOTE, json_: bool = JsonOpt,
) -> None:
    """Log the night as a sleep diary (Consensus Sleep Diary items)."""
    s = svc.log_sleep(get_ctx(), SleepInput(
        night=night, into_bed=into_bed, tried_to_sleep=tried_to_sleep, sol=sol,
        awakenings=awakenings, waso=waso, final_awakening=final_awakening, out_of_bed=out_of_bed,
        woke_early=woke_early, quality=quality, rested=rested, nap_count=nap_count,
        nap_minutes=nap_minutes, note=note))
    print_json(s) if json_ else console.print(f"Saved the sleep diary for the night of {s.night}.")


@log_app.command("pain", context_settings={"ignore_unknown_options": True})
def pain(
    nrs: str = typer.Argument(..., help="Pain now, 0 (none) to 10 (worst imaginable)."),
    context: str = typer.Option("other", "--context", "-c", help="evening, morning or other."),
    at: str = AT,
    peg_pain: str = typer.Option(None, "--peg-pain", help="PEG 1: average pain past week, 0-10."),
    peg_enjoyment: str = typer.Option(None, "--peg-enjoyment",
                                      help="PEG 2: interference with enjoyment of life, 0-10."),
    peg_activity: str = typer.Option(None, "--peg-activity",
                                     help="PEG 3: interference with general activity, 0-10."),
    note: str = NOTE, json_: bool = JsonOpt,
) -> None:
    """Log pain (NRS 0-10), optionally with the PEG items."""
    p = svc.log_pain(get_ctx(), PainInput(nrs=nrs, context=context, at=at, peg_pain=peg_pain,
                                          peg_enjoyment=peg_enjoyment,
                                          peg_activity=peg_activity, note=note))
    print_json(p) if json_ else console.print(f"Logged {p.context} pain {p.nrs}/10 "
                                              f"(night of {p.night}).")


@log_app.command("symptom", context_settings={"ignore_unknown_options": True})
def symptom(
    name: str = typer.Argument(..., help="e.g. nausea, constipation, restlessness."),
    severity: str = typer.Argument(..., help="0 none, 1 mild, 2 moderate, 3 severe, 4 very severe."),
    withdrawal: bool = typer.Option(False, "--withdrawal", help="A withdrawal sign."),
    at: str = AT, note: str = NOTE, json_: bool = JsonOpt,
) -> None:
    """Log a side effect or a withdrawal sign."""
    s = svc.log_symptom(get_ctx(), SymptomInput(
        name=name, severity=severity, kind="withdrawal" if withdrawal else "side_effect", at=at,
        note=note))
    print_json(s) if json_ else console.print(
        f"Logged {s.kind.replace('_', ' ')} '{s.name}' ({s.severity}/4), night of {s.night}.")


@log_app.command("routine")
def routine(
    item: str = typer.Argument(..., help="Routine item id or (part of) its text."),
    night: str = typer.Option(None, "--night", help="The evening date (default: tonight)."),
    undo: bool = typer.Option(False, "--undo", help="Mark as not done."),
    json_: bool = JsonOpt,
) -> None:
    """Tick a routine item for tonight."""
    c = routine_svc.log_routine(get_ctx(), item, night=night, done=not undo)
    print_json(c) if json_ else console.print(
        f"Routine item #{c.item_id} {'done' if c.done else 'not done'} for the night of {c.night}.")


@log_app.command("note")
def note_cmd(text: str = typer.Argument(..., help="The note, e.g. 'long day at work'."),
             at: str = AT, json_: bool = JsonOpt) -> None:
    """Add a free-text note to the night."""
    n = svc.log_note(get_ctx(), text, at=at)
    print_json(n) if json_ else console.print(f"Noted for the night of {n.night}.")


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")

"""``tonight``, ``routine``, ``reminders`` and ``morning``: the daily rhythm of the journal."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from nightleaf.cli.common import Diary, JsonOpt, Table, console, fmt, get_ctx, print_json, render_findings
from nightleaf.cli.lazy import lazy
from nightleaf.errors import InputError
from nightleaf.io.files import write_atomic
from nightleaf.services.inputs import MORNING_DIARY_FIELDS, MorningInput

if TYPE_CHECKING:
    from nightleaf.services import plan as svc
    from nightleaf.services import routine as routine_svc
else:
    svc = lazy("nightleaf.services.plan")
    routine_svc = lazy("nightleaf.services.routine")

routine_app = typer.Typer(help="Your pre-sleep routine: a checklist you tick each night.",
                          no_args_is_help=True)


def _t(at: datetime | None) -> str:
    return "—" if at is None else f"{at:%H:%M}"


def _signed(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:+.0f} min" if abs(v) >= 0.5 else "on target"


# -- tonight -----------------------------------------------------------------------------------
def tonight(
    amount: str = typer.Option(None, "--amount", help="The amount you plan (your choice), to "
                               "include it in the safety checks, e.g. 3g."),
    product: str = typer.Option(None, "--product", "-p", help="Product of the planned amount."),
    json_: bool = JsonOpt,
) -> None:
    """Tonight's plan from your settings: intake time, routine, lights-out, what is logged."""
    t = svc.tonight(get_ctx(), amount=amount, product=product)
    if json_:
        print_json(t)
        return
    p = t.plan
    s = t.settings
    console.print(f"[bold]Tonight[/bold] — the night of {t.night:%a %d %b %Y} ({p.tz}); "
                  f"now {t.now:%H:%M}")
    if t.experiment_arm:
        console.print(f"[bold]Experiment[/bold] {t.experiment_arm}")
    console.print(f"Your settings: bedtime {s['target_bedtime']}, lead time {s['lead_minutes']} "
                  f"min, wake {s['target_wake'] or 'not set'}. [dim]Your own settings, not a "
                  "recommendation.[/dim]")
    tab = Table(show_header=False, box=None, pad_edge=False)
    rows: list[tuple[datetime, str]] = [
        (p.intake_at, f"planned intake time (bedtime − your {p.lead_minutes} min lead)"),
        (p.bedtime, "lights out (your target bedtime)")]
    if p.routine_start is not None:
        first = next(r for r in p.routine if r.at == p.routine_start)
        rows.append((p.routine_start, f"routine starts: {first.text}"))
    if p.morning_checkin is not None:
        rows.append((p.morning_checkin, "morning check-in (your wake time): nightleaf morning"))
    for at, what in sorted(rows, key=lambda r: r[0]):
        past = " [dim](past)[/dim]" if at < t.now else ""
        tab.add_row(f"  {at:%H:%M}", what + past)
    console.print(tab)
    for n in p.notes:
        console.print(f"[yellow]note:[/yellow] {n}")
    e = t.explanation
    console.print(f"[bold]Why a lead time:[/bold] {e.line}")
    for src in e.sources:
        console.print(f"   [dim]source: {src.title} — {src.url}[/dim]")
    console.print("[bold]Routine[/bold] (tick with: nightleaf routine tick ID)")
    for r in p.routine:
        box = "[green]✔[/green]" if r.done else "☐"
        when = f"{r.at:%H:%M}" if r.at else "this evening"
        console.print(f"  {box} #{r.item_id} {r.text} [dim]({when})[/dim]")
    lg = t.logged
    console.print("[bold]Logged tonight[/bold]")
    if not (lg.intakes or lg.substances or lg.pain or lg.symptoms or lg.notes):
        console.print("  nothing yet")
    for i in lg.intakes:
        console.print(f"  intake {i.at:%H:%M}: {i.amount}{' of ' + i.product if i.product else ''}")
    for sub in lg.substances:
        console.print(f"  {sub.kind}{' (' + sub.name + ')' if sub.name else ''} "
                      f"{fmt(sub.amount)} {sub.unit or ''}")
    for pr in lg.pain:
        console.print(f"  {pr.context} pain {pr.nrs}/10")
    for sy in lg.symptoms:
        console.print(f"  {sy.kind.replace('_', ' ')}: {sy.name} {sy.severity}/4")
    c = t.consistency
    console.print(f"[bold]Consistency[/bold] (nights {c.first} to {c.last}, from your diary)")
    if c.tonight_intake_offset_minutes is not None:
        console.print(f"  tonight's intake vs your planned time: "
                      f"{_signed(c.tonight_intake_offset_minutes)}")
    for d in (c.bedtime, c.wake):
        if d.target is None:
            console.print(f"  {d.what}: no target set (nightleaf profile set --wake HH:MM)")
        elif d.nights == 0:
            console.print(f"  {d.what}: no diary nights in the window")
        else:
            console.print(f"  {d.what} vs {d.target:%H:%M}: average {_signed(d.mean_offset_minutes)}"
                          f" (+ = later), typically {fmt(d.mean_abs_offset_minutes, 0)} min away, "
                          f"SD {fmt(d.sd_minutes, 0)} min, {d.nights} nights")
    if c.regularity.get("sri") is not None:
        console.print(f"  Sleep Regularity Index {fmt(c.regularity['sri'])} "
                      f"[dim]({c.regularity['source']})[/dim]")
    console.print(f"[dim]{c.method}[/dim]")
    console.print(f"[bold]Safety[/bold] ({t.findings_status})")
    render_findings(t.findings)


# -- routine -----------------------------------------------------------------------------------
@routine_app.command("list")
def routine_list(all_: bool = typer.Option(False, "--all", help="Include removed items."),
                 json_: bool = JsonOpt) -> None:
    """List the routine items in order, with sources for the cited defaults."""
    views = routine_svc.describe(get_ctx(), include_removed=all_)
    if json_:
        print_json(views)
        return
    if not views:
        console.print("No routine items. Add one: nightleaf routine add \"Screens off\" --minutes 30")
        return
    tab = Table("id", "pos", "item", "min before bed", "tonight", "source")
    for v in views:
        it = v.item
        tab.add_row(str(it.id), str(it.position), it.text + ("" if it.active else " (removed)"),
                    fmt(it.minutes_before_bed), "✔" if v.done_tonight else "",
                    ", ".join(v.source_keys) or "your own")
    console.print(tab)
    if any(v.source_keys for v in views):
        console.print("[dim]AASM: American Academy of Sleep Medicine; CDC: US Centers for Disease "
                      "Control and Prevention (see `routine list --json` for the wording and "
                      "links).[/dim]")


@routine_app.command("add")
def routine_add(text: str = typer.Argument(..., help="What to do, e.g. 'Screens off'."),
                minutes: str = typer.Option(None, "--minutes", help="Minutes before bedtime "
                                            "(0-240), your own setting."),
                json_: bool = JsonOpt) -> None:
    """Add an item at the end of the routine."""
    it = routine_svc.add_item(get_ctx(), text, minutes)
    print_json(it) if json_ else console.print(f"Added routine item #{it.id}: {it.text}.")


@routine_app.command("edit")
def routine_edit(item: str = typer.Argument(..., help="Item id or text."),
                 text: str = typer.Option(None, "--text", help="New text."),
                 minutes: str = typer.Option(None, "--minutes", help="Minutes before bedtime."),
                 no_time: bool = typer.Option(False, "--no-time", help="Clear the time."),
                 json_: bool = JsonOpt) -> None:
    """Change an item's text or time."""
    it = routine_svc.edit_item(get_ctx(), item, text=text, minutes_before_bed=minutes,
                               clear_minutes=no_time)
    print_json(it) if json_ else console.print(f"Routine item #{it.id}: {it.text} "
                                              f"({fmt(it.minutes_before_bed)} min before bed).")


@routine_app.command("remove")
def routine_remove(item: str = typer.Argument(..., help="Item id or text."),
                   json_: bool = JsonOpt) -> None:
    """Remove an item (its past ticks stay in the history)."""
    it = routine_svc.remove_item(get_ctx(), item)
    print_json(it) if json_ else console.print(f"Removed routine item #{it.id}: {it.text}.")


@routine_app.command("move")
def routine_move(item: str = typer.Argument(..., help="Item id or text."),
                 position: str = typer.Argument(..., help="New position, 1 = first."),
                 json_: bool = JsonOpt) -> None:
    """Move an item to another position."""
    items = routine_svc.move_item(get_ctx(), item, position)
    if json_:
        print_json(items)
        return
    for it in items:
        console.print(f"  {it.position}. #{it.id} {it.text}")


@routine_app.command("tick")
def routine_tick(item: str = typer.Argument(..., help="Item id or text."),
                 night: str = typer.Option(None, "--night", help="The evening date (default: "
                                           "tonight)."),
                 undo: bool = typer.Option(False, "--undo", help="Mark as not done."),
                 json_: bool = JsonOpt) -> None:
    """Tick an item done for tonight (same as nightleaf log routine)."""
    c = routine_svc.tick(get_ctx(), item, night=night, done=not undo)
    print_json(c) if json_ else console.print(
        f"Routine item #{c.item_id} {'done' if c.done else 'not done'} for the night of {c.night}.")


@routine_app.command("adherence")
def routine_adherence(days: int = typer.Option(30, "--days", help="Nights to look back."),
                      json_: bool = JsonOpt) -> None:
    """How often each item was ticked, over the nights you recorded anything."""
    a = routine_svc.adherence(get_ctx(), days=days)
    if json_:
        print_json(a)
        return
    console.print(f"Routine adherence, {a.first} to {a.last}: {a.nights} nights with entries "
                  "(nights with nothing recorded are left out, not counted as missed).")
    tab = Table("id", "item", "done", "of nights", "rate")
    for r in a.items:
        tab.add_row(str(r.item_id), r.text, str(r.done), str(r.nights),
                    f"{r.rate:.0%}" if r.rate is not None else "—")
    console.print(tab)
    if a.rate is not None:
        console.print(f"Overall (mean of items): {a.rate:.0%}")


# -- reminders ---------------------------------------------------------------------------------
def reminders_cmd(out: str = typer.Option("nightleaf.ics", "--out", "-o",
                                          help="Calendar file to write (.ics)."),
                  json_: bool = JsonOpt) -> None:
    """Write daily reminders (routine start, intake time, lights-out, morning check-in) as an
    .ics calendar with alarms. Re-import it after changing settings: the events update."""
    if not out.strip():
        raise InputError("give a file name with --out, e.g. nightleaf.ics", field="out")
    path = Path(out).expanduser()
    r = svc.reminders_calendar(get_ctx())
    write_atomic(path, r.download.content)
    if json_:
        print_json({"path": str(path), "tz": r.tz, "events": r.events})
        return
    console.print(f"Wrote {len(r.events)} daily reminders to {path} ({r.tz}):")
    for ev in r.events:
        console.print(f"  {ev['time']}  {ev['summary']}")
    console.print("[dim]Import it into your calendar app; importing a newer file updates the same "
                  "events.[/dim]")


# -- morning -----------------------------------------------------------------------------------
def _ask(label: str, default: str | None, field: str) -> str | None:
    """Ask until the answer reads (the service checks it: :func:`plan.check_answer`)."""
    from rich.prompt import Prompt

    while True:
        answer = Prompt.ask(label, default=default or "", console=console, show_default=True)
        answer = (answer or "").strip()
        if not answer:
            return None
        try:
            if answer != "-":
                svc.check_answer(field, answer)
            return answer
        except InputError as exc:
            console.print(f"[red]{exc.message}[/red]")


def morning(
    night: str = Diary.night,
    into_bed: str = Diary.into_bed,
    tried_to_sleep: str = Diary.tried_to_sleep,
    sol: str = Diary.sol,
    awakenings: str = Diary.awakenings,
    waso: str = Diary.waso,
    final_awakening: str = Diary.final_awakening,
    out_of_bed: str = Diary.out_of_bed,
    quality: str = Diary.quality,
    rested: str = Diary.rested,
    nrs: str = typer.Option(None, "--pain", help="Morning pain now, 0-10 (replaces a saved "
                            "morning rating of that night)."),
    peg_pain: str = typer.Option(None, "--peg-pain", help="PEG 1: average pain past week, 0-10."),
    peg_enjoyment: str = typer.Option(None, "--peg-enjoyment",
                                      help="PEG 2: pain's interference with enjoyment, 0-10."),
    peg_activity: str = typer.Option(None, "--peg-activity",
                                     help="PEG 3: pain's interference with activity, 0-10."),
    side_effects: list[str] = typer.Option(None, "--side-effect",
                                          help="name:severity (0-4), repeatable; replaces the "
                                          "morning's saved side effects."),
    withdrawal: list[str] = typer.Option(None, "--withdrawal",
                                         help="A withdrawal sign, name:severity, repeatable."),
    note: str = typer.Option(None, "--note", help="A note of your own about the night."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask; use the defaults from last "
                             "night's plan for what is not given."),
    no_input: bool = typer.Option(False, "--no-input", help="Do not ask; save only what is "
                                  "given (missing items stay unknown)."),
    json_: bool = JsonOpt,
) -> None:
    """Morning check-in: the sleep diary, morning pain, side effects and withdrawal signs, then
    last night next to your recent average. Asks for what no flag gives (in a terminal)."""
    ctx = get_ctx()
    d = svc.morning_defaults(ctx, night)
    a = MorningInput(night=d.night.isoformat(), into_bed=into_bed,
                     tried_to_sleep=tried_to_sleep, sol=sol, awakenings=awakenings, waso=waso,
                     final_awakening=final_awakening, out_of_bed=out_of_bed, quality=quality,
                     rested=rested, nrs=nrs, peg_pain=peg_pain, peg_enjoyment=peg_enjoyment,
                     peg_activity=peg_activity,
                     side_effects=list(side_effects) if side_effects else None,
                     withdrawal=list(withdrawal) if withdrawal else None, note=note)
    interactive = not (yes or no_input or json_) and sys.stdin.isatty()
    questions = {
        "into_bed": "What time did you get into bed?",
        "tried_to_sleep": "What time did you try to go to sleep?",
        "sol": "How long did it take you to fall asleep (minutes)?",
        "awakenings": "How many times did you wake up, not counting your final awakening?",
        "waso": "In total, how long did these awakenings last (minutes)?",
        "final_awakening": "What time was your final awakening?",
        "out_of_bed": "What time did you get out of bed for the day?",
        "quality": "Sleep quality: 1 very poor, 2 poor, 3 fair, 4 good, 5 very good",
        "rested": "How rested did you feel on waking (1 not at all .. 5 very)?",
    }
    if interactive:
        console.print(f"[bold]Morning check-in[/bold] for the night of {d.night:%a %d %b} "
                      f"[dim](defaults: {d.basis}; Enter keeps a default, type - to leave "
                      "an item empty)[/dim]")
    for name in MORNING_DIARY_FIELDS:
        if getattr(a, name) is not None:
            continue
        default = getattr(d, name)
        if interactive:
            value = _ask(questions[name], default, name)
            setattr(a, name, None if value == "-" else value)
        elif yes or (no_input and d.saved):  # --no-input never blanks a saved item
            setattr(a, name, default)
    if interactive:
        if a.nrs is None:
            a.nrs = _ask("Pain right now, 0 (none) to 10 (worst imaginable)", None, "nrs")
        if a.side_effects is None:
            se = _ask("Side effects? name:severity 0-4, comma-separated (Enter for none)", None,
                      "side_effects")
            a.side_effects = [x for x in se.split(",") if x.strip()] if se else None
        if a.withdrawal is None:
            wd = _ask("Withdrawal signs? name:severity 0-4, comma-separated (Enter for none)",
                      None, "withdrawal")
            a.withdrawal = [x for x in wd.split(",") if x.strip()] if wd else None
    r = svc.save_morning(ctx, a)
    if json_:
        print_json(r)
        return
    console.print(f"Saved the morning check-in for the night of {r.night}"
                  f"{', pain ' + str(r.pain.nrs) + '/10' if r.pain else ''}"
                  f"{', ' + str(len(r.symptoms)) + ' symptom(s)' if r.symptoms else ''}.")
    tab = Table("", "last night", f"average, {r.average_window[0]} to {r.average_window[1]}",
                "nights")
    for row in r.comparison:
        unit = f" {row.unit}" if row.unit else ""
        tab.add_row(row.metric, fmt(row.last_night) + (unit if row.last_night is not None else ""),
                    fmt(row.recent_mean) + (unit if row.recent_mean is not None else ""),
                    str(row.recent_nights))
    console.print(tab)
    console.print(f"[dim]Metrics: {r.metrics_source}.[/dim]")


def register(app: typer.Typer) -> None:
    app.command("tonight")(tonight)
    app.command("reminders")(reminders_cmd)
    app.command("morning")(morning)
    app.add_typer(routine_app, name="routine")



"""``experiment``: randomized self-experiments (n-of-1 trials) of two of your own settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from nightleaf.cli.common import JsonOpt, Table, console, err_console, fmt, get_ctx, print_json
from nightleaf.cli.lazy import lazy

if TYPE_CHECKING:
    from nightleaf.services import experiments as svc
else:  # loaded when an experiment command runs, not for `nightleaf --help`
    svc = lazy("nightleaf.services.experiments")

experiment_app = typer.Typer(
    help="Compare two of your own settings (timing, amount, product, or none) in a randomized "
    "self-experiment. nightleaf never proposes an amount.",
    no_args_is_help=True)

ID = typer.Argument(..., metavar="ID", help="The experiment's id (see: experiment list).")


@experiment_app.command("new")
def new(
    name: str = typer.Argument(..., metavar="NAME", help="A name for the experiment."),
    compare: str = typer.Option(..., "--compare", metavar="KIND",
                                help="What differs between the arms: timing, amount, product "
                                "or none."),
    a: str = typer.Option(..., "--a", metavar="VALUE",
                          help="Arm A: lead minutes (timing), your own grams (amount), a product "
                          "name (product), or 'none'."),
    b: str = typer.Option(..., "--b", metavar="VALUE", help="Arm B, in the same terms as --a."),
    period: str = typer.Option(None, "--period", metavar="N",
                               help="Nights per period (default 7; 14 for --compare none)."),
    pairs: str = typer.Option(None, "--pairs", metavar="N",
                              help="Pairs of periods, each AB or BA at random (default 4)."),
    washout: str = typer.Option(None, "--washout", metavar="N",
                                help="Wash-out nights at the start of each period, logged but "
                                "not in the main analysis (default 3)."),
    outcome: str = typer.Option(None, "--outcome", metavar="METRIC",
                                help="The primary outcome: tst, sol, waso, se or pain (default "
                                "tst)."),
    mid: str = typer.Option(None, "--mid", metavar="N",
                            help="The smallest difference that matters to you, in the outcome's "
                            "unit (defaults: TST 15 min, SOL 20, WASO 20, SE 10 points, pain 2), "
                            "or 30% for pain: 30% of your usual morning pain (mean of your "
                            "ratings on the 28 nights before today, at least 7), fixed in points."),
    source: str = typer.Option(None, "--source", metavar="SOURCE",
                               help="Where the sleep outcomes come from: diary (default) or one "
                               "wearable source you imported nights from (fitbit, oura, "
                               "apple_health, sleep_as_android); never mixed."),
    start: str = typer.Option(None, "--start", metavar="DATE",
                              help="The first night, YYYY-MM-DD (default: tomorrow's)."),
    seed: str = typer.Option(None, "--seed", metavar="N",
                             help="Seed of the random order (default: drawn and stored)."),
    json_: bool = JsonOpt,
) -> None:
    """Set up an experiment. The plan is fixed from the first night on."""
    inp = svc.ExperimentInput(name=name, compare=compare, a=a, b=b, period=period, pairs=pairs,
                              washout=washout, outcome=outcome, mid=mid, start=start, seed=seed,
                              source=source)
    v = svc.create(get_ctx(), inp)
    for w in v.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {w}", soft_wrap=True)
    if json_:
        print_json(v)
        return
    console.print(f"Experiment {v.id} [bold]{v.name}[/bold]: {v.start} to {v.end}, "
                  f"{v.pairs} {'pair' if v.pairs == 1 else 'pairs'} of {v.period}-night periods "
                  f"({v.washout} wash-out nights each), seed {v.seed}.")
    console.print(f"  A: {v.a_text}\n  B: {v.b_text}\n  primary outcome: {v.outcome}, "
                  f"what matters: {v.mid_text}; sleep outcomes from the {v.source_text}")
    console.print("The plan cannot be edited once it starts; stopping early is recorded.")


@experiment_app.command("list")
def list_(json_: bool = JsonOpt) -> None:
    """List your experiments."""
    rows = svc.list_experiments(get_ctx())
    if json_:
        print_json(rows)
        return
    if not rows:
        console.print("No experiments yet. Start one with: nightleaf experiment new NAME ...")
        return
    t = Table("id", "name", "compare", "A", "B", "nights", "status")
    for r in rows:
        t.add_row(str(r.id), r.name, r.compare, r.a_text, r.b_text, f"{r.start} – {r.end}",
                  r.status)
    console.print(t)


@experiment_app.command("show")
def show(experiment_id: str = ID, json_: bool = JsonOpt) -> None:
    """Show the plan, the schedule and how closely it was followed."""
    view, nights, adh = svc.progress(get_ctx(), experiment_id)
    if json_:
        print_json(view)
        return
    console.print(f"Experiment {view.id} [bold]{view.name}[/bold] ({view.status}): "
                  f"A = {view.a_text}; B = {view.b_text}")
    console.print(f"  {view.start} – {view.end}, outcome {view.outcome} (what matters: "
                  f"{view.mid_text}), sleep outcomes from the {view.source_text}, seed "
                  f"{view.seed}; {view.analysis}")
    if view.stopped_reason:
        console.print(f"  stopped: {view.stopped_reason}")
    console.print(f"  followed on {adh.matched} of {adh.nights} nights so far "
                  f"({adh.not_matched} did not match the arm)")
    t = Table("night", "arm", "wash-out", "matched", view.outcome)
    for n in nights:
        t.add_row(f"{n.night:%a %Y-%m-%d}", n.arm, "yes" if n.washout else "",
                  {True: "yes", False: "no", None: "—"}[n.adherent], fmt(n.outcome, 0))
    console.print(t)


@experiment_app.command("stop")
def stop(experiment_id: str = ID,
         reason: str = typer.Option(..., "--reason", metavar="TEXT",
                                    help="Why you stop early (recorded with the result)."),
         json_: bool = JsonOpt) -> None:
    """Stop an experiment early; the reason is recorded and the result stays interim."""
    v = svc.stop(get_ctx(), experiment_id, reason)
    if json_:
        print_json(v)
        return
    console.print(f"Stopped experiment {v.id} ({v.name}): {v.stopped_reason}")


def _num(v: float | None, digits: int = 1) -> str:
    return "—" if v is None else f"{v:+.{digits}f}"


@experiment_app.command("result")
def result(experiment_id: str = ID, json_: bool = JsonOpt) -> None:
    """The effect of B against A on every outcome, with its 95% interval and a verdict."""
    r = svc.result(get_ctx(), experiment_id)
    if json_:
        print_json(r)
        return
    head = "final result" if r["final"] else f"{r['note']} (as of {r['as_of']})"
    console.print(f"Experiment {r['id']} [bold]{r['name']}[/bold] — {head}")
    console.print(f"  A = {r['a']}; B = {r['b']}")
    console.print(f"  sleep outcomes from the {r['source_text']}; what matters on "
                  f"{r['outcome']}: {r['mid_text']}")
    if r["analysis_note"]:
        console.print(f"  note: {r['analysis_note']}")
    adh = r["adherence"]
    console.print(f"  followed on {adh['matched']} of {adh['nights']} nights")
    t = Table("outcome", "B − A", "95% interval", "P(B better)", "P(better ≥ MID)",
              "P(worse ≥ MID)", "nights", "verdict")
    for o in r["outcomes"]:
        iv = o["interval"]
        t.add_row(f"{o['metric']} ({o['unit']})", _num(o["effect"]),
                  f"{iv[0]:+.1f} to {iv[1]:+.1f}" if iv else "—",
                  fmt(o["p_benefit"], 2), fmt(o["p_benefit_mid"], 2), fmt(o["p_harm_mid"], 2),
                  str(o["n_nights"]), o["verdict"])
    console.print(t)
    primary = r["outcomes"][0]
    for key in ("per_protocol", "carry_over"):
        e = primary[key]
        if e is None:
            continue
        iv = e["interval"]
        span = f"{iv[0]:+.1f} to {iv[1]:+.1f}" if iv else "no interval"
        console.print(f"  sensitivity, {e['analysis']}: {_num(e['effect'])} ({span}), "
                      f"{e['n_nights']} nights — {e['verdict']}")
    for h in r["harms"]:
        console.print(f"  harms, arm {h['arm']}: {h['entries']} {h['kind'].replace('_', ' ')} "
                      f"entries on {h['nights']} nights")
    console.print("Intervals are 95% credible intervals; a single person's experiment cannot "
                  "rule out chance, and nothing here is a dose recommendation.")


def register(app: typer.Typer) -> None:
    app.add_typer(experiment_app, name="experiment")

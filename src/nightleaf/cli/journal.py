"""``init``, ``profile``, ``med``, ``condition``, ``product`` and ``batch`` commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from nightleaf.cli.common import JsonOpt, Table, console, fmt, get_ctx, print_json, render_findings
from nightleaf.cli.lazy import lazy
from nightleaf.errors import NightleafError
from nightleaf.model.entities import Medicine, Profile
from nightleaf.model.region import region_name
from nightleaf.services.inputs import BatchInput, ProductInput, ProfileInput

if TYPE_CHECKING:
    from nightleaf.services import Context
    from nightleaf.services import journal as svc
else:
    svc = lazy("nightleaf.services.journal")

profile_app = typer.Typer(help="Show or change your settings (zone, region, bedtime, limits).",
                          no_args_is_help=True)
med_app = typer.Typer(help="The medicines you take, for interaction checks.", no_args_is_help=True)
cond_app = typer.Typer(help="Your health conditions, for safety checks.", no_args_is_help=True)
product_app = typer.Typer(help="Products you use (name, vendor, label, form).",
                          no_args_is_help=True)
batch_app = typer.Typer(help="Batches of a product, with their lab results.", no_args_is_help=True)

TZ = typer.Option(None, "--tz", help="Your IANA time zone, e.g. Europe/Berlin.")
REGION = typer.Option(None, "--region", help="Where you live: ISO 3166 code, e.g. US-CA, GB, TH.")
BEDTIME = typer.Option(None, "--bedtime", help="Target bedtime, HH:MM.")
WAKE = typer.Option(None, "--wake", help="Target wake time, HH:MM.")
LEAD = typer.Option(None, "--lead", help="Your planned minutes between intake and bedtime.")
NOTE = typer.Option(None, "--note", help="A note of your own (optional).")


def _ask(label: str, default: str | None, check: Callable[[str], object]) -> str | None:
    """Ask until the answer passes ``check``; Enter keeps ``default``, "-" leaves it empty."""
    from rich.prompt import Prompt

    while True:
        answer = (Prompt.ask(label, default=default or "", console=console,
                             show_default=bool(default)) or "").strip()
        if answer == "-" or not answer:
            return None
        try:
            check(answer)
            return answer
        except NightleafError as exc:
            console.print(f"[red]{exc.message}[/red]")


def _checker(key: str) -> Callable[[str], object]:
    """Validate one profile answer the way ``profile set`` would, without saving it."""
    return lambda value: svc.apply_profile_changes(Profile(), ProfileInput(**{key: value}))


def _list_answers(label: str, check: Callable[[str], str] | None = None) -> list[str]:
    """Names typed one per prompt until an empty answer; ``check`` may correct each one."""
    from rich.prompt import Prompt

    names: list[str] = []
    while True:
        answer = (Prompt.ask(label if not names else "Another (Enter when done)", default="",
                             console=console, show_default=False) or "").strip()
        if not answer:
            return names
        names.append(check(answer) if check else answer)


def init(
    tz: str = TZ, region: str = REGION, bedtime: str = BEDTIME, wake: str = WAKE,
    lead: str = LEAD,
    med: list[str] = typer.Option(None, "--med", help="A medicine you take (repeatable)."),
    condition: list[str] = typer.Option(None, "--condition",
                                        help="A health condition you have (repeatable)."),
    no_input: bool = typer.Option(False, "--no-input",
                                  help="Do not ask; use the flags and the defaults (for scripts)."),
    json_: bool = JsonOpt,
) -> None:
    """Set up your journal, then see your first safety check.

    Asks for your time zone, region, bedtime, wake and lead time, your medicines and
    conditions; then shows the first safety check and the law where you live. In a terminal it
    asks, with defaults (Enter keeps one); every question is also a flag. Safe to run again: it
    only changes what you give."""
    from nightleaf.services.context import system_zone

    ctx = get_ctx()
    had_profile = ctx.has_profile()
    current = ctx.profile()
    answers: dict[str, str | None] = {"tz": tz, "region": region, "bedtime": bedtime,
                                      "wake": wake, "lead": lead}
    meds, conds = list(med or []), list(condition or [])
    interactive = not (no_input or json_) and sys.stdin.isatty()
    if interactive:
        console.print("[bold]Setting up nightleaf.[/bold] [dim]Enter keeps the value in "
                      "brackets; type - to leave an item empty.[/dim]")
        zone = current.tz if had_profile else system_zone()
        questions = [
            ("tz", f"Your time zone{'' if had_profile else ' (detected from this machine)'}",
             zone),
            ("region", "Where you live, for the law there: an ISO 3166 code such as US-CA, GB, "
             "DE, TH", current.region),
            ("bedtime", "Your target bedtime (HH:MM)", f"{current.target_bedtime:%H:%M}"),
            ("wake", "Your target wake time (HH:MM)",
             f"{current.target_wake:%H:%M}" if current.target_wake else "07:00"),
            ("lead", "Your lead time: minutes between your intake and bedtime. Your own "
             "setting, not a recommendation", str(current.lead_minutes)),
        ]
        for key, label, default in questions:
            if answers[key] is None:
                answers[key] = _ask(label, default, _checker(key)) or ""
        if not meds:
            meds = _list_answers("A medicine you take, for interaction checks (Enter for none)",
                                 lambda name: _confirm_medicine(ctx, name))
        if not conds:
            conds = _list_answers("A health condition, for safety checks (Enter for none)")
    if not had_profile and answers["tz"] is None:
        answers["tz"] = system_zone()  # the machine's zone, said below, rather than UTC
    changes = {k: v for k, v in answers.items() if v is not None and (v != "" or k in
                                                                       ("region", "wake"))}
    p = svc.init_journal(ctx, ProfileInput(**changes))
    notes: list[str] = []
    added_meds = [_add_medicine(ctx, name, False, notes=notes) for name in meds]
    added_conds = [svc.add_condition(ctx, name) for name in conds]
    if json_:
        print_json({"profile": p, "medicines": added_meds, "conditions": added_conds})
        return
    detected = not had_profile and not tz and not interactive
    console.print(f"Journal ready. Time zone {p.tz}{' (detected; change with --tz)' if detected else ''}"
                  f", bedtime {p.target_bedtime:%H:%M}"
                  f"{', wake ' + format(p.target_wake, '%H:%M') if p.target_wake else ''}, "
                  f"lead time {p.lead_minutes} min (your setting, not a recommendation). "
                  f"Region: {p.region or 'not set'}.")
    if added_meds or added_conds:
        console.print("Added " + ", ".join([f"medicine {m.name}" for m in added_meds] +
                                           [f"condition {c.name}" for c in added_conds]) + ".")
    for note in notes if not interactive else ():  # in a terminal, each was asked already
        console.print(note)
    _first_check(ctx, p)
    console.print("Next: [bold]nightleaf product add[/bold], then [bold]nightleaf log intake[/bold]"
                  " or [bold]nightleaf tonight[/bold].")


def _first_check(ctx: Context, p: Profile) -> None:
    """The first safety check (your medicines and conditions) and the law where you live."""
    from nightleaf.services import safety as safety_svc

    console.print("[bold]First safety check[/bold] (your medicines and conditions with kratom):")
    findings = [f for f in safety_svc.check(ctx).findings if not f.rule.startswith("legal.")]
    render_findings(findings)
    if p.region:
        console.print("[bold]The law where you live[/bold]:")
        render_findings(safety_svc.legal(ctx).findings)
    else:
        console.print("The law where you live: set your region to see it "
                      "(`nightleaf profile set --region US-CA`).")


def _medicine_guess(ctx: Context, name: str) -> tuple[str | None, Any]:
    """The name nightleaf would read ``name`` as, when it looks misspelt, and the report."""
    from nightleaf.services import safety as safety_svc

    rep = safety_svc.interactions(ctx, [name])[0]
    if rep.known and rep.matched_as == "misspelling":
        return rep.name, rep
    if not rep.known and rep.suggestions:
        return rep.suggestions[0].split(" (")[0], rep
    return None, rep


def _confirm_medicine(ctx: Context, name: str) -> str:
    """In a terminal: "Did you mean sertraline?" right after the name is typed."""
    from rich.prompt import Confirm

    guess, _ = _medicine_guess(ctx, name)
    # rich types Confirm.ask's default as a str (PromptBase's); a bool is what Confirm uses
    if guess and Confirm.ask(f"Did you mean {guess}?", default=True,  # type: ignore[arg-type]
                             console=console):
        return guess
    return name


def _add_medicine(ctx: Context, name: str, interactive: bool, dose: str | None = None,
                  regimen: str = "regular", notes: list[str] | None = None) -> Medicine:
    """Add a medicine; a misspelt or unknown name gets "did you mean ...?" now, not later
    (a question in a terminal, else a line in ``notes`` or printed)."""
    if interactive:
        name = _confirm_medicine(ctx, name)
    guess, rep = _medicine_guess(ctx, name)
    m = svc.add_medicine(ctx, name, dose, regimen)
    line = None
    if guess and not interactive:
        line = (f"Did you mean {guess}? Saved as typed ({name!r}); "
                + (f"safety checks read it as {guess}." if rep.known else
                   "nightleaf cannot check interactions for a name it does not know.")
                + f" To correct it: `nightleaf med remove {name!r}` and "
                f"`nightleaf med add {guess}`.")
    elif not rep.known:
        line = f"Note: {rep.message}"
    if line is not None:
        notes.append(line) if notes is not None else console.print(line, markup=False)
    return m


def _show_profile(p: Profile) -> None:
    t = Table(show_header=False, box=None)
    t.add_row("time zone", p.tz)
    t.add_row("region", f"{p.region} ({region_name(p.region)})" if p.region else "not set")
    t.add_row("target bedtime", f"{p.target_bedtime:%H:%M}")
    t.add_row("lead time", f"{p.lead_minutes} min before bed (your setting)")
    t.add_row("target wake", f"{p.target_wake:%H:%M}" if p.target_wake else "not set")
    t.add_row("your ceiling per night",
              f"{fmt(p.max_grams_per_night)} g" if p.max_grams_per_night else "not set")
    t.add_row("your ceiling nights/week", fmt(p.max_nights_per_week))
    t.add_row("work days", ",".join(p.work_days) or "none")
    t.add_row("name", p.name or "not set")
    console.print(t)


@profile_app.command("show")
def profile_show(json_: bool = JsonOpt) -> None:
    """Show your profile."""
    p = svc.get_profile(get_ctx())
    print_json(p) if json_ else _show_profile(p)


@profile_app.command("set")
def profile_set(
    tz: str = TZ, region: str = REGION, bedtime: str = BEDTIME, lead: str = LEAD,
    wake: str = WAKE,
    max_grams: str = typer.Option(None, "--max-grams",
                                  help="Your own ceiling of grams per night ('' clears it)."),
    max_nights: str = typer.Option(None, "--max-nights",
                                   help="Your own ceiling of nights per week ('' clears it)."),
    work_days: str = typer.Option(None, "--work-days", help="e.g. mon,tue,wed,thu,fri."),
    name: str = typer.Option(None, "--name", help="Your name, for reports (optional)."),
    json_: bool = JsonOpt,
) -> None:
    """Change settings; only the options you give change."""
    p = svc.set_profile(get_ctx(), ProfileInput(
        tz=tz, region=region, bedtime=bedtime, lead=lead, wake=wake, max_grams=max_grams,
        max_nights=max_nights, work_days=work_days, name=name))
    print_json(p) if json_ else _show_profile(p)


@med_app.command("add")
def med_add(name: str = typer.Argument(..., help="As written on the pack, e.g. sertraline."),
            dose: str = typer.Option(None, "--dose", help="Dose as you take it, e.g. '50 mg daily'."),
            as_needed: bool = typer.Option(False, "--as-needed", help="Taken only as needed."),
            json_: bool = JsonOpt) -> None:
    """Add a medicine. A misspelt name gets "did you mean ...?" (in a terminal, a question)."""
    interactive = not json_ and sys.stdin.isatty()
    notes: list[str] = []
    m = _add_medicine(get_ctx(), name, interactive, dose, "as_needed" if as_needed else "regular",
                      notes=notes)
    if json_:
        print_json(m)
        return
    console.print(f"Added medicine #{m.id}: {m.name}.")
    for note in notes:
        console.print(note, markup=False)


@med_app.command("list")
def med_list(json_: bool = JsonOpt) -> None:
    """List your medicines."""
    meds = svc.list_medicines(get_ctx())
    if json_:
        print_json(meds)
        return
    t = Table("id", "medicine", "dose", "taken")
    for m in meds:
        t.add_row(str(m.id), m.name, m.dose_text or "—", m.regimen.replace("_", " "))
    console.print(t if meds else "No medicines recorded.")


@med_app.command("remove")
def med_remove(key: str = typer.Argument(..., help="Id or name.")) -> None:
    """Remove a medicine."""
    m = svc.remove_medicine(get_ctx(), key)
    console.print(f"Removed {m.name}.")


@cond_app.command("add")
def cond_add(name: str = typer.Argument(..., help="e.g. sleep apnea, liver disease."),
             note: str = NOTE, json_: bool = JsonOpt) -> None:
    """Add a condition."""
    c = svc.add_condition(get_ctx(), name, note)
    print_json(c) if json_ else console.print(f"Added condition #{c.id}: {c.name}.")


@cond_app.command("list")
def cond_list(json_: bool = JsonOpt) -> None:
    """List your conditions."""
    conds = svc.list_conditions(get_ctx())
    if json_:
        print_json(conds)
        return
    t = Table("id", "condition", "note")
    for c in conds:
        t.add_row(str(c.id), c.name, c.note or "")
    console.print(t if conds else "No conditions recorded.")


@cond_app.command("remove")
def cond_remove(key: str = typer.Argument(..., help="Id or name.")) -> None:
    """Remove a condition."""
    c = svc.remove_condition(get_ctx(), key)
    console.print(f"Removed {c.name}.")


@product_app.command("add")
def product_add(
    name: str = typer.Argument(..., help="Your name for it, e.g. 'Red Bali (Vendor X)'."),
    vendor: str = typer.Option(None, "--vendor", help="Who sells it (optional)."),
    label: str = typer.Option(None, "--label", help="The strain name on the label."),
    vein: str = typer.Option("unknown", "--vein", help="red, green, white, yellow, gold, mixed..."),
    form: str = typer.Option("powder", "--form",
                             help="leaf, powder, capsule, tea, extract, tablet, other."),
    capsule_mg: str = typer.Option(None, "--capsule-mg", help="mg of material per capsule."),
    note: str = NOTE,
    json_: bool = JsonOpt,
) -> None:
    """Add a product."""
    p = svc.add_product(get_ctx(), ProductInput(name=name, vendor=vendor, label=label, vein=vein,
                                                form=form, capsule_mg=capsule_mg, note=note))
    print_json(p) if json_ else console.print(f"Added product #{p.id}: {p.name} ({p.form}).")


@product_app.command("list")
def product_list(json_: bool = JsonOpt) -> None:
    """List products and how many batches each has."""
    views = svc.list_products(get_ctx())
    if json_:
        print_json(views)
        return
    t = Table("id", "product", "vendor", "label", "vein", "form", "batches")
    for v in views:
        p = v.product
        t.add_row(str(p.id), p.name, p.vendor or "—", p.label or "—", p.vein, p.form,
                  str(len(v.batches)))
    console.print(t if views else "No products yet: `nightleaf product add NAME`.")


@product_app.command("show")
def product_show(key: str = typer.Argument(..., help="Id or name."), json_: bool = JsonOpt) -> None:
    """Show a product with its batches and lab results."""
    v = svc.show_product(get_ctx(), key)
    if json_:
        print_json(v)
        return
    p = v.product
    console.print(f"[bold]{p.name}[/bold] — {p.form}, vein {p.vein}"
                  f"{', label ' + p.label if p.label else ''}{', from ' + p.vendor if p.vendor else ''}")
    t = Table("batch", "lot", "mitragynine %", "7-OH %", "lab", "tested", "metals", "microbial",
              "pesticides")
    for b in v.batches:
        t.add_row(str(b.id), b.lot or "—", fmt(b.mitragynine_pct, 2), fmt(b.seven_oh_pct, 3),
                  b.lab or "—", str(b.test_date or "—"), b.heavy_metals, b.microbial, b.pesticides)
    console.print(t if v.batches else "No batches yet: `nightleaf batch add PRODUCT`.")


@batch_app.command("add")
def batch_add(
    product: str = typer.Argument(..., help="Product id or name."),
    lot: str = typer.Option(None, "--lot", help="The lot or batch number on the pack."),
    purchased_on: str = typer.Option(None, "--purchased", help="Date bought, YYYY-MM-DD."),
    mitragynine_pct: str = typer.Option(None, "--mitragynine",
                                        help="Mitragynine, % of dry weight."),
    seven_oh_pct: str = typer.Option(None, "--7oh", "--seven-oh",
                                 help="7-hydroxymitragynine, % of dry weight."),
    lab: str = typer.Option(None, "--lab", help="The laboratory that tested it."),
    test_date: str = typer.Option(None, "--tested", help="Test date, YYYY-MM-DD."),
    heavy_metals: str = typer.Option("unknown", "--metals",
                                     help="Heavy metals: pass, fail, unknown."),
    microbial: str = typer.Option("unknown", "--microbial", help="pass, fail, unknown."),
    pesticides: str = typer.Option("unknown", "--pesticides", help="pass, fail, unknown."),
    note: str = NOTE,
    json_: bool = JsonOpt,
) -> None:
    """Add a batch of a product, with lab results if you have them."""
    b = svc.add_batch(get_ctx(), BatchInput(
        product=product, lot=lot, purchased_on=purchased_on, mitragynine_pct=mitragynine_pct,
        seven_oh_pct=seven_oh_pct, lab=lab, test_date=test_date, heavy_metals=heavy_metals,
        microbial=microbial, pesticides=pesticides, note=note))
    print_json(b) if json_ else console.print(f"Added batch #{b.id}"
                                              f"{' (lot ' + b.lot + ')' if b.lot else ''}.")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(profile_app, name="profile")
    app.add_typer(med_app, name="med")
    app.add_typer(cond_app, name="condition")
    app.add_typer(product_app, name="product")
    app.add_typer(batch_app, name="batch")

"""``init``, ``profile``, ``med``, ``condition``, ``product`` and ``batch`` commands."""

from __future__ import annotations

import typer
from rich.table import Table

from nightleaf.cli.common import JsonOpt, console, fmt, get_ctx, print_json
from nightleaf.model.entities import Profile
from nightleaf.model.region import region_name
from nightleaf.services import journal as svc
from nightleaf.services.inputs import BatchInput, ProductInput, ProfileInput

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
LEAD = typer.Option(None, "--lead", help="Your planned minutes between intake and bedtime.")
NOTE = typer.Option(None, "--note", help="A note of your own (optional).")


def init(tz: str = TZ, region: str = REGION, bedtime: str = BEDTIME, lead: str = LEAD,
         json_: bool = JsonOpt) -> None:
    """Create your journal and profile (safe to run again: it only updates what you give)."""
    ctx = get_ctx()
    p = svc.init_journal(ctx, ProfileInput(tz=tz, region=region, bedtime=bedtime, lead=lead))
    if json_:
        print_json(p)
        return
    console.print(f"Journal ready. Time zone {p.tz}, bedtime {p.target_bedtime:%H:%M}, "
                  f"lead time {p.lead_minutes} min. Region: {p.region or 'not set'}.")
    console.print("Next: [bold]nightleaf product add[/bold], then [bold]nightleaf log intake[/bold].")


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
    wake: str = typer.Option(None, "--wake", help="Target wake time, HH:MM."),
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
    """Add a medicine."""
    m = svc.add_medicine(get_ctx(), name, dose, "as_needed" if as_needed else "regular")
    print_json(m) if json_ else console.print(f"Added medicine #{m.id}: {m.name}.")


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

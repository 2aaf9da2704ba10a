"""Journal use cases: profile, medicines, conditions, products, batches and every log entry."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from nightleaf.errors import InputError, NotFound
from nightleaf.model import clock, validate
from nightleaf.model.entities import (
    REGIMENS,
    WEEKDAYS,
    Batch,
    Condition,
    Intake,
    Medicine,
    Note,
    PainRating,
    Product,
    Profile,
    RoutineCheck,
    RoutineItem,
    SleepEntry,
    Substance,
    Symptom,
    saved_id,
)
from nightleaf.model.finding import Finding
from nightleaf.model.region import normalise_region
from nightleaf.model.units import Amount, parse_amount
from nightleaf.services.context import Context, default_profile
from nightleaf.store.repo import Repo

#: how far into the future an entry may be dated (clock skew, typing "now" a bit late)
FUTURE_SLACK = timedelta(minutes=5)


# -- parsing helpers shared by the use cases ---------------------------------------------------
def _opt_float(value: str | float | None, what: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        v = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise InputError(f"{what} must be a number (got {value!r})", field=what) from None
    if v != v or v in (float("inf"), float("-inf")):
        raise InputError(f"{what} must be a number (got {value!r})", field=what)
    return v


def _opt_int(value: str | int | None, what: str) -> int | None:
    v = _opt_float(value, what)
    if v is None:
        return None
    if v != int(v):
        raise InputError(f"{what} must be a whole number (got {value!r})", field=what)
    return int(v)


def _opt_text(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip()
    return v or None


def _when(ctx: Context, tz: str, at: str | None, *, allow_future: bool = False,
          night: date | None = None) -> datetime:
    now = ctx.now()
    instant = clock.parse_when(at or "now", now=now, tz=tz, night=night)
    if not allow_future and instant > now + FUTURE_SLACK:
        local = clock.local_datetime(instant, tz)
        raise InputError(
            f"{local:%Y-%m-%d %H:%M} is in the future; log what has happened (use "
            "`nightleaf check --at` to look at a planned intake)", field="at")
    return instant


# -- profile -----------------------------------------------------------------------------------
PROFILE_FIELDS = ("tz", "region", "bedtime", "lead", "wake", "max_grams", "max_nights",
                  "work_days", "name")


def get_profile(ctx: Context) -> Profile:
    return ctx.profile()


def apply_profile_changes(p: Profile, changes: dict[str, str | None]) -> Profile:
    """Return ``p`` with the typed changes applied; raise InputError on the first bad value."""
    p = dataclasses.replace(p)
    for key, raw in changes.items():
        if raw is None:
            continue
        value = raw.strip() if isinstance(raw, str) else raw
        if key == "tz":
            clock.zone(value)
            p.tz = value
        elif key == "region":
            p.region = normalise_region(value) if value else None
        elif key == "bedtime":
            p.target_bedtime = clock.parse_wall_time(value)
        elif key == "wake":
            p.target_wake = clock.parse_wall_time(value) if value else None
        elif key == "lead":
            lead = _opt_int(value, "lead time (minutes)")
            if lead is None or not 0 <= lead <= 240:
                raise InputError("the lead time is minutes between intake and bedtime, 0 to 240",
                                 field="lead")
            p.lead_minutes = lead
        elif key == "max_grams":
            mg = _opt_float(value, "your ceiling per night (g)")
            if mg is not None and not 0 < mg <= 100:
                raise InputError("your ceiling per night must be between 0 and 100 g",
                                 field="max_grams")
            p.max_grams_per_night = mg
        elif key == "max_nights":
            mn = _opt_int(value, "your ceiling of nights per week")
            if mn is not None and not 0 <= mn <= 7:
                raise InputError("nights per week must be between 0 and 7", field="max_nights")
            p.max_nights_per_week = mn
        elif key == "work_days":
            days = tuple(d.strip().lower()[:3] for d in value.split(",") if d.strip())
            bad = [d for d in days if d not in WEEKDAYS]
            if bad:
                raise InputError(f"unknown weekday {bad[0]!r}: use mon,tue,wed,thu,fri,sat,sun",
                                 field="work_days")
            p.work_days = tuple(d for d in WEEKDAYS if d in days)
        elif key == "name":
            p.name = _opt_text(value)
        else:
            raise InputError(f"unknown profile setting {key!r}")
    return p


def set_profile(ctx: Context, **changes: str | None) -> Profile:
    with ctx.store.tx() as repo:
        current = repo.profile() or default_profile()
        p = apply_profile_changes(current, changes)
        repo.save_profile(p)
    return p


def init_journal(ctx: Context, **changes: str | None) -> Profile:
    """Create the profile (or update it) and the default routine when there is none."""
    p = set_profile(ctx, **changes)
    from nightleaf.services import routine as routine_service

    routine_service.ensure_default_routine(ctx)
    return p


# -- medicines and conditions ------------------------------------------------------------------
def add_medicine(ctx: Context, name: str, dose_text: str | None = None,
                 regimen: str = "regular") -> Medicine:
    if not name or not name.strip():
        raise InputError("a medicine needs a name", field="name")
    reg = validate.choice(regimen, REGIMENS, "regimen")
    with ctx.store.tx() as repo:
        return repo.add(Medicine(name=name.strip(), dose_text=_opt_text(dose_text), regimen=reg))


def list_medicines(ctx: Context) -> list[Medicine]:
    with ctx.store.tx() as repo:
        return repo.all(Medicine)


def _by_id_or_name(items: list[Any], key: str, what: str) -> Any:
    k = key.strip()
    for it in items:
        if str(it.id) == k or it.name.lower() == k.lower():
            return it
    raise NotFound(f"no {what} called {key!r}; `nightleaf {what[:3] if what != 'condition' else what} "
                   f"list` shows them")


def remove_medicine(ctx: Context, key: str) -> Medicine:
    with ctx.store.tx() as repo:
        med = _by_id_or_name(repo.all(Medicine), key, "medicine")
        repo.delete(Medicine, med.id)
    return med


def add_condition(ctx: Context, name: str, note: str | None = None) -> Condition:
    if not name or not name.strip():
        raise InputError("a condition needs a name", field="name")
    with ctx.store.tx() as repo:
        return repo.add(Condition(name=name.strip(), note=_opt_text(note)))


def list_conditions(ctx: Context) -> list[Condition]:
    with ctx.store.tx() as repo:
        return repo.all(Condition)


def remove_condition(ctx: Context, key: str) -> Condition:
    with ctx.store.tx() as repo:
        cond = _by_id_or_name(repo.all(Condition), key, "condition")
        repo.delete(Condition, cond.id)
    return cond


# -- products and batches ----------------------------------------------------------------------
@dataclass
class ProductView:
    product: Product
    batches: list[Batch] = field(default_factory=list)


def add_product(ctx: Context, name: str, *, vendor: str | None = None, label: str | None = None,
                vein: str | None = "unknown", form: str | None = "powder",
                capsule_mg: str | None = None,
                note: str | None = None) -> Product:
    p = validate.product(Product(
        name=(name or "").strip(), vendor=_opt_text(vendor), label=_opt_text(label),
        vein=vein or "unknown", form=form or "powder",
        capsule_mg=_opt_float(capsule_mg, "mg per capsule"), note=_opt_text(note)))
    with ctx.store.tx() as repo:
        return repo.add_product(p)


def find_product(repo: Repo, key: str) -> Product:
    k = key.strip()
    if k.isdigit():
        try:
            return repo.get(Product, int(k))
        except NotFound:
            pass
    p = repo.product_by_name(k)
    if p is None:
        names = ", ".join(x.name for x in repo.all(Product)) or "none yet"
        raise NotFound(f"unknown product {key!r} (known: {names}); add it with "
                       "`nightleaf product add`", field="product")
    return p


def list_products(ctx: Context) -> list[ProductView]:
    with ctx.store.tx() as repo:
        batches = repo.all(Batch)
        return [ProductView(p, [b for b in batches if b.product_id == p.id])
                for p in repo.all(Product)]


def show_product(ctx: Context, key: str) -> ProductView:
    with ctx.store.tx() as repo:
        p = find_product(repo, key)
        return ProductView(p, repo.batches_of(saved_id(p)))


def add_batch(ctx: Context, product: str, *, lot: str | None = None,
              purchased_on: str | None = None, mitragynine_pct: str | None = None,
              seven_oh_pct: str | None = None, lab: str | None = None,
              test_date: str | None = None, heavy_metals: str | None = "unknown",
              microbial: str | None = "unknown", pesticides: str | None = "unknown",
              note: str | None = None) -> Batch:
    today = clock.local_datetime(ctx.now(), ctx.profile().tz).date()

    def _date(v: str | None) -> date | None:
        return clock.parse_date(v, today=today) if v and v.strip() else None

    with ctx.store.tx() as repo:
        p = find_product(repo, product)
        b = validate.batch(Batch(
            product_id=saved_id(p), lot=_opt_text(lot), purchased_on=_date(purchased_on),
            mitragynine_pct=_opt_float(mitragynine_pct, "mitragynine %"),
            seven_oh_pct=_opt_float(seven_oh_pct, "7-hydroxymitragynine %"),
            lab=_opt_text(lab), test_date=_date(test_date), heavy_metals=heavy_metals or "unknown",
            microbial=microbial or "unknown", pesticides=pesticides or "unknown",
            note=_opt_text(note)))
        return repo.add(b)


# -- intakes -----------------------------------------------------------------------------------
@dataclass
class LoggedIntake:
    intake: Intake
    product: Product | None
    batch: Batch | None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class IntakeDraft:
    """A parsed, validated intake that is not saved yet (for checks before saving)."""

    intake: Intake
    product: Product | None
    batch: Batch | None


def mitragynine_mg(amount: Amount, batch: Batch | None) -> float | None:
    """Mitragynine in the intake: grams × 1000 × mitragynine % / 100, when both are known.

    >>> from nightleaf.model.units import parse_amount
    >>> mitragynine_mg(parse_amount("3g"), Batch(product_id=1, mitragynine_pct=1.5))
    45.0
    """
    g = amount.grams
    if g is None or batch is None or batch.mitragynine_pct is None:
        return None
    return round(g * 1000 * batch.mitragynine_pct / 100, 3)


def draft_intake(ctx: Context, repo: Repo, amount: str, *, at: str | None = None,
                 product: str | None = None, batch: str | None = None,
                 capsule_mg: str | None = None, tea_grams: str | None = None,
                 note: str | None = None, allow_future: bool = False,
                 night: date | None = None) -> IntakeDraft:
    """Parse and validate an intake without saving it. ``night`` is the night a bare clock time
    is read in (default: the night of now); planning passes tonight."""
    profile = repo.profile() or default_profile()
    prod = find_product(repo, product) if product and product.strip() else None
    bat: Batch | None = None
    if batch and str(batch).strip():
        key = str(batch).strip()
        candidates = repo.batches_of(saved_id(prod)) if prod else repo.all(Batch)
        bat = next((b for b in candidates if str(b.id) == key or (b.lot or "") == key), None)
        if bat is None:
            raise NotFound(f"unknown batch {key!r}" + (f" of {prod.name}" if prod else ""),
                           field="batch")
        if prod is None:
            prod = repo.get(Product, bat.product_id)
    elif prod is not None:
        batches = repo.batches_of(saved_id(prod))
        bat = batches[-1] if batches else None  # the newest batch of that product
    cap = _opt_float(capsule_mg, "mg per capsule")
    if cap is None and prod is not None:
        cap = prod.capsule_mg
    amt = parse_amount(amount, capsule_mg=cap, tea_grams=_opt_float(tea_grams, "grams steeped"))
    if amt.unit == "capsule" and amt.capsule_mg is None:
        raise InputError("capsules need their size: give --capsule-mg, or set it on the product",
                         field="capsule_mg")
    instant = _when(ctx, profile.tz, at, allow_future=allow_future, night=night)
    intake = Intake(at=instant, tz=profile.tz, amount=amt,
                    night=clock.night_of(instant, profile.tz),
                    product_id=prod.id if prod else None, batch_id=bat.id if bat else None,
                    note=_opt_text(note), mitragynine_mg=mitragynine_mg(amt, bat))
    return IntakeDraft(intake, prod, bat)


def log_intake(ctx: Context, amount: str, *, at: str | None = None, product: str | None = None,
               batch: str | None = None, capsule_mg: str | None = None,
               tea_grams: str | None = None, note: str | None = None) -> LoggedIntake:
    """Save an intake and return it with the safety findings as they stand after it."""
    with ctx.store.tx() as repo:
        d = draft_intake(ctx, repo, amount, at=at, product=product, batch=batch,
                         capsule_mg=capsule_mg, tea_grams=tea_grams, note=note)
        saved = repo.add_intake(d.intake)
    return LoggedIntake(saved, d.product, d.batch, findings_after_intake(ctx, saved))


def findings_after_intake(ctx: Context, intake: Intake) -> list[Finding]:
    """Safety findings for the night of ``intake``, as the journal stands after it."""
    from nightleaf.services import safety  # imported here: safety builds on this module

    return safety.findings_for_night(ctx, intake.night)


def delete_intake(ctx: Context, intake_id: int) -> None:
    with ctx.store.tx() as repo:
        repo.delete_intake(intake_id)


# -- other entries -----------------------------------------------------------------------------
def log_substance(ctx: Context, kind: str, *, amount: str | None = None, unit: str | None = None,
                  name: str | None = None, at: str | None = None,
                  note: str | None = None) -> Substance:
    profile = ctx.profile()
    instant = _when(ctx, profile.tz, at)
    s = validate.substance(Substance(
        at=instant, tz=profile.tz, kind=kind, night=clock.night_of(instant, profile.tz),
        name=_opt_text(name), amount=_opt_float(amount, "amount"), unit=_opt_text(unit),
        note=_opt_text(note)))
    if s.kind == "alcohol" and s.unit is None and s.amount is not None:
        s.unit = "drinks"
    with ctx.store.tx() as repo:
        return repo.add(s)


def log_pain(ctx: Context, nrs: str | int, *, context: str = "other", at: str | None = None,
             peg_pain: str | None = None, peg_enjoyment: str | None = None,
             peg_activity: str | None = None, note: str | None = None) -> PainRating:
    p = pain_rating(ctx, nrs, context=context, at=at, peg_pain=peg_pain,
                    peg_enjoyment=peg_enjoyment, peg_activity=peg_activity, note=note)
    with ctx.store.tx() as repo:
        return repo.add(p)


def pain_rating(ctx: Context, nrs: str | int, *, context: str = "other", at: str | None = None,
                peg_pain: str | None = None, peg_enjoyment: str | None = None,
                peg_activity: str | None = None, note: str | None = None) -> PainRating:
    """Parse and validate a pain rating without saving it."""
    profile = ctx.profile()
    instant = _when(ctx, profile.tz, at)
    score = _opt_int(nrs, "pain (NRS)")
    if score is None:
        raise InputError("pain (NRS) is required: 0 (no pain) to 10 (worst imaginable)",
                         field="nrs")
    p = validate.pain(PainRating(
        at=instant, tz=profile.tz, night=clock.night_of(instant, profile.tz), nrs=score,
        context=context or "other", peg_pain=_opt_int(peg_pain, "PEG pain"),
        peg_enjoyment=_opt_int(peg_enjoyment, "PEG enjoyment of life"),
        peg_activity=_opt_int(peg_activity, "PEG general activity"), note=_opt_text(note)))
    return p


def log_symptom(ctx: Context, name: str, severity: str | int, *, kind: str = "side_effect",
                at: str | None = None, note: str | None = None) -> Symptom:
    s = symptom(ctx, name, severity, kind=kind, at=at, note=note)
    with ctx.store.tx() as repo:
        return repo.add(s)


def symptom(ctx: Context, name: str, severity: str | int, *, kind: str = "side_effect",
            at: str | None = None, note: str | None = None) -> Symptom:
    """Parse and validate a side effect or withdrawal sign without saving it."""
    profile = ctx.profile()
    instant = _when(ctx, profile.tz, at)
    sev = _opt_int(severity, "severity")
    if sev is None:
        raise InputError("severity is required: 0 none, 1 mild, 2 moderate, 3 severe, "
                         "4 very severe", field="severity")
    s = validate.symptom(Symptom(at=instant, tz=profile.tz,
                                 night=clock.night_of(instant, profile.tz), kind=kind or "",
                                 name=(name or "").strip(), severity=sev, note=_opt_text(note)))
    return s


def log_note(ctx: Context, text: str, *, at: str | None = None) -> Note:
    if not text or not text.strip():
        raise InputError("the note is empty", field="text")
    profile = ctx.profile()
    instant = _when(ctx, profile.tz, at)
    with ctx.store.tx() as repo:
        return repo.add(Note(at=instant, tz=profile.tz, night=clock.night_of(instant, profile.tz),
                             text=text.strip()))


def resolve_night(ctx: Context, night: str | None, tz: str) -> date:
    """``None`` means last night (the night of now, which in the morning is yesterday's date)."""
    now = ctx.now()
    if not night or not night.strip():
        return clock.night_of(now, tz)
    return clock.parse_date(night, today=clock.local_datetime(now, tz).date())


def log_sleep(ctx: Context, *, night: str | None = None, into_bed: str | None = None,
              tried_to_sleep: str | None = None, sol: str | None = None,
              awakenings: str | None = None, waso: str | None = None,
              final_awakening: str | None = None, out_of_bed: str | None = None,
              woke_early: str | None = None, quality: str | None = None,
              rested: str | None = None, nap_count: str | None = None,
              nap_minutes: str | None = None, note: str | None = None) -> SleepEntry:
    """Save (or replace) the diary entry of one night. Clock times are read within that night:
    from noon on they are that evening, before noon the next morning."""
    entry = sleep_entry(ctx, night=night, into_bed=into_bed, tried_to_sleep=tried_to_sleep,
                        sol=sol, awakenings=awakenings, waso=waso,
                        final_awakening=final_awakening, out_of_bed=out_of_bed,
                        woke_early=woke_early, quality=quality, rested=rested,
                        nap_count=nap_count, nap_minutes=nap_minutes, note=note)
    with ctx.store.tx() as repo:
        return repo.save_sleep_entry(entry)


def sleep_entry(ctx: Context, *, night: str | None = None, into_bed: str | None = None,
                tried_to_sleep: str | None = None, sol: str | None = None,
                awakenings: str | None = None, waso: str | None = None,
                final_awakening: str | None = None, out_of_bed: str | None = None,
                woke_early: str | None = None, quality: str | None = None,
                rested: str | None = None, nap_count: str | None = None,
                nap_minutes: str | None = None, note: str | None = None) -> SleepEntry:
    """Parse and validate one night's diary entry without saving it (see :func:`log_sleep`)."""
    profile = ctx.profile()
    tz = profile.tz
    n = resolve_night(ctx, night, tz)

    def _t(v: str | None, what: str) -> datetime | None:
        if v is None or not v.strip():
            return None
        try:
            return clock.parse_when(v, now=ctx.now(), tz=tz, night=n)
        except InputError as exc:
            raise InputError(f"{what}: {exc.message}", field=what) from None

    entry = SleepEntry(
        night=n, tz=tz, into_bed=_t(into_bed, "into bed"),
        tried_to_sleep=_t(tried_to_sleep, "tried to sleep"),
        sol_minutes=_opt_float(sol, "minutes to fall asleep"),
        awakenings=_opt_int(awakenings, "number of awakenings"),
        waso_minutes=_opt_float(waso, "minutes awake during the night"),
        final_awakening=_t(final_awakening, "final awakening"),
        out_of_bed=_t(out_of_bed, "out of bed"),
        woke_early_minutes=_opt_float(woke_early, "minutes woken earlier than planned"),
        quality=_opt_int(quality, "sleep quality"), rested=_opt_int(rested, "how rested"),
        nap_count=_opt_int(nap_count, "number of naps"),
        nap_minutes=_opt_float(nap_minutes, "nap minutes"), note=_opt_text(note))
    validate.sleep_entry(entry)
    latest = max((v for v in (entry.out_of_bed, entry.final_awakening, entry.tried_to_sleep)
                  if v is not None), default=None)
    if latest is not None and latest > ctx.now() + FUTURE_SLACK:
        ends = clock.local_datetime(latest, tz)
        raise InputError(f"the entry for the night of {n} ends in the future ({ends:%a %H:%M}): "
                         "log a night once you are up, or choose an earlier night (e.g. "
                         "2 days ago); check the times", field="night")
    return entry


def log_routine(ctx: Context, item: str, *, night: str | None = None,
                done: bool = True) -> RoutineCheck:
    profile = ctx.profile()
    n = resolve_night(ctx, night, profile.tz) if night else clock.tonight(ctx.now(), profile.tz)
    with ctx.store.tx() as repo:
        items = repo.all(RoutineItem)
        key = item.strip().lower()
        match = next((i for i in items if str(i.id) == key or i.text.lower() == key), None)
        if match is None:
            match = next((i for i in items if key and key in i.text.lower()), None)
        if match is None:
            raise NotFound(f"no routine item {item!r}; `nightleaf routine list` shows them",
                           field="item")
        chk = RoutineCheck(item_id=match.id, night=n, done=done)  # type: ignore[arg-type]
        repo.set_routine_check(chk)
    return chk

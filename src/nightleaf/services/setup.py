"""Setting up a journal: the profile (``init``), medicines and conditions."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from nightleaf.errors import InputError, NotFound
from nightleaf.model import clock, validate
from nightleaf.model.entities import REGIMENS, WEEKDAYS, Condition, Medicine, Profile, saved_id
from nightleaf.model.region import normalise_region
from nightleaf.services import parse
from nightleaf.services.context import Context, default_profile
from nightleaf.services.inputs import ProfileInput
from nightleaf.services.routine import add_default_items

T = TypeVar("T", Medicine, Condition)

PROFILE_FIELDS = ProfileInput.field_ids()


def get_profile(ctx: Context) -> Profile:
    return ctx.profile()


def apply_profile_changes(p: Profile, changes: ProfileInput) -> Profile:
    """Return ``p`` with the typed changes applied; raise InputError naming every bad field."""
    p = dataclasses.replace(p)
    f = parse.Fields()
    for key in PROFILE_FIELDS:
        raw = getattr(changes, key)
        if raw is None:
            continue
        f.get(lambda key=key, raw=raw: _apply(p, key, raw.strip()))  # type: ignore[misc]
    f.check()
    return p


def _apply(p: Profile, key: str, value: str) -> None:
    if key == "tz":
        parse.attach("tz", "zone", lambda: clock.zone(value))
        p.tz = value
    elif key == "region":
        p.region = parse.attach("region", "region", lambda: normalise_region(value)) \
            if value else None
    elif key == "bedtime":
        p.target_bedtime = parse.attach("bedtime", "time", lambda: clock.parse_wall_time(value))
    elif key == "wake":
        p.target_wake = parse.attach("wake", "time", lambda: clock.parse_wall_time(value)) \
            if value else None
    elif key == "lead":
        lead = parse.whole(value, "lead", "the lead time")
        if lead is None or not 0 <= lead <= 240:
            raise InputError("the lead time is minutes between intake and bedtime, 0 to 240",
                             field="lead", code="range")
        p.lead_minutes = lead
    elif key == "max_grams":
        mg = parse.number(value, "max_grams", "your ceiling per night (g)")
        if mg is not None and not 0 < mg <= 100:
            raise InputError("your ceiling per night must be between 0 and 100 g",
                             field="max_grams", code="range")
        p.max_grams_per_night = mg
    elif key == "max_nights":
        p.max_nights_per_week = parse.bounded(value, "max_nights", "nights per week", 0, 7)
    elif key == "work_days":
        days = tuple(d.strip().lower()[:3] for d in value.split(",") if d.strip())
        bad = [d for d in days if d not in WEEKDAYS]
        if bad:
            raise InputError(f"unknown weekday {bad[0]!r}: use mon,tue,wed,thu,fri,sat,sun",
                             field="work_days", code="choice")
        p.work_days = tuple(d for d in WEEKDAYS if d in days)
    elif key == "name":
        p.name = parse.text(value)


def set_profile(ctx: Context, changes: ProfileInput) -> Profile:
    with ctx.tx() as repo:
        current = repo.profile() or default_profile()
        p = apply_profile_changes(current, changes)
        repo.save_profile(p)
    return p


def init_journal(ctx: Context, changes: ProfileInput) -> Profile:
    """Create the profile (or update it) and the default routine when there is none, in one
    transaction: a failure writes nothing."""
    with ctx.tx() as repo:
        current = repo.profile() or default_profile()
        p = apply_profile_changes(current, changes)
        repo.save_profile(p)
        add_default_items(repo)
    return p


# -- medicines and conditions ------------------------------------------------------------------
def add_medicine(ctx: Context, name: str, dose_text: str | None = None,
                 regimen: str = "regular") -> Medicine:
    nm = parse.required(name, "name", "a medicine needs a name")
    reg = validate.choice(regimen, REGIMENS, "regimen", "regimen")
    with ctx.tx() as repo:
        return repo.add(Medicine(name=nm, dose_text=parse.text(dose_text), regimen=reg))


def update_medicine(ctx: Context, key: str, name: str, dose_text: str | None = None,
                    regimen: str = "regular") -> Medicine:
    """Correct a medicine's name, dose or regimen (its id, and so its history, stays)."""
    nm = parse.required(name, "name", "a medicine needs a name")
    reg = validate.choice(regimen, REGIMENS, "regimen", "regimen")
    with ctx.tx() as repo:
        med = _by_id_or_name(repo.all(Medicine), key, "medicine")
        fixed = dataclasses.replace(med, name=nm, dose_text=parse.text(dose_text), regimen=reg)
        repo.update(fixed)
    return fixed


def list_medicines(ctx: Context) -> list[Medicine]:
    with ctx.tx() as repo:
        return repo.all(Medicine)


def _by_id_or_name(items: list[T], key: str, what: str) -> T:
    k = key.strip()
    for it in items:
        if str(it.id) == k or it.name.lower() == k.lower():
            return it
    raise NotFound(f"no {what} called {key!r}; the list of {what}s shows them", field="name")


def remove_medicine(ctx: Context, key: str) -> Medicine:
    with ctx.tx() as repo:
        med = _by_id_or_name(repo.all(Medicine), key, "medicine")
        repo.delete(Medicine, saved_id(med))
    return med


def add_condition(ctx: Context, name: str, note: str | None = None) -> Condition:
    nm = parse.required(name, "name", "a condition needs a name")
    with ctx.tx() as repo:
        return repo.add(Condition(name=nm, note=parse.text(note)))


def list_conditions(ctx: Context) -> list[Condition]:
    with ctx.tx() as repo:
        return repo.all(Condition)


def remove_condition(ctx: Context, key: str) -> Condition:
    with ctx.tx() as repo:
        cond = _by_id_or_name(repo.all(Condition), key, "condition")
        repo.delete(Condition, saved_id(cond))
    return cond

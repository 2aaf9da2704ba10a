"""Entries of one night: read them together, correct an intake, delete an entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nightleaf.errors import InputError
from nightleaf.model import clock
from nightleaf.model.entities import (
    Batch,
    Intake,
    Note,
    PainRating,
    Product,
    RoutineCheck,
    RoutineItem,
    SleepEntry,
    Substance,
    Symptom,
)
from nightleaf.services.context import Context
from nightleaf.services.diary import ENTRY_CHANGED, Changed, version_of
from nightleaf.services.inputs import IntakeInput
from nightleaf.services.intake import draft_intake

#: kinds of entry that can be deleted one by one, and their record types
DELETABLE: dict[str, type] = {
    "substance": Substance, "pain": PainRating, "symptom": Symptom, "note": Note,
    "sleep": SleepEntry,
}


@dataclass
class NightDetail:
    night: date
    tz: str
    intakes: list[Intake] = field(default_factory=list)
    substances: list[Substance] = field(default_factory=list)
    sleep: SleepEntry | None = None
    pain: list[PainRating] = field(default_factory=list)
    symptoms: list[Symptom] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    products: dict[int, Product] = field(default_factory=dict)
    batches: dict[int, Batch] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.intakes or self.substances or self.sleep or self.pain or self.symptoms
                    or self.notes)


def night_detail(ctx: Context, night: date) -> NightDetail:
    tz = ctx.profile().tz
    with ctx.tx() as repo:
        return NightDetail(
            night=night, tz=tz, intakes=repo.intakes(first=night, last=night),
            substances=repo.all(Substance, first=night, last=night),
            sleep=repo.sleep_entry(night), pain=repo.all(PainRating, first=night, last=night),
            symptoms=repo.all(Symptom, first=night, last=night),
            notes=repo.all(Note, first=night, last=night),
            products={p.id: p for p in repo.all(Product)},  # type: ignore[misc]
            batches={b.id: b for b in repo.all(Batch)},  # type: ignore[misc]
        )


def get_intake(ctx: Context, intake_id: int) -> Intake:
    with ctx.tx() as repo:
        return repo.intake(intake_id)  # NotFound for an unknown id (or another person's)


def get_entry(ctx: Context, kind: str, entry_id: int) -> Any:
    """One entry of a kind (``intake`` or one of :data:`DELETABLE`) by id; NotFound otherwise."""
    if kind == "intake":
        return get_intake(ctx, entry_id)
    cls = DELETABLE.get(kind)
    if cls is None:
        raise InputError(f"unknown kind of entry {kind!r}: one of intake, "
                         f"{', '.join(DELETABLE)}", field="kind", code="choice")
    with ctx.tx() as repo:
        return repo.get(cls, entry_id)


def update_intake(ctx: Context, intake_id: int, inp: IntakeInput, *,
                  version: str | None = None) -> Intake:
    """Replace an intake with the corrected values, keeping its id; one transaction.
    ``version``: the :func:`version_of` the intake the person edited
    (its row is locked and compared first: :class:`Changed`, 409,
    when someone saved in between); None or empty: no check (a script, an older page)."""
    if not inp.at or not inp.at.strip():
        raise InputError("the time of the intake is required", field="at", code="required")
    with ctx.tx() as repo:
        # the night's lock, then the row read again: a correction waiting here sees the one
        # that went first (a row lock alone let two parallel corrections both pass on a server)
        repo.lock_night(repo.intake(intake_id).night)  # NotFound for an unknown id
        current = repo.intake(intake_id, for_update=True)
        if version is not None and version.strip() and version_of(current) != version.strip():
            raise Changed(ENTRY_CHANGED, field="version")
        d = draft_intake(ctx, repo, inp)
        d.intake.id = intake_id
        return repo.replace_intake(d.intake)


def delete_entry(ctx: Context, kind: str, entry_id: int) -> None:
    if kind == "intake":
        with ctx.tx() as repo:
            repo.delete_intake(entry_id)
        return
    cls = DELETABLE.get(kind)
    if cls is None:
        raise InputError(f"unknown kind of entry {kind!r}: one of intake, "
                         f"{', '.join(DELETABLE)}", field="kind", code="choice")
    with ctx.tx() as repo:
        repo.delete(cls, entry_id)


@dataclass
class RoutineTonight:
    night: date
    items: list[RoutineItem]
    done: set[int]


def routine_for_night(ctx: Context, night: date | None = None) -> RoutineTonight:
    p = ctx.profile()
    n = night or clock.tonight(ctx.now(), p.tz)
    with ctx.tx() as repo:
        items = [i for i in repo.all(RoutineItem) if i.active]
        done = {c.item_id for c in repo.routine_checks(first=n, last=n) if c.done}
    return RoutineTonight(n, items, done)


def set_routine_done(ctx: Context, item_id: int, done: bool, night: date | None = None
                     ) -> RoutineCheck:
    p = ctx.profile()
    n = night or clock.tonight(ctx.now(), p.tz)
    with ctx.tx() as repo:
        repo.get(RoutineItem, item_id)  # NotFound when it is not there
        chk = RoutineCheck(item_id=item_id, night=n, done=done)
        repo.set_routine_check(chk)
    return chk


def remove_routine_item(ctx: Context, item_id: int) -> None:
    """Deactivate an item (its past ticks stay in the journal)."""
    with ctx.tx() as repo:
        item = repo.get(RoutineItem, item_id)
        item.active = False
        repo.update(item)

"""The pre-sleep routine: checklist items and their completion per night."""

from __future__ import annotations

from nightleaf.errors import InputError
from nightleaf.model.entities import RoutineItem
from nightleaf.services.context import Context

#: The starting checklist, each drawn from sleep-hygiene guidance; the person edits it freely.
#: Sources: see knowledge data (sleep hygiene) and docs/safety.md.
DEFAULT_ROUTINE: tuple[tuple[str, int | None], ...] = (
    ("No caffeine after early afternoon", None),
    ("Dim the lights", 60),
    ("Screens off", 45),
    ("A calm wind-down activity (reading, stretching, a bath)", 30),
    ("Keep tomorrow's wake time", None),
)


def ensure_default_routine(ctx: Context) -> list[RoutineItem]:
    with ctx.store.tx() as repo:
        items = repo.all(RoutineItem)
        if not items:
            for pos, (text, minutes) in enumerate(DEFAULT_ROUTINE):
                items.append(repo.add(RoutineItem(text=text, position=pos,
                                                  minutes_before_bed=minutes)))
        return items


def list_items(ctx: Context) -> list[RoutineItem]:
    with ctx.store.tx() as repo:
        return repo.all(RoutineItem)


def add_item(ctx: Context, text: str, minutes_before_bed: int | None = None) -> RoutineItem:
    if not text or not text.strip():
        raise InputError("a routine item needs some text", field="text")
    if minutes_before_bed is not None and not 0 <= minutes_before_bed <= 240:
        raise InputError("minutes before bed must be between 0 and 240", field="minutes")
    with ctx.store.tx() as repo:
        pos = max((i.position for i in repo.all(RoutineItem)), default=-1) + 1
        return repo.add(RoutineItem(text=text.strip(), position=pos,
                                    minutes_before_bed=minutes_before_bed))

"""The pre-sleep routine: checklist items, their order, ticks per night and adherence.

The default items come from cited sleep-hygiene guidance (``knowledge/data/sleep_hygiene.toml``);
the person edits them freely. Removing an item deactivates it, so its past ticks still count in
the history; it no longer appears in the plan, the reminders or adherence.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from nightleaf.errors import InputError, NotFound
from nightleaf.knowledge.evening import sleep_hygiene
from nightleaf.model import clock
from nightleaf.model.entities import (
    Note,
    PainRating,
    RoutineCheck,
    RoutineItem,
    SleepEntry,
    Substance,
    Symptom,
)
from nightleaf.model.finding import Source
from nightleaf.plan import routine as plan_routine
from nightleaf.services import parse
from nightleaf.services.context import Context
from nightleaf.services.parse import resolve_night
from nightleaf.store.repo import Repo

MAX_TEXT = 200
MAX_MINUTES = 240


def _defaults() -> tuple[tuple[str, int | None], ...]:
    return tuple((i.text, i.minutes_before_bed) for i in sleep_hygiene().items)


#: The starting checklist (text, minutes before bed), each item drawn from cited sleep-hygiene
#: guidance; see ``knowledge/data/sleep_hygiene.toml`` for the sources.
DEFAULT_ROUTINE: tuple[tuple[str, int | None], ...] = _defaults()


@dataclass
class ItemView:
    item: RoutineItem
    done_tonight: bool = False
    sources: list[Source] = field(default_factory=list)  # when the item is a cited default
    source_says: list[str] = field(default_factory=list)
    source_keys: list[str] = field(default_factory=list)


def add_default_items(repo: Repo) -> list[RoutineItem]:
    """Within the caller's transaction: the default items when the journal has none."""
    items = repo.all(RoutineItem)
    if not items:
        for pos, (text, minutes) in enumerate(DEFAULT_ROUTINE, start=1):
            items.append(repo.add(RoutineItem(text=text, position=pos,
                                              minutes_before_bed=minutes)))
    return items


def ensure_default_routine(ctx: Context) -> list[RoutineItem]:
    with ctx.tx() as repo:
        return add_default_items(repo)


def list_items(ctx: Context, *, include_removed: bool = False) -> list[RoutineItem]:
    with ctx.tx() as repo:
        return [i for i in repo.all(RoutineItem) if include_removed or i.active]


def describe(ctx: Context, *, night: date | None = None,
             include_removed: bool = False) -> list[ItemView]:
    """The items with their sources (for cited defaults) and whether each is ticked tonight."""
    tz = ctx.profile().tz
    n = night or clock.tonight(ctx.now(), tz)
    with ctx.tx() as repo:
        items = [i for i in repo.all(RoutineItem) if include_removed or i.active]
        done = {c.item_id for c in repo.routine_checks(first=n, last=n) if c.done}
    kb = sleep_hygiene()
    out = []
    for it in items:
        cited = kb.by_text(it.text)
        out.append(ItemView(it, it.id in done,
                            list(kb.cite(cited.sources)) if cited else [],
                            list(cited.source_says) if cited else [],
                            list(cited.sources) if cited else []))
    return out


def _text(text: str | None) -> str:
    t = (text or "").strip()
    if not t:
        raise InputError("a routine item needs some text, e.g. \"Screens off\"", field="text",
                         code="required")
    if len(t) > MAX_TEXT:
        raise InputError(f"a routine item is at most {MAX_TEXT} characters", field="text",
                         code="length")
    return t


def _minutes(value: str | int | None) -> int | None:
    return parse.bounded(value, "minutes", "minutes before bed", 0, MAX_MINUTES)


def find_item(items: list[RoutineItem], key: str) -> RoutineItem:
    """An item by id, exact text, or a unique part of its text (case-insensitive)."""
    k = (key or "").strip().lower()
    if not k:
        raise InputError("name the routine item by its id or text", field="item", code="required")
    for it in items:
        if str(it.id) == k or it.text.lower() == k:
            return it
    hits = [it for it in items if k in it.text.lower()]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise InputError(f"{key!r} matches {len(hits)} routine items; use the id "
                         "(the routine list shows them)", field="item", code="ambiguous")
    raise NotFound(f"no routine item {key!r}; the routine list shows them", field="item")


def add_item(ctx: Context, text: str, minutes_before_bed: str | int | None = None) -> RoutineItem:
    t = _text(text)
    m = _minutes(minutes_before_bed)
    with ctx.tx() as repo:
        pos = max((i.position for i in repo.all(RoutineItem)), default=0) + 1
        return repo.add(RoutineItem(text=t, position=pos, minutes_before_bed=m))


def edit_item(ctx: Context, key: str, *, text: str | None = None,
              minutes_before_bed: str | int | None = None,
              clear_minutes: bool = False) -> RoutineItem:
    with ctx.tx() as repo:
        it = find_item([i for i in repo.all(RoutineItem) if i.active], key)
        changed = replace(it)
        if text is not None:
            changed.text = _text(text)
        if clear_minutes:
            changed.minutes_before_bed = None
        elif minutes_before_bed is not None:
            changed.minutes_before_bed = _minutes(minutes_before_bed)
        repo.update(changed)
        return changed


def remove_item(ctx: Context, key: str) -> RoutineItem:
    with ctx.tx() as repo:
        it = find_item([i for i in repo.all(RoutineItem) if i.active], key)
        gone = replace(it, active=False)
        repo.update(gone)
        return gone


def move_item(ctx: Context, key: str, to_position: str | int) -> list[RoutineItem]:
    pos = parse.whole(to_position, "position", "the position")
    if pos is None:
        raise InputError("give the new position, 1 for first", field="position", code="required")
    with ctx.tx() as repo:
        items = repo.all(RoutineItem)
        it = find_item([i for i in items if i.active], key)
        moved = plan_routine.move(items, it.id or 0, pos)
        for m in moved:
            repo.update(m)
        return moved


def tick(ctx: Context, key: str, *, night: str | None = None, done: bool = True) -> RoutineCheck:
    """Tick an item for a night (tonight by default), found by id, text or a unique part."""
    profile = ctx.profile()
    n = resolve_night(ctx, night, profile.tz) if night else clock.tonight(ctx.now(), profile.tz)
    with ctx.tx() as repo:
        it = find_item(repo.all(RoutineItem), key)
        chk = RoutineCheck(item_id=it.id or 0, night=n, done=done)
        repo.set_routine_check(chk)
    return chk


def log_routine(ctx: Context, item: str, *, night: str | None = None,
                done: bool = True) -> RoutineCheck:
    """Tick (or untick) an item for a night; the item named by id, text or part of its text."""
    return tick(ctx, item, night=night, done=done)


def set_checks(ctx: Context, ticks: dict[int, bool], night: date | None = None
               ) -> list[RoutineCheck]:
    """Tick and untick several items of one night in one transaction (the web checklist)."""
    n = night or clock.tonight(ctx.now(), ctx.profile().tz)
    out = []
    with ctx.tx() as repo:
        for item_id, done in ticks.items():
            repo.get(RoutineItem, item_id)  # NotFound when it is not there: nothing is saved
            chk = RoutineCheck(item_id=item_id, night=n, done=done)
            repo.set_routine_check(chk)
            out.append(chk)
    return out


def adherence(ctx: Context, *, days: int = 30, last: str | None = None) -> plan_routine.Adherence:
    """Adherence over the ``days`` nights ending with ``last`` (default: tonight)."""
    if not 1 <= days <= 3660:
        raise InputError("days must be between 1 and 3660", field="days", code="range")
    tz = ctx.profile().tz
    end = resolve_night(ctx, last, tz) if last else clock.tonight(ctx.now(), tz)
    start = end - timedelta(days=days - 1)
    with ctx.tx() as repo:
        items = repo.all(RoutineItem)
        checks = repo.routine_checks(first=start, last=end)
        recorded: set[date] = {i.night for i in repo.intakes(first=start, last=end)}
        for cls in (SleepEntry, PainRating, Symptom, Substance, Note):
            recorded |= {r.night for r in repo.all(cls, first=start, last=end)}  # type: ignore[attr-defined]
    return plan_routine.adherence(items, checks, recorded, first=start, last=end)


__all__ = ["DEFAULT_ROUTINE", "ItemView", "add_item", "adherence", "describe",
           "add_default_items", "edit_item", "ensure_default_routine", "find_item", "list_items",
           "log_routine", "move_item", "remove_item", "set_checks", "tick"]

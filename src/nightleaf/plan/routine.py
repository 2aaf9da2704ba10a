"""The pre-sleep routine as a checklist: reordering and adherence over time (pure).

**Adherence** of an item over a window = nights on which it was ticked done ÷ nights in the
window on which the person recorded anything (a tick, an intake, a diary entry...). Nights with
nothing recorded are unknown, not failures, so a journal with gaps is not penalised. The overall
figure is the mean over active items.

>>> from datetime import date
>>> from nightleaf.model.entities import RoutineCheck, RoutineItem
>>> items = [RoutineItem("Screens off", id=1)]
>>> checks = [RoutineCheck(1, date(2026, 11, 1)), RoutineCheck(1, date(2026, 11, 2), done=False)]
>>> a = adherence(items, checks, {date(2026, 11, 1), date(2026, 11, 2)})
>>> a.items[0].done, a.items[0].nights, a.items[0].rate
(1, 2, 0.5)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from nightleaf.errors import InputError
from nightleaf.model.entities import RoutineCheck, RoutineItem


@dataclass(frozen=True)
class ItemAdherence:
    item_id: int | None
    text: str
    done: int  # nights ticked done
    nights: int  # nights with anything recorded
    rate: float | None  # done / nights; None when there is no recorded night


@dataclass
class Adherence:
    first: date | None
    last: date | None
    nights: int  # nights with anything recorded
    rate: float | None  # mean of the item rates
    items: list[ItemAdherence] = field(default_factory=list)


def adherence(items: list[RoutineItem], checks: Iterable[RoutineCheck],
              recorded_nights: Iterable[date], *, first: date | None = None,
              last: date | None = None) -> Adherence:
    """Adherence of each active item over the recorded nights in [first, last]."""
    checks = list(checks)
    nights = set(recorded_nights) | {c.night for c in checks}
    if first is not None:
        nights = {n for n in nights if n >= first}
    if last is not None:
        nights = {n for n in nights if n <= last}
    done_by: dict[int | None, set[date]] = {}
    for c in checks:
        if c.done and c.night in nights:
            done_by.setdefault(c.item_id, set()).add(c.night)
    rows = []
    for it in sorted((i for i in items if i.active), key=lambda i: i.position):
        done = len(done_by.get(it.id, set()))
        rows.append(ItemAdherence(it.id, it.text, done, len(nights),
                                  round(done / len(nights), 3) if nights else None))
    rates = [r.rate for r in rows if r.rate is not None]
    return Adherence(first=first or (min(nights) if nights else None),
                     last=last or (max(nights) if nights else None), nights=len(nights),
                     rate=round(sum(rates) / len(rates), 3) if rates else None, items=rows)


def move(items: list[RoutineItem], item_id: int, to_position: int) -> list[RoutineItem]:
    """The active items renumbered 1..n with ``item_id`` moved to 1-based ``to_position``.

    >>> its = [RoutineItem("a", 0, id=1), RoutineItem("b", 1, id=2), RoutineItem("c", 2, id=3)]
    >>> [i.text for i in move(its, 3, 1)]
    ['c', 'a', 'b']
    """
    active = sorted((i for i in items if i.active), key=lambda i: i.position)
    moving = next((i for i in active if i.id == item_id), None)
    if moving is None:
        raise InputError(f"no active routine item with id {item_id}; `nightleaf routine list` "
                         "shows them", field="item")
    if not 1 <= to_position <= len(active):
        raise InputError(f"the position must be between 1 and {len(active)}", field="position")
    rest = [i for i in active if i.id != item_id]
    rest.insert(to_position - 1, moving)
    return [replace(i, position=k + 1) for k, i in enumerate(rest)]

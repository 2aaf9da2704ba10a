"""Domain objects as JSON-ready values: the one converter behind every ``--json`` and ``/api``.

Dataclasses become dicts (plus any names listed in their ``__json_extra__``), dates and instants
ISO 8601 strings, NaN ``None``; lists, tuples and dicts recursively.

>>> from datetime import date
>>> to_plain({"night": date(2026, 11, 24), "x": float("nan")})
{'night': '2026-11-24', 'x': None}
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime, time
from typing import Any

_PLAIN = (str, int, bool, type(None))
#: per dataclass type: its field names followed by its ``__json_extra__`` names
_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(cls)) + tuple(
            getattr(cls, "__json_extra__", ()))
        _NAMES[cls] = names
    return names


def to_plain(value: Any) -> Any:
    cls = type(value)
    if cls in _PLAIN:  # the common case first: long windows hold tens of thousands of scalars
        return value
    if cls is float:
        return None if math.isnan(value) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_plain(getattr(value, name)) for name in _names(cls)}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(to_plain(k)): to_plain(v) for k, v in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return None
    return value

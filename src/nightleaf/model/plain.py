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


def to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in getattr(value, "__json_extra__", ()):
            out[name] = to_plain(getattr(value, name))
        return out
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(to_plain(k)): to_plain(v) for k, v in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return None
    return value

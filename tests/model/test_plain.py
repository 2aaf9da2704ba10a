"""to_plain: one rule per kind of value, whatever the type's position in a structure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import numpy as np

from nightleaf.model.plain import to_plain


@dataclass(frozen=True)
class Inner:
    at: datetime
    x: float


@dataclass(frozen=True)
class Outer:
    night: date
    items: tuple[Inner, ...]
    by_night: dict[date, float]
    __json_extra__ = ("count",)

    @property
    def count(self) -> int:
        return len(self.items)


def test_nested_values_become_plain() -> None:
    at = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    o = Outer(date(2026, 3, 1), (Inner(at, float("nan")), Inner(at, 1.5)),
              {date(2026, 3, 2): np.float64("nan")})
    assert to_plain(o) == {
        "night": "2026-03-01",
        "items": [{"at": "2026-03-01T23:00:00+00:00", "x": None},
                  {"at": "2026-03-01T23:00:00+00:00", "x": 1.5}],
        "by_night": {"2026-03-02": None},
        "count": 2,
    }


def test_scalars_and_classes_pass_through() -> None:
    assert to_plain([True, 3, "a", None, np.float64(2.5), time(12, 30)]) == [
        True, 3, "a", None, 2.5, "12:30:00"]
    assert to_plain(Inner) is Inner  # a dataclass type is not an instance

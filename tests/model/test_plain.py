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


def test_generated_dataclass_converters_give_what_the_loop_gave() -> None:
    """Dataclasses are converted by code generated per type (issue 13 speed work): the same
    dict as the getattr loop, in field order then ``__json_extra__``, NaN as None (also a NaN
    float field), nested values converted."""
    import dataclasses as dc
    import math
    from datetime import date

    from nightleaf.model.plain import _dataclass_converter, to_plain

    @dc.dataclass(frozen=True)
    class Inner:
        when: date
        v: float

    @dc.dataclass
    class Outer:
        a: float
        b: Inner
        c: tuple[Inner, ...]
        d: dict[str, float]
        e: int | None = None
        __json_extra__ = ("twice",)

        @property
        def twice(self) -> float:
            return 2 * self.a

    o = Outer(math.nan, Inner(date(2026, 3, 1), -0.0), (Inner(date(2026, 3, 2), 1.5),),
              {"x": math.nan, "y": 2.0})
    want = {"a": None, "b": {"when": "2026-03-01", "v": -0.0},
            "c": [{"when": "2026-03-02", "v": 1.5}], "d": {"x": None, "y": 2.0}, "e": None,
            "twice": None}
    got = to_plain(o)
    assert got == want and list(got) == list(want)
    assert repr(to_plain(Outer(1.0, o.b, (), {}, 3))) == repr(
        {"a": 1.0, "b": {"when": "2026-03-01", "v": -0.0}, "c": [], "d": {}, "e": 3,
         "twice": 2.0})
    # names that are not identifiers fall back to the loop (never for dataclass fields)
    odd = type("Odd", (), {"x y": 1.0})()
    assert _dataclass_converter(("x y",))(odd) == {"x y": 1.0}

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
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

_PLAIN = frozenset((str, int, bool, type(None)))
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
    convert = _CONVERT.get(cls)
    if convert is None:
        convert = _CONVERT[cls] = _converter(cls)
    return convert(value)


def _converter(cls: type) -> Callable[[Any], Any]:
    """How values of type ``cls`` become plain: decided once per type, in the order the rules
    are listed in the module docstring (only a float's NaN-ness depends on the value)."""
    if issubclass(cls, float):
        return _float
    if dataclasses.is_dataclass(cls):
        return _dataclass_converter(_names(cls))
    if issubclass(cls, datetime | date | time):
        return _isoformat
    if issubclass(cls, list | tuple):
        return _sequence
    if issubclass(cls, dict):
        return _mapping
    return _same


def _dataclass_converter(names: tuple[str, ...]) -> Callable[[Any], dict[str, Any]]:
    """A dataclass as a dict of its names in order, each value plain: one dict display with
    an attribute load per name, generated once per type (a 10-year summary converts about
    30,000 dataclass values), instead of a loop of ``getattr`` calls and a call per float.
    The same dict."""
    if not all(n.isidentifier() for n in names):  # never for dataclass fields; be safe anyway
        def dataclass_(value: Any) -> dict[str, Any]:
            out = {}
            for name in names:
                v = getattr(value, name)
                out[name] = v if type(v) in _PLAIN else to_plain(v)
            return out
        return dataclass_
    # a float that is not NaN (v == v) is plain as it is; NaN and the rest go to to_plain
    items = ", ".join(f"{n!r}: v if (t := type(v := value.{n})) in _P or (t is float and v == v)"
                      " else _tp(v)" for n in names)
    scope: dict[str, Any] = {"_P": _PLAIN, "_tp": to_plain}
    exec(f"def dataclass_(value):\n    return {{{items}}}\n", scope)  # noqa: S102
    convert: Callable[[Any], dict[str, Any]] = scope["dataclass_"]
    return convert


def _float(value: float) -> float | None:
    return None if math.isnan(value) else value


def _isoformat(value: date | time) -> str:
    return value.isoformat()


def _sequence(value: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [v if type(v) in _PLAIN else to_plain(v) for v in value]


def _mapping(value: dict[Any, Any]) -> dict[str, Any]:
    return {str(to_plain(k)): to_plain(v) for k, v in value.items()}


def _same(value: Any) -> Any:
    return value


#: per type (other than the plain scalars): the function that converts its values
_CONVERT: dict[type, Callable[[Any], Any]] = {}

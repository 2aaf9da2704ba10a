"""Domain objects as JSON-ready values: the one converter behind every ``--json`` and ``/api``.

Dataclasses become dicts (plus any names listed in their ``__json_extra__``), dates and instants
ISO 8601 strings, NaN ``None``; lists, tuples and dicts recursively.

:func:`dumps` gives the JSON text of ``to_plain(value)`` as every ``/api`` answer writes it,
encoded by orjson without building the plain value first (see its docstring for the rules).

>>> from datetime import date
>>> to_plain({"night": date(2026, 11, 24), "x": float("nan")})
{'night': '2026-11-24', 'x': None}
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import orjson

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


def dumps_reference(value: Any) -> bytes:
    """The JSON text of ``to_plain(value)`` exactly as Starlette's ``JSONResponse`` renders it
    (UTF-8, no spaces, NaN and infinities refused): what :func:`dumps` must equal."""
    return json.dumps(to_plain(value), ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


def dumps(value: Any) -> bytes:
    """``dumps_reference(value)``, several times faster: orjson walks the value itself and calls
    back into Python only for what it must not encode its own way — dataclasses (their fields
    and ``__json_extra__`` names, by code generated once per type, values left for orjson),
    float subclasses (numpy's), tuple subclasses, and dates, times and datetimes (by their own
    ``isoformat``, as ``to_plain``: orjson's own format drops the seconds of a UTC offset such
    as Monrovia's -0:44:30 before 1972 and, in 3.13, a time's leading zero of 10,000-99,999
    microseconds). The dataclass code writes the ISO text of a field that holds a date, time
    or datetime itself, saving a call back per value (a 10-year summary holds about 27,000):
    a date's text is kept (a window's nights recur in several rows), and a naive or UTC
    datetime, whose text orjson writes exactly as ``isoformat``, becomes an orjson fragment.

    What orjson encodes natively follows ``to_plain``: NaN is ``null``, str and int subclasses
    are their value, dict keys must be ``str``. The output parses to the same JSON value as the
    reference, and the bytes are the same, except for a float that ``repr`` writes with an
    exponent and orjson without (``1e-05`` → ``0.00001``: the same number). Whatever orjson
    refuses (a key that is not a ``str``, an integer beyond 64 bits, nesting deeper than 254,
    anything unknown) is encoded by the reference instead: the same answer or the same error.
    Values the reference refuses but orjson encodes: an infinity (``null``; the reference
    raises ``ValueError``), an enum that is not also a str or int (its value), a UUID (its
    text). The journal's answers hold none of them.
    """
    try:
        return orjson.dumps(value, default=_fast_default, option=_FAST)
    except orjson.JSONEncodeError:
        return dumps_reference(value)


_FAST = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
#: a field annotation that cannot hold a date, time or datetime (checked only to save time)
_NO_DATES = re.compile(r"(?:\s|[|,\[\].]|float|int|str|bool|None|tuple|list|dict)*")


def _fast_default(value: Any) -> Any:
    convert = _SHALLOW.get(type(value))
    if convert is None:
        convert = _SHALLOW[type(value)] = _shallow_converter(type(value))
    return convert(value)


def _may_hold_dates(annotation: Any) -> bool:
    return not (isinstance(annotation, str) and _NO_DATES.fullmatch(annotation))


def _shallow_converter(cls: type) -> Callable[[Any], Any]:
    """For :func:`dumps`: how a value orjson passes back becomes one orjson encodes as
    ``to_plain`` would, one level deep (orjson converts what it holds); the rules in
    :func:`_converter`'s order."""
    if issubclass(cls, float):
        return float
    if dataclasses.is_dataclass(cls):
        names = _names(cls)
        if not all(n.isidentifier() for n in names):
            return lambda value: {n: getattr(value, n) for n in names}
        types = {f.name: f.type for f in dataclasses.fields(cls)}
        items = ", ".join(
            f"{n!r}: (_dt(v) if (c := (v := value.{n}).__class__) is _DT else _DATES[v] "
            "if c is _D else v.isoformat() if c is _T else v)"
            if _may_hold_dates(types.get(n, Any)) else f"{n!r}: value.{n}" for n in names)
        scope: dict[str, Any] = {"_dt": _datetime_text, "_DT": datetime, "_D": date, "_T": time,
                                 "_DATES": _DATES}
        exec(f"def dataclass_(value):\n    return {{{items}}}\n", scope)  # noqa: S102
        convert: Callable[[Any], Any] = scope["dataclass_"]
        return convert
    if cls is datetime:
        return _datetime_text
    if cls is date:
        return _DATES.__getitem__
    if issubclass(cls, datetime | date | time):
        return _isoformat
    if issubclass(cls, list | tuple):
        return list
    return _refuse


def _datetime_text(value: datetime) -> Any:
    """``value.isoformat()``, as an orjson fragment when orjson writes the same text: a naive or
    UTC datetime (orjson's own format differs only for offsets with seconds), about 3× faster."""
    if value.tzinfo is UTC or value.tzinfo is None:
        return orjson.Fragment(orjson.dumps(value))
    return value.isoformat()


class _DateTexts(dict[date, str]):
    """``date.isoformat()`` of each date seen (a window's nights recur in several rows), kept
    until 20,000 dates (then started afresh)."""

    def __missing__(self, day: date) -> str:
        if len(self) >= 20_000:
            self.clear()
        text = self[day] = day.isoformat()
        return text


_DATES = _DateTexts()


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


#: per type orjson passes back to :func:`dumps`: the function that makes it encodable
_SHALLOW: dict[type, Callable[[Any], Any]] = {}

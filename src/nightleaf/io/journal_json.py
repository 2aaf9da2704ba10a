"""The whole journal as JSON: a lossless, versioned format for backup and moving machines.

``{"format": "nightleaf-journal", "version": 1, "profile": {...}, "medicines": [...], ...}``
Instants are ISO 8601 in UTC (``2026-11-24T21:30:00+00:00``); dates are ``YYYY-MM-DD``.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from nightleaf.errors import FormatError
from nightleaf.model import entities as e
from nightleaf.model.plain import to_plain
from nightleaf.model.units import Amount

FORMAT = "nightleaf-journal"
VERSION = 1

#: the journal's lists, by key (the model's one list of them)
_LISTS: dict[str, type] = e.JOURNAL_LISTS


_plain = to_plain


def journal_to_dict(j: e.Journal) -> dict[str, Any]:
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "profile": _plain(j.profile)}
    for key in _LISTS:
        out[key] = _plain(getattr(j, key))
    return out


def journal_bytes(j: e.Journal) -> bytes:
    """The whole journal as the nightleaf-journal JSON file's bytes (UTF-8)."""
    return json.dumps(journal_to_dict(j), indent=1, ensure_ascii=False).encode("utf-8")


# -- reading, strictly ---------------------------------------------------------------------------
class _Bad(Exception):
    pass


def _convert(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _convert(args[0], value, where)
    if value is None:
        raise _Bad(f"{where} is missing")
    if tp is datetime:
        if not isinstance(value, str):
            raise _Bad(f"{where} must be an ISO 8601 instant")
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            raise _Bad(f"{where}: {value!r} is not an ISO 8601 instant") from None
        if dt.tzinfo is None:
            raise _Bad(f"{where}: {value!r} has no UTC offset")
        from datetime import UTC

        return dt.astimezone(UTC)
    if tp is date:
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise _Bad(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
    if tp is time:
        try:
            return time.fromisoformat(value)
        except (TypeError, ValueError):
            raise _Bad(f"{where}: {value!r} is not a time (HH:MM)") from None
    if tp is bool:
        if not isinstance(value, bool):
            raise _Bad(f"{where} must be true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(f"{where} must be a whole number")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Bad(f"{where} must be a number")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise _Bad(f"{where} must be text")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise _Bad(f"{where} must be a list")
        return tuple(_convert(typing.get_args(tp)[0], v, f"{where}[{k}]")
                     for k, v in enumerate(value))
    if origin is list:
        if not isinstance(value, list):
            raise _Bad(f"{where} must be a list")
        return [_convert(typing.get_args(tp)[0], v, f"{where}[{k}]") for k, v in enumerate(value)]
    if dataclasses.is_dataclass(tp):
        return _object(tp, value, where)
    raise _Bad(f"{where}: unsupported type")  # pragma: no cover - a programming error


def _object(cls: Any, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise _Bad(f"{where} must be an object")
    hints = typing.get_type_hints(cls, vars(e) | {"Amount": Amount})
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise _Bad(f"{where} has unknown field(s): {', '.join(sorted(unknown))}")
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise _Bad(f"{where}.{f.name} is missing")
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise _Bad(f"{where}: {exc}") from None


def journal_from_dict(data: Any, *, name: str = "the file") -> e.Journal:
    """Read a journal; raise FormatError naming the first problem and where it is."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FormatError(f"{name} is not a nightleaf journal export (no \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise FormatError(f"{name} is version {data.get('version')!r} of the journal format; "
                          f"this nightleaf reads version {VERSION}")
    try:
        j = e.Journal(profile=_object(e.Profile, data["profile"], "profile")
                      if data.get("profile") is not None else None)
        for key, cls in _LISTS.items():
            items = data.get(key, [])
            if not isinstance(items, list):
                raise _Bad(f"{key} must be a list")
            setattr(j, key, [_object(cls, it, f"{key}[{k}]") for k, it in enumerate(items)])
    except _Bad as exc:
        raise FormatError(f"{name}: {exc}") from None
    _check_references(j, name)
    _check_sleep(j, name)
    return j


def _check_sleep(j: e.Journal, name: str) -> None:
    """Refuse what ``log sleep`` and the wearable imports refuse (issue 13)."""
    from nightleaf.errors import InputError
    from nightleaf.io._common import check_episode
    from nightleaf.model import validate

    for k, s in enumerate(j.sleep):
        try:
            validate.sleep_entry(s)
        except InputError as exc:
            raise FormatError(f"{name}: sleep[{k}] (night {s.night}): {exc.message}") from None
    for k, ep in enumerate(j.episodes):
        check_episode(ep, f"{name}: episodes[{k}]")


def _check_references(j: e.Journal, name: str) -> None:
    products = {p.id for p in j.products}
    batches = {b.id for b in j.batches}
    items = {r.id for r in j.routine}
    for k, b in enumerate(j.batches):
        if b.product_id not in products:
            raise FormatError(f"{name}: batches[{k}] refers to product {b.product_id}, not in the file")
    for k, i in enumerate(j.intakes):
        if i.product_id is not None and i.product_id not in products:
            raise FormatError(f"{name}: intakes[{k}] refers to product {i.product_id}, not in the file")
        if i.batch_id is not None and i.batch_id not in batches:
            raise FormatError(f"{name}: intakes[{k}] refers to batch {i.batch_id}, not in the file")
    for k, c in enumerate(j.routine_checks):
        if c.item_id not in items:
            raise FormatError(f"{name}: routine_checks[{k}] refers to item {c.item_id}, not in the file")


def read_journal(path: Path) -> e.Journal:
    try:
        with path.open("rb") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(
            exc, json.JSONDecodeError) else ""
        raise FormatError(f"{path} is not valid JSON{where}") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}") from None
    return journal_from_dict(data, name=str(path))

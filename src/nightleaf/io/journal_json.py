"""The whole journal as JSON: a lossless, versioned format for backup and moving machines.

``{"format": "nightleaf-journal", "version": 1, "profile": {...}, "medicines": [...], ...}``
Instants are ISO 8601 in UTC (``2026-11-24T21:30:00+00:00``); dates are ``YYYY-MM-DD``.
A restore reads the file as a stream (:func:`stream_journal`), one record at a time, so its
memory does not grow with the file; references point back to records earlier in the file
(products before batches and intakes, and so on, as the export writes them).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Generator, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

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
        raise FormatError(_version_message(name, data.get("version")))
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
    checks = _Checks(name)
    for key in _LISTS:
        for k, obj in enumerate(getattr(j, key)):
            checks.record(key, k, obj)
    return j


def _version_message(name: str, version: Any) -> str:
    return (f"{name} is version {version!r} of the journal format; this nightleaf reads "
            f"version {VERSION}")


class _Checks:
    """The checks of every record, one record at a time: what ``log sleep`` and the wearable
    imports refuse (issue 13), and references to a product, batch, routine item or experiment,
    which must come earlier in the file (as :func:`journal_to_dict` writes them: parents
    first), so that a streamed restore can write each record as it comes."""

    _REFS: typing.ClassVar[dict[str, tuple[tuple[str, str, str], ...]]] = {
        "batches": (("product_id", "products", "product"),),
        "intakes": (("product_id", "products", "product"), ("batch_id", "batches", "batch")),
        "routine_checks": (("item_id", "routine", "item"),),
        "experiment_nights": (("experiment_id", "experiments", "experiment"),),
    }
    _PARENTS = frozenset(p for refs in _REFS.values() for _, p, _ in refs)

    def __init__(self, name: str) -> None:
        self.name = name
        self.ids: dict[str, set[int]] = {k: set() for k in self._PARENTS}

    def record(self, key: str, k: int, obj: Any) -> None:
        from nightleaf.errors import InputError
        from nightleaf.io._common import check_episode
        from nightleaf.model import validate

        for attr, parent, label in self._REFS.get(key, ()):
            ref = getattr(obj, attr)
            if ref is not None and ref not in self.ids[parent]:
                raise FormatError(f"{self.name}: {key}[{k}] refers to {label} {ref}, not in the "
                                  f"file (before it)")
        if key in self.ids and obj.id is not None:
            self.ids[key].add(obj.id)
        if key == "sleep":
            try:
                validate.sleep_entry(obj)
            except InputError as exc:
                raise FormatError(f"{self.name}: sleep[{k}] (night {obj.night}): "
                                  f"{exc.message}") from None
        elif key == "episodes":
            check_episode(obj, f"{self.name}: episodes[{k}]")


def stream_journal(stream: BinaryIO, name: str, limits: Any = None
                   ) -> Iterator[tuple[str, Any]]:
    """Read a journal file as a stream: yield ``("profile", Profile | None)`` and ``(key,
    record)`` for each record of each list (``key`` as in :class:`Journal`), in file order,
    each checked as :func:`journal_from_dict` checks it. Memory is bounded by one record (at
    most ``Limits.max_events`` JSON events; one token at most ``Limits.max_value`` bytes), not
    by the file. Raises :class:`FormatError` naming the first problem -- possibly after some
    records were yielded, so the caller writes them in one transaction that the error undoes.
    The ``format`` and ``version`` keys are checked where they stand (the export writes them
    first) and their presence at the end."""
    import ijson  # only JSON imports need it

    from nightleaf.io._common import Limits
    from nightleaf.io._json import _DAMAGED, _Guard

    lim = limits or Limits.from_env()
    guard = _Guard(stream, name, lim.max_value)
    seen: dict[str, Any] = {}
    checks = _Checks(name)
    builder: Any = None
    building = ""  # the prefix of the value being built
    events = 0
    index = 0  # of the current list's item
    first = True
    not_ours = FormatError(f"{name} is not a nightleaf journal export "
                           f"(no \"format\": \"{FORMAT}\")")

    def item(key: str, value: Any, k: int) -> Any:
        try:
            obj = _object(_LISTS[key], value, f"{key}[{k}]")
        except _Bad as exc:
            raise FormatError(f"{name}: {exc}") from None
        checks.record(key, k, obj)
        return obj

    try:
        for prefix, event, value in ijson.parse(guard, use_float=True, buf_size=1 << 16):
            guard.since = 0
            if first:
                first = False
                if event != "start_map":
                    raise not_ours
            if builder is not None:
                builder.event(event, value)
                events += 1
                if events > lim.max_events:
                    raise FormatError(f"{name} (byte {guard.count}): one record holds more "
                                      f"than {lim.max_events:,} values; {_DAMAGED}")
                if prefix == building and event in ("end_map", "end_array"):
                    key = building.partition(".")[0]
                    if key == "profile":
                        yield "profile", _profile(builder.value, name)
                    else:
                        yield key, item(key, builder.value, index)
                        index += 1
                    builder = None
                continue
            if prefix in ("format", "version"):
                seen[prefix] = value if event not in ("start_map", "start_array") else event
                if prefix == "format" and seen[prefix] != FORMAT:
                    raise not_ours
                if prefix == "version" and (isinstance(value, bool) or value != VERSION):
                    raise FormatError(_version_message(name, seen[prefix]))
                continue
            if prefix in _LISTS or prefix == "profile":
                if prefix == "profile" and event in ("start_map", "start_array"):
                    builder, building, events = ijson.ObjectBuilder(), prefix, 1
                    builder.event(event, value)
                elif prefix == "profile" and event not in ("map_key", "end_map", "end_array"):
                    yield "profile", _profile(value, name)
                elif event == "start_array":
                    index = 0
                elif event not in ("end_array", "map_key", "end_map"):
                    raise FormatError(f"{name}: {prefix} must be a list")
                elif event == "end_map":  # pragma: no cover - a map ends at its own prefix
                    pass
                continue
            key, _, rest = prefix.partition(".")
            if key in _LISTS and rest == "item":
                if event in ("start_map", "start_array"):
                    builder, building, events = ijson.ObjectBuilder(), prefix, 1
                    builder.event(event, value)
                elif event not in ("end_array", "end_map", "map_key"):
                    yield key, item(key, value, index)  # a scalar: refused with its place
                    index += 1
            # anything else (a key this version does not know) is skipped, unread
    except ijson.JSONError as exc:
        arg = exc.args[0] if exc.args else ""
        text = arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)
        reason = (text.strip().splitlines() or ["cut short"])[0].rstrip(".")[:120]
        raise FormatError(f"{name} is not valid JSON (byte {guard.count}: {reason})") from None
    except UnicodeDecodeError:
        raise FormatError(f"{name} is not valid JSON (not UTF-8 text)") from None
    if first:
        raise FormatError(f"{name} is not valid JSON (an empty file)")
    if seen.get("format") != FORMAT:
        raise not_ours
    if seen.get("version") != VERSION:
        raise FormatError(_version_message(name, seen.get("version")))


def _profile(value: Any, name: str) -> e.Profile | None:
    if value is None:
        return None
    try:
        return typing.cast(e.Profile, _object(e.Profile, value, "profile"))
    except _Bad as exc:
        raise FormatError(f"{name}: {exc}") from None


def read_journal(path: Path) -> e.Journal:
    """The whole journal in ``path``, read as a stream (see :func:`stream_journal`)."""
    j = e.Journal()
    for key, obj in open_journal(path):
        if key == "profile":
            j.profile = obj
        else:
            getattr(j, key).append(obj)
    return j


def open_journal(path: Path, limits: Any = None) -> Generator[tuple[str, Any], None, None]:
    """:func:`stream_journal` of the file at ``path``. The file is opened now (a missing or
    unreadable file is a one-line error before anything else), read as the result is
    iterated, and closed at its end."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}") from None

    def records() -> Generator[tuple[str, Any], None, None]:
        with fh:
            try:
                yield from stream_journal(fh, str(path), limits)
            except OSError as exc:
                raise FormatError(f"cannot read {path}: {exc.strerror}") from None

    return records()

"""Reading JSON export files as a stream (ijson), with bounded memory and messages that name
the file and the byte offset.

A document is never decoded whole: :func:`records` yields each complete value found at one of
the given paths (``item`` for the elements of a top-level array, ``sleep.item`` for those of a
top-level ``{"sleep": [...]}``), built one at a time. Memory is bounded by one record, and a
record is refused when it holds more than ``Limits.max_events`` JSON events; one token (a
string or number) longer than ``Limits.max_value`` bytes is refused before it is read whole.

>>> import io
>>> [v for _, v in records(io.BytesIO(b'{"sleep": [{"a": 1}, {"a": 2}]}'), "x.json",
...                        {"sleep.item"})]
[{'a': 1}, {'a': 2}]
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from nightleaf.errors import FormatError
from nightleaf.io._common import Limits, MiB, bad_file

_DAMAGED = "the file looks damaged or cut short; download it again"


class _Guard:
    """A read() wrapper that refuses one JSON token longer than ``max_value`` bytes: the
    event loop resets ``since`` at every event, so bytes read with no event in between are one
    token still being buffered by the parser."""

    def __init__(self, raw: BinaryIO, name: str, max_value: int) -> None:
        self.raw = raw
        self.name = name
        self.max_value = max_value
        self.since = 0
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        if self.since > self.max_value:
            raise FormatError(
                f"{self.name} (byte {self.count}): one JSON value runs on for more than "
                f"{self.max_value / MiB:,.0f} MiB; {_DAMAGED} (or raise "
                "NIGHTLEAF_IMPORT_MAX_VALUE)")
        if n == 0:
            return b""  # ijson asks for 0 bytes to learn whether the stream is binary
        data = self.raw.read(n if n and n > 0 else 1 << 16)
        self.since += len(data)
        self.count += len(data)
        return data


def records(stream: BinaryIO, name: str | Path, paths: Collection[str],
            limits: Limits | None = None, *, top: list[str] | None = None
            ) -> Iterator[tuple[str, Any]]:
    """Yield ``(path, value)`` for every complete JSON value at one of ``paths``. ``top``, when
    given, receives the type of the document's top-level value (``"map"`` or ``"array"``, or
    the scalar's type), then ``"key:NAME"`` for each key of a top-level map."""
    import ijson  # only JSON imports need it

    lim = limits or Limits.from_env()
    guard = _Guard(stream, str(name), lim.max_value)
    builder: Any = None
    current = ""
    events = 0
    first = True
    try:
        for prefix, event, value in ijson.parse(guard, use_float=True, buf_size=1 << 16):
            guard.since = 0
            if first:
                first = False
                if top is not None:
                    top.append(event.replace("start_", ""))
            if top is not None and event == "map_key" and prefix == "":
                top.append(f"key:{value}")
            if builder is not None:
                builder.event(event, value)
                events += 1
                if events > lim.max_events:
                    raise FormatError(
                        f"{name} (byte {guard.count}): one record holds more than "
                        f"{lim.max_events:,} values; {_DAMAGED}")
                if prefix == current and event in ("end_map", "end_array"):
                    yield current, builder.value
                    builder = None
                continue
            if prefix in paths:
                if event in ("start_map", "start_array"):
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    current, events = prefix, 1
                elif event not in ("map_key", "end_map", "end_array"):
                    yield prefix, value
    except ijson.JSONError as exc:
        arg = exc.args[0] if exc.args else ""
        text = arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)
        reason = (text.strip().splitlines() or ["cut short"])[0].rstrip(".")[:120]
        raise bad_file(name, f"not valid JSON ({reason})", offset=guard.count,
                       hint=_DAMAGED) from None
    except UnicodeDecodeError as exc:
        raise bad_file(name, "not UTF-8 text", offset=exc.start,
                       hint="choose the JSON file from the export") from None
    if first:
        raise bad_file(name, "an empty file", hint="choose the JSON file from the export")

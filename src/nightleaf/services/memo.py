"""A memo of computed window figures, keyed by the window's exact inputs.

Every request still reads all of the window's records from the store, so it can never be stale
and never costs less than the read. When those records (and the profile, products, window and
view) are *equal* to the inputs of a cached entry, the entry's result is returned instead of
being computed again: the calculators behind it (:func:`nightleaf.stats.window.summarise_window`,
:func:`nightleaf.stats.nightly.nightly`) are pure functions of their arguments, so equal
arguments give the same figures.

Why equality is enough here: the store gives every column one Python type (``float`` for
``Float``, ``int``, ``str``, ``bool``, ``date``, and aware datetimes always in ``UTC``: see
``store.tables.UTCDateTime`` and ``store.repo._utc_values``), so two equal reads hold equal
values of the same types, and equal aware datetimes in the same zone are the same wall clock.
NaN is unequal to itself (a miss: safe); :func:`same_inputs` also requires the same record
types in the same order. One case is not told apart: ``-0.0 == 0.0``, which JSON writes
differently; a stored value would have to change from one zero to the other and nothing else
change (walking every float of every record to rule that out would cost as much as the read).

The memo is a small LRU per process, safe to share between the threads that serve requests:
bounded by the number of entries *and* by the records they hold (input records plus the
window's nights, which is what the cached results grow with), so long windows of many people
cannot grow memory without limit. Knobs: ``NIGHTLEAF_MEMO_ENTRIES`` (default 32) and
``NIGHTLEAF_MEMO_RECORDS`` (default 60,000); ``0`` turns the memo off. Measured with
tracemalloc on ten simulated years (17,090 records and nights a window): a 10-year entry of the
chart columns or of a page view keeps 6.0-7.6 MB (about 0.4 KB a record: the inputs as plain
tuples, and the view's form), so three 10-year windows fit in the default bound, well under
100 MB. The key carries the person, so one person's entry is never looked up for another (and
their inputs differ anyway).

What is kept is what a view shows (``services.summary.Form``: a response body's bytes, the
page's data), made from the result by a pure function named in the key, not the result itself:
every full garbage collection of the process walks the objects kept here, and a 10-year summary
is tens of thousands of them where a body is one. The inputs are kept as tuples of field values
(:func:`flat`), which the collector does not track.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import fields, is_dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from nightleaf.errors import ConfigError

T = TypeVar("T")
D = TypeVar("D")

DEFAULT_ENTRIES = 32
DEFAULT_RECORDS = 60_000


class Memoised(Generic[T]):
    """A computed value, and whether it came from the memo."""

    __slots__ = ("hit", "value")

    def __init__(self, value: T, *, hit: bool = False) -> None:
        self.value = value
        #: whether the value came from the memo (for tests and benchmarks)
        self.hit = hit


_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _names(cls: type, example: Any) -> list[str]:
    """Attribute paths of a record: its class name and fields; a field holding a record (an
    intake's amount) in ``example`` is named through its own fields, so the tuple holds plain
    values only."""
    out = ["__class__.__qualname__"]
    for f in fields(cls):
        inner = getattr(example, f.name)
        if is_dataclass(inner) and not isinstance(inner, type):
            out += [f"{f.name}.{n}" for n in _names(type(inner), inner)]
        else:
            out.append(f.name)
    return out


def _getter(example: Any) -> Callable[[Any], tuple[Any, ...]]:
    """``record -> (class name, field values...)`` for records like ``example``, in C
    (``attrgetter``)."""
    cls = type(example)
    got = _GETTERS.get(cls)
    if got is None:
        got = _GETTERS[cls] = attrgetter(*_names(cls, example))
    return got


def _flat_list(x: list[Any] | tuple[Any, ...]) -> tuple[Any, ...]:
    if len(set(map(type, x))) == 1:
        try:
            return tuple(map(_getter(x[0]), x))
        except AttributeError:  # a nested record missing in some record (None): one by one
            pass
    return tuple(tuple(map(_flat_one, dataclass_values(r))) if is_dataclass(r) else r
                 for r in x)


def dataclass_values(r: Any) -> list[Any]:
    return [type(r).__qualname__, *(getattr(r, f.name) for f in fields(r))]


def _flat_one(v: Any) -> Any:
    if is_dataclass(v) and not isinstance(v, type):
        return tuple(map(_flat_one, dataclass_values(v)))
    return v


def flat(inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    """The inputs with every dataclass record as a tuple of its class name and field values
    (a record inside a record, such as an intake's amount, likewise).

    Equal exactly when the records are (a dataclass's ``==`` compares the same field tuples),
    and what the memo keeps: a tuple of dates, instants, numbers and strings is not tracked by
    the garbage collector, so kept inputs do not slow down every full collection of the
    process as thousands of record objects would (lists inside records, such as an episode's
    stages, stay lists of objects)."""
    out: list[Any] = []
    for x in inputs:
        if isinstance(x, list | tuple) and x and is_dataclass(x[0]):
            out.append(_flat_list(x))
        else:
            out.append(_flat_one(x))
    return tuple(out)


def same_inputs(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """Whether two input tuples give the same figures: equal (``==``, element by element; NaN
    makes them unequal), with the same record types in the same order."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if isinstance(x, list | tuple):
            if type(x) is not type(y) or len(x) != len(y):
                return False
            if any(type(p) is not type(q) for p, q in zip(x, y, strict=True)):
                return False
        elif type(x) is not type(y):
            return False
        if x != y:
            return False
    return True


class Memo:
    """A bounded, thread-safe LRU of :class:`Memoised` results keyed by a hashable key; a
    lookup hits only when the given inputs equal the entry's (:func:`same_inputs`)."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES,
                 max_records: int = DEFAULT_RECORDS) -> None:
        self.max_entries = max_entries
        self.max_records = max_records
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[tuple[Any, ...], int, Memoised[Any]]] = (
            OrderedDict())
        self._records = 0
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0 and self.max_records > 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def records(self) -> int:
        """The records held by all entries (what ``max_records`` bounds)."""
        return self._records

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._records = 0

    def get(self, key: Hashable, inputs: tuple[Any, ...], size: int,
            compute: Callable[[], T]) -> Memoised[T]:
        """The entry for ``key`` when its inputs equal ``inputs``; otherwise ``compute()``,
        kept under ``key`` (replacing an older entry) with ``size`` records, evicting the least
        recently used entries beyond the bounds. ``compute`` runs outside the lock."""
        if not self.enabled:
            return Memoised(compute())
        inputs = flat(inputs)
        with self._lock:
            found = self._entries.get(key)
        # compared outside the lock (≈ 5 ms for ten years): other requests are not held up
        if found is not None and same_inputs(found[0], inputs):
            with self._lock:
                if self._entries.get(key) is found:
                    self._entries.move_to_end(key)
                self.hits += 1
            return Memoised(found[2].value, hit=True)
        value = compute()
        fresh: Memoised[T] = Memoised(value)
        with self._lock:
            self.misses += 1
            old = self._entries.pop(key, None)
            if old is not None:
                self._records -= old[1]
            if size <= self.max_records:  # one window larger than the whole bound: not kept
                self._entries[key] = (inputs, size, fresh)
                self._records += size
            while self._entries and (len(self._entries) > self.max_entries
                                     or self._records > self.max_records):
                _, (_, gone, _) = self._entries.popitem(last=False)
                self._records -= gone
        return fresh


def _count(variable: str, default: int) -> int:
    raw = (os.environ.get(variable) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) > 10**9:
        raise ConfigError(f"{variable}={raw!r} is not a whole number between 0 and 10^9: set "
                          "one (0 turns the memo off), or unset it for the default")
    return int(raw)


_shared: Memo | None = None
_shared_lock = threading.Lock()


def shared() -> Memo:
    """This process's memo (sized from ``NIGHTLEAF_MEMO_ENTRIES`` and
    ``NIGHTLEAF_MEMO_RECORDS`` when first used)."""
    global _shared  # one memo per process, made on first use
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = Memo(_count("NIGHTLEAF_MEMO_ENTRIES", DEFAULT_ENTRIES),
                               _count("NIGHTLEAF_MEMO_RECORDS", DEFAULT_RECORDS))
    return _shared

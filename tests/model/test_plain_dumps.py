"""model.plain.dumps, the fast encoder of /api answers: the same JSON as the old path
(``JSONResponse(to_plain(value))``, kept in tests/support/plain_reference.py), for random plain
values, random domain dataclasses and random window summaries."""

from __future__ import annotations

import enum
import json
import math
from collections import OrderedDict, namedtuple
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nightleaf.model.entities import Profile
from nightleaf.model.plain import dumps, dumps_reference
from nightleaf.stats.window import summarise_window
from tests.support.journal_factory import journal
from tests.support.plain_reference import reference_body
from tests.support.sleep_helpers import NY


@dataclass(frozen=True)
class Leaf:
    at: datetime | None
    x: float
    label: str


@dataclass(frozen=True, kw_only=True)
class Branch:
    night: date
    leaves: tuple[Leaf, ...]
    extra: Any
    __json_extra__ = ("count",)

    @property
    def count(self) -> int:
        return len(self.leaves)


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


Pair = namedtuple("Pair", "a b")

ZONES = (UTC, ZoneInfo("Africa/Monrovia"), ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe"),
         ZoneInfo("Asia/Kathmandu"), timezone(timedelta(hours=-9, minutes=-30)))

# floats that repr writes without an exponent (1e-4 <= |x| < 1e16, or 0): the bytes are equal
plain_floats = st.one_of(st.floats(min_value=1e-4, max_value=1e15),
                         st.floats(min_value=-1e15, max_value=-1e-4), st.just(0.0),
                         st.just(-0.0), st.just(math.nan))
any_floats = st.floats(allow_infinity=False)  # NaN included; infinities: see below
# hypothesis takes naive bounds and attaches the zones itself
instants = st.datetimes(min_value=datetime(1900, 1, 1),  # noqa: DTZ001
                        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
                        timezones=st.sampled_from(ZONES))


def scalars(floats: st.SearchStrategy[float]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(), st.booleans(), st.integers(-(2**63), 2**64 - 1), floats, st.text(),
        st.dates(), instants, st.datetimes(), st.times(),
        floats.map(np.float64), st.sampled_from([Colour.RED, Level.HIGH]),
        st.integers(-(2**80), 2**80))  # beyond 64 bits: the reference encodes it


def values(floats: st.SearchStrategy[float]) -> st.SearchStrategy[Any]:
    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        leaf = st.builds(Leaf, at=st.none() | instants, x=floats, label=st.text(max_size=5))
        return st.one_of(
            st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
            st.dictionaries(st.text(max_size=5), inner, max_size=4),
            st.dictionaries(st.text(max_size=5), inner, max_size=3).map(OrderedDict),
            # keys that are not str: to_plain writes str(key); dumps leaves them to the reference
            st.dictionaries(st.dates() | st.integers() | st.booleans() | st.none(), inner,
                            max_size=3),
            st.tuples(inner, inner).map(lambda t: Pair(*t)),
            leaf,
            st.builds(Branch, night=st.dates(), leaves=st.lists(leaf, max_size=3).map(tuple),
                      extra=inner))
    return st.recursive(scalars(floats), extend, max_leaves=20)


def parsed(body: bytes) -> Any:
    return json.loads(body)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values(any_floats))
def test_dumps_parses_to_what_the_old_path_sent(value: Any) -> None:
    assert parsed(dumps(value)) == parsed(reference_body(value))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values(plain_floats))
def test_dumps_gives_the_old_bytes_when_no_float_needs_an_exponent(value: Any) -> None:
    assert dumps(value) == reference_body(value) == dumps_reference(value)


def test_the_one_byte_difference_is_a_float_s_exponent() -> None:
    assert reference_body([1e-05, 1e16]) == b"[1e-05,1e+16]"
    assert parsed(dumps([1e-05, 1e16])) == [1e-05, 1e16]


@pytest.mark.parametrize("value", [{1, 2}, object(), np.array([1.0]), {"d": date}, Leaf,
                                   float("inf"), "\ud800"])
def test_what_the_old_path_refused_it_refuses_too_except_infinity(value: Any) -> None:
    with pytest.raises(ValueError if isinstance(value, float) else (TypeError, ValueError)):
        reference_body(value)
    if isinstance(value, float):  # documented: an infinity becomes null
        assert dumps(value) == b"null"
    else:
        with pytest.raises((TypeError, ValueError)):
            dumps(value)


@pytest.mark.parametrize("value", [
    # Monrovia's local mean time, -0:44:30 until 1972 (orjson's own format drops the seconds)
    datetime(1960, 6, 1, 12, tzinfo=ZoneInfo("Africa/Monrovia")),
    # orjson 3.13 writes time(0, 0, 0, 10000) as "00:00:00.10000"
    time(0, 0, 0, 10000), [time(1, 2, 3, 99999)], Leaf(None, 1.0, "a"),
    {"t": (time(0, 0, 0, 12345),)}])
def test_iso_text_is_isoformat_where_orjson_s_own_would_differ(value: Any) -> None:
    assert dumps(value) == reference_body(value)


def test_the_response_class_sends_the_old_headers_and_body() -> None:
    from starlette.responses import JSONResponse

    from nightleaf.web.api.common import plain

    value = {"night": date(2026, 3, 1), "leaf": Leaf(None, math.nan, "ü")}
    new, old = plain(value, 201), JSONResponse(json.loads(reference_body(value)), 201)
    assert isinstance(new, JSONResponse)
    assert (new.status_code, new.body, new.raw_headers) == (old.status_code, old.body,
                                                              old.raw_headers)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), nights=st.integers(1, 120),
       use_rate=st.floats(0, 1), diary_rate=st.floats(0, 1), wearable_rate=st.floats(0, 1),
       detail=st.booleans())
def test_random_window_summaries_give_the_old_answer(seed: int, nights: int, use_rate: float,
                                                     diary_rate: float, wearable_rate: float,
                                                     detail: bool) -> None:
    first = date(2026, 1, 5)
    products, entries, episodes, intakes, pain = journal(
        first, nights, seed=seed, use_rate=use_rate, diary_rate=diary_rate,
        wearable_rate=wearable_rate)
    s = summarise_window(first_night=first, last_night=first + timedelta(days=nights - 1),
                         profile=Profile(tz=NY), entries=entries, episodes=episodes,
                         intakes=intakes, pain=pain, products=products, detail=detail)
    new, old = dumps(s), reference_body(s)
    assert parsed(new) == parsed(old)
    # the bytes too, unless a float (a tiny p-value, say) is written with an exponent
    if b"e-" not in old and b"e+" not in old:
        assert new == old


def test_values_the_old_path_refused_that_orjson_encodes() -> None:
    import uuid

    class Plain(enum.Enum):
        A = "a"

    u = uuid.UUID(int=1)
    for value in (Plain.A, u):
        with pytest.raises(TypeError):
            reference_body(value)
    assert dumps([Plain.A, u, float("-inf")]) == b'["a","%s",null]' % str(u).encode()

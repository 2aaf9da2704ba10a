"""The memo of window figures (services.memo): a memoised answer is always the fresh one.

A property: for random journals and one random change to any input (a diary entry, an intake,
a pain rating, a symptom, an episode, the profile's zone or targets, a product, the window,
``last``), the memoised answer equals a fresh computation, body for body; with no change it is
a hit. And the LRU's bounds: entries, records held, a window larger than the bound.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nightleaf.errors import ConfigError
from nightleaf.model.entities import (
    Intake,
    PainRating,
    Product,
    SleepEntry,
    SleepEpisode,
    StageSegment,
    Symptom,
)
from nightleaf.model.plain import to_plain
from nightleaf.model.units import Amount
from nightleaf.services import Context, memo
from nightleaf.services import summary as svc
from nightleaf.simulate import simulate_journal
from nightleaf.store import open_store
from tests.support.journal_factory import journal

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # the evening of 24 Nov in New York
LAST = "2026-11-23"


def _body(value: Any) -> str:
    return json.dumps(to_plain(value), separators=(",", ":"), allow_nan=False)


#: the three memoised views: (name, call with a memo or None)
VIEWS: dict[str, Callable[..., Any]] = {
    "summary": lambda ctx, m, days, last: svc.window_summary(ctx, days=days, last=last, memo=m),
    "dashboard": lambda ctx, m, days, last: svc.window_summary(ctx, days=days, last=last,
                                                               detail=False, memo=m),
    "nights": lambda ctx, m, days, last: svc.window_nights(ctx, days=days, last=last, memo=m),
}


def _seed(nights: int, seed: int) -> Context:
    d = Path(tempfile.mkdtemp(prefix="nightleaf-memo-"))
    ctx = Context(store=open_store(f"sqlite:///{d / 'memo.db'}"), clock=lambda: NOW)
    j = simulate_journal(nights, seed=seed)
    first = j.sleep[0].night if j.sleep else j.pain[0].night
    episodes = journal(first, nights, seed=seed)[2]
    with ctx.tx() as repo:
        repo.save_journal(j)
        repo.upsert_episodes(episodes)
    return ctx


def _in_window(records: list[Any], data: st.DataObject, label: str) -> Any:
    assume(records)
    return data.draw(st.sampled_from(records), label=label)


def _change(ctx: Context, kind: str, data: st.DataObject, days: int) -> tuple[int, str]:
    """Write one change of ``kind`` into the journal; the window (days, last) to ask for."""
    last = LAST
    first = datetime.fromisoformat(LAST).date() - timedelta(days=days - 1)
    with ctx.tx() as repo:
        if kind == "diary":
            e = _in_window(repo.all(SleepEntry, first=first), data, "entry")
            step = data.draw(st.integers(1, 30), label="step")  # never a no-op change
            field, new = data.draw(st.sampled_from([
                ("sol_minutes", (e.sol_minutes or 0.0) + step),
                ("quality", (e.quality or 0) % 5 + 1),
                ("tried_to_sleep", e.tried_to_sleep + timedelta(minutes=step)),
                ("note", f"{e.note} (changed)")]), label="diary field")
            repo.update(dataclasses.replace(e, **{field: new}))
        elif kind == "intake_add":
            night = first + timedelta(days=data.draw(st.integers(0, days - 1)))
            repo.add_intake(Intake(at=datetime.combine(night, time(23), UTC), tz=ctx.profile().tz,
                                   amount=Amount(data.draw(st.sampled_from([1.0, 2.5])), "g"),
                                   night=night, product_id=1))
        elif kind == "intake_edit":
            i = _in_window(repo.intakes(first=first), data, "intake")
            repo.replace_intake(dataclasses.replace(
                i, amount=Amount((i.amount.value or 0) + 0.5, i.amount.unit,
                                 capsule_mg=i.amount.capsule_mg)))
        elif kind == "pain":
            p = _in_window(repo.all(PainRating, first=first), data, "pain")
            repo.update(dataclasses.replace(p, nrs=(p.nrs + data.draw(st.integers(1, 10))) % 11))
        elif kind == "symptom":
            night = first + timedelta(days=data.draw(st.integers(0, days - 1)))
            repo.add(Symptom(at=datetime.combine(night, time(22), UTC), tz=ctx.profile().tz,
                             night=night, kind="side_effect", name="nausea",
                             severity=data.draw(st.integers(0, 4))))
        elif kind == "episode":
            night = first + timedelta(days=data.draw(st.integers(0, days - 1)))
            start = datetime.combine(night, time(4), UTC)
            end = start + timedelta(minutes=data.draw(st.integers(200, 500)))
            repo.upsert_episodes([SleepEpisode(
                source=data.draw(st.sampled_from(["oura", "fitbit"])), external_id="new",
                start=start, end=end, tz=ctx.profile().tz, night=night,
                stages=[StageSegment(start, end, "asleep")])])
        elif kind == "profile":
            p = repo.profile()
            assert p is not None
            field, new = data.draw(st.sampled_from([
                ("tz", "Europe/Berlin"), ("target_bedtime", time(22, 15)),
                ("work_days", ("sat", "sun")), ("target_wake", time(6, 0)),
                ("max_grams_per_night", 3.0)]), label="profile field")
            repo.save_profile(dataclasses.replace(p, **{field: new}))
        elif kind == "product":
            p = _in_window(repo.all(Product), data, "product")
            repo.update(dataclasses.replace(p, label=f"{p.label} (renamed)"))
        elif kind == "window":
            days = data.draw(st.sampled_from([d for d in (7, 14, 30) if d != days]))
        elif kind == "last":
            last = (datetime.fromisoformat(LAST).date()
                    - timedelta(days=data.draw(st.integers(1, 5)))).isoformat()
        else:
            assert kind == "none"
    return days, last


KINDS = ("none", "diary", "intake_add", "intake_edit", "pain", "symptom", "episode", "profile",
         "product", "window", "last")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(seed=st.integers(0, 10_000), nights=st.integers(20, 60),
       days=st.sampled_from([7, 14, 30]), kind=st.sampled_from(KINDS), data=st.data())
def test_memoised_answer_is_the_fresh_one_after_any_single_change(
        seed: int, nights: int, days: int, kind: str, data: st.DataObject) -> None:
    ctx = _seed(nights, seed)
    try:
        m = memo.Memo()
        for call in VIEWS.values():  # computed and kept
            assert not call(ctx, m, days, LAST).hit
        days2, last2 = _change(ctx, kind, data, days)
        for name, call in VIEWS.items():
            got = call(ctx, m, days2, last2)
            fresh = call(ctx, None, days2, last2)
            assert _body(got.value) == _body(fresh.value), (name, kind)
            # unchanged inputs reuse the kept figures (only the summary reads the products);
            # a change inside the window, or another window, is computed afresh
            unchanged = kind == "none" or (kind == "product" and name != "summary")
            assert got.hit == unchanged, (name, kind)
    finally:
        ctx.store.dispose()


def test_an_unchanged_journal_hits_and_each_form_is_kept_under_its_own_name() -> None:
    ctx = _seed(30, 7)
    try:
        m = memo.Memo()
        calls: list[str] = []

        def body(s: Any) -> str:
            calls.append("body")
            return _body(s)

        form = svc.Form("body", body)
        first = svc.summary_form(ctx, form, days=14, last=LAST, memo=m)
        again = svc.summary_form(ctx, form, days=14, last=LAST, memo=m)
        assert again.hit and again.value is first.value and calls == ["body"]
        whole = svc.window_summary(ctx, days=14, last=LAST, memo=m)  # another form: computed
        assert not whole.hit and _body(whole.value) == first.value
        assert (m.hits, m.misses, len(m)) == (1, 2, 2)
    finally:
        ctx.store.dispose()


def test_equal_records_under_another_person_key_are_separate_entries() -> None:
    ctx = _seed(20, 3)
    try:
        m = memo.Memo()
        a = svc.window_summary(ctx, days=7, last=LAST, memo=m)
        other = dataclasses.replace(ctx, person_id=2)  # no records, no profile: another key
        b = svc.window_summary(other, days=7, last=LAST, memo=m)
        assert not b.hit and _body(b.value) != _body(a.value)
        assert len(m) == 2
    finally:
        ctx.store.dispose()


# -- the LRU itself -------------------------------------------------------------------------


def _put(m: memo.Memo, key: str, size: int, value: object = None) -> memo.Memoised[object]:
    return m.get(key, (key,), size, lambda: value if value is not None else key)


def test_evicts_the_least_recently_used_beyond_the_entry_bound() -> None:
    m = memo.Memo(max_entries=2, max_records=1000)
    _put(m, "a", 1)
    _put(m, "b", 1)
    assert _put(m, "a", 1).hit  # a is now the most recently used
    _put(m, "c", 1)  # evicts b
    assert len(m) == 2
    assert _put(m, "a", 1).hit
    assert not _put(m, "b", 1).hit


def test_evicts_by_records_held() -> None:
    m = memo.Memo(max_entries=100, max_records=10)
    _put(m, "a", 4)
    _put(m, "b", 4)
    assert m.records == 8
    _put(m, "c", 4)  # 12 > 10: a goes
    assert (len(m), m.records) == (2, 8)
    assert not _put(m, "a", 4).hit  # a back, b goes
    assert m.records == 8 and len(m) == 2


def test_a_window_larger_than_the_bound_is_not_kept() -> None:
    m = memo.Memo(max_entries=10, max_records=10)
    _put(m, "small", 3)
    _put(m, "huge", 11)
    assert (len(m), m.records) == (1, 3)
    assert not _put(m, "huge", 11).hit


def test_new_inputs_under_a_key_replace_its_entry() -> None:
    m = memo.Memo(max_entries=10, max_records=100)
    m.get("k", (1,), 5, lambda: "one")
    got = m.get("k", (2,), 7, lambda: "two")
    assert not got.hit and got.value == "two"
    assert (len(m), m.records) == (1, 7)
    assert m.get("k", (2,), 7, lambda: "three").value == "two"


def test_nan_and_other_types_never_hit() -> None:
    m = memo.Memo()
    nan = float("nan")
    m.get("k", ([nan],), 1, lambda: "first")
    assert not m.get("k", ([float("nan")],), 1, lambda: "second").hit
    m.get("t", ([1.0],), 1, lambda: "float")
    assert m.get("t", ([1],), 1, lambda: "int").value == "int"  # 1 == 1.0, but not the same
    m.get("l", ([1.0],), 1, lambda: "list")
    assert m.get("l", ((1.0,),), 1, lambda: "tuple").value == "tuple"


def test_off_when_a_bound_is_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    m = memo.Memo(max_entries=0)
    assert not m.enabled
    m.get("k", (1,), 1, lambda: 1)
    assert not m.get("k", (1,), 1, lambda: 2).hit and len(m) == 0
    monkeypatch.setattr(memo, "_shared", None)
    monkeypatch.setenv("NIGHTLEAF_MEMO_ENTRIES", "0")
    monkeypatch.setenv("NIGHTLEAF_MEMO_RECORDS", "1234")
    s = memo.shared()
    assert (s.max_entries, s.max_records, s.enabled) == (0, 1234, False)


@pytest.mark.parametrize("raw", ["-1", "lots", "²", "1e3"])
def test_a_bad_knob_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setattr(memo, "_shared", None)
    monkeypatch.setenv("NIGHTLEAF_MEMO_RECORDS", raw)
    with pytest.raises(ConfigError, match="NIGHTLEAF_MEMO_RECORDS"):
        memo.shared()


def test_threads_sharing_a_memo_each_get_their_own_inputs_answer() -> None:
    m = memo.Memo(max_entries=4, max_records=1000)
    errors: list[str] = []

    def worker(k: int) -> None:
        for r in range(300):
            key = f"p{(k + r) % 6}"
            inputs = (key, r % 3)
            got = m.get(key, inputs, 1 + r % 5, lambda key=key, inputs=inputs: (key, inputs))
            if got.value != (key, inputs):
                errors.append(f"{key} {inputs} -> {got.value}")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(m) <= 4 and m.records == sum(e[1] for e in m._entries.values())


def test_flat_inputs_are_equal_exactly_when_the_records_are() -> None:
    at = datetime(2026, 1, 1, 22, tzinfo=UTC)
    a = Intake(at=at, tz="UTC", amount=Amount(2.0, "g"), night=at.date())
    same = Intake(at=at, tz="UTC", amount=Amount(2.0, "g"), night=at.date())
    other = dataclasses.replace(a, amount=Amount(2.0, "g", tea_grams=1.0))
    assert memo.flat(([a],)) == memo.flat(([same],))
    assert memo.flat(([a],)) != memo.flat(([other],))  # a change inside the nested amount
    assert memo.flat(([a, other],)) != memo.flat(([a, a],))
    # the kept form holds plain values only: nothing for the garbage collector to walk
    (kept,) = memo.flat(([a],))[0]
    assert all(not isinstance(v, Intake | Amount) for v in kept)
    p = SleepEpisode(source="oura", external_id="x", start=at, end=at, tz="UTC", night=at.date())
    q = dataclasses.replace(p, stages=[StageSegment(at, at, "deep")])
    assert memo.flat(([p],)) != memo.flat(([q],))
    assert memo.flat(([q],)) == memo.flat(([dataclasses.replace(q)],))

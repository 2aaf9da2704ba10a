"""Segment arithmetic shared by the importers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from nightleaf.io._common import merge_intervals, metrics_from_segments, overlay, union_minutes
from nightleaf.model import StageSegment

T0 = datetime(2024, 1, 1, 22, tzinfo=UTC)
spans = st.lists(st.tuples(st.integers(0, 600), st.integers(1, 120)), max_size=12)


def tile(items: list[tuple[int, int]], stage: str) -> list[StageSegment]:
    """Non-overlapping segments from (gap, length) pairs."""
    out, t = [], T0
    for gap, length in items:
        t += timedelta(minutes=gap % 30)
        out.append(StageSegment(t, t + timedelta(minutes=length), stage))
        t += timedelta(minutes=length)
    return out


@given(spans, spans)
def test_overlay_keeps_the_union_and_never_overlaps(base, top):
    b, t = tile(base, "light"), tile(top, "awake")
    out = overlay(b, t)
    assert all(x.end <= y.start for x, y in zip(out, out[1:], strict=False))
    assert union_minutes((s.start, s.end) for s in out) == union_minutes(
        (s.start, s.end) for s in b + t)


@given(spans)
def test_metrics_invariants(items):
    segs = tile(items, "asleep")
    m = metrics_from_segments(segs)
    if not segs:
        assert m.tst_minutes is None
        return
    tib = (max(s.end for s in segs) - min(s.start for s in segs)).total_seconds() / 60
    assert 0 <= m.tst_minutes <= tib
    assert m.waso_minutes >= 0 and m.sol_minutes >= 0
    assert m.awakenings == len(merge_intervals((s.start, s.end) for s in segs)) - 1


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1),  # noqa: DTZ001 - naive bounds, as hypothesis wants
                    timezones=st.just(UTC)),
       st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC",
                        "Asia/Kathmandu", "America/St_Johns"]))
def test_night_in_equals_the_clocks_night_of(instant, tz):
    from zoneinfo import ZoneInfo

    from nightleaf.io._common import night_in
    from nightleaf.model import night_of
    assert night_in(instant, ZoneInfo(tz)) == night_of(instant, tz)

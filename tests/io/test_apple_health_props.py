"""Property: on any export the fast path accepts, it gives exactly the full parse's records —
whatever the escaping, whitespace, stray control characters, spaced attribute names, children
and read-buffer boundaries."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nightleaf.io import apple_health as ah

SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
VALUES = [*ah.STAGES.keys(), None]
TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ ’é&<>\"'\t\n\r\x0b\x01-_.:0")), max_size=12)


def esc(s: str, refs: bool) -> str:
    out = s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    if refs:
        out = out.replace("\t", "&#9;").replace("\n", "&#x0A;")
    return out


@st.composite
def record(draw: st.DrawFn) -> str:
    off = draw(st.integers(-12 * 60, 14 * 60).map(lambda m: m - m % 15))
    start = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(
        minutes=draw(st.integers(0, 60 * 24 * 400)))
    end = start + timedelta(minutes=draw(st.integers(0, 600)))
    z = timezone(timedelta(minutes=off))
    compact = draw(st.booleans())
    f = "%Y%m%d%H%M%S%z" if compact else "%Y-%m-%d %H:%M:%S %z"
    value = draw(st.sampled_from(VALUES))
    sep = draw(st.sampled_from([" ", "\n  ", "\t", " \r\n "]))
    attrs = [f'type="{SLEEP}"', f'sourceName="{esc(draw(TEXT), draw(st.booleans()))}"',
             f'startDate="{start.astimezone(z).strftime(f)}"',
             f'endDate="{end.astimezone(z).strftime(f)}"']
    if value is not None:
        attrs.append(f'value="{value}"')
    if draw(st.booleans()):
        attrs.append(f'device="{esc(draw(TEXT), False)}"')
    if draw(st.booleans()):
        attrs.append('Health Mate App Version="2.6.2"')
    attrs = draw(st.permutations(attrs))
    head = "<Record" + sep + sep.join(attrs)
    if draw(st.booleans()):
        return head + "/>"
    return head + '>\n  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n </Record>'


NOISE = st.sampled_from([
    ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W" unit="count/min" '
    'startDate="2024-01-01 10:00:00 +0100" endDate="2024-01-01 10:00:00 +0100" value="61"/>',
    ' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" sourceName="W" '
    'startDate="2024-01-01 10:00:00 +0100" endDate="2024-01-01 11:00:00 +0100">'
    '<MetadataEntry key="k" value="v"/></Workout>',
    " <!-- a comment -->",
    ' <ActivitySummary dateComponents="2024-01-01" appleStandHours="9"/>',
])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.one_of(record(), NOISE), max_size=12),
       chunk=st.sampled_from([32, 100, 1 << 20]), doctype=st.booleans())
def test_fast_path_matches_full_parse(tmp_path: Path, body: list[str], chunk: int,
                                      doctype: bool) -> None:
    prolog = ('<!DOCTYPE HealthData [\n<!ATTLIST HealthData\n  locale CDATA #REQUIRED\n>\n'
              '<!ATTLIST Broken\n  bpm CDATA #REQUIRED\n]>\n') if doctype else ""
    p = tmp_path / "export.xml"
    p.write_bytes(('<?xml version="1.0" encoding="UTF-8"?>\n' + prolog
                   + '<HealthData locale="en_US">\n' + "\n".join(body)
                   + "\n</HealthData>\n").encode("utf-8"))
    old = ah.CHUNK, ah.WINDOW
    ah.CHUNK = ah.WINDOW = chunk
    try:
        full = ah.sleep_records(p, fast=False)
        for stream in (lambda: open(p, "rb"), lambda: io.BytesIO(p.read_bytes())):  # noqa: SIM115
            try:  # a mapped file, then a plain stream (as a zip member is read)
                with stream() as fh:
                    fast = list(ah._fast_records(fh, str(p), ah.Reporter(None, None)))
            except ah._Fallback:
                fast = full  # allowed only where a comment straddles a tiny read buffer
                assert chunk < 1 << 20 and any("<!--" in b for b in body)
            assert fast == full
    finally:
        ah.CHUNK, ah.WINDOW = old
    assert len(full) == sum(1 for b in body if b.startswith("<Record"))


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),  # noqa: DTZ001 - hypothesis's bounds are naive
       st.integers(-23 * 60 - 59, 23 * 60 + 59))
def test_date_fast_branch_equals_general_reading(wall, off):
    wall = wall.replace(microsecond=0)
    sign = "+" if off >= 0 else "-"
    text = f"{wall:%Y-%m-%d %H:%M:%S} {sign}{abs(off) // 60:02d}{abs(off) % 60:02d}"
    ah.parse_date.cache_clear()
    assert ah.parse_date(text) == ah._parse_date_general(text)
    assert ah.parse_date(text)[0] == wall.replace(tzinfo=timezone(timedelta(minutes=off))
                                                  ).astimezone(UTC)

"""Oura: API v2 and legacy v1 samples."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightleaf.errors import FormatError
from nightleaf.io.oura import hypnogram, read_oura

V2 = "oura/brendonchang_oura_api_v2_sleep_2024-07-09.json"
V1 = "oura/themontypython_oura_api_v1_sleep_2023-01_2023-02.json"


def test_v2_long_sleep_and_late_nap(real):
    eps = list(read_oura(real / V2, tz="America/Los_Angeles"))
    assert len(eps) == 2
    assert {e.night for e in eps} == {date(2024, 7, 8)}  # both start on the evening/night of 8th
    long = next(e for e in eps if not e.is_nap)
    assert long.external_id == "790b04e8-21d4-4a18-b4ae-e75b3fc86a88"
    assert long.tst_minutes == 336.5  # total_sleep_duration 20190 s
    assert long.sol_minutes == 12.5  # latency 750 s
    assert long.start == datetime(2024, 7, 9, 9, 8, 28, tzinfo=UTC)  # 02:08:28 -07:00
    assert long.stages[-1].end == long.end  # the last 5-minute epoch is clipped
    nap = next(e for e in eps if e.is_nap)
    assert nap.tst_minutes == 57.5


def test_v1_nights(real):
    eps = list(read_oura(real / V1, tz="America/Los_Angeles"))
    assert len(eps) == len({e.night for e in eps}) == 39
    first = min(eps, key=lambda e: e.start)
    assert first.night == date(2023, 1, 1)
    assert first.tst_minutes == 474.0  # total 28440 s
    assert first.sol_minutes == 3.0  # onset_latency 180 s
    assert not any(e.is_nap for e in eps)
    # ids are content hashes, stable across reads
    assert [e.external_id for e in eps] == [e.external_id for e in read_oura(real / V1,
                                                                             tz="UTC")]


@given(st.text(alphabet="12345", max_size=200))
def test_hypnogram_covers_its_epochs(text):
    start = datetime(2024, 1, 1, 22, tzinfo=UTC)
    segs = hypnogram(text, start)
    known = sum(c in "1234" for c in text)
    assert sum((s.end - s.start).total_seconds() for s in segs) == known * 300
    assert all(a.end <= b.start for a, b in zip(segs, segs[1:], strict=False))


@pytest.mark.parametrize(("content", "message"), [
    (b'{"data": [{"id": "x"}]}', r"o\.json: sleep period 1 has no bedtime_start"),
    (b'{"readiness": []}', r"o\.json: not Oura sleep data"),
    (b'{"data": [{"bedtime_start": "2024-07-09T02:08:28", "bedtime_end": "x"}]}',
     r"o\.json: bedtime_start .* has no UTC offset"),
])
def test_bad_files(tmp_path, content, message):
    p = tmp_path / "o.json"
    p.write_bytes(content)
    with pytest.raises(FormatError, match=message):
        list(read_oura(p, tz="UTC"))


@pytest.mark.parametrize(("path", "key", "tst_key", "awake_key", "sol_key"), [
    (V2, "data", "total_sleep_duration", "awake_time", "latency"),
    (V1, "sleep", "total", "awake", "onset_latency"),
])
def test_tst_sol_waso_from_the_files_exact_seconds(real, path, key, tst_key, awake_key,
                                                   sol_key):
    """TST and SOL are the file's seconds; WASO is the file's awake time less SOL and less
    the terminal wake (the one part only the hypnogram gives), so TWT = TIB - TST."""
    import json

    from nightleaf.sleep.episode import episode_metrics

    raw = json.loads((real / path).read_text())[key]
    eps = list(read_oura(real / path, tz="America/Los_Angeles"))
    assert len(eps) == len(raw)
    for p, ep in zip(raw, eps, strict=True):
        m = episode_metrics(ep)
        assert ep.tst_minutes == pytest.approx(p[tst_key] / 60, abs=1e-3)
        assert ep.sol_minutes == pytest.approx(p[sol_key] / 60, abs=1e-3)
        assert m.twt_minutes == pytest.approx(m.tib_minutes - m.tst_minutes, abs=0.01)
        assert ep.waso_minutes == pytest.approx(
            p[awake_key] / 60 - p[sol_key] / 60 - m.twak_minutes, abs=1e-3)


def test_nwak_counts_hypnogram_awake_runs_not_ouras_wake_up_count(real):
    """docs/metrics.md: NWAK is the number of awake runs of the 5-minute hypnogram between
    onset and the final awakening; Oura's finer wake_up_count is higher on every v1 night."""
    import json

    raw = json.loads((real / V1).read_text())["sleep"]
    eps = list(read_oura(real / V1, tz="America/Los_Angeles"))
    for p, ep in zip(raw, eps, strict=True):
        hyp = p["hypnogram_5min"].strip("4")  # onset .. final awakening
        runs = sum(1 for i, c in enumerate(hyp) if c == "4" and (i == 0 or hyp[i - 1] != "4"))
        assert ep.awakenings == runs
        assert ep.awakenings < p["wake_up_count"]


@pytest.mark.parametrize(("path", "key", "names"), [
    (V2, "data", ("deep_sleep_duration", "light_sleep_duration", "rem_sleep_duration",
                  "awake_time")),
    (V1, "sleep", ("deep", "light", "rem", "awake")),
])
def test_stage_minutes_are_the_files_exact_durations(real, path, key, names):
    """Deep, light, REM and awake minutes are the file's seconds / 60 on every real period (not
    the 5-minute hypnogram's epochs), in the episode and in the metrics every view reads."""
    import json

    from nightleaf.sleep.episode import episode_metrics

    raw = json.loads((real / path).read_text())[key]
    eps = list(read_oura(real / path, tz="America/Los_Angeles"))
    differs = 0
    for p, ep in zip(raw, eps, strict=True):
        want = dict(zip(("deep", "light", "rem", "awake"), (p[n] / 60 for n in names),
                        strict=True))
        assert (ep.deep_minutes, ep.light_minutes, ep.rem_minutes, ep.awake_minutes) == \
            pytest.approx(tuple(want.values()), abs=1e-3)
        m = episode_metrics(ep)
        assert {k: m.stage_minutes[k] for k in want} == pytest.approx(want, abs=1e-3)
        # the three sleep stages add up to the file's TST
        assert ep.deep_minutes + ep.light_minutes + ep.rem_minutes == pytest.approx(
            ep.tst_minutes, abs=0.02)
        epochs = {s: 0.0 for s in want}
        for seg in ep.stages:
            epochs[seg.stage] += (seg.end - seg.start).total_seconds() / 60
        differs += any(abs(epochs[s] - want[s]) > 1e-3 for s in want)
    assert differs > 0  # the hypnogram would have given other figures on these samples


def _period(**extra):
    base = {"id": "p1", "type": "long_sleep", "bedtime_start": "2024-03-01T23:00:00+01:00",
            "bedtime_end": "2024-03-02T00:00:00+01:00", "sleep_phase_5_min": "444122223333"}
    return base | extra


def test_stage_minutes_fall_back_to_the_hypnogram_when_the_file_has_none(tmp_path):
    """An older or partial file: the stages the file does not state come from the epochs."""
    import json

    from nightleaf.sleep.episode import episode_metrics

    p = tmp_path / "o.json"
    p.write_text(json.dumps({"data": [_period(deep_sleep_duration=290)]}))
    (ep,) = read_oura(p, tz="Europe/Berlin")
    assert (ep.light_minutes, ep.rem_minutes, ep.awake_minutes) == (None, None, None)
    m = episode_metrics(ep)
    assert m.stage_minutes == {"awake": 15.0, "deep": 4.833, "light": 20.0, "rem": 20.0}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("rem_sleep_duration", -60, r"REM sleep is negative"),
    ("deep_sleep_duration", "1e999", r"not valid JSON \(.*overflow\)"),
    ("light_sleep_duration", 7200, r"light sleep \(120 min\) is longer than the record"),
])
def test_impossible_stage_durations_are_refused(tmp_path, field, value, message):
    import json

    from nightleaf.io.detect import read_episodes

    p = tmp_path / "o.json"
    text = json.dumps({"data": [_period(**{field: value})]})
    p.write_text(text.replace('"1e999"', "1e999"))  # a number too large for a float
    with pytest.raises(FormatError, match=message):
        list(read_episodes(p, tz="UTC", fmt="oura"))


def test_a_nan_stage_duration_is_refused_naming_the_period():
    from nightleaf.io.oura import episode

    with pytest.raises(FormatError, match=r"o\.json.*sleep period p1.*rem_sleep_duration"):
        episode(_period(rem_sleep_duration=float("nan")), tz="UTC", name="o.json")


def test_docs_metrics_says_which_oura_figures_come_from_the_file_and_what_nwak_is(real):
    """docs/metrics.md names each file field the reader uses and the measured NWAK against
    wake_up_count; the figures it quotes are the v1 sample's."""
    import json
    from pathlib import Path
    from statistics import mean

    doc = " ".join((Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text()
                   .split())
    for field in ("total_sleep_duration", "latency", "deep_sleep_duration",
                  "light_sleep_duration", "rem_sleep_duration", "awake_time", "onset_latency",
                  "wake_up_count", "sleep_phase_5_min", "hypnogram_5min"):
        assert f"`{field}`" in doc, field
    raw = json.loads((real / V1).read_text())["sleep"]
    eps = list(read_oura(real / V1, tz="America/Los_Angeles"))
    nwak, wuc = mean(e.awakenings for e in eps), mean(p["wake_up_count"] for p in raw)
    assert f"mean {nwak:.1f} against {wuc:.1f}" in doc
    assert f"{eps[0].awakenings} against {raw[0]['wake_up_count']} on the first night" in doc

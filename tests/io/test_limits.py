"""Every reader stays within bounded memory and fails fast, with one clear message, on
pathological inputs: endless lines and values, tags that never end, zip bombs. Each input is
made on the fly and read in a fresh process whose peak RSS (``ru_maxrss``) is measured; the
4 GiB versions are in bench/import_limits.py (docs/benchmarks.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.pathological import MiB, endless_file, read_in_subprocess, zip_bomb

#: the issue's bound for any input up to 4 GiB; the inputs here are 64 MiB-1 GiB
PEAK_MB = 250
#: "fail fast": far less than reading the input whole would take on a loaded machine
SECONDS = 60


def _check(run, message: str) -> None:
    assert run.code == 2, run.message
    assert message in run.message, run.message
    assert "\n" not in run.message
    print(f"peak {run.peak_mb:.0f} MB, {run.seconds:.1f} s: {run.message[-70:]}")
    assert run.peak_mb < PEAK_MB, f"peak RSS {run.peak_mb:.0f} MB"
    assert run.seconds < SECONDS


@pytest.mark.parametrize(("fmt", "member", "head"), [
    ("apple_health", "apple_health_export/export.xml", b'<?xml version="1.0"?>\n<HealthData>\n'),
    ("fitbit", "Takeout/Fitbit/Global Export Data/sleep-2020-01-01.json", b"["),
    ("sleep_as_android", "sleep-export.csv", b"Id,Tz,From,To,Sched,Hours\n"),
])
def test_a_1_gib_zip_bomb_is_refused_before_it_inflates(tmp_path: Path, fmt, member, head):
    bomb = zip_bomb(tmp_path / "bomb.zip", member, 1024 * MiB, head=head)
    assert bomb.stat().st_size < 2 * MiB  # ~1000x
    _check(read_in_subprocess(bomb, fmt), "refused as a possible zip bomb")


@pytest.mark.parametrize(("fmt", "member", "head"), [
    ("apple_health", "apple_health_export/export.xml", b'<?xml version="1.0"?>\n<HealthData>\n'),
    ("fitbit", "sleep-2020-01-01.json", b"["),
    ("sleep_as_android", "sleep-export.csv", b"Id,Tz,From,To,Sched,Hours\n"),
])
def test_with_the_ratio_lifted_the_inflated_cap_still_holds(tmp_path: Path, fmt, member, head):
    env = {"NIGHTLEAF_IMPORT_MAX_RATIO": "1000000",
           "NIGHTLEAF_IMPORT_MAX_INFLATED": str(64 * MiB)}
    bomb = zip_bomb(tmp_path / "bomb.zip", member, 256 * MiB, head=head)
    _check(read_in_subprocess(bomb, fmt, env=env), "declares 256 MiB inflated")
    # a header that lies (32 MiB declared) cannot make a reader take more than it states
    liar = zip_bomb(tmp_path / "liar.zip", member, 256 * MiB, head=head, declared=32 * MiB)
    run = read_in_subprocess(liar, fmt, env=env)
    assert run.code == 2 and run.peak_mb < PEAK_MB, run


def test_the_inflated_bytes_are_counted_as_they_come_out():
    """Defence in depth: however the sizes were declared, the output is counted."""
    import io
    from types import SimpleNamespace

    from nightleaf.errors import FormatError
    from nightleaf.io._common import GuardedMember, Limits

    lim = Limits(max_inflated=8 * MiB, max_ratio=10, ratio_after=MiB)
    info = SimpleNamespace(file_size=1000, compress_size=1000)
    g = GuardedMember(io.BytesIO(b" " * (32 * MiB)), info, "x.zip!a", lim)
    with pytest.raises(FormatError, match="inflates more than 10x"):
        while g.read(MiB):
            pass
    g = GuardedMember(io.BytesIO(b" " * (32 * MiB)), SimpleNamespace(
        file_size=1000, compress_size=16 * MiB), "x.zip!a", lim)
    with pytest.raises(FormatError, match="inflates to more than 8 MiB"):
        while g.read(MiB):
            pass


def test_a_64_mib_sleep_as_android_line_is_refused_unread(tmp_path: Path):
    p = endless_file(tmp_path / "sleep-export.csv", b"Id,Tz,From,To,Sched,Hours\n",
                     64 * MiB, fill=b"\0")
    _check(read_in_subprocess(p, "sleep_as_android"), "a line longer than 2 MiB")


@pytest.mark.parametrize(("fmt", "head", "fill", "message"), [
    ("fitbit", b'[{"logId": 1', b"0", "one JSON value runs on for more than 1 MiB"),
    ("oura", b'{"data": [{"bedtime_start": "', b"a", "one JSON value runs on for more than"),
    ("fitbit", b"[", b" ", "one JSON value runs on for more than"),
])
def test_a_64_mib_json_token_is_refused_unread(tmp_path: Path, fmt, head, fill, message):
    p = endless_file(tmp_path / "x.json", head, 64 * MiB, fill=fill)
    _check(read_in_subprocess(p, fmt), message)


def test_a_json_record_with_too_many_values_is_refused(tmp_path: Path):
    entry = b'{"dateTime": "2020-01-01T23:00:00.000", "level": "light", "seconds": 30},'
    head = b'[{"logId": 1, "startTime": "2020-01-01T23:00:00.000", "levels": {"data": ['
    p = endless_file(tmp_path / "sleep-2020.json", head, 64 * MiB, fill=entry)
    _check(read_in_subprocess(p, "fitbit"), "holds more than 1,000,000 values")


@pytest.mark.parametrize(("head", "fill", "message"), [
    # no ">" ever comes: both readers refuse after 4 MiB (no quadratic re-scan)
    (b'<?xml version="1.0"?>\n<HealthData>\n<Record type="', b"a",
     "a tag runs on for more than 4 MiB"),
    # 64 MiB of whitespace and no end: nothing after the last tag is kept
    (b'<?xml version="1.0"?>\n<HealthData>\n', b" \n", "cut short"),
])
def test_apple_health_without_markup_stays_bounded(tmp_path: Path, head, fill, message):
    p = endless_file(tmp_path / "export.xml", head, 64 * MiB, fill=fill)
    _check(read_in_subprocess(p, "apple_health"), message)
    z = zip_bomb(tmp_path / "export.zip", "apple_health_export/export.xml", 64 * MiB,
                 head=head, fill=fill)
    # a zip of it: the stream scanner keeps only an unfinished tag between reads
    run = read_in_subprocess(z, "apple_health", env={"NIGHTLEAF_IMPORT_MAX_RATIO": "100000"})
    assert run.code == 2 and run.peak_mb < PEAK_MB, run

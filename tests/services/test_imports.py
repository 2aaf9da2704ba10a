"""Wearable imports into the journal: idempotent, incremental, all-or-nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nightleaf.errors import FormatError, InputError
from nightleaf.services import Context
from nightleaf.services.imports import format_name, import_wearable
from tests.support.common import real_fixture


def _set_zone(ctx: Context, tz: str) -> None:
    with ctx.tx() as repo:
        p = ctx.profile()
        p.tz = tz
        repo.save_profile(p)


def _episodes(ctx: Context) -> int:
    with ctx.tx() as repo:
        return len(repo.episodes(with_stages=False))


def test_same_file_twice_adds_nothing(any_ctx: Context) -> None:
    _set_zone(any_ctx, "America/New_York")
    path = real_fixture("fitbit", "redSlug_webapi_v1.2_sleep_2019-11_2020-01.json")
    first = import_wearable(any_ctx, path)
    assert (first.format, first.added, first.updated, first.skipped) == ("fitbit", 59, 0, 0)
    again = import_wearable(any_ctx, path)
    assert (again.added, again.updated, again.skipped) == (0, 0, 59)
    assert _episodes(any_ctx) == 59
    with any_ctx.tx() as repo:
        ep = next(e for e in repo.episodes() if e.external_id == "24500516491")
    assert ep.tst_minutes == 459.0 and len(ep.stages) > 30


def test_a_later_export_adds_only_what_is_new(any_ctx: Context, tmp_path: Path) -> None:
    from bench.synth_apple_health import generate

    _set_zone(any_ctx, "Europe/Berlin")
    early = generate(tmp_path / "early.xml", size_bytes=150_000, nights=20, seed=11)
    later = generate(tmp_path / "later.xml", size_bytes=200_000, nights=26, seed=11)
    assert import_wearable(any_ctx, early).added == 20
    r = import_wearable(any_ctx, later, fmt="apple-health")
    assert (r.added, r.updated, r.skipped) == (6, 0, 20)
    assert _episodes(any_ctx) == 26


def test_a_bad_file_writes_nothing(any_ctx: Context, tmp_path: Path) -> None:
    folder = tmp_path / "fitbit"
    folder.mkdir()
    shutil.copy(real_fixture("fitbit", "MikePrs_webapi_v1.2_sleep_classic_2020-01-03.json"),
                folder / "sleep-2020-01-01.json")
    (folder / "sleep-2020-02-01.json").write_text('[{"logId": 1, "startTime": "2020-02')
    with pytest.raises(FormatError, match=r"sleep-2020-02-01\.json \(byte \d+\)"):
        import_wearable(any_ctx, folder)
    assert _episodes(any_ctx) == 0


def test_format_names_and_missing_paths(ctx: Context, tmp_path: Path) -> None:
    assert format_name("Sleep-As-Android") == "sleep_as_android"
    with pytest.raises(InputError, match="unknown format 'garmin'"):
        format_name("garmin")
    with pytest.raises(InputError, match="no such file"):
        import_wearable(ctx, tmp_path / "nope.zip")
    with pytest.raises(InputError, match="Apple Health exports only"):
        import_wearable(ctx, real_fixture("oura", "brendonchang_oura_api_v2_sleep_2024-07-09.json"),
                        all_sources=True)


# ---------------------------------------------------------------- issue 13

def _fitbit_log(log_id: int = 1, start: str = "2024-03-20T23:00:00.000",
                duration_min: float = 480, **extra: object) -> dict:
    log = {"logId": log_id, "dateOfSleep": start[:10], "startTime": start,
           "duration": int(duration_min * 60000), "minutesAsleep": 450, "minutesAwake": 30,
           "minutesToFallAsleep": 0, "minutesAfterWakeup": 0, "timeInBed": duration_min,
           "efficiency": 94, "type": "classic", "isMainSleep": True,
           "levels": {"data": [], "shortData": [], "summary": {}}}
    log.update(extra)
    return log


def _write(tmp_path: Path, logs: list[dict], name: str = "sleep-2024-03-01.json") -> Path:
    import json

    p = tmp_path / name
    p.write_text(json.dumps({"sleep": logs}))
    return p


@pytest.mark.parametrize(("log", "message"), [
    (_fitbit_log(7, minutesAsleep=-480), r"record 7, night 2024-03-20\): total sleep is "
     r"negative \(-480\)"),
    (_fitbit_log(7, duration_min=30 * 60, minutesAsleep=1700, timeInBed=1800),
     r"record 7.*lasts 30\.0 h, longer than a sleep can"),
    (_fitbit_log(7, "1900-01-01T23:00:00.000"), r"record 7, night 1900-01-01\): the night is "
     "before 1990"),
    (_fitbit_log(7, "2100-01-01T23:00:00.000"), r"record 7.*starts in the future"),
    (_fitbit_log(7, duration=1e20), r"sleep log 7: a time or duration out of range"),
    (_fitbit_log(7, "9999-12-31T23:00:00.000"), r"sleep log 7: a time or duration out of range"),
    (_fitbit_log(7, duration=-60000), r"record 7.*ends .* before it starts"),
])
def test_impossible_wearable_values_are_refused_naming_the_record(
        any_ctx: Context, tmp_path: Path, log: dict, message: str) -> None:
    _set_zone(any_ctx, "Europe/Berlin")
    good = _fitbit_log(6, "2024-03-19T23:00:00.000")
    with pytest.raises(FormatError, match=message):
        import_wearable(any_ctx, _write(tmp_path, [good, log]))
    assert _episodes(any_ctx) == 0  # nothing written, the good log neither


def test_nan_is_refused_and_never_reimports_as_updated(ctx: Context, tmp_path: Path,
                                                       cli) -> None:
    p = tmp_path / "sleep-export.csv"
    p.write_text('Id,Tz,From,To,Sched,Hours,Rating,Comment,Framerate,Snore,Noise,Cycles,'
                 'DeepSleep,LenAdjust,Geo\n"1711000000000","Europe/Berlin","21. 03. 2024 6:46",'
                 '"21. 03. 2024 14:46","21. 03. 2024 14:46","NaN","0.0","","10007","-1","-1.0",'
                 '"-1","-1.0","0","",\n')
    with pytest.raises(FormatError, match=r"sleep-export\.csv \(line 2\): Hours is nan"):
        import_wearable(ctx, p)
    r = cli("import", "sleep-as-android", str(p))
    assert r.code == 2 and "Hours is nan" in r.err and "internal error" not in r.err
    # and a JSON NaN (not JSON at all) is refused as such
    (tmp_path / "sleep-2024.json").write_text('[{"logId": 1, "startTime": '
                                              '"2024-03-20T23:00:00.000", "duration": NaN}]')
    with pytest.raises(FormatError, match="not valid JSON"):
        import_wearable(ctx, tmp_path / "sleep-2024.json")


def test_overflow_in_the_cli_is_one_line_exit_2(cli, tmp_path: Path) -> None:
    import json

    p = tmp_path / "sleep-2024-03-01.json"
    p.write_text(json.dumps([_fitbit_log(7, duration=1e20)]))
    r = cli("import", "fitbit", str(p))
    assert r.code == 2, r.err
    assert "sleep log 7" in r.err and "internal error" not in r.err
    assert len(r.err.strip().splitlines()) == 1 or "OverflowError" not in r.err


def test_memory_and_overflow_errors_are_one_clear_line(ctx: Context, monkeypatch,
                                                       tmp_path: Path) -> None:
    import nightleaf.services.imports as svc

    path = _write(tmp_path, [_fitbit_log()])
    for exc, message in ((MemoryError(), "too large to read in the memory available"),
                         (OverflowError("date value out of range"), "out of range")):
        def boom(*_args: object, exc: BaseException = exc, **_kwargs: object) -> None:
            raise exc
        monkeypatch.setattr(svc, "read_episodes", boom)
        with pytest.raises(FormatError, match=message):
            import_wearable(ctx, path)


def test_a_fitbit_folder_with_an_unreadable_file(ctx: Context, tmp_path: Path) -> None:
    folder = tmp_path / "Global Export Data"
    folder.mkdir()
    _write(folder, [_fitbit_log()], "sleep-2024-03-01.json")
    (folder / "sleep-2024-04-01.json").symlink_to(tmp_path / "gone.json")  # dangling
    with pytest.raises(FormatError, match=r"sleep-2024-04-01\.json: cannot read the file"):
        import_wearable(ctx, folder)
    (folder / "sleep-2024-04-01.json").unlink()
    (folder / "sleep-2024-04-01.json").mkdir()  # a folder where a file should be
    with pytest.raises(FormatError, match=r"sleep-2024-04-01\.json: cannot read the file"):
        import_wearable(ctx, folder)
    assert _episodes(ctx) == 0


def _apple(path: Path, records: list[tuple[str, str, str]]) -> Path:
    rows = "\n".join(
        f' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" '
        f'startDate="{s} +0100" endDate="{e} +0100" value="HKCategoryValueSleepAnalysis{v}"/>'
        for s, e, v in records)
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'
                    f'{rows}\n</HealthData>\n')
    return path


def test_an_older_export_never_truncates_a_newer_night(any_ctx: Context,
                                                       tmp_path: Path) -> None:
    _set_zone(any_ctx, "Europe/Berlin")
    late = _apple(tmp_path / "late.xml", [("2024-03-20 23:00:00", "2024-03-21 07:00:00",
                                           "AsleepCore")])
    early = _apple(tmp_path / "early.xml", [("2024-03-20 23:00:00", "2024-03-21 02:00:00",
                                             "AsleepCore")])
    assert import_wearable(any_ctx, late).added == 1
    r = import_wearable(any_ctx, early)
    assert (r.added, r.updated, r.skipped) == (0, 0, 1)
    with any_ctx.tx() as repo:
        (ep,) = repo.episodes()
    assert ep.tst_minutes == 480.0
    # a later, longer export of the same night does update it
    longer = _apple(tmp_path / "longer.xml", [("2024-03-20 23:00:00", "2024-03-21 07:30:00",
                                               "AsleepCore")])
    assert import_wearable(any_ctx, longer).updated == 1
    # another device's shorter record for the night is a choice, not less
    other = _apple(tmp_path / "other.xml", [("2024-03-20 23:30:00", "2024-03-21 06:00:00",
                                             "AsleepCore")])
    other.write_text(other.read_text().replace('sourceName="Watch"', 'sourceName="Ring"'))
    assert import_wearable(any_ctx, other).updated == 1


def test_changing_the_zone_and_reimporting_leaves_no_old_rows(any_ctx: Context,
                                                             tmp_path: Path) -> None:
    export = _apple(tmp_path / "export.xml", [
        ("2024-03-20 23:00:00", "2024-03-21 07:00:00", "AsleepCore"),
        ("2024-03-21 23:30:00", "2024-03-22 07:00:00", "AsleepCore")])
    _set_zone(any_ctx, "Europe/Berlin")
    assert import_wearable(any_ctx, export).added == 2
    # 23:00 Berlin (+01) is 12:00 the next day at +14: each sleep is named for another night
    _set_zone(any_ctx, "Pacific/Kiritimati")
    import_wearable(any_ctx, export)
    with any_ctx.tx() as repo:
        eps = repo.episodes()
    assert len(eps) == 2
    assert {e.tz for e in eps} == {"Pacific/Kiritimati"}
    assert sorted(str(e.night) for e in eps) == ["2024-03-21", "2024-03-22"]


def test_two_imports_of_one_file_at_once_run_one_after_the_other(db_url: str,
                                                                 clock: object) -> None:
    import threading

    from nightleaf.store import open_store

    path = real_fixture("fitbit", "redSlug_webapi_v1.2_sleep_2019-11_2020-01.json")
    ctxs = [Context(store=open_store(db_url), clock=clock) for _ in range(2)]
    _set_zone(ctxs[0], "America/New_York")
    start = threading.Barrier(2)
    results: list[object] = []

    def run(c: Context) -> None:
        start.wait()
        try:
            results.append(import_wearable(c, path))
        except Exception as exc:  # the test reports what went wrong
            results.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in ctxs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for c in ctxs:
        c.store.dispose()
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sorted((r.added, r.skipped) for r in results) == [(0, 59), (59, 0)]


def test_import_json_refuses_what_log_sleep_refuses(ctx: Context, tmp_path: Path) -> None:
    import json

    from nightleaf.services.transfer import import_json

    night = {"night": "2026-03-10", "tz": "UTC", "tried_to_sleep": "2026-03-10T23:00:00+00:00",
             "final_awakening": "2026-03-11T01:00:00+00:00", "sol_minutes": 90,
             "waso_minutes": 60, "awakenings": 2}
    doc = {"format": "nightleaf-journal", "version": 1, "sleep": [night]}
    p = tmp_path / "j.json"
    p.write_text(json.dumps(doc))
    with pytest.raises(FormatError, match=r"sleep\[0\] \(night 2026-03-10\): minutes to fall "
                       "asleep plus minutes awake"):
        import_json(ctx, p)


SAA_HEAD = ('Id,Tz,From,To,Sched,Hours,Rating,Comment,Framerate,Snore,Noise,Cycles,DeepSleep,'
            'LenAdjust,Geo\n')


def _saa_row(rid: str, frm: str, to: str, hours: str) -> str:
    return (f'"{rid}","Europe/Berlin","{frm}","{to}","{to}","{hours}","0.0","","10007","-1",'
            '"-1.0","-1","-1.0","0",""\n')


@pytest.mark.parametrize(("name", "content", "message"), [
    ("sleep-export.csv", SAA_HEAD + _saa_row("1711000000000", "21. 03. 2024 6:46",
                                             "21. 03. 2024 14:46", "1e20"),
     r"sleep-export\.csv \(line 2\): cannot read this record"),
    ("sleep-export.csv", SAA_HEAD + _saa_row("1711000000000", "21. 03. 2024 6:46",
                                             "21. 03. 2024 4:46", "-2.0"),
     r"sleep-export\.csv \(line 2\): record 1711000000000: a negative length"),
    ("sleep-export.csv", SAA_HEAD + _saa_row("-2208988800000", "01. 01. 1900 0:00",
                                             "01. 01. 1900 8:00", "8.0"),
     r"record -2208988800000, night 1899-12-31\): the night is before 1990"),
    ("oura.json", '{"data": [{"id": "p1", "type": "long_sleep", "bedtime_start": '
     '"2024-07-09T02:08:28-07:00", "bedtime_end": "2024-07-10T08:08:28-07:00", '
     '"total_sleep_duration": 600}]}', r"record p1, night 2024-07-08\): it lasts 30\.0 h"),
    ("oura.json", '{"data": [{"id": "p2", "type": "long_sleep", "bedtime_start": '
     '"9999-12-31T23:00:00-07:00", "bedtime_end": "9999-12-31T23:30:00-07:00"}]}',
     r"oura\.json: sleep period p2: a time or duration out of range"),
    ("oura.json", '{"data": [{"id": "p3", "type": "long_sleep", "bedtime_start": '
     '"2024-07-09T02:08:28-07:00", "bedtime_end": "2024-07-09T08:08:28-07:00", '
     '"total_sleep_duration": -28800}]}', r"record p3, night 2024-07-08\): total sleep is "
     "negative"),
    ("export.xml", '<?xml version="1.0"?>\n<HealthData>\n <Record type="HKCategoryType'
     'IdentifierSleepAnalysis" sourceName="W" startDate="2100-01-01 23:00:00 +0100" '
     'endDate="2100-01-02 07:00:00 +0100" value="HKCategoryValueSleepAnalysisAsleepCore"/>\n'
     '</HealthData>\n', r"record night/2100-01-01.*starts in the future"),
    ("export.xml", '<?xml version="1.0"?>\n<HealthData>\n <Record type="HKCategoryType'
     'IdentifierSleepAnalysis" sourceName="W" startDate="9999-12-31 23:30:00 -0100" '
     'endDate="9999-12-31 23:45:00 -0100" value="HKCategoryValueSleepAnalysisAsleepCore"/>\n'
     '</HealthData>\n', r"export\.xml \(byte \d+\): cannot read the date"),
])
def test_every_reader_refuses_impossible_records(ctx: Context, tmp_path: Path, name: str,
                                                 content: str, message: str) -> None:
    _set_zone(ctx, "America/Los_Angeles")
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError, match=message):
        import_wearable(ctx, p)
    assert _episodes(ctx) == 0

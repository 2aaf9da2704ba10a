"""Sleep as Android: three real exports, events to stages, DST, other apps' CSV."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest

from nightleaf.errors import FormatError
from nightleaf.io.sleep_as_android import read_sleep_as_android
from nightleaf.sleep.episode import episode_metrics

SAA = "sleep-as-android"


@pytest.mark.parametrize(("name", "tz", "records", "nights", "rid", "night", "tst"), [
    # counts from the raw Id column (epoch ms) mapped to nights independently
    ("ckondek_SleepPhase_Polar_sleep-export.csv", "Europe/Berlin", 15, 15,
     "1497482376805", date(2017, 6, 14), 372.6),  # Hours 6.210, LenAdjust 0.0
    ("omarzanji_AU_ECE_Health_sleep-export.csv", "America/Chicago", 48, 38,
     "1640419087997", date(2021, 12, 24), 357.4),  # Hours 6.040, LenAdjust -5.0
    ("rhydermike_SleepCSV_sleep-export.csv", "Europe/London", 89, 52,
     "1588483359588", date(2020, 5, 2), 493.2),  # Hours 8.520, LenAdjust -18.0
])
def test_real_exports(real, name, tz, records, nights, rid, night, tst):
    eps = list(read_sleep_as_android(real / SAA / name, tz=tz))
    assert len(eps) == records
    assert len({e.night for e in eps}) == nights
    ep = next(e for e in eps if e.external_id == rid)
    assert ep.night == night
    assert ep.tst_minutes == pytest.approx(tst)
    assert all(e.start <= e.end for e in eps)


def test_fall_back_night_uses_real_elapsed_time(real):
    """2021-11-07 01:00-02:00 happens twice in Chicago: Id is 02:03 CST, To 11:31 CST."""
    eps = list(read_sleep_as_android(real / SAA / "omarzanji_AU_ECE_Health_sleep-export.csv",
                                      tz="America/Chicago"))
    ep = next(e for e in eps if e.external_id == "1636272205589")
    assert ep.night == date(2021, 11, 6)
    # To 11:31 CST; Id + Hours (9.460) is 11:31:01.6, inside the minute To names
    assert ep.end.isoformat() == "2021-11-07T17:31:01.589000+00:00"
    assert (ep.end - ep.start).total_seconds() / 60 == pytest.approx(567.6, abs=0.01)


ALL = [("ckondek_SleepPhase_Polar_sleep-export.csv", "Europe/Berlin"),
       ("omarzanji_AU_ECE_Health_sleep-export.csv", "America/Chicago"),
       ("rhydermike_SleepCSV_sleep-export.csv", "Europe/London")]


def test_tst_is_the_apps_sleep_time_on_all_152_real_records(real):
    """Hours + LenAdjust (minutes; -1.0 = not set) is the app's own sleep time (as
    sleepdiary/core reads it). Every real record shows TST and SE, with TST <= TIB."""
    import csv

    raw = {}
    for name, _ in ALL:
        header = None
        for row in csv.reader((real / SAA / name).open(encoding="utf-8")):
            if row and row[0] == "Id":
                header = row
            elif row:
                rec = dict(zip(header, row, strict=False))
                adj = float(rec["LenAdjust"])
                raw[rec["Id"]] = float(rec["Hours"]) * 60 + (0.0 if adj == -1.0 else adj)
    shown = 0
    for name, tz in ALL:
        for ep in read_sleep_as_android(real / SAA / name, tz=tz):
            m = episode_metrics(ep)
            assert m.tst_minutes is not None and m.se_percent is not None, ep.external_id
            assert m.tst_minutes <= m.tib_minutes
            # the file's figure, less only what To (whole minutes) and Hours' rounding
            # (0.01 h) cannot both hold: at most 0.3 min
            assert m.tst_minutes == pytest.approx(raw[ep.external_id], abs=0.31)
            shown += 1
    assert shown == len(raw) == 152


def test_phase_events_become_stages(real):
    eps = list(read_sleep_as_android(real / SAA / "rhydermike_SleepCSV_sleep-export.csv",
                                      tz="Europe/London"))
    ep = next(e for e in eps if e.external_id == "1588483359588")
    assert {s.stage for s in ep.stages} >= {"light", "deep", "awake"}
    segs = sorted(ep.stages, key=lambda s: s.start)
    assert all(a.end <= b.start for a, b in zip(segs, segs[1:], strict=False))
    assert ep.waso_minutes is not None and ep.waso_minutes > 0


def test_zip_export(real, tmp_path):
    z = tmp_path / "sleep-export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(real / SAA / "ckondek_SleepPhase_Polar_sleep-export.csv", "sleep-export.csv")
        zf.writestr("alarms.json", "[]")
    assert len(list(read_sleep_as_android(z, tz="Europe/Berlin"))) == 15


def test_another_apps_csv_is_refused(real):
    with pytest.raises(FormatError, match=r"mengelhard_sri_test\.csv \(line 1\): not a Sleep "
                       "as Android export"):
        list(read_sleep_as_android(real / "sri" / "mengelhard_sri_test.csv", tz="UTC"))


@pytest.mark.parametrize(("content", "message"), [
    (b'Id,Tz,From,To,Sched,Hours\n"x","Europe/Berlin","1. 1. 2020 1:00","1. 1. 2020 7:00",'
     b'"","6"\n', r"s\.csv \(line 2\): cannot read this record"),
    (b'Id,Tz,From,To,Sched,Hours\n"1","Mars/Olympus","1. 1. 2020 1:00","1. 1. 2020 7:00",'
     b'"","6"\n', r"s\.csv \(line 2\): cannot read this record"),
    (b"\x89PNG\r\n\x1a\n\x00\x00garbage\xff", r"s\.csv"),
    (b"", r"s\.csv: no Sleep as Android records"),
])
def test_bad_files(tmp_path, content, message):
    p = tmp_path / "s.csv"
    p.write_bytes(content)
    with pytest.raises(FormatError, match=message):
        list(read_sleep_as_android(p, tz="UTC"))

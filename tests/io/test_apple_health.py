"""Apple Health: real samples, stages, sources, DST nights, malformed exports, and the fast path
giving exactly the full parse's records."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from nightleaf.errors import FormatError
from nightleaf.io import apple_health as ah
from nightleaf.io._common import ImportProgress
from nightleaf.io.apple_health import build_episodes, read_apple_health, sleep_records

AH = "apple-health"
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
V = "HKCategoryValueSleepAnalysis"


def fast_only(path: Path) -> list[ah.SleepRecord]:
    """The fast path alone (a mapped file): raises ``_Fallback`` instead of handing over. The
    same file read as a plain stream (as a zip member is) must give the same records."""
    with ah._open_export(path) as (stream, _, name):
        mapped = list(ah._fast_records(stream, name, ah.Reporter(None, None)))
    assert fast_stream(path) == mapped
    return mapped


def fast_stream(path: Path) -> list[ah.SleepRecord]:
    data = io.BytesIO(path.read_bytes())  # no file descriptor: the streaming scanner
    return list(ah._fast_records(data, str(path), ah.Reporter(None, None)))


def export(tmp_path: Path, records: str, *, name: str = "export.xml", prolog: str = "") -> Path:
    p = tmp_path / name
    p.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + prolog
                 + '<HealthData locale="en_US">\n <ExportDate value="2024-11-01 08:00:00 +0100"/>\n'
                 + records + "</HealthData>\n", encoding="utf-8")
    return p


def rec(start: str, end: str, value: str | None, source: str = "Owner’s Apple Watch",
        extra: str = "") -> str:
    v = f' value="{V}{value}"' if value is not None else ""
    return (f' <Record type="{SLEEP}" sourceName="{source}" sourceVersion="10.1"{extra} '
            f'creationDate="{end}" startDate="{start}" endDate="{end}"{v}/>\n')


# ------------------------------------------------------------------ real samples
# Expected values were computed independently from the raw files (line-by-line regex, union of
# Asleep intervals per source and night), not with this importer.

@pytest.mark.parametrize(("name", "tz", "nights", "night", "tst"), [
    ("ericwolter_export_2015_en_DE_sleepcycle.xml", "Europe/Berlin", 92,
     date(2012, 9, 23), 381.367),  # 22:29:59 -> 04:51:21 (+0100)
    ("ericwolter_Exportieren_2015_de_DE_MALFORMED.xml", "Europe/Berlin", 62,
     date(2014, 12, 1), 520.0),  # UP: 01:45 -> 10:25, the same record three times
    ("ericwolter_Exportieren_2015_de_DE_MALFORMED.xml", "Europe/Berlin", 62,
     date(2015, 9, 10), 481.0),  # Withings: 28 records that night
    ("grll_apple-health-mcp_export.xml", "Europe/Zurich", 1, date(2020, 7, 7), 435.0),
    ("tdda_export6s3sample_nosleep.xml", "Europe/London", 0, None, None),
    ("dogsheep_healthkit-to-sqlite_export_nosleep.xml", "America/Los_Angeles", 0, None, None),
])
def test_real_samples_import_with_expected_nights(real, name, tz, nights, night, tst):
    eps = list(read_apple_health(real / AH / name, tz=tz))
    assert len(eps) == nights
    assert len({e.night for e in eps}) == nights  # one episode per night
    if night is not None:
        ep = next(e for e in eps if e.night == night)
        assert ep.tst_minutes == pytest.approx(tst, abs=0.01)
        assert ep.source == "apple_health"
        assert ep.tst_minutes <= (ep.end - ep.start).total_seconds() / 60


def test_autosleep_sample_keeps_in_bed_and_latency(real):
    (ep,) = read_apple_health(real / AH / "grll_apple-health-mcp_export.xml", tz="Europe/Zurich")
    assert ep.device == "AutoSleep"
    assert [s.stage for s in ep.stages] == ["inbed", "asleep"]
    assert ep.sol_minutes == pytest.approx(9.9)  # in bed 01:05:06, asleep 01:15:00


def test_2015_records_without_value_are_in_bed(real):
    recs = sleep_records(real / AH / "ericwolter_Exportieren_2015_de_DE_MALFORMED.xml")
    assert len(recs) == 1293
    assert sum(r.stage == "inbed" for r in recs) == 144
    assert {r.source for r in recs} == {"Withings", "UP"}


@pytest.mark.parametrize("name", [
    "ericwolter_export_2015_en_DE_sleepcycle.xml",
    "ericwolter_Exportieren_2015_de_DE_MALFORMED.xml",
    "grll_apple-health-mcp_export.xml",
    "tdda_export6s3sample_nosleep.xml",
    "dogsheep_healthkit-to-sqlite_export_nosleep.xml",
])
def test_fast_path_equals_full_parse_on_real_samples(real, name):
    p = real / AH / name
    full = sleep_records(p, fast=False)
    assert fast_only(p) == full  # no fallback needed on any real sample
    assert list(read_apple_health(p, tz="Europe/Berlin")) == list(
        read_apple_health(p, tz="Europe/Berlin", fast=False))


def test_zip_export_reads_export_xml(real, tmp_path):
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(real / AH / "grll_apple-health-mcp_export.xml", "apple_health_export/export.xml")
        zf.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
    (ep,) = read_apple_health(z, tz="Europe/Zurich")
    assert ep.tst_minutes == 435.0


# ------------------------------------------------------------------ stages and sources

def test_stages_map_and_overlaps_are_not_double_counted(tmp_path):
    p = export(tmp_path, "".join([
        rec("2024-03-10 23:00:00 +0100", "2024-03-11 07:00:00 +0100", "InBed", "Owner’s iPhone"),
        rec("2024-03-10 23:20:00 +0100", "2024-03-11 01:00:00 +0100", "AsleepCore"),
        rec("2024-03-11 01:00:00 +0100", "2024-03-11 02:00:00 +0100", "AsleepDeep"),
        rec("2024-03-11 02:00:00 +0100", "2024-03-11 02:30:00 +0100", "Awake"),
        rec("2024-03-11 02:30:00 +0100", "2024-03-11 04:00:00 +0100", "AsleepREM"),
        rec("2024-03-11 02:30:00 +0100", "2024-03-11 04:00:00 +0100", "AsleepREM"),  # dup
        rec("2024-03-11 03:30:00 +0100", "2024-03-11 06:40:00 +0100", "AsleepCore"),  # overlap
        rec("2024-03-10 23:05:00 +0100", "2024-03-11 06:50:00 +0100", "Asleep", "Owner’s iPhone"),
    ]))
    (ep,) = read_apple_health(p, tz="Europe/Berlin")
    assert ep.device == "Owner’s Apple Watch"  # default: the source with stage data
    assert ep.night == date(2024, 3, 10)
    # asleep 23:20-02:00 (160) + 02:30-06:40 (250) = 410; the awake half hour is WASO
    assert ep.tst_minutes == 410.0
    assert ep.waso_minutes == 30.0
    assert ep.awakenings == 1
    assert {s.stage for s in ep.stages} == {"light", "deep", "awake", "rem"}
    assert len([s for s in ep.stages if s.stage == "rem"]) == 1

    (phone,) = read_apple_health(p, tz="Europe/Berlin", prefer=["Owner’s iPhone"])
    assert phone.device == "Owner’s iPhone"
    assert phone.tst_minutes == 465.0
    assert phone.sol_minutes == 5.0
    both = list(read_apple_health(p, tz="Europe/Berlin", all_sources=True))
    assert sorted(e.device for e in both) == ["Owner’s Apple Watch", "Owner’s iPhone"]
    assert len({e.external_id for e in both}) == 2


def test_external_ids_are_stable_per_night(tmp_path):
    p = export(tmp_path, rec("2024-03-10 23:20:00 +0100", "2024-03-11 06:00:00 +0100", "Asleep"))
    a = [e.external_id for e in read_apple_health(p, tz="Europe/Berlin")]
    b = [e.external_id for e in read_apple_health(p, tz="Europe/Berlin", fast=False)]
    assert a == b == ["night/2024-03-10"]


# ------------------------------------------------------------------ time: offsets and DST

@pytest.mark.parametrize(("start", "end", "night", "minutes"), [
    # spring forward in Berlin (2024-03-31 02:00 -> 03:00): 8 wall hours are 7 real hours
    ("2024-03-30 23:00:00 +0100", "2024-03-31 07:00:00 +0200", date(2024, 3, 30), 420.0),
    # fall back (2024-10-27 03:00 -> 02:00): 8 wall hours are 9 real hours
    ("2024-10-26 23:00:00 +0200", "2024-10-27 07:00:00 +0100", date(2024, 10, 26), 540.0),
])
def test_dst_nights(tmp_path, start, end, night, minutes):
    p = export(tmp_path, rec(start, end, "AsleepCore"))
    (ep,) = read_apple_health(p, tz="Europe/Berlin")
    assert ep.night == night
    assert ep.tst_minutes == minutes


def test_each_record_keeps_its_own_offset(tmp_path):
    # recorded while travelling (-0800), named in the profile's zone (Berlin)
    p = export(tmp_path, rec("2024-06-01 22:00:00 -0800", "2024-06-02 06:00:00 -0800", "Asleep"))
    (ep,) = read_apple_health(p, tz="Europe/Berlin")
    assert ep.start.isoformat() == "2024-06-02T06:00:00+00:00"
    assert ep.night == date(2024, 6, 1)  # 08:00 Berlin is before noon: the night before
    (la,) = read_apple_health(p, tz="America/Los_Angeles")
    assert la.night == date(2024, 6, 1)


# ------------------------------------------------------------------ malformed real-world exports

IOS16_PROLOG = """<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ATTLIST InstantaneousBeatsPerMinute
  bpm  CDATA #REQUIRED
  time CDATA #REQUIRED
]>
"""


def test_ios16_unterminated_attlist_and_control_chars_import(tmp_path):
    p = export(tmp_path, "".join([
        ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch\x0b" unit="count/min"'
        ' startDate="2024-03-10 22:00:00 +0100" endDate="2024-03-10 22:00:00 +0100" value="61"/>\n',
        rec("2024-03-10 23:20:00 +0100", "2024-03-11 06:00:00 +0100", "AsleepCore",
            source="Owner’s Apple\x0b Watch"),
    ]), prolog=IOS16_PROLOG)
    from lxml import etree
    with pytest.raises(etree.XMLSyntaxError):  # a strict parser fails, as in real life
        etree.parse(str(p), etree.XMLParser(resolve_entities=False, no_network=True))
    (ep,) = read_apple_health(p, tz="Europe/Berlin")
    assert ep.tst_minutes == 400.0
    assert ep.device == "Owner’s Apple  Watch"  # the control character became a space
    assert fast_only(p) == sleep_records(p, fast=False)


def test_attribute_names_with_spaces_are_repaired(tmp_path):
    p = export(tmp_path, rec("2015-07-19 00:05:00 +0200", "2015-07-19 06:11:00 +0200", "Asleep",
                             "Withings", extra=' Health Mate App Version="2.6.2"'))
    assert fast_only(p) == sleep_records(p, fast=False)
    (ep,) = read_apple_health(p, tz="Europe/Berlin")
    assert ep.tst_minutes == 366.0


# ------------------------------------------------------------------ fast path == full parse

def test_fast_path_equals_full_parse_on_synthetic_export(tmp_path):
    from bench.synth_apple_health import generate
    p = generate(tmp_path / "export.xml", size_bytes=1_500_000, nights=40, seed=7)
    full = sleep_records(p, fast=False)
    assert len(full) > 400
    assert fast_only(p) == full
    eps = list(read_apple_health(p, tz="Europe/Berlin"))
    assert len(eps) == 40
    assert all(e.device == "Owner’s Apple Watch" for e in eps)


@pytest.mark.parametrize("chunk", [64, 257, 4096])
def test_fast_path_survives_any_chunk_boundary(tmp_path, monkeypatch, chunk):
    from bench.synth_apple_health import generate
    p = generate(tmp_path / "export.xml", size_bytes=200_000, nights=6, seed=3)
    expected = sleep_records(p, fast=False)
    monkeypatch.setattr(ah, "CHUNK", chunk)  # the stream scanner's buffer, the full parse's
    monkeypatch.setattr(ah, "WINDOW", chunk)  # the mapped scanner's window (≥ one page)
    monkeypatch.setattr(ah, "OVERLAP", 1024)  # longer than any tag of the synthetic export
    assert sleep_records(p, fast=False) == expected
    assert fast_only(p) == expected


def test_zipped_export_fast_equals_full(tmp_path):
    from bench.synth_apple_health import generate
    p = generate(tmp_path / "export.xml", size_bytes=300_000, nights=8, seed=5)
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(p, "apple_health_export/export.xml")
    assert sleep_records(z) == sleep_records(z, fast=False) == sleep_records(p, fast=False)
    assert list(read_apple_health(z, tz="Europe/Berlin")) == list(
        read_apple_health(p, tz="Europe/Berlin"))


@pytest.mark.parametrize(("body", "why"), [
    ("<!-- " + rec("2024-01-01 23:00:00 +0100", "2024-01-02 07:00:00 +0100", "Asleep") + " -->\n",
     "inside a comment"),
    (' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" startDate="2024-01-01 '
     '10:00:00 +0100" endDate="2024-01-01 10:00:00 +0100" value="3"><MetadataEntry key="note" '
     f'value="{SLEEP}"/></Record>\n', "in another attribute"),
    (f' <Record type="{SLEEP}" sourceName="A &amp; B" startDate=\'2024-01-01 23:00:00 +0100\' '
     'endDate="2024-01-02 07:00:00 +0100" value="1"/>\n', "single-quoted attribute"),
    ("<![CDATA[x]]>\n", "CDATA"),
])
def test_fast_path_falls_back_when_its_assumptions_fail(tmp_path, body, why):  # noqa: ARG001 - `why` names the case
    p = export(tmp_path, rec("2024-01-02 23:00:00 +0100", "2024-01-03 07:00:00 +0100",
                             "Asleep") + body)
    with pytest.raises(ah._Fallback):
        fast_only(p)
    # ... and the public reader still gives the full parse's answer
    assert sleep_records(p) == sleep_records(p, fast=False)


# ------------------------------------------------------------------ bad files

def test_truncated_export_names_the_file_and_line(tmp_path):
    good = export(tmp_path, rec("2024-01-02 23:00:00 +0100", "2024-01-03 07:00:00 +0100",
                                "Asleep") * 3)
    cut = tmp_path / "cut.xml"
    cut.write_bytes(good.read_bytes()[:-60])
    for fast in (True, False):
        with pytest.raises(FormatError, match=r"cut\.xml \(line \d+\): .*cut short"):
            list(read_apple_health(cut, tz="Europe/Berlin", fast=fast))


def test_zip_without_export_xml(tmp_path):
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("apple_health_export/workout-routes/route_1.gpx", "<gpx/>")
        zf.writestr("apple_health_export/export_cda.xml", "<x/>")
    with pytest.raises(FormatError, match=r"export\.zip: this zip has no export\.xml"):
        list(read_apple_health(z, tz="UTC"))


@pytest.mark.parametrize("content", [
    b"\x00\x01\x02garbage" * 100,
    b'<?xml version="1.0"?>\n<gpx><trk/></gpx>\n',
    b"",
])
def test_other_files_are_refused(tmp_path, content):
    p = tmp_path / "thing.xml"
    p.write_bytes(content)
    with pytest.raises(FormatError, match=r"thing\.xml: not an Apple Health export"):
        list(read_apple_health(p, tz="UTC"))


def test_damaged_zip(tmp_path):
    p = tmp_path / "export.zip"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(FormatError, match="damaged zip"):
        list(read_apple_health(p, tz="UTC"))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE HealthData [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<HealthData locale="en_US">
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="&lol9;"
  startDate="2024-01-01 23:00:00 +0100" endDate="2024-01-02 07:00:00 +0100" value="1"/>
</HealthData>
"""


@pytest.mark.parametrize("fast", [True, False])
def test_billion_laughs_fails_fast(tmp_path, fast):
    import time
    p = tmp_path / "export.xml"
    p.write_text(BILLION_LAUGHS)
    t0 = time.perf_counter()
    with pytest.raises(FormatError, match="declares entities"):
        list(read_apple_health(p, tz="UTC", fast=fast))
    assert time.perf_counter() - t0 < 10.0  # refused at the declaration, not after expanding


def test_external_entity_is_never_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    p = tmp_path / "export.xml"
    p.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE HealthData [<!ENTITY x SYSTEM '
                 f'"file://{secret}">]>\n<HealthData>&x;</HealthData>\n')
    with pytest.raises(FormatError, match="declares entities") as err:
        list(read_apple_health(p, tz="UTC"))
    assert "TOP SECRET" not in str(err.value)


def test_bad_date_names_the_place(tmp_path):
    p = export(tmp_path, rec("yesterday", "2024-01-03 07:00:00 +0100", "Asleep"))
    with pytest.raises(FormatError, match=r"export\.xml \(byte \d+\): cannot read the date"):
        list(read_apple_health(p, tz="UTC"))
    with pytest.raises(FormatError, match=r"export\.xml \(line 4\): cannot read the date"):
        list(read_apple_health(p, tz="UTC", fast=False))


# ------------------------------------------------------------------ progress

def test_progress_reports_bytes_and_nights_without_printing(real, capsys):
    seen: list[ImportProgress] = []
    p = real / AH / "ericwolter_export_2015_en_DE_sleepcycle.xml"
    eps = list(read_apple_health(p, tz="Europe/Berlin", on_progress=seen.append))
    assert seen[-1].bytes_read == seen[-1].total_bytes == p.stat().st_size
    assert seen[-1].nights == len(eps) == 92
    assert capsys.readouterr() == ("", "")


def test_build_episodes_is_order_independent(tmp_path):
    p = export(tmp_path, "".join(
        rec(f"2024-03-{d:02d} 23:00:00 +0100", f"2024-03-{d + 1:02d} 06:00:00 +0100", "Asleep",
            src) for d in range(1, 8) for src in ("A", "B")))
    recs = sleep_records(p)
    assert build_episodes(recs, tz="Europe/Berlin") == build_episodes(
        list(reversed(recs)), tz="Europe/Berlin")


def test_a_tag_longer_than_the_overlap_hands_over_to_the_full_parse(tmp_path, monkeypatch):
    from bench.synth_apple_health import generate
    p = generate(tmp_path / "export.xml", size_bytes=100_000, nights=4, seed=2)
    expected = sleep_records(p, fast=False)
    monkeypatch.setattr(ah, "WINDOW", 4096)
    monkeypatch.setattr(ah, "OVERLAP", 16)
    assert sleep_records(p) == expected


@pytest.mark.parametrize("pad", range(0, 300, 7))
def test_records_across_every_window_edge_offset(tmp_path, monkeypatch, pad):
    """Sleep tags straddle the mapped windows' edges at every offset; no hand-over needed."""
    monkeypatch.setattr(ah, "WINDOW", 4096)
    monkeypatch.setattr(ah, "OVERLAP", 1024)
    filler = (' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="' + "x" * pad
              + '" startDate="2024-01-01 10:00:00 +0100" endDate="2024-01-01 10:00:00 +0100"/>\n')
    body = filler + "".join(
        rec(f"2024-01-{d:02d} 23:{m:02d}:00 +0100", f"2024-01-{d + 1:02d} 06:{m:02d}:00 +0100",
            "AsleepCore") for d in range(1, 28) for m in (0, 30))
    p = export(tmp_path, body)
    assert p.stat().st_size > 3 * 4096
    assert fast_only(p) == sleep_records(p, fast=False)
    assert len(fast_only(p)) == 54


# ------------------------------------------------------------------ one rule for both paths

HR = (' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W" unit="count/min" '
      'startDate="2024-01-01 10:00:00 +0100" endDate="2024-01-01 10:00:00 +0100" value="61"/>\n')
NIGHT = rec("2024-01-02 23:00:00 +0100", "2024-01-03 07:00:00 +0100", "AsleepCore")


@pytest.mark.parametrize(("damage", "why"), [
    (' <Record type="HKQuantityTypeIdentifierStepCount" value="1" <broken\n', "a broken tag"),
    (' <Record type="HKQuantityTypeIdentifierStepCount" value="&undefined;"/>\n',
     "an undefined entity"),
    (' <Workout a="1" a="2"/>\n', "a repeated attribute"),
])
@pytest.mark.parametrize("hide", [False, True], ids=["fast-path", "falls-back"])
def test_damage_confined_to_non_sleep_records_is_ignored_by_both_paths(tmp_path, damage, why,
                                                                       hide):
    assert why  # the case's name, for the report
    """docs/metrics.md: only sleep records are read, so damage that touches none of them is
    ignored -- by the fast path and by the full parse alike (``hide`` adds a commented-out
    sleep record, which sends the fast path to the full parse)."""
    comment = f" <!-- {rec('2024-01-05 23:00:00 +0100', '2024-01-06 07:00:00 +0100', 'Asleep')}"
    comment = comment.rstrip("\n") + " -->\n" if hide else ""
    p = export(tmp_path, HR + damage + comment + NIGHT + HR)
    full = sleep_records(p, fast=False)
    assert sleep_records(p) == full
    assert [(r.stage, r.source) for r in full] == [("light", "Owner’s Apple Watch")]


@pytest.mark.parametrize("fast", [True, False])
def test_damage_in_a_sleep_record_is_refused_by_both_paths(tmp_path, fast):
    broken = NIGHT.replace('sourceVersion="10.1"', 'sourceVersion="10.1" <oops')
    p = export(tmp_path, HR + broken + HR)
    with pytest.raises(FormatError, match=r"export\.xml \(line 5\): a (damaged )?sleep record"):
        sleep_records(p, fast=fast)


def test_an_external_dtd_file_names_a_real_line(tmp_path):
    p = tmp_path / "export.xml"
    p.write_text('<?xml version="1.0"?>\n<!DOCTYPE HealthData SYSTEM "healthdata.dtd">\n'
                 '<HealthData>\n' + NIGHT + ' <Record type="X" value="&ext;"/>\n<oops\n',
                 encoding="utf-8")
    for fast in (True, False):
        with pytest.raises(FormatError) as info:
            sleep_records(p, fast=fast)
        assert "line None" not in info.value.message
        # the damage is on line 6 and the file ends on line 7 (both real lines)
        assert re.search(r"export\.xml \(line [67]\): ", info.value.message), info.value


def test_the_full_parse_reads_sleep_records_past_line_65535(tmp_path):
    """lxml numbers lines only up to 65535 in a large document; the recovering full parse
    must not take that for a lost sleep record."""
    filler = ' <ActivitySummary dateComponents="2024-01-01"/>\n' * 70_000
    p = export(tmp_path, filler + NIGHT + filler + NIGHT.replace("2024-01-0", "2024-02-0"))
    full = sleep_records(p, fast=False)
    assert len(full) == 2 and sleep_records(p) == full

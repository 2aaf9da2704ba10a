"""Autodetection from a path."""

from __future__ import annotations

import zipfile

import pytest

from nightleaf.errors import FormatError
from nightleaf.io.detect import detect_format, read_episodes


@pytest.mark.parametrize(("path", "fmt"), [
    ("apple-health/ericwolter_export_2015_en_DE_sleepcycle.xml", "apple_health"),
    ("apple-health/grll_apple-health-mcp_export.xml", "apple_health"),
    ("apple-health/tdda_export6s3sample_nosleep.xml", "apple_health"),
    ("fitbit/redSlug_webapi_v1.2_sleep_2019-11_2020-01.json", "fitbit"),
    ("fitbit/MikePrs_webapi_v1.2_sleep_classic_2020-01-03.json", "fitbit"),
    ("oura/brendonchang_oura_api_v2_sleep_2024-07-09.json", "oura"),
    ("oura/themontypython_oura_api_v1_sleep_2023-01_2023-02.json", "oura"),
    ("sleep-as-android/ckondek_SleepPhase_Polar_sleep-export.csv", "sleep_as_android"),
])
def test_real_samples_are_recognised(real, path, fmt):
    assert detect_format(real / path) == fmt


def test_zip_and_folder(real, tmp_path):
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(real / "apple-health/grll_apple-health-mcp_export.xml",
                 "apple_health_export/export.xml")
    assert detect_format(z) == "apple_health"
    (tmp_path / "fb").mkdir()
    (tmp_path / "fb" / "sleep-2020-01-01.json").write_text("[]")
    assert detect_format(tmp_path / "fb") == "fitbit"
    eps = list(read_episodes(real / "oura/brendonchang_oura_api_v2_sleep_2024-07-09.json",
                             tz="America/Los_Angeles"))
    assert len(eps) == 2


@pytest.mark.parametrize("content", [b"\x00\x01random", b"a,b,c\n1,2,3\n", b'{"x": 1}', b""])
def test_unknown_files(tmp_path, content):
    p = tmp_path / "mystery.bin"
    p.write_bytes(content)
    with pytest.raises(FormatError, match=r"mystery\.bin: not a sleep export .* nightleaf "
                       "import apple-health"):
        detect_format(p)


def test_named_format_wins_and_unknown_names_are_refused(real):
    p = real / "oura/brendonchang_oura_api_v2_sleep_2024-07-09.json"
    with pytest.raises(FormatError, match="not Oura|not Fitbit"):
        list(read_episodes(p, tz="UTC", fmt="fitbit"))
    with pytest.raises(FormatError, match="unknown format 'garmin'"):
        read_episodes(p, tz="UTC", fmt="garmin")

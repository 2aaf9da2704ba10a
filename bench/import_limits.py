"""Peak memory and time of every wearable reader on 4 GiB pathological inputs, against the
250 MB limit of issue 13 (and the input size), measured in the same run.

Each input is made on the fly (bombs cost ~4 MB on disk; plain files are written sparse-free
in 1 MiB steps and deleted afterwards) and read in a fresh interpreter; the peak is that
process's own ``VmHWM`` (see tests/support/pathological.py).

    python bench/import_limits.py [--gib 4] [--keep]

Prints one line per case: the reader's answer, peak RSS, seconds, and peak / limit.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.pathological import MiB, endless_file, read_in_subprocess, zip_bomb

LIMIT_MB = 250
XML = b'<?xml version="1.0"?>\n<HealthData>\n'
SAA = b"Id,Tz,From,To,Sched,Hours\n"


def cases(size: int) -> list[tuple[str, str, str, dict[str, str], object]]:
    """(label, format, file name, environment, maker). A plain zip's size fields are 32-bit,
    so the zipped inputs stop 1 MiB short of 4 GiB."""
    zsize = min(size, (1 << 32) - MiB)
    lifted = {"NIGHTLEAF_IMPORT_MAX_RATIO": "100000000",
              "NIGHTLEAF_IMPORT_MAX_INFLATED": str(size + MiB)}
    return [
        ("zip bomb, export.xml", "apple_health", "bomb-ah.zip", {},
         lambda p: zip_bomb(p, "apple_health_export/export.xml", zsize, head=XML)),
        ("zip bomb, Fitbit json", "fitbit", "bomb-fb.zip", {},
         lambda p: zip_bomb(p, "sleep-2020-01-01.json", zsize, head=b"[")),
        ("zip bomb, sleep-export.csv", "sleep_as_android", "bomb-saa.zip", {},
         lambda p: zip_bomb(p, "sleep-export.csv", zsize, head=SAA)),
        ("zip, whitespace after <HealthData>, limits lifted", "apple_health", "ws.zip", lifted,
         lambda p: zip_bomb(p, "apple_health_export/export.xml", zsize, head=XML, fill=b" \n")),
        ("zip, zero line in sleep-export.csv, limits lifted", "sleep_as_android", "zero.zip",
         lifted, lambda p: zip_bomb(p, "sleep-export.csv", zsize, head=SAA, fill=b"\0")),
        ("file, <Record type=\" and no >", "apple_health", "nogt.xml", {},
         lambda p: endless_file(p, XML + b'<Record type="', size, fill=b"a")),
        ("file, whitespace after <HealthData>", "apple_health", "ws.xml", {},
         lambda p: endless_file(p, XML, size, fill=b" \n")),
        ("file, one JSON number (Fitbit)", "fitbit", "num.json", {},
         lambda p: endless_file(p, b'[{"logId": 1', size, fill=b"0")),
        ("file, one JSON string (Oura)", "oura", "str.json", {},
         lambda p: endless_file(p, b'{"data": [{"bedtime_start": "', size, fill=b"a")),
        ("file, zero line (Sleep as Android)", "sleep_as_android", "zero.csv", {},
         lambda p: endless_file(p, SAA, size, fill=b"\0")),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gib", type=float, default=4.0)
    ap.add_argument("--keep", action="store_true", help="keep the generated inputs")
    ap.add_argument("--only", default="", help="run only cases whose label contains this")
    args = ap.parse_args()
    size = int(args.gib * 1024) * MiB
    print(f"inputs of {size / (1 << 30):.2f} GiB; limit {LIMIT_MB} MB peak RSS")
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="nl-limits-") as tmp:
        for label, fmt, name, env, make in cases(size):
            if args.only and args.only not in label:
                continue
            p = Path(tmp) / name
            make(p)  # type: ignore[operator]
            run = read_in_subprocess(p, fmt, env=env, timeout=3600)
            worst = max(worst, run.peak_mb)
            print(f"{label:52} on-disk {p.stat().st_size / MiB:8.1f} MiB  exit {run.code}  "
                  f"peak {run.peak_mb:6.1f} MB ({run.peak_mb / LIMIT_MB:5.2f}x limit)  "
                  f"{run.seconds:6.1f} s  | {run.message[-70:]}")
            if not args.keep:
                p.unlink()
    print(f"worst peak {worst:.1f} MB = {worst / LIMIT_MB:.2f}x the {LIMIT_MB} MB limit")


if __name__ == "__main__":
    main()

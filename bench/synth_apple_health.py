"""A seeded, schema-faithful synthetic Apple Health ``export.xml``.

Shaped like a real iOS 17 export: the HealthKit DTD internal subset (optionally with the
unterminated ``ATTLIST`` real iOS 16+ exports carry), ``ExportDate``, ``Me``, then records
grouped by type as the Health app writes them — heart rate (with ``MetadataEntry`` children
and escaped ``<<HKDevice...>>`` strings), step counts, sleep analysis from two sources (an Apple
Watch writing iOS 16 stages and an iPhone writing ``InBed`` plus legacy ``Asleep``), workouts
with metadata and statistics, and activity summaries. Offsets follow Europe/Berlin, so
daylight-saving nights are included. Heart-rate and step records fill the file up to
``size_bytes``.

    python bench/synth_apple_health.py /tmp/export.xml --size-mb 200
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Berlin")
WATCH = "Owner’s Apple Watch"
PHONE = "Owner’s iPhone"
WATCH_DEVICE = ("&lt;&lt;HKDevice: 0x283a1c0a0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
                "model:Watch, hardware:Watch6,2, software:10.1&gt;")
PHONE_DEVICE = ("&lt;&lt;HKDevice: 0x283a1c0f0&gt;, name:iPhone, manufacturer:Apple Inc., "
                "model:iPhone, hardware:iPhone14,5, software:17.1&gt;")
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
V = "HKCategoryValueSleepAnalysis"

DTD = """<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|\
Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth                   CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex                 CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType                     CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse   CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutStatistics EMPTY>
<!ATTLIST WorkoutStatistics
  type                       CDATA #REQUIRED
  startDate                  CDATA #REQUIRED
  endDate                    CDATA #REQUIRED
  sum                        CDATA #IMPLIED
  unit                       CDATA #IMPLIED
>
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
  appleExerciseTime        CDATA #IMPLIED
  appleStandHours          CDATA #IMPLIED
>
"""
# Real iOS 16+ exports leave this ATTLIST open (no closing '>'), which strict parsers reject.
BROKEN_ATTLIST = """<!ATTLIST InstantaneousBeatsPerMinute
  bpm  CDATA #REQUIRED
  time CDATA #REQUIRED
"""


def fmt(t: datetime) -> str:
    return t.astimezone(ZONE).strftime("%Y-%m-%d %H:%M:%S %z")


def sleep_night(rng: random.Random, night: datetime) -> list[str]:
    """Records for one night: the phone's InBed (+ Asleep on odd days), the watch's stages."""
    bed = night.replace(hour=22, minute=0, second=0) + timedelta(minutes=rng.randint(0, 150))
    onset = bed + timedelta(minutes=rng.randint(5, 40))
    out_of_bed = onset + timedelta(minutes=rng.randint(300, 520))
    created = fmt(out_of_bed + timedelta(minutes=3))
    recs = [
        f' <Record type="{SLEEP}" sourceName="{PHONE}" sourceVersion="17.1" device="'
        f'{PHONE_DEVICE}" creationDate="{created}" startDate="{fmt(bed)}" endDate="'
        f'{fmt(out_of_bed)}" value="{V}InBed"/>'
    ]
    if night.day % 2:
        recs.append(
            f' <Record type="{SLEEP}" sourceName="{PHONE}" sourceVersion="17.1" creationDate='
            f'"{created}" startDate="{fmt(onset)}" endDate="{fmt(out_of_bed)}" '
            f'value="{V}Asleep"/>')
    t = onset
    while t < out_of_bed:
        stage = rng.choices(["AsleepCore", "AsleepDeep", "AsleepREM", "Awake"],
                            [50, 20, 22, 8])[0]
        end = min(out_of_bed, t + timedelta(minutes=rng.randint(2, 45)))
        recs.append(
            f' <Record type="{SLEEP}" sourceName="{WATCH}" sourceVersion="10.1" device="'
            f'{WATCH_DEVICE}" creationDate="{created}" startDate="{fmt(t)}" endDate="'
            f'{fmt(end)}" value="{V}{stage}">\n'
            '  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n </Record>')
        t = end
    return recs


def heart_rate(rng: random.Random, t: datetime) -> str:
    return (f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="{WATCH}" '
            f'sourceVersion="10.1" device="{WATCH_DEVICE}" unit="count/min" creationDate="'
            f'{fmt(t + timedelta(seconds=40))}" startDate="{fmt(t)}" endDate="{fmt(t)}" '
            f'value="{rng.randint(48, 140)}">\n'
            '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
            ' </Record>\n')


def steps(rng: random.Random, t: datetime) -> str:
    return (f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="{PHONE}" '
            f'sourceVersion="17.1" device="{PHONE_DEVICE}" unit="count" creationDate="'
            f'{fmt(t + timedelta(minutes=9))}" startDate="{fmt(t)}" endDate="'
            f'{fmt(t + timedelta(minutes=8))}" value="{rng.randint(3, 900)}"/>\n')


def workout(rng: random.Random, t: datetime) -> str:
    end = t + timedelta(minutes=rng.randint(20, 90))
    return (f' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="'
            f'{(end - t).total_seconds() / 60:.4f}" durationUnit="min" sourceName="{WATCH}" '
            f'sourceVersion="10.1" device="{WATCH_DEVICE}" creationDate="{fmt(end)}" '
            f'startDate="{fmt(t)}" endDate="{fmt(end)}">\n'
            '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
            '  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n'
            f'  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
            f'startDate="{fmt(t)}" endDate="{fmt(end)}" sum="{rng.uniform(1, 8):.3f}" '
            'unit="km"/>\n </Workout>\n')


def generate(path: str | Path, *, size_bytes: int = 1 << 30, nights: int = 730, seed: int = 42,
             broken_doctype: bool = True, control_chars: bool = True) -> Path:
    """Write the export and return its path. Sleep records cover ``nights`` nights from
    2022-01-01; heart rate and steps fill the rest of ``size_bytes``."""
    rng = random.Random(seed)
    p = Path(path)
    first = datetime(2022, 1, 1, 12, tzinfo=ZONE)
    sleep = [r for n in range(nights) for r in sleep_night(rng, first + timedelta(days=n))]
    sleep_text = "\n".join(sleep) + "\n"
    if control_chars:  # real exports carry stray U+000B in values
        sleep_text = sleep_text.replace('sourceVersion="10.1"', 'sourceVersion="10.1\x0b"', 3)
    span = timedelta(days=nights)
    with open(p, "w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(DTD + (BROKEN_ATTLIST if broken_doctype else "") + "]>\n")
        out.write('<HealthData locale="en_DE">\n')
        out.write(f' <ExportDate value="{fmt(first + span)}"/>\n')
        out.write(' <Me HKCharacteristicTypeIdentifierDateOfBirth="1970-01-01" '
                  'HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet" '
                  'HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" '
                  'HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" '
                  'HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>\n')
        filler_budget = max(0, size_bytes - len(sleep_text.encode()) - 20_000 - nights * 900)
        hr_budget = filler_budget * 3 // 4
        written = 0
        t = first.astimezone(UTC)
        step = max(timedelta(seconds=5), span / max(1, hr_budget // 560))
        while written < hr_budget:
            rec = heart_rate(rng, t)
            out.write(rec)
            written += len(rec)
            t += step
        t = first.astimezone(UTC)
        while written < filler_budget:
            rec = steps(rng, t)
            out.write(rec)
            written += len(rec)
            t += step * 2
        out.write(sleep_text)
        for n in range(0, nights, 2):
            out.write(workout(rng, first + timedelta(days=n, hours=6)))
        for n in range(nights):
            d = (first + timedelta(days=n)).date()
            out.write(f' <ActivitySummary dateComponents="{d}" activeEnergyBurned="'
                      f'{rng.uniform(100, 900):.3f}" appleExerciseTime="{rng.randint(0, 90)}" '
                      f'appleStandHours="{rng.randint(4, 16)}"/>\n')
        out.write("</HealthData>\n")
    return p


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--size-mb", type=float, default=1024)
    ap.add_argument("--nights", type=int, default=730)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    generate(a.path, size_bytes=int(a.size_mb * (1 << 20)), nights=a.nights, seed=a.seed)


if __name__ == "__main__":
    main()

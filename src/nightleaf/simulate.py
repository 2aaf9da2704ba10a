"""A seeded generator of plausible journals, for tests, benchmarks and demos.

Like yasa's ``simulate_hypnogram(seed=42)``: the same seed gives the same journal. The numbers are
made up to exercise the code; they say nothing about kratom.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from nightleaf.model import clock
from nightleaf.model.entities import (
    Batch,
    Condition,
    Experiment,
    ExperimentNight,
    Intake,
    Journal,
    Medicine,
    Note,
    PainRating,
    Product,
    Profile,
    RoutineCheck,
    RoutineItem,
    SleepEntry,
    Substance,
    Symptom,
)
from nightleaf.model.units import make_amount


def _at(night: date, minutes_after_noon: float, tz: str) -> datetime:
    """The instant ``minutes_after_noon`` minutes after local noon of ``night``, DST-safe."""
    base = datetime.combine(night, time(12, 0))
    wall = base + timedelta(minutes=round(minutes_after_noon))
    try:
        return clock.resolve_local(wall.date(), wall.time(), tz)
    except Exception:  # a skipped wall time on a spring-forward night: one hour later
        wall += timedelta(hours=1)
        return clock.resolve_local(wall.date(), wall.time(), tz)


def simulate_journal(nights: int = 90, *, seed: int = 42, last_night: date = date(2026, 11, 23),
                     tz: str = "America/New_York", use_rate: float = 0.7) -> Journal:
    """Generate ``nights`` consecutive nights ending on ``last_night``."""
    rng = random.Random(seed)
    profile = Profile(tz=tz, region="US-NY", target_bedtime=time(23, 0), lead_minutes=60,
                      target_wake=time(7, 0), max_grams_per_night=6.0, max_nights_per_week=5)
    products = [
        Product(id=1, name="Red Bali", vendor="Vendor A", label="Red Bali", vein="red",
                form="powder"),
        Product(id=2, name="Green Maeng Da caps", vendor="Vendor B", label="Green Maeng Da",
                vein="green", form="capsule", capsule_mg=500),
    ]
    batches = [
        Batch(id=1, product_id=1, lot="RB-24-07", mitragynine_pct=1.45, seven_oh_pct=0.02,
              lab="Example Labs", test_date=last_night - timedelta(days=200),
              heavy_metals="pass", microbial="pass", pesticides="pass"),
        Batch(id=2, product_id=2, lot=None),
    ]
    j = Journal(profile=profile, products=products, batches=batches,
                medicines=[Medicine(id=1, name="ibuprofen", dose_text="400 mg",
                                    regimen="as_needed"),
                           Medicine(id=2, name="sertraline", dose_text="50 mg daily")],
                conditions=[Condition(id=1, name="chronic low back pain")],
                routine=[RoutineItem(id=k + 1, text=t, position=k)
                         for k, t in enumerate(("Dim the lights", "Screens off", "Read a book"))])
    ids = {"intake": 0, "sub": 0, "pain": 0, "sym": 0, "sleep": 0}

    def nid(k: str) -> int:
        ids[k] += 1
        return ids[k]

    first = last_night - timedelta(days=nights - 1)
    streak = 0
    for d in range(nights):
        night = first + timedelta(days=d)
        used = rng.random() < use_rate
        streak = streak + 1 if used else 0
        bed = 23 * 60 - 12 * 60 + rng.gauss(0, 35)  # minutes after noon
        if used:
            pid = 1 if rng.random() < 0.75 else 2
            lead = max(10.0, rng.gauss(60, 20))
            when = _at(night, bed - lead, tz)
            if pid == 1:
                amt = make_amount(round(rng.uniform(2.0, 4.5) * 2) / 2, "g")
                mg = round((amt.grams or 0) * 1000 * 1.45 / 100, 3)
            else:
                amt = make_amount(rng.choice([4, 5, 6]), "capsule", capsule_mg=500)
                mg = None
            j.intakes.append(Intake(id=nid("intake"), at=when, tz=tz, amount=amt,
                                    night=night, product_id=pid, batch_id=pid,
                                    mitragynine_mg=mg))
            if rng.random() < 0.1:  # a second, later intake
                j.intakes.append(Intake(id=nid("intake"), at=_at(night, bed - 10, tz), tz=tz,
                                        amount=make_amount(1.0, "g"), night=night,
                                        product_id=1, batch_id=1,
                                        mitragynine_mg=14.5))
        if rng.random() < 0.15:
            j.substances.append(Substance(id=nid("sub"), at=_at(night, bed - 150, tz), tz=tz,
                                          kind="alcohol", night=night,
                                          amount=float(rng.choice([1, 2])), unit="drinks"))
        eve_pain = max(0, min(10, round(rng.gauss(6, 1.3))))
        j.pain.append(PainRating(id=nid("pain"), at=_at(night, bed - 90, tz), tz=tz,
                                 night=night, nrs=eve_pain, context="evening"))
        if rng.random() < 0.9:  # the diary is sometimes skipped
            sol = max(2.0, rng.gauss(18 if used else 30, 8))
            awak = rng.choice([0, 1, 1, 2, 2, 3])
            waso = 0.0 if awak == 0 else float(max(5, round(rng.gauss(12 * awak, 6))))
            sleep_len = rng.gauss(7.2 * 60, 40)
            tried = bed + rng.uniform(0, 15)
            final = tried + sol + waso + sleep_len
            out = final + rng.uniform(0, 25)
            j.sleep.append(SleepEntry(
                id=nid("sleep"), night=night, tz=tz, into_bed=_at(night, bed, tz),
                tried_to_sleep=_at(night, tried, tz), sol_minutes=round(sol),
                awakenings=awak, waso_minutes=waso, final_awakening=_at(night, final, tz),
                out_of_bed=_at(night, out, tz), quality=max(1, min(5, round(rng.gauss(3.4, .8)))),
                rested=max(1, min(5, round(rng.gauss(3.2, .8)))),
                nap_count=1 if rng.random() < 0.1 else 0,
                nap_minutes=30.0 if rng.random() < 0.1 else None))
            morning = max(0, min(10, round(eve_pain - (1.5 if used else 0.5) + rng.gauss(0, 1))))
            j.pain.append(PainRating(id=nid("pain"), at=_at(night, out + 10, tz), tz=tz,
                                     night=night, nrs=morning, context="morning"))
        if used and rng.random() < 0.08:
            j.symptoms.append(Symptom(id=nid("sym"), at=_at(night, out_of_bed_guess(bed), tz),
                                      tz=tz, night=night, kind="side_effect",
                                      name=rng.choice(["nausea", "constipation", "itching"]),
                                      severity=rng.choice([1, 1, 2])))
        if not used and streak == 0 and rng.random() < 0.2:
            j.symptoms.append(Symptom(id=nid("sym"), at=_at(night, bed - 30, tz), tz=tz,
                                      night=night, kind="withdrawal", name="restlessness",
                                      severity=rng.choice([1, 2])))
        if rng.random() < 0.1:
            j.notes.append(Note(id=len(j.notes) + 1, at=_at(night, bed - 20, tz), tz=tz,
                                night=night, text=rng.choice(["long day", "back pain flared",
                                                              "slept at a friend's place"])))
        for item in j.routine:
            if rng.random() < 0.7:
                j.routine_checks.append(RoutineCheck(item_id=item.id or 0, night=night))
    if nights >= 4:  # a self-experiment (issue 12) over the last nights: timing, stopped early
        period = min(7, nights // 2)
        start = last_night - timedelta(days=2 * period - 1)
        j.experiments.append(Experiment(
            id=1, name="earlier intake", compare="timing", arm_a="60", arm_b="120",
            period=period, pairs=1, washout=min(2, period - 2) if period > 2 else 0,
            outcome="tst", mid=15.0, analysis="AR(1) GLS", seed=seed, start=start,
            end=last_night, tz=tz, status="stopped", stopped_reason="simulated stop",
            stopped_at=clock.night_time(last_night, time(23, 30), tz),
            created_at=clock.night_time(start - timedelta(days=1), time(20, 0), tz)))
        arms = "AB" if rng.random() < 0.5 else "BA"
        j.experiment_nights.extend(
            ExperimentNight(1, start + timedelta(days=k), arms[k // period],
                            k % period < (min(2, period - 2) if period > 2 else 0))
            for k in range(2 * period))
    return j


def out_of_bed_guess(bed_minutes_after_noon: float) -> float:
    return bed_minutes_after_noon + 8 * 60

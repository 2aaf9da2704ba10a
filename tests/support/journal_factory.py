"""A small seeded journal for summary tests (until the project's generator is used)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from nightleaf.model.entities import (
    Intake,
    PainRating,
    Product,
    SleepEntry,
    SleepEpisode,
    StageSegment,
)
from nightleaf.model.units import Amount
from tests.support.sleep_helpers import NY, at


def journal(first: date, nights: int, *, seed: int = 42, use_rate: float = 0.5,
            diary_rate: float = 0.9, wearable_rate: float = 0.6):
    rng = random.Random(seed)
    products = [Product(name="Red Bali", id=1), Product(name="Green Malay", id=2)]
    entries, episodes, intakes, pain = [], [], [], []
    for i in range(nights):
        n = first + timedelta(days=i)
        tried_min = 22 * 60 + 30 + rng.randint(-45, 75)
        tried = at(n, f"{tried_min // 60 % 24:02d}:{tried_min % 60:02d}")
        used = rng.random() < use_rate
        if used:
            lead = rng.choice([30, 45, 90, 100, 150, 200])
            pid = 1 if rng.random() < 0.95 else 2
            intakes.append(Intake(tried - timedelta(minutes=lead), NY,
                                  Amount(float(rng.choice([2, 3, 4])), "g"), n, product_id=pid))
        if rng.random() < diary_rate:
            sol = rng.randint(5, 60)
            waso = rng.randint(0, 50)
            sleep = rng.randint(300, 480)
            final = tried + timedelta(minutes=sol + waso + sleep)
            entries.append(SleepEntry(
                night=n, tz=NY, into_bed=tried - timedelta(minutes=rng.randint(0, 30)),
                tried_to_sleep=tried, sol_minutes=sol, awakenings=1 if waso else 0,
                waso_minutes=waso, final_awakening=final,
                out_of_bed=final + timedelta(minutes=rng.randint(0, 40)),
                quality=rng.randint(1, 5)))
        if rng.random() < wearable_rate:
            start = tried - timedelta(minutes=10)
            onset = start + timedelta(minutes=20)
            end = onset + timedelta(minutes=rng.randint(300, 480))
            episodes.append(SleepEpisode(
                source="oura", external_id=f"o{i}", start=start, end=end + timedelta(minutes=5),
                tz=NY, night=n, stages=[StageSegment(onset, end, "asleep")]))
        pain.append(PainRating(tried - timedelta(minutes=60), NY, n, rng.randint(4, 8), "evening"))
        pain.append(PainRating(at(n, "07:30"), NY, n, rng.randint(2, 7), "morning"))
    return products, entries, episodes, intakes, pain

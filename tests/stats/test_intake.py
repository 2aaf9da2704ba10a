"""Intake per night, streaks and nights per week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from nightleaf.model.entities import Intake
from nightleaf.model.units import Amount
from nightleaf.stats.intake import night_intakes, nights_per_week, use_streaks

N = date(2026, 3, 1)


def intake(hour: int, minute: int, amount: Amount, **kw: object) -> Intake:
    return Intake(datetime(2026, 3, 1, hour, minute, tzinfo=UTC), "UTC", amount, N, **kw)


def test_totals_count_and_minutes_from_last_intake_to_tried_to_sleep() -> None:
    xs = [intake(20, 0, Amount(2, "g"), mitragynine_mg=30.0, product_id=2),
          intake(21, 45, Amount(2, "capsule", capsule_mg=500), mitragynine_mg=15.0, product_id=1)]
    got = night_intakes(xs, {N: datetime(2026, 3, 1, 23, 15, tzinfo=UTC)})[N]
    assert (got.count, got.total_grams, got.mitragynine_mg) == (2, 3.0, 45.0)
    assert got.minutes_last_intake_to_sleep == 90
    assert got.product_ids == (1, 2)


def test_unknown_amounts_make_the_total_unknown_but_keep_the_known_part() -> None:
    xs = [intake(20, 0, Amount(2, "g"), mitragynine_mg=30.0),
          intake(21, 0, Amount(2, "capsule"))]
    got = night_intakes(xs)[N]
    assert got.total_grams is None and got.known_grams == 2.0
    assert got.mitragynine_mg is None
    assert got.minutes_last_intake_to_sleep is None  # no diary time that night


def test_intake_after_trying_to_sleep_is_negative() -> None:
    got = night_intakes([intake(23, 30, Amount(1, "g"))],
                        {N: datetime(2026, 3, 1, 23, 0, tzinfo=UTC)})[N]
    assert got.minutes_last_intake_to_sleep == -30


def test_streaks_current_and_longest() -> None:
    used = {N + timedelta(days=d) for d in (0, 1, 2, 3, 6, 8, 9)}
    assert use_streaks(used, N, N + timedelta(days=9)) == (2, 4)
    assert use_streaks(used, N, N + timedelta(days=10)) == (0, 4)
    assert use_streaks(set(), N, N + timedelta(days=3)) == (0, 0)


def test_nights_per_week_in_seven_night_blocks() -> None:
    used = {N + timedelta(days=d) for d in (0, 1, 2, 3, 6, 8, 9)}
    assert nights_per_week(used, N, N + timedelta(days=9)) == [
        (N, 5, 7), (N + timedelta(days=7), 2, 3)
    ]

"""NRS per night, overnight change, PEG and weekly means."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from nightleaf.errors import InputError
from nightleaf.model.entities import PainRating
from nightleaf.pain import night_pain, peg_score, weekly_pain

N = date(2026, 3, 2)


def rating(night: date, hour: int, nrs: int, context: str, **peg: int) -> PainRating:
    day = night if hour >= 12 else night + timedelta(days=1)
    return PainRating(datetime(day.year, day.month, day.day, hour, tzinfo=UTC), "UTC", night,
                      nrs, context, **peg)


@pytest.mark.parametrize(
    ("items", "expected"),
    [((6, 5, 4), 5.0), ((0, 0, 0), 0.0), ((10, 10, 10), 10.0), ((7, 3, 4), 14 / 3),
     ((6, None, 4), None)],
)
def test_peg_is_the_mean_of_its_three_items(items: tuple, expected: float | None) -> None:
    assert peg_score(*items) == (pytest.approx(expected) if expected is not None else None)


def test_peg_rejects_items_outside_zero_to_ten() -> None:
    with pytest.raises(InputError, match="between 0 and 10"):
        peg_score(11, 2, 3)


def test_the_last_rating_of_each_context_wins() -> None:
    rs = [rating(N, 19, 7, "evening"), rating(N, 22, 6, "evening"),
          rating(N, 7, 3, "morning"), rating(N, 10, 5, "morning")]
    p = night_pain(rs)[N]
    assert (p.evening_nrs, p.morning_nrs, p.overnight_change) == (6, 5, -1)


def test_change_is_unknown_without_both_ratings() -> None:
    p = night_pain([rating(N, 21, 6, "evening")])[N]
    assert p.morning_nrs is None and p.overnight_change is None


def test_peg_comes_from_a_rating_with_all_three_items() -> None:
    rs = [rating(N, 21, 6, "evening", peg_pain=6, peg_enjoyment=5, peg_activity=7),
          rating(N, 8, 4, "morning", peg_pain=3)]
    assert night_pain(rs)[N].peg == pytest.approx(6.0)


def test_nrs_out_of_range_is_an_input_error() -> None:
    with pytest.raises(InputError):
        night_pain([rating(N, 21, 12, "evening")])


def test_weekly_means_use_seven_night_blocks_and_count_known_nights() -> None:
    first = date(2026, 3, 1)
    rs = []
    for i in range(10):
        n = first + timedelta(days=i)
        rs.append(rating(n, 21, 6 if i < 7 else 4, "evening"))
        if i % 2 == 0:
            rs.append(rating(n, 7, 2, "morning"))
    weeks = weekly_pain(night_pain(rs), first, first + timedelta(days=9))
    assert [(w.first_night, w.last_night) for w in weeks] == [
        (first, first + timedelta(days=6)), (first + timedelta(days=7), first + timedelta(days=9))
    ]
    w1, w2 = weeks
    assert (w1.nights_evening, w1.mean_evening_nrs) == (7, 6.0)
    assert (w1.nights_morning, w1.mean_morning_nrs, w1.mean_overnight_change) == (4, 2.0, -4.0)
    assert (w2.nights_evening, w2.mean_evening_nrs, w2.nights_morning) == (3, 4.0, 1)
    assert w1.mean_peg is None and w1.peg_count == 0

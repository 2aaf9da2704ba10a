"""The window summary built from plain lists of domain objects."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from statistics import fmean

import pytest

from nightleaf.errors import InputError
from nightleaf.model.entities import Profile
from nightleaf.model.plain import to_plain
from nightleaf.stats.compare import NOT_ENOUGH
from nightleaf.stats.window import summarise_window
from tests.support.journal_factory import journal
from tests.support.sleep_helpers import NY

FIRST = date(2026, 1, 5)
PROFILE = Profile(tz=NY)


def summary(nights: int, **kw):
    products, entries, episodes, intakes, pain = journal(FIRST, nights, **kw)
    return summarise_window(
        first_night=FIRST, last_night=FIRST + timedelta(days=nights - 1), profile=PROFILE,
        entries=entries, episodes=episodes, intakes=intakes, pain=pain, products=products,
    ), (entries, episodes, intakes)


def test_window_has_one_row_per_night_and_keeps_sources_apart() -> None:
    s, (entries, episodes, intakes) = summary(90)
    assert s.days == len(s.nights) == 90
    assert [r.night for r in s.nights][0] == FIRST
    assert s.diary["tst_minutes"].n == len(entries)
    assert s.diary["tst_minutes"].n + s.diary["tst_minutes"].missing == 90
    assert set(s.wearable) == {"oura"}
    assert s.wearable["oura"]["tst_minutes"].n == len(episodes)
    assert all(m.source == "oura" for r in s.nights for m in r.wearable)
    assert all(r.diary is None or r.diary.source == "diary" for r in s.nights)
    assert [reg.source for reg in s.regularity] == ["diary", "oura"]
    assert s.intake.nights_with_use == len({i.night for i in intakes})


def test_window_means_are_the_means_of_the_nightly_values() -> None:
    s, _ = summary(28)
    tst = [r.diary.tst_minutes for r in s.nights if r.diary]
    assert s.diary["tst_minutes"].mean == pytest.approx(fmean(tst))


def test_with_vs_without_kratom_counts_nights_and_has_an_interval() -> None:
    s, _ = summary(90)
    c = next(c for c in s.comparisons
             if c.group == "nights with kratom" and c.metric == "tst_minutes")
    used = [r for r in s.nights if r.used and r.diary]
    unused = [r for r in s.nights if not r.used and r.diary]
    assert (c.n_group, c.n_reference) == (len(used), len(unused))
    assert c.status == "ok" and c.ci_low < c.difference < c.ci_high
    assert c.note == "observational, not proof of cause"


def test_groups_with_fewer_than_five_nights_say_not_enough_data() -> None:
    s, _ = summary(90)
    minor = [c for c in s.comparisons if c.group == "product: Green Malay"]
    assert minor and all(c.n_group < 5 for c in minor)
    assert all(c.status == NOT_ENOUGH and c.difference is None for c in minor)
    for c in s.comparisons:
        assert (c.status == NOT_ENOUGH) == (min(c.n_group, c.n_reference) < 5)


def test_a_window_with_few_kratom_nights_gives_no_numbers() -> None:
    s, _ = summary(28, use_rate=0.1)
    assert s.intake.nights_with_use < 5
    assert all(c.status == NOT_ENOUGH for c in s.comparisons)


def test_summary_is_json_ready() -> None:
    s, _ = summary(28)
    text = json.dumps(to_plain(s), allow_nan=False)
    back = json.loads(text)
    assert back["first_night"] == FIRST.isoformat()
    assert back["nights"][0]["used"] in (True, False)
    assert back["note"] == "observational, not proof of cause"


def test_reversed_window_is_an_input_error() -> None:
    with pytest.raises(InputError):
        summarise_window(first_night=FIRST, last_night=FIRST - timedelta(days=1), profile=PROFILE)


def test_without_detail_the_summary_keeps_what_the_dashboard_shows_and_drops_the_rest() -> None:
    products, entries, episodes, intakes, pain = journal(FIRST, 90)
    kw = dict(first_night=FIRST, last_night=FIRST + timedelta(days=89), profile=PROFILE,
              entries=entries, episodes=episodes, intakes=intakes, pain=pain, products=products)
    full = summarise_window(**kw)
    lean = summarise_window(**kw, detail=False)
    assert lean.nights == full.nights  # wearable nights included: the dashboard shows them
    assert any(r.wearable for r in lean.nights)
    assert lean.diary == full.diary and lean.pain == full.pain
    assert lean.regularity == full.regularity[:1]
    assert lean.intake == dataclasses.replace(full.intake, weeks=())
    assert lean.comparisons == tuple(
        c for c in full.comparisons if c.group == "nights with kratom")
    assert lean.wearable == full.wearable and lean.pain_weeks == ()

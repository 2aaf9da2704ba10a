"""The parsing module: ASCII only, errors by field id, nothing but InputError for any text."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nightleaf.errors import InputError
from nightleaf.model.entities import Profile
from nightleaf.services import Context, open_context, parse, plan
from nightleaf.services.diary import pain_rating, sleep_entry, substance, symptom
from nightleaf.services.inputs import (
    IntakeInput,
    PainInput,
    ProductInput,
    ProfileInput,
    SleepInput,
    SubstanceInput,
    SymptomInput,
)
from nightleaf.services.intake import draft_intake
from nightleaf.services.products import parse_product
from nightleaf.services.setup import apply_profile_changes

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
TZ = "Europe/Berlin"
NIGHT = date(2026, 11, 23)

#: text a person might type, with the characters that broke the old parsers well represented
TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789³²¹٣०.,:-+ eE", max_size=12),
    st.sampled_from(["³", "²", "1²", "٣", "½", "1e400", "nan", "inf", "-0", "", " ", "25:00",
                     "2026-13-01", "9" * 40]),
)


@pytest.mark.parametrize("raw", ["³", "²", "٣", "1²", "½", "१"])
def test_unicode_digits_are_refused_as_numbers_not_crashed_on(raw: str) -> None:
    assert raw.isdigit() or raw.isnumeric()  # what fooled the old checks
    for fn in (parse.number, parse.whole):
        with pytest.raises(InputError) as info:
            fn(raw, "sol", "minutes to fall asleep")
        assert info.value.field == "sol" and info.value.code in ("number", "whole")
    assert parse.record_id(raw) is None


def test_numbers_take_a_comma_or_a_point_and_blank_is_none() -> None:
    assert parse.number("2,5", "x") == 2.5 and parse.number(" 3 ", "x") == 3.0
    assert parse.whole("3.0", "x") == 3 and parse.whole("-2", "x") == -2
    assert parse.number("  ", "x") is None and parse.whole(None, "x") is None
    assert parse.bounded("7", "max_nights", "nights", 0, 7) == 7
    with pytest.raises(InputError) as info:
        parse.bounded("8", "max_nights", "nights per week", 0, 7)
    assert (info.value.field, info.value.code) == ("max_nights", "range")


def test_fields_collects_every_problem_by_field_id() -> None:
    f = parse.Fields()
    f.get(lambda: parse.number("abc", "sol", "minutes to fall asleep"))
    f.get(lambda: parse.whole("2.5", "awakenings", "number of awakenings"))
    assert f.get(lambda: parse.whole("3", "quality")) == 3
    with pytest.raises(InputError) as info:
        f.check()
    assert [(e.field, e.code) for e in info.value.errors] == [("sol", "number"),
                                                              ("awakenings", "whole")]
    assert info.value.field == "sol"


def _ctx() -> Context:
    ctx = open_context(f"sqlite:///{tempfile.mkdtemp(prefix='nl-parse-')}/j.db",
                       clock=lambda: NOW)
    with ctx.tx() as repo:
        repo.save_profile(Profile(tz=TZ))
    return ctx


CTX = None


def _shared_ctx() -> Context:
    global CTX
    if CTX is None:
        CTX = _ctx()
    return CTX


def _draft(ctx: Context, inp: IntakeInput) -> Any:
    with ctx.tx() as repo:
        return draft_intake(ctx, repo, inp)


#: every parser of a person's text, each fed one string in every field it reads
PARSERS: dict[str, Callable[[str], Any]] = {
    "number": lambda s: parse.number(s, "f"),
    "whole": lambda s: parse.whole(s, "f"),
    "bounded": lambda s: parse.bounded(s, "f", "x", 0, 10),
    "record_id": parse.record_id,
    "night": lambda s: parse.night(s, "night", now=NOW, tz=TZ),
    "instant": lambda s: parse.instant(s, "at", now=NOW, tz=TZ),
    "time_in_night": lambda s: parse.time_in_night(s, "into_bed", "into bed", now=NOW, tz=TZ,
                                                   night=NIGHT),
    "iso_date": lambda s: parse.iso_date(s, "from", NIGHT),
    "month": lambda s: parse.month(s, "month", NIGHT),
    "sleep": lambda s: sleep_entry(_shared_ctx(), SleepInput(
        **{k: s for k in SleepInput.field_ids() if k != "night"})),
    "sleep night": lambda s: sleep_entry(_shared_ctx(), SleepInput(night=s)),
    "pain": lambda s: pain_rating(_shared_ctx(), PainInput(
        nrs=s, at=s, peg_pain=s, peg_enjoyment=s, peg_activity=s, context=s)),
    "symptom": lambda s: symptom(_shared_ctx(), SymptomInput(name=s, severity=s, kind=s, at=s)),
    "substance": lambda s: substance(_shared_ctx(), SubstanceInput(kind=s, amount=s, at=s)),
    "intake": lambda s: _draft(_shared_ctx(), IntakeInput(amount=s, at=s, capsule_mg=s,
                                                          tea_grams=s)),
    "product": lambda s: parse_product(ProductInput(name=s, vein=s, form=s, capsule_mg=s)),
    "profile": lambda s: apply_profile_changes(Profile(tz=TZ), ProfileInput(
        **{k: s for k in ProfileInput.field_ids()})),
    "morning answer": lambda s: [plan.check_answer(f, s) for f in (
        "into_bed", "sol", "awakenings", "quality", "nrs", "side_effects")],
}


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=TEXT)
def test_any_text_gives_a_value_or_the_projects_input_error(name: str, raw: str) -> None:
    try:
        PARSERS[name](raw)
    except InputError as exc:
        assert exc.errors and all(e.message for e in exc.errors)
        echoed = exc.message.replace(repr(raw), "").replace(raw, "")
        assert not re.search(r"--[a-z]", echoed), "service messages name no CLI flag"


def test_a_time_outside_the_named_night_is_refused(ctx: Context) -> None:
    with ctx.tx() as repo:
        repo.save_profile(Profile(tz=TZ))
    with pytest.raises(InputError) as info:
        sleep_entry(ctx, SleepInput(night="2026-11-01", into_bed="2026-10-31 22:30"))
    assert info.value.field == "into_bed" and info.value.code == "night"
    assert "not part of the night of 2026-11-01" in info.value.message
    # the same evening, and the next morning, belong to the night
    e = sleep_entry(ctx, SleepInput(night="2026-11-01", into_bed="2026-11-01 22:30",
                                    out_of_bed="2026-11-02 07:00"))
    assert e.night == date(2026, 11, 1) and e.into_bed is not None


def test_init_journal_writes_nothing_when_it_fails(ctx: Context, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    from nightleaf.model.entities import RoutineItem
    from nightleaf.services import setup

    def boom(_repo: Any) -> None:
        raise RuntimeError("the routine could not be written")

    monkeypatch.setattr(setup, "add_default_items", boom)
    with pytest.raises(RuntimeError):
        setup.init_journal(ctx, ProfileInput(tz=TZ, bedtime="23:00"))
    assert not ctx.has_profile()
    monkeypatch.undo()
    setup.init_journal(ctx, ProfileInput(tz=TZ, bedtime="23:00"))
    with ctx.tx() as repo:
        assert repo.profile() is not None and repo.all(RoutineItem)


def test_profile_changes_report_every_bad_field() -> None:
    with pytest.raises(InputError) as info:
        apply_profile_changes(Profile(tz=TZ), ProfileInput(tz="Mars/Base", lead="abc",
                                                           max_nights="9", bedtime="7"))
    assert {e.field for e in info.value.errors} == {"tz", "lead", "max_nights"}


def test_a_diary_entry_reports_every_bad_field_at_once(ctx: Context) -> None:
    with ctx.tx() as repo:
        repo.save_profile(Profile(tz=TZ))
    with pytest.raises(InputError) as info:
        sleep_entry(ctx, SleepInput(night="2026-11-23", tried_to_sleep="25:00", sol="abc",
                                    quality="9", awakenings="2"))
    assert [(e.field, e.code) for e in info.value.errors] == [
        ("tried_to_sleep", "time"), ("sol", "number"), ("quality", "range")]

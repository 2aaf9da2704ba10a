"""Each rule family: fires when it should, stays quiet when it should not."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from nightleaf.model import Batch, Condition, Medicine, Product, Profile, Substance, Symptom
from nightleaf.safety import (
    ceilings,
    conditions,
    depressants,
    escalation,
    evaluate,
    frequency,
    legal,
    medicines,
    products,
    same_night,
    timing,
    withdrawal,
)
from tests.support.safety import NOW, TONIGHT, TZ, ctx, intake, nightly, rules


def sub(kind, name=None, night=TONIGHT, amount=None, unit=None):
    return Substance(at=intake(night).at, tz=TZ, kind=kind, night=night, name=name,
                     amount=amount, unit=unit)


# ---------------------------------------------------------------- medicines
def test_regular_opioid_is_danger(kb):
    found = medicines.check(ctx(medicines=[Medicine("OxyContin 20 mg")]), kb)
    assert found[0].severity == "danger" and found[0].rule == "medicine.opioid_agonist"
    assert found[0].severity == "danger" and not found[0].title.startswith("Danger")
    assert found[0].sources


def test_as_needed_medicine_only_counts_when_taken_tonight(kb):
    med = Medicine("zolpidem", regimen="as_needed")
    assert medicines.check(ctx(medicines=[med]), kb) == []
    found = medicines.check(ctx(medicines=[med], substances=[sub("medicine", "Zolpidem")]), kb)
    assert rules(found) == {"medicine.z_drug"}


def test_medicine_substance_logged_tonight_is_checked(kb):
    found = medicines.check(ctx(substances=[sub("medicine", "Benadryl")]), kb)
    assert rules(found) == {"medicine.sedating_antihistamine"}


def test_medicine_logged_three_days_ago_is_not_checked(kb):
    other = TONIGHT - timedelta(days=3)
    assert medicines.check(ctx(substances=[sub("medicine", "Benadryl", night=other)]), kb) == []


def test_medicine_taken_yesterday_evening_still_counts_tonight(kb):
    """Mitragynine's half-life is a day or more: last night's as-needed medicine still meets
    tonight's kratom (patterns.toml [carry_over], 48 h before tonight's target bedtime)."""
    med = Medicine("zolpidem", regimen="as_needed")
    yesterday = sub("medicine", "Zolpidem", night=TONIGHT - timedelta(days=1))
    found = medicines.check(ctx(medicines=[med], substances=[yesterday]), kb)
    assert rules(found) == {"medicine.z_drug"}
    assert "within the 48 hours" in found[0].explanation
    found = medicines.check(ctx(substances=[sub("other", "grapefruit juice",
                                                night=TONIGHT - timedelta(days=1))]), kb)
    assert rules(found) == {"medicine.cyp3a_inhibitor"}


def test_a_drink_typed_as_other_counts_tonight_but_does_not_carry_over(kb):
    found = medicines.check(ctx(substances=[sub("other", "wine")]), kb)
    assert [(f.rule, f.severity) for f in found] == [("medicine.alcohol", "danger")]
    yesterday = sub("other", "wine", night=TONIGHT - timedelta(days=1))
    assert medicines.check(ctx(substances=[yesterday]), kb) == []


def test_carry_over_window_is_48_hours_before_bedtime(kb):
    bedtime = ctx().bedtime_tonight()
    inside = replace(sub("medicine", "Benadryl", night=TONIGHT - timedelta(days=2)),
                     at=bedtime - timedelta(hours=47, minutes=50))
    outside = replace(inside, at=bedtime - timedelta(hours=48, minutes=10))
    assert rules(medicines.check(ctx(substances=[inside]), kb)) == {
        "medicine.sedating_antihistamine"}
    assert medicines.check(ctx(substances=[outside]), kb) == []


def test_naloxone_logged_is_never_more_than_caution(kb):
    found = medicines.check(ctx(medicines=[Medicine("Narcan", regimen="as_needed")],
                                substances=[sub("medicine", "Narcan")]), kb)
    assert [f.rule for f in found] == ["medicine.naloxone_rescue"]
    assert found[0].severity in ("info", "caution") and "overdose" in found[0].explanation


def test_medicine_without_relevant_class_gives_no_finding(kb):
    assert medicines.check(ctx(medicines=[Medicine("ibuprofen")]), kb) == []


def test_unknown_medicine_is_reported_with_suggestions(kb):
    found = medicines.check(ctx(medicines=[Medicine("Zolpidm")]), kb)
    assert found[0].rule == "medicine.unknown"
    assert "unknown" in found[0].explanation and "zolpidem" in found[0].explanation


def test_unknown_other_substance_is_not_reported(kb):
    assert medicines.check(ctx(substances=[sub("other", "chamomile tea")]), kb) == []


# ---------------------------------------------------------------- conditions
@pytest.mark.parametrize(("name", "rule", "severity"), [
    ("Obstructive sleep apnea", "condition.breathing", "warning"),
    ("fatty liver", "condition.liver", "warning"),
    ("Long QT syndrome", "condition.heart_rhythm", "warning"),
    ("epilepsy", "condition.seizure", "warning"),
    ("pregnant", "condition.pregnancy", "danger"),
    ("breastfeeding", "condition.breastfeeding", "warning"),
    ("opioid use disorder (in recovery)", "condition.substance_use_disorder", "warning"),
    ("CKD stage 3", "condition.kidney", "info"),
    ("history of psychosis", "condition.psychiatric", "warning"),
    ("Bipolar disorder", "condition.psychiatric", "warning"),
])
def test_condition_fires(kb, name, rule, severity):
    found = conditions.check(ctx(conditions=[Condition(name)]), kb)
    assert [(f.rule, f.severity) for f in found] == [(rule, severity)]


def test_unrelated_condition_is_quiet(kb):
    assert conditions.check(ctx(conditions=[Condition("hay fever")]), kb) == []


# ---------------------------------------------------------------- products
def _pc(product, batch=None):
    i = intake(product_id=product.id, batch_id=batch.id if batch else None)
    return ctx(products=[product], batches=[batch] if batch else [], planned=i)


def _good_batch(**kw):
    return Batch(product_id=1, id=5, mitragynine_pct=1.5, seven_oh_pct=0.01, heavy_metals="pass",
                 microbial="pass", pesticides="pass", **kw)


def test_plain_leaf_with_clean_lab_results_is_quiet(kb):
    assert products.check(_pc(Product("Red Bali", id=1), _good_batch()), kb) == []


def test_seven_oh_share_above_the_mississippi_limit(kb):
    b = replace(_good_batch(), seven_oh_pct=0.03)  # 0.03 / 1.53 = 1.96 % of measured alkaloids
    found = products.check(_pc(Product("Red Bali", id=1), b), kb)
    assert rules(found) == {"product.seven_oh_share"}  # 0.03 % of dry weight is under 0.04 %
    assert "2.0 %" in found[0].title and "Mississippi" in found[0].explanation


def test_seven_oh_by_dry_weight_above_the_florida_limit(kb):
    b = replace(_good_batch(), mitragynine_pct=8.0, seven_oh_pct=0.06)  # 0.74 % share
    found = products.check(_pc(Product("Bali", id=1), b), kb)
    assert rules(found) == {"product.seven_oh_weight"}
    assert "600 ppm" in found[0].explanation and "Florida" in found[0].explanation


def test_seven_oh_thresholds_come_from_current_rules(kb):
    share, weight = kb.product_rules["seven_oh_share"], kb.product_rules["seven_oh_weight"]
    assert share.threshold_pct == 1.0 and "S26-MS-HB1077" in share.sources
    assert weight.threshold_pct == 0.04 and "S26-FL-2ER25-2" in weight.sources


def test_seven_oh_product_label_is_danger(kb):
    found = products.check(_pc(Product("7-OH tablets", id=1), _good_batch()), kb)
    assert [(f.rule, f.severity) for f in found] == [("product.seven_oh_product", "danger")]


def test_extract_form_is_flagged(kb):
    found = products.check(_pc(Product("Gold", id=1, form="extract"), _good_batch()), kb)
    assert rules(found) == {"product.concentrated_extract"}


def test_batch_without_lab_results(kb):
    found = products.check(_pc(Product("Green Maeng Da", id=1), Batch(product_id=1, id=5)), kb)
    assert rules(found) == {"product.no_lab_results"}


def test_failed_contaminant_test(kb):
    b = replace(_good_batch(), heavy_metals="fail")
    found = products.check(_pc(Product("Red", id=1), b), kb)
    assert rules(found) == {"product.contaminant_failed"} and "heavy metals" in found[0].title


# ---------------------------------------------------------------- ceilings
def test_night_ceiling_exceeded(kb):
    p = Profile(tz=TZ, max_grams_per_night=4)
    found = ceilings.check(ctx(profile=p, intakes=[intake(grams=3)], planned=intake(
        hhmm="22:00", grams=2)), kb)
    assert rules(found) == {"ceiling.night"}


def test_night_ceiling_not_exceeded_says_nothing_about_room_left(kb):
    p = Profile(tz=TZ, max_grams_per_night=4)
    assert ceilings.check(ctx(profile=p, planned=intake(grams=3)), kb) == []


def test_week_ceiling(kb):
    p = Profile(tz=TZ, max_nights_per_week=3)
    assert rules(ceilings.check(ctx(profile=p, intakes=nightly(3), planned=intake()), kb)) == {
        "ceiling.week"}
    assert ceilings.check(ctx(profile=p, intakes=nightly(2), planned=intake()), kb) == []


# ---------------------------------------------------------------- escalation
def _history(recent_g, base_g):
    recent = [intake(TONIGHT - timedelta(days=k), grams=recent_g) for k in range(1, 7)]
    base = [intake(TONIGHT - timedelta(days=k), grams=base_g) for k in range(7, 35)]
    return recent + base


def test_escalation_doubling_is_warning(kb):
    found = escalation.check(ctx(intakes=_history(4, 2), planned=intake(grams=4)), kb)
    assert [(f.rule, f.severity) for f in found] == [("escalation.weekly", "warning")]


def test_escalation_moderate_rise_is_caution(kb):
    found = escalation.check(ctx(intakes=_history(3.2, 2), planned=intake(grams=3.2)), kb)
    assert [f.severity for f in found] == ["caution"]


def test_stable_use_does_not_escalate(kb):
    assert escalation.check(ctx(intakes=_history(2, 2), planned=intake(grams=2)), kb) == []


def test_no_baseline_no_escalation(kb):
    assert escalation.check(ctx(intakes=nightly(6, 5), planned=intake(grams=5)), kb) == []


# ---------------------------------------------------------------- frequency
def test_seven_night_streak_is_caution(kb):
    found = frequency.check(ctx(intakes=nightly(6), planned=intake()), kb)
    assert [(f.rule, f.severity) for f in found] == [("frequency.streak", "caution")]


def test_long_streak_is_warning(kb):
    found = frequency.check(ctx(intakes=nightly(27), planned=intake()), kb)
    assert [f.severity for f in found] == ["warning"]


def test_broken_streak_is_quiet(kb):
    history = [i for i in nightly(10) if i.night != TONIGHT - timedelta(days=3)]
    assert frequency.check(ctx(intakes=history, planned=intake()), kb) == []


def test_many_intakes_per_week(kb):
    many = [intake(TONIGHT - timedelta(days=k), hhmm=h) for k in range(0, 7)
            for h in ("19:00", "21:00", "22:00")]
    found = frequency.check(ctx(intakes=many, planned=intake(hhmm="23:00")), kb)
    assert "frequency.per_week" in rules(found)


# ---------------------------------------------------------------- same night
def test_two_intakes_is_info_three_is_caution(kb):
    two = same_night.check(ctx(intakes=[intake(hhmm="20:00")], planned=intake(hhmm="22:00")), kb)
    assert [f.severity for f in two] == ["info"]
    assert "6 g" in two[0].explanation
    three = same_night.check(ctx(intakes=[intake(hhmm="19:00"), intake(hhmm="20:00")],
                                 planned=intake(hhmm="22:00")), kb)
    assert [f.severity for f in three] == ["caution"]


def test_single_intake_is_quiet(kb):
    assert same_night.check(ctx(planned=intake()), kb) == []


# ---------------------------------------------------------------- timing
def test_after_bedtime(kb):
    p = Profile(tz=TZ, target_bedtime=time(23, 0))
    found = timing.check(ctx(profile=p, planned=intake(hhmm="23:30")), kb)
    assert [(f.rule, f.severity) for f in found] == [("timing.after_bedtime", "caution")]


def test_after_midnight_bedtime(kb):
    p = Profile(tz=TZ, target_bedtime=time(0, 30))
    assert timing.check(ctx(profile=p, planned=intake(hhmm="22:00")), kb) == []
    found = timing.check(ctx(profile=p, planned=intake(hhmm="01:00")), kb)
    assert rules(found) == {"timing.after_bedtime"}


def test_close_to_bedtime(kb):
    p = Profile(tz=TZ, target_bedtime=time(23, 0))
    assert rules(timing.check(ctx(profile=p, planned=intake(hhmm="22:30")), kb)) == {
        "timing.close_to_bedtime"}
    assert timing.check(ctx(profile=p, planned=intake(hhmm="21:00")), kb) == []


# ---------------------------------------------------------------- alcohol
def test_alcohol_with_kratom_is_danger(kb):
    found = depressants.check(ctx(planned=intake(), substances=[sub("alcohol", amount=2,
                                                                    unit="drinks")]), kb)
    assert [(f.rule, f.severity) for f in found] == [("depressant.alcohol", "danger")]
    assert "2 drink" in found[0].explanation


def test_alcohol_without_kratom_or_on_another_night_is_quiet(kb):
    assert depressants.check(ctx(substances=[sub("alcohol")]), kb) == []
    other = sub("alcohol", night=TONIGHT - timedelta(days=1))
    assert depressants.check(ctx(planned=intake(), substances=[other]), kb) == []


# ---------------------------------------------------------------- withdrawal
def _sym(sev, night=TONIGHT, kind="withdrawal", name="restless"):
    return Symptom(at=intake(night).at, tz=TZ, night=night, kind=kind, name=name, severity=sev)


def test_withdrawal_after_regular_use(kb):
    found = withdrawal.check(ctx(intakes=nightly(5), symptoms=[_sym(2)]), kb)
    assert [(f.rule, f.severity) for f in found] == [("withdrawal.after_break", "caution")]
    severe = withdrawal.check(ctx(intakes=nightly(5), symptoms=[_sym(4)]), kb)
    assert [f.severity for f in severe] == ["warning"]


def test_withdrawal_quiet_without_prior_use_or_on_use_nights(kb):
    assert withdrawal.check(ctx(intakes=nightly(1), symptoms=[_sym(3)]), kb) == []
    assert withdrawal.check(ctx(intakes=nightly(5), planned=intake(), symptoms=[_sym(3)]), kb) == []
    assert withdrawal.check(ctx(intakes=nightly(5), symptoms=[_sym(3, kind="side_effect")]),
                            kb) == []


# ---------------------------------------------------------------- legal
def test_banned_region_is_warning_with_sources(kb):
    found = legal.check(ctx(profile=Profile(tz=TZ, region="US-AL")), kb)
    status = [f for f in found if f.rule == "legal.status"][0]
    assert status.severity == "warning" and "banned" in status.title and status.sources


def test_dated_change_applies_from_its_date(kb):
    found = legal.check(ctx(profile=Profile(tz=TZ, region="US-RI")), kb)
    assert "regulated-with-age-limit" in found[0].title and "21" in found[0].explanation
    early = legal.check(ctx(profile=Profile(tz=TZ, region="US-RI"),
                            now=datetime(2026, 1, 1, tzinfo=UTC)), kb)
    assert "banned" in early[0].title and "from 2026-04-01" in early[0].explanation


def test_stale_legal_data(kb):
    assert "legal.stale" in rules(legal.check(ctx(profile=Profile(tz=TZ, region="FR")), kb))
    fresh = legal.check(ctx(profile=Profile(tz=TZ, region="US-OH"),
                            now=datetime(2026, 3, 1, tzinfo=UTC)), kb)
    assert "legal.stale" not in rules(fresh)


def test_uncovered_region_is_unknown(kb):
    found = legal.check(ctx(profile=Profile(tz=TZ, region="NZ")), kb)
    assert found[0].title.endswith("unknown") and "unknown" in found[0].explanation


def test_invalid_or_missing_region(kb):
    assert rules(legal.check(ctx(profile=Profile(tz=TZ, region="XX")), kb)) == {
        "legal.invalid_region"}
    assert rules(legal.check(ctx(profile=Profile(tz=TZ, region=None)), kb)) == {"legal.no_region"}


# ---------------------------------------------------------------- wording, purity
_FORBIDDEN = re.compile(r"\bsafe\b|\bsafely\b|\bsafer\b|you should take|take more|increase your|"
                        r"recommended dose|try \d", re.I)


def test_wording_never_says_safe_or_prescribes(kb):
    everything = ctx(
        profile=Profile(tz=TZ, region="US-RI", max_grams_per_night=1, max_nights_per_week=1),
        medicines=[Medicine(n) for n in ("Xanax", "Seroquel", "tramadol", "unknownium",
                                         "ketoconazole", "Adderall", "naltrexone")],
        conditions=[Condition(n) for n in ("sleep apnea", "pregnant", "CKD")],
        products=[Product("7-OH shot", id=1)], batches=[Batch(product_id=1, id=2)],
        intakes=_history(4, 2), planned=intake(hhmm="23:50", product_id=1, batch_id=2),
        substances=[sub("alcohol")], symptoms=[_sym(3, night=TONIGHT - timedelta(days=1))],
    )
    found = evaluate(everything, kb)
    assert len(found) > 10
    for f in found:
        assert not _FORBIDDEN.search(f.title + " " + f.explanation), f


def test_evaluate_is_pure_and_repeatable(kb):
    c = ctx(medicines=[Medicine("Xanax")], planned=intake())
    assert evaluate(c, kb) == evaluate(c, kb)
    assert NOW.tzinfo is UTC

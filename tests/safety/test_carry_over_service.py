"""The 48-hour carry-over through the service: what was logged yesterday reaches tonight."""

from __future__ import annotations

from datetime import UTC, datetime

from nightleaf.services import Context, journal, safety
from nightleaf.services.inputs import IntakeInput, ProfileInput, SubstanceInput


def _rules(findings: list) -> set[str]:
    return {f.rule for f in findings}


def test_as_needed_medicine_taken_yesterday_evening_counts_tonight(ctx: Context, clock) -> None:
    journal.set_profile(ctx, ProfileInput(tz="Europe/Berlin", region="DE", bedtime="23:00"))
    journal.add_medicine(ctx, "zolpidem", regimen="as_needed")
    clock.now = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)  # Monday 22:00 in Berlin
    journal.log_substance(ctx, SubstanceInput("medicine", name="zolpidem", at="21:45"))
    clock.now = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # Tuesday 20:00
    r = safety.check(ctx, IntakeInput("3g", at="21:00"))
    assert "medicine.z_drug" in _rules(r.findings)


def test_as_needed_medicine_from_three_days_ago_does_not(ctx: Context, clock) -> None:
    journal.set_profile(ctx, ProfileInput(tz="Europe/Berlin", region="DE", bedtime="23:00"))
    journal.add_medicine(ctx, "zolpidem", regimen="as_needed")
    clock.now = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)  # Saturday 22:00
    journal.log_substance(ctx, SubstanceInput("medicine", name="zolpidem", at="21:45"))
    clock.now = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)
    r = safety.check(ctx, IntakeInput("3g", at="21:00"))
    assert "medicine.z_drug" not in _rules(r.findings)


def test_typed_alcohol_reaches_the_alcohol_rule(ctx: Context) -> None:
    reps = safety.interactions(ctx, ["alcohol", "wine", "rifampin", "clarithromycin",
                                     "bupropion", "suvorexant", "Narcan"])
    got = {r.query: (r.known, r.severity, {c["id"] for c in r.classes}) for r in reps}
    assert got["alcohol"] == (True, "danger", {"alcohol"})
    assert got["wine"][2] == {"alcohol"}
    assert "cyp3a_inducer" in got["rifampin"][2]
    assert "cyp3a_inhibitor" in got["clarithromycin"][2]
    assert got["bupropion"][2] == {"seizure_threshold"}
    assert got["suvorexant"][2] == {"orexin_antagonist"}
    assert got["Narcan"][1] in ("info", "caution")

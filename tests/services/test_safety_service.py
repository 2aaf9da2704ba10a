"""Safety findings through the services and the CLI: planned, logged, interactions, legal."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from nightleaf.errors import InputError
from nightleaf.services import Context, journal, safety
from nightleaf.services.inputs import IntakeInput, ProfileInput, SubstanceInput
from tests.support.common import Result


def _rules(findings: list) -> set[str]:
    return {f.rule for f in findings}


def test_a_planned_intake_is_checked_without_saving(ctx: Context) -> None:
    journal.set_profile(ctx, ProfileInput(tz="Europe/Berlin", region="DE", bedtime="23:00"))
    journal.add_medicine(ctx, "oxycodone", "5 mg")
    r = safety.check(ctx, IntakeInput("3g", at="22:40"))
    assert r.planned is not None and r.planned.night.isoformat() == "2026-11-24"
    assert r.findings[0].severity == "danger"
    assert any(f.rule.startswith("medicine.") for f in r.findings)
    with ctx.tx() as repo:
        assert repo.intakes() == []


def test_logging_an_intake_returns_the_findings_for_that_night(ctx: Context) -> None:
    journal.set_profile(ctx, ProfileInput(tz="Europe/Berlin", region="DE", bedtime="23:00"))
    journal.log_substance(ctx, SubstanceInput("alcohol", amount="2", at="19:30"))
    logged = journal.log_intake(ctx, IntakeInput("3g", at="20:30"))
    assert "depressant.alcohol" in _rules(logged.findings)
    assert logged.intake.id is not None


def test_no_medicines_no_danger(ctx: Context) -> None:
    journal.set_profile(ctx, ProfileInput(tz="Europe/Berlin", region="DE", bedtime="23:00"))
    r = safety.check(ctx, IntakeInput("2g", at="21:50"))
    assert all(f.severity != "danger" for f in r.findings)


def test_interactions_of_unknown_names_suggest_close_ones(ctx: Context) -> None:
    (rep,) = safety.interactions(ctx, ["zolpidm"])
    assert not rep.known and "zolpidem" in rep.suggestions
    (rep,) = safety.interactions(ctx, ["Xanax"])
    assert rep.known and rep.name == "alprazolam" and rep.severity == "danger"


def test_interactions_need_a_name(ctx: Context) -> None:
    with pytest.raises(InputError, match="name at least one medicine"):
        safety.interactions(ctx, ["  "])


def test_legal_uses_the_profile_region_or_an_argument(ctx: Context) -> None:
    with pytest.raises(InputError, match="no region"):
        safety.legal(ctx)
    journal.set_profile(ctx, ProfileInput(tz="Asia/Bangkok", region="TH"))
    r = safety.legal(ctx)
    assert r.region == "TH" and r.status and r.status["status"] == "regulated-with-age-limit"
    assert any(f.sources for f in r.findings)
    with pytest.raises(InputError, match="invalid region code"):
        safety.legal(ctx, "US-XX")


def test_check_cli_json_and_danger_rendering(cli: Callable[..., Result]) -> None:
    cli("init", "--tz", "Europe/Berlin", "--region", "DE")
    cli("med", "add", "methadone")
    r = cli("check", "--amount", "3g", "--at", "22:00", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["findings"][0]["severity"] == "danger"
    assert data["findings"][0]["sources"]
    text = cli("check", "--amount", "3g", "--at", "22:00").out
    assert "DANGER" in text and "Nothing has been saved" in text


def test_check_at_without_amount_is_refused(cli: Callable[..., Result]) -> None:
    cli("init", "--tz", "Europe/Berlin", "--no-input")
    r = cli("check", "--at", "22:00")
    assert r.code == 2 and "a time needs an amount" in r.err


def test_log_intake_prints_its_findings(cli: Callable[..., Result]) -> None:
    cli("init", "--tz", "Europe/Berlin", "--region", "DE")
    cli("med", "add", "alprazolam", "--dose", "0.5 mg")
    r = cli("log", "intake", "3g", "--at", "20:30")
    assert r.code == 0 and "DANGER" in r.out and "alprazolam" in r.out


def test_interactions_and_legal_cli(cli: Callable[..., Result]) -> None:
    r = cli("interactions", "percocet", "nothingazol", "--json")
    reps = json.loads(r.out)
    assert reps[0]["known"] and reps[0]["severity"] == "danger"
    assert not reps[1]["known"] and "unknown" in reps[1]["message"]
    r = cli("legal", "GB", "--json")
    assert r.code == 0 and json.loads(r.out)["region"] == "GB"
    r = cli("legal", "UK")
    assert r.code == 2 and "did you mean GB" in r.err


def test_preview_evaluates_the_night_that_would_be_saved(ctx: Context, clock) -> None:
    from datetime import UTC, datetime

    journal.set_profile(ctx, ProfileInput(tz="Europe/Berlin", region="DE", bedtime="23:00"))
    journal.log_substance(ctx, SubstanceInput("alcohol", amount="2", at="20:00"))  # Tuesday evening
    clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 10:00 in Berlin
    p = safety.preview_intake(ctx, IntakeInput("3g", at="21:30"))  # logged the morning after: Tuesday night
    assert p.draft.intake.night.isoformat() == "2026-11-24"
    assert "depressant.alcohol" in _rules(p.findings)  # Tuesday's alcohol, not Wednesday's none
    saved = journal.log_intake(ctx, IntakeInput("3g", at="21:30"))
    assert saved.intake.night == p.draft.intake.night and saved.intake.at == p.draft.intake.at
    with ctx.tx() as repo:
        assert len(repo.intakes()) == 1  # the preview saved nothing

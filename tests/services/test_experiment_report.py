"""The clinician report's self-experiment section: design, adherence and the result with its
uncertainty, in the PDF's text layer and in the HTML."""

from __future__ import annotations

import io
import os
from pathlib import Path

from pypdf import PdfReader

from nightleaf.services import Context
from nightleaf.services import experiments as exp_svc
from nightleaf.services import report as svc
from nightleaf.simulate import simulate_journal


def _seeded(ctx: Context, tmp_path: Path) -> None:
    os.environ.setdefault("MPLCONFIGDIR", str(tmp_path / "mpl"))
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(60, seed=3))


def test_the_report_has_the_experiment_with_its_interval_and_adherence(
        ctx: Context, tmp_path: Path) -> None:
    _seeded(ctx, tmp_path)
    res = exp_svc.result(ctx, 1)
    data = svc.build_report(ctx, "2026-10-01", "2026-11-23")
    assert len(data.experiments) == 1
    html = svc.render_report(ctx, "2026-10-01", "2026-11-23", fmt="html").download.content
    text = html.decode("utf-8")
    assert "Self-experiment: earlier intake" in text
    assert f"on {res['adherence']['matched']} of {res['adherence']['nights']} nights" in text
    assert res["outcomes"][0]["verdict"] in text
    assert "95% credible interval" in text and "Stopped early: simulated stop" in text
    pdf = svc.render_report(ctx, "2026-10-01", "2026-11-23", fmt="pdf").download.content
    layer = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Self-experiment: earlier intake" in layer
    assert "cannot rule out" in layer.replace("\n", " ")


def test_a_period_before_the_experiment_has_no_experiment_section(
        ctx: Context, tmp_path: Path) -> None:
    _seeded(ctx, tmp_path)
    data = svc.build_report(ctx, "2026-10-01", "2026-10-20")
    assert data.experiments == []


def test_the_report_names_a_wearable_source_and_a_30_percent_mid(
        ctx: Context, tmp_path: Path) -> None:
    """A plan whose TST comes from Fitbit (as a restored backup carries it): the design line and
    the effect line say so, and the MID reads in points of the usual pain."""
    import dataclasses
    from datetime import UTC, datetime, timedelta

    from nightleaf.model.entities import SleepEpisode

    os.environ.setdefault("MPLCONFIGDIR", str(tmp_path / "mpl"))
    j = simulate_journal(60, seed=3)
    exp = j.experiments[0]
    j.experiments[0] = dataclasses.replace(exp, source="fitbit", outcome="pain", mid=2.1,
                                           mid_usual=7.0)
    night = exp.start
    while night <= exp.end:
        start = datetime(night.year, night.month, night.day, 4, tzinfo=UTC)
        j.episodes.append(SleepEpisode("fitbit", f"fb-{night}", start,
                                       start + timedelta(hours=8), exp.tz, night,
                                       tst_minutes=430))
        night += timedelta(days=1)
    with ctx.tx() as repo:
        repo.save_journal(j)
    text = svc.render_report(ctx, "2026-10-01", "2026-11-23", fmt="html").download.content.decode()
    assert "smallest difference that matters 2.1 points (30 % of your usual 7.0)" in text
    assert "sleep outcomes from the fitbit (wearable)" in text
    assert "tst (fitbit)" in text

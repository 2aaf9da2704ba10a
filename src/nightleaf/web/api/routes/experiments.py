"""``/api/experiments``: self-experiments, in the shapes of ``nightleaf experiment ... --json``."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.services import experiments as svc
from nightleaf.web.api.common import Body, Ctx, api_router, plain
from nightleaf.web.api.schemas import plain_model, schema

router = api_router(tags=["experiments"])

ExperimentOut = plain_model(svc.ExperimentView)
EstimateOut = schema(
    "ExperimentEstimateOut", "One sensitivity analysis of the primary outcome.",
    analysis=str, effect=float | None, interval=list[float] | None, p_benefit=float | None,
    p_benefit_mid=float | None, p_harm_mid=float | None, verdict=str, n_nights=int,
    message=str | None)
OutcomeOut = schema(
    "ExperimentOutcomeOut", "One outcome: B minus A in its unit, the 95% interval, verdict.",
    metric=str, unit=str, higher_is_better=bool,
    source=(str, Field(description='"diary", a wearable source, or "morning rating" (pain)')),
    mid=float, effect=float | None,
    interval=(list[float] | None, Field(description="[lo, hi], the 95% credible interval")),
    p_benefit=float | None, p_benefit_mid=float | None, p_harm_mid=float | None, verdict=str,
    n_nights=int, note=str | None, message=str | None,
    per_protocol=EstimateOut | None, carry_over=EstimateOut | None)
ResultOut = schema(
    "ExperimentResultOut", "`experiment result ID --json`: final only at the planned end.",
    id=int, name=str, compare=str, a=str, b=str, outcome=str, mid=float,
    source=(str, Field(description='where the sleep outcomes come from: "diary" or a wearable')),
    source_text=str, mid_usual=(float | None, Field(
        description="the usual morning pain a 30% pain MID was taken from")),
    mid_text=str, status=str,
    stopped_reason=str | None, as_of=date, end=date, final=bool, note=str | None,
    analysis=(str, Field(description="the analysis this result uses")),
    analysis_note=(str | None, Field(
        description="set when the plan was registered with an earlier analysis")),
    adherence=dict[str, int], outcomes=list[OutcomeOut],  # type: ignore[valid-type]
    harms=list[dict[str, Any]])
ListOut = list[ExperimentOut]  # type: ignore[valid-type]


class ExperimentIn(Body):
    name: str = Field(max_length=200, examples=["earlier intake"])
    compare: str = Field(max_length=16, examples=["timing"])
    a: str = Field(max_length=200, examples=["60"])
    b: str = Field(max_length=200, examples=["120"])
    period: str | None = Field(None, max_length=8)
    pairs: str | None = Field(None, max_length=8)
    washout: str | None = Field(None, max_length=8)
    outcome: str | None = Field(None, max_length=8)
    mid: str | None = Field(None, max_length=16, examples=["20", "30%"])
    start: str | None = Field(None, max_length=16)
    seed: str | None = Field(None, max_length=24)
    source: str | None = Field(None, max_length=64, examples=["diary", "fitbit"])


class StopIn(Body):
    reason: str = Field(max_length=2000)


@router.get("/experiments", response_model=ListOut)
def api_experiments(ctx: Ctx) -> JSONResponse:
    """Every experiment, oldest first (``experiment list --json``)."""
    return plain(svc.list_experiments(ctx))


@router.post("/experiments", status_code=201, response_model=ExperimentOut)
def api_new_experiment(ctx: Ctx, body: ExperimentIn) -> JSONResponse:
    """Fix a plan (the same checks as ``experiment new``); ``warnings`` carries the withdrawal
    warning for "none"."""
    return plain(svc.create(ctx, svc.ExperimentInput(**body.model_dump())), 201)


@router.get("/experiments/{experiment_id}", response_model=ExperimentOut)
def api_experiment(ctx: Ctx, experiment_id: str) -> JSONResponse:
    return plain(svc.show(ctx, experiment_id))


@router.post("/experiments/{experiment_id}/stop", response_model=ExperimentOut)
def api_stop_experiment(ctx: Ctx, experiment_id: str, body: StopIn) -> JSONResponse:
    return plain(svc.stop(ctx, experiment_id, body.reason))


@router.get("/experiments/{experiment_id}/result", response_model=ResultOut)
def api_experiment_result(ctx: Ctx, experiment_id: str) -> JSONResponse:
    return plain(svc.result(ctx, experiment_id))

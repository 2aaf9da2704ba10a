"""``/api/substances``, ``/api/pain`` and ``/api/sleep``: the other entries of a night."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.model.entities import PainRating, SleepEntry, Substance
from nightleaf.services import journal as journal_svc
from nightleaf.services import nights as nights_svc
from nightleaf.services.inputs import PainInput, SleepInput, SubstanceInput
from nightleaf.sleep.diary import NightMetrics
from nightleaf.web.api.common import Body, Ctx, IfMatch, Text, api_router, plain
from nightleaf.web.api.schemas import plain_model, schema

router = api_router()

SleepOut = schema("SleepOut", "The saved diary entry and that night's metrics.",
                  entry=SleepEntry, metrics=NightMetrics | None)


class SubstanceIn(Body):
    kind: str = Field(max_length=16, examples=["alcohol", "caffeine", "cannabis", "medicine"])
    name: str | None = Field(None, max_length=200)
    amount: str | None = Field(None, max_length=16)
    unit: str | None = Field(None, max_length=32)
    at: str | None = Field(None, max_length=40)
    note: str | None = Text


class PainIn(Body):
    nrs: str = Field(max_length=4, examples=["4"])
    context: str = Field("other", max_length=16, examples=["evening", "morning"])
    at: str | None = Field(None, max_length=40)
    peg_pain: str | None = Field(None, max_length=4)
    peg_enjoyment: str | None = Field(None, max_length=4)
    peg_activity: str | None = Field(None, max_length=4)
    note: str | None = Text


class SleepIn(Body):
    night: str | None = Field(None, max_length=16, description="YYYY-MM-DD; default last night")
    into_bed: str | None = Field(None, max_length=40)
    tried_to_sleep: str | None = Field(None, max_length=40)
    sol: str | None = Field(None, max_length=16)
    awakenings: str | None = Field(None, max_length=16)
    waso: str | None = Field(None, max_length=16)
    final_awakening: str | None = Field(None, max_length=40)
    out_of_bed: str | None = Field(None, max_length=40)
    woke_early: str | None = Field(None, max_length=16)
    quality: str | None = Field(None, max_length=4)
    rested: str | None = Field(None, max_length=4)
    nap_count: str | None = Field(None, max_length=4)
    nap_minutes: str | None = Field(None, max_length=16)
    note: str | None = Text


@router.post("/substances", tags=["tonight"], status_code=201,
             response_model=plain_model(Substance))
def api_log_substance(ctx: Ctx, body: SubstanceIn) -> JSONResponse:
    return plain(journal_svc.log_substance(ctx, SubstanceInput(**body.model_dump())), 201)


@router.post("/pain", tags=["tonight", "morning"], status_code=201,
             response_model=plain_model(PainRating))
def api_log_pain(ctx: Ctx, body: PainIn) -> JSONResponse:
    return plain(journal_svc.log_pain(ctx, PainInput(**body.model_dump())), 201)


@router.post("/sleep", tags=["morning"], status_code=201, response_model=SleepOut)
def api_log_sleep(ctx: Ctx, body: SleepIn, if_match: IfMatch = None) -> JSONResponse:
    """Save (or replace) the sleep-diary entry of one night."""
    s = journal_svc.log_sleep(ctx, SleepInput(**body.model_dump()), version=if_match)
    return plain({"entry": s, "metrics": nights_svc.night_metrics(ctx, s.night)}, 201)

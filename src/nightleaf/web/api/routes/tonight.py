"""``/api/tonight`` and ``/api/morning``: the evening plan and the morning check-in."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.services import plan
from nightleaf.services.inputs import MorningInput
from nightleaf.web.api.common import Body, Ctx, IfMatch, Text, api_router, plain
from nightleaf.web.api.schemas import plain_model

router = api_router()


class MorningIn(Body):
    night: str | None = Field(None, max_length=16)
    into_bed: str | None = Field(None, max_length=40)
    tried_to_sleep: str | None = Field(None, max_length=40)
    sol: str | None = Field(None, max_length=16)
    awakenings: str | None = Field(None, max_length=16)
    waso: str | None = Field(None, max_length=16)
    final_awakening: str | None = Field(None, max_length=40)
    out_of_bed: str | None = Field(None, max_length=40)
    quality: str | None = Field(None, max_length=4)
    rested: str | None = Field(None, max_length=4)
    nrs: str | None = Field(None, max_length=4)
    peg_pain: str | None = Field(None, max_length=4)
    peg_enjoyment: str | None = Field(None, max_length=4)
    peg_activity: str | None = Field(None, max_length=4)
    #: None keeps the morning's saved side effects / withdrawal signs; a list replaces them
    side_effects: list[str] | None = Field(None, max_length=20)
    withdrawal: list[str] | None = Field(None, max_length=20)
    note: str | None = Text


@router.get("/tonight", tags=["tonight"], response_model=plain_model(plan.Tonight))
def api_tonight(ctx: Ctx) -> JSONResponse:
    """Tonight's plan (from your own settings), what is logged so far, and the findings."""
    return plain(plan.tonight(ctx))


@router.post("/morning", tags=["morning"], status_code=201,
             response_model=plain_model(plan.MorningResult))
def api_morning(ctx: Ctx, body: MorningIn, if_match: IfMatch = None) -> JSONResponse:
    """The morning check-in: diary, pain and symptoms saved together, with last night's numbers."""
    return plain(plan.save_morning(ctx, MorningInput(**body.model_dump()), version=if_match),
                 201)

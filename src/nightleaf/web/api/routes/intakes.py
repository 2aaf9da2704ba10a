"""``/api/intakes``: check an intake before saving it, save it, correct it."""

from __future__ import annotations

from fastapi import Path
from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.model.entities import Intake
from nightleaf.model.finding import Finding
from nightleaf.services import journal as journal_svc
from nightleaf.services import safety
from nightleaf.services.entries import update_intake
from nightleaf.services.inputs import IntakeInput
from nightleaf.web.api.common import Body, Ctx, Text, api_router, plain
from nightleaf.web.api.schemas import schema

router = api_router()

_GRAMS = (float | None, Field(description="Plant material in grams; null when unknown"))
IntakeOut = schema("IntakeOut", "An intake and the findings for its night.", intake=Intake,
                   grams=_GRAMS, findings=list[Finding])
IntakeChecked = schema(
    "IntakeChecked", "An intake checked before it is taken or saved, and the findings for its "
    "night as if it were taken.", intake=Intake, grams=_GRAMS, findings=list[Finding],
    planned=(bool, Field(description="The time is still ahead: a planned intake (up to 24 h), "
                         "checked but not savable until it has happened")))
IntakeCorrected = schema("IntakeCorrected", None, intake=Intake, grams=_GRAMS)


class IntakeIn(Body):
    amount: str = Field(max_length=32, examples=["3g", "2 caps", "250ml"])
    at: str | None = Field(None, max_length=40, description="21:30, 2026-11-24 21:30, now")
    product: str | None = Field(None, max_length=200)
    batch: str | None = Field(None, max_length=200)
    capsule_mg: str | None = Field(None, max_length=16)
    tea_grams: str | None = Field(None, max_length=16)
    note: str | None = Text


@router.post("/intakes/check", tags=["tonight"], response_model=IntakeChecked)
def api_check_intake(ctx: Ctx, body: IntakeIn) -> JSONResponse:
    """The intake as it would be saved and its safety findings; nothing is saved. A time up to
    24 hours ahead is a planned intake, checked before it is taken."""
    p = safety.preview_intake(ctx, IntakeInput(**body.model_dump()))
    return plain({"intake": p.draft.intake, "grams": p.draft.intake.grams,
                  "findings": p.findings, "planned": p.planned})


@router.post("/intakes", tags=["tonight"], status_code=201, response_model=IntakeOut)
def api_log_intake(ctx: Ctx, body: IntakeIn) -> JSONResponse:
    """Save an intake; the findings for its night as they stand after it."""
    li = journal_svc.log_intake(ctx, IntakeInput(**body.model_dump()))
    return plain({"intake": li.intake, "grams": li.intake.grams, "findings": li.findings}, 201)


@router.put("/intakes/{intake_id}", tags=["journal"], response_model=IntakeCorrected)
def api_update_intake(ctx: Ctx, body: IntakeIn,
                      intake_id: int = Path(ge=1, le=2**62)) -> JSONResponse:
    """Correct an intake (all values are given again; ``at`` is required)."""
    i = update_intake(ctx, intake_id, IntakeInput(**body.model_dump()))
    return plain({"intake": i, "grams": i.grams})

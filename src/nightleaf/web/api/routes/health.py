"""``/api/medicines`` and ``/api/conditions``, each with its interaction findings."""

from __future__ import annotations

from fastapi import Path
from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.model.entities import Condition, Medicine
from nightleaf.model.finding import Finding
from nightleaf.services import checks
from nightleaf.services import journal as journal_svc
from nightleaf.web.api.common import Body, Ctx, Text, api_router, plain
from nightleaf.web.api.schemas import plain_model, schema

router = api_router(tags=["health"])

_FINDINGS = (list[Finding] | None, Field(description="null without the safety engine"))
MedicinesOut = schema("MedicinesOut", None, medicines=list[schema(  # type: ignore[misc]
    "MedicineWithFindings", None, medicine=Medicine, findings=_FINDINGS)])
ConditionsOut = schema("ConditionsOut", None, conditions=list[schema(  # type: ignore[misc]
    "ConditionWithFindings", None, condition=Condition, findings=_FINDINGS)])


class MedicineIn(Body):
    name: str = Field(max_length=200, examples=["sertraline"])
    dose_text: str | None = Field(None, max_length=200)
    regimen: str = Field("regular", max_length=16, examples=["regular", "as_needed"])


class ConditionIn(Body):
    name: str = Field(max_length=200)
    note: str | None = Text


@router.get("/medicines", response_model=MedicinesOut)
def api_medicines(ctx: Ctx) -> JSONResponse:
    """Medicines, each with its interaction findings (``null`` without the safety engine)."""
    meds = journal_svc.list_medicines(ctx)
    found = checks.medicine_findings(ctx)
    return plain({"medicines": [{"medicine": m, "findings": None if found is None
                                 else found.get(m.id or 0, [])} for m in meds]})


@router.post("/medicines", status_code=201, response_model=plain_model(Medicine))
def api_add_medicine(ctx: Ctx, body: MedicineIn) -> JSONResponse:
    return plain(journal_svc.add_medicine(ctx, body.name, body.dose_text, body.regimen), 201)


@router.delete("/medicines/{med_id}", response_model=plain_model(Medicine))
def api_remove_medicine(ctx: Ctx, med_id: int = Path(ge=1, le=2**62)) -> JSONResponse:
    return plain(journal_svc.remove_medicine(ctx, str(med_id)))


@router.get("/conditions", response_model=ConditionsOut)
def api_conditions(ctx: Ctx) -> JSONResponse:
    conds = journal_svc.list_conditions(ctx)
    found = checks.condition_findings(ctx)
    return plain({"conditions": [{"condition": c, "findings": None if found is None
                                  else found.get(c.id or 0, [])} for c in conds]})


@router.post("/conditions", status_code=201, response_model=plain_model(Condition))
def api_add_condition(ctx: Ctx, body: ConditionIn) -> JSONResponse:
    return plain(journal_svc.add_condition(ctx, body.name, body.note), 201)


@router.delete("/conditions/{cond_id}", response_model=plain_model(Condition))
def api_remove_condition(ctx: Ctx, cond_id: int = Path(ge=1, le=2**62)) -> JSONResponse:
    return plain(journal_svc.remove_condition(ctx, str(cond_id)))

"""``/api/safety``, ``/api/check``, ``/api/interactions`` and ``/api/legal``: what the
knowledge base says, with sources (the CLI's ``check``, ``interactions`` and ``legal``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import Field, StringConstraints

from nightleaf.model import clock
from nightleaf.model.finding import Finding
from nightleaf.services import safety
from nightleaf.services.inputs import IntakeInput
from nightleaf.web.api.common import Ctx, Out, api_router, plain
from nightleaf.web.api.schemas import plain_model, schema

router = api_router(tags=["safety"])
Name = Annotated[str, StringConstraints(max_length=200)]

SafetyOut = schema("SafetyOut", "Every finding for a night, with its sources.", night=date,
                   findings=list[Finding])


class SourceOut(Out):
    title: str
    url: str | None


class LocalityOut(Out):
    name: str
    status: str
    notes: str | None
    as_of: str | None


class LegalStatusOut(Out):
    """The legal status of a region (``covered: false``: nightleaf has no sourced entry)."""

    code: str
    name: str
    covered: bool
    status: str
    age_limit: int | None
    seven_oh: str | None
    effective: str
    notes: str | None
    as_of: str | None
    next_change: str | None
    sources: list[SourceOut]
    localities: list[LocalityOut]
    parent: LegalStatusOut | None = Field(description="The country's status, for a subdivision")


LegalOut = schema("LegalOut", "The legal status for a region, with its findings.",
                  region=str | None, status=LegalStatusOut | None, findings=list[Finding])


@router.get("/safety", response_model=SafetyOut)
def api_safety(ctx: Ctx, night: date | None = None) -> JSONResponse:
    """Every finding for ``night`` (default tonight) with its sources."""
    n = night or clock.tonight(ctx.now(), ctx.profile().tz)
    return plain({"night": n, "findings": safety.findings_for_night(ctx, n)})


@router.get("/check", response_model=plain_model(safety.CheckResult))
def api_check(ctx: Ctx, amount: str | None = Query(None, max_length=32),
              at: str | None = Query(None, max_length=40),
              product: str | None = Query(None, max_length=200),
              batch: str | None = Query(None, max_length=200),
              capsule_mg: str | None = Query(None, max_length=16)) -> JSONResponse:
    """Findings for tonight, as logged or with a planned intake (``nightleaf check``); nothing
    is saved."""
    return plain(safety.check(ctx, IntakeInput(amount=amount or "", at=at, product=product,
                                               batch=batch, capsule_mg=capsule_mg)))


@router.get("/interactions", response_model=list[plain_model(safety.MedicineReport)])  # type: ignore[misc]
def api_interactions(ctx: Ctx, name: Annotated[list[Name], Query(min_length=1, max_length=20)]
                     ) -> JSONResponse:
    """What nightleaf's sources say about these medicines with kratom (``?name=a&name=b``)."""
    return plain(safety.interactions(ctx, name))


@router.get("/legal", response_model=LegalOut)
def api_legal(ctx: Ctx, region: str | None = Query(None, max_length=16)) -> JSONResponse:
    """The legal status for ``region`` (default: the profile's), with its findings."""
    return plain(safety.legal(ctx, region))

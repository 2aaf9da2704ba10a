"""``/api/profile``: time zone, region, bedtime and limits."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.model.entities import Profile
from nightleaf.services import journal as journal_svc
from nightleaf.services.inputs import ProfileInput
from nightleaf.web.api.common import Body, Ctx, api_router, plain
from nightleaf.web.api.schemas import schema

router = api_router(tags=["settings"])

ProfileOut = schema("ProfileOut", "The profile, and whether it has been saved yet.",
                    profile=Profile, saved=bool)


class ProfileIn(Body):
    tz: str | None = Field(None, max_length=64, examples=["Europe/Berlin"])
    region: str | None = Field(None, max_length=16, examples=["US-CA"])
    bedtime: str | None = Field(None, max_length=16, examples=["23:00"])
    lead: str | None = Field(None, max_length=16, examples=["60"])
    wake: str | None = Field(None, max_length=16, examples=["07:00"])
    max_grams: str | None = Field(None, max_length=16)
    max_nights: str | None = Field(None, max_length=16)
    work_days: str | None = Field(None, max_length=64, examples=["mon,tue,wed,thu,fri"])
    name: str | None = Field(None, max_length=200)


@router.get("/profile", response_model=ProfileOut)
def api_profile(ctx: Ctx) -> JSONResponse:
    return plain({"profile": ctx.profile(), "saved": ctx.has_profile()})


@router.put("/profile", response_model=ProfileOut)
def api_set_profile(ctx: Ctx, body: ProfileIn) -> JSONResponse:
    """Change the profile (only the fields given)."""
    p = journal_svc.init_journal(ctx, ProfileInput.from_mapping(body.model_dump()))
    return plain({"profile": p, "saved": True})

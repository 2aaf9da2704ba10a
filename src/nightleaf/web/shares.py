"""Server mode's sharing routes: share links (``/api/shares``, ``/s/{token}/...``), clinician
follows (``/api/follows``) and a clinician's read-only view (``/api/people/{id}/nights``).

A token appears only in the response that creates it and in the link's own path; the audit trail
and logs name the share by its public id, never by its token.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from nightleaf.errors import NotFound
from nightleaf.services import Context, audit
from nightleaf.services import nights as nights_svc
from nightleaf.services import shares as svc
from nightleaf.services.accounts import Refused
from nightleaf.services.report import build_report
from nightleaf.web.api.common import plain
from nightleaf.web.auth import SignedDep, require_json
from nightleaf.web.deps import NO_JOURNAL

api = APIRouter(prefix="/api", tags=["sharing"])
links = APIRouter(prefix="/s", tags=["sharing"])


class ShareIn(BaseModel):
    scope: str = Field(pattern="^(report|journal)$")
    period_start: date | None = None
    period_end: date | None = None
    days: int = Field(svc.DEFAULT_DAYS, ge=1, le=svc.MAX_DAYS)
    max_uses: int | None = Field(None, ge=1, le=10_000)
    label: str | None = Field(None, max_length=200)


class ShareOut(BaseModel):
    id: str
    scope: str
    period_start: date | None
    period_end: date | None
    label: str | None
    expires_at: datetime
    max_uses: int | None
    uses: int
    revoked_at: datetime | None


class NewShareOut(ShareOut):
    token: str
    url: str


class FollowIn(BaseModel):
    email: str = Field(max_length=320)


class FollowOut(BaseModel):
    clinician_id: int
    email: str
    since: datetime


def _base(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


def _person(me: Any) -> int:
    if not me.account.person_id:
        raise Refused(NO_JOURNAL.format(role=me.account.role))
    return int(me.account.person_id)


def _audit(request: Request, me: Any, action: str, count: int = 1) -> None:
    """The audit row of a sharing read or change (its own transaction, after the work; if it
    cannot be written the request fails)."""
    base = _base(request)
    audit.record(base.store, _person(me),
                 audit.Actor(me.account.id, "session",
                             request.client.host if request.client else None),
                 action=action, obj=request.url.path, outcome="ok", at=base.now(), count=count)


def _out(row: Any) -> dict[str, Any]:
    return {k: getattr(row, k) for k in ShareOut.model_fields}


@api.post("/shares", status_code=201, response_model=NewShareOut,
          dependencies=[Depends(require_json)])
def create_share(body: ShareIn, me: SignedDep, request: Request) -> NewShareOut:
    """A share link for a clinician; the token is in this answer only."""
    base = _base(request)
    new = svc.create_share(base.store, _person(me), scope=body.scope, now=base.now(),
                           period_start=body.period_start, period_end=body.period_end,
                           days=body.days, max_uses=body.max_uses, label=body.label)
    kind = "report" if new.share.scope == "report" else "nights"
    _audit(request, me, "write")
    return NewShareOut(**_out(new.share), token=new.token, url=f"/s/{new.token}/{kind}")


@api.get("/shares", response_model=list[ShareOut])
def list_shares(me: SignedDep, request: Request) -> list[ShareOut]:
    found = svc.list_shares(_base(request).store, _person(me))
    _audit(request, me, "read", len(found))
    return [ShareOut(**_out(s)) for s in found]


@api.delete("/shares/{share_id}", status_code=204)
def revoke_share(me: SignedDep, request: Request,
                 share_id: str = Path(max_length=32)) -> Response:
    """Revoke a link: the next request with it is refused."""
    base = _base(request)
    svc.revoke_share(base.store, _person(me), share_id, now=base.now())
    _audit(request, me, "write")
    return Response(status_code=204)


@api.post("/follows", status_code=201, response_model=FollowOut,
          dependencies=[Depends(require_json)])
def invite(body: FollowIn, me: SignedDep, request: Request) -> FollowOut:
    """Let a clinician account follow your journal read-only (until you end it)."""
    base = _base(request)
    cid = svc.invite_clinician(base.store, _person(me), body.email, now=base.now())
    _audit(request, me, "write")
    return FollowOut(clinician_id=cid, email=body.email.strip().lower(), since=base.now())


@api.get("/follows", response_model=list[FollowOut])
def follows(me: SignedDep, request: Request) -> list[FollowOut]:
    found = svc.followers(_base(request).store, _person(me))
    _audit(request, me, "read", len(found))
    return [FollowOut(clinician_id=c, email=e, since=s) for c, e, s in found]


@api.delete("/follows/{clinician_id}", status_code=204)
def end_follow(me: SignedDep, request: Request,
               clinician_id: int = Path(ge=1, le=2**31 - 1)) -> Response:
    base = _base(request)
    svc.end_follow(base.store, _person(me), clinician_id, now=base.now())
    _audit(request, me, "write")
    return Response(status_code=204)


def _scoped(request: Request, person_id: int, actor: audit.Actor, obj: str) -> Context:
    base = _base(request)
    return dataclasses.replace(base, person_id=person_id, on_commit=audit.writer(
        actor, method="GET", obj=obj, clock=base.now))


def _nights(ctx: Context, first: date | None, last: date | None,
            days: int) -> JSONResponse:
    start, end = nights_svc.night_range(ctx, first.isoformat() if first else None,
                                        last.isoformat() if last else None, days)
    return plain({"from": start, "to": end, "nights": nights_svc.list_nights(ctx, start, end)})


@api.get("/people/{person_id}/nights")
def followed_nights(me: SignedDep, request: Request, person_id: int = Path(ge=1, le=2**31 - 1),
                    days: int = Query(14, ge=1, le=366)) -> JSONResponse:
    """A followed person's nights, read-only (clinicians); anyone else: 404."""
    base = _base(request)
    if me.account.role != "clinician" or not svc.may_follow(base.store, me.account.id,
                                                            person_id):
        raise NotFound(f"nothing at /api/people/{person_id}/nights")
    actor = audit.Actor(me.account.id, "session", request.client.host if request.client else None)
    return _nights(_scoped(request, person_id, actor, f"/api/people/{person_id}/nights"),
                   None, None, days)


def _limit(request: Request) -> None:
    """The link endpoints are throttled per address (guessing tokens is hopeless at 256 bits,
    but a flood still costs database round trips)."""
    request.app.state.share_limit.hit(request.client.host if request.client else "?")


def _share_actor(request: Request, share_id: str) -> audit.Actor:
    return audit.Actor(None, "share", request.client.host if request.client else None,
                       share_id=share_id)


@links.get("/{token}/nights")
def shared_nights(request: Request, token: str = Path(max_length=100)) -> JSONResponse:
    """A read-only journal link: the nights of its period (or the last 14)."""
    base = _base(request)
    _limit(request)
    row = svc.use_share(base.store, token, scope="journal", now=base.now())
    ctx = _scoped(request, row.person_id, _share_actor(request, row.id), f"/s/{row.id}/nights")
    return _nights(ctx, row.period_start, row.period_end, 14)


@links.get("/{token}/report")
def shared_report(request: Request, token: str = Path(max_length=100)) -> JSONResponse:
    """A report link: the clinician report of its period, as JSON."""
    base = _base(request)
    _limit(request)
    row = svc.use_share(base.store, token, scope="report", now=base.now())
    # the link was checked (and its use counted) on the primary; the report reads the replica
    ctx = _scoped(request, row.person_id, _share_actor(request, row.id),
                  f"/s/{row.id}/report").reader()
    data = build_report(ctx, row.period_start.isoformat() if row.period_start else None,
                        row.period_end.isoformat() if row.period_end else None)
    return plain(data)


def register(app: FastAPI) -> None:
    app.include_router(api)
    app.include_router(links)

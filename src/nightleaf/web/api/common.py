"""What every ``/api`` router shares: the error schema, request bodies' base, the context
dependency and the one way a route answers with domain objects (:func:`plain`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from nightleaf.model.plain import dumps
from nightleaf.services import Context
from nightleaf.web.deps import request_context
from nightleaf.web.security import require_api_csrf

#: a route's context: ``ctx: Ctx`` (the request's journal, clock and person)
Ctx = Annotated[Context, Depends(request_context)]
#: the version of the night the client saw (``GET /api/nights/{night}``'s ETag); a save whose
#: night changed since answers 409 instead of overwriting the other edit
IfMatch = Annotated[str | None, Header(max_length=100, description="The night's ETag from "
                                       "GET /api/nights/{night}: 409 if it changed since")]


class ErrorOut(BaseModel):
    error: str = Field(description="What is wrong and how to fix it")
    field: str | None = Field(None, description="The input the message is about, when one is")


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": desc} for code, desc in (
        (400, "Bad request"),
        (403, "CSRF check failed; in server mode also an account with no journal of its own"),
        (404, "Not found"),
        (409, "Conflicts with what is stored"), (422, "Invalid input"),
        (503, "The journal is busy or unreachable; try again after Retry-After seconds"))}


class Body(BaseModel):
    """A request body: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response written for the API (not derived from a domain dataclass)."""

    model_config = ConfigDict(extra="forbid")


Text = Field(None, max_length=500)


class PlainResponse(JSONResponse):
    """A ``JSONResponse`` of a domain value, encoded by :func:`~nightleaf.model.plain.dumps`:
    the JSON value ``JSONResponse(to_plain(value))`` would send, with the same headers."""

    def render(self, content: Any) -> bytes:
        return dumps(content)


def plain(value: Any, status_code: int = 200) -> JSONResponse:
    """Answer with ``value`` as :func:`~nightleaf.model.plain.to_plain` renders it, which is
    exactly what the CLI's ``--json`` prints. The route's ``response_model`` documents this
    shape (the schemas in :mod:`nightleaf.web.api.schemas.plain` are derived from the same
    dataclasses); ``tests/web/test_openapi.py`` checks every answer against it."""
    return PlainResponse(value, status_code=status_code)


def api_router(**kw: Any) -> APIRouter:
    """A resource's router: under ``/api``, CSRF-checked, with the error responses documented.
    (Each carries the prefix itself, so its routes' paths are the full ones.)"""
    return APIRouter(prefix="/api", dependencies=[Depends(require_api_csrf)], responses=ERRORS,
                     **kw)

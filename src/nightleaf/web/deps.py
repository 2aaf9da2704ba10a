"""FastAPI dependencies: what a route needs from the request (``Annotated[..., Depends()]``)."""

from __future__ import annotations

from fastapi import Request

from nightleaf.services import Context


def get_context(request: Request) -> Context:
    return request.app.state.ctx  # type: ignore[no-any-return]

"""Dependencies of the routes: the request's :class:`~nightleaf.services.Context`.

Routes take it as ``ctx: CtxDep`` (``Annotated[Context, Depends(get_context)]``). Today the app
serves one person, so this is the app's context; server mode will sign the person in here and
return a context scoped to them, without any route changing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from nightleaf.services import Context


def get_context(request: Request) -> Context:
    """The context of the request: the app's journal, clock and person. In server mode, the
    signed-in person's (set by :class:`nightleaf.web.auth.SessionGate`)."""
    if getattr(request.app.state, "multi_user", False):
        # nobody signed in: the gate lets only public paths through, and the app's own context
        # is person 0, whose transactions row-level security shows nothing
        scoped: Context = getattr(request.state, "nl_ctx", None) or request.app.state.ctx
        return scoped
    ctx: Context = request.app.state.ctx
    return ctx


CtxDep = Annotated[Context, Depends(get_context)]

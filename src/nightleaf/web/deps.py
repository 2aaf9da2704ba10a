"""Dependencies of the routes: the request's :class:`~nightleaf.services.Context`.

Routes take it as ``ctx: CtxDep`` (``Annotated[Context, Depends(request_context)]``). The
single-person app gives every request the app's context. In server mode the session gate
(:class:`nightleaf.web.auth.SessionGate`) signs the person in and puts a context scoped to them
on the request; this dependency is the one place that refuses a request with no journal behind
it, so no route ever runs on somebody else's journal or on none:

- nobody signed in: 401 (the gate already answers that for every non-public path; this is the
  backstop for a public path that asks for a journal);
- a clinician or admin account (no journal of its own): 403, one line saying what the account
  can open instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from nightleaf.services import Context
from nightleaf.services.accounts import NotSignedIn, Refused

#: what a clinician or admin account sees on a journal route
NO_JOURNAL = ("this {role} account has no journal of its own; journals are opened by the person "
              "who keeps them (clinicians: /api/people/ID/nights of those who let you follow)")


def get_context(request: Request) -> Context:
    """The context of the request: the app's journal, clock and person. In server mode, the
    signed-in person's (set by :class:`nightleaf.web.auth.SessionGate`), or a clean refusal."""
    if getattr(request.app.state, "multi_user", False):
        scoped: Context | None = getattr(request.state, "nl_ctx", None)
        if scoped is not None:
            return scoped
        signed = getattr(request.state, "signed_in", None)
        if signed is None:
            raise NotSignedIn("sign in first (POST /api/session)")
        raise Refused(NO_JOURNAL.format(role=signed.account.role))
    ctx: Context = request.app.state.ctx
    return ctx


async def request_context(request: Request) -> Context:
    """:func:`get_context` as the routes' dependency: ``async``, so FastAPI calls it on the event
    loop instead of sending a plain attribute look-up through the thread pool (a thread hop per
    request); it does no I/O."""
    return get_context(request)


CtxDep = Annotated[Context, Depends(request_context)]

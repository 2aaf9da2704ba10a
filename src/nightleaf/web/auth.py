"""Server mode's sign-in: the session gate, ``/api/session``, ``/api/sessions``, the sessions page.

Only in ``create_app(multi_user=True)``; the single-person app never mounts any of this.

- :class:`SessionGate` (ASGI middleware) reads the ``nl_session`` cookie once per request, finds
  the live session (idle and absolute timeouts checked server-side) and puts the request's
  :class:`~nightleaf.services.Context` — scoped to the signed-in person — on the request state,
  where :func:`nightleaf.web.deps.get_context` finds it. Anything but the public paths without a
  session is 401 (``/api``) or a redirect to ``/sign-in`` (pages).
- ``POST /api/session`` takes JSON only, makes a brand-new session id on every sign-in (no
  fixation) and sets it HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS (as
  uvicorn reports it: ``X-Forwarded-Proto`` counts only from ``--forwarded-allow-ips``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import time
from datetime import datetime
from typing import Annotated, Any

import anyio
from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nightleaf.errors import Busy, NightleafError, StoreError, StoreUnavailable
from nightleaf.services import Context, audit
from nightleaf.services import accounts as acc
from nightleaf.services.context import RequestTx, in_request
from nightleaf.services.throttle import RateLimit, SharedSignInThrottle, SignInThrottle
from nightleaf.web.deps import NO_JOURNAL
from nightleaf.web.render import page, redirect
from nightleaf.web.security import require_csrf

log = logging.getLogger("nightleaf.server")
SESSION_COOKIE = "nl_session"
#: reachable without a session
PUBLIC = ("/healthz", "/readyz", "/static/", "/sign-in", "/api/session", "/s/")
SHARE_PATH = re.compile(r"^/s/[^/]+")
#: refusals that get an audit row of their own
REFUSED = frozenset({401, 403, 404})


class UnsupportedMediaType(NightleafError):
    status_code = 415


class SessionGate:
    """ASGI middleware: the signed-in account and the person's context, or no entry."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._slots: anyio.Semaphore | None = None

    async def _open(self, base: Context, token: str, now: datetime) -> acc.OpenedRequest:
        """The session look-up, which for a person's account opens the request's held
        transaction. At most ``store.held_limit`` requests hold one at once: the others wait
        here (without a thread) for a slot, released by :meth:`_release`."""
        if self._slots is None:
            self._slots = anyio.Semaphore(base.store.held_limit)
        await self._slots.acquire()
        try:
            opened = await to_thread.run_sync(
                lambda: acc.open_request(base.store, token, now=now))
        except BaseException:
            self._slots.release()
            raise
        if opened.held is None:
            self._slots.release()
        return opened

    @staticmethod
    def _unavailable(exc: StoreError) -> Response:
        """The database failed the session look-up: one line, no driver detail (which names
        hosts and ports) -- that goes to the operator's log."""
        log.warning(json.dumps({"event": "session_lookup_failed", "error": type(exc).__name__,
                                "detail": exc.message}))
        retry = getattr(exc, "retry_after", None)
        if isinstance(exc, Busy):
            message = exc.message
        elif isinstance(exc, StoreUnavailable):
            message = ("the journal database cannot be reached just now; nothing was saved. "
                       "Try again in a moment")
        else:
            message = "the journal database refused the request; nothing was saved"
        return JSONResponse({"error": message, "field": None}, status_code=exc.status_code,
                            headers={"Retry-After": str(retry)} if retry is not None else None)

    def _release(self) -> None:
        assert self._slots is not None
        self._slots.release()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        base: Context = request.app.state.ctx
        token = request.cookies.get(SESSION_COOKIE)
        now = base.now()
        opened = acc.OpenedRequest(None)
        if token:  # the session look-up opens the request's one transaction (a person's)
            try:
                opened = await self._open(base, token, now)
            except StoreError as exc:  # outside the app's error handlers: answer it here
                await self._unavailable(exc)(scope, receive, send)
                return
        signed = opened.signed
        state = scope.setdefault("state", {})
        state["signed_in"] = signed
        path = SHARE_PATH.sub("/s/<token>", scope["path"])  # a token never reaches the log
        actor = audit.Actor(signed.account.id if signed else None,
                            "session" if signed else "anonymous",
                            request.client.host if request.client else None)
        person = signed.account.person_id or 0 if signed else 0
        rt: RequestTx | None = None
        if signed is not None and signed.account.person_id:  # clinicians, admins: no journal
            hook = audit.writer(actor, method=scope["method"], obj=path, clock=base.now)
            state["nl_ctx"] = dataclasses.replace(base, person_id=person, on_commit=hook)
            if opened.held is not None:
                rt = RequestTx(opened.held, person, hook, touch=opened.touch)
        if signed is None and not any(scope["path"] == p or (p.endswith("/") and scope["path"].startswith(p))
                                      for p in PUBLIC):
            if path.startswith("/api/"):
                resp: Response = JSONResponse(
                    {"error": "sign in first (POST /api/session)", "field": None},
                    status_code=401)
                await to_thread.run_sync(lambda: audit.record(
                    base.store, 0, actor, action=audit.action_of(scope["method"]), obj=path,
                    outcome="denied", at=now))
            else:
                resp = RedirectResponse("/sign-in", status_code=303)
            await resp(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = []

        async def logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        try:
            if rt is None:
                await self.app(scope, receive, self._audit_refusals(logged, base, person, actor,
                                                                    scope))
            else:
                with in_request(rt):
                    await self.app(scope, receive, self._finishing(logged, rt, actor, scope,
                                                                   base))
        finally:
            if rt is not None:
                try:
                    if not rt.finished:  # no answer passed the gate: an error
                        await to_thread.run_sync(rt.abandon)
                finally:
                    self._release()
            # one JSON line per request: no query string, no body, tokens masked, so no health
            # data and no secret reaches the log
            log.info(json.dumps({"event": "request", "method": scope["method"], "path": path,
                                 "status": status[0] if status else None,
                                 "ms": round((time.perf_counter() - started) * 1000, 1),
                                 "account": actor.account_id}))

    @staticmethod
    def _finishing(send: Send, rt: RequestTx, actor: audit.Actor, scope: Scope,
                   base: Context) -> Send:
        """Just before the answer of a person's request leaves: its audit row (and the row of
        a refusal: 401/403/404), then the commit of the request's transaction. If either
        fails, nothing the request did is kept and the answer is replaced by a one-line error
        (the route's body, which may hold the person's data, is dropped)."""
        replaced = False

        async def wrapped(message: Message) -> None:
            nonlocal replaced
            if replaced:  # the route's body after a replaced start: dropped
                return
            if message["type"] == "http.response.start":
                refused = None
                if message["status"] in REFUSED:
                    refused = audit.writer(actor, method=scope["method"],
                                           obj=SHARE_PATH.sub("/s/<token>", scope["path"]),
                                           clock=base.now, outcome="denied", count=0)
                try:
                    await to_thread.run_sync(lambda: rt.finish(refused))
                except NightleafError as exc:
                    replaced = True
                    log.error(json.dumps({"event": "request_not_recorded",
                                          "error": type(exc).__name__}))
                    retry = getattr(exc, "retry_after", None)
                    code = 503 if exc.status_code == 503 else 500
                    body = json.dumps({"error": "the request could not be recorded in the audit "
                                                "trail, so nothing was saved or shown; try again",
                                       "field": None}).encode()
                    headers = [(b"content-type", b"application/json"),
                               (b"content-length", str(len(body)).encode())]
                    if retry is not None and code == 503:
                        headers.append((b"retry-after", str(retry).encode()))
                    await send({"type": "http.response.start", "status": code,
                                "headers": headers})
                    await send({"type": "http.response.body", "body": body,
                                "more_body": False})
                    return
            await send(message)
        return wrapped

    @staticmethod
    def _audit_refusals(send: Send, base: Context, person: int, actor: audit.Actor,
                        scope: Scope) -> Send:
        """A refused request (403 or 404: the transaction that found nothing rolled back, with
        its row) gets its own audit row before the answer leaves; if that row cannot be written,
        the answer is a 500 instead."""
        async def wrapped(message: Message) -> None:
            if (message["type"] == "http.response.start"
                    and message["status"] in REFUSED):
                try:
                    await to_thread.run_sync(lambda: audit.record(
                        base.store, person, actor, action=audit.action_of(scope["method"]),
                        obj=SHARE_PATH.sub("/s/<token>", scope["path"]), outcome="denied",
                        at=base.now()))
                except NightleafError:
                    message = {"type": "http.response.start", "status": 500,
                               "headers": [(b"content-type", b"text/plain")]}
            await send(message)
        return wrapped


def signed_in(request: Request) -> acc.SignedIn:
    found: acc.SignedIn | None = getattr(request.state, "signed_in", None)
    if found is None:
        raise acc.NotSignedIn("sign in first (POST /api/session)")
    return found


SignedDep = Annotated[acc.SignedIn, Depends(signed_in)]


def require_json(request: Request) -> None:
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise UnsupportedMediaType("send JSON (Content-Type: application/json)")


def _now(request: Request) -> datetime:
    base: Context = request.app.state.ctx
    return base.now()


def _client(request: Request) -> tuple[str | None, str | None]:
    return (request.client.host if request.client else None,
            request.headers.get("user-agent"))


def _set_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https",
                        max_age=int(acc.ABSOLUTE_TIMEOUT.total_seconds()))


def _throttled_sign_in(request: Request, email: str, password: str, ip: str | None,
                       ua: str | None) -> tuple[str, acc.Account]:
    """Sign in behind the backoff (429 + Retry-After before the password is even hashed)."""
    gate: SignInThrottle | SharedSignInThrottle = request.app.state.sign_in_throttle
    gate.check(email, ip)
    try:
        result = acc.sign_in(request.app.state.ctx.store, email, password, now=_now(request),
                             ip=ip, user_agent=ua)
    except acc.NotSignedIn:
        gate.failed(email, ip)
        raise
    gate.succeeded(email, ip)
    return result


# -- JSON -----------------------------------------------------------------------------------------
class SignInBody(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=acc.MAX_PASSWORD)


class PasswordBody(BaseModel):
    current_password: str = Field(max_length=acc.MAX_PASSWORD)
    new_password: str = Field(max_length=acc.MAX_PASSWORD)


class AccountOut(BaseModel):
    email: str
    role: str
    person_id: int | None


class SessionOut(BaseModel):
    id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ip: str | None
    user_agent: str | None
    current: bool


class Ended(BaseModel):
    ended: int


api = APIRouter(prefix="/api", tags=["session"], dependencies=[])


@api.post("/session", response_model=AccountOut, dependencies=[Depends(require_json)])
def sign_in_api(body: SignInBody, request: Request) -> Response:
    """Sign in: a new session id in an HttpOnly cookie (any old one is ended)."""
    ip, ua = _client(request)
    old = getattr(request.state, "signed_in", None)
    token, account = _throttled_sign_in(request, body.email, body.password, ip, ua)
    if old is not None:
        acc.sign_out(request.app.state.ctx.store, old.session_hash, now=_now(request))
    resp = JSONResponse(AccountOut(email=account.email, role=account.role,
                                   person_id=account.person_id).model_dump())
    _set_cookie(request, resp, token)
    return resp


@api.get("/session", response_model=AccountOut)
def who_am_i(me: SignedDep) -> AccountOut:
    return AccountOut(email=me.account.email, role=me.account.role,
                      person_id=me.account.person_id)


@api.delete("/session", status_code=204)
def sign_out_api(me: SignedDep, request: Request) -> Response:
    """Sign out: the session ends on the server, not only in this browser."""
    acc.sign_out(request.app.state.ctx.store, me.session_hash, now=_now(request))
    resp = Response(status_code=204)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


def _sessions(me: acc.SignedIn, request: Request) -> list[SessionOut]:
    return [SessionOut(id=s.id_hash[:16], created_at=s.created_at, last_seen_at=s.last_seen_at,
                       expires_at=s.expires_at, ip=s.ip, user_agent=s.user_agent,
                       current=s.id_hash == me.session_hash)
            for s in acc.list_sessions(request.app.state.ctx.store, me.account.id,
                                       now=_now(request))]


@api.get("/sessions", response_model=list[SessionOut])
def sessions_api(me: SignedDep, request: Request) -> list[SessionOut]:
    return _sessions(me, request)


@api.delete("/sessions/{session_id}", status_code=204)
def revoke_api(session_id: str, me: SignedDep, request: Request) -> Response:
    acc.revoke_session(request.app.state.ctx.store, me.account.id, session_id,
                       now=_now(request))
    return Response(status_code=204)


@api.post("/password", response_model=Ended, dependencies=[Depends(require_json)])
def password_api(body: PasswordBody, me: SignedDep, request: Request) -> Ended:
    """Change the password; every other session of the account ends."""
    return Ended(ended=acc.change_password(
        request.app.state.ctx.store, me.account.id, body.current_password, body.new_password,
        now=_now(request), keep_session=me.session_hash))


class AuditOut(BaseModel):
    seq: int
    at: datetime
    actor_id: int | None
    action: str
    object: str
    count: int
    via: str
    ip: str | None
    outcome: str
    hash: str


class AuditLogOut(BaseModel):
    entries: list[AuditOut]
    chain_intact: bool


def _audit_log(me: acc.SignedIn, request: Request) -> AuditLogOut:
    store = request.app.state.ctx.store
    if not me.account.person_id:  # person 0's rows are nobody's to read
        raise acc.Refused(NO_JOURNAL.format(role=me.account.role))
    pid = me.account.person_id
    rows = audit.full_chain(store, pid)
    entries = [AuditOut(seq=r.seq, at=r.at, actor_id=r.actor_id, action=r.action,
                        object=r.object, count=r.count, via=r.via, ip=r.ip, outcome=r.outcome,
                        hash=r.hash) for r in rows[:500]]
    return AuditLogOut(entries=entries, chain_intact=audit.verify_chain(rows) is None)


@api.get("/audit", response_model=AuditLogOut)
def audit_api(me: SignedDep, request: Request) -> AuditLogOut:
    """Your own audit log: who read or changed your journal, newest first."""
    return _audit_log(me, request)


# -- pages ----------------------------------------------------------------------------------------
pages = APIRouter(dependencies=[Depends(require_csrf)], include_in_schema=False)


@pages.get("/sign-in")
def sign_in_page(request: Request) -> Response:
    return page(request, "sign_in.html", {"profile": None, "values": {}})


@pages.post("/sign-in")
async def sign_in_form(request: Request) -> Response:
    form = await request.form()
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    ip, ua = _client(request)
    try:
        token, account = await to_thread.run_sync(
            lambda: _throttled_sign_in(request, email, password, ip, ua))
    except acc.NotSignedIn as exc:
        return page(request, "sign_in.html", {"profile": None, "values": {"email": email},
                                              "errors": {"_form": exc.message}},
                    status_code=401)
    # a clinician or admin has no journal: their page is the sessions page, not a 403
    resp = redirect("/" if account.person_id else "/sessions")
    _set_cookie(request, resp, token)
    return resp


@pages.get("/sessions")
def sessions_page(me: SignedDep, request: Request) -> Response:
    return page(request, "sessions.html", {"sessions": _sessions(me, request),
                                           "email": me.account.email, "profile": None})


@pages.post("/sessions/{session_id}/end")
def end_session_form(session_id: str, me: SignedDep, request: Request) -> Response:
    acc.revoke_session(request.app.state.ctx.store, me.account.id, session_id,
                       now=_now(request))
    return redirect("/sign-in" if session_id == me.session_hash[:16] else "/sessions")


@pages.get("/audit")
def audit_page(me: SignedDep, request: Request) -> Response:
    return page(request, "audit.html", {"log": _audit_log(me, request), "profile": None})


@pages.post("/sign-out")
def sign_out_form(me: SignedDep, request: Request) -> Response:
    acc.sign_out(request.app.state.ctx.store, me.session_hash, now=_now(request))
    resp = redirect("/sign-in")
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


def register(app: FastAPI, **_: Any) -> None:
    from nightleaf.web import shares

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> Response:
        """200 when the database and, with ``--read-db``, the read replica answer at the
        current schema; 503 otherwise, naming which check failed (no addresses or errors)."""
        from nightleaf.services.server import readiness

        checks = readiness(app.state.ctx.store)
        ok = all(v == "ok" for v in checks.values())
        body: dict[str, object] = {"status": "ready" if ok else "not ready", "checks": checks}
        if not ok:
            body["failed"] = sorted(k for k, v in checks.items() if v != "ok")
        return JSONResponse(body, status_code=200 if ok else 503)

    # the backoff counts the failed sign-ins every worker wrote to the audit trail
    app.state.sign_in_throttle = SharedSignInThrottle(app.state.ctx.store,
                                                      lambda: app.state.ctx.now())
    app.state.share_limit = RateLimit(per_minute=30)
    app.include_router(api)
    app.include_router(pages)
    shares.register(app)
    app.add_middleware(SessionGate)


def server_app() -> FastAPI:
    """Factory for ``uvicorn --factory`` (several workers): the database from
    NIGHTLEAF_DATABASE_URL, the names answered to from NIGHTLEAF_ALLOWED_HOSTS (comma-separated)."""
    import os

    from nightleaf.services.server import upgrade_on_start
    from nightleaf.web.app import create_app, settle_memory

    if not log.handlers:  # the JSON request lines go to standard error, one per request
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)

    hosts = [h.strip() for h in os.environ.get("NIGHTLEAF_ALLOWED_HOSTS", "").split(",")
             if h.strip()]
    app = create_app(os.environ.get("NIGHTLEAF_DATABASE_URL"), multi_user=True,
                     allowed_hosts=hosts or ("127.0.0.1", "localhost", "::1"))
    upgrade_on_start(app.state.ctx.store)
    settle_memory()  # as the single-person server does, in each worker
    return app

"""Application factory and the one place errors become responses."""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Iterable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from nightleaf import __version__
from nightleaf.errors import NightleafError, StoreError, StoreUnavailable
from nightleaf.services import Context, open_context
from nightleaf.web import api, pages
from nightleaf.web.import_jobs import ImportJobs
from nightleaf.web.render import NAV, page
from nightleaf.web.security import LOCAL_NAMES, LocalGuard
from nightleaf.web.uploads import BodyLimit

HERE = Path(__file__).parent


def settle_memory() -> None:
    """Move everything alive after start-up (modules, knowledge base, templates, the app) out of
    the garbage collector's way (``gc.freeze``). A long window allocates tens of thousands of
    objects per request, which triggers full collections; without this each one walks the whole
    start-up heap too (about a quarter of a 10-year dashboard's time in bench/web_dashboard.py).
    Then the youngest generation is collected after 10,000 new container objects rather than
    700: a window's nightly rows and records are short-lived or kept for the request's whole run,
    so frequent young collections only walk them again and again (bench/web_dashboard.py's first
    view after a change of a 10-year window: about 15 % less CPU; the objects a young collection
    may hold back are a few MB at most). The older generations keep their thresholds.
    Call once, just before serving; tests do not need it."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GC_THRESHOLD, older, oldest)


#: container objects allocated (less those freed) between collections of the youngest
#: generation once serving (Python's default is 700)
YOUNG_GC_THRESHOLD = 10_000


log = logging.getLogger("nightleaf.server")


def _public_message(request: Request, exc: NightleafError) -> str:
    """What the person is told. In server mode a database failure's detail (the driver's
    reason: host names, ports, table names) goes to the operator's log, not to the person."""
    if not getattr(request.app.state, "multi_user", False) or not isinstance(exc, StoreError):
        return exc.message
    if isinstance(exc, StoreUnavailable):
        log.warning(json.dumps({"event": "database_unreachable", "detail": exc.message}))
        return ("the journal database cannot be reached just now; nothing was saved. "
                "Try again in a moment")
    if type(exc) is StoreError:
        log.error(json.dumps({"event": "database_error", "detail": exc.message}))
        return "the journal database refused the request; nothing was saved"
    return exc.message  # Busy says nothing about the set-up


def create_app(db_url: str | None = None, *, context: Context | None = None,
               allowed_hosts: Iterable[str] = LOCAL_NAMES, multi_user: bool = False) -> FastAPI:
    """The web app on one journal. ``allowed_hosts``: the names this server answers to.

    ``multi_user``: server mode (PostgreSQL only): sign-in, and each request's context is the
    signed-in person's (see :mod:`nightleaf.web.auth`)."""
    if multi_user:
        from nightleaf.services.server import open_server_context

        ctx = context or open_server_context(db_url)
    else:
        ctx = context or open_context(db_url)
    app = FastAPI(title="nightleaf", version=__version__,
                  description=("Journal API of a nightleaf server: each person signs in and "
                               "reaches only their own journal. " if multi_user else
                               "Local journal API. Binds to 127.0.0.1; no data leaves the "
                               "machine. ") + "Unsafe methods take JSON bodies (or an "
                  "X-CSRF-Token header).",
                  docs_url=None, redoc_url=None)  # the hosted docs UI loads scripts off-site
    app.state.ctx = ctx
    app.state.nav = list(NAV)
    app.state.imports = ImportJobs(ctx)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(NightleafError)
    async def _handle(request: Request, exc: NightleafError) -> Response:
        # the store raises these too (Conflict 409; Busy/StoreUnavailable 503 + Retry-After)
        retry = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry)} if retry is not None else None
        message = _public_message(request, exc)
        if request.url.path.startswith(("/api/", "/s/")):  # share links answer JSON too
            return JSONResponse({"error": message, "field": exc.field},
                                status_code=exc.status_code, headers=headers)
        resp = page(request, "error.html", {"message": message, "profile": None},
                    status_code=exc.status_code)
        if headers:
            resp.headers.update(headers)
        return resp

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        msg = exc.detail if isinstance(exc.detail, str) else "the request could not be handled"
        if exc.status_code == 404 and msg == "Not Found":
            msg = f"nothing at {request.url.path}"
        if request.url.path.startswith("/api/") or exc.status_code == 405:
            return JSONResponse({"error": msg, "field": None}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return page(request, "error.html", {"message": msg, "profile": None},
                    status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ())[1:]) or None
        msg = f"{where}: {first.get('msg', 'invalid input')}" if where else "invalid input"
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": msg, "field": where}, status_code=422)
        return page(request, "error.html", {"message": msg, "profile": None}, status_code=422)

    app.state.multi_user = multi_user
    if multi_user:
        from nightleaf.web import auth

        auth.register(app)
    api.register(app)
    pages.register(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(BodyLimit)  # 413 for over-limit bodies (web.uploads)
    app.add_middleware(LocalGuard, allowed_hosts=tuple(allowed_hosts))
    return app

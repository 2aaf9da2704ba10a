"""Application factory and the one place errors become responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from nightleaf import __version__
from nightleaf.errors import NightleafError
from nightleaf.io.journal_json import to_plain
from nightleaf.services import Context, open_context
from nightleaf.services import nights as nights_svc

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


def create_app(db_url: str | None = None, *, context: Context | None = None) -> FastAPI:
    ctx = context or open_context(db_url)
    app = FastAPI(title="nightleaf", version=__version__,
                  description="Local journal API. Binds to 127.0.0.1; no data leaves the machine.")
    app.state.ctx = ctx
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(NightleafError)
    async def _handle(request: Request, exc: NightleafError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.message, "field": exc.field},
                                status_code=exc.status_code)
        return templates.TemplateResponse(request, "error.html", {"message": exc.message},
                                          status_code=exc.status_code)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        start, end = nights_svc.night_range(ctx, None, None, 14)
        rows = nights_svc.list_nights(ctx, start, end)
        return templates.TemplateResponse(request, "index.html", {
            "rows": rows, "start": start, "end": end, "profile": ctx.profile(),
            "has_profile": ctx.has_profile()})

    @app.get("/api/nights", tags=["journal"])
    def api_nights(first: str | None = None, last: str | None = None,
                   days: int = 14) -> dict[str, Any]:
        """Nights in a range (default: the last 14): intakes, diary times, pain."""
        start, end = nights_svc.night_range(ctx, first, last, days)
        return to_plain({"from": start, "to": end,
                         "nights": nights_svc.list_nights(ctx, start, end)})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app

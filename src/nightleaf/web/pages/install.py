"""Adding nightleaf to a phone's home screen: the web app manifest and the service worker.

Both are static files; the worker is served from the root so its scope covers every page (a
worker under ``/static/`` could only control ``/static/``). It caches the shell only.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

router = APIRouter()
STATIC = Path(__file__).parents[1] / "static"


@router.get("/sw.js")
def service_worker() -> Response:
    return FileResponse(STATIC / "sw.js", media_type="text/javascript",
                        headers={"Cache-Control": "no-cache"})


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return FileResponse(STATIC / "manifest.webmanifest", media_type="application/manifest+json")

"""Server-rendered pages. Each module holds one page's routes; every unsafe request needs CSRF."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from nightleaf.web.pages import (
    health,
    home,
    journal,
    morning,
    products,
    safety,
    settings,
    tonight,
)
from nightleaf.web.security import require_csrf

#: pages whose services are in this build (the navigation lists only these)
AVAILABLE = {"tonight", "morning", "journal", "products", "health", "safety", "settings"}

MODULES = (home, tonight, morning, journal, products, health, safety, settings)


def register(app: FastAPI) -> None:
    for mod in MODULES:
        app.include_router(mod.router, dependencies=[Depends(require_csrf)],
                           include_in_schema=False)

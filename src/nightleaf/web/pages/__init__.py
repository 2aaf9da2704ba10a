"""Server-rendered pages. Each module holds one page's routes; every unsafe request needs CSRF."""

from __future__ import annotations

from types import ModuleType

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

MODULES: tuple[ModuleType, ...] = (home, tonight, morning, journal, products, health, safety,
                                   settings)

try:  # the dashboard needs the summary service (sleep/pain/intake metrics)
    from nightleaf.web.pages import dashboard

    AVAILABLE.add("dashboard")
    MODULES = (*MODULES, dashboard)
except ImportError:  # pragma: no cover - a build without the metrics
    pass


def register(app: FastAPI) -> None:
    for mod in MODULES:
        app.include_router(mod.router, dependencies=[Depends(require_csrf)],
                           include_in_schema=False)

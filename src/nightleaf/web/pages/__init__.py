"""Server-rendered pages. Each module holds one page's routes; every unsafe request needs CSRF."""

from __future__ import annotations

from types import ModuleType

from fastapi import Depends, FastAPI

from nightleaf.web.pages import (
    dashboard,
    experiments,
    health,
    home,
    imports,
    install,
    journal,
    morning,
    products,
    report,
    safety,
    settings,
    tonight,
)
from nightleaf.web.security import require_csrf, require_upload_csrf

MODULES: tuple[ModuleType, ...] = (home, tonight, morning, journal, dashboard, experiments, report,
                                   products, health, safety, settings, install)


def register(app: FastAPI) -> None:
    for mod in MODULES:
        app.include_router(mod.router, dependencies=[Depends(require_csrf)],
                           include_in_schema=False)
    # the upload's token comes in the query or a header: its body is streamed, never read as a form
    app.include_router(imports.router, dependencies=[Depends(require_upload_csrf)],
                       include_in_schema=False)

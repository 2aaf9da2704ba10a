"""``/api``: JSON for everything the pages do, in the same shapes as the CLI's ``--json``.

One router per resource under :mod:`nightleaf.web.api.routes`; every JSON answer has a named
response schema (see :mod:`nightleaf.web.api.schemas`). Unsafe methods take JSON bodies (a
cross-site page cannot send those without a CORS preflight, which this server never grants) or
carry the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

from fastapi import FastAPI

from nightleaf.web.api.routes import (
    entries,
    experiments,
    export,
    health,
    imports,
    intakes,
    nights,
    products,
    profile,
    routine,
    safety,
    summary,
    tonight,
)

ROUTERS = (nights, profile, health, products, intakes, entries, routine, tonight, summary,
           safety, imports, export, experiments)



def register(app: FastAPI) -> None:
    for module in ROUTERS:
        app.include_router(module.router)

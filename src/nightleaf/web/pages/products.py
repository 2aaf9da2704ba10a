"""``/products``: products and their batches with lab results."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError
from nightleaf.model.entities import CONTAMINANT_RESULTS, FORMS, VEINS
from nightleaf.services import checks
from nightleaf.services import journal as journal_svc
from nightleaf.web.pages._common import ctx_of, text
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()

PRODUCT_INPUTS = ("name", "vendor", "label", "vein", "form", "capsule_mg", "note")
BATCH_INPUTS = ("product", "lot", "purchased_on", "mitragynine_pct", "seven_oh_pct", "lab",
                "test_date", "heavy_metals", "microbial", "pesticides", "note")
PRODUCT_ALIASES = {"mg per capsule": "capsule_mg", "vein colour": "vein"}
BATCH_ALIASES = {"mitragynine %": "mitragynine_pct", "7-hydroxymitragynine %": "seven_oh_pct",
                 "7_hydroxymitragynine %": "seven_oh_pct", "heavy metals": "heavy_metals",
                 "purchase date": "purchased_on", "test date": "test_date",
                 "heavy-metals result": "heavy_metals", "microbial result": "microbial",
                 "pesticides result": "pesticides"}


def _page(request: Request, *, status_code: int = 200, **extra: object) -> Response:
    ctx = ctx_of(request)
    views = journal_svc.list_products(ctx)
    return page(request, "products.html", {
        "active": "products", "views": views, "veins": VEINS, "forms": FORMS,
        "results": CONTAMINANT_RESULTS, "batch_findings": checks.batch_findings(ctx),
        "saved": request.query_params.get("saved"), "pvalues": {}, "perrors": {},
        "bvalues": {}, "berrors": {}, **extra}, status_code=status_code)


@router.get("/products")
def products_page(request: Request) -> Response:
    return _page(request)


@router.post("/products")
async def add_product(request: Request) -> Response:
    form = await request.form()
    try:
        journal_svc.add_product(ctx_of(request), text(form, "name") or "",
                                **{k: text(form, k) for k in PRODUCT_INPUTS if k != "name"})
    except NightleafError as exc:
        return _page(request, status_code=exc.status_code, pvalues=form_values(form),
                     perrors=form_error(exc, PRODUCT_INPUTS, PRODUCT_ALIASES))
    return redirect("/products?saved=product")


@router.post("/products/batches")
async def add_batch(request: Request) -> Response:
    form = await request.form()
    try:
        journal_svc.add_batch(ctx_of(request), text(form, "product") or "",
                              **{k: text(form, k) for k in BATCH_INPUTS if k != "product"})
    except NightleafError as exc:
        return _page(request, status_code=exc.status_code, bvalues=form_values(form),
                     berrors=form_error(exc, BATCH_INPUTS, BATCH_ALIASES))
    return redirect("/products?saved=batch")

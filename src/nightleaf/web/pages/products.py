"""``/products``: products and their batches with lab results."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError
from nightleaf.model.entities import CONTAMINANT_RESULTS, FORMS, VEINS
from nightleaf.services import Context, checks
from nightleaf.services import journal as journal_svc
from nightleaf.services.inputs import BatchInput, ProductInput
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import text
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()

PRODUCT_INPUTS = ProductInput.field_ids()
BATCH_INPUTS = BatchInput.field_ids()


def _page(request: Request, ctx: Context, *, status_code: int = 200, **extra: object
          ) -> Response:
    views = journal_svc.list_products(ctx)
    return page(request, "products.html", {
        "active": "products", "views": views, "veins": VEINS, "forms": FORMS,
        "results": CONTAMINANT_RESULTS, "batch_findings": checks.batch_findings(ctx),
        "saved": request.query_params.get("saved"), "pvalues": {}, "perrors": {},
        "bvalues": {}, "berrors": {}, **extra}, status_code=status_code)


@router.get("/products")
def products_page(request: Request, ctx: CtxDep) -> Response:
    return _page(request, ctx)


@router.post("/products")
async def add_product(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.add_product(ctx, ProductInput.from_mapping(
            {k: text(form, k) for k in PRODUCT_INPUTS}))
    except NightleafError as exc:
        return _page(request, ctx, status_code=exc.status_code, pvalues=form_values(form),
                     perrors=form_error(exc, PRODUCT_INPUTS))
    return redirect("/products?saved=product")


@router.post("/products/batches")
async def add_batch(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.add_batch(ctx, BatchInput.from_mapping(
            {k: text(form, k) for k in BATCH_INPUTS}))
    except NightleafError as exc:
        return _page(request, ctx, status_code=exc.status_code, bvalues=form_values(form),
                     berrors=form_error(exc, BATCH_INPUTS))
    return redirect("/products?saved=batch")

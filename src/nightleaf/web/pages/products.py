"""``/products``: products and their batches with lab results."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError, NotFound
from nightleaf.model.entities import CONTAMINANT_RESULTS, FORMS, VEINS, Batch, Product
from nightleaf.services import Context, checks
from nightleaf.services import journal as journal_svc
from nightleaf.services.inputs import BatchInput, ProductInput
from nightleaf.services.products import update_batch, update_product
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import text
from nightleaf.web.prg import after_write
from nightleaf.web.render import form_error, form_values, page

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
    return after_write("/products", "product")


@router.post("/products/batches")
async def add_batch(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        journal_svc.add_batch(ctx, BatchInput.from_mapping(
            {k: text(form, k) for k in BATCH_INPUTS}))
    except NightleafError as exc:
        return _page(request, ctx, status_code=exc.status_code, bvalues=form_values(form),
                     berrors=form_error(exc, BATCH_INPUTS))
    return after_write("/products", "batch")


def _edit_page(request: Request, ctx: Context, kind: str, item: Product | Batch,
               values: dict[str, str], errors: dict[str, str] | None = None,
               status_code: int = 200) -> Response:
    views = journal_svc.list_products(ctx)
    if isinstance(item, Product):
        title, action = item.name, f"/products/{item.id}/edit"
    else:
        name = next((v.product.name for v in views if v.product.id == item.product_id), "")
        title, action = f"batch {item.lot or item.id} of {name}", f"/products/batches/{item.id}/edit"
    data: dict[str, object] = {
        "active": "products", "kind": kind, "title": title, "action": action, "views": views,
        "veins": VEINS, "forms": FORMS, "results": CONTAMINANT_RESULTS,
        "pvalues": values, "perrors": errors or {}, "bvalues": values, "berrors": errors or {}}
    return page(request, "product_edit.html", data, status_code=status_code)


def _str(v: object) -> str:
    return "" if v is None else f"{v:g}" if isinstance(v, float) else str(v)


def _product(ctx: Context, product_id: int) -> Product:
    found = [v.product for v in journal_svc.list_products(ctx) if v.product.id == product_id]
    if not found:
        raise NotFound(f"no product with id {product_id}")
    return found[0]


def _batch(ctx: Context, batch_id: int) -> Batch:
    found = [b for v in journal_svc.list_products(ctx) for b in v.batches if b.id == batch_id]
    if not found:
        raise NotFound(f"no batch with id {batch_id}")
    return found[0]


@router.get("/products/{product_id}/edit")
def edit_product_page(request: Request, ctx: CtxDep, product_id: int) -> Response:
    p = _product(ctx, product_id)
    return _edit_page(request, ctx, "product", p, {k: _str(getattr(p, k)) for k in PRODUCT_INPUTS})


@router.post("/products/{product_id}/edit")
async def edit_product(request: Request, ctx: CtxDep, product_id: int) -> Response:
    p = _product(ctx, product_id)
    form = await request.form()
    try:
        update_product(ctx, product_id, ProductInput.from_mapping(
            {k: text(form, k) for k in PRODUCT_INPUTS}))
    except NightleafError as exc:
        return _edit_page(request, ctx, "product", p, form_values(form),
                          form_error(exc, PRODUCT_INPUTS), exc.status_code)
    return after_write("/products", "product-edited", anchor=f"p-{product_id}")


@router.get("/products/batches/{batch_id}/edit")
def edit_batch_page(request: Request, ctx: CtxDep, batch_id: int) -> Response:
    b = _batch(ctx, batch_id)
    values = {k: _str(getattr(b, k, None)) for k in BATCH_INPUTS if k != "product"}
    return _edit_page(request, ctx, "batch", b, {**values, "product": str(b.product_id)})


@router.post("/products/batches/{batch_id}/edit")
async def edit_batch(request: Request, ctx: CtxDep, batch_id: int) -> Response:
    b = _batch(ctx, batch_id)
    form = await request.form()
    try:
        update_batch(ctx, batch_id, BatchInput.from_mapping(
            {k: text(form, k) for k in BATCH_INPUTS}))
    except NightleafError as exc:
        return _edit_page(request, ctx, "batch", b, form_values(form),
                          form_error(exc, BATCH_INPUTS), exc.status_code)
    return after_write("/products", "batch-edited", anchor=f"p-{b.product_id}")

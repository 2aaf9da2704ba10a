"""``/api/products`` and ``/api/batches``."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.model.entities import Batch, Product
from nightleaf.model.finding import Finding
from nightleaf.services import checks
from nightleaf.services import journal as journal_svc
from nightleaf.services.inputs import BatchInput, ProductInput
from nightleaf.web.api.common import Body, Ctx, Text, api_router, plain
from nightleaf.web.api.schemas import plain_model, schema

router = api_router(tags=["products"])

ProductsOut = schema(
    "ProductsOut", "Products with their batches (the CLI's `product list --json` is `products`).",
    products=list[plain_model(journal_svc.ProductView)],  # type: ignore[misc]
    batch_findings=(dict[str, list[Finding]] | None,
                    Field(description="Findings per batch id; null without the safety engine")))


class ProductIn(Body):
    name: str = Field(max_length=200, examples=["Red Bali"])
    vendor: str | None = Field(None, max_length=200)
    label: str | None = Field(None, max_length=200)
    vein: str = Field("unknown", max_length=16)
    form: str = Field("powder", max_length=16)
    capsule_mg: str | None = Field(None, max_length=16)
    note: str | None = Text


class BatchIn(Body):
    product: str = Field(max_length=200, description="Product id or name")
    lot: str | None = Field(None, max_length=200)
    purchased_on: str | None = Field(None, max_length=16)
    mitragynine_pct: str | None = Field(None, max_length=16)
    seven_oh_pct: str | None = Field(None, max_length=16)
    lab: str | None = Field(None, max_length=200)
    test_date: str | None = Field(None, max_length=16)
    heavy_metals: str = Field("unknown", max_length=16)
    microbial: str = Field("unknown", max_length=16)
    pesticides: str = Field("unknown", max_length=16)
    note: str | None = Text


@router.get("/products", response_model=ProductsOut)
def api_products(ctx: Ctx) -> JSONResponse:
    """Products with their batches; ``findings`` per batch id (``null`` without the engine)."""
    views = journal_svc.list_products(ctx)
    found = checks.batch_findings(ctx)
    return plain({"products": views, "batch_findings": found})


@router.post("/products", status_code=201, response_model=plain_model(Product))
def api_add_product(ctx: Ctx, body: ProductIn) -> JSONResponse:
    return plain(journal_svc.add_product(ctx, ProductInput(**body.model_dump())), 201)


@router.post("/batches", status_code=201, response_model=plain_model(Batch))
def api_add_batch(ctx: Ctx, body: BatchIn) -> JSONResponse:
    return plain(journal_svc.add_batch(ctx, BatchInput(**body.model_dump())), 201)

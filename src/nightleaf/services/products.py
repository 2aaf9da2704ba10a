"""Products and their batches (lab results)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from nightleaf.errors import Conflict, NotFound
from nightleaf.model import clock, validate
from nightleaf.model.entities import Batch, Product, saved_id
from nightleaf.services import parse
from nightleaf.services.context import Context
from nightleaf.services.inputs import BatchInput, ProductInput
from nightleaf.store.repo import Repo, fold_name


@dataclass
class ProductView:
    product: Product
    batches: list[Batch] = field(default_factory=list)


def parse_product(inp: ProductInput) -> Product:
    f = parse.Fields()
    cap = f.get(lambda: parse.number(inp.capsule_mg, "capsule_mg", "mg per capsule"))
    f.check()
    return validate.product(Product(
        name=(inp.name or "").strip(), vendor=parse.text(inp.vendor),
        label=parse.text(inp.label), vein=inp.vein or "unknown", form=inp.form or "powder",
        capsule_mg=cap, note=parse.text(inp.note)))


def add_product(ctx: Context, inp: ProductInput) -> Product:
    p = parse_product(inp)
    with ctx.tx() as repo:
        return repo.add_product(p)


def update_product(ctx: Context, product_id: int, inp: ProductInput) -> Product:
    """Correct a product (all values given again); its batches and intakes stay with it."""
    p = parse_product(inp)
    with ctx.tx() as repo:
        repo.get(Product, product_id)  # NotFound for an unknown id
        other = repo.product_by_name(p.name)
        if other is not None and other.id != product_id:
            raise Conflict(f"a product called {p.name!r} already exists; pick another name",
                           field="name")
        fixed = dataclasses.replace(p, id=product_id)
        repo.update(fixed)
    return fixed


def find_product(repo: Repo, key: str, field: str = "product") -> Product:
    k = key.strip()
    pid = parse.record_id(k)
    if pid is not None:
        try:
            return repo.get(Product, pid)
        except NotFound:
            pass
    p = repo.product_by_name(k)
    if p is None:
        raise _unknown_product(key, repo.all(Product), field)
    return p


def pick_product(products: Sequence[Product], key: str, field: str = "product") -> Product:
    """:func:`find_product` among ``products``, all of the person's products already read (in
    id order): by id, else by name ignoring case (as :meth:`Repo.product_by_name`)."""
    k = key.strip()
    pid = parse.record_id(k)
    if pid is not None:
        hit = next((p for p in products if p.id == pid), None)
        if hit is not None:
            return hit
    name = fold_name(k)
    hit = next((p for p in products if fold_name(p.name) == name), None)
    if hit is None:
        raise _unknown_product(key, products, field)
    return hit


def _unknown_product(key: str, products: Sequence[Product], field: str) -> NotFound:
    names = ", ".join(x.name for x in products) or "none yet"
    return NotFound(f"unknown product {key!r} (known: {names}); add it first", field=field)


def list_products(ctx: Context) -> list[ProductView]:
    with ctx.tx() as repo:
        batches = repo.all(Batch)
        return [ProductView(p, [b for b in batches if b.product_id == p.id])
                for p in repo.all(Product)]


def show_product(ctx: Context, key: str) -> ProductView:
    with ctx.tx() as repo:
        p = find_product(repo, key)
        return ProductView(p, repo.batches_of(saved_id(p)))


def _batch(ctx: Context, inp: BatchInput, batch_id: int | None = None) -> Batch:
    """Parse, check and save a batch: a new one, or ``batch_id`` corrected."""
    today = clock.local_datetime(ctx.now(), ctx.profile().tz).date()
    f = parse.Fields()

    def _date(v: str | None, fid: str) -> date | None:
        if not v or not v.strip():
            return None
        return f.get(lambda: parse.attach(fid, "date", lambda: clock.parse_date(v, today=today)))

    purchased = _date(inp.purchased_on, "purchased_on")
    tested = _date(inp.test_date, "test_date")
    mit = f.get(lambda: parse.number(inp.mitragynine_pct, "mitragynine_pct", "mitragynine %"))
    seven = f.get(lambda: parse.number(inp.seven_oh_pct, "seven_oh_pct",
                                       "7-hydroxymitragynine %"))
    f.check()
    with ctx.tx() as repo:
        p = find_product(repo, inp.product)
        mit = parse.plausible_mitragynine(mit, p.form)
        b = validate.batch(Batch(
            product_id=saved_id(p), lot=parse.text(inp.lot), purchased_on=purchased,
            mitragynine_pct=mit, seven_oh_pct=seven, lab=parse.text(inp.lab), test_date=tested,
            heavy_metals=inp.heavy_metals or "unknown", microbial=inp.microbial or "unknown",
            pesticides=inp.pesticides or "unknown", note=parse.text(inp.note)))
        if batch_id is None:
            return repo.add(b)
        repo.get(Batch, batch_id)  # NotFound for an unknown id
        fixed = dataclasses.replace(b, id=batch_id)
        repo.update(fixed)
        return fixed


def add_batch(ctx: Context, inp: BatchInput) -> Batch:
    return _batch(ctx, inp)


def update_batch(ctx: Context, batch_id: int, inp: BatchInput) -> Batch:
    """Correct a batch (all values given again); intakes keep pointing at it."""
    return _batch(ctx, inp, batch_id)

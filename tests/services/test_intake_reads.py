"""Logging, previewing and checking an intake read the person's profile, products and batches
once (``services.findings.Setup``: the draft and the safety checks share them) and give what
they gave when each read its own: the same product, batch, mitragynine and findings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event

from nightleaf.errors import NotFound
from nightleaf.model.entities import Product
from nightleaf.services import Context, journal, safety
from nightleaf.services.inputs import BatchInput, IntakeInput, ProductInput, ProfileInput
from nightleaf.services.products import find_product, pick_product

SETUP_TABLES = ("profile", "product", "batch")


@contextmanager
def selects(engine: Engine) -> Iterator[Counter[str]]:
    """Count the SELECTs sent to ``engine``, by the first table after FROM."""
    seen: Counter[str] = Counter()

    def on(_conn: Any, _cur: Any, statement: str, *_: Any) -> None:
        m = re.match(r"\s*SELECT\b.*?\bFROM\s+(\w+)", statement, re.S | re.I)
        if m:
            seen[m.group(1).lower()] += 1

    event.listen(engine, "before_cursor_execute", on)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on)


@pytest.fixture
def stocked(ctx: Context) -> Context:
    """A profile, a medicine, a condition, two products and three batches (Red Bali's newest
    is L2)."""
    journal.set_profile(ctx, ProfileInput(tz="Europe/Berlin", region="DE", bedtime="23:00",
                                          max_grams="4"))
    journal.add_medicine(ctx, "oxycodone", "5 mg")
    journal.add_condition(ctx, "sleep apnea")
    journal.add_product(ctx, ProductInput("Red Bali"))
    journal.add_product(ctx, ProductInput("Green Maeng Da", form="capsule", capsule_mg="500"))
    journal.add_batch(ctx, BatchInput("Red Bali", lot="L1", mitragynine_pct="1.2"))
    journal.add_batch(ctx, BatchInput("Red Bali", lot="L2", mitragynine_pct="1.5"))
    journal.add_batch(ctx, BatchInput("Green Maeng Da", lot="G1", mitragynine_pct="2"))
    return ctx


def _setup_reads(seen: Counter[str]) -> dict[str, int]:
    return {t: seen[t] for t in SETUP_TABLES}


def test_a_logged_intake_reads_its_setup_once_and_finds_what_a_fresh_read_finds(
        stocked: Context) -> None:
    with selects(stocked.store.engine) as seen:
        logged = journal.log_intake(stocked, IntakeInput("3g", at="20:30", product="red bali"))
    assert _setup_reads(seen) == {"profile": 1, "product": 1, "batch": 1}
    assert logged.product is not None and logged.product.name == "Red Bali"
    assert logged.batch is not None and logged.batch.lot == "L2"  # the newest of that product
    assert logged.intake.mitragynine_mg == 45.0  # 3 g x 1.5 %
    # the findings read in the intake's transaction are the night's findings as it stands
    assert logged.findings == safety.findings_for_night(stocked, logged.intake.night)
    rules = {f.rule for f in logged.findings}
    assert {"medicine.opioid_agonist", "condition.breathing"} <= rules  # medicines, conditions


def test_a_batch_named_without_its_product_finds_the_product_from_the_same_read(
        stocked: Context) -> None:
    with selects(stocked.store.engine) as seen:
        logged = journal.log_intake(stocked, IntakeInput("2 caps", at="20:30", batch="G1"))
    assert _setup_reads(seen) == {"profile": 1, "product": 1, "batch": 1}
    assert logged.product is not None and logged.product.name == "Green Maeng Da"
    assert logged.intake.amount.capsule_mg == 500  # the product's capsule size
    assert logged.intake.mitragynine_mg == 20.0  # 1 g x 2 %
    with pytest.raises(NotFound, match="unknown batch 'G1' of Red Bali"):
        journal.log_intake(stocked, IntakeInput("3g", product="Red Bali", batch="G1"))


def test_preview_and_check_read_their_setup_once(stocked: Context) -> None:
    with selects(stocked.store.engine) as seen:
        preview = safety.preview_intake(stocked, IntakeInput("3g", at="22:40",
                                                             product="Red Bali"))
    assert _setup_reads(seen) == {"profile": 1, "product": 1, "batch": 1}
    assert preview.planned and preview.draft.batch is not None and \
        preview.draft.batch.lot == "L2"
    with selects(stocked.store.engine) as seen:
        checked = safety.check(stocked, IntakeInput("3g", at="22:40", product="Red Bali"))
    assert _setup_reads(seen) == {"profile": 1, "product": 1, "batch": 1}
    assert checked.planned is not None and checked.planned.mitragynine_mg == 45.0
    assert checked.findings == preview.findings
    with stocked.tx() as repo:
        assert repo.intakes() == []  # neither saves


@pytest.mark.parametrize("key", ["Red Bali", "RED BALI", "  red bali ", "ÄRA", "STRASSE",
                                 "42", "nope", "999999", "2147483648", "0", ""])
def test_picking_among_the_products_read_matches_finding_one_in_the_store(
        ctx: Context, key: str) -> None:
    for name in ("Red Bali", "ära", "Straße", "42"):  # "42" is a name, not that id
        journal.add_product(ctx, ProductInput(name))
    with ctx.tx() as repo:
        products = repo.all(Product)
        assert 42 not in {p.id for p in products}
        try:
            want: Product | str = find_product(repo, key)
        except NotFound as exc:
            want = f"{exc} [{exc.field}]"
        try:
            got: Product | str = pick_product(products, key)
        except NotFound as exc:
            got = f"{exc} [{exc.field}]"
    assert got == want


def test_picking_by_id_prefers_the_id_to_a_name_that_looks_like_one(ctx: Context) -> None:
    first = journal.add_product(ctx, ProductInput("Red Bali"))
    journal.add_product(ctx, ProductInput(str(first.id)))  # a product named like the first's id
    with ctx.tx() as repo:
        products = repo.all(Product)
        assert pick_product(products, str(first.id)) == find_product(repo, str(first.id)) \
            == first

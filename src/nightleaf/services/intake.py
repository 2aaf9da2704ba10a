"""Intakes: parse and check one (a draft), save it, delete it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from nightleaf.errors import InputError, NotFound
from nightleaf.knowledge import load_knowledge
from nightleaf.model import clock
from nightleaf.model.entities import Batch, Intake, Product, saved_id
from nightleaf.model.finding import Finding
from nightleaf.model.units import Amount, parse_amount
from nightleaf.safety import evaluate
from nightleaf.services import parse
from nightleaf.services.context import Context
from nightleaf.services.findings import Setup, safety_context
from nightleaf.services.inputs import IntakeInput
from nightleaf.services.products import pick_product
from nightleaf.store.repo import Repo


@dataclass
class LoggedIntake:
    intake: Intake
    product: Product | None
    batch: Batch | None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class IntakeDraft:
    """A parsed, validated intake that is not saved yet (for checks before saving)."""

    intake: Intake
    product: Product | None
    batch: Batch | None


def mitragynine_mg(amount: Amount, batch: Batch | None) -> float | None:
    """Mitragynine in the intake: grams × 1000 × mitragynine % / 100, when both are known.

    >>> from nightleaf.model.units import parse_amount
    >>> mitragynine_mg(parse_amount("3g"), Batch(product_id=1, mitragynine_pct=1.5))
    45.0
    """
    g = amount.grams
    if g is None or batch is None or batch.mitragynine_pct is None:
        return None
    return round(g * 1000 * batch.mitragynine_pct / 100, 3)


def draft_intake(ctx: Context, repo: Repo, inp: IntakeInput, *, allow_future: bool = False,
                 night: date | None = None, setup: Setup | None = None) -> IntakeDraft:
    """Parse and validate an intake without saving it. ``night`` is the night a bare clock time
    is read in (default: the night of now); planning passes tonight. ``setup``: the profile,
    products and batches read in this transaction (shared with the safety checks that follow;
    read here otherwise)."""
    known = setup if setup is not None else Setup(repo)
    profile = known.profile
    f = parse.Fields()
    cap = f.get(lambda: parse.number(inp.capsule_mg, "capsule_mg", "mg per capsule"))
    tea = f.get(lambda: parse.number(inp.tea_grams, "tea_grams", "grams steeped"))
    instant = f.get(lambda: parse.instant(inp.at, "at", now=ctx.now(), tz=profile.tz,
                                          night=night, allow_future=allow_future))
    prod = pick_product(known.products, inp.product) if inp.product and inp.product.strip() \
        else None
    bat: Batch | None = None
    if inp.batch and inp.batch.strip():
        key = inp.batch.strip()
        candidates = _batches_of(known.batches, prod) if prod else known.batches
        bat = next((b for b in candidates if str(b.id) == key or (b.lot or "") == key), None)
        if bat is None:
            raise NotFound(f"unknown batch {key!r}" + (f" of {prod.name}" if prod else ""),
                           field="batch")
        if prod is None:
            prod = next((p for p in known.products if p.id == bat.product_id), None)
            if prod is None:  # the foreign key rules it out
                raise NotFound(f"no product with id {bat.product_id}")
    elif prod is not None:
        batches = _batches_of(known.batches, prod)
        bat = batches[-1] if batches else None  # the newest batch of that product
    if cap is None and prod is not None:
        cap = prod.capsule_mg
    amt = f.get(lambda: parse.attach("amount", "amount", lambda: parse_amount(
        inp.amount or "", capsule_mg=cap, tea_grams=tea)))
    if amt is not None and amt.unit == "capsule" and amt.capsule_mg is None:
        f.add("capsule_mg", "required",
              "capsules need their size: give the mg per capsule, or set it on the product")
    f.check()
    if instant is None or amt is None:  # f.check raised already; this tells the type checker
        raise InputError("the intake needs an amount", field="amount", code="required")
    intake = Intake(at=instant, tz=profile.tz, amount=amt,
                    night=clock.night_of(instant, profile.tz),
                    product_id=prod.id if prod else None, batch_id=bat.id if bat else None,
                    note=parse.text(inp.note), mitragynine_mg=mitragynine_mg(amt, bat))
    return IntakeDraft(intake, prod, bat)


def _batches_of(batches: list[Batch], product: Product) -> list[Batch]:
    """The product's batches among all of the person's (in id order: the newest last)."""
    pid = saved_id(product)
    return [b for b in batches if b.product_id == pid]


def log_intake(ctx: Context, inp: IntakeInput) -> LoggedIntake:
    """Save an intake and return it with the safety findings as they stand after it (read in
    the same transaction, after the insert: the profile, products and batches are read once,
    for the draft and the checks)."""
    with ctx.tx() as repo:
        setup = Setup(repo)
        d = draft_intake(ctx, repo, inp, setup=setup)
        saved = repo.add_intake(d.intake)
        sc = safety_context(ctx, repo, saved.night, setup=setup)
    return LoggedIntake(saved, d.product, d.batch, evaluate(sc, load_knowledge()))


def delete_intake(ctx: Context, intake_id: int) -> None:
    with ctx.tx() as repo:
        repo.delete_intake(intake_id)


__all__ = ["IntakeDraft", "LoggedIntake", "delete_intake", "draft_intake",
           "log_intake", "mitragynine_mg"]

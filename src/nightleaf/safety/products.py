"""Product and batch checks for tonight's intakes: 7-OH above the limits in force (its share of
the measured alkaloids, and its share of dry weight), "7-OH" and concentrated products, missing
lab results, failed contaminant tests."""

from __future__ import annotations

from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.entities import Batch, Product
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding
from nightleaf.safety.context import SafetyContext


def seven_oh_share(batch: Batch) -> float | None:
    """7-OH as a percentage of the measured alkaloids (mitragynine + 7-OH).

    Only these two are usually on a label, so this overstates 7-OH's share of *all* alkaloids;
    a result above the threshold is still a signal worth reading the full lab report for.

    >>> seven_oh_share(Batch(product_id=1, mitragynine_pct=1.5, seven_oh_pct=0.05))
    3.225806451612903
    """
    if batch.mitragynine_pct is None or batch.seven_oh_pct is None:
        return None
    total = batch.mitragynine_pct + batch.seven_oh_pct
    if total <= 0:
        return None
    return 100.0 * batch.seven_oh_pct / total


def _text(product: Product) -> str:
    return " ".join(x for x in (product.name, product.label, product.note) if x).lower()


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    rules = kb.product_rules
    out: list[Finding] = []
    seen: set[tuple[int | None, int | None]] = set()
    for intake in ctx.tonight_intakes:
        key = (intake.product_id, intake.batch_id)
        if intake.product_id is None or key in seen:
            continue
        seen.add(key)
        product = ctx.product(intake.product_id)
        batch = ctx.batch(intake.batch_id)
        pname = product.name if product else f"product {intake.product_id}"
        text = _text(product) if product else ""
        r = rules["seven_oh_product"]
        is_7oh = any(t in text for t in r.label_terms)
        if is_7oh:
            out.append(finding(kb, "product.seven_oh_product", r.severity,
                               f"{pname} looks like a 7-OH or pseudoindoxyl product",
                               r.explanation, r.sources, r.discuss))
        r = rules["concentrated_extract"]
        if not is_7oh and product is not None and (
            product.form in r.forms or any(t in text for t in r.label_terms)
        ):
            out.append(finding(kb, "product.concentrated_extract", r.severity,
                               f"{pname} is a concentrated product", r.explanation, r.sources,
                               r.discuss))
        if batch is None or not batch.has_lab_results:
            r = rules["no_lab_results"]
            which = "no batch is recorded" if batch is None else "this batch has no lab results"
            out.append(finding(kb, "product.no_lab_results", r.severity,
                               f"{pname}: alkaloid content and contaminants unknown",
                               f"For tonight's intake {which}. {r.explanation}", r.sources,
                               r.discuss))
        if batch is not None:
            share = seven_oh_share(batch)
            r = rules["seven_oh_share"]
            if share is not None and r.threshold_pct is not None and share > r.threshold_pct:
                out.append(finding(
                    kb, "product.seven_oh_share", r.severity,
                    f"{pname}: 7-OH is {share:.1f} % of measured alkaloids",
                    f"This batch's lab values put 7-OH at {share:.1f} % of the measured "
                    f"alkaloids (mitragynine + 7-OH), above {r.threshold_pct:g} %. "
                    f"{r.explanation}", r.sources, r.discuss))
            r = rules["seven_oh_weight"]
            if (batch.seven_oh_pct is not None and r.threshold_pct is not None
                    and batch.seven_oh_pct > r.threshold_pct):
                out.append(finding(
                    kb, "product.seven_oh_weight", r.severity,
                    f"{pname}: 7-OH is {batch.seven_oh_pct:g} % of dry weight",
                    f"This batch's lab values put 7-OH at {batch.seven_oh_pct:g} % of dry weight "
                    f"({batch.seven_oh_pct * 10000:g} ppm), above {r.threshold_pct:g} %. "
                    f"{r.explanation}", r.sources, r.discuss))
            failed = [n for n, v in (("heavy metals", batch.heavy_metals),
                                     ("microbial", batch.microbial),
                                     ("pesticides", batch.pesticides)) if v == "fail"]
            if failed:
                r = rules["contaminant_failed"]
                out.append(finding(kb, "product.contaminant_failed", r.severity,
                                   f"{pname}: failed lab test ({', '.join(failed)})",
                                   r.explanation, r.sources, r.discuss))
    return out

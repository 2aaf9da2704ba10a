"""Legal status for the profile's region, and a finding when that entry is over a year old."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nightleaf.errors import InputError
from nightleaf.knowledge.kb import Knowledge
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding
from nightleaf.safety.context import SafetyContext

if TYPE_CHECKING:
    from nightleaf.knowledge.regions import LegalStatus

_SEVERITY = {"banned": "warning", "controlled": "warning", "prescription-only": "caution",
             "restricted": "caution", "regulated": "info", "regulated-with-age-limit": "info",
             "legal": "info", "unknown": "info"}


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    rule = kb.patterns.legal
    region = ctx.profile.region
    if not region:
        return [finding(kb, "legal.no_region", "info", "Legal status: unknown (no region set)",
                        "Set your region (an ISO code such as US-TX or TH) to see what nightleaf's "
                        "sources say about kratom where you live.", rule.sources)]
    try:
        st = kb.legal_status(region, ctx.now.date())
    except InputError as exc:
        return [finding(kb, "legal.invalid_region", "info", "Legal status: unknown",
                        f"The region in your profile is not usable: {exc.message}",
                        rule.sources)]
    if not st.covered:
        return [Finding(rule="legal.status", severity="info",
                        title=f"Legal status in {st.name}: unknown",
                        explanation=st.notes or "unknown", sources=())] + _parent(ctx, kb, st)
    parts = [f"Status in {st.name} ({st.code}): {st.status}"
             + (f", minimum age {st.age_limit}" if st.age_limit else "")
             + (f", since {st.effective}" if st.effective != "unknown" else "") + "."]
    if st.seven_oh:
        parts.append(f"7-OH: {st.seven_oh}")
    if st.notes:
        parts.append(st.notes)
    if st.next_change:
        parts.append(f"Change ahead: {st.next_change}.")
    if st.unverified:
        parts.append(f"Not verified: {st.unverified}")
    if st.localities:
        local = "; ".join(f"{loc.name}: {loc.status}" for loc in st.localities)
        parts.append(f"Local rules: {local}.")
    stale = st.is_stale(ctx.now.date(), rule.stale_after_days)
    parts.append(f"Sources as of {st.as_of}" + (" (more than 12 months old)" if stale else "")
                 + (f", last checked {st.checked}" if st.checked else "")
                 + ". This is not legal advice.")
    out = [Finding(rule="legal.status", severity=_SEVERITY[st.status],
                   title=f"Legal status in {st.name}: {st.status}",
                   explanation=" ".join(parts), sources=st.sources)]
    if stale:
        out.append(_stale(st, rule.stale_after_days, rule.explanation))
    return out + _parent(ctx, kb, st)


def _stale(st: LegalStatus, days: int, why: str, national: bool = False) -> Finding:
    what = "National legal data" if national else "Legal data"
    return Finding(
        rule="legal.stale", severity="info",
        title=f"{what} for {st.code} may be out of date",
        explanation=f"The newest source for {st.name} is from {st.as_of}, more than 12 months "
        f"({days} days) before today. {why} Check the current law with a local authority.",
        sources=st.sources)


def _parent(ctx: SafetyContext, kb: Knowledge, st: LegalStatus) -> list[Finding]:
    parent = st.parent
    if parent is None or not parent.covered or not parent.seven_oh:
        return []
    rule = kb.patterns.legal
    stale = parent.is_stale(ctx.now.date(), rule.stale_after_days)
    out = [Finding(rule="legal.national", severity="info",
                   title=f"National rules in {parent.name}",
                   explanation=f"{parent.name}: {parent.status}. 7-OH: {parent.seven_oh} "
                   f"Sources as of {parent.as_of}"
                   + (" (more than 12 months old: may be out of date)" if stale else "") + ".",
                   sources=parent.sources)]
    if stale:
        out.append(_stale(parent, rule.stale_after_days, rule.explanation, national=True))
    return out

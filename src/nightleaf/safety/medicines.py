"""Medicines with kratom: regular medicines always; as-needed ones and medicines (or other
substances) logged as taken only when taken tonight or within the carry-over window before
tonight's target bedtime (``patterns.toml [carry_over]``, 48 h: mitragynine's half-life is a day
or more, so last night's medicine still meets kratom tonight). Unknown names are reported, never
skipped."""

from __future__ import annotations

from nightleaf.knowledge.kb import ALCOHOL_CLASS, Knowledge, MedicineInfo
from nightleaf.model.clock import local_datetime
from nightleaf.model.entities import Substance
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding, max_severity
from nightleaf.safety.context import SafetyContext


def _when(sub: Substance, ctx: SafetyContext, kb: Knowledge) -> str:
    if sub.night == ctx.tonight:
        return "taken tonight"
    carry = kb.patterns.carry_over
    at = local_datetime(sub.at, ctx.profile.tz)
    return (f"logged as taken on {at:%a %d %b at %H:%M}, within the {carry.hours} hours before "
            f"tonight's bedtime ({carry.explanation.rstrip('.')})")


def _is_alcohol(name: str, kb: Knowledge) -> bool:
    """Alcohol does not carry over: it is gone within hours (the carry-over rests on kratom's
    long half-life meeting a medicine that is still active)."""
    info = kb.find_medicine(name)
    return info is not None and any(c.id == ALCOHOL_CLASS for c in info.classes)


def _names_to_check(ctx: SafetyContext, kb: Knowledge) -> list[tuple[str, str, bool]]:
    """(typed name, why, report if unknown), without duplicates (case-insensitive).

    Substances of kind "other" (e.g. "chamomile tea") are looked up but not reported when
    unknown; medicines and substances of kind "medicine" always are. A name taken several times
    is described by its latest intake."""
    recent = [s for s in ctx.substances_within(kb.patterns.carry_over.hours)
              if s.kind in ("medicine", "other") and s.name
              and (s.night == ctx.tonight or not _is_alcohol(s.name, kb))]
    latest: dict[str, Substance] = {}
    for sub in recent:  # oldest first, so the latest wins
        latest[(sub.name or "").strip().lower()] = sub
    out: list[tuple[str, str, bool]] = []
    seen: set[str] = set()
    for m in ctx.medicines:
        key = m.name.strip().lower()
        if key in seen or not (m.regimen == "regular" or key in latest):
            continue
        why = "a regular medicine" if m.regimen == "regular" else _when(latest[key], ctx, kb)
        out.append((m.name, why, True))
        seen.add(key)
    for key, sub in latest.items():
        if key not in seen:
            out.append((sub.name or "", _when(sub, ctx, kb), sub.kind == "medicine"))
            seen.add(key)
    return out


def describe(info: MedicineInfo, why: str, kb: Knowledge) -> Finding | None:
    if not info.classes:
        return None
    sev = max_severity([c.severity for c in info.classes])
    top = [c for c in info.classes if c.severity == sev][0]
    via = "" if info.name.lower() == info.query.strip().lower() else f" ({info.name})"
    parts = [f"{c.label[:1].upper()}{c.label[1:]}: {c.mechanism}" for c in info.classes]
    sources: list[str] = []
    for c in info.classes:
        sources += [k for k in c.sources if k not in sources]
    title = f"{info.query.strip()}{via} with kratom: {top.label}"
    return finding(kb, f"medicine.{top.id}", sev, title,
                   f"{info.query.strip()} is {why}. " + " ".join(parts), sources, top.discuss)


def check(ctx: SafetyContext, kb: Knowledge) -> list[Finding]:
    out: list[Finding] = []
    for name, why, report_unknown in _names_to_check(ctx, kb):
        info = kb.find_medicine(name)
        if info is None:
            if report_unknown:
                sugg = kb.suggest_medicines(name)
                hint = f" Closest known names: {', '.join(sugg)}." if sugg else ""
                out.append(finding(
                    kb, "medicine.unknown", "info", f"{name}: not in nightleaf's medicine list",
                    f"nightleaf does not recognise {name!r}, so whether it interacts with kratom "
                    f"is unknown here.{hint}",
                    ["M1"], "Ask a pharmacist whether it interacts with kratom.",
                ))
            continue
        f = describe(info, why, kb)
        if f is not None:
            out.append(f)
    return out

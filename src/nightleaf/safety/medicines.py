"""Medicines with kratom: regular medicines always; as-needed ones and medicines logged as a
substance only when taken tonight. Unknown names are reported, never skipped."""

from __future__ import annotations

from nightleaf.knowledge.kb import Knowledge, MedicineInfo
from nightleaf.model.finding import Finding
from nightleaf.safety._finding import finding, max_severity
from nightleaf.safety.context import SafetyContext


def _names_to_check(ctx: SafetyContext) -> list[tuple[str, str, bool]]:
    """(typed name, why, report if unknown), without duplicates (case-insensitive).

    Substances of kind "other" (e.g. "chamomile tea") are looked up but not reported when
    unknown; medicines and substances of kind "medicine" always are."""
    tonight = [s for s in ctx.substances_tonight() if s.kind in ("medicine", "other") and s.name]
    tonight_keys = {s.name.strip().lower() for s in tonight if s.name}
    out: list[tuple[str, str, bool]] = []
    seen: set[str] = set()
    for m in ctx.medicines:
        key = m.name.strip().lower()
        if key in seen or not (m.regimen == "regular" or key in tonight_keys):
            continue
        out.append((m.name, "a regular medicine" if m.regimen == "regular" else "taken tonight",
                    True))
        seen.add(key)
    for sub in tonight:
        name = sub.name or ""
        if name.strip().lower() not in seen:
            out.append((name, "taken tonight", sub.kind == "medicine"))
            seen.add(name.strip().lower())
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
    for name, why, report_unknown in _names_to_check(ctx):
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

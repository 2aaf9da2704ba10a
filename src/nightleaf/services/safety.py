"""Safety use cases: findings for a night or a planned intake, medicine interactions, the law.

Builds a :class:`~nightleaf.safety.SafetyContext` from the store and calls the pure engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from nightleaf.errors import InputError
from nightleaf.knowledge import load_knowledge
from nightleaf.knowledge.kb import MedicineInfo
from nightleaf.model import clock
from nightleaf.model.entities import (
    Intake,
    Medicine,
)
from nightleaf.model.finding import Finding
from nightleaf.safety import SafetyContext, evaluate
from nightleaf.safety.medicines import describe
from nightleaf.services import parse
from nightleaf.services.context import Context
from nightleaf.services.findings import HISTORY_NIGHTS as HISTORY_NIGHTS
from nightleaf.services.findings import Setup, safety_context
from nightleaf.services.findings import findings_for_night as findings_for_night
from nightleaf.services.inputs import IntakeInput
from nightleaf.services.intake import IntakeDraft, draft_intake


@dataclass
class CheckResult:
    night: date
    planned: Intake | None
    findings: list[Finding] = field(default_factory=list)


def check(ctx: Context, inp: IntakeInput | None = None) -> CheckResult:
    """Findings for tonight; with an amount, as if that intake were taken (nothing is saved)."""
    inp = inp or IntakeInput()
    with ctx.tx() as repo:
        setup = Setup(repo)  # the profile, products and batches: read once for draft and checks
        tonight = clock.tonight(ctx.now(), setup.profile.tz)
        planned = None
        night = tonight
        if inp.amount and inp.amount.strip():
            draft = draft_intake(ctx, repo, replace(inp, at=inp.at or "now"), allow_future=True,
                                 night=tonight, setup=setup)
            if draft.intake.at > ctx.now() + timedelta(hours=24):
                raise InputError("a planned intake more than a day ahead cannot be checked "
                                 "against tonight", field="at", code="range")
            planned = draft.intake
            night = planned.night
        elif inp.at:
            raise InputError("a time needs an amount: give the amount you are considering",
                             field="amount", code="required")
        sc = safety_context(ctx, repo, night, planned, setup=setup)
    return CheckResult(night, planned, evaluate(sc, load_knowledge()))


@dataclass
class IntakePreview:
    """An intake exactly as :func:`~nightleaf.services.intake.log_intake` would save it, and the
    findings for its night as if it were saved. Nothing is saved."""

    draft: IntakeDraft
    findings: list[Finding] = field(default_factory=list)
    #: the time is still ahead: a planned intake, checked before it is taken (not savable yet)
    planned: bool = False


#: how far ahead a planned intake can be checked against its night
PLAN_AHEAD = timedelta(hours=24)


def preview_intake(ctx: Context, inp: IntakeInput) -> IntakePreview:
    """The check before taking or saving: one parse, shared by what is shown and what is
    evaluated. A time ahead (up to a day) is a planned intake: checked, never saved as taken."""
    with ctx.tx() as repo:
        setup = Setup(repo)  # the profile, products and batches: read once for draft and checks
        draft = draft_intake(ctx, repo, inp, allow_future=True, setup=setup)
        if draft.intake.at > ctx.now() + PLAN_AHEAD:
            raise InputError("a planned intake can be checked up to a day ahead; give a time "
                             "within the next 24 hours", field="at", code="range")
        sc = safety_context(ctx, repo, draft.intake.night, draft.intake, setup=setup)
    planned = draft.intake.at > ctx.now() + parse.FUTURE_SLACK
    return IntakePreview(draft, evaluate(sc, load_knowledge()), planned)


@dataclass
class MedicineReport:
    """What the knowledge base says about one name with kratom."""

    query: str
    known: bool
    name: str | None = None
    matched_as: str | None = None
    ingredients: tuple[str, ...] = ()
    severity: str | None = None
    classes: list[dict[str, Any]] = field(default_factory=list)
    finding: Finding | None = None
    suggestions: list[str] = field(default_factory=list)
    message: str | None = None


def _report(name: str, info: MedicineInfo | None) -> MedicineReport:
    kb = load_knowledge()
    if info is None:
        sugg = kb.suggest_medicines(name)
        return MedicineReport(
            query=name, known=False, suggestions=sugg,
            message=f"{name!r} is not in nightleaf's medicine list, so whether it interacts with "
            "kratom is unknown here" + (f"; did you mean {', '.join(sugg)}?" if sugg else
                                          "; ask a pharmacist."))
    classes = [{"id": c.id, "label": c.label, "severity": c.severity, "inferred": c.inferred,
                "mechanism": c.mechanism, "discuss": c.discuss,
                "sources": [{"title": s.title, "url": s.url} for s in kb.cite(c.sources)]}
               for c in info.classes]
    msg = None if info.classes else (
        f"{info.name}: nightleaf records no interaction class for it. That is not the same as "
        "no interaction; ask a pharmacist.")
    what = ("a substance you asked about" if info.name in kb.substance_names
            else "a medicine you asked about")
    return MedicineReport(query=name, known=True, name=info.name, matched_as=info.matched_as,
                          ingredients=info.ingredients, severity=info.severity, classes=classes,
                          finding=describe(info, what, kb), message=msg)


def interactions(_ctx: Context, names: list[str]) -> list[MedicineReport]:
    """What is known about each name with kratom; unknown names say so, with suggestions."""
    cleaned = [n.strip() for n in names if n and n.strip()]
    if not cleaned:
        raise InputError("name at least one medicine, e.g. tramadol", field="names",
                         code="required")
    kb = load_knowledge()
    return [_report(n, kb.find_medicine(n)) for n in cleaned]


def medicine_reports(ctx: Context) -> list[tuple[Medicine, MedicineReport]]:
    """Each saved medicine with what the knowledge base says about it (web: beside each)."""
    kb = load_knowledge()
    with ctx.tx() as repo:
        meds = repo.all(Medicine)
    return [(m, _report(m.name, kb.find_medicine(m.name))) for m in meds]


@dataclass
class LegalReport:
    region: str | None
    status: dict[str, Any] | None
    findings: list[Finding]


def legal(ctx: Context, region: str | None = None) -> LegalReport:
    """The legal status for ``region`` (default: the profile's), with its findings."""
    profile = ctx.profile()
    code = region.strip() if region and region.strip() else profile.region
    if not code:
        raise InputError("no region given and none in your profile: give a region such as US-CA, "
                         "or set it in your profile", field="region", code="required")
    kb = load_knowledge()
    today = clock.local_datetime(ctx.now(), profile.tz).date()
    st = kb.legal_status(code, today)  # InputError for invalid codes
    from dataclasses import replace

    from nightleaf.safety import legal as legal_rule

    sc = SafetyContext(profile=replace(profile, region=st.code), now=ctx.now())
    return LegalReport(st.code, st.as_dict(kb.patterns.legal.stale_after_days),
                       legal_rule.check(sc, kb))


@dataclass
class LegalOverview:
    """Every covered jurisdiction (``legal --all``), judged against ``today``."""

    today: str
    count: int
    stale_count: int
    regions: list[dict[str, Any]]


def legal_all(ctx: Context) -> LegalOverview:
    """Every jurisdiction nightleaf has an entry for, with status, dates, sources and staleness."""
    from nightleaf.knowledge.regions import all_statuses

    profile = ctx.profile()
    kb = load_knowledge()
    today = clock.local_datetime(ctx.now(), profile.tz).date()
    days = kb.patterns.legal.stale_after_days
    rows = []
    for st in all_statuses(kb, today):
        d = st.as_dict(days)
        d.pop("parent", None)  # each national entry is listed in its own right
        rows.append(d)
    return LegalOverview(today.isoformat(), len(rows), sum(1 for r in rows if r["stale"]), rows)

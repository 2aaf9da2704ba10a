"""Use cases of the evening and the morning: tonight's plan, reminders, the morning check-in.

Numbers are the person's own settings (bedtime, lead time, wake time). The one-line explanation of
onset and peak cites its sources; what the sources do not say is called unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from nightleaf.errors import InputError
from nightleaf.io import ics
from nightleaf.knowledge.evening import onset_facts
from nightleaf.model import clock, validate
from nightleaf.model.entities import (
    Intake,
    Note,
    PainRating,
    Product,
    Profile,
    RoutineItem,
    SleepEntry,
    Substance,
    Symptom,
)
from nightleaf.model.finding import Finding, Source
from nightleaf.plan import Consistency, TonightPlan, build_plan, consistency, reminders
from nightleaf.plan.consistency import WINDOW_NIGHTS
from nightleaf.services import diary, parse, safety
from nightleaf.services.context import Context
from nightleaf.services.download import Download
from nightleaf.services.inputs import IntakeInput, MorningInput, PainInput, SymptomInput
from nightleaf.services.parse import resolve_night
from nightleaf.sleep import diary_metrics, regularity


# -- tonight -----------------------------------------------------------------------------------
@dataclass
class Explanation:
    """Why the lead time is a lead time: what the sources say about onset and peak."""

    lead: str
    onset: str
    peak: str
    unknown: str
    sources: list[Source] = field(default_factory=list)

    @property
    def line(self) -> str:
        return f"{self.onset} {self.peak} {self.unknown}"


@dataclass
class LoggedIntake:
    id: int | None
    at: datetime  # local
    amount: str
    grams: float | None
    product: str | None


@dataclass
class LoggedTonight:
    intakes: list[LoggedIntake] = field(default_factory=list)
    substances: list[Substance] = field(default_factory=list)
    pain: list[PainRating] = field(default_factory=list)
    symptoms: list[Symptom] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    routine_done: list[int] = field(default_factory=list)


@dataclass
class Tonight:
    night: date
    now: datetime  # local
    settings: dict[str, Any]
    plan: TonightPlan
    explanation: Explanation
    logged: LoggedTonight
    consistency: Consistency
    findings: list[Finding]
    findings_status: str
    planned_amount: str | None = None
    #: tonight's arm of a running self-experiment, in words ("arm B: intake at 21:00 ...")
    experiment_arm: str | None = None


def explanation(profile: Profile) -> Explanation:
    facts = onset_facts()
    keys = tuple(dict.fromkeys(facts.onset.sources + facts.peak.sources))
    return Explanation(
        lead=f"Your lead time is {profile.lead_minutes} min between intake and bedtime: your own "
             "setting, not a recommendation.",
        onset=facts.onset.text, peak=facts.peak.text, unknown=facts.unknown.text,
        sources=list(facts.cite(keys)))


def _safety(ctx: Context, night: date, plan: TonightPlan, amount: str | None,
            product: str | None) -> tuple[list[Finding], Intake | None, str]:
    """Findings from the safety service: with ``amount``, as if taken at the planned time."""
    if amount is not None and amount.strip():
        r = safety.check(ctx, IntakeInput(amount=amount, at=plan.intake_at.isoformat(),
                                          product=product))
        return r.findings, r.planned, "checked with your planned amount at your planned time"
    if product:
        raise InputError("a product needs an amount: give the amount you plan (your own choice)",
                         field="product", code="needs_amount")
    return (safety.findings_for_night(ctx, night), None,
            "checked for tonight as logged; give an amount to include a planned intake")


def tonight(ctx: Context, *, amount: str | None = None, product: str | None = None) -> Tonight:
    """Tonight's plan, what is logged so far, drift from the target, and safety findings."""
    now = ctx.now()
    profile = ctx.profile()
    tz = profile.tz
    z = clock.zone(tz)
    night = clock.tonight(now, tz)
    first = night - timedelta(days=WINDOW_NIGHTS)
    with ctx.tx() as repo:
        items = repo.all(RoutineItem)
        checks = repo.routine_checks(first=night, last=night)
        intakes = repo.intakes(first=night, last=night)
        products = {p.id: p for p in repo.all(Product)}
        logged = LoggedTonight(
            intakes=[LoggedIntake(i.id, clock.local_datetime(i.at, tz), i.amount.label(), i.grams,
                                  products[i.product_id].name if i.product_id in products
                                  else None) for i in intakes],
            substances=repo.all(Substance, first=night, last=night),
            pain=repo.all(PainRating, first=night, last=night),
            symptoms=repo.all(Symptom, first=night, last=night),
            notes=repo.all(Note, first=night, last=night),
            routine_done=[c.item_id for c in checks if c.done])
        entries = repo.all(SleepEntry, first=first, last=night - timedelta(days=1))
        plan = build_plan(profile, items, night, set(logged.routine_done))
    cons = consistency(entries, target_bedtime=profile.target_bedtime,
                       target_wake=profile.target_wake, first=first,
                       last=night - timedelta(days=1), tz=tz, planned_intake=plan.intake_at,
                       logged_intake=intakes[0].at if intakes else None)
    cons.regularity = _regularity(profile, entries, first, night - timedelta(days=1))
    findings, planned, status = _safety(ctx, night, plan, amount, product)
    settings = {"tz": tz, "target_bedtime": f"{profile.target_bedtime:%H:%M}",
                "lead_minutes": profile.lead_minutes,
                "target_wake": f"{profile.target_wake:%H:%M}" if profile.target_wake else None,
                "note": "These are your own settings; nightleaf never suggests a dose or a time."}
    return Tonight(night=night, now=now.astimezone(z), settings=settings, plan=plan,
                   explanation=explanation(profile), logged=logged, consistency=cons,
                   findings=findings, findings_status=status,
                   planned_amount=planned.amount.label() if planned else None,
                   experiment_arm=_experiment_arm(ctx, night))


def _experiment_arm(ctx: Context, night: date) -> str | None:
    from nightleaf.services.experiments import tonight_arm

    arm = tonight_arm(ctx, night)
    return f"{arm.name} — {arm.text}" if arm is not None else None


def _regularity(profile: Profile, entries: list[SleepEntry], first: date,
                last: date) -> dict[str, object]:
    """SRI and timing SDs of the recent diary nights (nightleaf.sleep.regularity)."""
    if not entries:
        return {}
    r = regularity.window_regularity(
        regularity.diary_intervals(entries), first, last, profile, source="diary",
        lights_out=[e.tried_to_sleep for e in entries if e.tried_to_sleep])
    return {"source": "nightleaf.sleep.regularity (diary)", "sri": r.sri.sri,
            "sri_rule": r.sri.rule, "sri_note": r.sri.reason,
            "sd_lights_out_minutes": r.sd_lights_out_minutes,
            "sd_mid_sleep_minutes": r.sd_mid_sleep_minutes,
            "sd_offset_minutes": r.sd_offset_minutes}


# -- reminders ---------------------------------------------------------------------------------
@dataclass
class Reminders:
    download: Download  # the .ics calendar
    tz: str
    events: list[dict[str, str]]


def reminders_calendar(ctx: Context) -> Reminders:
    """The daily reminders as an .ics calendar (bytes); the same UIDs every time."""
    now = ctx.now()
    profile = ctx.profile()
    with ctx.tx() as repo:
        items = repo.all(RoutineItem)
        from nightleaf.services.experiments import experiment_reminders

        extra = experiment_reminders(repo, profile, clock.tonight(now, profile.tz))
    rs = reminders(profile, items, clock.tonight(now, profile.tz)) + extra
    cal = ics.calendar(rs, stamp=now, person_id=ctx.person_id)
    download = Download(ics.calendar_bytes(cal), "nightleaf-reminders.ics", "text/calendar")
    return Reminders(download, profile.tz, [
        {"uid": ics.uid_for(r.key, ctx.person_id), "summary": r.summary,
         "time": f"{r.start:%H:%M}", "first": r.start.isoformat(), "repeats": "daily"}
        for r in rs])


# -- morning check-in --------------------------------------------------------------------------
MORNING_AVERAGE_NIGHTS = 14


@dataclass
class MorningDefaults:
    """Defaults for the prompts: the saved entry of that night, else last night's plan."""

    night: date
    basis: str  # "your saved diary entry" or "last night's plan (your settings)"
    saved: bool  # an entry for that night is already saved
    into_bed: str | None = None
    tried_to_sleep: str | None = None
    sol: str | None = None
    awakenings: str | None = None
    waso: str | None = None
    final_awakening: str | None = None
    out_of_bed: str | None = None
    quality: str | None = None
    rested: str | None = None


@dataclass
class MetricRow:
    metric: str
    unit: str
    last_night: float | None
    recent_mean: float | None
    recent_nights: int


@dataclass
class MorningResult:
    night: date
    entry: SleepEntry
    pain: PainRating | None
    symptoms: list[Symptom]
    metrics_source: str
    comparison: list[MetricRow]
    average_window: tuple[date, date]


def morning_night(ctx: Context, night: str | None = None) -> date:
    """The night a morning check-in is about: the evening before today (local), unless given."""
    tz = ctx.profile().tz
    if night and night.strip():
        return resolve_night(ctx, night, tz)
    return clock.local_datetime(ctx.now(), tz).date() - timedelta(days=1)


def _hm(instant: datetime | None, tz: str) -> str | None:
    return None if instant is None else f"{clock.local_datetime(instant, tz):%H:%M}"


def _num(v: float | int | None) -> str | None:
    return None if v is None else f"{v:g}"


def morning_defaults(ctx: Context, night: str | None = None) -> MorningDefaults:
    profile = ctx.profile()
    tz = profile.tz
    n = morning_night(ctx, night)
    with ctx.tx() as repo:
        saved = repo.sleep_entry(n)
        items = repo.all(RoutineItem)
    if saved is not None:
        return MorningDefaults(
            n, "your saved diary entry", True, _hm(saved.into_bed, tz), _hm(saved.tried_to_sleep, tz),
            _num(saved.sol_minutes), _num(saved.awakenings), _num(saved.waso_minutes),
            _hm(saved.final_awakening, tz), _hm(saved.out_of_bed, tz), _num(saved.quality),
            _num(saved.rested))
    plan = build_plan(profile, items, n)
    wake = f"{plan.morning_checkin:%H:%M}" if plan.morning_checkin else None
    bed = f"{plan.bedtime:%H:%M}"
    return MorningDefaults(n, "last night's plan (your settings)", False, into_bed=bed,
                           tried_to_sleep=bed, final_awakening=wake, out_of_bed=wake)


def _symptoms(ctx: Context, specs: list[str], kind: str, at: str) -> list[Symptom]:
    out = []
    for spec in specs:
        if not spec or not spec.strip():
            continue
        name, sep, sev = spec.rpartition(":")
        if not sep or not name.strip():
            raise InputError(f"write {kind.replace('_', ' ')}s as name:severity, e.g. nausea:1 "
                             f"(got {spec!r}); severity 0 none .. 4 very severe",
                             field=f"{kind}s" if kind == "side_effect" else kind, code="format")
        try:
            out.append(diary.symptom(ctx, SymptomInput(name=name, severity=sev, kind=kind, at=at)))
        except InputError as exc:  # about the list the person typed, not a single input
            raise InputError(f"{spec.strip()}: {exc.message}", code=exc.code,
                             field=f"{kind}s" if kind == "side_effect" else kind) from None
    return out


def check_answer(field: str, raw: str) -> None:
    """Check one answer of the morning check-in on its own (for a prompt that asks again),
    with the same parsers and ranges as :func:`save_morning`; raise InputError otherwise."""
    times = dict(diary.SLEEP_TIMES)
    numbers = {fid: (what, w) for fid, what, w in diary.SLEEP_NUMBERS}
    if field in times:
        parse.attach(field, "time", lambda: clock.parse_wall_time(raw))
    elif field in numbers:
        what, is_whole = numbers[field]
        diary.check_sleep_number(field, (parse.whole if is_whole else parse.number)(
            raw, field, what))
    elif field == "nrs":
        v = parse.whole(raw, "nrs", "pain (NRS)")
        validate.in_range(v, 0, 10, "pain (NRS)", "nrs")
    elif field in ("side_effects", "withdrawal"):
        for part in raw.split(","):
            name, sep, sev = part.rpartition(":")
            if part.strip() and (not sep or not name.strip()):
                raise InputError("write them as name:severity, comma-separated, e.g. nausea:1",
                                 field=field, code="format")
            if part.strip():
                validate.in_range(parse.whole(sev, field, "severity"), 0, 4, "severity", field)
    else:
        raise InputError(f"no morning question {field!r}", field=field, code="unknown")


#: the side effects and withdrawal signs offered for picking (the person may type others);
#: withdrawal signs as listed in knowledge/data/patterns.toml ("withdrawal" pattern)
KNOWN_SYMPTOMS: dict[str, tuple[str, ...]] = {
    "side_effect": ("nausea", "constipation", "itching", "dizziness", "headache", "drowsiness",
                    "dry mouth", "loss of appetite"),
    "withdrawal": ("restlessness", "muscle aches", "sleeping difficulty", "runny nose and eyes",
                   "hot flashes", "diarrhoea", "irritability"),
}
#: PEG (pain, enjoyment of life, general activity) is offered once a week
PEG_INTERVAL_DAYS = 7


def is_morning_part(instant: datetime, night: date, tz: str) -> bool:
    """An entry of ``night`` written in its morning part (after local midnight)."""
    return clock.local_datetime(instant, tz).date() > night


@dataclass
class MorningSaved:
    """What a morning check-in saved for one night: the diary entry, the morning pain rating and
    the side effects and withdrawal signs of the morning (what the form shows again)."""

    night: date
    entry: SleepEntry | None
    pain: PainRating | None
    symptoms: list[Symptom]
    peg_due: bool  # no PEG in the last PEG_INTERVAL_DAYS nights


def morning_saved(ctx: Context, night: date) -> MorningSaved:
    tz = ctx.profile().tz
    with ctx.tx() as repo:
        entry = repo.sleep_entry(night)
        pains = [p for p in repo.all(PainRating, first=night, last=night)
                 if p.context == "morning"]
        syms = [s for s in repo.all(Symptom, first=night, last=night)
                if is_morning_part(s.at, night, tz)]
        recent = repo.all(PainRating, first=night - timedelta(days=PEG_INTERVAL_DAYS - 1),
                          last=night)
    peg_due = not any(p.peg_pain is not None for p in recent)
    return MorningSaved(night, entry, pains[-1] if pains else None, syms, peg_due)


def save_morning(ctx: Context, a: MorningInput, *, version: str | None = None) -> MorningResult:
    """Validate every answer, then save them together: the diary entry, morning pain and
    symptoms. A bad answer saves nothing.

    Idempotent per night: the night keeps one diary entry and one morning pain rating however
    often it is saved, and the morning's side effects and withdrawal signs are replaced by the
    ones given. ``nrs`` None (not asked) keeps a saved rating, ``""`` removes it; symptom lists
    None keep the saved ones, a list (even empty) replaces them. ``version``: the night's
    version the person saw (``diary.night_version``); 409 if the night changed since."""
    profile = ctx.profile()
    tz = profile.tz
    n = morning_night(ctx, a.night)
    sleep = a.sleep()
    sleep.night = n.isoformat()
    entry = diary.sleep_entry(ctx, sleep)
    now = ctx.now()
    at_instant = now
    if clock.night_of(now, tz) != n:  # filled in later: attach to that morning
        at_instant = entry.out_of_bed or entry.final_awakening or now
    if not is_morning_part(at_instant, n, tz):  # the morning part of the night, after midnight
        seven = clock.resolve_local(n + timedelta(days=1), time(7, 0), tz)
        at_instant = seven if seven <= now else at_instant
    at = at_instant.isoformat()
    pain = None
    if a.nrs is not None and str(a.nrs).strip():
        pain = diary.pain_rating(ctx, PainInput(
            nrs=a.nrs, context="morning", at=at, peg_pain=a.peg_pain,
            peg_enjoyment=a.peg_enjoyment, peg_activity=a.peg_activity))
    elif any(v and v.strip() for v in (a.peg_pain, a.peg_enjoyment, a.peg_activity)):
        raise InputError("PEG goes with the pain rating: give pain now (0-10) too",
                         field="nrs", code="required")
    replace = {kind: specs is not None for kind, specs in
               (("side_effect", a.side_effects), ("withdrawal", a.withdrawal))}
    symptoms = _symptoms(ctx, a.side_effects or [], "side_effect", at) + \
        _symptoms(ctx, a.withdrawal or [], "withdrawal", at)
    with ctx.tx() as repo:
        diary.check_night(repo, n, version)
        entry = repo.save_sleep_entry(entry)
        old_pain = [p for p in repo.all(PainRating, first=n, last=n) if p.context == "morning"]
        if pain is not None or a.nrs is not None:  # given (a value or "" to remove)
            for p in old_pain:
                repo.delete(PainRating, p.id)  # type: ignore[arg-type]
            if pain is not None:
                pain = repo.add(pain)
        elif old_pain:
            pain = old_pain[-1]
        kept = []
        for s in repo.all(Symptom, first=n, last=n):
            if not is_morning_part(s.at, n, tz):
                continue
            if replace.get(s.kind, False):
                repo.delete(Symptom, s.id)  # type: ignore[arg-type]
            else:
                kept.append(s)
        symptoms = kept + [repo.add(s) for s in symptoms]
        first = n - timedelta(days=MORNING_AVERAGE_NIGHTS)
        recent = repo.all(SleepEntry, first=first, last=n - timedelta(days=1))
    source, rows = compare_nights(entry, recent)
    return MorningResult(n, entry, pain, symptoms, source, rows, (first, n - timedelta(days=1)))


_ROWS = (("tib", "TIB (time in bed)", "min"), ("tst", "TST (total sleep time)", "min"),
         ("sol", "SOL (minutes to fall asleep)", "min"), ("waso", "WASO (minutes awake)", "min"),
         ("se", "SE (sleep efficiency)", "%"), ("quality", "quality (1-5)", ""))


def compare_nights(last: SleepEntry, recent: list[SleepEntry]) -> tuple[str, list[MetricRow]]:
    """Last night's diary metrics next to the mean of the recent nights (each metric over the
    nights where it is known)."""
    source = "the sleep-diary formulas of the Consensus Sleep Diary (docs/metrics.md)"

    def calc(e: SleepEntry) -> dict[str, float | None]:
        m = diary_metrics(e)
        return {"tib": m.tib_minutes, "tst": m.tst_minutes, "sol": m.sol_minutes,
                "waso": m.waso_minutes, "se": m.se_percent,
                "quality": float(m.quality) if m.quality is not None else None}
    mine = calc(last)
    others = [calc(e) for e in recent]
    rows = []
    for key, label, unit in _ROWS:
        vals = [o[key] for o in others if o[key] is not None]
        mean = round(sum(vals) / len(vals), 1) if vals else None  # type: ignore[arg-type]
        v = mine[key]
        rows.append(MetricRow(label, unit, round(v, 1) if v is not None else None, mean, len(vals)))
    return source, rows

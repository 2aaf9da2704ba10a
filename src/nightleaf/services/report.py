"""Gather everything the clinician report shows, for a period of nights.

Numbers come from the shared calculators: :func:`nightleaf.stats.window.summarise_window` for
the nightly rows, intake pattern, sleep and pain summaries, and
:func:`nightleaf.services.safety.findings_for_night` for the safety findings. The "what changed"
sentences compare the first and second half of the period with the same summaries. Rendering
(PDF, HTML) lives in :mod:`nightleaf.io.report`; this module only collects and words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta

from nightleaf.errors import InputError, NotFound
from nightleaf.model import clock
from nightleaf.model.entities import (
    Batch,
    Condition,
    Medicine,
    PainRating,
    Product,
    SleepEntry,
    SleepEpisode,
    Substance,
    Symptom,
)
from nightleaf.model.report import (
    MIN_NIGHTS_PER_HALF,
    Change,
    ExperimentSection,
    ReportData,
    SymptomRow,
)
from nightleaf.services import safety as safety_svc
from nightleaf.services import summary as summary_svc
from nightleaf.services.context import Context
from nightleaf.services.download import Download
from nightleaf.services.parse import resolve_night
from nightleaf.stats.describe import Describe
from nightleaf.stats.window import WindowSummary, summarise_window

DEFAULT_DAYS = 28

__all__ = ["DEFAULT_DAYS", "MIN_NIGHTS_PER_HALF", "Change", "ReportData", "ReportFile",
           "SymptomRow", "build_report", "render_report"]


def _symptoms(items: list[Symptom]) -> list[SymptomRow]:
    groups: dict[tuple[str, str], list[Symptom]] = {}
    for s in items:
        groups.setdefault((s.kind, s.name.strip().lower()), []).append(s)
    rows = [SymptomRow(kind=k, name=n, nights=len({s.night for s in v}),
                       max_severity=max(s.severity for s in v), last_night=max(s.night for s in v))
            for (k, n), v in groups.items()]
    return sorted(rows, key=lambda r: (r.kind != "withdrawal", -r.nights, r.name))


def _mean(d: Describe) -> float | None:
    return d.mean


def _changes(a: WindowSummary, b: WindowSummary) -> list[Change]:
    def c(label: str, unit: str, da: Describe, db: Describe, *, median: bool = False) -> Change:
        pick = (lambda d: d.median) if median else _mean
        return Change(label, unit, pick(da), pick(db), da.n, db.n)

    ia, ib = a.intake, b.intake
    return [
        Change("Nights with kratom per week", "nights/week", ia.mean_nights_per_week,
               ib.mean_nights_per_week, a.days, b.days),
        c("Amount per night with use (median)", "g", ia.grams_per_use_night,
          ib.grams_per_use_night, median=True),
        c("Last intake to trying to sleep (median)", "min", ia.minutes_last_intake_to_sleep,
          ib.minutes_last_intake_to_sleep, median=True),
        c("Total sleep time (mean)", "h", _hours(a.diary["tst_minutes"]),
          _hours(b.diary["tst_minutes"])),
        c("Sleep efficiency (mean)", "%", a.diary["se_percent"], b.diary["se_percent"]),
        c("Time to fall asleep (mean)", "min", a.diary["sol_minutes"], b.diary["sol_minutes"]),
        c("Sleep quality 1-5 (mean)", "", a.diary["quality"], b.diary["quality"]),
        c("Evening pain 0-10 (mean)", "", a.pain["evening_nrs"], b.pain["evening_nrs"]),
        c("Morning pain 0-10 (mean)", "", a.pain["morning_nrs"], b.pain["morning_nrs"]),
    ]


def _hours(d: Describe) -> Describe:
    def h(v: float | None) -> float | None:
        return None if v is None else v / 60.0

    return Describe(d.n, d.missing, h(d.mean), h(d.median), h(d.sd), h(d.minimum), h(d.maximum))


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "unknown"
    digits = 0 if unit in ("min", "%") else 1
    text = f"{v:.{digits}f}"
    return f"{text} {unit}".strip() if unit not in ("", "nights/week") else text


def _summary(d: ReportData) -> list[str]:
    w = d.window
    i = w.intake
    out = [f"Kratom was logged on {i.nights_with_use} of {w.days} nights "
           f"({i.mean_nights_per_week:.1f} per week on average); the longest run of consecutive "
           f"nights with use was {i.longest_streak}, and the run at the end of the period is "
           f"{i.current_streak}."]
    g = i.grams_per_use_night
    if g.n:
        out.append(f"On nights with use the amount logged was {g.median:.1f} g (median; range "
                   f"{g.minimum:.1f}-{g.maximum:.1f} g, {g.n} nights with a known amount).")
    if i.nights_with_use and g.n < i.nights_with_use:
        out.append(f"On {i.nights_with_use - g.n} nights the amount in grams is unknown "
                   "(for example capsules without a size).")
    tst, se = w.diary["tst_minutes"], w.diary["se_percent"]
    if tst.mean is not None:
        eff = f" and sleep efficiency {se.mean:.0f} %" if se.mean is not None else ""
        out.append(f"Diary: {tst.n} nights; total sleep time {tst.mean / 60:.1f} h{eff} on "
                   "average.")
    else:
        out.append("No sleep diary nights in this period, so sleep figures are unknown.")
    ev, mo = w.pain["evening_nrs"], w.pain["morning_nrs"]
    if ev.n or mo.n:
        out.append(f"Pain (0-10): evening {_fmt(ev.mean, '')}, morning {_fmt(mo.mean, '')} on "
                   "average.")
    for c in d.changes:
        if c.first is None or c.second is None:
            continue
        if not c.enough:
            continue
        diff = c.second - c.first
        scale = {"g": 0.25, "min": 10, "h": 0.25, "%": 3, "nights/week": 0.5}.get(c.unit, 0.5)
        if abs(diff) < scale:
            continue
        word = "higher" if diff > 0 else "lower"
        out.append(f"{c.label}: {_fmt(c.second, c.unit)} in the second half vs "
                   f"{_fmt(c.first, c.unit)} in the first ({word}).")
    withdrawal = [s for s in d.symptoms if s.kind == "withdrawal"]
    side = [s for s in d.symptoms if s.kind == "side_effect"]
    if withdrawal or side:
        out.append(f"Side effects were noted on {sum(s.nights for s in side)} occasions and "
                   f"withdrawal signs on {sum(s.nights for s in withdrawal)}.")
    serious = [f for f in d.findings if f.severity in ("warning", "danger")]
    if serious:
        out.append(f"{len(serious)} safety finding(s) at warning level or above are listed below.")
    out.append("These are the person's own entries, summarised descriptively. Differences between "
               "the halves may be chance; nothing here says whether use is safe or what amount to "
               "take.")
    return out


def _split(first: date, last: date) -> tuple[tuple[date, date], tuple[date, date]] | None:
    days = (last - first).days + 1
    if days < 2 * MIN_NIGHTS_PER_HALF:
        return None
    mid = first + timedelta(days=days // 2 - 1)
    return (first, mid), (mid + timedelta(days=1), last)


def build_report(ctx: Context, first: str | None = None, last: str | None = None, *,
                 show_name: bool = True, days: int = DEFAULT_DAYS) -> ReportData:
    """Everything the report shows for the nights ``first..last`` (default: the last 28)."""
    if not ctx.has_profile():
        raise NotFound("the journal has no profile yet, so the report cannot tell your time zone "
                       "or nights; set up your profile (time zone) first", field="tz")
    profile = ctx.profile()
    if first is None or not first.strip():
        start, end = summary_svc.summary_window(ctx, days, last)
    else:  # the same default end as `nightleaf summary`: the last complete night
        end = summary_svc.summary_window(ctx, 1, last)[1]
        start = resolve_night(ctx, first, profile.tz)
    if start > end:
        raise InputError(f"the period starts ({start}) after it ends ({end}); choose a first "
                         "night on or before the last", field="from")
    if (end - start).days + 1 > summary_svc.MAX_DAYS:
        raise InputError(f"the period is longer than {summary_svc.MAX_DAYS // 366} years; choose a "
                         "shorter one", field="from")
    with ctx.tx() as repo:
        intakes = repo.intakes(first=start, last=end)
        sleep = repo.all(SleepEntry, first=start, last=end)
        pain = repo.all(PainRating, first=start, last=end)
        symptoms = repo.all(Symptom, first=start, last=end)
        substances = repo.all(Substance, first=start, last=end)
        episodes: list[SleepEpisode] = repo.episodes(first=start, last=end)
        medicines, conditions = repo.all(Medicine), repo.all(Condition)
        products, batches = repo.all(Product), repo.all(Batch)
        everything = repo.intakes() if not (intakes or sleep or pain or symptoms) else []
        # the default period ends with the last complete night; when that is empty but tonight
        # has entries (a first evening), the report takes tonight in rather than refuse
        tonight = clock.tonight(ctx.now(), profile.tz)
        if (not (intakes or sleep or pain or symptoms or episodes or substances)
                and not (last and last.strip()) and tonight > end):
            extra = (repo.intakes(first=tonight, last=tonight),
                     repo.all(PainRating, first=tonight, last=tonight),
                     repo.all(Symptom, first=tonight, last=tonight),
                     repo.all(Substance, first=tonight, last=tonight))
            if any(extra):
                end = tonight
                intakes, pain, symptoms, substances = extra
        logged_at_all = bool(everything) or any(
            repo.all(kind) for kind in (SleepEntry, PainRating, Symptom, Substance))
    if not (intakes or sleep or pain or symptoms or episodes or substances):
        if not logged_at_all:
            raise NotFound("nothing is logged yet, so there is nothing to report: log a night "
                           "first (`nightleaf log intake`, `nightleaf morning`)")
        hint = ""
        if everything:
            hint = (f"; the journal has intakes from {everything[0].night} to "
                    f"{everything[-1].night}")
        raise NotFound(f"nothing was logged between {start} and {end}, so there is nothing to "
                       f"report{hint}. Choose another period")

    def window(a: date, b: date) -> WindowSummary:
        # the same calculators as `nightleaf summary`, on the records already loaded
        return summarise_window(first_night=a, last_night=b, profile=profile, entries=sleep,
                                episodes=episodes, intakes=intakes, pain=pain, symptoms=symptoms,
                                products=products)

    whole = window(start, end)
    split = _split(start, end)
    halves = (window(*split[0]), window(*split[1])) if split else None
    tonight = clock.tonight(ctx.now(), profile.tz)
    findings = safety_svc.findings_for_night(ctx, tonight)
    used_products = {i.product_id for i in intakes}
    data = ReportData(
        generated_at=ctx.now().astimezone(UTC), first_night=start, last_night=end,
        profile=profile, show_name=show_name, medicines=medicines, conditions=conditions,
        products=[p for p in products if p.id in used_products] or products,
        batches=[b for b in batches if b.id in {i.batch_id for i in intakes}
                 or b.product_id in used_products],
        window=whole, halves=halves, symptoms=_symptoms(symptoms),
        substances=_substance_nights(substances), findings=findings, findings_night=tonight,
    )
    if halves:
        data.changes = _changes(*halves)
    data.summary = _summary(data)
    data.experiments = _experiments(ctx, start, end)
    return data


def _experiments(ctx: Context, first: date, last: date) -> list[ExperimentSection]:
    """The self-experiments that ran during the period (kept apart: their own section)."""
    from nightleaf.services import experiments as exp_svc

    out = []
    for v in exp_svc.list_experiments(ctx):
        if v.start > last or v.end < first:
            continue
        pairs = "1 pair" if v.pairs == 1 else f"{v.pairs} pairs"
        design = (f"Design: arm A = {v.a_text}; arm B = {v.b_text}. {pairs} of "
                  f"{v.period}-night periods from {v.start} to {v.end}, each pair AB or BA at "
                  f"random (seed {v.seed}); the first {v.washout} nights of each period are "
                  f"wash-out (logged, not in the main analysis). Main outcome {v.outcome}, "
                  f"smallest difference that matters {v.mid_text}, fixed before the first "
                  f"night; sleep outcomes from the {v.source_text}. "
                  f"Analysis: {v.analysis}.")
        if v.stopped_reason:
            design += f" Stopped early: {v.stopped_reason}."
        out.append(ExperimentSection(design, exp_svc.result(ctx, v.id)))
    return out


def _substance_nights(items: list[Substance]) -> dict[str, int]:
    nights: dict[str, set[date]] = {}
    for s in items:
        nights.setdefault(s.kind, set()).add(s.night)
    return {k: len(v) for k, v in sorted(nights.items())}



@dataclass(frozen=True)
class ReportFile:
    download: Download
    first_night: date
    last_night: date
    pages: int | None  # None for HTML
    findings: int


MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def report_filename(data: ReportData, fmt: str = "pdf") -> str:
    return f"nightleaf-report-{data.first_night}-to-{data.last_night}.{fmt}"


def render_report(ctx: Context, first: str | None = None, last: str | None = None, *,
                  show_name: bool = True, fmt: str = "pdf") -> ReportFile:
    """Build the report for ``first..last`` and render it as ``fmt`` (``pdf`` or ``html``)."""
    if fmt not in MEDIA:
        raise InputError(f"unknown report format {fmt!r}: use pdf or html", field="out")
    from nightleaf.io import report as render

    data = build_report(ctx, first, last, show_name=show_name)
    pages: int | None = None
    if fmt == "pdf":
        pdf = render.render_report_pdf(data)
        content, pages = bytes(pdf), pdf.pages
    else:
        content = render.render_report_html(data)
    return ReportFile(Download(content, report_filename(data, fmt), MEDIA[fmt]),
                      data.first_night, data.last_night, pages, len(data.findings))

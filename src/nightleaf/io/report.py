"""Render the clinician report (:class:`nightleaf.model.report.ReportData`) as PDF or HTML.

Both formats show the same content: :func:`report_tables` turns the data into titled tables of
plain strings and :func:`charts` draws the same matplotlib figures (PNG). The PDF uses fpdf2
with the DejaVu fonts that ship inside matplotlib (so ≥, – and accents print); the HTML is a
self-contained page (charts inlined as data URIs, no scripts, no CDN) from
``io/templates/report.html``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nightleaf.model.report import ReportData
    from nightleaf.stats.describe import Describe
    from nightleaf.stats.window import NightRow, WindowSummary

SEVERITY_LABEL = {"info": "Info", "caution": "Caution", "warning": "Warning", "danger": "Danger"}
DISCLAIMER = ("This report summarises what the person logged in a private journal (nightleaf). "
              "It is not a diagnosis, not medical advice, and it never recommends an amount or "
              "says that use is safe. Figures are as entered; unknown values are shown as \u2014.")
DASH = "\u2014"


@dataclass(frozen=True)
class TableData:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    note: str | None = None


# -- formatting ------------------------------------------------------------------------------
def num(v: float | None, digits: int = 1, unit: str = "") -> str:
    if v is None:
        return DASH
    text = f"{v:.{digits}f}"
    return f"{text} {unit}" if unit else text


def _desc(d: Describe, digits: int = 1, scale: float = 1.0, *, median: bool = False) -> str:
    if d.n == 0:
        return DASH
    centre = d.median if median else d.mean
    if centre is None:
        return DASH
    return f"{centre / scale:.{digits}f} (n={d.n})"


def _range(d: Describe, digits: int = 1) -> str:
    if d.n == 0 or d.median is None or d.minimum is None or d.maximum is None:
        return DASH
    return f"{d.median:.{digits}f} ({d.minimum:.{digits}f}\u2013{d.maximum:.{digits}f})"


def _hhmm(minutes_after_midnight: float | None) -> str:
    if minutes_after_midnight is None:
        return DASH
    m = round(minutes_after_midnight) % (24 * 60)
    return f"{m // 60:02d}:{m % 60:02d}"


# -- tables ----------------------------------------------------------------------------------
def report_tables(d: ReportData) -> dict[str, TableData]:
    """Every table of the report as strings, keyed by section."""
    p = d.profile
    limits = []
    if p.max_grams_per_night is not None:
        limits.append(f"{p.max_grams_per_night:g} g per night")
    if p.max_nights_per_week is not None:
        limits.append(f"{p.max_nights_per_week} nights per week")
    ident = TableData("Who and when", ("", ""), (
        ("Person", d.person),
        ("Period", f"nights of {d.first_night:%d %b %Y} to {d.last_night:%d %b %Y} "
                   f"({d.days} nights)"),
        ("Time zone", p.tz + (f", region {p.region}" if p.region else "")),
        ("Usual bedtime (profile)", f"{p.target_bedtime:%H:%M}"
         + (f", wake {p.target_wake:%H:%M}" if p.target_wake else "")),
        ("Own limits the person set", ", ".join(limits) if limits else "none set"),
        ("Generated", f"{d.generated_local} by nightleaf {d.version}"),
    ), (1, 2.6))

    meds = TableData("Medicines (as listed by the person)", ("Medicine", "Dose as written",
                                                              "Taken"),
                     tuple((m.name, m.dose_text or DASH,
                            "as needed" if m.regimen == "as_needed" else "regularly")
                           for m in d.medicines) or (("none listed", "", ""),), (2, 2, 1.2))
    conds = TableData("Conditions (as listed by the person)", ("Condition", "Note"),
                      tuple((c.name, c.note or "") for c in d.conditions)
                      or (("none listed", ""),), (2, 3))

    batch_rows = []
    for b in d.batches:
        prod = next((x for x in d.products if x.id == b.product_id), None)
        tests = f"metals {b.heavy_metals}, microbial {b.microbial}, pesticides {b.pesticides}"
        lab = (f"{b.lab or 'lab not named'}" + (f", {b.test_date:%Y-%m-%d}" if b.test_date else "")
               if b.has_lab_results else "no lab result recorded")
        batch_rows.append((
            prod.name if prod else DASH,
            ", ".join(x for x in (prod.form, prod.vein if prod.vein != "unknown" else None,
                                  prod.vendor) if x) if prod else DASH,
            b.lot or DASH,
            num(b.mitragynine_pct, 2, "%") if b.mitragynine_pct is not None else DASH,
            num(b.seven_oh_pct, 2, "%") if b.seven_oh_pct is not None else DASH,
            lab, tests,
        ))
    products = TableData(
        "Products and batches used in the period",
        ("Product", "Form, vein, vendor", "Lot", "Mitragynine", "7-OH", "Lab",
         "Contaminant tests"),
        tuple(batch_rows) or (("none recorded",) + ("",) * 6,), (1.8, 2, 1.3, 1.6, 1.1, 1.9, 2.5),
        note="Mitragynine and 7-OH (7-hydroxymitragynine) are % of dry weight as the person "
             "copied them from a certificate; nightleaf cannot check them.")

    w = d.window
    halves = d.halves
    cols = ("Figure", "Whole period") + (("First half", "Second half") if halves else ())

    def row(label: str, get: Callable[[WindowSummary], str]) -> tuple[str, ...]:
        return (label, get(w)) + ((get(halves[0]), get(halves[1])) if halves else ())

    intake = TableData("Intake pattern", cols, (
        row("Nights with kratom", lambda s: f"{s.intake.nights_with_use} of {s.days}"),
        row("Nights with kratom per week", lambda s: num(s.intake.mean_nights_per_week)),
        row("Longest run of consecutive nights", lambda s: str(s.intake.longest_streak)),
        row("Run at the end of the period", lambda s: str(s.intake.current_streak)),
        row("Amount per night with use, g: median (range)",
            lambda s: _range(s.intake.grams_per_use_night)),
        row("Mitragynine estimate per night, mg: median (range)",
            lambda s: _range(s.intake.mitragynine_mg_per_use_night, 0)),
        row("Intakes per night with use (mean)",
            lambda s: _desc(s.intake.intakes_per_use_night)),
        row("Last intake to trying to sleep, min: median (range)",
            lambda s: _range(s.intake.minutes_last_intake_to_sleep, 0)),
    ), (3.2, 1.6, 1.6, 1.6) if halves else (3.2, 2),
        note="Mitragynine is estimated only for batches with a lab result. A night's amount is "
             "unknown when an entry cannot be turned into grams (e.g. capsules without a size).")

    reg = w.regularity[0] if w.regularity else None
    sleep_rows = [
        row("Total sleep time, h (mean)", lambda s: _desc(s.diary["tst_minutes"], 1, 60.0)),
        row("Sleep efficiency, % (mean)", lambda s: _desc(s.diary["se_percent"], 0)),
        row("Time to fall asleep, min (mean)", lambda s: _desc(s.diary["sol_minutes"], 0)),
        row("Awake after sleep onset, min (mean)", lambda s: _desc(s.diary["waso_minutes"], 0)),
        row("Awakenings per night (mean)", lambda s: _desc(s.diary["nwak"])),
        row("Time in bed, h (mean)", lambda s: _desc(s.diary["tib_minutes"], 1, 60.0)),
        row("Sleep quality 1\u20135 (mean)", lambda s: _desc(s.diary["quality"])),
    ]
    def device_tst(src: str) -> Callable[[WindowSummary], str]:
        def get(s: WindowSummary) -> str:
            return _desc(s.wearable[src]["tst_minutes"], 1, 60.0) if src in s.wearable else DASH
        return get

    for src in sorted(w.wearable):
        sleep_rows.append(row(f"Total sleep time, {src} (device), h (mean)", device_tst(src)))
    if reg is not None:
        sleep_rows.append(row("Mid-sleep clock time (mean)",
                              lambda s: _hhmm(s.regularity[0].mean_mid_sleep_clock)
                              if s.regularity else DASH))
        sleep_rows.append(row("Night-to-night SD of mid-sleep, min",
                              lambda s: num(s.regularity[0].sd_mid_sleep_minutes, 0)
                              if s.regularity else DASH))
    sleep = TableData("Sleep diary (Consensus Sleep Diary)", cols, tuple(sleep_rows),
                      (3.2, 1.6, 1.6, 1.6) if halves else (3.2, 2),
                      note="TST = (final awakening \u2212 tried to sleep) \u2212 SOL \u2212 WASO; "
                           "SE = 100 \u00d7 TST / time in bed (Carney et al., SLEEP 2012). "
                           "n = nights with a value. Device figures, when present, are shown "
                           "apart and never averaged with the diary.")
    pain = TableData("Pain (0\u201310 numeric rating)", cols, (
        row("Evening pain (mean)", lambda s: _desc(s.pain["evening_nrs"])),
        row("Morning pain (mean)", lambda s: _desc(s.pain["morning_nrs"])),
        row("Morning minus evening (mean)", lambda s: _desc(s.pain["overnight_change"])),
        row("PEG score (mean)", lambda s: _desc(s.pain["peg"])),
    ), (3.2, 1.6, 1.6, 1.6) if halves else (3.2, 2))

    comps = []
    for c in w.comparisons:
        if c.group != "nights with kratom":
            continue
        unit = {"tst_minutes": "min", "se_percent": "points", "sol_minutes": "min"
                }.get(c.metric, "")
        label = {"tst_minutes": "Total sleep time", "se_percent": "Sleep efficiency",
                 "sol_minutes": "Time to fall asleep", "quality": "Sleep quality (1\u20135)",
                 "morning_nrs": "Morning pain (0\u201310)"}.get(c.metric, c.metric)
        if c.status != "ok" or c.difference is None:
            comps.append((label, f"{c.n_group} / {c.n_reference}", "not enough nights", ""))
            continue
        comps.append((label, f"{c.n_group} / {c.n_reference}",
                      f"{c.difference:+.1f} {unit}".strip(),
                      f"{c.ci_low:+.1f} to {c.ci_high:+.1f}" if c.ci_low is not None
                      and c.ci_high is not None else DASH))
    compare = TableData("Nights with kratom compared with nights without (observational)",
                        ("Outcome", "Nights with / without", "Difference", "95 % interval"),
                        tuple(comps) or (("no comparison possible", "", "", ""),), (2.4, 1.6, 1.3, 1.7),
                        note="Interval adjusted for night-to-night correlation (AR(1)). The person "
                             "chose when to take kratom: this describes the journal, it does not "
                             "show what kratom causes.")

    symptoms = TableData("Side effects and withdrawal signs", ("Kind", "Symptom", "Nights",
                                                               "Worst (0\u20134)", "Last noted"),
                         tuple(("withdrawal" if s.kind == "withdrawal" else "side effect", s.name,
                                str(s.nights), str(s.max_severity), f"{s.last_night:%d %b}")
                               for s in d.symptoms) or (("none logged", "", "", "", ""),),
                         (1.3, 2.2, 0.9, 1.1, 1.1),
                         note="Severity 0 none, 1 mild, 2 moderate, 3 severe, 4 very severe.")
    subs = TableData("Other substances on the same evenings", ("Kind", "Nights"),
                     tuple((k, str(v)) for k, v in d.substances.items())
                     or (("none logged", ""),), (2, 1))
    findings = TableData(
        f"Safety findings as of the night of {d.findings_night:%d %b %Y}",
        ("Level", "Finding", "Sources"),
        tuple((SEVERITY_LABEL.get(f.severity, f.severity), f"{f.title}. {f.explanation}",
               "; ".join(s.title for s in f.sources) or DASH)
              for f in d.findings)
        or (("\u2014", "No findings from nightleaf's rules. This is not a statement that use is "
                       "safe.", ""),),
        (0.8, 4.4, 2.4),
        note="Sources are named by title; the HTML version of this report links each one.")
    return {"identity": ident, "medicines": meds, "conditions": conds, "products": products,
            "intake": intake, "sleep": sleep, "pain": pain, "compare": compare,
            "symptoms": symptoms, "substances": subs, "findings": findings}


# -- charts ----------------------------------------------------------------------------------
def _weekly(rows: Sequence[NightRow], get: Callable[[NightRow], float | None]
            ) -> tuple[list[date], list[float | None]]:
    from nightleaf.stats.describe import describe

    xs, ys = [], []
    for k in range(0, len(rows), 7):
        block = rows[k:k + 7]
        xs.append(block[0].night + timedelta(days=(len(block) - 1) / 2))
        ys.append(describe([get(r) for r in block]).mean)
    return xs, ys


def _fig(n: int = 1, height: float = 2.6) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, height), dpi=150, layout="constrained")
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    for ax in axes:
        ax.grid(True, axis="y", color="#dddddd", linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=7)
    return fig, list(axes)


def _dates(ax: Any, first: date, last: date) -> None:
    import matplotlib.dates as mdates

    ax.set_xlim(first - timedelta(days=0.7), last + timedelta(days=0.7))
    days = (last - first).days + 1
    if days <= 21:  # whole days only; the automatic locator would repeat a date at 6-h ticks
        loc: Any = mdates.DayLocator(interval=max(1, round(days / 8)))  # type: ignore[no-untyped-call]
    else:
        loc = mdates.AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]


def _legend(ax: Any, ncol: int) -> None:
    """Legend above the axes on the right, beside the left-aligned title, never over data."""
    ax.legend(fontsize=6.5, loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False,
              ncol=ncol, borderaxespad=0.2, handlelength=1.6, columnspacing=1.0)


def _empty(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=8,
            color="#555555")
    ax.set_yticks([])


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    return buf.getvalue()


def chart_intake(d: ReportData) -> bytes:
    rows = d.window.nights
    fig, (ax1, ax2) = _fig(2, 3.0)
    used = [r for r in rows if r.intake]
    known = [r for r in used if r.intake and r.intake.total_grams is not None]
    unknown = [r for r in used if r.intake and r.intake.total_grams is None]
    if known:
        ax1.bar([r.night for r in known],
                [r.intake.total_grams for r in known],  # type: ignore[union-attr]
                width=0.8, color="#4a6fa5", label="grams logged")
    if unknown:
        ax1.bar([r.night for r in unknown],
                [r.intake.known_grams for r in unknown],  # type: ignore[union-attr]
                width=0.8, color="#c9d4e5", hatch="///", edgecolor="#4a6fa5", linewidth=0,
                label="part of the amount unknown")
    if d.profile.max_grams_per_night is not None:
        ax1.axhline(d.profile.max_grams_per_night, color="#a05a2c", linestyle="--", linewidth=0.9,
                    label="own limit set by the person")
    if not used:
        _empty(ax1, "no kratom intake logged in this period")
    ax1.set_ylabel("g per night", fontsize=7)
    ax1.set_ylim(bottom=0)
    if used or d.profile.max_grams_per_night is not None:
        _legend(ax1, 3)
    ax1.set_title("Amount logged per night", fontsize=8.5, loc="left")
    weeks = d.window.intake.weeks
    ax2.bar([wk.first_night + timedelta(days=(wk.nights - 1) / 2) for wk in weeks],
            [wk.nights_with_use for wk in weeks], width=[wk.nights * 0.9 for wk in weeks],
            color="#7f9cc7", edgecolor="#4a6fa5", linewidth=0.5)
    for wk in weeks:
        ax2.text(wk.first_night + timedelta(days=(wk.nights - 1) / 2), wk.nights_with_use + 0.15,
                 f"{wk.nights_with_use}/{wk.nights}", ha="center", fontsize=6.5)
    if d.profile.max_nights_per_week is not None:
        ax2.axhline(d.profile.max_nights_per_week, color="#a05a2c", linestyle="--", linewidth=0.9)
    ax2.set_ylim(0, 9)
    ax2.set_ylabel("nights with use", fontsize=7)
    ax2.set_title("Nights with kratom in each 7-night block", fontsize=8.5, loc="left")
    _dates(ax2, d.first_night, d.last_night)
    return _png(fig)


def chart_timing(d: ReportData) -> bytes:
    rows = [r for r in d.window.nights
            if r.intake and r.intake.minutes_last_intake_to_sleep is not None]
    fig, (ax,) = _fig(1, 2.1)
    if rows:
        ax.scatter([r.night for r in rows],
                   [r.intake.minutes_last_intake_to_sleep for r in rows],  # type: ignore[union-attr]
                   s=10, color="#4a6fa5")
        ax.axhline(d.profile.lead_minutes, color="#777777", linestyle=":", linewidth=0.9,
                   label=f"planned lead in the profile, {d.profile.lead_minutes} min")
        ax.axhline(0, color="#333333", linewidth=0.6)
        _legend(ax, 1)
    else:
        _empty(ax, "no nights with both an intake and a diary sleep time")
    ax.set_ylabel("minutes", fontsize=7)
    ax.set_title("Minutes from the last intake to trying to sleep", fontsize=8.5, loc="left")
    _dates(ax, d.first_night, d.last_night)
    return _png(fig)


def chart_sleep(d: ReportData) -> bytes:
    rows = d.window.nights
    fig, (ax1, ax2) = _fig(2, 3.1)
    diary = [r for r in rows if r.diary and r.diary.tst_minutes is not None]
    if diary:
        ax1.scatter([r.night for r in diary], [r.diary.tst_minutes / 60 for r in diary],  # type: ignore[union-attr,operator]
                    s=8, color="#5b8c5a", alpha=0.7, label="each night")
        xs, ys = _weekly(rows, lambda r: r.diary.tst_minutes / 60
                         if r.diary and r.diary.tst_minutes is not None else None)
        ax1.plot(xs, [y if y is not None else float("nan") for y in ys], color="#2f5d2e",
                 linewidth=1.4, marker="o", markersize=3, label="7-night mean")
        _legend(ax1, 2)
    else:
        _empty(ax1, "no diary nights in this period")
    ax1.set_ylabel("hours", fontsize=7)
    ax1.set_title("Total sleep time (diary)", fontsize=8.5, loc="left")
    se = [r for r in rows if r.diary and r.diary.se_percent is not None]
    if se:
        ax2.scatter([r.night for r in se], [r.diary.se_percent for r in se],  # type: ignore[union-attr]
                    s=8, color="#8c6d5b", alpha=0.7)
        xs, ys = _weekly(rows, lambda r: r.diary.se_percent if r.diary else None)
        ax2.plot(xs, [y if y is not None else float("nan") for y in ys], color="#5e4536",
                 linewidth=1.4, marker="o", markersize=3)
        ax2.axhline(85, color="#777777", linestyle=":", linewidth=0.9,
                    label="85 % (a common diary reference, not a target)")
        _legend(ax2, 1)
        lowest = min(r.diary.se_percent for r in se if r.diary and r.diary.se_percent is not None)
        ax2.set_ylim(min(60.0, lowest - 2), 100)
    else:
        _empty(ax2, "no sleep efficiency in this period")
    ax2.set_ylabel("%", fontsize=7)
    ax2.set_title("Sleep efficiency (diary)", fontsize=8.5, loc="left")
    _dates(ax2, d.first_night, d.last_night)
    return _png(fig)


def chart_pain(d: ReportData) -> bytes:
    rows = d.window.nights
    fig, (ax,) = _fig(1, 2.4)
    any_pain = False
    for key, colour, label in (("evening_nrs", "#b5523b", "evening"),
                               ("morning_nrs", "#3b6fb5", "morning")):
        pts = [(r.night, getattr(r.pain, key)) for r in rows
               if r.pain and getattr(r.pain, key) is not None]
        if not pts:
            continue
        any_pain = True
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=7, color=colour, alpha=0.45)
        weeks = d.window.pain_weeks
        mean_key = f"mean_{key}"
        ax.plot([wk.first_night + (wk.last_night - wk.first_night) / 2 for wk in weeks],
                [getattr(wk, mean_key) if getattr(wk, mean_key) is not None else float("nan")
                 for wk in weeks], color=colour, linewidth=1.4, marker="o", markersize=3,
                label=label)
    if not any_pain:
        _empty(ax, "no pain ratings in this period")
    else:
        _legend(ax, 2)
    ax.set_ylim(-0.3, 10.3)
    ax.set_ylabel("0\u201310", fontsize=7)
    ax.set_title("Pain 0\u201310, evening and next morning (dots: nights; lines: 7-night means)",
                 fontsize=8.5, loc="left")
    _dates(ax, d.first_night, d.last_night)
    return _png(fig)


CHARTS: tuple[tuple[str, str, Callable[[ReportData], bytes]], ...] = (
    ("intake", "Amount per night and nights with kratom per week", chart_intake),
    ("timing", "Minutes from the last intake to trying to sleep", chart_timing),
    ("sleep", "Total sleep time and sleep efficiency over the period", chart_sleep),
    ("pain", "Evening and morning pain over the period", chart_pain),
)


def charts(d: ReportData) -> dict[str, bytes]:
    """Every chart as PNG bytes, keyed by name."""
    return {name: draw(d) for name, _, draw in CHARTS}


# -- PDF -------------------------------------------------------------------------------------
def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _pdf_class() -> type:
    from fpdf import FPDF

    class ReportPDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "", 7)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, self.footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(0, 0, 0)

    return ReportPDF


class _Writer:
    def __init__(self, d: ReportData) -> None:
        cls = _pdf_class()
        pdf = cls(orientation="P", unit="mm", format="A4")
        fonts = _font_dir()
        pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        pdf.add_font("DejaVu", "I", str(fonts / "DejaVuSans-Oblique.ttf"))
        pdf.set_margins(15, 14, 15)
        pdf.set_auto_page_break(True, margin=16)
        pdf.footer_text = (f"nightleaf report \u00b7 nights {d.first_night} to {d.last_night} "
                           f"\u00b7 generated {d.generated_local} \u00b7 no dosing advice")
        pdf.set_title("nightleaf report for a clinician")
        pdf.set_creator(f"nightleaf {d.version}")
        self.pdf = pdf

    @property
    def width(self) -> float:
        return float(self.pdf.w - self.pdf.l_margin - self.pdf.r_margin)

    def h1(self, text: str) -> None:
        self.pdf.set_font("DejaVu", "B", 15)
        self.pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    def h2(self, text: str, *, need: float = 30) -> None:
        if self.pdf.will_page_break(need):
            self.pdf.add_page()
        self.pdf.ln(2)
        self.pdf.set_font("DejaVu", "B", 11)
        self.pdf.set_text_color(40, 60, 100)
        self.pdf.cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_text_color(0, 0, 0)

    def para(self, text: str, size: float = 9, style: str = "") -> None:
        self.pdf.set_font("DejaVu", style, size)
        self.pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")

    def bullets(self, items: Sequence[str], size: float = 9) -> None:
        self.pdf.set_font("DejaVu", "", size)
        for it in items:
            self.pdf.set_x(self.pdf.l_margin + 2)
            self.pdf.cell(4, size * 0.5, "\u2022")
            self.pdf.multi_cell(self.width - 6, size * 0.5, it, new_x="LMARGIN", new_y="NEXT")
            self.pdf.ln(0.6)

    def table(self, t: TableData, *, title: bool = True, headings: bool = True, size: float = 8
              ) -> None:
        from fpdf.fonts import FontFace

        if title:  # keep a short table whole; a long one may break (its headings repeat)
            self.h2(t.title, need=min(90.0, 12 + 5.5 * (len(t.rows) + 1)))
        self.pdf.set_font("DejaVu", "", size)
        total = sum(t.widths)
        widths = tuple(self.width * w / total for w in t.widths)
        with self.pdf.table(col_widths=widths, width=self.width, line_height=size * 0.5,
                            text_align="LEFT", first_row_as_headings=headings,
                            headings_style=FontFace(emphasis="BOLD", fill_color=(232, 236, 243)),
                            borders_layout="HORIZONTAL_LINES", padding=1.1,
                            cell_fill_color=(247, 248, 250), cell_fill_mode="ROWS") as tab:
            if headings:
                r = tab.row()
                for h in t.headers:
                    r.cell(h)
            for row in t.rows:
                r = tab.row()
                for c in row:
                    r.cell(c)
        if t.note:
            self.pdf.ln(0.8)
            self.para(t.note, size=7, style="I")

    def image(self, png: bytes, *, height_mm: float) -> None:
        if self.pdf.will_page_break(height_mm + 2):
            self.pdf.add_page()
        self.pdf.image(io.BytesIO(png), x=self.pdf.l_margin, w=self.width)
        self.pdf.ln(1)


class PdfBytes(bytes):
    """A rendered PDF: its bytes, and how many pages it has (``pages``)."""

    pages: int


def render_report_pdf(d: ReportData) -> PdfBytes:
    """The report as a PDF (bytes, with ``.pages``); nothing is written to disk."""
    tables = report_tables(d)
    imgs = charts(d)
    w = _Writer(d)
    pdf = w.pdf
    pdf.add_page()
    w.h1("Kratom, sleep and pain journal \u2014 summary for a clinician")
    w.para(DISCLAIMER, size=7.5, style="I")
    pdf.ln(1.5)
    w.table(tables["identity"], title=False, headings=False, size=8.5)
    w.h2("What changed over the period")
    w.bullets(d.summary, size=8.5)
    w.table(tables["findings"], size=7.5)

    pdf.add_page()  # from here the sections flow; each starts where it fits
    w.table(tables["medicines"], size=8)
    w.table(tables["conditions"], size=8)
    w.table(tables["products"], size=7.5)
    w.table(tables["intake"], size=8)
    w.image(imgs["timing"], height_mm=53)
    w.h2("Intake over time", need=90)
    w.image(imgs["intake"], height_mm=75)
    w.table(tables["sleep"], size=8)
    w.image(imgs["sleep"], height_mm=78)
    w.table(tables["pain"], size=8)
    w.image(imgs["pain"], height_mm=61)
    w.table(tables["compare"], size=8)
    w.table(tables["symptoms"], size=8)
    w.table(tables["substances"], size=8)
    for heading, lines, table in experiment_blocks(d):
        w.h2(heading, need=45)
        for line in lines:
            w.para(line, size=8)
        w.table(table, title=False, size=7.5)
    w.h2("How to read this report")
    w.bullets([
        "A night is named by the evening on which it begins; the morning pain rating belongs "
        "to the night before.",
        "Sleep figures come from the person's morning diary (Consensus Sleep Diary core items), "
        "not from a device; wearable data, when present, is exported separately (FHIR/CSV).",
        "The first and second half columns split the period into two equal runs of nights; "
        "with few nights a difference can be chance.",
        "Safety findings come from nightleaf's cited rules about the listed medicines, "
        "conditions, products and recent pattern of use; each names its sources. An empty list "
        "does not mean that use is safe.",
    ], size=8)
    out = PdfBytes(pdf.output())
    out.pages = int(pdf.page_no())
    return out


# -- self-experiments (issue 12): a separate block --------------------------------------------
def _signed(v: float | None) -> str:
    return "\u2014" if v is None else f"{v:+.1f}"


def _pct(v: float | None) -> str:
    return "\u2014" if v is None else f"{100 * v:.0f}%"


def _from(outcome: dict[str, Any]) -> str:
    """" (fitbit)" for a sleep outcome measured by a wearable; nothing for the diary or pain."""
    src = outcome.get("source", "diary")
    return "" if src in ("diary", "morning rating") else f" ({src})"


def experiment_blocks(d: ReportData) -> list[tuple[str, list[str], TableData]]:
    """Per experiment: its heading, plain-words paragraphs (design, adherence, result with its
    uncertainty) and the table of every outcome with the sensitivity lines."""
    out = []
    for x in d.experiments:
        r = x.result
        adh = r["adherence"]
        primary = r["outcomes"][0]
        status = "final result" if r["final"] else f"{r['note']} (nights up to {r['as_of']})"
        lines = [x.design,
                 f"Adherence: the logged intake matched the assigned arm on {adh['matched']} of "
                 f"{adh['nights']} nights ({adh['not_matched']} did not match).",
                 f"Result ({status}): {primary['verdict']}."]
        if primary["effect"] is not None and primary["interval"]:
            lo, hi = primary["interval"]
            lines.append(
                f"B minus A on {primary['metric']}{_from(primary)}: "
                f"{_signed(primary['effect'])} {primary['unit']}"
                f" (95% credible interval {lo:+.1f} to {hi:+.1f}); probability B is better "
                f"{_pct(primary['p_benefit'])}, better by at least the chosen difference "
                f"({primary['mid']:g}) {_pct(primary['p_benefit_mid'])}, worse by at least that "
                f"{_pct(primary['p_harm_mid'])}. The interval shows the uncertainty: values "
                "anywhere in it are compatible with these nights.")
        elif primary.get("message"):
            lines.append(f"No estimate yet: {primary['message']}.")
        for h in r["harms"]:
            lines.append(f"Harms logged, arm {h['arm']}: {h['entries']} "
                         f"{h['kind'].replace('_', ' ')} entries on {h['nights']} nights "
                         f"(mean severity {h['mean_severity']:g} of 4).")
        others = [f"{o['metric']}{_from(o)} {_signed(o['effect'])} {o['unit']}"
                  + (f" ({o['interval'][0]:+.1f} to {o['interval'][1]:+.1f})"
                     if o["interval"] else "") + f": {o['verdict']}"
                  for o in r["outcomes"][1:]]
        if others:
            lines.append("Other outcomes, B minus A (95% interval): " + "; ".join(others) + ".")
        rows: list[tuple[str, ...]] = []
        for k, o in enumerate(r["outcomes"][:1]):
            iv = o["interval"]
            rows.append((f"{o['metric']} ({o['unit']}){_from(o)}"
                         + (" \u2014 main" if k == 0 else ""),
                         _signed(o["effect"]), f"{iv[0]:+.1f} to {iv[1]:+.1f}" if iv else "\u2014",
                         _pct(o["p_benefit"]), str(o["n_nights"]), o["verdict"]))
            if k == 0:
                for e in (o["per_protocol"], o["carry_over"]):
                    if e is None:
                        continue
                    ei = e["interval"]
                    rows.append((f"  sensitivity: {e['analysis']}", _signed(e["effect"]),
                                 f"{ei[0]:+.1f} to {ei[1]:+.1f}" if ei else "\u2014",
                                 _pct(e["p_benefit"]), str(e["n_nights"]), e["verdict"]))
        table = TableData(f"Self-experiment: {r['name']} \u2014 effect of B against A",
                          ("outcome", "B \u2212 A", "95% interval", "P(B better)", "nights",
                           "verdict"), tuple(rows), (3.2, 1.1, 1.6, 1.1, 0.8, 3.2),
                          note="A single person's randomized comparison; it cannot rule out "
                          "chance and is not a dose recommendation.")
        out.append((f"Self-experiment: {r['name']}", lines, table))
    return out


# -- HTML ------------------------------------------------------------------------------------
def render_report_html(d: ReportData) -> bytes:
    """The same report as one self-contained HTML page (for the web app or a browser print)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("nightleaf.io", "templates"),
                      autoescape=select_autoescape(("html",)), trim_blocks=True,
                      lstrip_blocks=True)
    imgs = {name: base64.b64encode(png).decode("ascii") for name, png in charts(d).items()}
    alts = {name: alt for name, alt, _ in CHARTS}
    return env.get_template("report.html").render(
        d=d, t=report_tables(d), charts=imgs, alts=alts, disclaimer=DISCLAIMER,
        experiments=experiment_blocks(d)).encode("utf-8")

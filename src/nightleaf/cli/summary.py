"""``summary``: a window of nights with means/medians, regularity and comparisons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from nightleaf.cli.common import JsonOpt, Table, console, fmt, get_ctx, print_json
from nightleaf.cli.lazy import lazy

if TYPE_CHECKING:
    from nightleaf.services import summary as svc
    from nightleaf.stats.compare import Comparison
    from nightleaf.stats.window import WindowSummary
else:
    svc = lazy("nightleaf.services.summary")

#: (field, label, digits) of the diary metrics shown as window means/medians
DIARY_ROWS = (
    ("tst_minutes", "TST, total sleep (min)", 0),
    ("se_percent", "SE, sleep efficiency (%)", 1),
    ("sol_minutes", "SOL, time to fall asleep (min)", 0),
    ("waso_minutes", "WASO, awake after sleep onset (min)", 0),
    ("nwak", "NWAK, awakenings", 1),
    ("twak_minutes", "TWAK, awake in bed at the end (min)", 0),
    ("tib_minutes", "TIB, time in bed (min)", 0),
    ("quality", "quality (1-5)", 1),
)
PAIN_ROWS = (
    ("evening_nrs", "pain, evening NRS", 1),
    ("morning_nrs", "pain, morning NRS", 1),
    ("overnight_change", "pain, overnight change", 1),
    ("peg", "PEG (0-10)", 1),
)


def _clock(minutes: float | None) -> str:
    if minutes is None:
        return "—"
    m = round(minutes) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def _logged(r: Any) -> bool:
    return bool(r.diary or r.intake or r.pain or r.wearable)


def _nights_table(s: WindowSummary) -> Table:
    rows = [r for r in s.nights if _logged(r)]
    empty = len(s.nights) - len(rows)
    t = Table("night", "g", "intake→sleep", "TST", "SE %", "SOL", "WASO", "quality",
              "device TST", "pain eve", "pain morn",
              title=f"Nights {s.first_night} – {s.last_night} (diary; device shown apart)",
              caption=f"{empty} night(s) with nothing logged are left out" if empty else None)
    for r in rows:
        d, i, p = r.diary, r.intake, r.pain
        device = ", ".join(f"{fmt(m.tst_minutes, 0)} {m.source}" for m in r.wearable) or "—"
        grams = "—" if i is None else (fmt(i.total_grams, 2) if i.total_grams is not None
                                       else f"≥{fmt(i.known_grams, 2)}")
        t.add_row(
            f"{r.night:%a %Y-%m-%d}", grams,
            fmt(i.minutes_last_intake_to_sleep, 0) if i else "—",
            fmt(d.tst_minutes, 0) if d else "—", fmt(d.se_percent, 1) if d else "—",
            fmt(d.sol_minutes, 0) if d else "—", fmt(d.waso_minutes, 0) if d else "—",
            fmt(d.quality) if d else "—", device,
            fmt(p.evening_nrs) if p else "—", fmt(p.morning_nrs) if p else "—",
        )
    return t


def _means_table(s: WindowSummary) -> Table:
    t = Table("metric", "source", "nights", "mean", "median", title="Window means and medians")
    for key, label, digits in DIARY_ROWS:
        d = s.diary[key]
        t.add_row(label, "diary", str(d.n), fmt(d.mean, digits), fmt(d.median, digits))
    for src, metrics in s.wearable.items():
        for key in ("tst_minutes", "se_percent"):
            d = metrics[key]
            t.add_row(key.split("_")[0].upper(), src, str(d.n), fmt(d.mean, 1), fmt(d.median, 1))
    for key, label, digits in PAIN_ROWS:
        d = s.pain[key]
        t.add_row(label, "ratings", str(d.n), fmt(d.mean, digits), fmt(d.median, digits))
    return t


def _regularity_table(s: WindowSummary) -> Table:
    t = Table("source", "SRI", "mid-sleep", "SD mid-sleep", "SD wake", "SD lights-out",
              "social jetlag", title="Regularity")
    for r in s.regularity:
        sri = fmt(r.sri.sri, 1) if r.sri.sri is not None else f"— ({r.sri.reason})"
        t.add_row(r.source, sri, _clock(r.mean_mid_sleep_clock),
                  fmt(r.sd_mid_sleep_minutes, 0), fmt(r.sd_offset_minutes, 0),
                  fmt(r.sd_lights_out_minutes, 0), fmt(r.social_jetlag_minutes, 0))
    t.caption = f"SRI rule: {s.regularity[0].sri.rule}; SD and jetlag in minutes"
    return t


OUTCOME_LABELS = {"tst_minutes": "TST (min)", "se_percent": "SE (%)", "sol_minutes": "SOL (min)",
                  "quality": "quality", "morning_nrs": "morning pain"}


def _comparisons_table(s: WindowSummary) -> Table:
    from nightleaf.stats.compare import NOT_ENOUGH, NOTE

    methods = sorted({c.method for c in s.comparisons if c.status != NOT_ENOUGH})
    t = Table("nights", "outcome", "n", "n without", "difference", "95% interval",
              title="Compared with nights without kratom",
              caption="; ".join([NOTE, *methods]))
    groups: dict[str, list[Comparison]] = {}
    for c in s.comparisons:
        groups.setdefault(c.group, []).append(c)
    for group, cs in groups.items():
        if all(c.status == NOT_ENOUGH for c in cs):  # one line instead of one per outcome
            t.add_row(group, "all", str(max(c.n_group for c in cs)),
                      str(max(c.n_reference for c in cs)), "not enough data", "—")
            continue
        for c in cs:
            label = OUTCOME_LABELS.get(c.metric, c.metric)
            if c.status == NOT_ENOUGH:
                t.add_row(group, label, str(c.n_group), str(c.n_reference),
                          "not enough data", "—")
                continue
            ci = "—" if c.ci_low is None else f"{fmt(c.ci_low, 1)} to {fmt(c.ci_high, 1)}"
            t.add_row(group, label, str(c.n_group), str(c.n_reference),
                      fmt(c.difference, 1), ci)
    return t


def summary(
    days: int = typer.Option(28, "--days", help="How many nights back (1 to 3660)."),
    last: str = typer.Option(None, "--to", help="Last night, YYYY-MM-DD (default: last night)."),
    json_: bool = JsonOpt,
) -> None:
    """Summarise a window of nights: sleep, regularity, pain, intake and comparisons.

    Comparisons are observational, not proof of cause.
    """
    ctx = get_ctx()
    s = svc.summarise(ctx, days=days, last=last)
    if json_:
        print_json(svc.summary_json(s))
        return
    if not any(_logged(r) for r in s.nights):
        console.print(f"Nothing is logged for the nights {s.first_night} to {s.last_night} yet. "
                      "A summary counts complete nights only: tonight's entries appear from "
                      "tomorrow morning (`nightleaf tonight` shows them now). `--days` or `--to` "
                      "choose another window.")
        return
    console.print(_nights_table(s))
    console.print(_means_table(s))
    console.print(_regularity_table(s))
    u = s.intake
    console.print(
        f"Kratom on {u.nights_with_use} of {u.nights} nights "
        f"({u.mean_nights_per_week:.1f} nights per week); current streak {u.current_streak}, "
        f"longest {u.longest_streak}; median {fmt(u.grams_per_use_night.median, 2)} g per night "
        f"with use (n = {u.grams_per_use_night.n})."
    )
    console.print(_comparisons_table(s))


def register(app: typer.Typer) -> None:
    app.command("summary")(summary)

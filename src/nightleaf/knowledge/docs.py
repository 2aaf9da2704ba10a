"""Render ``docs/safety.md`` from the knowledge files, so the docs cannot drift from the data.

    python -m nightleaf.knowledge.docs > docs/safety.md

``tests/knowledge/test_docs.py`` fails when the committed file differs from this output.
"""

from __future__ import annotations

import sys

from nightleaf.knowledge.kb import Knowledge
from nightleaf.knowledge.loader import load_knowledge


def _cites(keys: list[str]) -> str:
    return ", ".join(f"[{k}]" for k in keys)


def render(kb: Knowledge) -> str:
    p = kb.patterns
    out = [
        "# Safety rules and their sources",
        "",
        "Generated from `src/nightleaf/knowledge/data/*.toml` by `python -m "
        "nightleaf.knowledge.docs`; a test fails when this file is out of date. nightleaf never "
        "recommends a dose and never calls anything safe; where sources are missing it says "
        "\"unknown\". Severities: info < caution < warning < danger.",
        "",
        "## Medicines (rule `medicine.<class>`)",
        "",
        "Regular medicines are always checked. As-needed medicines, and medicines or other "
        "substances logged as taken, are checked on the night they are taken and while they are "
        f"within the {p.carry_over.hours} hours before the night's target bedtime "
        "(`patterns.toml [carry_over]`): "
        f"{p.carry_over.explanation} A medicine gets the highest severity of its "
        "classes. Unknown names give an `info` finding with the closest known names. Typed "
        "substances (alcohol, beer, wine, grapefruit, cannabis...) are looked up like medicines; "
        "the `alcohol` class is built from the alcohol rule below, so both always agree. "
        f"{len(kb.medicines) - len(kb.substance_names)} medicines and combinations "
        f"({len(kb.substance_names)} substances besides), {len(kb.name_index)} names.",
        "",
        "| Class | Severity | Inferred | Sources |",
        "|---|---|---|---|",
    ]
    for c in kb.classes.values():
        out.append(f"| {c.label} (`{c.id}`) | {c.severity} | {'yes' if c.inferred else 'no'} | "
                   f"{_cites(c.sources)} |")
    out += ["", "### Mechanisms", "",
            "What each class rests on, as shown in the finding (`inferred = yes`: no "
            "kratom-specific study or case; the concern rests on kratom's pharmacology).", ""]
    for c in kb.classes.values():
        out.append(f"- **{c.label}** (`{c.id}`, {c.severity}): {c.mechanism} "
                   f"{_cites(c.sources)}")
    out += ["", "## Conditions (rule `condition.<id>`)", "", "| Condition | Severity | Sources |",
            "|---|---|---|"]
    for cond in kb.conditions:
        out.append(f"| {cond.label} | {cond.severity} | {_cites(cond.sources)} |")
    out += [""]
    for cond in kb.conditions:
        out.append(f"- **{cond.label}** (`{cond.id}`): {cond.explanation}")
    out += ["", "## Products and batches (rule `product.<id>`)", "",
            "| Rule | Severity | Threshold | Sources |", "|---|---|---|---|"]
    basis = {"seven_oh_share": "of measured alkaloids (mitragynine + 7-OH)",
             "seven_oh_weight": "of dry weight"}
    for r in kb.product_rules.values():
        thr = f"7-OH > {r.threshold_pct:g} % {basis.get(r.id, '')}" if r.threshold_pct else (
            ", ".join(r.label_terms + r.forms) or "-")
        out.append(f"| `{r.id}` | {r.severity} | {thr} | {_cites(r.sources)} |")
    out += ["", "Where each 7-OH threshold comes from:", ""]
    for r in kb.product_rules.values():
        if r.threshold_pct:
            out.append(f"- `{r.id}` ({r.threshold_pct:g} %): {r.explanation} "
                       f"{_cites(r.sources)}")
    e, f, t, w = p.escalation, p.frequency, p.timing, p.withdrawal
    chosen = " (thresholds chosen by nightleaf, not from a study)"
    out += [
        "", "## Patterns of use and timing", "",
        "| Rule | Fires when | Severity | Sources |", "|---|---|---|---|",
        f"| `ceiling.night` | tonight's grams > the person's own per-night ceiling | "
        f"{p.ceiling.severity_night} | {_cites(p.ceiling.sources)} |",
        f"| `ceiling.week` | nights with use in the last 7 > the person's own nights per week | "
        f"{p.ceiling.severity_week} | {_cites(p.ceiling.sources)} |",
        f"| `escalation.weekly` | last {e.recent_days} nights' grams >= x{e.ratio_caution:g} "
        f"(caution) or x{e.ratio_warning:g} (warning) the weekly average of the {e.baseline_days} "
        f"before, with >= {e.min_baseline_nights} baseline nights"
        f"{chosen if e.chosen_by_nightleaf else ''} | caution / warning | "
        f"{_cites(e.sources)} |",
        f"| `frequency.streak` | >= {f.streak_caution} consecutive nights (caution), >= "
        f"{f.streak_warning} (warning) | caution / warning | {_cites(f.sources)} |",
        f"| `frequency.per_week` | >= {f.intakes_per_week_warning} intakes in 7 nights | warning "
        f"| {_cites(f.sources)} |",
        f"| `same_night.cumulative` | 2 intakes tonight (info), >= {p.same_night.intakes_caution}"
        f" (caution) | info / caution | {_cites(p.same_night.sources)} |",
        f"| `timing.after_bedtime` | intake after the target bedtime | caution | "
        f"{_cites(t.sources)} |",
        f"| `timing.close_to_bedtime` | intake < {t.close_minutes} min before the target bedtime"
        f"{chosen if t.chosen_by_nightleaf else ''} | info | {_cites(t.sources)} |",
        f"| `depressant.alcohol` | alcohol logged the same night as kratom | "
        f"{p.alcohol.severity} | {_cites(p.alcohol.sources)} |",
        f"| `withdrawal.after_break` | withdrawal symptom on a night without use, after >= "
        f"{w.min_use_nights} of the {w.lookback_nights} nights before with use; severity >= "
        f"{w.severe_symptom}/4 raises it | caution / warning | {_cites(w.sources)} |",
        "| `legal.status` | always (region from the profile); banned/controlled = warning, "
        "prescription-only/restricted = caution, otherwise info | info-warning | per region |",
        f"| `legal.stale` | the region's newest source is > {p.legal.stale_after_days} days old "
        f"| info | per region |",
        "", f"Timing: {t.explanation}", "", "## Legal status by region", "",
        "| Code | Status | Age | Effective | As of | Sources |", "|---|---|---|---|---|---|",
    ]
    for reg in kb.regions.values():
        out.append(f"| {reg.code} | {reg.status} | {reg.age_limit or '-'} | {reg.effective} | "
                   f"{reg.as_of} | {_cites(reg.sources)} |")
    for code, locs in kb.localities.items():
        for loc in locs:
            out.append(f"| {code}: {loc.name} | {loc.status} | - | - | {loc.as_of} | "
                       f"{_cites(loc.sources)} |")
    out += ["", "Any other valid ISO 3166 code: status `unknown`.", "", "## Sources", ""]
    for key, ref in kb.sources.items():
        link = f" <{ref.url}>" if ref.url else ""
        out.append(f"- [{key}] {ref.title} ({ref.quality}).{link}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(load_knowledge()))

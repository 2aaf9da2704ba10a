"""``/morning``: the sleep-diary check-in and the morning pain rating.

Saving is idempotent per night (``plan.save_morning``) and follows post/redirect/get: a good save
answers 303 to ``GET /morning?night=…&saved=1``, so a reload re-sends nothing. The form always
shows what is saved for the night (diary, pain, the morning's symptoms); a night with nothing
saved starts from the plan's defaults, as the CLI does.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from nightleaf.errors import NightleafError
from nightleaf.model import clock
from nightleaf.model.entities import SleepEntry
from nightleaf.services import diary, plan
from nightleaf.services import nights as nights_svc
from nightleaf.services.entries import night_detail
from nightleaf.services.inputs import MORNING_DIARY_FIELDS, MorningInput
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import text
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()

PEG = ("peg_pain", "peg_enjoyment", "peg_activity")
#: the inputs of the page's form, named by the field ids of :class:`MorningInput`
INPUTS = ("night", *MORNING_DIARY_FIELDS, "note", "nrs", *PEG, "side_effects", "withdrawal")
SEVERITIES = (("", "—"), ("0", "0 none"), ("1", "1 mild"), ("2", "2 moderate"),
              ("3", "3 severe"), ("4", "4 very severe"))


def pick_name(kind: str, name: str) -> str:
    """The form input of one known symptom's severity picker."""
    return f"sym-{kind}-{name.replace(' ', '_')}"


def entry_values(s: SleepEntry) -> dict[str, str]:
    def hm(v: Any) -> str:
        return "" if v is None else clock.local_datetime(v, s.tz).strftime("%H:%M")

    def n(v: Any) -> str:
        return "" if v is None else f"{v:g}"

    return {"night": s.night.isoformat(), "into_bed": hm(s.into_bed),
            "tried_to_sleep": hm(s.tried_to_sleep), "sol": n(s.sol_minutes),
            "awakenings": n(s.awakenings), "waso": n(s.waso_minutes),
            "final_awakening": hm(s.final_awakening), "out_of_bed": hm(s.out_of_bed),
            "woke_early": n(s.woke_early_minutes), "quality": n(s.quality), "rested": n(s.rested),
            "nap_count": n(s.nap_count), "nap_minutes": n(s.nap_minutes), "note": s.note or ""}


def saved_values(ctx: CtxDep, night: date) -> tuple[dict[str, str], plan.MorningSaved, str]:
    """The form's values: what is saved for the night, else the plan's defaults."""
    saved = plan.morning_saved(ctx, night)
    if saved.entry is not None:
        values = entry_values(saved.entry)
        basis = "your saved entry"
    else:
        d = plan.morning_defaults(ctx, night.isoformat())
        values = {"night": night.isoformat(),
                  **{k: getattr(d, k) or "" for k in MORNING_DIARY_FIELDS}}
        basis = d.basis
    if saved.pain is not None:
        values["nrs"] = str(saved.pain.nrs)
        for k in PEG:
            v = getattr(saved.pain, k)
            values[k] = "" if v is None else str(v)
    known = {kind: set(names) for kind, names in plan.KNOWN_SYMPTOMS.items()}
    other: dict[str, list[str]] = {"side_effect": [], "withdrawal": []}
    for s in saved.symptoms:
        if s.name in known.get(s.kind, set()):
            values[pick_name(s.kind, s.name)] = str(s.severity)
        elif s.kind in other:
            other[s.kind].append(f"{s.name}:{s.severity}")
    values["side_effects"] = ", ".join(other["side_effect"])
    values["withdrawal"] = ", ".join(other["withdrawal"])
    return values, saved, basis


def symptom_specs(form: FormData, kind: str, other_field: str) -> list[str]:
    """``name:severity`` of each known symptom picked, then the ones typed under "other"."""
    specs = []
    for name in plan.KNOWN_SYMPTOMS[kind]:
        sev = text(form, pick_name(kind, name))
        if sev and sev.strip():
            specs.append(f"{name}:{sev.strip()}")
    typed = text(form, other_field) or ""
    return specs + [x.strip() for x in typed.split(",") if x.strip()]


def _context(ctx: CtxDep, night: date | None, values: dict[str, str], **kw: Any
             ) -> dict[str, Any]:
    saved = plan.morning_saved(ctx, night) if night else None
    editing = saved is not None and (saved.entry is not None or saved.pain is not None)
    return {"active": "morning", "night": night, "values": values, "errors": {},
            "detail": night_detail(ctx, night) if night and editing else None,
            "editing": editing, "peg_due": saved.peg_due if saved else True,
            "known": plan.KNOWN_SYMPTOMS, "pick_name": pick_name, "severities": SEVERITIES,
            "metrics": nights_svc.night_metrics(ctx, night) if night and editing else None,
            "flash": None, "basis": None, **kw}


@router.get("/morning")
def morning_page(request: Request, ctx: CtxDep) -> Response:
    night = plan.morning_night(ctx, request.query_params.get("night"))
    values, _saved, basis = saved_values(ctx, night)
    values["version"] = diary.night_version_now(ctx, night)  # 409 on save if it changes
    flash = (f"Saved the night of {night:%a} {night.day} {night:%b %Y}."
             if request.query_params.get("saved") else None)
    return page(request, "morning.html", _context(ctx, night, values, flash=flash, basis=basis))


@router.post("/morning")
async def save_morning(request: Request, ctx: CtxDep) -> Response:
    """Diary, morning pain and symptoms are saved together or not at all (plan.save_morning);
    a good save redirects to the GET page (post/redirect/get)."""
    form = await request.form()
    fields = {k: text(form, k) for k in ("night", *MORNING_DIARY_FIELDS, "note", "nrs", *PEG)}
    answers = MorningInput.from_mapping({k: v for k, v in fields.items() if v is not None})
    answers.nrs = fields["nrs"] or ""  # the form shows the saved rating: empty removes it
    answers.side_effects = symptom_specs(form, "side_effect", "side_effects")
    answers.withdrawal = symptom_specs(form, "withdrawal", "withdrawal")
    try:
        result = plan.save_morning(ctx, answers, version=text(form, "version"))
    except NightleafError as exc:
        return page(request, "morning.html", _context(
            ctx, None, form_values(form), errors=form_error(exc, INPUTS)),
            status_code=exc.status_code)
    return redirect("/morning?" + urlencode({"night": result.night.isoformat(), "saved": "1"}))

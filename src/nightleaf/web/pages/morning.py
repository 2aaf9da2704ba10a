"""``/morning``: the sleep-diary check-in and the morning pain rating."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError
from nightleaf.model import clock
from nightleaf.model.entities import SleepEntry
from nightleaf.services import nights as nights_svc
from nightleaf.services import plan
from nightleaf.services.entries import night_detail
from nightleaf.services.inputs import MORNING_DIARY_FIELDS, MorningInput
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import text
from nightleaf.web.render import form_error, form_values, page

router = APIRouter()

#: the inputs of the page's form, named by the field ids of :class:`MorningInput`
INPUTS = ("night", *MORNING_DIARY_FIELDS, "note", "nrs", "side_effects")


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


@router.get("/morning")
def morning_page(request: Request, ctx: CtxDep) -> Response:
    night = plan.morning_night(ctx, request.query_params.get("night"))
    detail = night_detail(ctx, night)
    values = entry_values(detail.sleep) if detail.sleep else {"night": night.isoformat()}
    saved = False
    return page(request, "morning.html", {
        "active": "morning", "night": night, "values": values, "detail": detail,
        "saved": saved, "editing": detail.sleep is not None and not saved,
        "metrics": nights_svc.night_metrics(ctx, night) if saved or detail.sleep else None})


@router.post("/morning")
async def save_morning(request: Request, ctx: CtxDep) -> Response:
    """Diary, morning pain and symptoms are saved together or not at all (plan.save_morning)."""
    form = await request.form()
    answers = MorningInput.from_mapping({k: text(form, k) for k in INPUTS})
    try:
        result = plan.save_morning(ctx, answers)
    except NightleafError as exc:
        return page(request, "morning.html", {
            "active": "morning", "night": None, "values": form_values(form),
            "errors": form_error(exc, INPUTS), "detail": None, "saved": False,
            "editing": False, "metrics": None}, status_code=exc.status_code)
    night = result.night
    return page(request, "morning.html", {
        "active": "morning", "night": night, "values": entry_values(result.entry),
        "detail": night_detail(ctx, night), "saved": True, "editing": False,
        "result": result, "metrics": nights_svc.night_metrics(ctx, night)})

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
from nightleaf.web.pages._common import ctx_of, text
from nightleaf.web.render import form_error, form_values, page

router = APIRouter()

SLEEP_INPUTS = ("night", "into_bed", "tried_to_sleep", "sol", "awakenings", "waso",
                "final_awakening", "out_of_bed", "quality", "rested", "note")
PAIN_INPUTS = ("nrs", "side_effects")
INPUTS = SLEEP_INPUTS + PAIN_INPUTS
ALIASES = {
    "into bed": "into_bed", "tried to sleep": "tried_to_sleep", "final awakening": "final_awakening",
    "out of bed": "out_of_bed", "minutes to fall asleep": "sol", "number of awakenings": "awakenings",
    "minutes awake during the night": "waso", "minutes woken earlier than planned": "woke_early",
    "sleep quality": "quality", "how rested": "rested", "number of naps": "nap_count",
    "nap minutes": "nap_minutes", "pain (NRS)": "nrs", "PEG enjoyment of life": "peg_enjoyment",
    "PEG general activity": "peg_activity", "side_effect": "side_effects", "tried": "tried_to_sleep",
    "final": "final_awakening", "out": "out_of_bed", "pain": "nrs",
}


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
def morning_page(request: Request) -> Response:
    ctx = ctx_of(request)
    night = plan.morning_night(ctx, request.query_params.get("night"))
    detail = night_detail(ctx, night)
    values = entry_values(detail.sleep) if detail.sleep else {"night": night.isoformat()}
    saved = False
    return page(request, "morning.html", {
        "active": "morning", "night": night, "values": values, "detail": detail,
        "saved": saved, "editing": detail.sleep is not None and not saved,
        "metrics": nights_svc.night_metrics(ctx, night) if saved or detail.sleep else None})


@router.post("/morning")
async def save_morning(request: Request) -> Response:
    """Diary, morning pain and symptoms are saved together or not at all (plan.save_morning)."""
    ctx = ctx_of(request)
    form = await request.form()
    answers = plan.MorningAnswers(
        night=text(form, "night"), into_bed=text(form, "into_bed"),
        tried=text(form, "tried_to_sleep"), sol=text(form, "sol"),
        awakenings=text(form, "awakenings"), waso=text(form, "waso"),
        final=text(form, "final_awakening"), out=text(form, "out_of_bed"),
        quality=text(form, "quality"), rested=text(form, "rested"), pain=text(form, "nrs"),
        side_effects=[x.strip() for x in (text(form, "side_effects") or "").split(",") if x.strip()],
        note=text(form, "note"))
    try:
        result = plan.save_morning(ctx, answers)
    except NightleafError as exc:
        return page(request, "morning.html", {
            "active": "morning", "night": None, "values": form_values(form),
            "errors": form_error(exc, INPUTS, ALIASES), "detail": None, "saved": False,
            "editing": False, "metrics": None}, status_code=exc.status_code)
    night = result.night
    return page(request, "morning.html", {
        "active": "morning", "night": night, "values": entry_values(result.entry),
        "detail": night_detail(ctx, night), "saved": True, "editing": False,
        "result": result, "metrics": nights_svc.night_metrics(ctx, night)})

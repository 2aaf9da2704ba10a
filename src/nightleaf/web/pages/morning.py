"""``/morning``: the sleep-diary check-in and the morning pain rating."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nightleaf.errors import NightleafError
from nightleaf.model import clock
from nightleaf.model.entities import SleepEntry
from nightleaf.services import journal as journal_svc
from nightleaf.services.entries import delete_entry, night_detail
from nightleaf.web import wiring
from nightleaf.web.pages._common import ctx_of, last_night_of, parse_night, text
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()

SLEEP_INPUTS = ("night", "into_bed", "tried_to_sleep", "sol", "awakenings", "waso",
                "final_awakening", "out_of_bed", "woke_early", "quality", "rested", "nap_count",
                "nap_minutes", "note")
PAIN_INPUTS = ("nrs", "peg_enjoyment", "peg_activity")
INPUTS = SLEEP_INPUTS + PAIN_INPUTS
ALIASES = {
    "into bed": "into_bed", "tried to sleep": "tried_to_sleep", "final awakening": "final_awakening",
    "out of bed": "out_of_bed", "minutes to fall asleep": "sol", "number of awakenings": "awakenings",
    "minutes awake during the night": "waso", "minutes woken earlier than planned": "woke_early",
    "sleep quality": "quality", "how rested": "rested", "number of naps": "nap_count",
    "nap minutes": "nap_minutes", "pain (NRS)": "nrs", "PEG enjoyment of life": "peg_enjoyment",
    "PEG general activity": "peg_activity",
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


def _rating_time(ctx: Any, night: date, form: Any) -> str | None:
    """The morning rating belongs to ``night``: it is timed now when now is in that night,
    else at the reported wake time (local, on the morning after ``night``)."""
    tz = ctx.profile().tz
    if clock.night_of(ctx.now(), tz) == night:
        return None
    wake = (text(form, "final_awakening") or text(form, "out_of_bed") or "").strip()
    if not wake:
        return None
    wall = clock.parse_wall_time(wake)
    day = night if wall >= clock.NIGHT_CUTOFF else night + timedelta(days=1)
    return f"{day.isoformat()} {wall:%H:%M}"


@router.get("/morning")
def morning_page(request: Request) -> Response:
    ctx = ctx_of(request)
    night = parse_night(request.query_params.get("night"), last_night_of(ctx))
    detail = night_detail(ctx, night)
    values = entry_values(detail.sleep) if detail.sleep else {"night": night.isoformat()}
    saved = request.query_params.get("saved") == "1"
    return page(request, "morning.html", {
        "active": "morning", "night": night, "values": values, "detail": detail,
        "saved": saved, "editing": detail.sleep is not None and not saved,
        "metrics": wiring.night_metrics(ctx, night) if saved or detail.sleep else None})


@router.post("/morning")
async def save_morning(request: Request) -> Response:
    """Diary and pain are saved together or not at all: the pain rating (a new record) is
    saved first and removed again if the diary entry is refused."""
    ctx = ctx_of(request)
    form = await request.form()
    night_text = text(form, "night")
    pain_id: int | None = None
    try:
        night = parse_night(night_text, last_night_of(ctx))
        nrs = text(form, "nrs")
        if nrs and nrs.strip():
            pain = journal_svc.log_pain(
                ctx, nrs, context="morning", at=_rating_time(ctx, night, form),
                peg_pain=nrs if (text(form, "peg_enjoyment") or text(form, "peg_activity")) else None,
                peg_enjoyment=text(form, "peg_enjoyment"), peg_activity=text(form, "peg_activity"))
            pain_id = pain.id
        journal_svc.log_sleep(ctx, night=night.isoformat(),
                              **{k: text(form, k) for k in SLEEP_INPUTS if k != "night"})
    except NightleafError as exc:
        if pain_id is not None:
            delete_entry(ctx, "pain", pain_id)
        values = form_values(form)
        return page(request, "morning.html", {
            "active": "morning", "night": None, "values": values,
            "errors": form_error(exc, INPUTS, ALIASES), "detail": None, "saved": False,
            "editing": False, "metrics": None}, status_code=exc.status_code)
    return redirect(f"/morning?night={night.isoformat()}&saved=1")

"""``/api/nights``: nights in a range, one night's entries, deleting an entry."""

from __future__ import annotations

from datetime import date

from fastapi import Path, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.model.entities import Intake, Note, PainRating, SleepEntry, Substance, Symptom
from nightleaf.services import nights as nights_svc
from nightleaf.services.diary import night_version_now
from nightleaf.services.entries import DELETABLE, delete_entry, night_detail
from nightleaf.web.api.common import Ctx, api_router, plain
from nightleaf.web.api.schemas import plain_model, schema

router = api_router(tags=["journal"])

NightsOut = schema("NightsOut", "Nights in a range, as `nightleaf nights --json` prints them.",
                   from_=(date, Field(alias="from")), to=date,
                   nights=list[plain_model(nights_svc.NightRow)])  # type: ignore[misc]
NightOut = schema("NightOut", "Every entry of one night.", night=date, tz=str,
                  intakes=list[Intake], substances=list[Substance], sleep=SleepEntry | None,
                  pain=list[PainRating], symptoms=list[Symptom], notes=list[Note])
DeletedOut = schema("DeletedOut", None, deleted=schema("DeletedEntry", None, kind=str, id=int))


@router.get("/nights", response_model=NightsOut)
def api_nights(ctx: Ctx, first: str | None = Query(None, max_length=16),
               last: str | None = Query(None, max_length=16),
               days: int = Query(14, ge=1, le=7320)) -> JSONResponse:
    """Nights in a range (default: the last 14): intakes, diary times, pain."""
    start, end = nights_svc.night_range(ctx, first, last, days)
    return plain({"from": start, "to": end, "nights": nights_svc.list_nights(ctx, start, end)})


@router.get("/nights/{night}", response_model=NightOut)
def api_night(ctx: Ctx, night: date) -> JSONResponse:
    """Every entry of one night; its ``ETag`` is the night's version (for ``If-Match``)."""
    d = night_detail(ctx, night)
    resp = plain({"night": d.night, "tz": d.tz, "intakes": d.intakes,
                  "substances": d.substances, "sleep": d.sleep, "pain": d.pain,
                  "symptoms": d.symptoms, "notes": d.notes})
    # the night's version: send it back as If-Match with /api/sleep or /api/morning, and a save
    # made elsewhere in between is a 409 instead of a lost update
    resp.headers["ETag"] = f'"{night_version_now(ctx, night)}"'
    return resp


@router.delete("/entries/{kind}/{entry_id}", response_model=DeletedOut)
def api_delete_entry(ctx: Ctx,
                     kind: str = Path(pattern="^(intake|" + "|".join(DELETABLE) + ")$"),
                     entry_id: int = Path(ge=1, le=2**62)) -> JSONResponse:
    """Delete one entry: intake, substance, pain, symptom, note or sleep."""
    delete_entry(ctx, kind, entry_id)
    return plain({"deleted": {"kind": kind, "id": entry_id}})

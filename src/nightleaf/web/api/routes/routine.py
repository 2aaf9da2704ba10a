"""``/api/routine``: the evening routine's items and tonight's ticks."""

from __future__ import annotations

from datetime import date

from fastapi import Path
from fastapi.responses import JSONResponse
from pydantic import Field

from nightleaf.model.entities import RoutineCheck, RoutineItem
from nightleaf.services import routine as routine_svc
from nightleaf.services.entries import remove_routine_item, routine_for_night, set_routine_done
from nightleaf.web.api.common import Body, Ctx, api_router, plain
from nightleaf.web.api.schemas import plain_model, schema

router = api_router()

RoutineOut = schema("RoutineOut", "The routine items and which are ticked for the night.",
                    night=date, items=list[schema(  # type: ignore[misc]
                        "RoutineItemTicked", None, item=RoutineItem, done=bool)])
RemovedOut = schema("RemovedOut", None, removed=int)


class RoutineTick(Body):
    done: bool = True
    night: date | None = None


class RoutineItemIn(Body):
    text: str = Field(max_length=200)
    minutes_before_bed: int | None = Field(None, ge=0, le=240)


@router.get("/routine", tags=["tonight"], response_model=RoutineOut)
def api_routine(ctx: Ctx, night: date | None = None) -> JSONResponse:
    """The routine items and which are ticked for ``night`` (default tonight)."""
    r = routine_for_night(ctx, night)
    return plain({"night": r.night, "items": [{"item": i, "done": i.id in r.done}
                                              for i in r.items]})


@router.put("/routine/{item_id}", tags=["tonight"], response_model=plain_model(RoutineCheck))
def api_tick(ctx: Ctx, body: RoutineTick, item_id: int = Path(ge=1, le=2**62)) -> JSONResponse:
    return plain(set_routine_done(ctx, item_id, body.done, body.night))


@router.post("/routine/items", tags=["settings"], status_code=201,
             response_model=plain_model(RoutineItem))
def api_add_routine_item(ctx: Ctx, body: RoutineItemIn) -> JSONResponse:
    return plain(routine_svc.add_item(ctx, body.text, body.minutes_before_bed), 201)


@router.delete("/routine/items/{item_id}", tags=["settings"], response_model=RemovedOut)
def api_remove_routine_item(ctx: Ctx, item_id: int = Path(ge=1, le=2**62)) -> JSONResponse:
    remove_routine_item(ctx, item_id)
    return plain({"removed": item_id})

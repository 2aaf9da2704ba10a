"""Small helpers shared by the page modules."""

from __future__ import annotations

from datetime import date, timedelta

from nightleaf.model import clock
from nightleaf.services import Context, parse


def local_now(ctx: Context) -> str:
    return clock.local_datetime(ctx.now(), ctx.profile().tz).strftime("%H:%M")


def tonight_of(ctx: Context) -> date:
    return clock.tonight(ctx.now(), ctx.profile().tz)


def last_night_of(ctx: Context) -> date:
    """The night whose morning the person is most likely reporting: the one before tonight."""
    return tonight_of(ctx) - timedelta(days=1)


def parse_night(text: str | None, default: date, field: str = "night") -> date:
    return parse.iso_date(text, field, default, "the night")


def text(form: object, name: str) -> str | None:
    v = form.get(name)  # type: ignore[attr-defined]
    return v if isinstance(v, str) else None

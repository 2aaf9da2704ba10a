"""Rendering pages: templates, the navigation, the CSRF token and form errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from nightleaf.errors import FieldError, InputError, NightleafError
from nightleaf.model import clock
from nightleaf.web.deps import get_context
from nightleaf.web.prg import flash_message
from nightleaf.web.security import csrf_token, set_csrf_cookie

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

#: (key, path, label) of the main navigation
NAV: tuple[tuple[str, str, str], ...] = (
    ("tonight", "/tonight", "Tonight"),
    ("morning", "/morning", "Morning"),
    ("journal", "/journal", "Journal"),
    ("dashboard", "/dashboard", "Dashboard"),
    ("experiments", "/experiments", "Experiments"),
    ("report", "/report", "Report"),
    ("products", "/products", "Products"),
    ("health", "/health", "Medicines & conditions"),
    ("safety", "/safety", "Safety & legal"),
    ("settings", "/settings", "Settings"),
)


def _fmt_local(instant: Any, tz: str, fmt: str = "%H:%M") -> str:
    if instant is None:
        return "—"
    return clock.local_datetime(instant, tz).strftime(fmt)


def _num(v: Any, digits: int = 1) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        s = f"{v:.{digits}f}".rstrip("0").rstrip(".")
        return s or "0"
    return str(v)


def _day(v: Any) -> str:
    """An ISO date spelled out so no locale can misread it: ``2026-11-24`` → ``Tue 24 Nov
    2026`` (Chromium shows a date input as mm/dd/yyyy in en-US, dd/mm/yyyy elsewhere)."""
    try:
        d = v if isinstance(v, date) else date.fromisoformat(str(v or "").strip())
    except ValueError:
        return ""
    return f"{WEEKDAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec")

templates.env.filters["local"] = _fmt_local
templates.env.filters["day"] = _day
templates.env.filters["num"] = _num


def _finding_title(title: str) -> str:
    """A title without a leading "Danger: ": the badge beside it says the severity already."""
    return title.removeprefix("Danger: ")


templates.env.filters["finding_title"] = _finding_title


def _qty(amount: float | None, unit: str | None) -> str:
    """``1 drink``, ``2 drinks``, ``200 mg``: a plural unit is singular for exactly one."""
    if amount is None:
        return ""
    u = (unit or "").strip()
    if amount == 1 and u.endswith("s") and u not in ("mg", "g", "ms"):
        u = u[:-1]
    return f"{_num(amount)} {u}".strip()


templates.env.filters["qty"] = _qty


def page(request: Request, name: str, context: Mapping[str, Any] | None = None, *,
         status_code: int = 200) -> Response:
    data: dict[str, Any] = {"errors": {}, "values": {}, "active": "", **(context or {})}
    if "profile" not in data:  # (an error page names none: it needs no journal)
        data["profile"] = get_context(request).profile()
    data.setdefault("flash", flash_message(request))
    data.update(csrf=csrf_token(request), nav=request.app.state.nav)
    resp = templates.TemplateResponse(request, name, data, status_code=status_code)
    set_csrf_cookie(request, resp)
    return resp


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def form_values(form: FormData) -> dict[str, str]:
    """The typed values, to put back into a form that is shown again."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


def form_error(exc: NightleafError, fields: Iterable[str]) -> dict[str, str]:
    """``{input name: message}`` for every problem of an error, each beside the input named by
    its field id; ``_form`` gathers those about no input shown."""
    shown = set(fields)
    out: dict[str, str] = {}
    problems = exc.errors if isinstance(exc, InputError) else [
        FieldError(exc.field, "invalid", exc.message)]
    for e in problems:
        key = e.field if e.field in shown else "_form"
        out[key] = f"{out[key]} {e.message}" if key in out else e.message
    return out


templates.env.globals["form_opts"] = lambda xs: [(x, x.replace("_", " ")) for x in xs]
templates.env.globals["product_opts"] = lambda views: [(str(v.product.id), v.product.name)
                                                       for v in views]

"""Post/redirect/get: every successful form POST answers ``303 See Other`` to a GET page, so a
reload (or the back button) never sends the form again.

Shared by every page module (evening and morning pages alike)::

    from nightleaf.web.prg import after_write
    return after_write("/tonight", "intake", entry=logged.intake.id, anchor="findings")

The GET page then shows the flash line through ``flash_message(request)`` (the base template
shows it for every page) and may read the other query parameters (``entry=…``) to show, e.g.,
the findings of what was just written. The flash is a *key* looked up in :data:`FLASH`, never text
taken from the URL, so nothing a link carries is shown as the app's own words.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

#: flash key → the one line shown after the redirect. Add your page's keys here.
FLASH: dict[str, str] = {
    "saved": "Saved.",
    "intake": "Intake saved.",
    "substance": "Substance logged.",
    "pain": "Pain rating logged.",
    "routine": "Routine saved.",
    "deleted": "Entry deleted.",
    "condition-removed": "Condition removed.",
    "corrected": "Entry corrected.",
    "product": "Product added.",
    "product-edited": "Product updated.",
    "batch": "Batch added.",
    "batch-edited": "Batch updated.",
    "medicine": "Medicine added.",
    "medicine-edited": "Medicine updated.",
    "medicine-removed": "Medicine removed.",
    "medicine-restored": "Medicine restored.",
    "condition": "Condition added.",
    "morning": "Morning saved.",
    "profile": "Profile saved.",
}

FLASH_PARAM = "flash"


def after_write(path: str, flash: str = "saved", *, anchor: str = "",
                **params: str | int | None) -> Response:
    """``303`` to ``path?flash=<key>&<params>#<anchor>``; ``None`` params are left out."""
    if flash not in FLASH:
        raise ValueError(f"unknown flash key {flash!r}: add it to nightleaf.web.prg.FLASH")
    query = {FLASH_PARAM: flash, **{k: str(v) for k, v in params.items() if v is not None}}
    sep = "&" if "?" in path else "?"
    url = f"{path}{sep}{urlencode(query)}" + (f"#{anchor}" if anchor else "")
    return RedirectResponse(url, status_code=303)


def flash_key(request: Request) -> str | None:
    key = request.query_params.get(FLASH_PARAM)
    return key if key in FLASH else None


def flash_message(request: Request) -> str | None:
    """The line to show for the request's ``?flash=`` key, or ``None``."""
    key = flash_key(request)
    return FLASH[key] if key else None

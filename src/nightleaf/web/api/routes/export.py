"""``/api/export``: the whole journal in the nightleaf-journal JSON format."""

from __future__ import annotations

from typing import Literal

from fastapi.responses import JSONResponse
from pydantic import create_model

from nightleaf.io.journal_json import FORMAT, journal_to_dict
from nightleaf.model.entities import Journal
from nightleaf.services import transfer
from nightleaf.web.api.common import Ctx, api_router
from nightleaf.web.api.schemas import plain_model

router = api_router(tags=["settings"])

JournalExport = create_model(
    "JournalExport", __base__=plain_model(Journal),
    __doc__="The whole journal, as `nightleaf export json` writes it (and `import json` reads).",
    format=(Literal["nightleaf-journal"], ...),  # type: ignore[arg-type, maybe-unrecognized-str-typeform, unused-ignore]
    version=(int, ...))
assert FORMAT == "nightleaf-journal"  # the Literal above names it


@router.get("/export", response_model=JournalExport)
def api_export(ctx: Ctx) -> JSONResponse:
    """The whole journal in the nightleaf-journal JSON format (what `nightleaf export` writes)."""
    return JSONResponse(journal_to_dict(transfer.load_journal(ctx)))

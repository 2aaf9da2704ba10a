"""The JSON of ``/api`` answers as it was made before ``model.plain.dumps`` (issue 13): the
domain value made plain by ``to_plain``, then rendered by Starlette's own ``JSONResponse``
(``json.dumps``, UTF-8, no spaces, NaN and infinities refused). The reference the fast encoder
is checked against."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse

from nightleaf.model.plain import to_plain


def reference_body(value: Any) -> bytes:
    return bytes(JSONResponse(to_plain(value)).body)


def reference_chart_json(cols: Any) -> str:
    """What the dashboard page embedded before ``dashboard.chart_json``."""
    return json.dumps(cols, separators=(",", ":"))

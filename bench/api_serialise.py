"""How much the ``/api`` answer costs after the service, old way against new, in one run.

Old (before issue 16): the route returned a dict, FastAPI ran ``jsonable_encoder`` over it and
built a ``JSONResponse``. New: the route answers ``JSONResponse(to_plain(...))`` directly (the
``response_model`` documents the shape; ``to_plain`` already made it JSON-ready). Both on the same
365-night ``WindowSummary`` (``/api/summary?days=365``), alternating, median of 15 each.

Run: ``PYTHONPATH=src .venv/bin/python bench/api_serialise.py``
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from nightleaf.model.plain import to_plain
from nightleaf.services import open_context, summary
from nightleaf.simulate import simulate_journal


def main() -> None:
    d = tempfile.mkdtemp()
    now = datetime.fromisoformat("2026-11-24T21:00:00-05:00")
    ctx = open_context(f"sqlite:///{d}/j.db", clock=lambda: now)
    with ctx.store.tx() as repo:
        repo.save_journal(simulate_journal(365, seed=42))
    s = summary.summarise(ctx, days=365)

    def old() -> None:
        JSONResponse(jsonable_encoder(to_plain(s)))

    def new() -> None:
        JSONResponse(to_plain(s))

    ta: list[float] = []
    tb: list[float] = []
    for _ in range(15):
        for f, acc in ((old, ta), (new, tb)):
            t = time.perf_counter()
            f()
            acc.append(time.perf_counter() - t)
    a, b = statistics.median(ta) * 1e3, statistics.median(tb) * 1e3
    print(f"old median {a:.2f} ms, new median {b:.2f} ms, new/old {b / a:.2f}")


if __name__ == "__main__":
    main()

"""Encoding the summary and dashboard answers: the old path against ``model.plain.dumps``.

    PYTHONPATH=src python bench/plain_dumps.py [--repeat 15]

Seeds ``simulate_journal(3653, seed=42)`` (as ``bench/web_dashboard.py`` does) into a fresh
SQLite journal, builds the 1- and 10-year ``WindowSummary`` of ``/api/summary`` and the chart
columns of ``/api/dashboard`` and of the ``/dashboard`` page, then times, alternating, median
and best of ``--repeat`` in CPU time (``time.process_time``, steadier than the wall clock on a
shared machine):

- ``/api/summary`` body: old ``JSONResponse(to_plain(s)).body`` (``dumps_reference``) against
  ``dumps(s)``;
- ``/api/dashboard`` body: the same, for its dict of columns;
- the page's chart JSON: old ``json.dumps(cols, separators=(",", ":"))`` against
  ``dashboard.chart_json(cols)``;
- the chart columns (``dashboard.series``) and the page's own work after the summary
  (``pages.dashboard._shown``: columns, views, chart JSON, server-drawn charts, weekly table)
  in both views: main's column building before this work (kept for the tests in
  ``tests/support/dashboard_reference.py``) against the current one.

Each pair is checked to give the same bytes before it is timed (the script stops otherwise).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).parents[1]))  # tests.support: the old column building
warnings.simplefilter("ignore")

from tests.support import dashboard_reference as old_dashboard  # noqa: E402

from nightleaf.model.plain import dumps, dumps_reference  # noqa: E402
from nightleaf.services import open_context  # noqa: E402
from nightleaf.services import summary as summary_svc  # noqa: E402
from nightleaf.simulate import simulate_journal  # noqa: E402
from nightleaf.web import dashboard  # noqa: E402
from nightleaf.web.pages.dashboard import _shown  # noqa: E402

NOW = datetime.fromisoformat("2026-11-24T21:00:00-05:00")
LAST = "2026-11-23"


def cpu_ms(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        out.append((time.process_time() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix="nightleaf-dumps-"))
    ctx = open_context(f"sqlite:///{d / 'b.db'}", clock=lambda: NOW)
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(3653, seed=42))
    print(f"{'window':7s} {'what':24s} {'old median/best ms':>19s} {'new median/best ms':>19s}"
          f" {'old/new':>8s}")
    for days in (365, 3653):
        window(summary_svc.summarise(ctx, days=days, last=LAST), days, args.repeat)


def window(s: Any, days: int, repeat: int) -> None:
    api_dash = {"first_night": s.first_night, "last_night": s.last_night, "tz": s.tz,
                "series": dashboard.series(s)}
    cols = dashboard.with_views(s, dashboard.series(s), "night")
    pairs: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        ("/api/summary body", lambda: dumps_reference(s), lambda: dumps(s)),
        ("/api/dashboard body", lambda: dumps_reference(api_dash), lambda: dumps(api_dash)),
        ("page chart JSON", lambda: json.dumps(cols, separators=(",", ":")),
         lambda: dashboard.chart_json(cols)),
        ("chart columns", lambda: old_dashboard.series(s), lambda: dashboard.series(s)),
        ("page parts, night view", lambda: old_dashboard.shown_parts(s, "night"),
         lambda: _parts(s, "night")),
        ("page parts, week view", lambda: old_dashboard.shown_parts(s, "week"),
         lambda: _parts(s, "week")),
    ]
    for what, old, new in pairs:
        if old() != new():
            sys.exit(f"{what} ({days} nights): the new bytes differ from the old")
        old_t: list[float] = []
        new_t: list[float] = []
        for _ in range(3):  # alternate: a busy spell falls on both
            old_t += cpu_ms(old, max(1, repeat // 3))
            new_t += cpu_ms(new, max(1, repeat // 3))
        mo, mn = statistics.median(old_t), statistics.median(new_t)
        print(f"{days:>5} n {what:24s} {mo:9.1f} / {min(old_t):7.1f} "
              f"{mn:9.1f} / {min(new_t):7.1f} {mo / mn:8.1f}")

def _parts(s: Any, view: str) -> dict[str, Any]:
    """What ``old_dashboard.shown_parts`` gives, from the page's ``_shown``."""
    shown = _shown(s, view)
    return {k: shown[k] for k in ("series_json", "fallbacks", "weeks")}


if __name__ == "__main__":
    main()

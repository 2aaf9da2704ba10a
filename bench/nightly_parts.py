"""What the nightly rows and the window's figures cost, part by part, against the bare SQL read.

    PYTHONPATH=src python bench/nightly_parts.py [--repeat 15] [--windows 365,3653]

Seeds ``simulate_journal(3653, seed=42)`` into a fresh SQLite journal (as
``bench/web_dashboard.py`` does), reads each window's records once through the service
(``summary.window_records``), calls ``settle_memory()`` (gc frozen, as the server does) and
times in CPU time (``time.process_time``, median of ``--repeat`` after 3 warm-up runs): the bare
SQL ``SELECT`` of the window's intake, diary and pain rows (the peer of issue 13's goal, the same
query as the dashboard benchmark's), ``stats.nightly.nightly``, its per-night parts
(``diary_metrics`` of every entry, ``night_intakes``, ``night_pain``) and
``stats.window.summarise_window`` with and without ``detail``. Each figure is also printed as a
multiple of the SQL peer's median of the same run. No request, template or JSON: those are
``bench/web_dashboard.py``'s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
warnings.simplefilter("ignore")

from sqlalchemy import select  # noqa: E402

from nightleaf.pain.nrs import night_pain  # noqa: E402
from nightleaf.services import open_context  # noqa: E402
from nightleaf.services import summary as summary_svc  # noqa: E402
from nightleaf.services.context import Context  # noqa: E402
from nightleaf.simulate import simulate_journal  # noqa: E402
from nightleaf.sleep.diary import diary_metrics  # noqa: E402
from nightleaf.stats.intake import night_intakes  # noqa: E402
from nightleaf.stats.nightly import nightly  # noqa: E402
from nightleaf.stats.window import summarise_window  # noqa: E402
from nightleaf.store import tables as t  # noqa: E402
from nightleaf.web.app import settle_memory  # noqa: E402

NOW = datetime.fromisoformat("2026-11-24T21:00:00-05:00")
LAST = "2026-11-23"


def cpu_median(fn: Callable[[], object], repeat: int) -> float:
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times) * 1000


def parts(ctx: Context, days: int) -> list[tuple[str, Callable[[], object]]]:
    """What is timed for the window of ``days`` nights ending on LAST, peer first."""
    profile = ctx.profile()
    first, end = summary_svc.summary_window(ctx, days, LAST, profile=profile)
    records = summary_svc.window_records(ctx, first, end, products=True)
    rows = {k: v for k, v in records.items() if k != "products"}

    def sql() -> int:
        with ctx.store.engine.connect() as conn:
            return sum(len(conn.execute(select(tb).where(tb.c.night >= first)).all())
                       for tb in (t.intake, t.sleep_entry, t.pain))

    return [
        ("bare SQL SELECT", sql),
        ("nightly", lambda: nightly(first_night=first, last_night=end, profile=profile, **rows)),
        ("  diary_metrics (every entry)", lambda: [diary_metrics(e) for e in rows["entries"]]),
        ("  night_intakes", lambda: night_intakes(rows["intakes"])),
        ("  night_pain", lambda: night_pain(rows["pain"])),
        ("summarise_window(detail=False)",
         lambda: summarise_window(first_night=first, last_night=end, profile=profile,
                                  detail=False, **rows)),
        ("summarise_window(detail=True)",
         lambda: summarise_window(first_night=first, last_night=end, profile=profile,
                                  detail=True, **records)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--windows", default="365,3653")
    args = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix="nightleaf-bench-"))
    ctx = open_context(f"sqlite:///{d / 'bench.db'}", clock=lambda: NOW)
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(3653, seed=42))
    timed = {int(w): parts(ctx, int(w)) for w in args.windows.split(",")}
    settle_memory()
    print(f"CPU median of {args.repeat} runs, ms (× the bare SQL read's median, same run)")
    for days, todo in timed.items():
        peer = 0.0
        for name, fn in todo:
            ms = cpu_median(fn, args.repeat)
            peer = peer or ms
            print(f"{days:5d} n  {name:32s} {ms:8.2f}  ({ms / peer:.2f}×)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

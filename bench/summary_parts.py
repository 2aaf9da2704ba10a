"""CPU time of the statistics inside ``summarise_window``, against the read of the window.

    PYTHONPATH=src python bench/summary_parts.py [--repeat 15] [--src OTHER/src]

Seeds ``simulate_journal(3653, seed=42)`` (as ``bench/web_dashboard.py`` does) into a fresh
SQLite journal and, for 1- and 10-year windows, times (CPU medians, ``time.process_time``):
the peer — reading the window's records (``services.summary._window_inputs``, what every
first view after a change does) —, the whole ``summarise_window`` (``detail=True``, what
``/api/summary`` computes), and three of its parts on the same nightly rows: the
comparisons (``stats.window._comparisons``: the AR(1) fits and intervals), the ``describe``
calls of the diary, pain and intake summaries, and ``window_regularity`` (diary and each
wearable source). Each is printed in ms and as a multiple of the read. ``--src`` imports
``nightleaf`` from another checkout's ``src`` (to time the code before a change in the same
way); the parts are called as that code's ``summarise_window`` calls them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

NOW = datetime.fromisoformat("2026-11-24T21:00:00-05:00")
LAST = "2026-11-23"


def cpu_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        c0 = time.process_time()
        fn()
        runs.append((time.process_time() - c0) * 1000)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--src", default=str(Path(__file__).parents[1] / "src"),
                    help="the src directory to import nightleaf from")
    args = ap.parse_args()
    sys.path.insert(0, args.src)
    warnings.simplefilter("ignore")

    import nightleaf
    from nightleaf.services import open_context
    from nightleaf.services import summary as S
    from nightleaf.simulate import simulate_journal
    from nightleaf.sleep.regularity import (
        episode_intervals,
        main_sleep_times,
        metrics_intervals,
        window_regularity,
    )
    from nightleaf.stats import window as W
    from nightleaf.stats.describe import describe

    print(f"nightleaf from {Path(nightleaf.__file__).parent}")
    d = Path(tempfile.mkdtemp(prefix="nightleaf-parts-"))
    ctx = open_context(f"sqlite:///{d / 'b.db'}", clock=lambda: NOW)
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(3653, seed=42))
    print(f"{'window':7s} {'part':44s} {'CPU median ms':>13s} {'× read':>7s}")
    for days in (365, 3653):
        profile, first, end, records = S._window_inputs(ctx, days, LAST, products=True)  # noqa: SLF001
        nightly_records = {k: v for k, v in records.items() if k != "products"}
        rows = S.nightly(first_night=first, last_night=end, profile=profile, **nightly_records)
        names = {p.id: p.label or p.name for p in records["products"] if p.id is not None}
        diary = [r.diary for r in rows if r.diary is not None]
        tried = [m.tried_to_sleep for m in diary if m.tried_to_sleep is not None]
        episodes = [e for e in records["episodes"] if first <= e.night <= end]
        sources = sorted({e.source for e in episodes})
        use_rows = [r.intake for r in rows if r.intake is not None]
        columns = ([[getattr(r.diary, k) if r.diary else None for r in rows]
                    for k in W.SLEEP_METRICS]
                   + [[getattr(r.pain, k) if r.pain else None for r in rows]
                      for k in W.PAIN_METRICS]
                   + [[getattr(i, k) for i in use_rows] for k in
                      ("total_grams", "mitragynine_mg", "count", "minutes_last_intake_to_sleep")])

        def read(days: int = days) -> object:
            return S._window_inputs(ctx, days, LAST, products=True)  # noqa: SLF001

        def whole(first=first, end=end, profile=profile, records=records) -> object:
            return W.summarise_window(first_night=first, last_night=end, profile=profile,
                                      detail=True, **records)

        def comparisons(rows=rows, names=names) -> object:
            return W._comparisons(rows, names, W.OUTCOMES, detail=True)  # noqa: SLF001

        def describes(columns=columns) -> object:
            return [describe(c) for c in columns]

        def regularity(diary=diary, tried=tried, episodes=episodes, sources=sources,
                       first=first, end=end, profile=profile) -> object:
            out = [window_regularity(metrics_intervals(diary), first, end, profile,
                                     source="diary", lights_out=tried)]
            for src in sources:
                mine = [e for e in episodes if e.source == src]
                out.append(window_regularity(episode_intervals(mine), first, end, profile,
                                             source=src, timing=main_sleep_times(mine)))
            return out

        peer = cpu_ms(read, args.repeat)
        parts: list[tuple[str, Callable[[], object]]] = [
            ("summarise_window (detail)", whole),
            ("  comparisons (AR(1) fits, intervals)", comparisons),
            (f"  describe x{len(columns)}", describes),
            (f"  window_regularity x{1 + len(sources)}", regularity),
        ]
        print(f"{days:<5d} n {'read of the window (peer)':44s} {peer:13.1f} {1.0:7.2f}")
        for label, fn in parts:
            ms = cpu_ms(fn, args.repeat)
            print(f"{days:<5d} n {label:44s} {ms:13.1f} {ms / peer:7.2f}")


if __name__ == "__main__":
    main()

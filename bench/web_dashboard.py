"""Dashboard and API server time over 10 years of nightly entries, against peers in the same run.

    PYTHONPATH=src python bench/web_dashboard.py [--repeat 15] [--no-settle]

Seeds ``simulate_journal(3653)`` into a fresh SQLite journal, then times requests in-process
(ASGI, no network) for 1-, 5- and 10-year windows. Before timing it calls ``settle_memory()`` as
``nightleaf serve`` does (``--no-settle`` leaves it out, to see what it saves). Peers, measured
in the same run: a static-file response (the floor of any request) and a bare SQL ``SELECT`` of
the window's intake, diary and pain rows (the floor of reading the data). Reports median and
p95 in ms and as ratios.

Wall-clock p95 is the official figure. On a shared, loaded machine it is noisy, so each request
and each peer also gets its CPU time (``time.process_time()`` around the request: the process's
CPU in all threads, which counts the server thread of the in-process client; nothing else runs
in this process), and the ratios of CPU p95 to the SQL peer's CPU p95 are printed beside the
wall-clock ones. CPU time is not inflated by waiting for a core, so its ratios say what the code
costs even when the wall-clock ones say mostly how busy the machine was.
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
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
warnings.simplefilter("ignore")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import select  # noqa: E402

from nightleaf.services import open_context  # noqa: E402
from nightleaf.services import summary as summary_svc  # noqa: E402
from nightleaf.simulate import simulate_journal  # noqa: E402
from nightleaf.store import tables as t  # noqa: E402
from nightleaf.web.app import create_app, settle_memory  # noqa: E402

NOW = datetime.fromisoformat("2026-11-24T21:00:00-05:00")
LAST = "2026-11-23"
AIM = {365: 150.0, 3653: 400.0}


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float, float]:
    """(wall median, wall p95, CPU median, CPU p95) in ms over ``repeat`` runs after a warm-up."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), _p95(wall), statistics.median(cpu), _p95(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--no-settle", action="store_true", help="skip settle_memory() (gc.freeze)")
    args = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix="nightleaf-bench-"))
    ctx = open_context(f"sqlite:///{d / 'bench.db'}", clock=lambda: NOW)
    t0 = time.perf_counter()
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(3653, seed=42))
    print(f"seeded 3653 nights in {time.perf_counter() - t0:.1f} s")
    client = TestClient(create_app(context=ctx), base_url="http://127.0.0.1")
    if not args.no_settle:
        settle_memory()

    def get(url: str) -> Callable[[], object]:
        def run() -> object:
            r = client.get(url)
            if r.status_code != 200:
                raise SystemExit(f"{url}: {r.status_code} {r.text[:300]}")
            return r
        return run

    def sql(days: int) -> Callable[[], object]:
        first = datetime.fromisoformat(LAST).date() - timedelta(days=days - 1)

        def run() -> object:
            with ctx.store.engine.connect() as conn:
                n = 0
                for table in (t.intake, t.sleep_entry, t.pain):
                    n += len(conn.execute(select(table).where(table.c.night >= first)).all())
                return n
        return run

    static = timed(get("/static/style.css"), args.repeat)
    print(f"\npeer static file: median {static[0]:.2f} ms, p95 {static[1]:.2f} ms "
          f"(CPU median {static[2]:.2f} ms, p95 {static[3]:.2f} ms)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = [("window", "request", "median ms", "p95 ms", "× static p95", "× SQL p95",
             "CPU median ms", "CPU p95 ms", "CPU × SQL CPU p95", "aim p95")]
    windows = [365, min(1826, summary_svc.MAX_DAYS), min(3653, summary_svc.MAX_DAYS), 3653]
    for days in dict.fromkeys(windows):
        peer = timed(sql(days), args.repeat)
        rows.append((f"{days} n", "bare SQL SELECT", f"{peer[0]:.1f}", f"{peer[1]:.1f}",
                     f"{peer[1] / static[1]:.1f}", "1.0", f"{peer[2]:.1f}", f"{peer[3]:.1f}",
                     "1.0", ""))
        reqs = [("GET /api/nights", f"/api/nights?days={days}&last={LAST}")]
        if days <= summary_svc.MAX_DAYS:
            reqs += [("GET /dashboard", f"/dashboard?days={days}&last={LAST}"),
                     ("GET /api/dashboard", f"/api/dashboard?days={days}&last={LAST}"),
                     ("GET /api/summary", f"/api/summary?days={days}&last={LAST}")]
        for name, url in reqs:
            med, p95, cmed, cp95 = timed(get(url), args.repeat)
            aim = AIM.get(days, AIM[3653])
            rows.append((f"{days} n", name, f"{med:.1f}", f"{p95:.1f}",
                         f"{p95 / static[1]:.0f}", f"{p95 / peer[1]:.1f}",
                         f"{cmed:.1f}", f"{cp95:.1f}", f"{cp95 / peer[3]:.1f}",
                         f"< {aim:g} ms {'ok' if p95 < aim else 'MISSED'}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if summary_svc.MAX_DAYS < 3653:
        print(f"\nThe summary service accepts at most {summary_svc.MAX_DAYS} nights, so the "
              "dashboard's longest window is that; /api/nights covers the full 10 years.")


if __name__ == "__main__":
    main()

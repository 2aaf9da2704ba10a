"""The report page over a year of data: the frame's document cold, warm (cached) and after a
journal change, against rendering without the cache, in the same run.

    PYTHONPATH=src python bench/report_page.py

Seeds ``simulate_journal(365)`` into a fresh SQLite journal and times in-process requests
(ASGI, no network). ``uncached`` renders the same report with ``render_report_html`` directly
(what ``/report/view`` did for every request before the cache).
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
warnings.simplefilter("ignore")

from fastapi.testclient import TestClient  # noqa: E402

from nightleaf.io.report import render_report_html  # noqa: E402
from nightleaf.services import open_context  # noqa: E402
from nightleaf.services import report as report_svc  # noqa: E402
from nightleaf.simulate import simulate_journal  # noqa: E402
from nightleaf.web.app import create_app  # noqa: E402
from nightleaf.web.pages.report import CACHE  # noqa: E402

NOW = datetime.fromisoformat("2026-11-24T21:00:00+01:00")
Q = "from=2025-11-24&to=2026-11-23"


def ms(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        ctx = open_context(f"sqlite:///{d}/j.db", clock=lambda: NOW)
        with ctx.tx() as repo:
            repo.save_journal(simulate_journal(365, seed=7))
        with TestClient(create_app(context=ctx), base_url="http://127.0.0.1") as c:
            data = report_svc.build_report(ctx, "2025-11-24", "2026-11-23", show_name=True)
            uncached = min(ms(lambda: render_report_html(data)) for _ in range(2))
            CACHE.items.clear()
            cold = ms(lambda: c.get(f"/report/view?{Q}"))
            warm = sorted(ms(lambda: c.get(f"/report/view?{Q}")) for _ in range(5))[2]
            CACHE.items.clear()
            page = ms(lambda: c.get(f"/report?{Q}"))  # starts the render, answers at once
            frame_after_page = ms(lambda: c.get(f"/report/view?{Q}"))
            with ctx.tx() as repo:  # a change to the journal is a new key
                repo.delete_intake(repo.intakes()[-1].id)  # type: ignore[arg-type]
            changed = ms(lambda: c.get(f"/report/view?{Q}"))
    print(f"render without cache      {uncached:8.0f} ms  (1.00)")
    print(f"/report/view cold         {cold:8.0f} ms  ({cold / uncached:.2f})")
    print(f"/report/view cached       {warm:8.0f} ms  ({warm / uncached:.3f})")
    print(f"/report page (starts it)  {page:8.0f} ms  ({page / uncached:.3f})")
    print(f"frame right after page    {frame_after_page:8.0f} ms  ({frame_after_page / uncached:.2f})")
    print(f"after a journal change    {changed:8.0f} ms  ({changed / uncached:.2f}; re-rendered)")


if __name__ == "__main__":
    main()

"""``Repo``'s reads against the bare driver call of the same SQL, on one PostgreSQL, in one run
(issue 15: the app's CPU per log-intake and per window read).

    nice -n 5 python bench/repo_reads.py                       # this tree
    git archive main src | tar -x -C /tmp/nightleaf-main
    nice -n 5 python bench/repo_reads.py --src /tmp/nightleaf-main/src   # another tree's Repo

A throwaway PostgreSQL (``tests/support/pgserver.py``), 4 people x 365 nights seeded as
``bench/server_load.py`` seeds them, then for each read: the ``Repo`` method (SQLAlchemy Core,
rows turned into records) and its peer, ``exec_driver_sql`` of the very SQL text the method
sends (``server_load.SQL``) with each row turned into a list -- the statement, the driver and
the round trip are the same, so the ratio is the cost of building the statement and the
records. Both run alternately on one connection; the best of ``--repeat`` rounds of ``--calls``
calls each, in thread CPU time (µs per call).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, help="read with the Repo of this source tree")
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    import server_load as sl  # puts this tree's src and the tests' support on the path

    if args.src:  # before anything imports nightleaf's store
        sys.path.insert(0, str(args.src.resolve()))
        for name in [m for m in sys.modules if m == "nightleaf" or m.startswith("nightleaf.")]:
            del sys.modules[name]
    from tests.support.pgserver import PgServer

    import nightleaf
    from nightleaf.model import entities as e
    from nightleaf.store import open_store
    from nightleaf.store.db import migrate
    from nightleaf.store.repo import Repo

    print(f"Repo from {Path(nightleaf.__file__).parent}")
    pg = PgServer(sl.PG_OPTIONS).start()
    try:
        store = open_store(pg.url, create=False)
        migrate(store.engine)
        now = datetime.now(UTC)
        last = now.date() - timedelta(days=1)
        sl.seed(pg.url, 4, 365, last_night=last, password_hash="x", now=now)

        def window(days: int) -> tuple[date, date]:
            return last - timedelta(days=days - 1), last

        with store.engine.connect() as conn:
            repo = Repo(conn, 3)
            me = {"person_id_1": 3}
            cases: list[tuple[str, Callable[[], Any], str, dict[str, Any]]] = [
                ("profile()", repo.profile, "profile", me),
                ("all(Medicine)", lambda: repo.all(e.Medicine), "medicines", me),
                ("all(Product)", lambda: repo.all(e.Product), "products", me),
            ]
            for days in (35, 365):
                f, l_ = window(days)
                w = {**me, "night_1": f, "night_2": l_}
                cases += [
                    (f"intakes, {days} nights",
                     lambda f=f, l_=l_: repo.intakes(first=f, last=l_), "intakes", w),
                    (f"all(SleepEntry), {days} nights",
                     lambda f=f, l_=l_: repo.all(e.SleepEntry, first=f, last=l_),
                     "sleep_entry", w),
                    (f"all(PainRating), {days} nights",
                     lambda f=f, l_=l_: repo.all(e.PainRating, first=f, last=l_), "pain", w),
                    (f"all(Symptom), {days} nights",
                     lambda f=f, l_=l_: repo.all(e.Symptom, first=f, last=l_), "symptoms", w),
                ]
            print(f"{'read':<28} {'rows':>5} {'Repo µs':>9} {'driver µs':>10} {'Repo/driver':>12}")
            for name, read, key, params in cases:
                def bare(key: str = key, params: dict[str, Any] = params) -> Any:
                    return [list(r) for r in conn.exec_driver_sql(sl.SQL[key], params)]

                got = read()
                rows = 1 if not isinstance(got, list) else len(got)
                for _ in range(50):  # warm: compiled caches, psycopg's prepared statements
                    read()
                    bare()
                best_r = best_b = float("inf")
                for _ in range(args.repeat):
                    t0 = time.thread_time()
                    for _ in range(args.calls):
                        read()
                    best_r = min(best_r, (time.thread_time() - t0) / args.calls)
                    t0 = time.thread_time()
                    for _ in range(args.calls):
                        bare()
                    best_b = min(best_b, (time.thread_time() - t0) / args.calls)
                print(f"{name:<28} {rows:>5} {best_r * 1e6:>9.0f} {best_b * 1e6:>10.0f} "
                      f"{best_r / best_b:>12.2f}")
        store.dispose()
    finally:
        pg.stop()


if __name__ == "__main__":
    main()

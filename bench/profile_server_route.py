"""Where a signed-in server-mode request spends its CPU: the app (or the peer of
``bench/server_load.py``) in-process on a throwaway PostgreSQL, profiled with cProfile on a
thread-CPU timer.

    nice -n 5 python bench/profile_server_route.py [--route intake|dashboard] [--requests 400]
        [--peer] [--src OTHER/src] [--top 30] [--save out.prof]

Seeds ``--people`` people x 365 nights as ``bench/server_load.py`` does (row-level security on,
the app's role ``nightleaf_app``), signs 16 of them in, and sends ``POST /api/intakes`` (the
bench's body) or ``GET /api/dashboard`` in turn as each of them, through httpx's ASGI transport
in this thread: the thread-pool hops (``anyio.to_thread.run_sync``) run inline, so one thread
does all the work and ``time.thread_time`` measures it (the client's share included, about the
same for app and peer). Prints the thread CPU per request without the profiler (3 rounds), then
the profile of ``--requests`` more: the functions by cumulative and by own time. Not a
benchmark (one client, no concurrency); the shares and the app-minus-peer difference are what
it is for. ``--peer``: profile the peer instead; ``--src``: run another tree's app.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--route", choices=("intake", "dashboard"), default="intake")
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--people", type=int, default=32)
    ap.add_argument("--peer", action="store_true", help="profile the bare FastAPI peer")
    ap.add_argument("--src", type=Path, help="run the app of this source tree")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--save", type=Path, help="write the profile here (pstats format)")
    args = ap.parse_args()
    if args.src:
        sys.path.insert(0, str(args.src.resolve()))
    import nightleaf  # this tree's or --src's, before server_load puts this tree's src first

    sys.path.insert(0, str(HERE))
    import anyio.to_thread
    import server_load as sl
    from sqlalchemy.engine import make_url
    from tests.support.pgserver import PgServer

    from nightleaf.services.accounts import hash_password
    from nightleaf.services.server import open_server_context
    from nightleaf.store import open_store
    from nightleaf.store.db import migrate
    from nightleaf.store.rls import enable_row_security
    from nightleaf.web.app import create_app

    async def inline(func: Any, *a: Any, **_: Any) -> Any:  # one thread: thread_time sees all
        return func(*a)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    print(f"{'the peer' if args.peer else 'the app'} from {Path(nightleaf.__file__).parent}")
    pg = PgServer(sl.PG_OPTIONS).start()
    try:
        store = open_store(pg.url, create=False)
        migrate(store.engine)
        now = datetime.now(UTC)
        sl.seed(pg.url, args.people, 365, last_night=now.date() - timedelta(days=1),
                password_hash=hash_password(sl.PASSWORD), now=now)
        enable_row_security(store)
        password = secrets.token_urlsafe(16)
        with store.engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER ROLE nightleaf_app PASSWORD '{password}'")
        store.dispose()
        app_url = make_url(pg.url).set(username="nightleaf_app", password=password
                                       ).render_as_string(hide_password=False)
        ctx = open_server_context(app_url)
        app = create_app(context=ctx, multi_user=True, allowed_hosts=("localhost",))
        served = app
        if args.peer:
            os.environ[sl.PEER_ENV] = app_url
            served = sl.peer_app()
        asyncio.run(_run(args, app, served, sl))
        ctx.store.dispose()
    finally:
        pg.stop()


async def _run(args: argparse.Namespace, app: Any, served: Any, sl: Any) -> None:
    import httpx

    def client(target: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=target,
                                                               client=("127.0.0.1", 5000)),
                                 base_url="http://localhost")

    cookies = []
    async with client(app) as c:  # sign-in is the app's (the peer has none)
        for k in range(1, min(16, args.people) + 1):
            c.cookies.clear()
            r = await c.post("/api/session", json={"email": f"person{k}@bench.invalid",
                                                   "password": sl.PASSWORD})
            r.raise_for_status()
            cookies.append(dict(c.cookies))
    turn = 0
    async with client(served) as c:
        async def one() -> None:
            nonlocal turn
            turn += 1
            c.cookies.clear()
            c.cookies.update(cookies[turn % len(cookies)])
            if args.route == "intake":
                r = await c.post("/api/intakes", json=sl.INTAKE_BODY)
                assert r.status_code == 201, r.text
            else:
                r = await c.get("/api/dashboard")
                assert r.status_code == 200, r.text

        for _ in range(30):
            await one()
        rounds = []
        for _ in range(3):
            t0 = time.thread_time()
            for _ in range(args.requests):
                await one()
            rounds.append(1000 * (time.thread_time() - t0) / args.requests)
        print(f"{args.route}: thread CPU per request without the profiler: "
              + ", ".join(f"{x:.2f}" for x in rounds) + " ms")
        prof = cProfile.Profile(time.thread_time)
        prof.enable()
        for _ in range(args.requests):
            await one()
        prof.disable()
    if args.save:
        prof.dump_stats(str(args.save))
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()

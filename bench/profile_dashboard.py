"""Where a dashboard request spends its time: a sampling profile with the standard library.

    PYTHONPATH=src python bench/profile_dashboard.py [--days 3653] [--runs 20] [--top 25]
        [URL ...]

Seeds ``simulate_journal(3653, seed=42)`` as ``bench/web_dashboard.py`` does, calls
``settle_memory()`` (gc frozen, as the server does), then requests each URL (default: the four of
the benchmark for ``--days``) ``--runs`` times through the in-process client while a sampler
thread records, every millisecond, the stack of the thread serving the request
(``sys._current_frames``). Prints per URL the CPU time per request and the functions seen most
often on the stack (inclusive share, like pyinstrument's) and at the top of it (self share).
Not a benchmark: sampling slows the requests a little; the shares are what it is for.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import threading
import time
import warnings
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
warnings.simplefilter("ignore")

from fastapi.testclient import TestClient  # noqa: E402

from nightleaf.services import open_context  # noqa: E402
from nightleaf.simulate import simulate_journal  # noqa: E402
from nightleaf.web.app import create_app, settle_memory  # noqa: E402

NOW = datetime.fromisoformat("2026-11-24T21:00:00-05:00")
LAST = "2026-11-23"


class Sampler(threading.Thread):
    """Samples every other thread's stack each ``interval`` seconds while ``active``."""

    def __init__(self, interval: float = 0.001) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.active = threading.Event()
        self.stop = False
        self.inclusive: collections.Counter[str] = collections.Counter()
        self.own: collections.Counter[str] = collections.Counter()
        self.samples = 0

    def run(self) -> None:
        me = threading.get_ident()
        main = threading.main_thread().ident
        while not self.stop:
            time.sleep(self.interval)
            if not self.active.is_set():
                continue
            for ident, frame in sys._current_frames().items():  # noqa: SLF001
                if ident in (me, main):
                    continue
                names = []
                f = frame
                while f is not None:
                    code = f.f_code
                    names.append(f"{Path(code.co_filename).name}:{code.co_name}")
                    f = f.f_back
                if names[0].startswith(("threading.py", "queue.py", "selectors.py")):
                    continue  # a thread of the client waiting for the request to end
                self.samples += 1
                self.own[names[0]] += 1
                for n in set(names):
                    self.inclusive[n] += 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=3653)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("urls", nargs="*")
    args = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix="nightleaf-profile-"))
    ctx = open_context(f"sqlite:///{d / 'bench.db'}", clock=lambda: NOW)
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(3653, seed=42))
    client = TestClient(create_app(context=ctx), base_url="http://127.0.0.1")
    settle_memory()
    sys.setswitchinterval(0.0002)  # let the sampler take the GIL often enough to sample
    urls = args.urls or [f"{p}?days={args.days}&last={LAST}"
                         for p in ("/api/summary", "/api/dashboard", "/dashboard", "/api/nights")]
    for url in urls:
        client.get(url)  # warm-up
        sampler = Sampler()
        sampler.start()
        sampler.active.set()
        c0 = time.process_time()
        for _ in range(args.runs):
            r = client.get(url)
            if r.status_code != 200:
                raise SystemExit(f"{url}: {r.status_code}")
        cpu = (time.process_time() - c0) / args.runs * 1000
        sampler.active.clear()
        sampler.stop = True
        sampler.join()
        n = max(sampler.samples, 1)
        print(f"\n{url}: CPU {cpu:.1f} ms per request, {sampler.samples} samples")
        print("  inclusive                                          self")
        inc = sampler.inclusive.most_common(args.top)
        own = sampler.own.most_common(args.top)
        for k in range(max(len(inc), len(own))):
            a = f"{100 * inc[k][1] / n:5.1f}% {inc[k][0]}" if k < len(inc) else ""
            b = f"{100 * own[k][1] / n:5.1f}% {own[k][0]}" if k < len(own) else ""
            print(f"  {a[:50]:<50} {b}")


if __name__ == "__main__":
    main()

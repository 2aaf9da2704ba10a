"""Same figures before and after a speed change: the bodies of the dashboard's requests.

    PYTHONPATH=src python bench/dashboard_bodies.py save DIR      # on the code before
    PYTHONPATH=src python bench/dashboard_bodies.py compare DIR   # on the code after

Seeds ``simulate_journal(3653, seed=42)`` (as ``bench/web_dashboard.py`` does) into a fresh SQLite
journal and fetches ``/api/summary``, ``/api/dashboard``, ``/api/nights`` and ``/dashboard`` (both
views) for windows of 14, 365 and 3653 nights (the summary and dashboard accept at most
``summary.MAX_DAYS``). The client sends a fixed CSRF cookie and any CSRF token left in a body is
masked, so two runs of unchanged code give byte-identical files. ``save`` writes one file per
request into DIR; ``compare`` fetches them again and exits 1 on the first difference (naming
the request and the first differing offset). Not a timing script: it prints no speeds.

Each request is fetched twice: the first answer is computed, the second comes from the memo of
window figures (``services.memo``) on code that has one; both must be the same bytes (``save``
refuses to write when they differ). ``NIGHTLEAF_MEMO_ENTRIES=0`` turns the memo off.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import warnings
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
warnings.simplefilter("ignore")

from fastapi.testclient import TestClient  # noqa: E402

from nightleaf.services import open_context  # noqa: E402
from nightleaf.services import summary as summary_svc  # noqa: E402
from nightleaf.simulate import simulate_journal  # noqa: E402
from nightleaf.web.app import create_app  # noqa: E402

NOW = datetime.fromisoformat("2026-11-24T21:00:00-05:00")
LAST = "2026-11-23"
WINDOWS = (14, 365, 3653)
CSRF = "x" * 43
_MASK = re.compile(rb'(name="csrf"[^>]*value=")[^"]*"|(content=")[A-Za-z0-9_-]{32,}"')


def requests() -> list[tuple[str, str]]:
    out = []
    for days in WINDOWS:
        out.append((f"api-nights-{days}", f"/api/nights?days={days}&last={LAST}"))
        if days <= summary_svc.MAX_DAYS:
            out += [(f"dashboard-{days}.html", f"/dashboard?days={days}&last={LAST}"),
                    (f"dashboard-week-{days}.html",
                     f"/dashboard?days={days}&last={LAST}&view=week"),
                    (f"api-dashboard-{days}", f"/api/dashboard?days={days}&last={LAST}"),
                    (f"api-summary-{days}", f"/api/summary?days={days}&last={LAST}")]
    return out


def bodies() -> dict[str, bytes]:
    d = Path(tempfile.mkdtemp(prefix="nightleaf-bodies-"))
    ctx = open_context(f"sqlite:///{d / 'bodies.db'}", clock=lambda: NOW)
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(3653, seed=42))
    client = TestClient(create_app(context=ctx), base_url="http://127.0.0.1",
                        cookies={"nl_csrf": CSRF})
    out = {}
    for name, url in requests():
        got = []
        for _ in range(2):  # computed, then (with a memo) reused: the same bytes
            r = client.get(url)
            if r.status_code != 200:
                raise SystemExit(f"{url}: {r.status_code} {r.text[:300]}")
            got.append(_MASK.sub(lambda m: (m.group(1) or m.group(2)) + b'MASKED"', r.content))
        if got[0] != got[1]:
            raise SystemExit(f"{url}: the second answer differs from the first")
        out[name] = got[0]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=("save", "compare"))
    ap.add_argument("dir", type=Path)
    args = ap.parse_args()
    got = bodies()
    if args.action == "save":
        args.dir.mkdir(parents=True, exist_ok=True)
        for name, body in got.items():
            (args.dir / name).write_bytes(body)
        print(f"saved {len(got)} bodies in {args.dir}")
        return 0
    bad = 0
    for name, body in got.items():
        want = (args.dir / name).read_bytes()
        if body == want:
            print(f"same       {name} ({len(body)} bytes)")
            continue
        bad += 1
        at = next((k for k, (a, b) in enumerate(zip(body, want, strict=False)) if a != b),
                  min(len(body), len(want)))
        print(f"DIFFERENT  {name}: at byte {at}: now {body[max(0, at - 60):at + 60]!r}, "
              f"before {want[max(0, at - 60):at + 60]!r}")
    print("all identical" if not bad else f"{bad} of {len(got)} bodies differ")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

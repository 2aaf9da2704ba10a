"""Apple Health import speed: nightleaf against raw read, a bare lxml iterparse and
healthkit-to-sqlite, on one synthetic export, in one run.

    python bench/import_apple_health.py                 # ~1 GB export in /tmp
    python bench/import_apple_health.py --size-mb 200   # a quicker development run

Each contender runs in its own fresh process, so its peak RSS is its own; times are taken
inside that process and include importing the contender's code (not the interpreter's own
start). The file is read once beforehand so every contender meets a warm page cache. cat and
nightleaf run ``--repeat`` times, alternating, so both meet the same load on a shared machine;
the table shows their best times and the median ratio of the back-to-back pairs. Generated files stay in /tmp.
The export is well-formed (no iOS 16 DOCTYPE bug) so that the strict parsers can run at all.
Needs the ``bench`` extra: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

RUNNER = r"""
import json, resource, subprocess, sys, time
kind, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
info = ""
if kind == "cat":
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)
elif kind == "lxml":
    from lxml import etree
    n = 0
    for _, el in etree.iterparse(path, events=("end",), resolve_entities=False,
                                 no_network=True, huge_tree=True):
        n += 1
        if el.getparent() is not None and el.getparent().getparent() is None:
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    info = f"{n} elements"
elif kind == "h2s":
    db = sys.argv[3]
    subprocess.run([sys.argv[4], "--xml", "--silent", path, db], check=True)
    import sqlite3
    c = sqlite3.connect(db)
    info = f"{c.execute('select count(*) from rSleepAnalysis').fetchone()[0]} sleep rows"
elif kind in ("nightleaf", "nightleaf-full"):
    sys.path.insert(0, sys.argv[3])
    from nightleaf.io.apple_health import read_apple_health
    eps = list(read_apple_health(path, tz="Europe/Berlin", fast=kind == "nightleaf"))
    info = f"{len(eps)} nights, TST sum {sum(e.tst_minutes or 0 for e in eps):.0f} min"
secs = time.perf_counter() - t0
who = resource.RUSAGE_CHILDREN if kind in ("cat", "h2s") else resource.RUSAGE_SELF
rss = resource.getrusage(who).ru_maxrss
print(json.dumps({"seconds": secs, "rss_mb": rss / 1024, "info": info}))
"""


def run(kind: str, path: Path, *extra: str) -> dict[str, object]:
    """One fresh-process run: seconds, peak RSS (MB) and what it found."""
    out = subprocess.run([sys.executable, "-c", RUNNER, kind, str(path), *extra],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return {"seconds": float("nan"), "rss_mb": float("nan"),
                "info": "failed: " + (out.stderr.strip().splitlines() or ["?"])[-1][:60]}
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _best(runs: list[dict[str, object]]) -> dict[str, object]:
    """The fastest run, reporting the largest peak RSS of all of them."""
    best = dict(min(runs, key=lambda r: float(r["seconds"])))  # type: ignore[arg-type]
    best["rss_mb"] = max(float(r["rss_mb"]) for r in runs)  # type: ignore[arg-type]
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=1024)
    ap.add_argument("--path", type=Path, default=None,
                    help="export to use/create (default /tmp/nightleaf-bench/export-<size>.xml)")
    ap.add_argument("--repeat", type=int, default=5,
                    help="back-to-back cat/nightleaf pairs; best times and the median ratio are shown")
    ap.add_argument("--skip", action="append", default=[],
                    choices=["h2s", "lxml", "nightleaf-full"], help="leave a contender out")
    a = ap.parse_args()
    path = a.path or Path(tempfile.gettempdir()) / "nightleaf-bench" / f"export-{a.size_mb:g}MB.xml"
    sys.path.insert(0, str(HERE))
    from synth_apple_health import generate

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        generate(path, size_bytes=int(a.size_mb * (1 << 20)), broken_doctype=False,
                 control_chars=False)
        print(f"generated {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    size_mb = path.stat().st_size / (1 << 20)
    run("cat", path)  # warm the page cache
    run("nightleaf", path, str(SRC))  # and the code

    h2s = shutil.which("healthkit-to-sqlite") or str(Path(sys.executable).parent
                                                      / "healthkit-to-sqlite")
    # cat and nightleaf alternate, so that both meet the same load on a shared machine
    pairs = [(run("cat", path), run("nightleaf", path, str(SRC))) for _ in range(a.repeat)]
    ratios = sorted(float(n["seconds"]) / float(c["seconds"])  # type: ignore[arg-type]
                    for c, n in pairs)
    rows: list[tuple[str, dict[str, object]]] = [
        ("raw read (cat)", _best([c for c, _ in pairs]))]
    if "lxml" not in a.skip:
        rows.append(("lxml iterparse, count only", run("lxml", path)))
    if "h2s" not in a.skip:
        with tempfile.TemporaryDirectory() as d:
            rows.append(("healthkit-to-sqlite 1.0.1", run("h2s", path, f"{d}/h.db", h2s)))
    if "nightleaf-full" not in a.skip:
        rows.append(("nightleaf, full parse (fallback)", run("nightleaf-full", path, str(SRC))))
    rows.append(("nightleaf (fast path)", _best([n for _, n in pairs])))

    res = dict(rows)
    nl = float(res["nightleaf (fast path)"]["seconds"])  # type: ignore[arg-type]
    print(f"\nfile: {path} ({size_mb:.0f} MB), {os.cpu_count()} CPUs, Python "
          f"{sys.version.split()[0]}\n")
    print("| contender | seconds | MB/s | peak RSS MB | nightleaf faster by | result |")
    print("|---|---:|---:|---:|---:|---|")
    for name, r in rows:
        s = float(r["seconds"])  # type: ignore[arg-type]
        print(f"| {name} | {s:.2f} | {size_mb / s:.0f} | {float(r['rss_mb']):.0f} "  # type: ignore[arg-type]
              f"| {s / nl:.1f}× | {r['info']} |")
    cat = float(res["raw read (cat)"]["seconds"])  # type: ignore[arg-type]
    print(f"\nnightleaf / raw read = {nl / cat:.2f}× on the best times; median of "
          f"{len(ratios)} back-to-back pairs {ratios[len(ratios) // 2]:.2f}× "
          f"(range {ratios[0]:.2f}–{ratios[-1]:.2f}×; goal ≤ 3×)")
    if "healthkit-to-sqlite 1.0.1" in res:
        h = float(res["healthkit-to-sqlite 1.0.1"]["seconds"])  # type: ignore[arg-type]
        print(f"healthkit-to-sqlite / nightleaf = {h / nl:.1f}× (goal ≥ 10×)")


if __name__ == "__main__":
    main()

"""Cost of the person key in every primary key (revision 0007) on SQLite writes: this tree
against another checkout of nightleaf (the peer, e.g. main before 0007), in one run.

    git archive main | tar -x -C /tmp/nightleaf-main     # the peer's source
    nice -n 5 python bench/person_key_inserts.py --peer /tmp/nightleaf-main/src [--repeat 3]

Each case runs in a fresh interpreter per tree, alternating peer and this tree ``--repeat``
times, on a new SQLite journal each time; the best time of each is shown with the median ratio
of the back-to-back pairs (this tree / peer):

- ``episodes``: 3 years of wearable nights (1,095 episodes of 24 stages) through
  ``Repo.upsert_episodes``, as an import writes them: every episode and stage a new row, its id
  drawn by the store (0007: the person's largest id + 1 inside the INSERT; before: SQLite's rowid);
- ``intakes``: 5,000 intakes logged one by one (``Repo.add_intake``, one transaction each, as
  the web form does): a new id per row and a commit per row;
- ``restore``: a 16 MiB backup (46,412 records, ids kept) through ``transfer.import_json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

RUNNER = r"""
import json, sys, time
from datetime import UTC, date, datetime, timedelta
sys.path.insert(0, sys.argv[1])
case, db, extra = sys.argv[2], sys.argv[3], sys.argv[4]
from nightleaf.store import open_store
store = open_store("sqlite:///" + db)
from nightleaf.model import entities as e
from nightleaf.model.units import Amount
t0 = time.perf_counter()
if case == "episodes":
    eps = []
    first = date(2023, 1, 1)
    for k in range(1095):
        night = first + timedelta(days=k)
        start = datetime(night.year, night.month, night.day, 23, tzinfo=UTC)
        stages = [e.StageSegment(start + timedelta(minutes=20 * i),
                                 start + timedelta(minutes=20 * (i + 1)),
                                 ("light", "deep", "rem", "awake")[i % 4]) for i in range(24)]
        eps.append(e.SleepEpisode(source="oura", external_id=f"n{k}", start=start,
                                  end=start + timedelta(hours=8), tz="UTC", night=night,
                                  device="ring", tst_minutes=420, stages=stages))
    t0 = time.perf_counter()
    with store.tx(1) as repo:
        added = repo.upsert_episodes(eps)
    info = f"{added[0]} episodes"
elif case == "intakes":
    for k in range(5000):
        with store.tx(1) as repo:
            repo.add_intake(e.Intake(at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=k),
                                     tz="UTC", night=date(2026, 1, 1) + timedelta(days=k // 3),
                                     amount=Amount(2.0, "g")))
    info = "5000 intakes"
else:
    from pathlib import Path
    from nightleaf.services import Context, transfer
    r = transfer.import_json(Context(store=store), Path(extra))
    info = f"{sum(r.counts.values())} records"
print(json.dumps({"seconds": time.perf_counter() - t0, "info": info}))
"""


def run(src: Path, case: str, backup: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as d:
        out = subprocess.run([sys.executable, "-c", RUNNER, str(src), case, f"{d}/j.db",
                              str(backup)], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{case} on {src} failed: {out.stderr.strip().splitlines()[-1]}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peer", type=Path, required=True, help="the peer's src/ directory")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cases", default="episodes,intakes,restore")
    a = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from restore_memory import write_backup  # the restore benchmark's own backup

    backup = Path(tempfile.gettempdir()) / "nightleaf-bench" / "person-key-16MiB.json"
    if not backup.exists():
        backup.parent.mkdir(parents=True, exist_ok=True)
        write_backup(backup, 16)
    print(f"peer {a.peer}, this tree {SRC}, {a.repeat} alternating pairs, Python "
          f"{sys.version.split()[0]}\n")
    print("| case | peer best s | this tree best s | median ratio (range) | result |")
    print("|---|---:|---:|---:|---|")
    for case in a.cases.split(","):
        pairs = [(run(a.peer, case, backup), run(SRC, case, backup)) for _ in range(a.repeat)]
        ratios = sorted(float(n["seconds"]) / float(p["seconds"])  # type: ignore[arg-type]
                        for p, n in pairs)
        peer = min(float(p["seconds"]) for p, _ in pairs)  # type: ignore[arg-type]
        mine = min(float(n["seconds"]) for _, n in pairs)  # type: ignore[arg-type]
        print(f"| {case} | {peer:.2f} | {mine:.2f} | {statistics.median(ratios):.2f} "
              f"({ratios[0]:.2f}–{ratios[-1]:.2f}) | {pairs[-1][1]['info']} |")


if __name__ == "__main__":
    main()

"""Peak memory of the streamed journal restore (``import json``) on a large backup, against the
250 MB limit of issue 13 and the whole-file parse it replaced, measured in the same run.

The backup is written record by record (never held in memory): a simulated year of every kind
of entry (``simulate_journal``, with wearable episodes), then more intakes and notes, with new
ids, until the file reaches ``--mb``. Each measurement runs in a fresh interpreter and reports
its own peak RSS (``VmHWM``, see tests/support/pathological.py):

- ``stream``: ``nightleaf.services.transfer.import_json`` into a new SQLite journal (the whole
  restore: parse, checks and writes in one transaction);
- ``whole``: the previous approach's parse alone, ``json.load`` then ``journal_from_dict`` (no
  database), as the peer.

    python bench/restore_memory.py [--mb 256] [--skip-whole]

Prints one line per case (peak MB, seconds, peak / limit, peak / file size) and the ratio
stream / whole.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LIMIT_MB = 250

_PEAK = """
def _peak():
    with open("/proc/self/status") as fh:
        return next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024
"""

_STREAM = _PEAK + """
import json, sys, time
from pathlib import Path
from nightleaf.services import Context
from nightleaf.services import transfer
from nightleaf.store import open_store
t = time.perf_counter()
ctx = Context(store=open_store("sqlite:///" + sys.argv[2]))
r = transfer.import_json(ctx, Path(sys.argv[1]))
print(json.dumps({"peak_mb": _peak(), "seconds": time.perf_counter() - t,
                  "records": sum(r.counts.values())}))
"""

_WHOLE = _PEAK + """
import json, sys, time
from nightleaf.io.journal_json import journal_from_dict
t = time.perf_counter()
with open(sys.argv[1], "rb") as fh:
    j = journal_from_dict(json.load(fh))
print(json.dumps({"peak_mb": _peak(), "seconds": time.perf_counter() - t,
                  "records": sum(len(getattr(j, k)) for k in vars(j) if k != "profile")}))
"""


def write_backup(path: Path, mb: float) -> int:
    """A valid nightleaf-journal file of about ``mb`` MiB, written one record at a time;
    returns its size in bytes."""
    from nightleaf.io.journal_json import journal_to_dict
    from nightleaf.simulate import simulate_journal

    j = simulate_journal(365, seed=7)
    from tests.support.io_helpers import sample_episodes

    j.episodes = sample_episodes()
    data = journal_to_dict(j)
    target = int(mb * (1 << 20))
    with path.open("w", encoding="utf-8") as out:
        head = {k: data[k] for k in ("format", "version", "profile")}
        out.write(json.dumps(head, ensure_ascii=False)[:-1])  # left open: the lists follow
        for key, items in data.items():
            if key in ("format", "version", "profile"):
                continue
            out.write(f',\n"{key}": [')
            sep = "\n"
            for it in items:
                out.write(sep + json.dumps(it, ensure_ascii=False))
                sep = ",\n"
            if key in ("intakes", "notes") and items:
                # more of the same kind, new ids, the same nights: until the file is big enough
                share = target // 2
                next_id = max(it["id"] for it in items) + 1
                k = 0
                while out.tell() < (share if key == "intakes" else target):
                    it = dict(items[k % len(items)], id=next_id)
                    if key == "notes":
                        it["text"] = f"note {next_id}: " + "woke at 3, back to sleep by 4. " * 16
                    out.write(sep + json.dumps(it, ensure_ascii=False))
                    next_id += 1
                    k += 1
            out.write("]")
        out.write("}\n")
    return path.stat().st_size


def run(code: str, *args: str) -> dict[str, float]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         timeout=3600)
    if out.returncode != 0:
        raise SystemExit(f"failed ({out.returncode}): {out.stderr[-3000:]}")
    r: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    r["wall"] = time.perf_counter() - t
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=256, help="size of the backup (MiB)")
    ap.add_argument("--skip-whole", action="store_true",
                    help="do not run the whole-file parse (it needs several times the file)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="nightleaf-bench-restore-") as d:
        backup = Path(d) / "backup.json"
        t = time.perf_counter()
        size = write_backup(backup, a.mb)
        print(f"backup: {size / (1 << 20):.1f} MiB written in "
              f"{timedelta(seconds=round(time.perf_counter() - t))}")
        rows = [("stream (import_json into SQLite)", run(_STREAM, str(backup),
                                                         str(Path(d) / "j.sqlite")))]
        if not a.skip_whole:
            rows.append(("whole (json.load + journal_from_dict, no database)",
                         run(_WHOLE, str(backup))))
        for label, r in rows:
            print(f"{label}: {int(r['records']):,} records, peak {r['peak_mb']:.1f} MB, "
                  f"{r['seconds']:.1f} s, peak/limit {r['peak_mb'] / LIMIT_MB:.2f}, "
                  f"peak/file {r['peak_mb'] * (1 << 20) / size:.2f}")
        if len(rows) == 2:
            print(f"stream / whole peak: {rows[0][1]['peak_mb'] / rows[1][1]['peak_mb']:.2f}")


if __name__ == "__main__":
    main()

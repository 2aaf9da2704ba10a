"""Start-up of the ``nightleaf`` command against ``sqlite-utils``, a click CLI on SQLite.

Each sample is a whole process (interpreter start, imports, the work, exit), timed from the
outside with its peak memory (``os.wait4``). Every round runs nightleaf's command and the peer's
command back to back, alternating which goes first, so both see the same machine load; the
figure is the median over rounds of the per-round ratio. Bytecode caching is on (as after a
normal install) and each command runs once before timing.

| nightleaf | peer | goal |
| --- | --- | --- |
| ``nightleaf --version`` | ``sqlite-utils --version`` | ≤ 1.2× |
| ``nightleaf log pain 6`` | ``sqlite-utils insert`` of one row | ≤ 2× |
| ``nightleaf --help`` | ``sqlite-utils --help`` | ≤ 1.5× |

    python bench/cli_start.py [ROUNDS]      # default 15; needs: pip install -e '.[bench]'
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _exe(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed: pip install -e '.[bench]'")
    return found


def run(argv: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one whole process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None
    if stdin:
        proc.stdin.write(stdin.encode())
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {err}")
    return wall, usage.ru_maxrss / 1024


def main(rounds: int = 15) -> None:
    nl, su = _exe("nightleaf"), _exe("sqlite-utils")
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONDONTWRITEBYTECODE", "NIGHTLEAF_DATABASE_URL", "NIGHTLEAF_NOW")}
        env.update(NIGHTLEAF_HOME=str(Path(tmp) / "home"), COLUMNS="100")
        peer_db = str(Path(tmp) / "peer.db")
        row = '{"nrs": 6, "context": "other", "at": "2026-11-24T21:30:00+00:00"}'
        run([nl, "init", "--tz", "Europe/Berlin", "--no-input"], env)
        cases = [
            ("--version", [nl, "--version"], [su, "--version"], None, 1.2),
            ("log pain 6", [nl, "log", "pain", "6"], [su, "insert", peer_db, "pain", "-"], row, 2.0),
            ("--help", [nl, "--help"], [su, "--help"], None, 1.5),
        ]
        print(f"nightleaf start-up against sqlite-utils: {rounds} rounds, alternating order, "
              f"whole processes (python {sys.version.split()[0]})")
        print()
        print("| command | nightleaf s | peer s | ratio (median) | goal | nightleaf MB | peer MB |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        missed = []
        for label, ours_argv, peer_argv, stdin, goal in cases:
            run(ours_argv, env)  # warm the bytecode caches and the file system
            run(peer_argv, env, stdin)
            ours: list[tuple[float, float]] = []
            peer: list[tuple[float, float]] = []
            for i in range(rounds):
                order = [(ours, ours_argv, None), (peer, peer_argv, stdin)]
                for sink, argv, data in (order if i % 2 == 0 else order[::-1]):
                    sink.append(run(argv, env, data))
            ratio = statistics.median(o[0] / p[0] for o, p in zip(ours, peer, strict=True))
            ok = ratio <= goal
            if not ok:
                missed.append(label)
            print(f"| `{label}` | {statistics.median(o[0] for o in ours):.3f} | "
                  f"{statistics.median(p[0] for p in peer):.3f} | {ratio:.2f}× | ≤ {goal}× "
                  f"{'met' if ok else 'MISSED'} | {statistics.median(o[1] for o in ours):.0f} | "
                  f"{statistics.median(p[1] for p in peer):.0f} |")
        print()
        print("all goals met" if not missed else f"goals missed: {', '.join(missed)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)

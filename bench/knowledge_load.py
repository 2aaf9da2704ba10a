"""Cold load time of the knowledge base against its 200 ms budget and a bare-parse peer.

Each sample runs in a fresh interpreter (so imports and the cache are cold) and times, inside
that interpreter, from before the first import to the end of the load:

- nightleaf: ``from nightleaf.knowledge import load_knowledge; load_knowledge()`` (imports of
  pydantic etc. included: validation, cross-checks and index building);
- peer: ``tomllib.load`` of the same eight files, no validation.

    python bench/knowledge_load.py [N]      # default N = 15
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

BUDGET_MS = 200.0
SRC = Path(__file__).resolve().parents[1] / "src"

NIGHTLEAF = """
import time; t = time.perf_counter()
from nightleaf.knowledge import load_knowledge
kb = load_knowledge()
print((time.perf_counter() - t) * 1000)
"""
PEER = """
import time; t = time.perf_counter()
import tomllib, pathlib
d = pathlib.Path({data!r})
for p in sorted(d.glob("*.toml")):
    with p.open("rb") as fh:
        tomllib.load(fh)
print((time.perf_counter() - t) * 1000)
"""


def sample(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env={"PYTHONPATH": str(SRC), "PYTHONDONTWRITEBYTECODE": "0"})
    return float(out.stdout.strip().splitlines()[-1])


def main(n: int = 15) -> None:
    data = SRC / "nightleaf" / "knowledge" / "data"
    sample(NIGHTLEAF)  # warm the bytecode cache once; each timed run is still a fresh process
    ours = [sample(NIGHTLEAF) for _ in range(n)]
    peer = [sample(PEER.format(data=str(data))) for _ in range(n)]
    m_ours, m_peer = statistics.median(ours), statistics.median(peer)
    print(f"knowledge load, cold, median of {n} fresh processes")
    print(f"  nightleaf load_knowledge(): {m_ours:7.1f} ms"
          f"  (min {min(ours):.1f}, max {max(ours):.1f})")
    print(f"  peer tomllib.load x8:       {m_peer:7.1f} ms"
          f"  (min {min(peer):.1f}, max {max(peer):.1f})")
    print(f"  ratio to the {BUDGET_MS:.0f} ms budget: {m_ours / BUDGET_MS:.2f}")
    print(f"  ratio to the peer:           {m_ours / m_peer:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)

"""``settle_memory()``: what a serving process does to the garbage collector before serving.

Run in a child interpreter: freezing and the thresholds are process-wide, and the test session
must keep Python's defaults."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import gc, json
before = gc.get_threshold()
from nightleaf.web.app import YOUNG_GC_THRESHOLD, settle_memory
settle_memory()
print(json.dumps({"before": before, "after": gc.get_threshold(),
                  "frozen": gc.get_freeze_count(), "young": YOUNG_GC_THRESHOLD}))
"""


def test_settle_memory_freezes_start_up_and_raises_only_the_young_threshold() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         check=True, timeout=120)
    got = json.loads(out.stdout)
    assert got["frozen"] > 1000  # the imported modules' objects, out of the collector's way
    assert got["after"][0] == got["young"] == 10_000 > got["before"][0]
    assert got["after"][1:] == got["before"][1:]  # the older generations as Python has them

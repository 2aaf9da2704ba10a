"""Speed of the window summary (pure calculators) and of the SRI against a numpy one-liner.

- ``summarise_window`` on a generated journal of 28, 90, 365 and 1,825 nights (sleep entries,
  intakes, pain), against a 250 ms budget for an interactive ``nightleaf summary``;
- the SRI core on the 1-min grid of the same journal, against the peer one-liner of
  mengelhard/sri (``200 * nanmean(a[:-M] == a[M:]) - 100``, which scores a missing pair as a
  disagreement; ours skips it), to show the missing-data rule costs little.

    PYTHONPATH=src python bench/summary_window.py [REPEATS]     # default 7
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta

import numpy as np

from nightleaf.simulate import simulate_journal
from nightleaf.sleep.regularity import diary_intervals, sleep_regularity_index, sleep_wake_grid
from nightleaf.stats.window import summarise_window

BUDGET_MS = 250.0


def timed(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main(repeats: int = 7) -> None:
    print(f"summarise_window, median of {repeats} runs (in-process, data already in memory)")
    for nights in (28, 90, 365, 1825):
        j = simulate_journal(nights, seed=1)
        assert j.profile is not None
        last = max(e.night for e in j.sleep)
        first = last - timedelta(days=nights - 1)

        def run(j=j, first=first, last=last) -> None:  # type: ignore[no-untyped-def]
            summarise_window(first_night=first, last_night=last, profile=j.profile,
                             entries=j.sleep, intakes=j.intakes, pain=j.pain,
                             products=j.products)

        ms = timed(run, repeats)
        print(f"  {nights:5d} nights: {ms:8.1f} ms   ratio to the {BUDGET_MS:.0f} ms budget: "
              f"{ms / BUDGET_MS:.2f}")
        if nights == 365:
            grid = sleep_wake_grid(diary_intervals(j.sleep), first, last, j.profile.tz)
            flat = grid.reshape(-1)
            m = grid.shape[1]
            ours = timed(lambda flat=flat: sleep_regularity_index(flat), repeats * 3)
            peer = timed(lambda flat=flat, m=m: 200 * np.nanmean(flat[:-m] == flat[m:]) - 100,
                         repeats * 3)
            build = timed(lambda j=j, first=first, last=last: sleep_wake_grid(
                diary_intervals(j.sleep), first, last, j.profile.tz), repeats)
            print(f"  SRI core, 365 days x 1440 epochs: ours {ours:.2f} ms, peer one-liner "
                  f"{peer:.2f} ms, ratio {ours / peer:.1f}x; building the grid {build:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)

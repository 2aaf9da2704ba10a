"""False-difference rate of the observational comparison on simulated people with no true effect.

Each person: N nights of total sleep time, 400 + 45 * AR(1)(rho) minutes; kratom use random (each
night 50%) or streaky (Markov chain, p(repeat) = 0.8); the outcome does not depend on use. A
"false difference" is a 95% interval that excludes zero. Compared: the AR(1)-adjusted interval the
window summary now uses (``compare`` with the nights' positions) and, as the peer measured in the
same run, the night-level Welch interval it replaced (``compare`` without positions). The grid is
run twice: with every night known, and with 20% of nights missing at random. People with
fewer than 5 nights in a group get "not enough data" and are not counted. Goal: <= 6% in every
cell. Monte Carlo SE of a rate p over R people: sqrt(p(1-p)/R) (0.49 points at 5%, R = 2,000).

    PYTHONPATH=src python bench/observational_calibration.py [PEOPLE]     # default 2000
"""

from __future__ import annotations

import sys
import time
from itertools import product

import numpy as np

from nightleaf.stats.calibration import ar1_noise, observational_cell, streaky_use
from nightleaf.stats.compare import NOT_ENOUGH, compare

GOAL = 0.06


def welch_rate(nights: int, rho: float, use: str, people: int, seed: int, missing: float) -> float:
    """The same people (same seed) through the old night-level Welch interval."""
    rng = np.random.default_rng(seed)
    y = 400.0 + 45.0 * ar1_noise(rng, people, nights, rho)
    used = rng.random((people, nights)) < 0.5 if use == "random" else streaky_use(rng, people, nights, 0.8)
    seen = rng.random((people, nights)) >= missing
    n = bad = 0
    for i in range(people):
        g = used[i] & seen[i]
        r = ~used[i] & seen[i]
        c = compare("tst_minutes", y[i, g].tolist(), y[i, r].tolist())
        if c.status == NOT_ENOUGH or c.ci_low is None or c.ci_high is None:
            continue
        n += 1
        bad += int(c.ci_low > 0 or c.ci_high < 0)
    return bad / n


def main(people: int = 2000) -> None:
    t0 = time.perf_counter()
    print(f"{people} simulated people per cell, no true effect; 95% intervals excluding zero")
    print("| nights | rho | use | missing | compared | AR(1)-adjusted (ours) | MC SE | Welch (old) "
          "| Welch / ours |")
    print("|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    fits = 0
    grid = list(product((0.0, 0.2), (28, 90), (0.0, 0.3, 0.6), ("random", "streaky")))
    for i, (missing, nights, rho, use) in enumerate(grid):
        s = observational_cell(nights, rho, use, people, seed=100 + i, missing=missing)
        w = welch_rate(nights, rho, use, people, seed=100 + i, missing=missing)
        worst = max(worst, s.rate)
        fits += s.compared
        ratio = w / s.rate if s.rate else float("inf")
        print(f"| {nights} | {rho} | {use} | {int(100 * missing)}% | {s.compared} | {100 * s.rate:.1f}% | "
              f"{100 * s.mc_se:.1f} | {100 * w:.1f}% | {ratio:.1f}x |", flush=True)
    elapsed = time.perf_counter() - t0
    verdict = "meets" if worst <= GOAL else "MISSES"
    print(f"\nworst cell {100 * worst:.1f}% ({verdict} the goal of <= {100 * GOAL:.0f}% in every cell)")
    print(f"{elapsed:.0f} s single process, about {1000 * elapsed / (2 * fits):.2f} ms per comparison "
          "(both methods, simulation included)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

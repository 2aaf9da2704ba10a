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
    PYTHONPATH=src python bench/observational_calibration.py --cost       # time per comparison

``--cost`` times one comparison (half the nights with kratom, streaky) by window length, the
AR(1)-adjusted interval against the Welch one in the same run (alternating, median of 30), and the
whole ``summarise_window`` (35 comparisons) on the generated journals of bench/summary_window.py.
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


def cost() -> None:
    import statistics
    from datetime import timedelta

    from nightleaf.simulate import simulate_journal
    from nightleaf.stats.window import summarise_window

    rng = np.random.default_rng(0)
    print("| nights | AR(1)-adjusted ms | Welch ms | ratio | summarise_window ms (35 comparisons) |")
    print("|---|---|---|---|---|")
    for nights in (28, 90, 365, 1825):
        y = 400 + 45 * ar1_noise(rng, 1, nights, 0.5)[0]
        used = streaky_use(rng, 1, nights, 0.8)[0]
        days = np.arange(nights)
        a, b = y[used].tolist(), y[~used].tolist()
        ga, gb = days[used].tolist(), days[~used].tolist()
        ours, peer = [], []
        for _ in range(30):
            t = time.perf_counter()
            compare("tst_minutes", a, b, group_nights=ga, reference_nights=gb)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            compare("tst_minutes", a, b)
            peer.append(time.perf_counter() - t)
        j = simulate_journal(nights, seed=1)
        assert j.profile is not None
        last = max(e.night for e in j.sleep)
        first = last - timedelta(days=nights - 1)
        whole = []
        for _ in range(5):
            t = time.perf_counter()
            summarise_window(first_night=first, last_night=last, profile=j.profile, entries=j.sleep,
                             intakes=j.intakes, pain=j.pain, products=j.products)
            whole.append(time.perf_counter() - t)
        o, p = 1000 * statistics.median(ours), 1000 * statistics.median(peer)
        print(f"| {nights} | {o:.2f} | {p:.2f} | {o / p:.1f}x | {1000 * statistics.median(whole):.1f} |",
              flush=True)


if __name__ == "__main__":
    if "--cost" in sys.argv:
        cost()
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

"""Which fix for the self-experiments' coverage: a quick comparison of model variants (issue 12).

Null experiments only (no effect, full adherence does not matter then), primary analysis only,
default design (7-night periods, 4 pairs, 3 wash-out nights, 56 nights), nightly SD 20,
rho in {0, 0.3, 0.6, 0.8} x {0, 30%} nights missing at random; REPS experiments per cell (the
same seed in every cell and variant, so variants are compared on the same simulated nights).
Prints the coverage of the 95% interval of beta (goal 93-97%) per cell and variant:

* ``gap``: wash-out nights left out (gaps in the AR(1) chain) — the first version;
* ``block``: wash-out nights kept, one free level per wash-out run (the version adopted);
* prior ``flat`` (uniform on the grid's points) or ``jeff`` (reference prior (1 - rho²)^-1/2);
* grid ``cur`` = ``RHO_GRID`` (51 points on [-0.3, 0.95]), ``sym`` = ``REFERENCE_GRID`` (77 on
  [-0.95, 0.95]), ``sym99`` (100 on [-0.99, 0.99]).

The design here is built independently of ``experiment.design_matrix``.

    PYTHONPATH=src python bench/experiment_calibration_variants.py [REPS] [VARIANT:PRIOR:GRID ...]
    # default: 3000 gap:flat:cur block:flat:cur block:jeff:cur block:flat:sym block:jeff:sym
"""

from __future__ import annotations

import sys
from datetime import date

import numpy as np

from nightleaf.stats.ar1 import REFERENCE_GRID, RHO_GRID, fit, reference_prior
from nightleaf.stats.calibration import ar1_noise
from nightleaf.stats.experiment import ScheduledNight, schedule

GRIDS = {"cur": RHO_GRID, "sym": REFERENCE_GRID, "sym99": np.linspace(-0.99, 0.99, 100)}
DEFAULT = ("gap:flat:cur", "block:flat:cur", "block:jeff:cur", "block:flat:sym", "block:jeff:sym")
CELLS = [(rho, miss) for rho in (0.0, 0.3, 0.6, 0.8) for miss in (0.0, 0.3)]


def design(plan: list[ScheduledNight], keep: np.ndarray, variant: str) -> tuple[np.ndarray, np.ndarray]:
    n = len(plan)
    z = np.array([s.arm == "B" for s in plan], float)
    w = np.array([s.washout for s in plan])
    block = np.cumsum(np.r_[True, np.diff(w.astype(int)) == 1])  # a new number at each run
    trend = np.arange(n) / (n - 1) - 0.5
    if variant == "gap":
        m = keep & ~w
        return m, np.column_stack([np.ones(m.sum()), z[m], trend[m]])
    cols = [np.ones(n), np.where(w, 0, z), trend]
    cols += [(w & (block == b)).astype(float) for b in np.unique(block[w])]
    X = np.column_stack(cols)[keep]
    return keep.copy(), X[:, np.abs(X).sum(0) > 0]


def coverage(rho: float, miss: float, reps: int, variant: str, prior: np.ndarray | None,
             grid: np.ndarray, seed: int = 11) -> float:
    rng = np.random.default_rng(seed)
    n = 56
    noise = ar1_noise(rng, reps, n, rho)
    obs = rng.random((reps, n)) >= miss
    seeds = rng.integers(0, 2**62, reps)
    covered = 0
    for r in range(reps):
        plan = schedule(date(2027, 1, 4), 7, 4, 3, int(seeds[r]))
        m, X = design(plan, obs[r], variant)
        f = fit(20 * noise[r][m], X, np.flatnonzero(m), rho=grid, rho_prior=prior)
        lo, hi = f.coefficient(1).interval()
        covered += lo <= 0 <= hi
    return covered / reps


def main(reps: int, specs: list[str]) -> None:
    print(f"{reps} null experiments per cell; primary coverage of the 95% interval, %")
    print("| variant | " + " | ".join(f"rho {r}, {int(100 * m)}% missing" for r, m in CELLS) + " |")
    print("|---|" + "---|" * len(CELLS))
    for spec in specs:
        variant, which, gname = spec.split(":")
        grid = GRIDS[gname]
        prior = None if which == "flat" else reference_prior(grid)
        out = [f"{100 * coverage(rho, miss, reps, variant, prior, grid):.1f}" for rho, miss in CELLS]
        print(f"| {spec} | " + " | ".join(out) + " |", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 3000, args[1:] or list(DEFAULT))

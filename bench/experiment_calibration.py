"""Calibration of the self-experiment analysis on simulated experiments (issue 12).

Grid: rho in {0, 0.3, 0.6, 0.8} x true carry-over time constant tau in {0, 1, 2.7} nights x
missing nights {0, 15, 30%}; 80% adherence (a non-adherent night takes the other arm); default
design (7-night periods, 4 pairs, 3 wash-out nights); outcome SOL (lower is better), MID 20 min,
night-to-night SD 20 min; the carry-over sensitivity assumes tau = 2.7. Per cell REPS experiments
with no effect and REPS with a true steady-state benefit of one MID. Simulator and estimands:
:mod:`nightleaf.stats.calibration`.

Reported per cell (primary = as assigned): coverage of the 95% interval with no effect (goal
93-97%) and with an effect (against the effect the analysis targets, delta * kappa), false
"better" verdicts with no effect (goal <= 5%), power at the MID (any "better" verdict) and the
rate of "better by at least what you said matters"; then the same for the per-protocol and the
carry-over lines. Monte Carlo SE of a rate p over R runs: sqrt(p(1-p)/R) (0.49 points at 95%
coverage and R = 2,000).

    PYTHONPATH=src python bench/experiment_calibration.py [REPS] [--jobs N] [--json PATH]

REPS defaults to 2000; ``--jobs N`` runs the cells in N worker processes (default 1). Each cell has
its own fixed seeds, so the table does not depend on N.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from itertools import product

from nightleaf.stats.calibration import CellResult, ExperimentCell, experiment_cell
from nightleaf.stats.experiment import AS_ASSIGNED, CARRY_OVER, PER_PROTOCOL

RHOS = (0.0, 0.3, 0.6, 0.8)
TAUS = (0.0, 1.0, 2.7)
MISSING = (0.0, 0.15, 0.30)


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def run_cell(args: tuple[int, float, float, float, int]) -> tuple[CellResult, CellResult]:
    i, rho, tau, miss, reps = args
    null = experiment_cell(ExperimentCell(rho, tau, miss, 0.0), reps, seed=1000 + i)
    eff = experiment_cell(ExperimentCell(rho, tau, miss, 1.0), reps, seed=5000 + i)
    return null, eff


def main(reps: int = 2000, json_path: str | None = None, jobs: int = 1) -> None:
    t0 = time.perf_counter()
    rows = []
    cells = [(i, rho, tau, miss, reps)
             for i, (rho, tau, miss) in enumerate(product(RHOS, TAUS, MISSING))]
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(jobs) if jobs > 1 else None
    results: Iterator[tuple[CellResult, CellResult]] = (
        pool.map(run_cell, cells) if pool is not None else map(run_cell, cells))
    print(f"experiments per cell: {reps} with no effect + {reps} with a benefit of one MID")
    head = ("| rho | tau | missing | coverage, no effect | false better | coverage, effect | kappa "
            "| power at MID | better by >= MID at MID | PP coverage / false better | "
            "CO coverage / false better | CO power |")
    print(head)
    print("|" + "---|" * 12)
    for (_, rho, tau, miss, _), (null, eff) in zip(cells, results, strict=True):
        n0, e0 = null.analyses, eff.analyses
        row: dict[str, float] = {"rho": rho, "tau": tau, "missing": miss, "reps": reps}
        for tag, res in (("null", n0), ("effect", e0)):
            for name, s in res.items():
                key = {AS_ASSIGNED: "primary", PER_PROTOCOL: "pp", CARRY_OVER: "co"}[name]
                row.update({
                    f"{tag}_{key}_coverage": s.coverage, f"{tag}_{key}_better": s.better_rate,
                    f"{tag}_{key}_better_mid": s.better_mid_rate, f"{tag}_{key}_worse": s.worse_rate,
                    f"{tag}_{key}_kappa": s.mean_kappa, f"{tag}_{key}_width": s.mean_width,
                    f"{tag}_{key}_not_yet": s.not_yet / s.runs,
                })
        rows.append(row)
        p, pp, co = n0[AS_ASSIGNED], n0[PER_PROTOCOL], n0[CARRY_OVER]
        ep, eco = e0[AS_ASSIGNED], e0[CARRY_OVER]
        print(f"| {rho} | {tau} | {int(miss * 100)}% | {pct(p.coverage)} | {pct(p.better_rate)} | "
              f"{pct(ep.coverage)} | {ep.mean_kappa:.2f} | {pct(ep.better_rate)} | "
              f"{pct(ep.better_mid_rate)} | {pct(pp.coverage)} / {pct(pp.better_rate)} | "
              f"{pct(co.coverage)} / {pct(co.better_rate)} | {pct(eco.better_rate)} |", flush=True)
    if pool is not None:
        pool.shutdown()
    elapsed = time.perf_counter() - t0
    n_cells = len(rows)
    cov = [r["null_primary_coverage"] for r in rows] + [r["effect_primary_coverage"] for r in rows]
    fb = [r["null_primary_better"] for r in rows]
    print(f"\nprimary coverage range {pct(min(cov))}-{pct(max(cov))}% (goal 93-97); "
          f"false better max {pct(max(fb))}% (goal <= 5)")
    misses = [r for r in rows if not (0.93 <= r["null_primary_coverage"] <= 0.97
                                      and 0.93 <= r["effect_primary_coverage"] <= 0.97
                                      and r["null_primary_better"] <= 0.05)]
    print(f"primary cells missing a goal: {len(misses)} of {n_cells}"
          + "".join(f"\n  rho={r['rho']} tau={r['tau']} missing={r['missing']}" for r in misses))
    procs = "single process" if jobs <= 1 else f"{jobs} processes"
    print(f"{n_cells} cells x {2 * reps} experiments x 3 analyses, {procs}: {elapsed:.0f} s "
          f"({1000 * elapsed / (n_cells * 2 * reps):.1f} ms of wall time per simulated and analysed "
          f"experiment)")
    if json_path:
        with open(json_path, "w") as fh:
            json.dump({"reps": reps, "seconds": elapsed, "cells": rows}, fh, indent=1)


if __name__ == "__main__":
    args = sys.argv[1:]
    path = None
    n_jobs = 1
    if "--json" in args:
        i = args.index("--json")
        path = args[i + 1]
        del args[i:i + 2]
    if "--jobs" in args:
        i = args.index("--jobs")
        n_jobs = int(args[i + 1])
        del args[i:i + 2]
    main(int(args[0]) if args else 2000, path, n_jobs)

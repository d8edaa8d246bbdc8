"""Timing of the guaranteed-service tree DP (Graves & Willems 2000) on random trees.

Run: ``.venv/bin/python bench/bench_gsm_tree.py [--sizes 100,300,1000,10000] [--seed 0]`` or
``make bench`` (``python -m bench``).

Random trees: stage ``i`` joins a uniformly chosen earlier stage, the arc pointing either way;
processing times 1..5, holding costs U(0.1, 2), every sink faces demand with sigma U(1, 10) and
a service time of 0..2. The reference in the same run is the HiGHS MIP on the same tree (up to
``--mip-limit`` stages); the ratio is MIP time / DP time, and both costs must agree.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from tandem.planning.meio.gsm import (
    Arc,
    Breakpoints,
    GSMNetwork,
    Stage,
    solve_mip,
    solve_tree,
)


def random_tree(n: int, seed: int) -> GSMNetwork:
    """A random spanning tree with mixed arc directions."""
    rng = np.random.default_rng(seed)
    arcs = []
    has_successor = np.zeros(n, dtype=bool)
    for i in range(1, n):
        p = int(rng.integers(0, i))
        up, down = (p, i) if rng.random() < 0.5 else (i, p)
        has_successor[up] = True
        arcs.append(Arc(str(up), str(down)))
    stages = tuple(
        Stage(
            str(i),
            float(rng.integers(1, 6)),
            float(rng.uniform(0.1, 2.0)),
            demand_std=0.0 if has_successor[i] else float(rng.uniform(1.0, 10.0)),
            max_service_time=None if has_successor[i] else float(rng.integers(0, 3)),
        )
        for i in range(n)
    )
    return GSMNetwork(stages, tuple(arcs), service_factor=1.645)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000,10000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mip-limit", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args([] if argv is None else argv)
    print(f"{'stages':>7} {'dp_s':>9} {'mip_s':>9} {'ratio':>8} {'cost':>14} {'agree':>6}")
    for n in (int(s) for s in args.sizes.split(",")):
        network = random_tree(n, args.seed)
        _ = network.structure  # build the arrays once, outside the timing
        best = np.inf
        for _ in range(args.repeat):
            start = time.perf_counter()
            solution = solve_tree(network)
            best = min(best, time.perf_counter() - start)
        mip_time, agree = float("nan"), "-"
        if n <= args.mip_limit:
            start = time.perf_counter()
            outcome = solve_mip(network, Breakpoints.ADAPTIVE, time_limit=300.0)
            mip_time = time.perf_counter() - start
            agree = str(abs(outcome.solution.cost - solution.cost) <= 1e-6 * solution.cost)
        print(
            f"{n:>7} {best:>9.4f} {mip_time:>9.3f} {mip_time / best:>8.1f}"
            f" {solution.cost:>14.4f} {agree:>6}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

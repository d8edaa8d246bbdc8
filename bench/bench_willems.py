"""Guaranteed-service optimisation of the 38 Willems (2008) chains.

S. P. Willems, "Data Set — Real-World Multiechelon Supply Chains Used for Inventory
Optimization", *M&SOM* 10(1):19–23, 2008. Reported costs: Humair & Willems (2011), to three
significant figures.

Run: ``.venv/bin/python bench/bench_willems.py [--data DIR] [--chains 1,2,3] [--nodes N]``, or
through ``make bench`` (``python -m bench``), where ``BENCH_WILLEMS_CHAINS`` (e.g. ``1-20``) and
``BENCH_WILLEMS_NODES`` set the same options. All 38 chains take about 10 minutes on 2 cores.

Each chain is solved with holding cost = cumulative cost (the objective is the dollar value of
the safety stock, ``sum_j cumcost_j z sigma_j sqrt(NLT_j)``). The column ``x0.35`` is that
optimum re-solved with exact ``z = Phi^{-1}(service level)`` times 0.35: the reported costs of
the chains with deterministic stage times are 35% of the safety-stock value (an annual holding
rate of 35%), see docs/engines/meio.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from tandem.planning.meio.gsm import GuaranteedServiceOptimizer, parse_willems_chain

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "willems" / "processed"


def node_budget(stages: int, nodes: int | None) -> int:
    """Branch-and-bound nodes per chain: generous for small chains, tight for large ones."""
    if nodes is not None:
        return nodes
    if stages <= 100:
        return 2000
    if stages <= 300:
        return 800
    if stages <= 700:
        return 150
    return 40


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "")
    return int(value) if value else None


def _parse_chains(spec: str) -> list[int]:
    """``"1,3,5-7"`` -> ``[1, 3, 5, 6, 7]``."""
    chains: list[int] = []
    for part in (p for p in spec.split(",") if p):
        first, _, last = part.partition("-")
        chains.extend(range(int(first), int(last or first) + 1))
    return chains


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--chains", type=str, default=os.environ.get("BENCH_WILLEMS_CHAINS", ""))
    parser.add_argument("--nodes", type=int, default=_env_int("BENCH_WILLEMS_NODES"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args([] if argv is None else argv)
    reported = [float(x) for x in (args.data / "reported_optimal_cost.txt").read_text().split()]
    chains = _parse_chains(args.chains) or list(range(1, 39))
    header = (
        f"{'chain':>5} {'stages':>6} {'arcs':>6} {'tree':>5} {'cost':>14} {'bound':>14}"
        f" {'gap':>9} {'x0.35':>12} {'reported':>12} {'ratio':>7} {'method':>17} {'time_s':>7}"
    )
    print(header)
    total, proven, worst = 0.0, 0, 0.0
    for k in chains:
        text = (args.data / f"willems_{k:02d}.csv").read_text()
        start = time.perf_counter()
        network = parse_willems_chain(text)
        budget = node_budget(len(network.stages), args.nodes)
        solver = GuaranteedServiceOptimizer(max_nodes=budget, seed=args.seed)
        solution = solver.solve(network)
        elapsed = time.perf_counter() - start
        st = network.structure
        # our service times re-costed with exact z (with one service level per chain, z scales
        # every stage alike, so they stay optimal)
        exact_z = parse_willems_chain(text, exact_service_factors=True)
        scaled = 0.35 * exact_z.cost(
            solution.outbound_service_times, solution.inbound_service_times
        )
        total += elapsed
        proven += solution.is_proven_optimal()
        worst = max(worst, solution.gap)
        ratio = reported[k - 1] / scaled
        print(
            f"{k:>5} {st.n:>6} {st.arc_up.size:>6} {st.is_forest!s:>5}"
            f" {solution.cost:>14.1f} {solution.lower_bound:>14.1f} {solution.gap:>9.2e}"
            f" {scaled:>12.4g} {reported[k - 1]:>12.4g} {ratio:>7.4f}"
            f" {solution.method.value:>17} {elapsed:>7.2f}",
            flush=True,
        )
    print(
        f"proven optimal (gap <= 1e-6): {proven}/{len(chains)}; worst gap {worst:.3%};"
        f" total time {total:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

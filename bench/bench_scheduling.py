"""CP-SAT order scheduling and the capacitated master-schedule MIP on seeded random instances.

Scheduling: ``N`` orders x 3 operations (10–60 min) on 5 resources, 4 product families with
changeovers of 2–10 min, a quarter of the operations eligible on a second resource, weights
1–3, releases in [0, 0.2 L] and due dates release + own work + U[0, L] with L the average
resource load. Objective: weighted tardiness + total setup minutes. Side by side on the same
instance and time limit: the earliest-due-date rule (the reference, ratio = method / EDD), the
ATCS rule with Lee et al.'s scalings, the best dispatch schedule (EDD or ATCS over a grid: the
warm start of the CP-SAT methods), the full CP-SAT model with 1 and 2 workers, and the
large-neighbourhood search (LNS) with 1 worker.

Master schedule: 20 products x 52 buckets x 5 resources, routings of 1–3 operations with setup
hours, setup costs, overtime; regular hours = (mean run load + a setup every bucket) / 0.9.
Reference: the LP relaxation of the setup binaries (a lower bound), solved in the same run.

Run: ``.venv/bin/python bench/bench_scheduling.py [--orders 50,200] [--time-limit 30]
[--workers 1,2] [--seed 0] [--no-mps]``, or through ``make bench`` where
``BENCH_SCHEDULING_ORDERS`` and ``BENCH_SCHEDULING_TIME_LIMIT`` set the same options.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections.abc import Callable

import numpy as np

from tandem.planning.production import (
    Calendar,
    MPSProblem,
    MPSProduct,
    MPSSolver,
    Operation,
    Resource,
    Routing,
)
from tandem.planning.production._mps_model import MPSModel, solve_model
from tandem.planning.scheduling import (
    CpSatScheduler,
    FamilySetups,
    LnsScheduler,
    ObjectiveWeights,
    OrderOperation,
    ProductionOrder,
    ScheduleResult,
    SchedulingProblem,
    SchedulingResource,
    SolverSettings,
    dispatch_atcs,
    dispatch_best,
    dispatch_edd,
)

FAMILIES = ("A", "B", "C", "D")


def random_shop(n_orders: int, seed: int) -> SchedulingProblem:
    """Seeded random flexible job shop with family setups."""
    rng = np.random.default_rng(seed)
    resources = [f"R{k}" for k in range(5)]
    durations = rng.integers(10, 61, size=(n_orders, 3))
    load = durations.sum() / len(resources)
    orders = []
    for o in range(n_orders):
        ops = []
        for k in range(3):
            first = str(rng.choice(resources))
            eligible: tuple[str, ...] = (first,)
            if rng.random() < 0.25:
                eligible = (first, str(rng.choice([r for r in resources if r != first])))
            ops.append(OrderOperation(f"op{k}", eligible, int(durations[o, k])))
        release = int(rng.integers(0, int(0.2 * load) + 1))
        due = release + int(durations[o].sum()) + int(rng.integers(0, int(load) + 1))
        family = FAMILIES[int(rng.integers(len(FAMILIES)))]
        orders.append(
            ProductionOrder(f"O{o}", family, tuple(ops), due, release, int(rng.integers(1, 4)))
        )
    changeover = {
        (a, b): int(rng.integers(2, 11)) for a in FAMILIES for b in FAMILIES if a != b
    }  # fmt: skip
    setups = FamilySetups(changeover)
    return SchedulingProblem(tuple(SchedulingResource(r) for r in resources), tuple(orders), setups)


def random_mps(seed: int, products: int = 20, buckets: int = 52) -> MPSProblem:
    """Seeded 20 x 52 x 5 capacitated lot-sizing instance (lot-for-lot fits at 90% on average)."""
    rng = np.random.default_rng(seed)
    names = [f"W{k}" for k in range(5)]
    items = []
    hours = np.zeros(len(names))
    for p in range(products):
        chosen = rng.choice(len(names), size=int(rng.integers(1, 4)), replace=False)
        ops = tuple(
            Operation(names[r], float(rng.integers(1, 5)), float(rng.uniform(0.05, 0.3)))
            for r in sorted(chosen)
        )
        demand = rng.poisson(rng.uniform(20, 80), size=buckets).astype(float)
        for op in ops:
            hours[names.index(op.resource)] += op.run_hours * demand.mean() + op.setup_hours
        items.append(
            MPSProduct(
                f"P{p}", Routing(f"r{p}", ops), tuple(demand), unit_cost=1.0,
                holding_cost=float(rng.uniform(0.2, 1.0)), backlog_cost=5.0,
                setup_cost=float(rng.integers(50, 300)),
            )
        )  # fmt: skip
    resources = tuple(
        Resource(n, Calendar.uniform(buckets, round(h / 0.9, 1)), 20.0, round(0.2 * h, 1))
        for n, h in zip(names, hours, strict=True)
    )
    return MPSProblem(tuple(items), resources)


def _methods(
    time_limit: float, workers: list[int], seed: int, weights: ObjectiveWeights
) -> list[tuple[str, Callable[[SchedulingProblem], ScheduleResult]]]:
    def settings(n: int) -> SolverSettings:
        return SolverSettings(time_limit_s=time_limit, num_workers=n, random_seed=seed)

    methods: list[tuple[str, Callable[[SchedulingProblem], ScheduleResult]]] = [
        ("EDD", lambda p: dispatch_edd(p, weights)),
        ("ATCS", lambda p: dispatch_atcs(p, weights)),
        ("best dispatch", lambda p: dispatch_best(p, weights)),
    ]
    for n in workers:
        full = CpSatScheduler(weights, settings(n), search_from_orders=None)
        methods.append((f"CP-SAT {n}w", full.solve))
    methods.append(("LNS 1w", LnsScheduler(weights, settings(1)).solve))
    return methods


def bench_schedules(sizes: list[int], time_limit: float, workers: list[int], seed: int) -> None:
    print(
        f"{'orders':>6} {'method':>13} {'status':>9} {'objective':>10} {'bound':>7} {'gap':>6}"
        f" {'/EDD':>6} {'/best':>6} {'setup':>6} {'tardy':>5} {'time_s':>6}"
    )
    weights = ObjectiveWeights(tardiness=1, setup=1)
    for n in sizes:
        problem = random_shop(n, seed)
        edd = dispatch_edd(problem, weights).objective
        best = dispatch_best(problem, weights).objective
        for name, solve in _methods(time_limit, workers, seed, weights):
            started = time.perf_counter()
            result = solve(problem)
            elapsed = time.perf_counter() - started
            tardy = sum(1 for o in result.orders if o.tardiness > 0)
            print(
                f"{n:>6} {name:>13} {result.status.value:>9} {result.objective:>10.0f}"
                f" {result.best_bound:>7.0f} {result.gap:>6.1%}"
                f" {result.objective / max(edd, 1):>6.3f} {result.objective / max(best, 1):>6.3f}"
                f" {result.total_setup:>6} {tardy:>5}"
                f" {elapsed:>6.1f}",
                flush=True,
            )


def bench_mps(time_limit: float, seed: int) -> None:
    problem = random_mps(seed)
    started = time.perf_counter()
    result = MPSSolver(time_limit_s=time_limit, mip_rel_gap=1e-4).solve(problem)
    elapsed = time.perf_counter() - started
    model = MPSModel.build(problem, problem.buckets)
    relaxed = dataclasses.replace(model, integrality=np.zeros_like(model.integrality))
    started = time.perf_counter()
    lp = solve_model(relaxed, time_limit, 0.0)
    lp_seconds = time.perf_counter() - started
    lp_value = float(relaxed.cost @ lp.x) if lp.x is not None else float("nan")
    util = result.plan.load.sum() / result.plan.capacity.sum() if result.plan else float("nan")
    print(
        f"{'MPS':>6} {'status':>9} {'objective':>12} {'dual bound':>12} {'gap':>8}"
        f" {'LP relax':>12} {'MIP/LP':>7} {'load/cap':>8} {'time_s':>7} {'LP_s':>6}"
    )
    print(
        f"{'20x52x5':>6} {result.status.value:>9} {result.objective:>12.1f}"
        f" {result.dual_bound:>12.1f} {result.mip_gap:>8.3%} {lp_value:>12.1f}"
        f" {result.objective / lp_value:>7.4f} {util:>8.3f} {elapsed:>7.1f} {lp_seconds:>6.2f}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default=os.environ.get("BENCH_SCHEDULING_ORDERS", "50,200"))
    parser.add_argument(
        "--time-limit", type=float,
        default=float(os.environ.get("BENCH_SCHEDULING_TIME_LIMIT", "30")),
    )  # fmt: skip
    parser.add_argument("--workers", default="1,2", help="CP-SAT worker counts of the full model")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-mps", action="store_true", help="skip the master-schedule MIP")
    args = parser.parse_args([] if argv is None else argv)
    sizes = [int(x) for x in args.orders.split(",") if x]
    workers = [int(x) for x in args.workers.split(",") if x]
    bench_schedules(sizes, args.time_limit, workers, args.seed)
    if not args.no_mps:
        bench_mps(args.time_limit, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

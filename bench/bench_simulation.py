"""Speed of the simulation engine in stage-periods per second, against stockpyl 1.0.2's simulator.

Run: ``.venv/bin/python bench/bench_simulation.py [--periods 1000] [--replications 1000]
[--network-replications 200] [--stockpyl-periods 2000] [--stockpyl-seeds 5] [--no-stockpyl]``
or ``make bench`` (``python -m bench``).

Systems:

* **4-stage serial chain**: local holding costs (4, 3, 2, 1) per unit on hand, in-transit stock
  at the supplier's local rate, lead times (2, 1, 1, 3), backorder cost 20 at stage 1, N(10, 3)
  demand, echelon base-stock levels at the Chen-Zheng optimum (``planning/meio/serial.py``).
  Simulated by ``SerialSupplyChain`` and by ``SupplyNetwork`` (a chain of four nodes).
* **café network** (the size of the demo network, built here): green-coffee and packaging
  suppliers -> roaster (assembly: 1 kg coffee + 4 bags per unit) -> 3 DCs -> 9 cafés with
  Poisson demand; installation base stock, FIFO rationing at the roaster and DCs, transport
  costs. 15 nodes, ``SupplyNetwork``.

Reference measured in the same run: **stockpyl 1.0.2** (``stockpyl.sim.simulation``) on the
4-stage chain with ``'EBS'`` policies at the same levels, in its own virtual environment
``.venv-stockpyl`` (created on demand), run by ``bench/stockpyl_sim_ref.py`` as a subprocess,
``--stockpyl-seeds`` runs of ``--stockpyl-periods`` periods (one replication each; stockpyl
simulates one path at a time). ``ratio`` = stockpyl's seconds per stage-period / Tandem's.
Costs are per period after a warm-up of 100 periods, with the 95% half-width over replications
(stockpyl: over its seeds); ``agree`` says whether they differ by less than the two half-widths
combined (``sqrt(hw1^2 + hw2^2)``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.meio import ChenZheng, SerialDemand, SerialSystem
from tandem.planning.simulation import (
    Allocation,
    Arc,
    BaseStock,
    InformationMode,
    InventoryView,
    NormalDemand,
    PoissonDemand,
    SerialSupplyChain,
    Stage,
    SupplyNetwork,
)

ROOT = Path(__file__).resolve().parent.parent
STOCKPYL_VENV = ROOT / ".venv-stockpyl"
STOCKPYL_SCRIPT = Path(__file__).resolve().parent / "stockpyl_sim_ref.py"
STOCKPYL_VERSION = "1.0.2"
LOCAL, LEAD, STOCKOUT, MEAN, STD = (4.0, 3.0, 2.0, 1.0), (2, 1, 1, 3), 20.0, 10.0, 3.0
WARMUP = 100


def serial_levels() -> tuple[tuple[float, ...], float]:
    """Chen-Zheng optimal echelon base-stock levels of the chain and their expected cost."""
    system = SerialSystem.from_local_holding_costs(LOCAL, LEAD, STOCKOUT)
    best = ChenZheng(system).solve(SerialDemand(MEAN, STD))
    return best.echelon_base_stock, best.expected_cost


def serial_stages(levels: tuple[float, ...]) -> list[Stage]:
    """The 4-stage chain, stage 1 (the customer's) first."""
    return [
        Stage(
            f"stage {j + 1}",
            BaseStock(levels[j], view=InventoryView.ECHELON),
            lead_time=LEAD[j],
            holding_cost=LOCAL[j],
            pipeline_holding_cost=LOCAL[j + 1] if j + 1 < len(LOCAL) else 0.0,
            shortage_cost=STOCKOUT if j == 0 else 0.0,
        )
        for j in range(len(LOCAL))
    ]


def cafe_network(periods: int, replications: int) -> SupplyNetwork:
    """Suppliers -> roaster (assembly) -> 3 DCs -> 9 cafés, 15 nodes."""
    cafes = [f"cafe {d}{k}" for d in "abc" for k in range(3)]
    rates = [30.0, 20.0, 12.0] * 3
    nodes = [
        Stage("green coffee", BaseStock(800.0), lead_time=4, holding_cost=0.05),
        Stage("packaging", BaseStock(1650.0), lead_time=2, holding_cost=0.01),
        Stage("roaster", BaseStock(220.0), lead_time=1, holding_cost=0.2, supply_capacity=300.0),
    ]
    nodes += [Stage(f"dc {d}", BaseStock(150.0), lead_time=2, holding_cost=0.3) for d in "abc"]
    nodes += [
        Stage(c, BaseStock(r + 2.0 * math.sqrt(r)), 1, holding_cost=0.5, shortage_cost=5)
        for c, r in zip(cafes, rates, strict=True)
    ]
    arcs = [
        Arc("green coffee", "roaster", quantity=1.0, transport_cost=0.02),
        Arc("packaging", "roaster", quantity=4.0),
    ]
    arcs += [Arc("roaster", f"dc {d}", transport_cost=0.1) for d in "abc"]
    arcs += [Arc(f"dc {c[5]}", c, transport_cost=0.15) for c in cafes]
    demand = {c: PoissonDemand(r) for c, r in zip(cafes, rates, strict=True)}
    fifo = dict.fromkeys(("roaster", "dc a", "dc b", "dc c"), Allocation.FIFO)
    return SupplyNetwork(
        nodes,
        arcs,
        demand,
        allocation=fifo,
        periods=periods,
        replications=replications,
        warmup=WARMUP,
        seed=0,
    )


def stockpyl_python() -> Path | None:
    """The interpreter of ``.venv-stockpyl``, created on demand; ``None`` if that fails."""
    python = STOCKPYL_VENV / "bin" / "python"
    probe = [str(python), "-c", "import stockpyl"]
    if python.exists() and subprocess.run(probe, check=False, capture_output=True).returncode == 0:
        return python
    print(f"creating {STOCKPYL_VENV.name} with stockpyl=={STOCKPYL_VERSION} ...", flush=True)
    steps = [
        [sys.executable, "-m", "venv", str(STOCKPYL_VENV)],
        [str(python), "-m", "pip", "install", "-q", f"stockpyl=={STOCKPYL_VERSION}", "numpy<2"],
    ]
    for step in steps:
        done = subprocess.run(step, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"stockpyl unavailable: {' '.join(step)} failed\n{done.stderr[-2000:]}")
            return None
    return python


def run_stockpyl(
    python: Path, levels: tuple[float, ...], periods: int, seed: int
) -> dict[str, float]:
    """One stockpyl simulation of the chain: its seconds and mean cost per period."""
    problem = {
        "stages": [
            {"lead_time": LEAD[j], "holding_cost": LOCAL[j], "echelon_base_stock": levels[j]}
            for j in range(len(LOCAL))
        ],
        "stockout_cost": STOCKOUT,
        "mean": MEAN,
        "std": STD,
        "periods": periods,
        "warmup": WARMUP,
        "seed": seed,
    }
    done = subprocess.run(
        [str(python), "-W", "ignore", str(STOCKPYL_SCRIPT)],
        input=json.dumps(problem),
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(done.stdout)
    return {"seconds": float(out["seconds"]), "cost": float(out["mean_cost"])}


def half_width(values: list[float]) -> float:
    """95% t half-width of the mean of ``values``."""
    if len(values) < 2:
        return float("nan")
    t = float(stats.t.ppf(0.975, len(values) - 1))
    return t * float(np.std(values, ddof=1)) / math.sqrt(len(values))


HEADER = (
    f"{'system':<28} {'stages':>6} {'periods':>8} {'reps':>6} {'seconds':>8}"
    f" {'stage-periods/s':>16} {'us/stage-period':>16} {'ratio':>8} {'cost/period':>18}"
)


@dataclass(frozen=True)
class Timing:
    """One timed simulation: its size, wall time and cost per period (with half-width)."""

    system: str
    stages: int
    periods: int
    replications: int
    seconds: float
    cost: float
    cost_half_width: float

    @property
    def us_per_stage_period(self) -> float:
        return 1e6 * self.seconds / (self.stages * self.periods * self.replications)

    def row(self, reference_us: float | None) -> str:
        """One line of the table; ``ratio`` = reference / own time per stage-period."""
        us = self.us_per_stage_period
        ratio = "-" if reference_us is None else f"{reference_us / us:.0f}"
        cost = f"{self.cost:.3f} ± {self.cost_half_width:.3f}"
        return (
            f"{self.system:<28} {self.stages:>6} {self.periods:>8} {self.replications:>6}"
            f" {self.seconds:>8.2f} {1e6 / us:>16,.0f} {us:>16.4f} {ratio:>8} {cost:>18}"
        )


def stockpyl_timing(python: Path, levels: tuple[float, ...], periods: int, seeds: int) -> Timing:
    """stockpyl on the chain, one run per seed; the half-width is over the seeds."""
    runs = [run_stockpyl(python, levels, periods, seed) for seed in range(seeds)]
    costs = [r["cost"] for r in runs]
    seconds = sum(r["seconds"] for r in runs)
    cost, hw = float(np.mean(costs)), half_width(costs)
    return Timing("stockpyl 1.0.2, serial", len(LOCAL), periods, seeds, seconds, cost, hw)


def tandem_timings(levels: tuple[float, ...], args: argparse.Namespace) -> list[Timing]:
    """The chain by both engines, then the café network."""
    shape = {"periods": args.periods, "replications": args.replications}
    demand, shared = NormalDemand(MEAN, STD), InformationMode.SHARED
    stages = serial_stages(levels)
    chain = SerialSupplyChain(stages, demand, information=shared, warmup=WARMUP, seed=0, **shape)
    start = time.perf_counter()
    chain_cost = chain.run().total_cost
    chain_s = time.perf_counter() - start
    arcs = [Arc(up.name, down.name) for down, up in itertools.pairwise(stages)]
    network = SupplyNetwork(
        stages, arcs, {stages[0].name: demand}, information=shared, warmup=WARMUP, seed=0, **shape
    )
    start = time.perf_counter()
    net_cost = network.run().total_cost
    net_s = time.perf_counter() - start
    cafe = cafe_network(args.periods, args.network_replications)
    start = time.perf_counter()
    cafe_cost = cafe.run().total_cost
    cafe_s = time.perf_counter() - start
    n, p, r = len(LOCAL), args.periods, args.replications
    return [
        Timing("SerialSupplyChain, serial", n, p, r, chain_s, chain_cost, float("nan")),
        Timing("SupplyNetwork, serial", n, p, r, net_s, net_cost.value, net_cost.half_width),
        Timing(
            "SupplyNetwork, café network",
            len(cafe.nodes),
            p,
            args.network_replications,
            cafe_s,
            cafe_cost.value,
            cafe_cost.half_width,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--periods", type=int, default=1000)
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--network-replications", type=int, default=200)
    parser.add_argument("--stockpyl-periods", type=int, default=2000)
    parser.add_argument("--stockpyl-seeds", type=int, default=5)
    parser.add_argument("--no-stockpyl", action="store_true")
    args = parser.parse_args([] if argv is None else argv)
    levels, analytic = serial_levels()
    rounded = [round(s, 2) for s in levels]
    print(f"4-stage chain: echelon levels {rounded}, Chen-Zheng cost {analytic:.3f}")
    python = None if args.no_stockpyl else stockpyl_python()
    reference = (
        None
        if python is None
        else stockpyl_timing(python, levels, args.stockpyl_periods, args.stockpyl_seeds)
    )
    own = tandem_timings(levels, args)
    reference_us = None if reference is None else reference.us_per_stage_period
    print(HEADER)
    for timing in ([] if reference is None else [reference]) + own:
        print(timing.row(reference_us), flush=True)
    if reference is not None:
        mine = own[1]
        gap = abs(reference.cost - mine.cost)
        allowed = math.hypot(reference.cost_half_width, mine.cost_half_width)
        print(
            f"serial cost per period: stockpyl {reference.cost:.3f}, Tandem {mine.cost:.3f},"
            f" Chen-Zheng {analytic:.3f}; |diff| {gap:.3f} <= {allowed:.3f}: {gap <= allowed}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

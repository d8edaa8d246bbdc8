"""Reference run of stockpyl 1.0.2's simulator on a serial system (``stockpyl.sim.simulation``).

Runs inside its own virtual environment (``.venv-stockpyl``, created on demand by
``bench/bench_simulation.py``), so it imports nothing from Tandem. Reads one serial system as JSON
on stdin and writes ``{"seconds": float, "periods": int, "stages": int, "mean_cost": float,
"period_costs": [float, ...]}`` to stdout::

    {"stages": [{"lead_time": 1, "holding_cost": 7.0, "echelon_base_stock": 6.5}],
     "stockout_cost": 37.12, "mean": 5.0, "std": 1.0, "periods": 2000, "warmup": 100, "seed": 0}

Stage 1 (the first entry) faces the customer. Translation to stockpyl (``serial_system``): stage
``j`` is node ``j`` with ``shipment_lead_time`` = ``lead_time``, ``local_holding_cost`` =
``holding_cost``, an ``'EBS'`` (echelon base-stock) policy at ``echelon_base_stock``; normal
demand (``demand_type='N'``) and ``stockout_cost`` at node 1; stockpyl charges stock in transit
to a node at its supplier's local holding cost, as Tandem's test of S&S Example 6.1 does.
``period_costs`` holds the network's cost of every period after the warm-up and ``mean_cost``
their mean. The timing covers ``simulation`` only (not building the network object).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def build_serial(problem: dict[str, Any]) -> Any:
    """A stockpyl serial ``SupplyChainNetwork``: node ``n`` upstream, node 1 at the customer."""
    from stockpyl.supply_chain_network import serial_system  # type: ignore[import-not-found]

    stages = problem["stages"]
    n = len(stages)
    return serial_system(
        num_nodes=n,
        node_order_in_system=list(range(n, 0, -1)),
        node_order_in_lists=list(range(1, n + 1)),
        shipment_lead_time=[int(s["lead_time"]) for s in stages],
        local_holding_cost=[float(s["holding_cost"]) for s in stages],
        stockout_cost=float(problem["stockout_cost"]),
        demand_type="N",
        mean=float(problem["mean"]),
        standard_deviation=float(problem["std"]),
        policy_type="EBS",
        base_stock_level=[float(s["echelon_base_stock"]) for s in stages],
    )


def main() -> int:
    from stockpyl.sim import simulation  # type: ignore[import-not-found]

    problem = json.load(sys.stdin)
    network = build_serial(problem)
    periods, warmup = int(problem["periods"]), int(problem["warmup"])
    start = time.perf_counter()
    simulation(network, periods, rand_seed=int(problem["seed"]), progress_bar=False)
    seconds = time.perf_counter() - start
    costs = [
        float(sum(node.state_vars[t].total_cost_incurred for node in network.nodes))
        for t in range(warmup, periods)
    ]
    json.dump(
        {
            "seconds": seconds,
            "periods": periods,
            "stages": len(problem["stages"]),
            "mean_cost": sum(costs) / len(costs),
            "period_costs": costs,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

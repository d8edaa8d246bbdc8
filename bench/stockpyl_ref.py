"""Reference run of stockpyl's guaranteed-service tree DP (Snyder & Shen 2019; stockpyl 1.0.2).

Runs inside its own virtual environment (``.venv-stockpyl``, created on demand by
``bench/bench_gsm_tree.py``), so it imports nothing from Tandem. Reads one network as JSON on
stdin and writes ``{"cost": float, "seconds": float, "outbound": {stage: S}}`` to stdout::

    {"service_factor": 1.645,
     "stages": [{"name": "0", "processing_time": 3, "holding_cost": 0.7, "demand_std": 4.2,
                 "max_service_time": 1, "external_inbound_service_time": 0}],
     "arcs": [["0", "1"]]}

Translation to stockpyl's node attributes (``stockpyl.gsm_tree``): ``processing_time`` ->
``processing_time``; ``holding_cost`` -> ``local_holding_cost``; ``demand_std`` -> a normal
``demand_source`` (mean ``10 x std``: the mean does not enter the cost); ``max_service_time`` ->
``external_outbound_cst`` (``None``: stockpyl's ``BIG_INT``); ``external_inbound_service_time`` ->
``external_inbound_cst``; the network's ``z`` -> every node's ``demand_bound_constant``. Arc
quantities must be 1: stockpyl's net demand ``sum_k sigma_k^2`` ignores units per unit.
The timing covers ``optimize_committed_service_times`` only (preprocessing, relabelling and the
DP), not building the network object.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def build_tree(problem: dict[str, Any]) -> Any:
    """A stockpyl ``SupplyChainNetwork`` with the problem's stages as nodes 0..n-1."""
    from stockpyl.supply_chain_network import network_from_edges  # type: ignore[import-not-found]

    stages = problem["stages"]
    index = {s["name"]: i for i, s in enumerate(stages)}
    edges = [(index[arc[0]], index[arc[1]]) for arc in problem["arcs"]]
    order = list(range(len(stages)))
    z = float(problem["service_factor"])
    return network_from_edges(
        edges,
        node_order_in_lists=order,
        processing_time=[int(s["processing_time"]) for s in stages],
        local_holding_cost=[float(s["holding_cost"]) for s in stages],
        demand_bound_constant=z,
        external_inbound_cst=[int(s["external_inbound_service_time"]) for s in stages],
        external_outbound_cst=[
            None if s["max_service_time"] is None else int(s["max_service_time"]) for s in stages
        ],
        demand_type=["N" if s["demand_std"] > 0 else None for s in stages],
        mean=[10.0 * s["demand_std"] if s["demand_std"] > 0 else None for s in stages],
        standard_deviation=[s["demand_std"] if s["demand_std"] > 0 else None for s in stages],
    )


def main() -> int:
    from stockpyl.gsm_tree import optimize_committed_service_times  # type: ignore[import-not-found]

    problem = json.load(sys.stdin)
    if any(len(a) > 2 and a[2] != 1 for a in problem["arcs"]):
        raise SystemExit("stockpyl's GSM tree ignores arc quantities: use quantity 1")
    names = [s["name"] for s in problem["stages"]]
    tree = build_tree(problem)
    start = time.perf_counter()
    cst, cost = optimize_committed_service_times(tree)
    seconds = time.perf_counter() - start
    outbound = {names[int(k)]: int(v) for k, v in cst.items()}
    json.dump({"cost": float(cost), "seconds": seconds, "outbound": outbound}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

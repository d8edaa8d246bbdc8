"""MRP regeneration against net change on a seeded synthetic network.

Run: ``.venv/bin/python bench/bench_mrp.py [--item-sites 10000] [--buckets 52] [--seed 0]`` or
``make bench`` (``python -m bench``).

The network has four BOM levels of equal size at one plant (each parent draws 2–3 components
from the next level), plus, for a tenth of the finished goods, a distribution-centre item-site
replenished by a transfer lane; weekly forecasts on every finished good and distribution-centre
item-site, customer orders in the first eight weeks, a mix of lot-sizing rules, safety stocks and
open orders. The reference in the same run is full regeneration (``plan``); the net change
(``replan``) changes the on-hand stock of 1 % of the item-sites chosen at random; the ratio is
regeneration time / net-change time, ``replanned`` the item-sites the net change re-planned
(the changed ones and everything below them), and the two plans must be equal.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import date

import numpy as np

from tandem.planning.mrp import (
    BOMLine,
    Demand,
    DemandKind,
    ItemSite,
    ItemSiteKey,
    LotSizing,
    LotSizingRule,
    MRPChanges,
    MRPProblem,
    PlanningCalendar,
    ScheduledReceipt,
    SupplyKind,
    TransferLane,
    apply_changes,
    plan,
    replan,
)

LEVELS = 4


def _lot_sizing(rng: np.random.Generator) -> LotSizing:
    draw = rng.random()
    if draw < 0.5:
        return LotSizing()
    if draw < 0.7:
        return LotSizing(LotSizingRule.FIXED_ORDER_QUANTITY, quantity=float(rng.integers(50, 400)))
    if draw < 0.85:
        return LotSizing(LotSizingRule.PERIODS_OF_SUPPLY, periods=int(rng.integers(2, 5)))
    if draw < 0.98:
        return LotSizing(
            LotSizingRule.ECONOMIC_ORDER_QUANTITY,
            ordering_cost=100.0,
            holding_cost=2.0,
            annual_demand=float(rng.integers(1000, 10000)),
            multiple=10.0,
        )
    return LotSizing(LotSizingRule.WAGNER_WHITIN, ordering_cost=200.0, holding_cost=1.0)


def synthetic_problem(item_sites: int, buckets: int, seed: int) -> MRPProblem:
    """A seeded four-level network of about ``item_sites`` item-sites."""
    rng = np.random.default_rng(seed)
    dcs = item_sites // 22  # finished goods also stocked at a distribution centre
    per_level = (item_sites - dcs) // LEVELS
    levels = [[ItemSiteKey(f"L{lv}-{i}", "PLANT") for i in range(per_level)] for lv in range(4)]
    dc_keys = [ItemSiteKey(levels[0][i].item, "DC") for i in range(dcs)]
    sites = tuple(
        ItemSite(
            key.item,
            key.site,
            on_hand=float(rng.integers(0, 300)),
            allocated=float(rng.integers(0, 20)),
            safety_stock=float(rng.integers(0, 50)),
            lead_time=5 * int(rng.integers(1, 4)),
            lot_sizing=_lot_sizing(rng),
        )
        for key in [*(k for level in levels for k in level), *dc_keys]
    )
    bom = tuple(
        BOMLine(parent, levels[lv + 1][int(c)], float(rng.integers(1, 4)))
        for lv in range(LEVELS - 1)
        for parent in levels[lv]
        for c in rng.choice(per_level, size=int(rng.integers(2, 4)), replace=False)
    )
    lanes = tuple(TransferLane(k.item, "PLANT", "DC", 5) for k in dc_keys)
    demanded = [*levels[0], *dc_keys]
    demands = [
        Demand(f"F-{k}-{t}", DemandKind.FORECAST, k, t, float(rng.integers(5, 50)))
        for k in demanded
        for t in range(buckets)
    ]
    demands += [
        Demand(f"SO-{k}-{t}", DemandKind.CUSTOMER_ORDER, k, t, float(rng.integers(1, 60)))
        for k in demanded
        for t in range(8)
        if rng.random() < 0.3
    ]
    receipts = tuple(
        ScheduledReceipt(f"PO-{n}", SupplyKind.PURCHASE, k, int(rng.integers(0, 6)), 100.0)
        for n, k in enumerate(levels[3])
        if rng.random() < 0.3
    )
    calendar = PlanningCalendar.weekly(date(2026, 1, 5), buckets, [date(2026, 4, 3)])
    return MRPProblem(calendar, sites, bom, lanes, tuple(demands), receipts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--item-sites", type=int, default=10_000)
    parser.add_argument("--buckets", type=int, default=52)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--share", type=float, default=0.01)
    args = parser.parse_args([] if argv is None else argv)
    problem = synthetic_problem(args.item_sites, args.buckets, args.seed)
    rng = np.random.default_rng(args.seed + 1)
    count = max(1, int(args.share * len(problem.item_sites)))
    picked = rng.choice(len(problem.item_sites), size=count, replace=False)
    changes = MRPChanges(
        item_sites=tuple(
            replace(problem.item_sites[int(i)], on_hand=float(rng.integers(0, 300))) for i in picked
        )
    )
    start = time.perf_counter()
    full = plan(problem)
    regeneration = time.perf_counter() - start
    start = time.perf_counter()
    net = replan(full, changes)
    net_change = time.perf_counter() - start
    changed, _ = apply_changes(problem, changes)
    agree = net == plan(changed)
    orders = len(net.planned_orders)
    reused = {id(p) for p in full.item_sites}
    replanned = sum(id(p) not in reused for p in net.item_sites)
    print(
        f"{'item_sites':>10} {'buckets':>7} {'bom_lines':>9} {'demands':>8} {'orders':>7}"
        f" {'changed':>7} {'replanned':>9} {'regen_s':>8} {'net_s':>8} {'ratio':>6} {'agree':>6}"
    )
    print(
        f"{len(problem.item_sites):>10} {args.buckets:>7} {len(problem.bom):>9}"
        f" {len(problem.demands):>8} {orders:>7} {count:>7} {replanned:>9} {regeneration:>8.2f}"
        f" {net_change:>8.2f} {regeneration / net_change:>6.1f} {agree!s:>6}"
    )
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A serial chain built as a SupplyNetwork is the SerialSupplyChain, bit for bit.

Same stages, same seed: the network draws demand and lead times in the serial engine's order
and does the same arithmetic, so every trajectory and every statistic must be identical.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pytest

from tandem.planning.simulation import (
    AnchorAndAdjust,
    Arc,
    BaseStock,
    DemandProcess,
    ExponentialSmoothing,
    ForwardBuying,
    InformationMode,
    InventoryView,
    MinMax,
    MovingAverage,
    NormalDemand,
    OrderUpTo,
    PoissonDemand,
    ReorderPoint,
    SerialSupplyChain,
    Shortage,
    Stage,
    StochasticLeadTime,
    SupplyNetwork,
)

TRAJECTORIES = ("orders", "incoming", "on_hand", "in_transit", "backlog", "lost")


def _assert_same_run(
    stages: Sequence[Stage],
    demand: DemandProcess,
    information: InformationMode = InformationMode.TRADITIONAL,
    *,
    periods: int = 120,
    replications: int = 6,
    warmup: int = 10,
) -> None:
    serial = SerialSupplyChain(
        stages,
        demand,
        information=information,
        periods=periods,
        replications=replications,
        warmup=warmup,
        seed=5,
    ).run()
    arcs = [Arc(up.name, down.name) for down, up in itertools.pairwise(stages)]
    network = SupplyNetwork(
        stages,
        arcs,
        {stages[0].name: demand},
        information=information,
        periods=periods,
        replications=replications,
        warmup=warmup,
        seed=5,
    ).run()
    np.testing.assert_array_equal(network.demand[stages[0].name], serial.demand)
    for chain_stage, node in zip(serial.stages, network.nodes, strict=True):
        for name in TRAJECTORIES:
            np.testing.assert_array_equal(getattr(node, name), getattr(chain_stage, name), name)
        np.testing.assert_array_equal(node.served_demand, serial.demand)
        pairs = [
            (node.variance_ratio.value, chain_stage.variance_ratio),
            (node.fill_rate.value, chain_stage.fill_rate),
            (node.cycle_service_level.value, chain_stage.cycle_service_level),
            (node.mean_on_hand.value, chain_stage.mean_on_hand),
            (node.mean_backlog.value, chain_stage.mean_backlog),
            (node.mean_lost_sales.value, chain_stage.mean_lost_sales),
            (node.holding_cost.value, chain_stage.holding_cost),
            (node.cost.value, chain_stage.cost),
        ]
        for mine, theirs in pairs:
            assert mine == theirs or (np.isnan(mine) and np.isnan(theirs))
    assert network.total_cost.value == pytest.approx(serial.total_cost, rel=1e-12)


def _stages(policies: Sequence[object], **options: object) -> list[Stage]:
    return [
        Stage(f"s{k}", p, holding_cost=1.0 + k, shortage_cost=9.0, **options)  # type: ignore[arg-type]
        for k, p in enumerate(policies)
    ]


def test_base_stock_chain_with_initial_stock_matches() -> None:
    stages = _stages([BaseStock(60.0), BaseStock(45.0), BaseStock(50.0)], lead_time=2)
    _assert_same_run(stages, PoissonDemand(20.0))


def test_forecasting_order_up_to_policies_match_in_traditional_mode() -> None:
    policies = [
        OrderUpTo(MovingAverage(4), 1.0),
        OrderUpTo(ExponentialSmoothing(0.3), 0.5),
        OrderUpTo(MovingAverage(2)),
    ]
    _assert_same_run(_stages(policies, lead_time=2), NormalDemand(100.0, 15.0))


def test_echelon_policies_with_shared_information_match() -> None:
    echelon = InventoryView.ECHELON
    policies = [
        OrderUpTo(ExponentialSmoothing(0.3), 1.0, view=echelon),
        BaseStock(130.0, view=echelon),
        OrderUpTo(MovingAverage(3), 1.5, view=echelon),
        BaseStock(400.0, view=echelon),
    ]
    stages = _stages(policies, lead_time=2, pipeline_holding_cost=0.5)
    _assert_same_run(stages, NormalDemand(30.0, 6.0), InformationMode.SHARED)


def test_min_max_reorder_point_and_sterman_with_lost_sales_match() -> None:
    policies = [
        MinMax(30.0, 90.0),
        ReorderPoint(40.0, 25.0),
        AnchorAndAdjust(0.36, 0.26, 0.34, 60.0),
    ]
    stages = _stages(policies, lead_time=2, shortage=Shortage.LOST_SALES, initial_inventory=20.0)
    _assert_same_run(stages, PoissonDemand(20.0))


def test_stochastic_lead_times_capacity_review_and_batching_match() -> None:
    lead_time = StochasticLeadTime((1, 2, 4), (0.25, 0.5, 0.25))
    stages = [
        Stage("r", OrderUpTo(ExponentialSmoothing(0.2), 1.0), lead_time=lead_time, review_period=2),
        Stage("w", BaseStock(90.0), lead_time=3, supply_capacity=24.0, batch_size=10.0),
        Stage("f", BaseStock(80.0), lead_time=lead_time, supply_capacity=26.0),
    ]
    _assert_same_run(stages, PoissonDemand(20.0), periods=200)


def test_forward_buying_matches() -> None:
    deal = ForwardBuying(prices=(1.0, 1.0, 1.0, 0.9), cover_periods=2.0)
    stages = [
        Stage("r", OrderUpTo(ExponentialSmoothing(0.2), 1.0), 2, forward_buying=deal),
        Stage("w", OrderUpTo(MovingAverage(4), 1.0), 2, initial_inventory=30.0),
    ]
    _assert_same_run(stages, PoissonDemand(20.0), InformationMode.SHARED)


def test_a_single_stage_network_is_a_single_stage_chain() -> None:
    stage = Stage("shop", BaseStock(130.0), lead_time=1, holding_cost=1, shortage_cost=9)
    _assert_same_run([stage], NormalDemand(100.0, 20.0), periods=300, replications=3)

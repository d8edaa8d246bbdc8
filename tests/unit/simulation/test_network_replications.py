"""Per-replication figures of SupplyNetwork results: against a naive loop over the trajectories,
and pooled back into the engine's Estimates."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.simulation import (
    Allocation,
    Arc,
    BaseStock,
    Estimate,
    NetworkResult,
    NodeResult,
    NormalDemand,
    Stage,
    SupplyNetwork,
)


def _run(seed: int, warmup: int, replications: int = 5) -> NetworkResult:
    """A DC feeding two retailers (one arc capacitated, one with transport cost) and a kit
    assembled from the DC's item, with demand at the retailers and the kit."""
    nodes = [
        Stage("dc", BaseStock(140.0), lead_time=2, holding_cost=0.5, pipeline_holding_cost=0.1),
        Stage("r1", BaseStock(40.0), holding_cost=1.0, shortage_cost=9.0),
        Stage("r2", BaseStock(35.0), holding_cost=1.0, shortage_cost=4.0),
        Stage("kit", BaseStock(25.0), holding_cost=2.0, shortage_cost=9.0),
    ]
    arcs = [
        Arc("dc", "r1", capacity=24.0),
        Arc("dc", "r2", transport_cost=0.3),
        Arc("dc", "kit", quantity=2.0),
    ]
    demand = {
        "r1": NormalDemand(20.0, 6.0, clip_at_zero=True),
        "r2": NormalDemand(15.0, 5.0, clip_at_zero=True),
        "kit": NormalDemand(5.0, 2.0, clip_at_zero=True),
    }
    network = SupplyNetwork(
        nodes,
        arcs,
        demand,
        allocation=Allocation.FIFO,
        periods=50,
        replications=replications,
        warmup=warmup,
        seed=seed,
    )
    return network.run()


def _naive_variance(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16), warmup=st.integers(0, 20))
def test_per_replication_figures_match_a_naive_loop_over_the_trajectories(
    seed: int, warmup: int
) -> None:
    result = _run(seed, warmup)
    for node in result.nodes:
        r = node.per_replication
        for i in range(5):
            orders = [float(x) for x in node.orders[i, warmup:]]
            served = [float(x) for x in node.served_demand[i, warmup:]]
            claimed = sum(max(float(x), 0.0) for x in node.incoming[i, warmup:])
            on_hand = [float(x) for x in node.on_hand[i, warmup:]]
            backlog = [float(x) for x in node.backlog[i, warmup:]]
            assert r.order_variance[i] == pytest.approx(_naive_variance(orders), rel=1e-9)
            assert r.demand_variance[i] == pytest.approx(_naive_variance(served), rel=1e-9)
            assert r.claimed[i] == pytest.approx(claimed, rel=1e-12)
            assert 0.0 <= r.filled[i] <= r.claimed[i] + 1e-9
            assert r.mean_on_hand[i] == pytest.approx(sum(on_hand) / len(on_hand), rel=1e-12)
            assert r.mean_backlog[i] == pytest.approx(sum(backlog) / len(backlog), abs=1e-12)
            stockouts = sum(1 for b in backlog if b > 1e-9)
            assert r.cycle_service_level[i] == pytest.approx(1 - stockouts / len(backlog))
        assert r.cost == pytest.approx(r.holding_cost + r.shortage_cost + r.transport_cost)
    total = sum(n.per_replication.cost for n in result.nodes)
    np.testing.assert_allclose(result.per_replication.total_cost, total, rtol=1e-12)
    customers = sum(d[:, warmup:].mean(axis=1) for d in result.demand.values())
    np.testing.assert_allclose(result.per_replication.customer_demand, customers, rtol=1e-12)


def _pooled(node: NodeResult) -> dict[str, float]:
    r = node.per_replication
    return {
        "fill_rate": float(r.filled.sum() / r.claimed.sum()),
        "variance_ratio": float(r.order_variance.sum() / r.demand_variance.sum()),
        "mean_on_hand": float(r.mean_on_hand.mean()),
        "mean_backlog": float(r.mean_backlog.mean()),
        "mean_components": float(r.mean_components.mean()),
        "transport_cost": float(r.transport_cost.mean()),
        "cost": float(r.cost.mean()),
    }


def test_the_parts_pool_back_into_the_engines_estimates() -> None:
    result = _run(seed=8, warmup=10)
    for node in result.nodes:
        for figure, value in _pooled(node).items():
            assert getattr(node, figure).value == pytest.approx(value, rel=1e-12), figure
        # the half-widths are those of the per-replication values themselves
        r = node.per_replication
        assert node.mean_on_hand == Estimate.of(node.mean_on_hand.value, r.mean_on_hand)
        assert node.cost == Estimate.of(node.cost.value, r.cost)
        assert node.fill_rate == Estimate.of(node.fill_rate.value, r.filled / r.claimed)
    parts = result.per_replication
    assert result.total_cost.value == pytest.approx(parts.total_cost.mean(), rel=1e-12)
    assert result.total_cost == Estimate.of(result.total_cost.value, parts.total_cost)
    per_unit = parts.total_cost.mean() / parts.customer_demand.mean()
    assert result.cost_per_unit.value == pytest.approx(per_unit, rel=1e-12)
    assert result.node("kit").per_replication.mean_components.shape == (5,)


def test_per_replication_arrays_are_read_only() -> None:
    parts = _run(seed=1, warmup=0, replications=2).node("r1").per_replication
    with pytest.raises(ValueError, match="read-only"):
        parts.filled[0] = 0.0

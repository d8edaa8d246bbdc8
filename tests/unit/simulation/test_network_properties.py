"""Conservation and reproducibility of SupplyNetwork on small random networks (Hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.planning.simulation import (
    Allocation,
    Arc,
    BaseStock,
    LeadTime,
    NetworkResult,
    PoissonDemand,
    Shortage,
    Stage,
    StochasticLeadTime,
    SupplyNetwork,
)

ATOL = 1e-9  # float round-off over a few dozen additions of quantities below 1,000


@st.composite
def networks(draw: st.DrawFn) -> SupplyNetwork:
    """2-5 nodes; node i is supplied by some earlier nodes (assembly when several)."""
    size = draw(st.integers(2, 5))
    arcs: list[Arc] = []
    for i in range(1, size):
        suppliers = draw(st.sets(st.integers(0, i - 1), max_size=2))
        for j in sorted(suppliers):
            leads: list[LeadTime] = [0, 1, 2, 3, StochasticLeadTime((1, 3), (0.5, 0.5))]
            lead = draw(st.sampled_from(leads))
            arcs.append(
                Arc(
                    f"n{j}",
                    f"n{i}",
                    quantity=draw(st.sampled_from([1.0, 2.0])),
                    lead_time=lead,
                    capacity=draw(st.sampled_from([None, 15.0])),
                    transport_cost=0.5,
                )
            )
    has_customers = {a.supplier for a in arcs}
    same_period = {a.customer for a in arcs if a.lead_time == 0}
    nodes = []
    demand: dict[str, PoissonDemand] = {}
    for i in range(size):
        name = f"n{i}"
        lost = name not in same_period and draw(st.booleans())
        nodes.append(
            Stage(
                name,
                BaseStock(float(draw(st.integers(0, 60)))),
                lead_time=draw(st.integers(1, 3)),
                holding_cost=1.0,
                shortage_cost=4.0,
                shortage=Shortage.LOST_SALES if lost else Shortage.BACKORDER,
                supply_capacity=draw(st.sampled_from([None, 12.0])),
                initial_inventory=float(draw(st.integers(0, 20))),
            )
        )
        if name not in has_customers or draw(st.booleans()):
            demand[name] = PoissonDemand(float(draw(st.integers(1, 10))))
    return SupplyNetwork(
        nodes,
        arcs,
        demand,
        allocation=draw(st.sampled_from(list(Allocation))),
        periods=25,
        replications=3,
        seed=draw(st.integers(0, 1000)),
    )


def _lagged(path: np.ndarray, first: float | np.ndarray) -> np.ndarray:
    """The path one period earlier, ``first`` before period 0."""
    out = np.empty_like(path)
    out[:, 0] = first
    out[:, 1:] = path[:, :-1]
    return out


def _check_conservation(network: SupplyNetwork, result: NetworkResult) -> None:
    for stage, node in zip(network.nodes, result.nodes, strict=True):
        for path in (node.on_hand, node.backlog, node.lost, node.in_transit, node.components):
            assert path.min() >= -ATOL
        # Stock on hand changes only by what is received (arrivals, kits) and shipped.
        np.testing.assert_allclose(
            node.on_hand - _lagged(node.on_hand, stage.initial_inventory),
            node.received - node.shipped,
            atol=ATOL,
        )
        # Every unit claimed is shipped, backlogged or lost.
        np.testing.assert_allclose(
            node.shipped,
            node.incoming + _lagged(node.backlog, 0.0) - node.backlog - node.lost,
            atol=ATOL,
        )
        inbound = [a for a in network.arcs if a.customer == stage.name]
        outbound = [a for a in network.arcs if a.supplier == stage.name]
        # What suppliers send is in transit, in the kit buffer, or consumed into kits.
        sent = sum((result.arc_shipments[(a.supplier, a.customer)] for a in inbound), node.supplied)
        per_kit = sum(a.quantity for a in inbound) if inbound else 1.0
        stocked = node.in_transit + node.components
        change = stocked[:, 1:] - stocked[:, :-1] + per_kit * node.received[:, 1:]
        np.testing.assert_allclose(sent[:, 1:], change, atol=ATOL)
        if stage.name not in result.demand:
            shipped_on_arcs = sum(result.arc_shipments[(a.supplier, a.customer)] for a in outbound)
            np.testing.assert_allclose(node.shipped, shipped_on_arcs, atol=ATOL)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_random_networks_neither_create_nor_lose_stock(network: SupplyNetwork) -> None:
    _check_conservation(network, network.run())


@settings(max_examples=15, deadline=None)
@given(networks())
def test_the_same_seed_reproduces_a_network_run_exactly(network: SupplyNetwork) -> None:
    first, second = network.run(), network.run()
    for a, b in zip(first.nodes, second.nodes, strict=True):
        for name in ("orders", "on_hand", "backlog", "lost", "shipped", "components"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert first.total_cost == second.total_cost

"""Assembly and distribution in SupplyNetwork, checked period by period by hand."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from tandem.planning.simulation import (
    Allocation,
    Arc,
    BaseStock,
    InventoryView,
    NormalDemand,
    PoissonDemand,
    ReplayDemand,
    Shortage,
    Stage,
    SupplyNetwork,
)
from tandem.planning.simulation import network as network_module


def _empty_stage(
    name: str,
    policy: BaseStock,
    holding_cost: float,
    *,
    shortage_cost: float = 0.0,
    initial_inventory: float = 0.0,
    supply_capacity: float | None = None,
) -> Stage:
    """A stage with lead time 1 and nothing in its pipeline at the start."""
    return Stage(
        name,
        policy,
        lead_time=1,
        holding_cost=holding_cost,
        shortage_cost=shortage_cost,
        initial_inventory=initial_inventory,
        supply_capacity=supply_capacity,
        initial_pipeline=0.0,
    )


def _kit_network() -> SupplyNetwork:
    """A kit of 1 a + 2 b; b's outside supply gives 12 a period, the kit needs 20."""
    nodes = [
        _empty_stage("kit", BaseStock(20.0), 1.0, shortage_cost=5.0, initial_inventory=20.0),
        _empty_stage("a", BaseStock(10.0), 0.5, initial_inventory=10.0),
        _empty_stage("b", BaseStock(20.0), 0.0, supply_capacity=12.0, initial_inventory=20.0),
    ]
    arcs = [Arc("a", "kit"), Arc("b", "kit", quantity=2.0)]
    return SupplyNetwork(nodes, arcs, {"kit": ReplayDemand([10.0] * 6)}, periods=6)


def test_the_scarce_component_decides_how_many_kits_are_assembled() -> None:
    # Kit orders 10 a period (its position stays at 20): claims of 10 a and 20 b.
    # t0: kit ships 10 from its 20; a ships 10, b ships 20 (arrive t1); b's source releases 12 of
    #     20 (8 owed).
    # t1: buffers a 10, b 20 -> 10 kits; kit ships 10 (on hand 10). b has 12: ships 12, owes 8.
    # t2: buffers a 10, b 12 -> min(10/1, 12/2) = 6 kits, a 4 left; kit on hand 10+6-10 = 6.
    #     Kit position 6 + min(4/1, (0 + owed 8)/2) = 10: it orders 10 again.
    # t3: a 4+10, b 12 -> 6 kits, a 8 left; on hand 2.  t4: 6 kits, a 12 left; 8 on hand
    #     against 10: 2 backlogged.  t5: 6 kits against 2 + 10: 6 backlogged, a 16 left.
    result = _kit_network().run()
    kit, a, b = result.nodes
    np.testing.assert_array_equal(kit.orders, [[10.0] * 6])
    np.testing.assert_array_equal(kit.received, [[0.0, 10.0, 6.0, 6.0, 6.0, 6.0]])
    np.testing.assert_array_equal(kit.on_hand, [[10.0, 10.0, 6.0, 2.0, 0.0, 0.0]])
    np.testing.assert_array_equal(kit.backlog, [[0.0, 0.0, 0.0, 0.0, 2.0, 6.0]])
    np.testing.assert_array_equal(kit.components, [[0.0, 0.0, 4.0, 8.0, 12.0, 16.0]])
    np.testing.assert_array_equal(kit.in_transit, [[30.0, 22.0, 22.0, 22.0, 22.0, 22.0]])
    np.testing.assert_array_equal(b.backlog, [[0.0, 8.0, 16.0, 24.0, 32.0, 40.0]])
    np.testing.assert_array_equal(b.supplied, [[12.0] * 6])
    np.testing.assert_array_equal(a.orders, [[10.0] * 6])
    np.testing.assert_array_equal(b.orders, [[20.0] * 6])
    # Filled at once: 10, 10, 10, 10, 8, then 6 shipped against 2 owed -> 4 of the new 10.
    assert kit.fill_rate.value == pytest.approx(52.0 / 60.0, abs=1e-15)
    assert kit.cycle_service_level.value == pytest.approx(4.0 / 6.0, abs=1e-15)
    assert kit.mean_components.value == pytest.approx(40.0 / 6.0, abs=1e-12)
    # On hand 28/6 at 1.0; leftover a components 40/6 at a's holding cost 0.5.
    assert kit.holding_cost.value == pytest.approx(28.0 / 6.0 + 0.5 * 40.0 / 6.0, abs=1e-12)
    assert kit.shortage_cost.value == pytest.approx(5.0 * 8.0 / 6.0, abs=1e-12)


def _rationing_network(
    allocation: Allocation, capacity: float | None = None
) -> tuple[SupplyNetwork, list[str]]:
    names = ["r1", "r2", "r3"]
    nodes = [_empty_stage("w", BaseStock(25.0), 0.0, initial_inventory=20.0)]
    nodes += [_empty_stage(n, BaseStock(0.0), 0.0, shortage_cost=1.0) for n in names]
    arcs = [Arc("w", "r1", capacity=capacity), Arc("w", "r2"), Arc("w", "r3")]
    demand = {
        "r1": ReplayDemand([0.0, 10.0]),
        "r2": ReplayDemand([0.0, 20.0]),
        "r3": ReplayDemand([30.0, 30.0]),
    }
    return SupplyNetwork(nodes, arcs, demand, allocation=allocation, periods=2), names


@pytest.mark.parametrize(
    ("allocation", "capacity", "expected"),
    [
        # Claims (owed + new) 10, 20, 40 = 70 against 35: half of each.
        (Allocation.PROPORTIONAL, None, [5.0, 10.0, 20.0]),
        # r1, r2 in full, r3 the 5 left.
        (Allocation.PRIORITY, None, [10.0, 20.0, 5.0]),
        # r1 capped at 3 by its arc: 3, 20, 12.
        (Allocation.PRIORITY, 3.0, [3.0, 20.0, 12.0]),
        # r3's 10 from period 0 first, then 25 split 10:20:30 over period 1's claims.
        (Allocation.FIFO, None, [25.0 / 6.0, 50.0 / 6.0, 10.0 + 12.5]),
    ],
)
def test_a_warehouse_rations_scarce_stock_by_its_rule(
    allocation: Allocation, capacity: float | None, expected: list[float]
) -> None:
    # t0: only r3 orders (30); the warehouse has 20: ships 20, owes 10, and orders 25 - (-10)
    #     = 35, which arrives in t1. t1: r1, r2, r3 order 10, 20, 30 (r3's position is
    #     -20 owed to customers + 10 owed to it = -10... plus its 20 shipped: it orders 30).
    network, names = _rationing_network(allocation, capacity)
    result = network.run()
    shipped_t0 = [result.arc_shipments[("w", n)][0, 0] for n in names]
    shipped_t1 = [result.arc_shipments[("w", n)][0, 1] for n in names]
    assert shipped_t0 == [0.0, 0.0, 20.0]
    assert shipped_t1 == pytest.approx(expected, abs=1e-12)
    np.testing.assert_array_equal(result.node("r3").orders, [[30.0, 30.0]])
    np.testing.assert_array_equal(result.node("w").backlog, [[10.0, 35.0]])
    np.testing.assert_array_equal(result.node("w").received, [[0.0, 35.0]])


def test_invalid_networks_are_rejected_with_the_reason() -> None:
    shop = Stage("shop", BaseStock(10.0))
    dc = Stage("dc", BaseStock(10.0))
    demand = {"shop": PoissonDemand(5.0)}
    with pytest.raises(ValueError, match="cycle"):
        SupplyNetwork([shop, dc], [Arc("dc", "shop"), Arc("shop", "dc")], demand)
    with pytest.raises(ValueError, match="unknown node"):
        SupplyNetwork([shop], [Arc("dc", "shop")], demand)
    with pytest.raises(ValueError, match="neither customers nor end-customer demand"):
        SupplyNetwork([shop, dc], [], demand)
    echelon = Stage("shop", BaseStock(10.0, view=InventoryView.ECHELON))
    with pytest.raises(ValueError, match="echelon policy needs SHARED"):
        SupplyNetwork([echelon], [], demand)
    lost = Stage("shop", BaseStock(10.0), shortage=Shortage.LOST_SALES)
    with pytest.raises(ValueError, match="same-period supply needs backorders"):
        SupplyNetwork([lost, dc], [Arc("dc", "shop", lead_time=0)], demand)
    with pytest.raises(ValueError, match="one row per demand node"):
        SupplyNetwork([shop], [], demand, correlation=[[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="unit diagonal"):
        SupplyNetwork([shop], [], demand, correlation=[[0.5]])
    with pytest.raises(ValueError, match="NormalDemand"):
        SupplyNetwork([shop], [], demand, correlation=[[1.0]])
    two = {"shop": NormalDemand(5.0, 1.0), "dc": NormalDemand(1.0, 1.0)}
    with pytest.raises(ValueError, match="its demand must be non-negative"):
        SupplyNetwork([shop, dc], [Arc("dc", "shop")], two, periods=400, seed=0).run()


def test_docstring_examples_of_the_network_hold() -> None:
    outcome = doctest.testmod(network_module, optionflags=doctest.ELLIPSIS)
    assert outcome.failed == 0
    assert outcome.attempted >= 3

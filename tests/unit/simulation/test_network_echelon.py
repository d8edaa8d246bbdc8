"""Echelon positions and shared information on a distribution network."""

from __future__ import annotations

import numpy as np

from tandem.planning.simulation import (
    Arc,
    BaseStock,
    ExponentialSmoothing,
    InformationMode,
    InventoryView,
    OrderUpTo,
    PoissonDemand,
    Stage,
    SupplyNetwork,
)


def _distribution(
    warehouse: BaseStock | OrderUpTo, information: InformationMode, forecasting_shops: bool = False
) -> SupplyNetwork:
    nodes = [Stage("dc", warehouse, lead_time=3)]
    # Each shop starts at its level: 15 on hand and two periods of mean demand inbound.
    nodes += [
        Stage(
            f"shop {k}",
            OrderUpTo(ExponentialSmoothing(0.3), 1.0)
            if forecasting_shops
            else BaseStock(2 * (5.0 + 5.0 * k) + 15.0),
            2,
            initial_inventory=15.0,
        )
        for k in range(3)
    ]
    arcs = [Arc("dc", f"shop {k}") for k in range(3)]
    demand = {f"shop {k}": PoissonDemand(5.0 + 5.0 * k) for k in range(3)}
    return SupplyNetwork(
        nodes, arcs, demand, information=information, periods=150, replications=4, seed=8
    )


def test_an_echelon_base_stock_warehouse_holds_its_echelon_position_at_the_level() -> None:
    # The echelon of the DC is all stock at and below it: after its order, on hand + inbound
    # at the DC plus, at every shop, on hand - backlog + inbound equals the level (Clark & Scarf;
    # the DC's backlog to the shops is internal and cancels).
    level = BaseStock(200.0, view=InventoryView.ECHELON)
    result = _distribution(level, InformationMode.SHARED).run()
    dc, shops = result.nodes[0], result.nodes[1:]
    echelon = dc.on_hand + dc.in_transit
    for shop in shops:
        echelon = echelon + shop.on_hand - shop.backlog + shop.in_transit
    np.testing.assert_allclose(echelon, 200.0, rtol=0, atol=1e-9)
    # The shops' shortages reach the DC only through its echelon: it orders what customers took.
    total = sum(result.demand[f"shop {k}"] for k in range(3))
    np.testing.assert_array_equal(dc.served_demand, total)
    np.testing.assert_allclose(dc.orders[:, 1:], total[:, 1:], atol=1e-9)


def test_shared_information_forecasts_from_customer_demand_not_from_orders() -> None:
    # Traditional: the DC smooths the shops' orders; shared: the summed customer demand. The
    # shops start at their base-stock levels, so their orders are the demand: both modes see
    # the same signal and the DC orders alike (and amplifies it).
    policy = OrderUpTo(ExponentialSmoothing(0.3), 1.0)
    traditional = _distribution(policy, InformationMode.TRADITIONAL).run()
    shared = _distribution(policy, InformationMode.SHARED).run()
    np.testing.assert_allclose(traditional.nodes[0].orders, shared.nodes[0].orders, atol=1e-9)
    assert traditional.nodes[0].variance_ratio.value > 1.5
    # Forecasting shops amplify their orders: only the traditional DC sees (and amplifies) that.
    traditional = _distribution(policy, InformationMode.TRADITIONAL, True).run()
    shared = _distribution(policy, InformationMode.SHARED, True).run()
    shop_ratio = traditional.nodes[1].variance_ratio.value
    assert shared.nodes[1].variance_ratio.value == shop_ratio
    assert traditional.nodes[0].variance_ratio.value > 1.5 * shared.nodes[0].variance_ratio.value

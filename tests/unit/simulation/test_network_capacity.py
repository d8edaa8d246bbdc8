"""Capacity schedules of SupplyNetwork: outages and temporary limits, checked period by period."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.simulation import (
    Allocation,
    Arc,
    BaseStock,
    NetworkResult,
    NormalDemand,
    ReplayDemand,
    Shortage,
    Stage,
    StochasticLeadTime,
    SupplyNetwork,
    network_capacity,
)
from tandem.planning.simulation.network import CapacitySchedule

PERIODS = 12


def _pair(store_shortage: Shortage = Shortage.BACKORDER, replications: int = 1) -> SupplyNetwork:
    """A DC (base stock 100, 100 on hand) feeding a store (base stock 20, 20 on hand, nothing
    in its pipeline), lead times 1, store demand 10 every period.

    Without a schedule the store ships 10, ends each period with 10 and orders 10; the DC
    ships it at once (arrives next period)."""
    nodes = [
        Stage("dc", BaseStock(100.0), lead_time=1, initial_inventory=100.0),
        Stage(
            "store",
            BaseStock(20.0),
            initial_inventory=20.0,
            initial_pipeline=0.0,
            shortage=store_shortage,
        ),
    ]
    demand = {"store": ReplayDemand([10.0] * PERIODS)}
    return SupplyNetwork(
        nodes, [Arc("dc", "store")], demand, periods=PERIODS, replications=replications
    )


def _window(first: int, last: int, value: float = 0.0) -> np.ndarray:
    values = np.full(PERIODS, np.inf)
    values[first : last + 1] = value
    return values


def test_a_lane_down_for_periods_5_to_7_gives_the_exact_backlog_path() -> None:
    # t5: the store receives 10 (shipped t4), ships 10, ends with 10 and orders 10: the lane
    #     is down, the DC owes it 10. t6: nothing arrives, the store ships its 10 (0 left),
    #     orders 10 (position 0 + owed 10 = 10); owed 20. t7: nothing on hand, backlog 10;
    #     position -10 + 20 -> orders 10; owed 30. t8: the lane is open but nothing has
    #     arrived yet: backlog 10 + 10 = 20; orders 10, the DC ships 30 + 10 = 40.
    #     t9: 40 arrive, the store ships 20 + 10 = 30 and ends with 10 again.
    lane = CapacitySchedule(arcs={("dc", "store"): _window(5, 7)})
    result = _pair().run(lane)
    store = result.node("store")
    np.testing.assert_array_equal(store.backlog[0], [0] * 7 + [10, 20] + [0] * 3)
    np.testing.assert_array_equal(store.on_hand[0], [10] * 6 + [0, 0, 0] + [10] * 3)
    shipped = result.arc_shipments[("dc", "store")][0]
    np.testing.assert_array_equal(shipped, [10] * 5 + [0, 0, 0, 40] + [10] * 3)
    # 120 units claimed, those of t7 and t8 not shipped in their period
    parts = store.per_replication
    assert (parts.filled[0], parts.claimed[0]) == (100.0, 120.0)
    assert store.mean_backlog.value == pytest.approx(30 / 12)


def test_a_closed_outside_source_keeps_the_order_owed_and_releases_it_on_reopening() -> None:
    # The DC's initial pipeline (10) arrives at t0: 110 on hand, ships 10, position 100,
    # orders 0. From t1 it orders 10 a period; closed on t2 and t3 its orders stay owed
    # (10, 20) and t4 releases 30.
    intake = CapacitySchedule(intake={"dc": _window(2, 3)})
    dc = _pair().run(intake).node("dc")
    np.testing.assert_array_equal(dc.supplied[0], [0, 10, 0, 0, 30] + [10] * 7)
    np.testing.assert_array_equal(dc.on_hand[0], [100, 90, 90, 80, 70] + [90] * 7)


def test_a_store_closed_to_its_customers_loses_those_sales() -> None:
    # Lost sales: on t3 and t4 the store sells nothing (10 lost each), keeps its 20 and, at
    # its level, orders nothing; t5 it sells 10 again and orders 10.
    sales = CapacitySchedule(sales={"store": _window(3, 4)})
    store = _pair(Shortage.LOST_SALES).run(sales).node("store")
    np.testing.assert_array_equal(store.lost[0], [0, 0, 0, 10, 10] + [0] * 7)
    np.testing.assert_array_equal(store.on_hand[0], [10, 10, 10, 20, 20] + [10] * 7)
    np.testing.assert_array_equal(store.orders[0], [10, 10, 10, 0, 0] + [10] * 7)


def test_a_reduced_capacity_in_a_window_ships_at_most_it_and_the_rest_later() -> None:
    # 4 a period on t5-t7: the DC owes 6, 12, 18 after them, and ships 18 + 10 on t8.
    reduced = CapacitySchedule(arcs={("dc", "store"): _window(5, 7, 4.0)})
    shipped = _pair().run(reduced).arc_shipments[("dc", "store")][0]
    np.testing.assert_array_equal(shipped, [10] * 5 + [4, 4, 4, 28] + [10] * 3)


def _network(seed: int) -> SupplyNetwork:
    """Distribution with capacities, stochastic lead times and an assembly."""
    lead = StochasticLeadTime((1, 2, 3), (0.3, 0.5, 0.2))
    nodes = [
        Stage("kit", BaseStock(90.0), lead_time=1, holding_cost=1.0, shortage_cost=9.0),
        Stage("a", BaseStock(80.0), lead_time=lead, holding_cost=0.5, supply_capacity=45.0),
        Stage("b", BaseStock(160.0), lead_time=2, holding_cost=0.2),
        Stage("r1", BaseStock(50.0), holding_cost=1.0, shortage_cost=9.0),
        Stage("r2", BaseStock(50.0), holding_cost=1.0, shortage_cost=9.0),
    ]
    arcs = [
        Arc("a", "kit"),
        Arc("b", "kit", quantity=2.0, capacity=70.0),
        Arc("kit", "r1", capacity=30.0),
        Arc("kit", "r2", lead_time=lead),
    ]
    demand = {
        "kit": NormalDemand(5.0, 2.0, clip_at_zero=True),
        "r1": NormalDemand(20.0, 6.0, clip_at_zero=True),
        "r2": NormalDemand(15.0, 5.0, clip_at_zero=True),
    }
    return SupplyNetwork(
        nodes,
        arcs,
        demand,
        allocation={"kit": Allocation.FIFO},
        periods=60,
        replications=4,
        warmup=5,
        seed=seed,
    )


PATHS = ("orders", "incoming", "on_hand", "backlog", "lost", "received", "shipped", "supplied")


def _assert_identical(mine: NetworkResult, theirs: NetworkResult) -> None:
    for a, b in zip(mine.nodes, theirs.nodes, strict=True):
        for path in (*PATHS, "components"):
            np.testing.assert_array_equal(getattr(a, path), getattr(b, path))
        assert (a.cost, a.fill_rate, a.mean_backlog) == (b.cost, b.fill_rate, b.mean_backlog)
    for pair, shipped in mine.arc_shipments.items():
        np.testing.assert_array_equal(shipped, theirs.arc_shipments[pair])
    assert mine.total_cost == theirs.total_cost


def test_a_schedule_of_infinity_only_is_no_schedule_bit_for_bit() -> None:
    network = _network(seed=3)
    unlimited = CapacitySchedule(
        arcs={(a.supplier, a.customer): np.full(60, np.inf) for a in network.arcs},
        intake=dict.fromkeys(("kit", "a", "b", "r1", "r2"), np.inf),
        sales={name: np.full(80, np.inf) for name in network.demand},  # longer: the rest unused
    )
    _assert_identical(network.run(unlimited), network.run())


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    slack=st.floats(0.0, 50.0),
    unlimited_b=st.booleans(),
)
def test_schedules_at_or_above_the_static_capacities_change_nothing(
    seed: int, slack: float, unlimited_b: bool
) -> None:
    # The period's capacity is min(static, schedule): a schedule at or above the static
    # capacity of a capacitated channel binds nowhere, whatever the draws.
    network = _network(seed)
    loose = CapacitySchedule(
        arcs={("b", "kit"): 70.0 + slack, ("kit", "r1"): np.full(60, 30.0 + slack)},
        intake={"a": 45.0 + slack} | ({"b": np.inf} if unlimited_b else {}),
    )
    _assert_identical(network.run(loose), network.run())


def test_intake_caps_every_inbound_arc_times_its_quantity() -> None:
    # The kit's intake of 12 kits a period allows 12 of a and 24 of b each period.
    network = _network(seed=5)
    capped = network.run(CapacitySchedule(intake={"kit": 12.0}))
    a, b = capped.arc_shipments[("a", "kit")], capped.arc_shipments[("b", "kit")]
    assert a.max() == 12.0 and b.max() == 24.0
    assert network.run().arc_shipments[("b", "kit")].max() > 24.0


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (CapacitySchedule(arcs={("dc", "nowhere"): 1.0}), "unknown arc"),
        (CapacitySchedule(intake={"plant": 1.0}), "unknown node"),
        (CapacitySchedule(sales={"dc": 1.0}), "has no end customers"),
        (CapacitySchedule(sales={"store": np.zeros(PERIODS - 1)}), "11 values for 12 periods"),
    ],
)
def test_a_schedule_that_does_not_fit_the_network_is_refused(
    schedule: CapacitySchedule, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _pair().run(schedule)


@pytest.mark.parametrize("values", [[1.0, -1.0], [np.nan], [[1.0, 2.0]]])
def test_negative_missing_or_nested_capacities_are_refused(values: list[object]) -> None:
    with pytest.raises(ValueError, match="capacity schedule of 'store'"):
        CapacitySchedule(sales={"store": values})  # type: ignore[dict-item]


def test_docstring_example_holds() -> None:
    outcome = doctest.testmod(network_capacity)
    assert (outcome.failed, outcome.attempted) == (0, 4)

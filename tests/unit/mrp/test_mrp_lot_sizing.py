"""Each lot-sizing rule on one item-site, checked by hand (weekly buckets, zero lead time)."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.planning.inventory import eoq, wagner_whitin
from tandem.planning.mrp import (
    Demand,
    DemandKind,
    ItemSite,
    ItemSiteKey,
    LotSizing,
    LotSizingRule,
    MRPProblem,
    PlanningCalendar,
    plan,
)

KEY = ItemSiteKey("X", "P")


def _orders(
    demand: list[float], sizing: LotSizing, on_hand: float = 0.0
) -> list[tuple[int, float]]:
    calendar = PlanningCalendar.weekly(date(2026, 1, 5), len(demand))
    demands = tuple(
        Demand(f"D{t}", DemandKind.FORECAST, KEY, t, q) for t, q in enumerate(demand) if q
    )
    problem = MRPProblem(
        calendar, (ItemSite("X", "P", on_hand, lot_sizing=sizing),), (), (), demands
    )
    return [(o.due_bucket, o.quantity) for o in plan(problem).planned_orders]


def test_lot_for_lot_orders_each_net_requirement() -> None:
    # on hand 5: week 0 short 5, week 2 short 20, week 3 short 5
    assert _orders([10, 0, 20, 5], LotSizing(), on_hand=5) == [(0, 5.0), (2, 20.0), (3, 5.0)]


def test_fixed_order_quantity_orders_the_net_requirement_when_larger() -> None:
    # week 0: 5 - 10 = -5 -> 30, projected 25, 25, 5, 0; week 4: 0 - 40 -> max(30, 40) = 40
    sizing = LotSizing(LotSizingRule.FIXED_ORDER_QUANTITY, quantity=30)
    assert _orders([10, 0, 20, 5, 40], sizing, on_hand=5) == [(0, 30.0), (4, 40.0)]


def test_economic_order_quantity_uses_the_inventory_eoq() -> None:
    # S&S Example 3.1: Q* = sqrt(2 * 8 * 1300 / 0.225) = 304.04678; projected 204.05, 104.05,
    # 4.05, then week 3 is short 95.95 and gets a second lot
    q = eoq(8.0, 0.225, 1300.0).order_quantity
    sizing = LotSizing(
        LotSizingRule.ECONOMIC_ORDER_QUANTITY,
        ordering_cost=8,
        holding_cost=0.225,
        annual_demand=1300,
    )
    assert _orders([100, 100, 100, 100], sizing) == [(0, q), (3, q)]
    assert q == pytest.approx(304.04678, abs=1e-5)


def test_economic_order_quantity_rounded_up_to_the_pack_size() -> None:
    # 304.05 -> 310: projected 210, 110, 10, then week 3 short 90 -> 310
    sizing = LotSizing(
        LotSizingRule.ECONOMIC_ORDER_QUANTITY,
        ordering_cost=8,
        holding_cost=0.225,
        annual_demand=1300,
        multiple=10,
    )
    assert _orders([100, 100, 100, 100], sizing) == [(0, 310.0), (3, 310.0)]


def test_periods_of_supply_covers_two_weeks_per_order() -> None:
    sizing = LotSizing(LotSizingRule.PERIODS_OF_SUPPLY, periods=2)
    assert _orders([10, 20, 30, 40, 50], sizing) == [(0, 30.0), (2, 70.0), (4, 50.0)]


def test_min_max_orders_up_to_the_max_below_the_min() -> None:
    # on hand 50, 30 a week: week 0 ends at 20 (not below the min 20); week 1 at -10 -> order
    # 100 - (-10) = 110; weeks 2-4 end at 70, 40, 10 -> order 90
    sizing = LotSizing(LotSizingRule.MIN_MAX, order_point=20, order_up_to=100)
    assert _orders([30] * 5, sizing, on_hand=50) == [(1, 110.0), (4, 90.0)]


def test_wagner_whitin_reproduces_snyder_shen_example_3_9() -> None:
    # S&S Example 3.9 (pinned in tests/unit/inventory): d = (90, 120, 80, 70), K = 500, h = 2
    sizing = LotSizing(LotSizingRule.WAGNER_WHITIN, ordering_cost=500, holding_cost=2)
    demand = [90.0, 120.0, 80.0, 70.0]
    expected = wagner_whitin(demand, 500.0, 2.0).order_quantities
    assert expected == (210.0, 0.0, 150.0, 0.0)
    assert _orders(demand, sizing) == [(0, 210.0), (2, 150.0)]


def test_wagner_whitin_nets_stock_on_hand_first() -> None:
    # on hand 100 leaves net requirements (0, 110, 80, 70): with K = 500, h = 2 one order of
    # 260 in week 1 costs 500 + 2 * (150 + 70) = 940 < two orders (1000 + 140 = 1140)
    sizing = LotSizing(LotSizingRule.WAGNER_WHITIN, ordering_cost=500, holding_cost=2)
    assert _orders([90, 120, 80, 70], sizing, on_hand=100) == [(1, 260.0)]


def test_wagner_whitin_with_a_minimum_order_uses_the_event_walk() -> None:
    # first lot 210 (as above) raised to 250: weeks end at 160, 40; week 2 short 40 -> WW on
    # (40, 70) with K = 500, h = 2: one lot 110 (cost 640) beats two (1000) -> raised to 250
    sizing = LotSizing(
        LotSizingRule.WAGNER_WHITIN, ordering_cost=500, holding_cost=2, minimum_order=250
    )
    assert _orders([90, 120, 80, 70], sizing) == [(0, 250.0), (2, 250.0)]


def test_modifiers_minimum_multiple_and_maximum() -> None:
    # week 0: 12 -> min 25 -> multiple of 10: 30, projected 18; week 2: 18 - 95 = -77 -> 80
    # -> split at the max 40: two orders of 40
    sizing = LotSizing(minimum_order=25, multiple=10, maximum_order=40)
    assert _orders([12, 0, 95], sizing) == [(0, 30.0), (2, 40.0), (2, 40.0)]

"""Landed cost roll-up (tandem.planning.meio.landed_cost)."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.meio import landed_cost as landed_cost_module
from tandem.planning.meio.landed_cost import (
    CustomsBasis,
    LandedCostResult,
    StockingPoint,
    SupplyLane,
    holding_costs,
    roll_up_landed_cost,
)

RATE = 0.25

THREE_TIER_POINTS = (
    StockingPoint("board", "supplier", "board", "Shenzhen", added_cost=20.0, handling_cost=0.5,
                  annual_demand=2400.0, order_quantity=600.0),
    StockingPoint("case", "supplier", "case", "Shenzhen", added_cost=5.0, annual_demand=1200.0),
    StockingPoint("assembly", "plant", "camera", "Monterrey", added_cost=15.0, handling_cost=1.0,
                  annual_demand=1200.0, order_quantity=300.0),
    StockingPoint("dc", "distributor", "camera", "Dallas", handling_cost=2.0,
                  annual_demand=1200.0, order_quantity=200.0, safety_stock=60.0),
    StockingPoint("retail", "retailer", "camera", "Austin", handling_cost=3.0,
                  annual_demand=1200.0, order_quantity=50.0, safety_stock=30.0),
)  # fmt: skip
THREE_TIER_LANES = (
    SupplyLane("board", "assembly", quantity=2.0, freight_cost=0.5, duty_rate=0.1,
               transit_days=73.0),
    SupplyLane("case", "assembly", freight_cost=1.0, duty_rate=0.1, transit_days=73.0),
    SupplyLane("assembly", "dc", freight_cost=2.0, duty_rate=0.05, transit_days=36.5),
    SupplyLane("dc", "retail", freight_cost=1.0),
)  # fmt: skip


def three_tier() -> LandedCostResult:
    return roll_up_landed_cost(THREE_TIER_POINTS, THREE_TIER_LANES, carrying_rate=RATE)


def test_module_docstring_examples() -> None:
    outcome = doctest.testmod(landed_cost_module)
    assert outcome.attempted == 8 and outcome.failed == 0


def test_three_tier_roll_up_by_hand() -> None:
    """Carrying rate 25 %/year, CIF duty. 73 days = 0.2 year, 36.5 days = 0.1 year.

    board   : v = 20 + 0.5 = 20.5; cycle 0.25 x 20.5 x (600/2) / 2400 = 0.640625;
              L = 21.140625.
    case    : v = L = 5.
    assembly: 2 boards: freight 2 x 0.5 = 1, duty 2 x 0.1 x (20.5 + 0.5) = 4.2,
              pipeline 0.25 x 2 x 20.5 x 0.2 = 2.05; 1 case: freight 1, duty 0.1 x (5 + 1) = 0.6,
              pipeline 0.25 x 5 x 0.2 = 0.25. Freight 2, duty 4.8, pipeline 2.3.
              v = (2 x 20.5 + 5) + 2 + 4.8 + 1 + 15 = 68.8; cycle 0.25 x 68.8 x 150 / 1200 = 2.15;
              material 2 x 21.140625 + 5 = 47.28125; L = 47.28125 + 2 + 4.8 + 1 + 15 + 2.3 +
              2.15 = 74.53125.
    dc      : freight 2, duty 0.05 x (68.8 + 2) = 3.54, pipeline 0.25 x 68.8 x 0.1 = 1.72;
              v = 68.8 + 2 + 3.54 + 2 = 76.34; cycle 0.25 x 76.34 x 100 / 1200 = 1.5904166..;
              safety 0.25 x 76.34 x 60 / 1200 = 0.95425; L = 74.53125 + 2 + 3.54 + 2 + 1.72 +
              1.5904166.. + 0.95425 = 86.3359166..
    retail  : freight 1, no duty, no transit; v = 76.34 + 1 + 3 = 80.34;
              cycle 0.25 x 80.34 x 25 / 1200 = 0.4184375; safety 0.25 x 80.34 x 30 / 1200 =
              0.502125; L = 86.3359166.. + 1 + 3 + 0.4184375 + 0.502125 = 91.2564791..
    """
    result = three_tier()
    values = {"board": 20.5, "case": 5.0, "assembly": 68.8, "dc": 76.34, "retail": 80.34}
    landed = {"board": 21.140625, "case": 5.0, "assembly": 74.53125,
              "dc": 86.33591666666667, "retail": 91.25647916666667}  # fmt: skip
    for point in result.points:
        assert point.breakdown.value == pytest.approx(values[point.point], abs=1e-12)
        assert point.breakdown.landed_cost == pytest.approx(landed[point.point], abs=1e-12)
    assembly = result.point("assembly").breakdown
    assert assembly.material == pytest.approx(47.28125, abs=1e-12)
    assert assembly.material_value == pytest.approx(46.0, abs=1e-12)
    assert assembly.local.as_tuple() == pytest.approx((15.0, 2.0, 4.8, 1.0, 2.3, 2.15, 0.0))
    dc = result.point("dc").breakdown.local
    assert dc.as_tuple() == pytest.approx((0.0, 2.0, 3.54, 2.0, 1.72, 1.5904166666666667, 0.95425))
    assert [p.point for p in result.end_points()] == ["retail"]


def test_three_tier_member_shares_of_the_retail_landed_cost() -> None:
    """supplier: two boards and a case, 2 x 21.140625 + 5 = 47.28125 (purchase 45, handling 1,
    cycle stock 1.28125); plant: 15 + 2 + 4.8 + 1 + 2.3 + 2.15 = 27.25; distributor:
    2 + 3.54 + 2 + 1.72 + 1.5904166.. + 0.95425 = 11.8046666..; retailer: 1 + 3 + 0.4184375 +
    0.502125 = 4.9205625. Sum 91.2564791.. = the landed cost."""
    retail = three_tier().point("retail")
    shares = {s.member: s.total for s in retail.member_shares}
    assert shares == pytest.approx(
        {"supplier": 47.28125, "plant": 27.25, "distributor": 11.804666666666666,
         "retailer": 4.9205625}, abs=1e-12)  # fmt: skip
    supplier = next(s for s in retail.member_shares if s.member == "supplier").costs
    assert (supplier.added_cost, supplier.handling, supplier.cycle_stock_carrying) == (
        pytest.approx(45.0),
        pytest.approx(1.0),
        pytest.approx(1.28125),
    )
    assert supplier.freight == 0.0 and supplier.duty == 0.0
    assert retail.share_of("plant") == pytest.approx(27.25)
    assert retail.share_of("nobody") == 0.0


def test_holding_costs_are_rate_times_inventory_value() -> None:
    costs = holding_costs(three_tier(), 0.25)
    assert costs == pytest.approx(
        {"board": 5.125, "case": 1.25, "assembly": 17.2, "dc": 19.085, "retail": 20.085}
    )


def test_fob_duty_leaves_freight_out_of_the_customs_value() -> None:
    """FOB: assembly duty 2 x 0.1 x 20.5 + 0.1 x 5 = 4.6 (CIF: 4.8)."""
    result = roll_up_landed_cost(
        THREE_TIER_POINTS, THREE_TIER_LANES, carrying_rate=RATE, customs_basis=CustomsBasis.FOB
    )
    assert result.point("assembly").breakdown.local.duty == pytest.approx(4.6)


@pytest.mark.parametrize(
    ("points", "lanes", "message"),
    [
        ((StockingPoint("a", "m"), StockingPoint("a", "m")), (), "'a' appears twice"),
        ((StockingPoint("a", "m"),), (SupplyLane("a", "zz"),), "unknown stocking point 'zz'"),
        ((StockingPoint("a", "m", added_cost=-1.0),), (), "'a': added_cost"),
        ((StockingPoint("a", "m", safety_stock=5.0),), (), "'a' holds stock but has no annual"),
        (
            (StockingPoint("a", "m"), StockingPoint("b", "m")),
            (SupplyLane("a", "b", freight_cost=-2.0),),
            "lane 'a' -> 'b': freight_cost",
        ),
        (
            (StockingPoint("a", "m"), StockingPoint("b", "m")),
            (SupplyLane("a", "b", quantity=0.0),),
            "lane 'a' -> 'b': quantity",
        ),
        (
            (StockingPoint("a", "m"), StockingPoint("b", "m"), StockingPoint("c", "m")),
            (SupplyLane("a", "b"), SupplyLane("b", "c"), SupplyLane("c", "b")),
            "cycle: b -> c -> b",
        ),
    ],
)
def test_invalid_networks_name_the_offender(
    points: tuple[StockingPoint, ...], lanes: tuple[SupplyLane, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        roll_up_landed_cost(points, lanes, carrying_rate=0.2)


def test_negative_carrying_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="carrying rate"):
        roll_up_landed_cost(THREE_TIER_POINTS, THREE_TIER_LANES, carrying_rate=-0.1)


@st.composite
def networks(draw: st.DrawFn) -> tuple[tuple[StockingPoint, ...], tuple[SupplyLane, ...]]:
    """Random acyclic networks: lanes only go from a lower to a higher index."""
    n = draw(st.integers(1, 7))
    money = st.floats(0.0, 100.0, allow_nan=False)
    points = []
    for k in range(n):
        demand = draw(st.sampled_from([0.0, 50.0, 1000.0]))
        points.append(
            StockingPoint(
                f"p{k}",
                draw(st.sampled_from(["m1", "m2", "m3"])),
                added_cost=draw(money),
                handling_cost=draw(money),
                annual_demand=demand,
                order_quantity=draw(st.floats(0.0, 500.0)) if demand else 0.0,
                safety_stock=draw(st.floats(0.0, 200.0)) if demand else 0.0,
            )
        )
    lanes = []
    for j in range(1, n):
        for i in draw(st.sets(st.integers(0, j - 1), max_size=3)):
            lanes.append(
                SupplyLane(
                    f"p{i}",
                    f"p{j}",
                    quantity=draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])),
                    freight_cost=draw(money),
                    duty_rate=draw(st.sampled_from([0.0, 0.05, 0.25])),
                    transit_days=draw(st.sampled_from([0.0, 10.0, 45.0])),
                )
            )
    return tuple(points), tuple(lanes)


RATES = st.sampled_from([0.0, 0.1, 0.35])


@settings(max_examples=60, deadline=None)
@given(network=networks(), rate=RATES, basis=st.sampled_from(list(CustomsBasis)))
def test_landed_cost_covers_the_upstream_landed_costs_and_splits_into_member_shares(
    network: tuple[tuple[StockingPoint, ...], tuple[SupplyLane, ...]],
    rate: float,
    basis: CustomsBasis,
) -> None:
    points, lanes = network
    result = roll_up_landed_cost(points, lanes, carrying_rate=rate, customs_basis=basis)
    landed = {p.point: p.breakdown.landed_cost for p in result.points}
    for point in result.points:
        upstream = sum(
            lane.quantity * landed[lane.upstream]
            for lane in lanes
            if lane.downstream == point.point
        )
        assert point.breakdown.material == pytest.approx(upstream, rel=1e-12, abs=1e-9)
        assert point.breakdown.landed_cost >= upstream - 1e-9
        assert point.breakdown.landed_cost >= point.breakdown.value - 1e-9
        shares = sum(s.total for s in point.member_shares)
        assert shares == pytest.approx(point.breakdown.landed_cost, rel=1e-12, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(network=networks(), rate=RATES, k=st.sampled_from([0.0, 0.5, 3.0, 1000.0]))
def test_scaling_every_cost_by_k_scales_every_result_by_k(
    network: tuple[tuple[StockingPoint, ...], tuple[SupplyLane, ...]], rate: float, k: float
) -> None:
    points, lanes = network
    base = roll_up_landed_cost(points, lanes, carrying_rate=rate)
    scaled = roll_up_landed_cost(
        tuple(
            StockingPoint(
                p.id,
                p.member,
                added_cost=k * p.added_cost,
                handling_cost=k * p.handling_cost,
                annual_demand=p.annual_demand,
                order_quantity=p.order_quantity,
                safety_stock=p.safety_stock,
            )
            for p in points
        ),
        tuple(
            SupplyLane(
                a.upstream,
                a.downstream,
                a.quantity,
                k * a.freight_cost,
                a.duty_rate,
                a.transit_days,
            )
            for a in lanes
        ),
        carrying_rate=rate,
    )
    for old, new in zip(base.points, scaled.points, strict=True):
        assert new.breakdown.landed_cost == pytest.approx(k * old.breakdown.landed_cost, rel=1e-9)
        assert new.breakdown.value == pytest.approx(k * old.breakdown.value, rel=1e-9)
        old_shares = {s.member: s.total for s in old.member_shares}
        for share in new.member_shares:
            assert share.total == pytest.approx(k * old_shares[share.member], rel=1e-9)

"""Master production schedule: hand-solved plans, brute force, Wagner–Whitin and chase."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.inventory.wagner_whitin import wagner_whitin
from tandem.planning.production import (
    Calendar,
    MPSProblem,
    MPSProduct,
    MPSSolver,
    MPSStatus,
    Operation,
    ProductionInputError,
    Resource,
    Routing,
)

ONE_HOUR = Routing("r1", (Operation("line", run_hours=1.0),))


def line(buckets: int, hours: float, overtime: float = 0.0, ot_cost: float = 0.0) -> Resource:
    return Resource("line", Calendar.uniform(buckets, hours), ot_cost, overtime)


def test_aggregate_plan_matches_the_hand_solution() -> None:
    # Demand 8, 14, 12; 10 regular hours a bucket, 1 hour a unit, overtime <= 5 h at 4/h,
    # holding 1, backlog 3, unit cost 2, no ending backlog.
    # Bucket 1 is 4 short: 2 units from bucket 0's spare regular hours (hold 1 each = 2) and
    # 2 on overtime (4 each = 8; overtime in 0 and hold costs 5, backlog to 2 costs 3 + 4).
    # Bucket 2 is 2 short: overtime in 2 (8) beats overtime in 1 and hold (10).
    # Cost = 2 x 34 units + 2 holding + 16 overtime = 86.
    product = MPSProduct(
        "p", ONE_HOUR, (8.0, 14.0, 12.0), unit_cost=2, holding_cost=1, backlog_cost=3
    )
    result = MPSSolver().solve(MPSProblem((product,), (line(3, 10, 5, 4),)))
    assert result.status is MPSStatus.OPTIMAL
    plan = result.plan
    assert plan is not None
    np.testing.assert_allclose(plan.production, [[10, 12, 12]], atol=1e-9)
    np.testing.assert_allclose(plan.inventory, [[2, 0, 0]], atol=1e-9)
    np.testing.assert_allclose(plan.overtime, [[0, 2, 2]], atol=1e-9)
    np.testing.assert_allclose(plan.load, [[10, 12, 12]], atol=1e-9)
    costs = plan.costs
    assert (costs.production, costs.holding, costs.overtime) == pytest.approx((68, 2, 16))
    assert (costs.backlog, costs.setup) == (0, 0)
    assert result.objective == pytest.approx(86.0)
    assert result.mip_gap == 0.0


def brute_force_cost(
    demand: np.ndarray, regular: float, overtime: float, costs: dict[str, float]
) -> float:
    """Enumerate integer production levels of every product in every bucket (one resource,
    1 run hour a unit, 1 setup hour a batch, backlog allowed, none at the end)."""
    n_p, n = demand.shape
    top = int(regular + overtime) - 1
    grid = np.array(list(itertools.product(range(top + 1), repeat=n_p * n)), dtype=float)
    x = grid.reshape(-1, n_p, n)
    made = x > 0
    hours = (x + made).sum(axis=1)
    extra = np.maximum(hours - regular, 0.0)
    net = np.cumsum(x - demand[None], axis=2)
    ok = (extra <= overtime + 1e-9).all(axis=1) & (net[:, :, -1] >= 0).all(axis=1)
    total = (
        costs["unit"] * x.sum(axis=(1, 2))
        + costs["hold"] * np.maximum(net, 0).sum(axis=(1, 2))
        + costs["back"] * np.maximum(-net, 0).sum(axis=(1, 2))
        + costs["setup"] * made.sum(axis=(1, 2))
        + costs["ot"] * extra.sum(axis=1)
    )
    return float(total[ok].min()) if ok.any() else float("inf")


@settings(max_examples=30, deadline=None)
@given(
    n_products=st.integers(1, 2),
    buckets=st.integers(2, 3),
    data=st.data(),
)
def test_lot_sizing_mip_equals_brute_force_over_integer_levels(
    n_products: int, buckets: int, data: st.DataObject
) -> None:
    top = 4 if n_products == 2 else 6
    demand = np.array(
        data.draw(st.lists(st.integers(0, top - 1), min_size=n_products * buckets,
                           max_size=n_products * buckets)),
        dtype=float,
    ).reshape(n_products, buckets)  # fmt: skip
    costs = {
        k: float(data.draw(st.integers(lo, hi), label=k))
        for k, lo, hi in [("unit", 0, 2), ("hold", 0, 3), ("back", 1, 5), ("setup", 0, 9),
                          ("ot", 1, 4)]
    }  # fmt: skip
    regular, overtime = top - 2.0, 2.0
    routing = Routing("r", (Operation("line", setup_hours=1.0, run_hours=1.0),))
    products = tuple(
        MPSProduct(f"p{i}", routing, tuple(demand[i]), costs["unit"], costs["hold"],
                   costs["back"], costs["setup"])
        for i in range(n_products)
    )  # fmt: skip
    problem = MPSProblem(products, (line(buckets, regular, overtime, costs["ot"]),), True)
    expected = brute_force_cost(demand, regular, overtime, costs)
    result = MPSSolver().solve(problem)
    if expected == float("inf"):
        assert result.status is MPSStatus.INFEASIBLE
    else:
        assert result.status is MPSStatus.OPTIMAL
        assert result.objective == pytest.approx(expected, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    demand=st.lists(st.integers(0, 50), min_size=1, max_size=8),
    setup=st.integers(0, 200),
    holding=st.integers(1, 5),
)
def test_uncapacitated_plan_without_backlog_costs_what_wagner_whitin_does(
    demand: list[int], setup: int, holding: int
) -> None:
    product = MPSProduct(
        "p", ONE_HOUR, tuple(map(float, demand)), holding_cost=holding, setup_cost=setup,
        backlog_allowed=False,
    )  # fmt: skip
    result = MPSSolver().solve(MPSProblem((product,), (line(len(demand), 1e4),)))
    reference = wagner_whitin(demand, setup, holding)
    assert result.objective == pytest.approx(reference.total_cost, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    demands=st.lists(
        st.lists(st.floats(0, 100, allow_nan=False), min_size=4, max_size=4),
        min_size=1,
        max_size=3,
    ),
    holding=st.floats(0.1, 5),
    backlog=st.floats(0.1, 5),
)
def test_without_setups_and_with_ample_capacity_the_plan_is_chase(
    demands: list[list[float]], holding: float, backlog: float
) -> None:
    products = tuple(
        MPSProduct(f"p{i}", ONE_HOUR, tuple(d), unit_cost=3, holding_cost=holding,
                   backlog_cost=backlog)
        for i, d in enumerate(demands)
    )  # fmt: skip
    result = MPSSolver().solve(MPSProblem(products, (line(4, 1e4, 10, 1),)))
    assert result.plan is not None
    np.testing.assert_allclose(result.plan.production, demands, atol=1e-6)
    assert result.plan.costs.overtime == pytest.approx(0.0)
    assert result.plan.setups.sum() == 0


def test_capacity_short_without_backlog_names_the_first_short_bucket() -> None:
    # 10 h a bucket, no overtime; cumulative demand 5, 10, 35 against capacity 10, 20, 30:
    # bucket 2 is the first that cannot be met from stock.
    product = MPSProduct("p", ONE_HOUR, (5.0, 5.0, 25.0, 5.0), backlog_allowed=False)
    result = MPSSolver().solve(MPSProblem((product,), (line(4, 10),)))
    assert result.status is MPSStatus.INFEASIBLE
    assert result.plan is None
    assert result.first_short_bucket == 2
    assert "bucket 2" in result.message
    assert "line" in result.message


def test_setup_time_can_make_the_first_bucket_short() -> None:
    # 1 setup hour + 1 hour a unit: bucket 0 makes at most 9 of the 10 demanded.
    routing = Routing("r", (Operation("line", setup_hours=1.0, run_hours=1.0),))
    product = MPSProduct("p", routing, (10.0, 0.0), setup_cost=1, backlog_allowed=False)
    result = MPSSolver().solve(MPSProblem((product,), (line(2, 10),)))
    assert (result.status, result.first_short_bucket) == (MPSStatus.INFEASIBLE, 0)


def test_setups_are_charged_once_per_bucket_with_production() -> None:
    # Demand 4, 4; setup 10, holding 1 per unit-bucket: one batch of 8 in bucket 0 costs
    # 10 + 4 = 14 < two batches (20).
    product = MPSProduct(
        "p", ONE_HOUR, (4.0, 4.0), holding_cost=1, setup_cost=10, backlog_allowed=False
    )
    result = MPSSolver().solve(MPSProblem((product,), (line(2, 100),)))
    assert result.plan is not None
    assert result.plan.setups.tolist() == [[True, False]]
    assert (result.plan.costs.setup, result.plan.costs.holding) == pytest.approx((10, 4))
    assert result.mip_gap == pytest.approx(0.0, abs=1e-6)


def test_non_working_bucket_has_no_capacity_and_no_overtime() -> None:
    # Bucket 1 is closed: its demand of 3 is made in bucket 0 and held (holding 1 each).
    res = Resource("line", Calendar.uniform(2, 8, non_working=(1,)), 1.0, 4.0)
    product = MPSProduct("p", ONE_HOUR, (2.0, 3.0), holding_cost=1, backlog_allowed=False)
    plan = MPSSolver().solve(MPSProblem((product,), (res,))).plan
    assert plan is not None
    np.testing.assert_allclose(plan.production, [[5, 0]], atol=1e-9)
    np.testing.assert_allclose(plan.capacity, [[8, 0]])


def test_negative_demand_is_rejected() -> None:
    with pytest.raises(ProductionInputError, match="demand of product 'p' in bucket 1"):
        MPSProduct("p", ONE_HOUR, (1.0, -2.0))


def test_negative_capacity_is_rejected() -> None:
    with pytest.raises(ProductionInputError, match="calendar hours in bucket 0"):
        Calendar((-1.0, 8.0))


def test_routing_on_an_unknown_resource_is_rejected() -> None:
    routing = Routing("r", (Operation("press", run_hours=1.0),))
    with pytest.raises(ProductionInputError, match="unknown resource 'press'"):
        MPSProblem((MPSProduct("p", routing, (1.0,)),), (line(1, 8),))


def test_products_with_different_horizons_are_rejected() -> None:
    products = (MPSProduct("a", ONE_HOUR, (1.0,)), MPSProduct("b", ONE_HOUR, (1.0, 2.0)))
    with pytest.raises(ProductionInputError, match="same, non-empty horizon"):
        MPSProblem(products, (line(2, 8),))

"""The serial supply-chain simulation engine: accounting, policies and causes of the bullwhip."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from numpy.typing import NDArray

from tandem.planning.simulation import (
    AnchorAndAdjust,
    BaseStock,
    DemandProcess,
    ExponentialSmoothing,
    ForwardBuying,
    InformationMode,
    InventoryView,
    MinMax,
    NormalDemand,
    OrderUpTo,
    PoissonDemand,
    ReorderPoint,
    ReplayDemand,
    SerialSupplyChain,
    Shortage,
    SimulationResult,
    Stage,
    StageResult,
    StochasticLeadTime,
    SuppliedForecast,
)


def _single(
    stage: Stage,
    demand: DemandProcess | None = None,
    *,
    periods: int = 300,
    replications: int = 8,
    warmup: int = 0,
) -> SimulationResult:
    process = PoissonDemand(20.0) if demand is None else demand
    chain = SerialSupplyChain(
        [stage], process, periods=periods, replications=replications, warmup=warmup, seed=11
    )
    return chain.run()


def _position_after_order(stage: StageResult) -> NDArray[np.float64]:
    """Installation position after ordering, for a stage with an unlimited outside supplier."""
    return stage.on_hand - stage.backlog + stage.in_transit


def test_constant_demand_keeps_a_base_stock_stage_in_steady_state() -> None:
    stage = Stage("shop", BaseStock(220.0), lead_time=2, holding_cost=1.5, initial_inventory=20.0)
    result = _single(stage, NormalDemand(100.0, 0.0), periods=50, replications=2)
    shop = result.stages[0]
    np.testing.assert_array_equal(shop.orders, np.full((2, 50), 100.0))
    np.testing.assert_array_equal(shop.on_hand, np.full((2, 50), 20.0))
    np.testing.assert_array_equal(shop.in_transit, np.full((2, 50), 200.0))
    assert shop.holding_cost == 30.0
    assert shop.shortage_cost == 0.0
    assert result.total_cost == 30.0
    assert result.total_horizon_cost == 1500.0
    assert (shop.fill_rate, shop.cycle_service_level) == (1.0, 1.0)
    assert math.isnan(shop.variance_ratio)  # constant demand: the ratio is undefined


def test_base_stock_passes_demand_through_so_the_variance_ratio_is_one() -> None:
    # 20 on hand plus 2 periods x 20 in the pipeline: the position starts at the level.
    result = _single(Stage("shop", BaseStock(60.0), lead_time=2, initial_inventory=20.0))
    shop = result.stages[0]
    np.testing.assert_array_equal(shop.orders, result.demand)
    assert shop.variance_ratio == 1.0
    np.testing.assert_array_equal(_position_after_order(shop), np.full((8, 300), 60.0))


def test_net_inventory_balances_receipts_and_demand_every_period() -> None:
    result = _single(Stage("shop", BaseStock(45.0), lead_time=3, initial_inventory=5.0))
    shop = result.stages[0]
    net = shop.on_hand - shop.backlog
    receipts = np.diff(net, axis=1) + result.demand[:, 1:]
    # Everything ordered arrives exactly three periods later.
    np.testing.assert_array_equal(receipts[:, 2:], shop.orders[:, :-3])


def test_statistics_follow_their_definitions_on_the_trajectories() -> None:
    stage = Stage("shop", BaseStock(55.0), lead_time=2, holding_cost=2.0, shortage_cost=9.0)
    result = _single(stage, warmup=30)
    shop = result.stages[0]
    s = slice(30, None)
    assert shop.mean_on_hand == pytest.approx(shop.on_hand[:, s].mean())
    assert shop.holding_cost == pytest.approx(2.0 * shop.on_hand[:, s].mean())
    assert shop.shortage_cost == pytest.approx(9.0 * shop.backlog[:, s].mean())
    assert shop.cycle_service_level == pytest.approx((shop.backlog[:, s] == 0).mean())
    assert 0.5 < shop.fill_rate < 1.0
    assert shop.cycle_service_level < shop.fill_rate


def test_lost_sales_never_backlog_and_the_fill_rate_is_one_minus_the_lost_share() -> None:
    stage = Stage(
        "shop", BaseStock(42.0), lead_time=2, shortage=Shortage.LOST_SALES, initial_inventory=2.0
    )
    shop = _single(stage).stages[0]
    np.testing.assert_array_equal(shop.backlog, np.zeros((8, 300)))
    assert shop.mean_lost_sales > 1.0
    lost_share = shop.lost.sum() / shop.incoming.sum()
    assert shop.fill_rate == pytest.approx(1.0 - lost_share, abs=1e-12)
    # Lost demand is never replenished, so the position stays at the level.
    np.testing.assert_array_equal(_position_after_order(shop), np.full((8, 300), 42.0))


def test_supply_capacity_caps_receipts_and_backlogs_the_rest_at_the_supplier() -> None:
    stage = Stage("plant", BaseStock(300.0), lead_time=1, supply_capacity=19.0)
    shop = _single(stage).stages[0]
    net = shop.on_hand - shop.backlog
    receipts = np.diff(net, axis=1) + shop.incoming[:, 1:]
    assert receipts.max() == 19.0
    assert receipts[:, 1:].min() == 19.0  # demand (20/period) exceeds capacity: always binding
    assert shop.fill_rate < 0.5


def test_min_max_orders_up_to_big_s_only_at_or_below_small_s() -> None:
    shop = _single(Stage("shop", MinMax(s=30.0, S=90.0), lead_time=1)).stages[0]
    after = _position_after_order(shop)
    before = after - shop.orders
    ordered = shop.orders > 0
    np.testing.assert_array_equal(ordered, before <= 30.0)
    np.testing.assert_array_equal(after[ordered], 90.0)
    assert ordered.mean() == pytest.approx(1 / 3, abs=0.05)


def test_reorder_point_orders_the_fewest_batches_that_clear_r() -> None:
    shop = _single(Stage("shop", ReorderPoint(r=35.0, Q=25.0), lead_time=2)).stages[0]
    after = _position_after_order(shop)
    ordered = shop.orders > 0
    np.testing.assert_array_equal(np.mod(shop.orders, 25.0), 0.0)
    assert np.all(after[ordered] > 35.0)
    assert np.all(after[ordered] - 25.0 <= 35.0)
    assert shop.orders.max() >= 50.0  # a large demand can need two batches


def test_batching_rounds_orders_up_and_amplifies_their_variance() -> None:
    plain = _single(Stage("shop", BaseStock(60.0), lead_time=2, initial_inventory=20.0))
    batched = _single(Stage("shop", BaseStock(60.0), lead_time=2, batch_size=50.0)).stages[0]
    np.testing.assert_array_equal(np.mod(batched.orders, 50.0), 0.0)
    assert plain.variance_ratios == (1.0,)
    assert batched.variance_ratio > 5.0


def test_a_review_period_orders_only_in_review_periods_and_covers_it() -> None:
    stage = Stage("shop", OrderUpTo(ExponentialSmoothing(0.2)), lead_time=2, review_period=4)
    chain = SerialSupplyChain([stage], PoissonDemand(20.0), periods=200, seed=1)
    shop = chain.run().stages[0]
    t = np.arange(200)
    np.testing.assert_array_equal(shop.orders[:, t % 4 != 0], 0.0)
    assert chain.covers() == (5.0,)  # lead time 2 + review 4 - 1
    assert shop.variance_ratio > 3.0


def test_forward_buying_on_deals_inflates_orders_in_deal_periods() -> None:
    policy = OrderUpTo(ExponentialSmoothing(0.2), safety_factor=1.0)
    deal = ForwardBuying(prices=(1.0,) * 7 + (0.9,), cover_periods=4.0)
    base = _single(Stage("shop", policy, lead_time=2), periods=400, warmup=40)
    buying = _single(Stage("shop", policy, lead_time=2, forward_buying=deal), periods=400)
    orders = buying.stages[0].orders
    on_deal = np.arange(400) % 8 == 7
    assert orders[:, on_deal].mean() > 4 * orders[:, ~on_deal].mean()
    assert buying.variance_ratios[0] > 10 * base.variance_ratios[0]


def test_stochastic_lead_times_keep_littles_law_in_the_pipeline() -> None:
    lead_time = StochasticLeadTime((1, 2, 4), (0.25, 0.5, 0.25))
    stage = Stage("shop", BaseStock(80.0), lead_time=lead_time)
    first = _single(stage, periods=1000, replications=20, warmup=50)
    again = _single(stage, periods=1000, replications=20, warmup=50)
    shop = first.stages[0]
    assert shop.mean_in_transit == pytest.approx(2.25 * 20.0, rel=0.01)
    np.testing.assert_array_equal(shop.on_hand, again.stages[0].on_hand)


def test_a_perfect_supplied_forecast_orders_exactly_the_demand_one_lead_time_ahead() -> None:
    history = np.concatenate([np.full(3, 10.0), np.random.default_rng(0).integers(5, 15, 60)])
    forecast = SuppliedForecast(np.concatenate([history, np.zeros(5)]))
    stage = Stage("shop", OrderUpTo(forecast), lead_time=3, initial_pipeline=10.0)
    result = _single(stage, ReplayDemand(history), periods=60, replications=1)
    shop = result.stages[0]
    np.testing.assert_array_equal(shop.orders[0, :57], history[3:60])
    np.testing.assert_array_equal(shop.on_hand, 0.0)
    np.testing.assert_array_equal(shop.backlog, 0.0)
    assert shop.fill_rate == 1.0


def test_sterman_rule_in_equilibrium_orders_the_constant_demand() -> None:
    rule = AnchorAndAdjust(theta=0.5, alpha_s=0.25, beta=0.5, desired_stock=12.0 + 0.5 * 4.0)
    stage = Stage("shop", rule, lead_time=2, initial_inventory=12.0, initial_pipeline=4.0)
    shop = _single(stage, NormalDemand(4.0, 0.0), periods=30, replications=1).stages[0]
    np.testing.assert_array_equal(shop.orders, 4.0)
    np.testing.assert_array_equal(shop.on_hand, 12.0)


def test_multi_echelon_stock_is_conserved_between_outside_supply_and_customers() -> None:
    stages = [Stage(n, BaseStock(50.0), lead_time=2, initial_inventory=10.0) for n in "rwf"]
    result = SerialSupplyChain(stages, PoissonDemand(20.0), periods=200, replications=4, seed=2)
    run = result.run()
    system = sum(s.on_hand + s.in_transit for s in run.stages) - run.stages[0].backlog
    change = np.diff(system, axis=1)
    np.testing.assert_array_equal(change, run.stages[2].orders[:, 1:] - run.demand[:, 1:])


def test_snyder_shen_example_6_1_optimal_echelon_base_stock_cost() -> None:
    """S&S (2019) Ex. 6.1: echelon levels (6.5, 12.0, 22.7) cost about 47.66 per period.

    Lead times (1, 1, 2), local holding (7, 4, 2) on hand, in-transit units charged at the
    supplier's local rate, backorder cost 37.12 at stage 1, demand N(5, 1) (THEORY.md).
    """
    levels, lead, local, upstream = (6.5, 12.0, 22.7), (1, 1, 2), (7.0, 4.0, 2.0), (4.0, 2.0, 0.0)

    def cost(echelon_levels: tuple[float, float, float]) -> float:
        stages = [
            Stage(
                f"stage {i + 1}",
                BaseStock(echelon_levels[i], view=InventoryView.ECHELON),
                lead_time=lead[i],
                holding_cost=local[i],
                pipeline_holding_cost=upstream[i],
                shortage_cost=37.12 if i == 0 else 0.0,
                initial_pipeline=5.0,
            )
            for i in range(3)
        ]
        chain = SerialSupplyChain(
            stages,
            NormalDemand(5.0, 1.0),
            information=InformationMode.SHARED,
            periods=2000,
            replications=100,
            warmup=50,
            seed=0,
        )
        return chain.run().total_cost

    optimum = cost(levels)
    assert optimum == pytest.approx(47.66, abs=0.05)
    # Common random numbers: moving stage 2 or 3 off the optimum costs more.
    assert cost((6.5, 11.7, 22.7)) > optimum
    assert cost((6.5, 12.0, 22.3)) > optimum


def test_sharing_customer_demand_damps_but_does_not_remove_the_bullwhip() -> None:
    def ratios(information: InformationMode, view: InventoryView) -> tuple[float, ...]:
        stages = [Stage(n, OrderUpTo(ExponentialSmoothing(0.3), view=view), 2) for n in "rwdf"]
        chain = SerialSupplyChain(
            stages,
            NormalDemand(100.0, 10.0),
            information=information,
            periods=600,
            replications=10,
            warmup=60,
            seed=3,
        )
        return chain.run().variance_ratios

    traditional = ratios(InformationMode.TRADITIONAL, InventoryView.INSTALLATION)
    shared = ratios(InformationMode.SHARED, InventoryView.ECHELON)
    assert traditional[0] == pytest.approx(shared[0], rel=1e-12)
    assert all(a < b for a, b in itertools.pairwise(traditional))
    assert all(a < b for a, b in itertools.pairwise(shared))
    assert shared[3] < 0.5 * traditional[3]
    assert shared[3] > 1.0


def test_the_same_seed_reproduces_a_run_exactly() -> None:
    stages = [Stage(n, OrderUpTo(ExponentialSmoothing(0.3), 1.0), 2) for n in ("r", "w")]
    first = SerialSupplyChain(stages, NormalDemand(50.0, 8.0), periods=100, seed=42).run()
    second = SerialSupplyChain(stages, NormalDemand(50.0, 8.0), periods=100, seed=42).run()
    other = SerialSupplyChain(stages, NormalDemand(50.0, 8.0), periods=100, seed=43).run()
    np.testing.assert_array_equal(first.stages[1].orders, second.stages[1].orders)
    assert first.total_cost == second.total_cost
    assert not np.array_equal(first.demand, other.demand)
    assert first.stage("w") is first.stages[1]
    assert first.stages[0].orders.flags.writeable is False


def test_invalid_chains_are_rejected_with_the_reason() -> None:
    echelon = Stage("r", BaseStock(10.0, view=InventoryView.ECHELON))
    with pytest.raises(ValueError, match="echelon policy needs SHARED"):
        SerialSupplyChain([echelon], PoissonDemand(5.0))
    fixed = Stage("r", BaseStock(10.0), forward_buying=ForwardBuying((1.0, 0.5), 1.0))
    with pytest.raises(ValueError, match="forward buying needs a forecasting policy"):
        SerialSupplyChain([fixed], PoissonDemand(5.0))
    with pytest.raises(ValueError, match="lead_time must be at least 1"):
        Stage("r", BaseStock(10.0), lead_time=0)
    with pytest.raises(ValueError, match="unique"):
        SerialSupplyChain([Stage("r", BaseStock(1.0))] * 2, PoissonDemand(5.0))
    with pytest.raises(ValueError, match="warmup"):
        SerialSupplyChain([Stage("r", BaseStock(1.0))], PoissonDemand(5.0), periods=5, warmup=5)

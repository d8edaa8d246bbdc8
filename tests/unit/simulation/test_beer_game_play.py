"""The beer game week by week (Sterman 1989, Management Science 35(3), 321-339).

Bots must reproduce the batch engine bit for bit; orders typed in by people are checked against
a naive re-implementation of the board that keeps shipments and order slips as dated events.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.simulation import (
    AnchorAndAdjust,
    BaseStock,
    BeerGame,
    BeerGameBoard,
    Echelon,
    Policy,
    sterman_demand,
)
from tandem.planning.simulation.beer_game_play import (
    BeerGameState,
    advance,
    bot_order,
    coordinated_benchmark,
    game_result,
    observation,
    start,
)

BOARD = BeerGameBoard()
TRAJECTORIES = (
    "orders",
    "incoming_orders",
    "received",
    "shipped",
    "inventory",
    "backlog",
    "supply_line",
    "weekly_cost",
)


def _bots(policies: list[Policy], board: BeerGameBoard = BOARD) -> BeerGameState:
    state = start(board)
    while not state.finished:
        state = advance(state, [bot_order(state, Echelon(k), policies[k]) for k in range(4)])
    return state


def _sterman() -> list[Policy]:
    return [AnchorAndAdjust.sterman_mean_estimates()] * 4


def _equilibrium(board: BeerGameBoard = BOARD) -> list[Policy]:
    return [BaseStock(level) for level in board.equilibrium_base_stock()]


@pytest.mark.parametrize("rule", ["sterman", "base stock", "smoothing bots"])
def test_four_bots_play_exactly_the_batch_engines_game_week_by_week(rule: str) -> None:
    mixed: list[Policy] = [
        AnchorAndAdjust(theta=t, alpha_s=0.3, beta=b, desired_stock=15.0 + k)
        for k, (t, b) in enumerate([(0.2, 0.1), (0.5, 0.9), (1.0, 0.0), (0.0, 0.5)])
    ]
    rules = {"sterman": _sterman(), "base stock": _equilibrium(), "smoothing bots": mixed}
    policies = rules[rule]
    played = game_result(_bots(policies))
    batch = BeerGame(policies).run()
    for name in TRAJECTORIES:  # identical floats, not approximately equal
        np.testing.assert_array_equal(getattr(played, name), getattr(batch, name), err_msg=name)
    assert played.total_cost == batch.total_cost
    assert played.echelon_cost == batch.echelon_cost


def test_sterman_bots_cost_what_the_engine_reports_and_equilibrium_bots_792() -> None:
    assert game_result(_bots(_sterman())).total_cost == pytest.approx(2254.74, abs=0.005)
    assert game_result(_bots(_equilibrium())).echelon_cost == (330.0, 242.0, 154.0, 66.0)


def test_bots_match_the_engine_on_another_board() -> None:
    board = BeerGameBoard(
        weeks=20, order_delay=3, shipping_delay=1, production_request_delay=2, production_delay=3
    )
    for policies in (_sterman(), _equilibrium(board)):
        played, batch = game_result(_bots(policies, board)), BeerGame(policies, board=board).run()
        for name in TRAJECTORIES:
            np.testing.assert_array_equal(getattr(played, name), getattr(batch, name))


def _naive_start(board: BeerGameBoard) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
    """Dated receipts and order slips of the equilibrium start: the flow in every slot."""
    receive: list[dict[int, float]] = [defaultdict(float) for _ in range(4)]
    read: list[dict[int, float]] = [defaultdict(float) for _ in range(4)]
    flow = board.initial_flow
    for k in range(4):
        lag = board.production_delay if k == 3 else board.shipping_delay
        for w in range(lag):
            receive[k][w] += flow
        for w in range(board.order_delay if k else 0):
            read[k][w] += flow
    for w in range(board.production_request_delay):
        receive[3][w + board.production_delay] += flow  # requests already in the mail
    return receive, read


def _naive(orders: list[list[int]], board: BeerGameBoard = BOARD) -> dict[str, np.ndarray]:
    """The board as dated events: an order placed in week t is read by the supplier in week
    t + order_delay; beer shipped in week t is received in week t + shipping_delay; a production
    request of week t enters production in week t + request_delay and is received
    production_delay weeks after that. The supply line follows from conservation: the
    equilibrium pipeline (flow x pipeline weeks) plus every order placed before this week, minus
    every case received up to this week."""
    weeks, demand = board.weeks, sterman_demand(board.weeks)
    receive, read = _naive_start(board)
    inventory, backlog = [board.initial_inventory] * 4, [0.0] * 4
    out = {name: np.zeros((4, weeks)) for name in ("inventory", "backlog", "cost", "supply")}
    placed, got = [0.0] * 4, [0.0] * 4
    for w in range(weeks):
        for k in range(4):
            inventory[k] += receive[k][w]
            got[k] += receive[k][w]
        for k in range(4):
            due = backlog[k] + (demand[w] if k == 0 else read[k][w])
            shipped = min(inventory[k], due)
            inventory[k], backlog[k] = inventory[k] - shipped, due - shipped
            if k > 0:
                receive[k - 1][w + board.shipping_delay] += shipped
        for k in range(4):
            out["inventory"][k, w], out["backlog"][k, w] = inventory[k], backlog[k]
            out["cost"][k, w] = 0.5 * inventory[k] + backlog[k]
            pipeline = board.initial_flow * board.pipeline_weeks(Echelon(k))
            out["supply"][k, w] = pipeline + placed[k] - got[k]
        for k in range(4):
            placed[k] += orders[w][k]
            if k < 3:
                read[k + 1][w + board.order_delay] += orders[w][k]
            else:
                lag = board.production_request_delay + board.production_delay
                receive[3][w + lag] += orders[w][k]
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 20), min_size=4, max_size=4), min_size=36, max_size=36))
def test_orders_typed_in_play_the_boards_five_steps(orders: list[list[int]]) -> None:
    state = start()
    for week in orders:
        state = advance(state, [float(q) for q in week])
    played, naive = game_result(state), _naive(orders)
    np.testing.assert_array_equal(played.orders, np.array(orders, dtype=float).T)
    np.testing.assert_array_equal(played.inventory, naive["inventory"])
    np.testing.assert_array_equal(played.backlog, naive["backlog"])
    np.testing.assert_array_equal(played.weekly_cost, naive["cost"])
    np.testing.assert_array_equal(played.supply_line, naive["supply"])


def test_each_player_sees_only_its_own_position() -> None:
    state = start()
    # Week 1 in equilibrium: 4 received, 4 read and shipped, 12 left, cost 12 x 0.50 = 6.
    view = observation(state, Echelon.WHOLESALER)
    assert (view.week, view.inventory, view.backlog) == (1, 12.0, 0.0)
    assert (view.incoming_order, view.incoming_shipment, view.supply_line) == (4.0, 4.0, 12.0)
    assert (view.cost_so_far, view.my_orders) == (6.0, ())
    assert observation(state, Echelon.FACTORY).supply_line == 8.0
    # The retailer orders nothing for five weeks. It receives the pipeline's 4 in weeks 1-4
    # (slots, then the wholesaler's shipments of the two slips in the mail), then its own
    # zero of week 1: inventory 12 x4, week 5: 12 + 0 - 8 = 4, week 6: 4 + 0 - 8 → backlog 4.
    for _ in range(5):
        state = advance(state, [0.0, 4.0, 4.0, 4.0])
    retailer = observation(state, Echelon.RETAILER)
    assert (retailer.week, retailer.inventory, retailer.backlog) == (6, 0.0, 4.0)
    assert retailer.incoming_shipment == 0.0
    assert retailer.my_orders == (0.0,) * 5
    # 12 x 0.5 x 4 weeks + 4 x 0.5 + backlog 4 = 24 + 2 + 4
    assert retailer.cost_so_far == 30.0
    # The wholesaler reads the zero orders from week 3 on and keeps its 4 a week: 12 + 4 x 4;
    # its cost 6 + 6 + 8 + 10 + 12 + 14 = 56 is its own, never shown to the retailer.
    wholesaler = observation(state, Echelon.WHOLESALER)
    assert (wholesaler.incoming_order, wholesaler.inventory) == (0.0, 28.0)
    assert wholesaler.cost_so_far == 56.0


def test_the_week_counts_up_and_the_game_ends_after_the_last_orders() -> None:
    state = start(BeerGameBoard(weeks=3), demand=[4.0, 4.0, 4.0])
    assert (state.week, state.finished) == (1, False)
    for week in (2, 3):
        state = advance(state, [4.0] * 4)
        assert state.week == week
    state = advance(state, [4.0] * 4)
    assert (state.week, state.finished, len(state.records)) == (4, True, 3)
    assert observation(state, Echelon.RETAILER).week == 3
    assert game_result(state).total_cost == 3 * 4 * 6.0
    with pytest.raises(ValueError, match="over"):
        advance(state, [4.0] * 4)
    with pytest.raises(ValueError, match="over"):
        bot_order(state, Echelon.RETAILER, BaseStock(28.0))


@pytest.mark.parametrize("orders", [[4.0] * 3, [4.0, -1.0, 4.0, 4.0], [4.0, float("nan"), 4, 4]])
def test_bad_orders_are_refused(orders: list[float]) -> None:
    with pytest.raises(ValueError, match=r"four orders|non-negative"):
        advance(start(), orders)


def test_a_game_in_progress_has_no_result_yet() -> None:
    with pytest.raises(ValueError, match="not over"):
        game_result(start())


def test_the_coordinated_benchmark_is_32_32_32_24_at_cost_180_by_hand() -> None:
    """Base stock 32 = the pipeline of 4 weeks at the new demand 8 with no stock left.

    Net stock by week (orders pass through; each echelon's first order of 8 lifts its position
    from 28 to 32): retailer 12 x5, 8, 4, then 0: 0.5 x 72 = 36; wholesaler 12, 12, 8, 8, 12,
    12, 12, 8, 4, then 0: 0.5 x 88 = 44; distributor 12, 12, 8 x4, 12, 12, 12, 8, 4: 0.5 x 104 =
    52; factory 12, 12, 8, 8, 4, 8, 4, 8, 8, 12, 8, 4: 0.5 x 96 = 48. Total 180.
    """
    bench = coordinated_benchmark()
    assert bench.levels == (32, 32, 32, 24)
    assert bench.echelon_cost == (36.0, 44.0, 52.0, 48.0)
    assert bench.total_cost == 180.0


def test_no_base_stock_levels_near_the_benchmark_cost_less() -> None:
    best = coordinated_benchmark()
    for step in itertools.product(range(-2, 3), repeat=4):
        levels = [BaseStock(float(a + d)) for a, d in zip(best.levels, step, strict=True)]
        assert BeerGame(levels).run().total_cost >= best.total_cost


def test_the_benchmark_of_constant_demand_drains_the_equilibrium_stock() -> None:
    """With demand 4 throughout the 12 cases of stock only cost holding: the best levels are
    the pipelines with no stock, 4 x 4 = 16 (factory 4 x 3 = 12). Each echelon stops ordering
    until the excess is gone. Retailer net stock 12 x4, 8, 4, then 0: 0.5 x 60 = 30;
    wholesaler 12, 12, 16, 20, 20, 16, 12, 8, 4 (the retailer's orders stop first): 0.5 x 120
    = 60; the distributor (90) and factory (96) hold the stock longer. Total 276 < 864."""
    bench = coordinated_benchmark(demand=[4.0] * 36)
    assert bench.levels == (16, 16, 16, 12)
    assert bench.echelon_cost == (30.0, 60.0, 90.0, 96.0)
    assert bench.total_cost == 276.0

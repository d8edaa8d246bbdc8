"""The MIT beer game on Sterman's (1989) board, Management Science 35(3), 321-339."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tandem.planning.simulation import (
    AnchorAndAdjust,
    BaseStock,
    BeerGame,
    BeerGameBoard,
    Echelon,
    InventoryView,
    Policy,
    sterman_demand,
)

BOARD = BeerGameBoard()


def test_the_default_board_is_stermans() -> None:
    demand = sterman_demand()
    assert demand.shape == (36,)
    np.testing.assert_array_equal(demand[:4], 4.0)
    np.testing.assert_array_equal(demand[4:], 8.0)
    assert BOARD.equilibrium_base_stock() == (28.0, 28.0, 28.0, 24.0)
    assert BOARD.equilibrium_supply_line(Echelon.RETAILER) == 12.0
    assert BOARD.equilibrium_supply_line(Echelon.FACTORY) == 8.0
    assert BOARD.equilibrium_desired_stock(0.5) == (18.0, 18.0, 18.0, 16.0)


@pytest.mark.parametrize("rule", ["base stock", "sterman"])
def test_constant_demand_keeps_every_echelon_in_steady_state(rule: str) -> None:
    policies: list[Policy]
    if rule == "base stock":
        policies = [BaseStock(level) for level in BOARD.equilibrium_base_stock()]
    else:
        policies = [
            AnchorAndAdjust(theta=0.5, alpha_s=0.25, beta=0.5, desired_stock=s)
            for s in BOARD.equilibrium_desired_stock(0.5)
        ]
    result = BeerGame(policies, demand=[4.0] * 36).run()
    for trajectory in (result.orders, result.incoming_orders, result.received, result.shipped):
        np.testing.assert_array_equal(trajectory, np.full((4, 36), 4.0))
    np.testing.assert_array_equal(result.inventory, np.full((4, 36), 12.0))
    np.testing.assert_array_equal(result.backlog, np.zeros((4, 36)))
    np.testing.assert_array_equal(result.supply_line[:3], np.full((3, 36), 12.0))
    np.testing.assert_array_equal(result.supply_line[3], np.full(36, 8.0))
    # 36 weeks x 4 echelons x 12 cases x 0.50
    assert result.echelon_cost == (216.0, 216.0, 216.0, 216.0)
    assert result.total_cost == 864.0


@pytest.mark.parametrize(
    ("order_delay", "shipping_delay", "request_delay", "production_delay"),
    list(itertools.product((1, 3), (1, 2), (1, 2), (1, 3))),
)
def test_equilibrium_levels_hold_steady_state_on_any_board(
    order_delay: int, shipping_delay: int, request_delay: int, production_delay: int
) -> None:
    board = BeerGameBoard(
        order_delay=order_delay,
        shipping_delay=shipping_delay,
        production_request_delay=request_delay,
        production_delay=production_delay,
    )
    policies = [BaseStock(level) for level in board.equilibrium_base_stock()]
    result = BeerGame(policies, demand=[4.0] * 36, board=board).run()
    np.testing.assert_array_equal(result.orders, np.full((4, 36), 4.0))
    assert result.total_cost == 864.0


def test_base_stock_passes_the_step_through_and_costs_792_by_hand() -> None:
    """Levels tuned to demand 4 lose 4 cases of net stock per week of effective lead time.

    Net stock (inventory - backlog), by hand from the delays:
    factory 12 x10, 8, 4, then 0 (production never runs short): cost 0.5 x 132 = 66;
    distributor 12 x8, 8, 4, 0, then -4 for 25 weeks: 0.5 x 108 + 100 = 154;
    wholesaler 12 x6, 8, 4, 0, -4 x4, then -8 for 23 weeks (the distributor is short):
    0.5 x 84 + 16 + 184 = 242; retailer 12 x4, 8, 4, 0, -4 x4, -8 x4, then -12 for 21 weeks:
    0.5 x 60 + 16 + 32 + 252 = 330. Total 792.
    """
    levels = BOARD.equilibrium_base_stock()
    result = BeerGame([BaseStock(level) for level in levels]).run()
    demand = sterman_demand()
    np.testing.assert_array_equal(result.orders[Echelon.RETAILER], demand)
    for k in (Echelon.WHOLESALER, Echelon.DISTRIBUTOR, Echelon.FACTORY):
        # Each echelon orders exactly what it was asked for: the step arrives 2 weeks later.
        np.testing.assert_array_equal(result.orders[k], result.incoming_orders[k])
        np.testing.assert_array_equal(result.incoming_orders[k, 2:], result.orders[k - 1, :-2])
    position = result.inventory - result.backlog + result.supply_line + result.orders
    np.testing.assert_array_equal(position, np.tile(np.array(levels)[:, None], (1, 36)))
    net = result.inventory - result.backlog
    np.testing.assert_array_equal(net[3], [12.0] * 10 + [8.0, 4.0] + [0.0] * 24)
    np.testing.assert_array_equal(net[2], [12.0] * 8 + [8.0, 4.0, 0.0] + [-4.0] * 25)
    np.testing.assert_array_equal(net[1], [12.0] * 6 + [8.0, 4.0, 0.0] + [-4.0] * 4 + [-8.0] * 23)
    np.testing.assert_array_equal(
        net[0], [12.0] * 4 + [8.0, 4.0, 0.0] + [-4.0] * 4 + [-8.0] * 4 + [-12.0] * 21
    )
    assert result.echelon_cost == (330.0, 242.0, 154.0, 66.0)
    assert result.total_cost == 792.0


def test_sterman_estimates_give_the_retailers_first_weeks_by_hand() -> None:
    """theta 0.36, alpha_S 0.26, beta 0.34, S' 17, expected demand starting at 4.

    Weeks 1-4 the retailer receives 4, sells 4 and keeps 12; its supply line is the order in
    the mail plus the two shipping slots. From week 5 it receives its own week-1 order.
    """
    theta, alpha, beta, target = 0.36, 0.26, 0.34, 17.0
    result = BeerGame(AnchorAndAdjust.sterman_mean_estimates()).run()
    o = [0.0] * 7  # o[w] = retailer's order of week w
    o[1] = 4 + alpha * (target - 12 - beta * 12)
    o[2] = 4 + alpha * (target - 12 - beta * (o[1] + 8))
    o[3] = 4 + alpha * (target - 12 - beta * (o[2] + 4 + o[1]))
    o[4] = 4 + alpha * (target - 12 - beta * (o[3] + o[1] + o[2]))
    inventory5 = 12 + o[1] - 8
    expected5 = theta * 8 + (1 - theta) * 4
    o[5] = expected5 + alpha * (target - inventory5 - beta * (o[4] + o[2] + o[3]))
    inventory6 = inventory5 + o[2] - 8
    expected6 = theta * 8 + (1 - theta) * expected5
    o[6] = expected6 + alpha * (target - inventory6 - beta * (o[5] + o[3] + o[4]))
    assert o[1] == pytest.approx(4.2392, abs=1e-12)
    assert o[2] == pytest.approx(4.21805472, abs=1e-12)
    np.testing.assert_allclose(result.orders[Echelon.RETAILER, :6], o[1:], rtol=1e-13)
    np.testing.assert_allclose(
        result.inventory[Echelon.RETAILER, :6],
        [12, 12, 12, 12, inventory5, inventory6],
        rtol=1e-13,
    )
    np.testing.assert_allclose(
        result.weekly_cost[Echelon.RETAILER, :6],
        [6, 6, 6, 6, 0.5 * inventory5, 0.5 * inventory6],
        rtol=1e-13,
    )
    np.testing.assert_array_equal(result.backlog[Echelon.WHOLESALER, :6], 0.0)


def test_sterman_estimates_amplify_orders_upstream() -> None:
    result = BeerGame(AnchorAndAdjust.sterman_mean_estimates()).run()
    variance = result.order_variance
    peak = result.orders.max(axis=1)
    assert all(a < b for a, b in itertools.pairwise(variance))
    assert variance[Echelon.FACTORY] > 10 * variance[Echelon.RETAILER]
    assert all(a < b for a, b in itertools.pairwise(peak))
    # The supply line is underweighted (beta < 1): every echelon overshoots into a glut.
    assert (result.inventory[:, -12:].max(axis=1) > 20.0).all()
    # This implementation's cost of the published rule (a regression value, not Sterman's).
    assert result.total_cost == pytest.approx(2254.741885647113, rel=1e-12)


def test_invalid_games_are_rejected() -> None:
    with pytest.raises(ValueError, match="one policy, or four"):
        BeerGame([BaseStock(28.0)] * 3)
    with pytest.raises(ValueError, match="installation policies"):
        BeerGame(BaseStock(28.0, view=InventoryView.ECHELON))
    with pytest.raises(ValueError, match="one value per week"):
        BeerGame(BaseStock(28.0), demand=[4.0] * 10)
    with pytest.raises(ValueError, match="at least 1"):
        BeerGameBoard(order_delay=0)

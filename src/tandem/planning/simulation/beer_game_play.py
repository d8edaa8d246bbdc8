r"""The beer game week by week, for people (or bots) who order one week at a time.

Sterman, J. D. (1989), "Modeling managerial behavior: misperceptions of feedback in a dynamic
decision making experiment", Management Science 35(3), 321-339.

The board and its five weekly steps are those of :class:`~tandem.planning.simulation.BeerGame`
(see :mod:`tandem.planning.simulation.beer_game`). A :class:`BeerGameState` is the board *at the
moment of ordering*: steps 1-4 of its week are done (beer received, incoming order read and
shipped, inventory, backlog and cost recorded, order slips moved), the four orders of step 5
are awaited. :func:`advance` places them and runs steps 1-4 of the next week. Each player sees
only its own position (:func:`observation`); a bot orders with an installation policy exactly as
the batch engine would (:func:`bot_order`), so four bots reproduce :meth:`BeerGame.run`
bit for bit.

:func:`coordinated_benchmark` is what a team that knew the demand could reach with one
base-stock level per echelon: the integer levels that minimise total cost, found by descent on
the ``{-1, 0, 1}^4`` neighbourhood from the equilibrium levels. On Sterman's board and demand
they are (32, 32, 32, 24) with cost 180 (against 792 at the equilibrium levels 28, 28, 28, 24).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from tandem.planning.simulation.beer_game import (
    BeerGame,
    BeerGameBoard,
    BeerGameResult,
    Echelon,
    sterman_demand,
)
from tandem.planning.simulation.forecasting import start_forecast
from tandem.planning.simulation.policies import (
    BaseStock,
    InventoryView,
    Policy,
    policy_forecast,
    policy_view,
    raw_order,
)

__all__ = [
    "BeerGameState",
    "Benchmark",
    "PlayerView",
    "WeekRecord",
    "advance",
    "bot_order",
    "coordinated_benchmark",
    "game_result",
    "observation",
    "start",
]

ECHELONS = 4
Four = tuple[float, float, float, float]
Slots = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class WeekRecord:
    """Steps 1-3 of one week, one value per echelon (retailer first); ``supply_line`` is every
    case ordered and not received, as seen when ordering (after step 4)."""

    demand: float
    received: Four
    incoming_orders: Four
    shipped: Four
    inventory: Four
    backlog: Four
    weekly_cost: Four
    supply_line: Four


@dataclass(frozen=True)
class BeerGameState:
    """The board awaiting the orders of week :attr:`week` (1-based).

    ``inbound[k]``: shipping slots into echelon ``k`` (production slots at the factory), next
    first; ``mail[k]`` (``k >= 1``): order slips travelling to echelon ``k``, ``mail[0]`` the
    factory's production requests; ``records``: every week played so far (the last one awaits
    its orders unless the game is over); ``orders``: the orders of every completed week.
    """

    board: BeerGameBoard
    demand: tuple[float, ...]
    inbound: Slots
    mail: Slots
    records: tuple[WeekRecord, ...]
    orders: tuple[Four, ...]

    @property
    def finished(self) -> bool:
        return len(self.orders) == self.board.weeks

    @property
    def week(self) -> int:
        """The week awaiting orders; ``board.weeks + 1`` once the game is over."""
        return len(self.orders) + 1


@dataclass(frozen=True)
class PlayerView:
    """What one player sees on the board when ordering: its own position only."""

    echelon: Echelon
    week: int
    inventory: float
    backlog: float
    incoming_order: float
    incoming_shipment: float
    supply_line: float
    cost_so_far: float
    my_orders: tuple[float, ...]


def _four(values: Sequence[float]) -> Four:
    a, b, c, d = values
    return (a, b, c, d)


def _week(
    board: BeerGameBoard,
    demand: float,
    inbound: list[list[float]],
    mail: list[list[float]],
    inventory: list[float],
    backlog: list[float],
) -> WeekRecord:
    """Steps 1-4 of one week on mutable slots, in the order of :meth:`BeerGame.run`."""
    received, incoming, shipped_out, cost = ([0.0] * ECHELONS for _ in range(4))
    for k in range(ECHELONS):  # step 1
        received[k] = inbound[k].pop(0)
        inbound[k].append(0.0)
        inventory[k] += received[k]
    for k in range(ECHELONS):  # step 2
        incoming[k] = demand if k == 0 else mail[k][0]
        due = backlog[k] + incoming[k]
        shipped = min(inventory[k], due)
        inventory[k] -= shipped
        backlog[k] = due - shipped
        shipped_out[k] = shipped
        if k > 0:
            inbound[k - 1][-1] += shipped
    for k in range(ECHELONS):  # step 3
        cost[k] = board.holding_cost * inventory[k] + board.backlog_cost * (backlog[k])
    for k in range(1, ECHELONS):  # step 4
        mail[k].pop(0)
        mail[k].append(0.0)
    inbound[Echelon.FACTORY][-1] += mail[0].pop(0)
    mail[0].append(0.0)
    supply = [
        sum(_upstream(mail, k)) + (backlog[k + 1] if k < Echelon.FACTORY else 0.0) + sum(inbound[k])
        for k in range(ECHELONS)
    ]
    return WeekRecord(
        demand,
        _four(received),
        _four(incoming),
        _four(shipped_out),
        _four(inventory),
        _four(backlog),
        _four(cost),
        _four(supply),
    )


def _upstream(mail: Sequence[Sequence[float]], k: int) -> Sequence[float]:
    """The slips echelon ``k``'s orders travel in (production requests at the factory)."""
    return mail[k + 1] if k < Echelon.FACTORY else mail[0]


def start(
    board: BeerGameBoard = BeerGameBoard(), demand: Sequence[float] | None = None
) -> BeerGameState:
    """The board in equilibrium, with steps 1-4 of week 1 done."""
    series = sterman_demand(board.weeks) if demand is None else np.asarray(demand, float)
    if series.shape != (board.weeks,):
        raise ValueError(f"demand must have one value per week ({board.weeks})")
    flow = board.initial_flow
    inbound = [
        [flow] * (board.production_delay if k == Echelon.FACTORY else board.shipping_delay)
        for k in range(ECHELONS)
    ]
    mail = [
        [flow] * (board.production_request_delay if k == 0 else board.order_delay)
        for k in range(ECHELONS)
    ]
    inventory, backlog = [board.initial_inventory] * ECHELONS, [0.0] * ECHELONS
    record = _week(board, float(series[0]), inbound, mail, inventory, backlog)
    return BeerGameState(
        board,
        tuple(float(d) for d in series),
        tuple(map(tuple, inbound)),
        tuple(map(tuple, mail)),
        (record,),
        (),
    )


def advance(state: BeerGameState, orders: Sequence[float]) -> BeerGameState:
    """Place the four orders of this week (step 5, retailer first) and play steps 1-4 of the
    next one. Orders are non-negative real numbers of cases."""
    if state.finished:
        raise ValueError("the game is over")
    if len(orders) != ECHELONS:
        raise ValueError("give four orders, retailer first")
    placed = _four([float(q) for q in orders])
    if not all(math.isfinite(q) and q >= 0.0 for q in placed):
        raise ValueError("orders must be finite and non-negative")
    inbound = [list(s) for s in state.inbound]
    mail = [list(s) for s in state.mail]
    for k in range(ECHELONS):
        mail[k + 1 if k < Echelon.FACTORY else 0][-1] = placed[k]
    done = (*state.orders, placed)
    records = state.records
    if len(done) < state.board.weeks:
        last = state.records[-1]
        inventory, backlog = list(last.inventory), list(last.backlog)
        demand = state.demand[len(done)]
        records += (_week(state.board, demand, inbound, mail, inventory, backlog),)
    return BeerGameState(
        state.board,
        state.demand,
        tuple(map(tuple, inbound)),
        tuple(map(tuple, mail)),
        records,
        done,
    )


def observation(state: BeerGameState, echelon: Echelon) -> PlayerView:
    """What the player at ``echelon`` sees in the current (or, once over, the last) week."""
    k = int(echelon)
    last = state.records[-1]
    return PlayerView(
        echelon,
        min(state.week, state.board.weeks),
        last.inventory[k],
        last.backlog[k],
        last.incoming_orders[k],
        last.received[k],
        last.supply_line[k],
        sum(r.weekly_cost[k] for r in state.records),
        tuple(o[k] for o in state.orders),
    )


def bot_order(state: BeerGameState, echelon: Echelon, policy: Policy) -> float:
    """The order ``policy`` places this week at ``echelon``, as :meth:`BeerGame.run` computes
    it (the forecast replays every incoming order so far)."""
    if state.finished:
        raise ValueError("the game is over")
    if policy_view(policy) is InventoryView.ECHELON:
        raise ValueError("the beer game shares no information: use installation policies")
    k, board, flow = int(echelon), state.board, state.board.initial_flow
    spec = policy_forecast(policy)
    forecast = None if spec is None else start_forecast(spec, flow, 1)
    if forecast is not None:
        for t, record in enumerate(state.records):
            forecast.observe(t, np.array([record.incoming_orders[k]]))
    last = state.records[-1]
    supply_line = last.supply_line[k]
    net = np.array([last.inventory[k] - last.backlog[k]])
    order = raw_order(
        policy,
        t=len(state.records) - 1,
        position=net + supply_line,
        net_stock=net,
        supply_line=np.array([supply_line]),
        forecast=forecast,
        initial_forecast=flow,
        cover=float(board.pipeline_weeks(echelon)),
        extra_cover=0.0,
    )
    return max(0.0, float(order[0]))


def game_result(state: BeerGameState) -> BeerGameResult:
    """The trajectories of a finished game in the batch engine's format (``[echelon, week]``)."""
    if not state.finished:
        raise ValueError("the game is not over yet")

    def rows(name: str) -> NDArray[np.float64]:
        return _frozen([getattr(r, name) for r in state.records])

    orders = _frozen(state.orders)
    demand = np.array(state.demand, dtype=np.float64)
    demand.setflags(write=False)
    return BeerGameResult(
        demand=demand,
        incoming_orders=rows("incoming_orders"),
        orders=orders,
        received=rows("received"),
        shipped=rows("shipped"),
        inventory=rows("inventory"),
        backlog=rows("backlog"),
        supply_line=rows("supply_line"),
        weekly_cost=rows("weekly_cost"),
    )


def _frozen(weeks: Sequence[Four]) -> NDArray[np.float64]:
    # C order, like the batch engine's arrays, so that sums add in the same order.
    out = np.ascontiguousarray(np.array(weeks, dtype=np.float64).T)
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class Benchmark:
    """The coordinated benchmark: base-stock levels (retailer first) and what they cost."""

    levels: tuple[int, ...]
    echelon_cost: tuple[float, ...]
    total_cost: float


def coordinated_benchmark(
    board: BeerGameBoard = BeerGameBoard(), demand: Sequence[float] | None = None
) -> Benchmark:
    """Integer base-stock levels minimising the team's cost for a known demand: steepest
    descent over the 80 neighbours in ``{-1, 0, 1}^4`` from the equilibrium levels."""
    series = tuple(float(d) for d in (sterman_demand(board.weeks) if demand is None else demand))
    return _benchmark(board, series)


@lru_cache(maxsize=32)
def _benchmark(board: BeerGameBoard, demand: tuple[float, ...]) -> Benchmark:
    def cost(levels: tuple[int, ...]) -> float:
        policies = [BaseStock(float(level)) for level in levels]
        return BeerGame(policies, demand=demand, board=board).run().total_cost

    best = tuple(round(level) for level in board.equilibrium_base_stock())
    best_cost = cost(best)
    steps = [s for s in itertools.product((-1, 0, 1), repeat=ECHELONS) if any(s)]
    while True:
        nearby = [tuple(a + d for a, d in zip(best, s, strict=True)) for s in steps]
        scored = min((cost(n), n) for n in nearby if min(n) >= 0)
        if scored[0] >= best_cost:
            break
        best_cost, best = scored
    policies = [BaseStock(float(level)) for level in best]
    result = BeerGame(policies, demand=demand, board=board).run()
    return Benchmark(best, result.echelon_cost, result.total_cost)
